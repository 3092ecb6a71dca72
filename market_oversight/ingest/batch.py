"""What every load shares: the batch record, its result, and the already-loaded check."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from market_oversight import store


@dataclass(frozen=True)
class LoadResult:
    dataset: str
    batch_id: str
    status: str                 # loaded | already_loaded | rejected
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    message: str | None = None
    ratings_set_aside: int = 0  # ratings not stored (not ratings) of locations that were (CQC only)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    def summary(self) -> str:
        text = (f"{self.dataset}: {self.status} (batch {self.batch_id}): {self.rows_read} rows read, "
                f"{self.rows_loaded} loaded, {self.rows_quarantined} quarantined")
        if self.ratings_set_aside:
            text += f", {self.ratings_set_aside} ratings set aside (see the quarantine)"
        return f"{text}; {self.message}" if self.message else text


def hash_bytes(*chunks: bytes) -> str:
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(chunk)
    return h.hexdigest()


def hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def new_batch_id() -> str:
    return uuid.uuid4().hex[:16]


def previous_load(con: duckdb.DuckDBPyConnection, dataset: str, content_hash: str) -> LoadResult | None:
    """The earlier successful load of exactly these bytes, if any."""
    row = store.run(con, "ingest/previous_load", d=dataset, h=content_hash).fetchone()
    if row is None:
        return None
    return LoadResult(dataset, row[0], "already_loaded", row[1], row[2], row[3],
                      "the same content was loaded before", ratings_set_aside=row[4])


def record_batch(con: duckdb.DuckDBPyConnection, result: LoadResult, *, source: str, content_hash: str,
                 started_at: datetime, snapshot_date: date | None = None,
                 validation: dict | None = None, rows_hash: str | None = None) -> None:
    store.run(con, "ingest/record_batch", batch_id=result.batch_id, dataset=result.dataset, source=source,
              hash=content_hash, status=result.status, read=result.rows_read, loaded=result.rows_loaded,
              quarantined=result.rows_quarantined, set_aside=result.ratings_set_aside, snapshot=snapshot_date,
              started=started_at, validation=json.dumps(validation) if validation is not None else None,
              message=result.message, rows_hash=rows_hash)
