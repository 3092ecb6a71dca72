"""Named errors. The CLI turns each into a one-line message and a non-zero exit; the app into st.error."""

from __future__ import annotations


class MarketOversightError(Exception):
    """Base class: every error we expect a user to see."""


class WarehouseError(MarketOversightError):
    """The warehouse file cannot be opened, or is of an unknown or newer schema."""


class WarehouseTooNew(WarehouseError):
    """The file was written by a newer version of Care Market Oversight."""


class WarehouseBusy(WarehouseError):
    """Another process holds the warehouse file for writing."""


class MartDocsError(MarketOversightError):
    """A mart view, its YAML description and the generated data dictionary disagree."""


class SnapshotError(MarketOversightError):
    """The analysts' read-only snapshot cannot be published or found."""


class SourceError(MarketOversightError):
    """An input source cannot be read or is not a recognised dataset."""

    def __init__(self, message: str, *, source: str | None = None, row: int | None = None,
                 field: str | None = None) -> None:
        parts = [p for p in (
            source and f"{source}",
            row is not None and f"row {row}",
            field and f"field '{field}'",
        ) if p]
        prefix = ": ".join([", ".join(parts)]) if parts else ""
        super().__init__(f"{prefix}: {message}" if prefix else message)
        self.source, self.row, self.field = source, row, field


class UnknownSourceFormat(SourceError):
    """The source is readable but matches none of the formats we know."""


class InputTooLarge(SourceError):
    """A file over one of the input limits ([ingest] in the settings), refused before parsing."""

    def __init__(self, message: str, *, source: str | None = None, limit: str = "") -> None:
        super().__init__(message, source=source)
        self.limit = limit


class MixedDateOrder(SourceError):
    """A file writes some dates day first and others month first: none of its dates can be trusted."""


class MissingColumns(SourceError):
    """A recognised file lacks columns its dataset requires."""


class ConfigError(MarketOversightError):
    """Configuration is missing or invalid."""


class BadBoundaries(MarketOversightError):
    """The boundaries file named in the settings ([map] boundaries) is missing or not usable GeoJSON;
    the map is drawn without it."""


class PermissionDenied(MarketOversightError):
    """The signed-in user's role does not allow this action."""


class RiskError(MarketOversightError):
    """A risk request cannot be done as asked (bad override, unknown event source, no scores)."""


class UnknownScoresFormat(RiskError):
    """A backtest's scores file is named with a suffix we do not write (only .parquet and .csv)."""


class AlertError(MarketOversightError):
    """A weekly alert cannot be worked out or written as asked (bad week, no recipients)."""


class AlertDeliveryError(AlertError):
    """The SMTP server refused an alert or could not be reached; nothing undelivered was marked sent."""


class ContractError(MarketOversightError):
    """A data contract cannot be read or evaluated as written."""


class NotFound(MarketOversightError):
    """What was asked for (a location, an action, a suspension) does not exist."""


class CaseworkError(MarketOversightError):
    """A casework entry is incomplete or contradicts what is stored (for example lifting twice)."""


class UploadError(MarketOversightError):
    """An uploaded file could not be loaded; the message says what to change."""


class UploadRefused(MarketOversightError):
    """An uploaded file is too large, of a type we do not take, or an unsafe spreadsheet."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: upload refused: {reason}")
        self.name, self.reason = name, reason


class SignInRefused(MarketOversightError):
    """The identity provider signed someone in, but gave no e-mail address to know them by."""


class StorageError(WarehouseError):
    """The disk is full, or a file or folder of the warehouse cannot be written."""


class ReportError(MarketOversightError):
    """A notebook cannot be found, run or rendered as a report; nothing was written."""


class RehearsalError(MarketOversightError):
    """A failure rehearsal cannot be run as asked (no such scope, a distance out of range, nothing to rehearse)."""
