"""One code path for normalising CQC rows, whatever the source (API, saved folder, bulk file).

Each reader turns what it read into a `StagedLocation`: canonical field names, values still as read.
`normalise_location` turns that into typed values, or into a list of problems (rule, field, message)
for the quarantine. A rating that is not a rating (a pre-2014 compliance judgement, an unknown word)
is set aside on its own: the location and its other ratings load, and the quarantine keeps a row
naming what was set aside. `CqcColumns` gathers the results column by column for a fast columnar
insert.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

import pyarrow as pa

from market_oversight import vocab
from market_oversight.contracts import contract

# Canonical location fields a reader may fill, as read (text, number, date or bool).
LOCATION_FIELDS = (
    "location_id", "provider_id", "location_name", "care_home", "beds", "local_authority",
    "region", "icb_code", "icb_name", "postcode", "latitude", "longitude", "registration_status",
    "registration_date", "deregistration_date", "dormant", "has_registered_manager",
    "primary_inspection_category", "dual_registration_primary_id", "registered_manager_absent_date",
    "brand_id", "brand_name",
)


class RawRating(NamedTuple):
    key_question: str
    rating: Any
    report_date: Any          # None: the source gives no date (stored as observed at the snapshot)
    report_link: str | None
    field: str                # where it was read (a JSON path or a column), for messages


@dataclass
class StagedLocation:
    row_number: int                             # 1-based data row (or position in the API listing)
    raw: dict[str, Any]                         # the row as read, for the quarantine
    fields: dict[str, Any]                      # LOCATION_FIELDS -> value as read
    service_types: list[str] = field(default_factory=list)
    specialisms: list[str] | None = None
    ratings: list[RawRating] = field(default_factory=list)
    blank_flags_false: bool = False             # bulk files: a blank Y/blank flag means "no"
    provider: dict[str, Any] | None = None      # provider_name, ownership_type, companies_house_number
    source: str | None = None                   # the file or URL the record came from, if not the row's


class Problem(NamedTuple):
    rule: str
    field: str
    message: str


class SetAsideRating(NamedTuple):
    """One rating not stored because it is not a rating; its location loads without it."""
    rule: str       # legacy_rating | unknown_rating | unknown_key_question
    field: str      # where it was read
    word: Any       # the value as read
    message: str    # what is wrong and where (what became of it depends on the location)


# --- value parsers: each raises ValueError with what it expected ---------------------------------

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_US_TIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}) \d{1,2}:\d{2}(?::\d{2})? ?[AP]M$", re.IGNORECASE)
DATE_FORMATS = "YYYY-MM-DD, DD/MM/YYYY or M/D/YYYY 12:00:00 AM"


def text(value: Any) -> str | None:
    """Trimmed text; None for blank. Whole floats (spreadsheet IDs) lose their `.0`."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out = str(value).strip()
    return out or None


