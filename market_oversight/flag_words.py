"""Risk flags in words: every indicator's label, each flag as a sentence with its figures formatted,
and its evidence as a small table (never raw keys or lists).

The one place that names the indicators for people (tests/app/test_flag_words.py checks that every
indicator in risk/thresholds.toml has a label here). Impact flags (domain "impact": how many would be
affected) are not causes, so lists put causes first and impact apart.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from market_oversight import fmt

IMPACT_DOMAIN = "impact"

INDICATOR_LABELS = {
    # quality
    "overall_inadequate": "Rated Inadequate overall",
    "overall_requires_improvement": "Rated Requires improvement overall",
    "rating_downgrade": "CQC rating went down",
    "safe_or_well_led_poor": "Safe or Well-led rated poorly",
    "rating_overdue": "CQC rating getting old",
    "key_questions_poor": "Several key questions rated poorly",
    "rated_poor_before": "Rated poorly before",
    "large_home": "Large care home",
    "never_rated": "Never rated by CQC",
    "no_registered_manager": "No registered manager",
    "council_quality_poor": "Council quality visit found problems",
    "concerns_high": "Many concerns and complaints",
    "concerns_rising": "Concerns and complaints rising",
    # sustainability
    "low_occupancy": "Low occupancy",
    "occupancy_falling": "Occupancy falling",
    "beds_closed_to_admissions": "Beds closed to admissions",
    "agency_reliance": "Relies on agency staff",
    "staff_vacancies": "Many staff vacancies",
    "staff_turnover": "High staff turnover",
    "packages_handed_back": "Handing back care packages",
    "no_capacity_for_hours": "Cannot take on more hours",
    "fee_below_benchmark": "Fee below the benchmark",
    "late_missing_returns": "Late or missing returns",
    "company_filing": "Company filing warning",
    "ownership_type": "Kind of owner",
    "group_stress": "Provider's other services flagged",
    # impact
    "people_affected": "Many people would be affected",
    "council_funded_share": "Mostly council-funded",
    "local_capacity_share": "Large share of local capacity",
    "hard_to_replace": "Hard to replace",
}


def label(flag: str) -> str:
    """An indicator's name in words (an unknown one with its underscores taken out)."""
    return INDICATOR_LABELS.get(flag, flag.replace("_", " ").capitalize())


def labels(flags: Iterable[str] | None) -> str:
    """Flags in words, in the order given, as one cell: "Low occupancy; Late or missing returns"."""
    return "; ".join(label(f) for f in (() if flags is None else flags))


def labels_column(df: pl.DataFrame, column: str) -> pl.Expr:
    """`labels` of every row's list of flags in `df[column]` at once: each flag named there is put
    into words once, not once a row (row by row, the watchlist's thousands of rows on a national
    market took a tenth of a second a column). Null where the list is null."""
    named = df[column].explode().drop_nulls().unique().to_list() if df.height else []
    words = {flag: label(flag) for flag in named}
    return pl.col(column).list.eval(pl.element().replace_strict(words, return_dtype=pl.String)).list.join("; ")


def causes_first(flags: pl.DataFrame) -> pl.DataFrame:
    """A location's flags (columns flag, domain, points), causes before impact, each largest first."""
    return flags.sort(pl.col("domain") == IMPACT_DOMAIN, -pl.col("points"), "flag")


def is_impact(domain: str | None) -> bool:
    return domain == IMPACT_DOMAIN


# ---- each flag as a sentence ---------------------------------------------------------------------

_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def sentence(flag: str, message: str | None, evidence: dict | str | None = None) -> str:
    """The flag as one sentence: its stored message (sql/indicators/<flag>.sql writes it, figures
    formatted, dates as the database writes them: here as people write them), else its label."""
    text = _ISO_DATE.sub(lambda m: fmt.long_date(m.group(1)), message or label(flag))
    return text[:1].upper() + text[1:]


# ---- evidence as a table -------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    label: str
    kind: str = "text"  # how its value is written: see _VALUE_WRITERS


