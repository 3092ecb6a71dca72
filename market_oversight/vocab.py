"""Vocabularies: the one place that knows ratings, key questions, service kinds and RAG."""

from __future__ import annotations

import re

KEY_QUESTIONS = ("overall", "safe", "effective", "caring", "responsive", "well_led")

RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate", "Not rated")
POOR_RATINGS = frozenset({"Requires improvement", "Inadequate"})
# Higher is better; unrated has no rank.
RATING_RANK = {"Outstanding": 4, "Good": 3, "Requires improvement": 2, "Inadequate": 1}

SERVICE_KINDS = ("care_home", "home_care", "other")
RAG = ("red", "amber", "green")

_UNRATED = {
    "not rated", "no published rating", "inspected but not rated",
    "insufficient evidence to rate", "not yet rated", "unrated",
}
_RATING_BY_KEY = {r.lower(): r for r in RATINGS}
_KEY_QUESTION_ALIASES = {
    "overall": "overall", "safe": "safe", "effective": "effective", "caring": "caring",
    "responsive": "responsive", "well-led": "well_led", "well led": "well_led", "well_led": "well_led",
}


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


def normalise_key_question(text: str) -> str:
    key = re.sub(r"\s+", " ", str(text)).strip().lower()
    try:
        return _KEY_QUESTION_ALIASES[key]
    except KeyError:
        raise ValueError(f"unknown key question {text!r}; expected one of {', '.join(KEY_QUESTIONS)}") from None


def service_kind(care_home: bool, domiciliary: bool) -> str:
    """Care home = CQC care-home flag; home care = domiciliary care service (S2), not a care home."""
    if care_home:
        return "care_home"
    if domiciliary:
        return "home_care"
    return "other"