def parse_date(value: Any) -> date | None:
    """ISO dates (with or without a time), UK `DD/MM/YYYY`, US `M/D/YYYY 12:00:00 AM` (the time
    suffix marks the US order, as CQC's exports write it); date objects pass through."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = str(value).strip()
    if not s:
        return None
    try:
        if m := _ISO.match(s):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _US_TIME.match(s):
            return date(int(m[3]), int(m[1]), int(m[2]))
        if m := _UK.match(s):
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        pass
    raise ValueError(f"cannot read {s!r} as a date; expected {DATE_FORMATS}")


def parse_flag(value: Any, *, blank_is_false: bool) -> bool | None:
    if isinstance(value, bool):
        return value
    s = (text(value) or "").lower()
    if not s:
        return False if blank_is_false else None
    if s in {"y", "yes", "true", "1"}:
        return True
    if s in {"n", "no", "false", "0"}:
        return False
    raise ValueError(f"cannot read {value!r} as a flag; expected Y, N or blank")


def parse_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    s = (text(value) or "").replace(",", "")
    if not s:
        return None
    if re.fullmatch(r"\d+(\.0+)?", s):
        return int(float(s))
    raise ValueError(f"cannot read {value!r} as a whole number")


def parse_float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    s = text(value)
    if s is None:
        return None
    try:
        return float(s)
    except ValueError:
        raise ValueError(f"cannot read {value!r} as a number") from None


# --- normalising one location --------------------------------------------------------------------

class NormalisedLocation(NamedTuple):
    values: dict[str, Any]                       # cqc_locations columns (without snapshot/batch)
    ratings: list[tuple[date | None, str, str, str | None]]  # (report_date, key_question, rating, link)
    set_aside: tuple[SetAsideRating, ...] = ()   # ratings not stored


def _parse(fields: dict[str, Any], name: str, parser, problems: list[Problem], rule: str, **kw) -> Any:
    try:
        return parser(fields.get(name), **kw)
    except ValueError as exc:
        problems.append(Problem(rule, name, str(exc)))
        return None


def normalise_location(staged: StagedLocation) -> NormalisedLocation | list[Problem]:
    """Typed values for one location, or every problem that stops it being stored."""
    f, problems = staged.fields, []
    location_id = text(f.get("location_id"))
    if location_id is None:
        problems.append(Problem("missing_location_id", "location_id", "the row has no CQC location ID"))
    reg_date = _parse(f, "registration_date", parse_date, problems, "bad_date")
    dereg_date = _parse(f, "deregistration_date", parse_date, problems, "bad_date")
    blank = staged.blank_flags_false
    care_home = _parse(f, "care_home", parse_flag, problems, "bad_flag", blank_is_false=blank)
    if care_home is None and staged.service_types:
        care_home = vocab.provides_care_home_service(staged.service_types)
    dormant = _parse(f, "dormant", parse_flag, problems, "bad_flag", blank_is_false=blank)
    manager = f.get("has_registered_manager")
    absent_since = _absent_since(staged, problems)
    beds = _in_range(_parse(f, "beds", parse_int, problems, "bad_number"), "beds", 0, max_beds(), problems)
    latitude = _parse(f, "latitude", parse_float, problems, "bad_number")
    longitude = _parse(f, "longitude", parse_float, problems, "bad_number")
    status = _parse(f, "registration_status", vocab.normalise_registration_status, problems,
                    "unknown_status")
    if status is None:
        status = "Deregistered" if dereg_date else "Registered"
    ratings, set_aside = _normalise_ratings(staged, problems)
    if problems:  # a location not stored keeps every reason, the set-aside ratings among them
        return problems + [Problem(r.rule, r.field, r.message) for r in set_aside]
    values = {
        "location_id": location_id,
        "provider_id": text(f.get("provider_id")),
        "location_name": text(f.get("location_name")),
        "care_home": care_home,
        "service_kind": vocab.service_kind(bool(care_home), vocab.is_domiciliary(staged.service_types)),
        "beds": beds if care_home or beds else None,  # bulk files write 0 beds for non-care-homes
        "local_authority": text(f.get("local_authority")),
        "region": text(f.get("region")),
        "icb_code": text(f.get("icb_code")),
        "icb_name": text(f.get("icb_name")),
        "postcode": text(f.get("postcode")),
        "latitude": latitude,
        "longitude": longitude,
        "registration_status": status,
        "registration_date": reg_date,
        "deregistration_date": dereg_date,
        "dormant": dormant,
        "has_registered_manager": manager if isinstance(manager, bool) or manager is None else None,
        "registered_manager_absent_date": absent_since,
        "brand_id": text(f.get("brand_id")),
        "brand_name": text(f.get("brand_name")),
        "primary_inspection_category": text(f.get("primary_inspection_category")),
        "service_types": [t for t in (text(s) for s in staged.service_types) if t],
        "specialisms": staged.specialisms,
        "dual_registration_primary_id": text(f.get("dual_registration_primary_id")),
    }
    return NormalisedLocation(values, ratings, tuple(set_aside))


def max_beds() -> int:
    """The most beds one location can have: the care-home return's bound (data_contracts), the one
    place it is written."""
    return int(contract("care_home_returns").columns["beds"].max)


def _in_range(value: int | None, name: str, low: int, high: int, problems: list[Problem]) -> int | None:
    """The value, or None with an `out_of_range` problem (which quarantines the row, not the file)."""
    if value is None or low <= value <= high:
        return value
    problems.append(Problem("out_of_range", name, f"{name} is {value}; it must be between {low:,} and {high:,}"))
    return None


def _absent_since(staged: StagedLocation, problems: list[Problem]) -> date | None:
    """Since when CQC records the registered manager absent; a date that cannot be read is a
    problem naming the field and the file it came from (the row is the staged row's)."""
    try:
        return parse_date(staged.fields.get("registered_manager_absent_date"))
    except ValueError as exc:
        where = f" (in {staged.source})" if staged.source else ""
        problems.append(Problem("bad_date", "registered_manager_absent_date", f"{exc}{where}"))
        return None


def _normalise_ratings(staged: StagedLocation, problems: list[Problem]):
    out, seen, set_aside = [], set(), []
    for r in staged.ratings:
        try:
            report_date = parse_date(r.report_date)
        except ValueError as exc:
            problems.append(Problem("bad_date", r.field, str(exc)))
            continue
        try:
            rating = vocab.normalise_rating(r.rating)
        except ValueError as exc:
            if vocab.is_legacy_rating(r.rating):
                why = f"{r.rating!r} is a compliance judgement from before CQC's ratings, not a rating"
                set_aside.append(_set_aside(staged, r, report_date, "legacy_rating", r.rating, why))
            else:
                set_aside.append(_set_aside(staged, r, report_date, "unknown_rating", r.rating, str(exc)))
            continue
        if rating is None:
            continue  # blank
        try:
            key_question = vocab.normalise_key_question(r.key_question)
        except ValueError as exc:
            set_aside.append(_set_aside(staged, r, report_date, "unknown_key_question",
                                        r.key_question, str(exc)))
            continue
        if (report_date, key_question) in seen:
            continue  # the same report and key question given twice (first, the current, wins)
        seen.add((report_date, key_question))
        out.append((report_date, key_question, rating, text(r.report_link)))
    return out, set_aside


def _set_aside(staged: StagedLocation, r: RawRating, report_date: date | None, rule: str, word: Any,
               why: str) -> SetAsideRating:
    """With what a data officer needs to find the value: the key question and report it belongs to
    and the file or URL it was read from (the field is named beside the message)."""
    where = f" in {staged.source}" if staged.source else ""
    of = f"{r.key_question or 'unnamed key question'}, report of {report_date or 'no date'}{where}"
    return SetAsideRating(rule, r.field, word, f"{why} ({of})")


def dates_in(n: NormalisedLocation) -> list[date]:
    """Every date a normalised location carries (for the source's snapshot date)."""
    found = [n.values["registration_date"], n.values["deregistration_date"]]
    found += [d for d, _, _, _ in n.ratings]
    return [d for d in found if d is not None]


# --- columnar accumulation -----------------------------------------------------------------------

LOCATION_SCHEMA = pa.schema([
    ("location_id", pa.string()), ("provider_id", pa.string()), ("location_name", pa.string()),
    ("care_home", pa.bool_()), ("service_kind", pa.string()), ("beds", pa.int32()),
    ("local_authority", pa.string()), ("region", pa.string()), ("icb_code", pa.string()),
    ("icb_name", pa.string()), ("postcode", pa.string()), ("latitude", pa.float64()),
    ("longitude", pa.float64()), ("registration_status", pa.string()),
    ("registration_date", pa.date32()), ("deregistration_date", pa.date32()), ("dormant", pa.bool_()),
    ("has_registered_manager", pa.bool_()), ("primary_inspection_category", pa.string()),
    ("service_types", pa.list_(pa.string())), ("specialisms", pa.list_(pa.string())),
    ("dual_registration_primary_id", pa.string()), ("registered_manager_absent_date", pa.date32()),
    ("brand_id", pa.string()), ("brand_name", pa.string()),
])
RATING_SCHEMA = pa.schema([
    ("location_id", pa.string()), ("report_date", pa.date32()), ("key_question", pa.string()),
    ("rating", pa.string()), ("report_link", pa.string()), ("date_basis", pa.string()),
])
PROVIDER_SCHEMA = pa.schema([
    ("provider_id", pa.string()), ("provider_name", pa.string()), ("ownership_type", pa.string()),
    ("companies_house_number", pa.string()), ("has_details", pa.bool_()),
])
QUARANTINE_SCHEMA = pa.schema([
    ("row_number", pa.int32()), ("location_id", pa.string()), ("provider_id", pa.string()),
    ("raw", pa.string()), ("rules", pa.list_(pa.string())), ("messages", pa.list_(pa.string())),
])


@dataclass
class CqcColumns:
    """Normalised rows, column by column; the newest of two rows for one location wins."""
    locations: dict[str, dict[str, Any]] = field(default_factory=dict)
    ratings: dict[tuple[str, date | None, str], tuple[str, str | None]] = field(default_factory=dict)
    providers: dict[str, dict[str, Any]] = field(default_factory=dict)
    quarantine: list[tuple[int, str | None, str | None, str, list[str], list[str]]] = field(
        default_factory=list)
    rows_quarantined: int = 0     # locations not stored (the quarantine also has set-aside rows)
    ratings_set_aside: int = 0    # ratings not stored, of locations that were
    dates: list[date] = field(default_factory=list)

    def add_location(self, n: NormalisedLocation) -> None:
        lid = n.values["location_id"]
        self.locations[lid] = n.values  # a later row for the same ID (dual listing) replaces it
        for report_date, key_question, rating, link in n.ratings:
            self.ratings.setdefault((lid, report_date, key_question), (rating, link))
        self.dates.extend(dates_in(n))

    def add_provider(self, provider_id: str | None, details: dict[str, Any] | None) -> None:
        pid = text(provider_id)
        if pid is None:
            return
        if details:
            self.providers[pid] = {k: text(details.get(k)) for k in
                                   ("provider_name", "ownership_type", "companies_house_number")}
            self.providers[pid]["has_details"] = True
        else:
            self.providers.setdefault(pid, {"provider_name": None, "ownership_type": None,
                                            "companies_house_number": None, "has_details": False})

    def add_problems(self, staged: StagedLocation, problems: list[Problem], raw_json: str) -> None:
        self.rows_quarantined += 1
        self._quarantine(staged, problems, raw_json)

    def add_set_aside(self, staged: StagedLocation, set_aside: tuple[SetAsideRating, ...]) -> None:
        """One quarantine row for a stored location whose ratings were set aside: every value as
        read, keyed by where it was read, with a rule and message for each."""
        self.ratings_set_aside += len(set_aside)
        raw = json.dumps({r.field: r.word for r in set_aside}, default=str)
        kept = "set aside; the location and its other ratings were loaded"
        self._quarantine(staged, [Problem(r.rule, r.field, f"{r.message}; {kept}") for r in set_aside],
                         raw)

    def _quarantine(self, staged: StagedLocation, problems: list[Problem], raw_json: str) -> None:
        self.quarantine.append((
            staged.row_number, text(staged.fields.get("location_id")),
            text(staged.fields.get("provider_id")), raw_json,
            [p.rule for p in problems], [f"{p.field}: {p.message}" for p in problems],
        ))

    def location_table(self) -> pa.Table:
        rows = list(self.locations.values())
        return pa.table({name: [r[name] for r in rows] for name in LOCATION_SCHEMA.names},
                        schema=LOCATION_SCHEMA)

    def rating_table(self, snapshot: date | None) -> pa.Table:
        cols: dict[str, list] = {name: [] for name in RATING_SCHEMA.names}
        for (lid, report_date, key_question), (rating, link) in self.ratings.items():
            if report_date is None and (lid, snapshot, key_question) in self.ratings:
                continue  # a dated rating on the snapshot date already says it
            cols["location_id"].append(lid)
            cols["report_date"].append(report_date or snapshot)
            cols["key_question"].append(key_question)
            cols["rating"].append(rating)
            cols["report_link"].append(link)
            cols["date_basis"].append("report" if report_date else "observed")
        return pa.table(cols, schema=RATING_SCHEMA)

    def provider_table(self) -> pa.Table:
        ids = list(self.providers)
        cols = {"provider_id": ids}
        for name in PROVIDER_SCHEMA.names[1:]:
            cols[name] = [self.providers[i][name] for i in ids]
        return pa.table(cols, schema=PROVIDER_SCHEMA)

    def quarantine_table(self) -> pa.Table:
        cols = list(zip(*self.quarantine, strict=True)) if self.quarantine else [[]] * 6
        return pa.table(dict(zip(QUARANTINE_SCHEMA.names, map(list, cols), strict=True)),
                        schema=QUARANTINE_SCHEMA)