EVIDENCE_FIELDS = {
    "period": Field("Month", "month"),
    "latest_period": Field("Latest month", "month"),
    "before_period": Field("Compared with", "month"),
    "beds": Field("Beds", "count"),
    "occupied_beds": Field("Occupied beds", "count"),
    "vacant_beds_accepting": Field("Empty beds open to admissions", "count"),
    "vacant_beds_closed": Field("Empty beds closed to admissions", "count"),
    "accepting_admissions": Field("Taking admissions", "yes_no"),
    "occupancy": Field("Occupancy", "share"),
    "before_occupancy": Field("Occupancy before", "share"),
    "agency_hours": Field("Hours worked by agency staff", "hours"),
    "hours": Field("All hours worked", "hours"),
    "months": Field("Months counted", "months"),
    "age_months": Field("Age", "months"),
    "concerns": Field("Concerns and complaints", "count"),
    "size": Field("Size", "count"),
    "rate": Field("Rate", "rate"),
    "market_median_rate": Field("Market median rate", "rate"),
    "market": Field("Market compared with"),
    "last_3_months": Field("Last 3 months", "count"),
    "previous_3_months": Field("The 3 months before", "count"),
    "council_funded": Field("People funded by the council", "count"),
    "people": Field("People supported", "count"),
    "rating": Field("Rating", "rating"),
    "overall": Field("Overall rating", "rating"),
    "earlier_rating": Field("Earlier rating", "rating"),
    "from": Field("Rating before", "rating"),
    "to": Field("Rating after", "rating"),
    "safe": Field("Safe", "rating"),
    "well_led": Field("Well-led", "rating"),
    "visit_date": Field("Visit date", "date"),
    "report_date": Field("Report date", "date"),
    "earlier_report_date": Field("Earlier report date", "date"),
    "from_date": Field("Date of the report before", "date"),
    "to_date": Field("Date of the report after", "date"),
    "safe_date": Field("Safe rated on", "date"),
    "well_led_date": Field("Well-led rated on", "date"),
    "since": Field("Rated on", "date"),
    "registered": Field("Registered on", "date"),
    "register_snapshot": Field("CQC register of", "date"),
    "effective_from": Field("Rate in force from", "date"),
    "assessor": Field("Assessor"),
    "care_category": Field("Care category", "care_category"),
    "fee": Field("Fee paid", "money"),
    "benchmark": Field("Benchmark", "benchmark"),
    "benchmark_amount": Field("Benchmark rate", "money"),
    "financial_year": Field("Financial year"),
    "benchmark_source": Field("Benchmark source"),
    "rate_for": Field("Rate set for", "rate_for"),
    "provider_id": Field("CQC provider ID"),
    "flagged_locations": Field("Locations with a serious flag", "count"),
    "locations": Field("Locations", "count"),
    "nursing": Field("Nursing care", "yes_no"),
    "dementia": Field("Dementia care", "yes_no"),
    "alternatives_in_area": Field("Other such services in the area", "count"),
    "local_authority": Field("Local authority"),
    "key_questions": Field("Key questions rated poorly", "key_questions"),
    "market_size": Field("Size of the local market", "count"),
    "market_locations": Field("Services in the local market", "count"),
    "service_kind": Field("Kind of service", "service_kind"),
    "consecutive_returns": Field("Returns in a row unable to take more hours", "count"),
    "ownership_type": Field("Kind of owner"),
    "mean_pct": Field("Packages handed back, on average", "percent_number"),
    "full_points_at": Field("Full points from", "count"),
    "points_per_year": Field("Points a year", "number"),
    "leavers": Field("Staff who left", "count"),
    "average_staff": Field("Staff, on average", "count"),
    "vacancies": Field("Vacancies", "count"),
    "staff_employed": Field("Staff employed", "count"),
    "returns": Field("Returns", "count"),
    "signals": Field("Company filing signals", "count"),
    # inside lists (late returns, company signals)
    "due_date": Field("Due", "date"),
    "status": Field("Status", "words"),
    "received": Field("Received", "received"),
    "signal": Field("Signal", "words"),
    "date": Field("Date", "date"),
    "detail": Field("Detail"),
    "file": Field("From file"),
    "source": Field("Where this comes from", "source"),
}
# Kept in the evidence for the record, but they say nothing a reader needs beside the rest.
HIDDEN_FIELDS = {"unit", "part"}
# Table and column names in the stored `source` notes, as a reader would say them.
SOURCE_WORDS = {
    "cqc_ratings": "CQC ratings", "cqc_locations": "CQC register", "cqc_providers": "CQC register of providers",
    "care_home_returns": "care-home returns", "home_care_returns": "home-care returns",
    "fee_rates": "fee rates", "company_signals": "company filings",
    "casework quality_assessments": "the council's quality visits",
    "packages_handed_back_pct": "share of packages handed back",
    "can_take_more_hours": "whether it can take on more hours",
    "safeguarding_concerns": "safeguarding concerns",
}


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _source(text: str) -> str:
    for raw, words in SOURCE_WORDS.items():
        text = text.replace(raw, words)
    return text.replace("_", " ")


