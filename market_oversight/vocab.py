"""Vocabularies: the one place that knows ratings, key questions, service kinds and RAG."""

from __future__ import annotations

import re
from datetime import date

KEY_QUESTIONS = ("overall", "safe", "effective", "caring", "responsive", "well_led")

RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate", "Not rated")
POOR_RATINGS = frozenset({"Requires improvement", "Inadequate"})
# What the overview counts as "rated Good or Outstanding".
GOOD_RATINGS = frozenset({"Outstanding", "Good"})
# Higher is better; unrated has no rank.
RATING_RANK = {"Outstanding": 4, "Good": 3, "Requires improvement": 2, "Inadequate": 1}
# The SQL gets these bound as parameters (`sql_params`), never written out: a rating's rank is its
# place in $ratings_worst_first, and $poor_ratings is POOR_RATINGS.
RATINGS_WORST_FIRST = tuple(sorted(RATING_RANK, key=RATING_RANK.__getitem__))

SERVICE_KINDS = ("care_home", "home_care", "other")
# Kinds of care a fee, a return or a partial placement suspension is for.
CARE_CATEGORIES = ("residential", "residential_dementia", "nursing", "nursing_dementia", "home_care")
# The council's staged process when concerns about a provider mount, mildest first (names vary by
# council: organisational safeguarding is the large-scale enquiry under Care Act s.42). Each is a
# hard floor of the RAG in force where [rag] red_floors or amber_floors name it (thresholds.toml).
CONCERN_STAGES = ("enhanced_monitoring", "serious_concerns", "large_scale_enquiry")
# What a placement suspension stops: every new placement (full), some kinds of care (partial, with
# the categories), by the provider's own agreement (voluntary), or with the ICB (joint).
SUSPENSION_SCOPES = ("full", "partial", "voluntary", "joint")
# The agencies a concern's forms offer (a council may type others).
AGENCIES = ("CQC", "ICB", "NHS community health services", "Police", "Healthwatch", "Other placing councils")
# What a CQC Market Oversight notice about a provider says (Care Act 2014 s.55-56): CQC asked for a
# sustainability plan or commissioned an independent business review (s.55), or told the councils
# that the provider is likely to become unable to carry on (s.56), or any other notice.
OVERSIGHT_NOTICE_KINDS = ("sustainability_plan", "independent_review", "likely_failure", "other")


# How grave each concerns stage is: its place in CONCERN_STAGES (mildest first).
CONCERN_STAGE_RANK = {stage: rank for rank, stage in enumerate(CONCERN_STAGES)}


def gravest_stage(stages: list[str] | tuple[str, ...] | None) -> str | None:
    """The gravest of these concerns stages (by CONCERN_STAGE_RANK); None if none is known."""
    known = [s for s in stages or () if s in CONCERN_STAGE_RANK]
    return max(known, key=CONCERN_STAGE_RANK.__getitem__) if known else None


RAG = ("red", "amber", "green")  # worst first: lists and charts order by it
# The events a backtest or a calibration can count as "the bad thing happened" (sql/risk/events_*.sql);
# [backtest] event_types in risk/thresholds.toml chooses among them.
EVENT_TYPES = {
    "downgrade": "a new CQC overall rating of Requires improvement or Inadequate, lower than the one before",
    "inadequate": "any new CQC overall rating of Inadequate, including a first rating and one after Inadequate",
    "closure": "the location is deregistered",
    "suspension": "the council suspends placements at the location",
}

_UNRATED = {
    "not rated", "no published rating", "inspected but not rated",
    "insufficient evidence to rate", "not yet rated", "unrated", "no rating",
}
# Compliance judgements from before CQC's ratings began (October 2014): real API histories still
# carry them in `historicRatings`. They are not ratings, so the import sets them aside.
LEGACY_RATINGS = ("No action", "Compliance action")
_LEGACY_BY_KEY = {r.lower(): r for r in LEGACY_RATINGS}
_RATING_BY_KEY = {r.lower(): r for r in RATINGS}
_KEY_QUESTION_ALIASES = {
    "overall": "overall", "safe": "safe", "effective": "effective", "caring": "caring",
    "responsive": "responsive", "well-led": "well_led", "well led": "well_led", "well_led": "well_led",
}


def financial_year(day: date) -> str:
    """The UK financial year (April to March) a day falls in, as benchmarks name it: 2025/26."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def sql_params() -> dict[str, list[str]]:
    """The vocabularies SQL files use, as bound parameters (`store.Statement.bind` keeps the ones a
    file declares)."""
    return {"ratings_worst_first": list(RATINGS_WORST_FIRST), "poor_ratings": sorted(POOR_RATINGS),
            "good_ratings": sorted(GOOD_RATINGS)}


def normalise_rating(text: str | None) -> str | None:
    """Canonical rating label for any CQC spelling; None for blank; ValueError for nonsense."""
    if text is None:
        return None
    key = re.sub(r"\s+", " ", str(text)).strip().lower()
    if not key:
        return None
    if key in _UNRATED:
        return "Not rated"
    if key in _RATING_BY_KEY:
        return _RATING_BY_KEY[key]
    raise ValueError(f"unknown rating {text!r}; expected one of {', '.join(RATINGS)}")


def is_legacy_rating(text: str | None) -> bool:
    """True for a compliance judgement from before the ratings (`No action`, `Compliance action`),
    in any case or spacing."""
    return re.sub(r"\s+", " ", str(text or "")).strip().lower() in _LEGACY_BY_KEY


def normalise_key_question(text: str) -> str:
    key = re.sub(r"\s+", " ", str(text)).strip().lower()
    try:
        return _KEY_QUESTION_ALIASES[key]
    except KeyError:
        raise ValueError(f"unknown key question {text!r}; expected one of {', '.join(KEY_QUESTIONS)}") from None


# CQC service types (the API's gacServiceTypes description, the bulk files' `Service type - …` column
# suffix or `Service Types` list item) that make a location a home-care agency or a care home.
DOMICILIARY_SERVICE_TYPES = frozenset({"domiciliary care service", "homecare agencies"})
CARE_HOME_SERVICE_TYPES = frozenset({
    "care home service with nursing", "care home service without nursing",
    "residential homes", "nursing homes",
})
REGISTRATION_STATUSES = ("Registered", "Deregistered")


def is_domiciliary(service_types: list[str]) -> bool:
    """True when any of a location's CQC service types is the domiciliary care service (S2 home care)."""
    return any(t.strip().lower() in DOMICILIARY_SERVICE_TYPES for t in service_types)


def provides_care_home_service(service_types: list[str]) -> bool:
    """True when a location's service types include a care home service (for files without the flag)."""
    return any(t.strip().lower() in CARE_HOME_SERVICE_TYPES for t in service_types)


def normalise_registration_status(text: str | None) -> str | None:
    """`Registered` or `Deregistered` in any case; None for blank; ValueError for anything else."""
    key = re.sub(r"\s+", " ", str(text or "")).strip().lower()
    if not key:
        return None
    for status in REGISTRATION_STATUSES:
        if key == status.lower():
            return status
    if key in {"active"}:
        return "Registered"
    if key in {"inactive", "deactivated", "de-registered"}:
        return "Deregistered"
    raise ValueError(f"unknown registration status {text!r}; expected Registered or Deregistered")


def service_kind(care_home: bool, domiciliary: bool) -> str:
    """Care home = CQC care-home flag; home care = domiciliary care service (S2), not a care home."""
    if care_home:
        return "care_home"
    if domiciliary:
        return "home_care"
    return "other"