_VALUE_WRITERS: dict[str, Callable[[Any, dict], str]] = {
    "text": lambda v, e: str(v),
    "words": lambda v, e: str(v).replace("_", " ").capitalize(),
    "count": lambda v, e: fmt.count(v),
    "number": lambda v, e: f"{v:,.1f}",
    "hours": lambda v, e: fmt.count(v, "hour"),
    "months": lambda v, e: fmt.count(v, "month"),
    "rate": lambda v, e: f"{v:.2f}",
    "share": lambda v, e: fmt.percent(v, 1),
    "percent_number": lambda v, e: fmt.percent(v / 100, 1),
    "money": lambda v, e: fmt.money(v, e.get("unit")),
    "date": lambda v, e: fmt.long_date(_day(v)),
    "month": lambda v, e: fmt.month(_day(v)),
    "received": lambda v, e: fmt.received(_day(v)),
    "yes_no": lambda v, e: "Yes" if v else "No",
    "rating": lambda v, e: fmt.rating(v),
    "care_category": lambda v, e: fmt.care_category(v),
    "benchmark": lambda v, e: fmt.benchmark(v),
    "service_kind": lambda v, e: fmt.service_kind(v),
    "rate_for": lambda v, e: {"location": "This location", "provider": "Every location of the provider"}.get(v, v),
    "key_questions": lambda v, e: ", ".join(fmt.key_question(q) for q in v),
    "source": lambda v, e: _source(str(v)),
}


def _field(key: str, evidence: dict) -> Field:
    if key == "size" and evidence.get("unit") in ("beds", "people supported"):
        return Field(str(evidence["unit"]).capitalize(), "count")
    return EVIDENCE_FIELDS.get(key, Field(fmt.label(key)))


def _write(key: str, value: Any, evidence: dict) -> str:
    if value is None:
        return fmt.received(None) if key == "received" else fmt.MISSING
    field = _field(key, evidence)
    try:
        return _VALUE_WRITERS[field.kind](value, evidence)
    except (TypeError, ValueError, KeyError):
        return str(value)


@dataclass(frozen=True)
class EvidenceTables:
    """A flag's evidence for people: its facts (What, Value) and one titled table per list in it."""
    facts: pl.DataFrame
    lists: tuple[tuple[str, pl.DataFrame], ...]


def parse_evidence(evidence: dict | str | None) -> dict:
    if isinstance(evidence, dict):
        return evidence
    return json.loads(evidence) if evidence else {}


def evidence_tables(evidence: dict | str | None) -> EvidenceTables:
    """The evidence stored with a flag, every key in words and every value formatted; a list of
    records (late returns, company filings) becomes a table of its own, a list of words one cell."""
    e = parse_evidence(evidence)
    facts: list[tuple[str, str]] = []
    lists: list[tuple[str, pl.DataFrame]] = []
    for key, value in e.items():
        if key in HIDDEN_FIELDS:
            continue
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            lists.append((_field(key, e).label, _records(value)))
            facts.append((_field(key, e).label, fmt.count(len(value))))
        elif isinstance(value, list) and _field(key, e).kind != "key_questions":
            facts.append((_field(key, e).label, ", ".join(_write(key, v, e) for v in value) or "None"))
        else:
            facts.append((_field(key, e).label, _write(key, value, e)))
    table = pl.DataFrame(facts, schema={"What": pl.String, "Value": pl.String}, orient="row")
    return EvidenceTables(table, tuple(lists))


def _records(items: list[dict]) -> pl.DataFrame:
    keys = list(dict.fromkeys(k for item in items for k in item))
    return pl.DataFrame({_field(k, {}).label: [_write(k, item.get(k), item) for item in items] for k in keys},
                        schema={_field(k, {}).label: pl.String for k in keys})
