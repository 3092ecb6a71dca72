"""How the app writes things for people: dates, numbers, money, RAG and ratings (GOV.UK style).

One place for each rule, so every page says "3 March 2026", "1,240 beds" and "▲ Red" the same way.
RAG and ratings never rely on colour alone: each has a word and a shape, and the colours are
chosen to stay apart under the common colour-vision deficiencies and to reach 3:1 against white.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import polars as pl

from market_oversight.vocab import RAG, RATINGS

# Colour-blind-safe tones, at least 4.5:1 against white so text in them is readable too. Chosen to
# differ in lightness as well as hue, so that each pair stays at least 10 CIEDE2000 apart as seen with
# protanopia, deuteranopia and tritanopia (tests/test_palette.py; the earlier #B2182B / #8A4B00 were
# 4.2 apart for deuteranopes).
RAG_COLOURS = {"red": "#8F0D25", "amber": "#B35906", "green": "#1A8259"}
RAG_SHAPES = {"red": "▲", "amber": "◆", "green": "●"}
# Vega-Lite point shapes matching the characters above, for charts.
RAG_CHART_SHAPES = {"red": "triangle-up", "amber": "diamond", "green": "circle"}
# A service never scored (on the map: services of other kinds), drawn grey and square.
NOT_SCORED_COLOUR = "#505a5f"
NOT_SCORED_CHART_SHAPE = "square"

RATING_COLOURS = {
    "Outstanding": "#1D4E89", "Good": RAG_COLOURS["green"], "Requires improvement": RAG_COLOURS["amber"],
    "Inadequate": RAG_COLOURS["red"], "Not rated": NOT_SCORED_COLOUR,
}
RATING_SHAPES = {
    "Outstanding": "★", "Good": "●", "Requires improvement": "◆", "Inadequate": "▲", "Not rated": "○",
}
RATING_CHART_SHAPES = {
    "Outstanding": "cross", "Good": "circle", "Requires improvement": "diamond",
    "Inadequate": "triangle-up", "Not rated": "square",
}

# RAG in a chart that also shows the services not scored yet (grey, an open square).
RAG_OR_NOT_SCORED_COLOURS = {**RAG_COLOURS, "not scored": RATING_COLOURS["Not rated"]}
RAG_OR_NOT_SCORED_SHAPES = {**RAG_CHART_SHAPES, "not scored": RATING_CHART_SHAPES["Not rated"]}

# A rating against the one before it (the analysts' rating movements): worse in red, better in green.
MOVEMENT_COLOURS = {
    "downgraded": RAG_COLOURS["red"], "unchanged": RATING_COLOURS["Not rated"], "upgraded": RAG_COLOURS["green"],
    "to or from not rated": "#AA33DD",
}

SERVICE_KIND_LABELS = {"care_home": "Care home", "home_care": "Home care", "other": "Other service"}
# Kinds of service in charts: none is a RAG colour (a kind is not a risk); checked like the others.
SERVICE_KIND_COLOURS = {"care_home": "#1D4E89", "home_care": "#AA33DD", "other": "#505a5f"}
# A figure against its benchmark in charts: the figure in the app's blue, the benchmark as black ticks.
FIGURE_COLOUR = SERVICE_KIND_COLOURS["care_home"]
INK = "#0B0C0C"  # GOV.UK's text colour: outlines, ticks and marks that stand for no category
# The map's local authority outlines: a pale fill that the RAG markers stand out on, edged in a dark
# grey (tests/test_palette.py checks 3:1 for both, WCAG 1.4.11); the areas' names are written in INK.
MAP_AREA_FILL = "#F3F2F1"
MAP_AREA_EDGE = "#505A5F"
BENCHMARK_COLOUR = INK
KEY_QUESTION_LABELS = {
    "overall": "Overall", "safe": "Safe", "effective": "Effective", "caring": "Caring",
    "responsive": "Responsive", "well_led": "Well-led",
}
CARE_CATEGORY_LABELS = {
    "residential": "Residential", "residential_dementia": "Residential (dementia)",
    "nursing": "Nursing", "nursing_dementia": "Nursing (dementia)", "home_care": "Home care",
}
CONCERN_STAGE_LABELS = {
    "enhanced_monitoring": "Enhanced monitoring", "serious_concerns": "Serious concerns",
    "large_scale_enquiry": "Large-scale enquiry",
}
OVERSIGHT_NOTICE_LABELS = {
    "sustainability_plan": "Sustainability plan required (s.55)",
    "independent_review": "Independent business review (s.55)",
    "likely_failure": "Likely to fail: councils told (s.56)", "other": "Other Market Oversight notice",
}
SUSPENSION_SCOPE_LABELS = {
    "full": "Full", "partial": "Partial", "voluntary": "Voluntary", "joint": "Joint with the ICB",
}
BENCHMARK_LABELS = {
    "council_usual_rate": "Council usual rate",
    "fair_cost_of_care_median": "Fair Cost of Care median",
    "homecare_association_minimum": "Homecare Association minimum price",
}
DATASET_LABELS = {
    "cqc_register": "CQC register and ratings", "care_home_returns": "Care-home returns",
    "home_care_returns": "Home-care returns", "fee_rates": "Fee rates", "benchmarks": "Benchmarks",
}
# The backtest's event types (market_oversight.vocab.EVENT_TYPES defines them) as a sentence names them.
EVENT_TYPE_LABELS = {
    "downgrade": "a downgrade to Requires improvement or Inadequate", "inadequate": "an Inadequate rating",
    "closure": "a closure", "suspension": "a placement suspension",
}
MISSING = "Not known"


# Every ASCII punctuation mark, each of which Markdown lets a backslash escape; line breaks.
_MARKDOWN_SIGN = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_NOT_A_LINK = re.compile(r"\\[:.@]")
WORD_JOINER = "\u2060"


def as_typed(value: object) -> str:
    """Text a person typed (a note, a reason, a name), for a page that writes Markdown: every
    punctuation mark escaped and line breaks made spaces, so it shows exactly as typed, never as a
    link, an image, a heading, a list or HTML (an image would be fetched for every reader). The
    text copied from the page holds invisible word joiners in web and e-mail addresses."""
    if _blank(value):
        return MISSING
    escaped = _MARKDOWN_SIGN.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(value)))
    # Streamlit also turns web and e-mail addresses in plain text into links, after the escapes are
    # read; an invisible word joiner each side of every ':', '.' and '@' keeps them text.
    return _NOT_A_LINK.sub(WORD_JOINER + "\\g<0>" + WORD_JOINER, escaped)


def message(text: str) -> str:
    """A message of ours for a page that writes Markdown: it may quote what others wrote (a file's
    name or column headers, a provider's name), so each line shows as typed (`as_typed`), and its
    line breaks stay line breaks."""
    return "  \n".join(as_typed(line) for line in str(text).splitlines())


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def long_date(value: date | datetime | str | None) -> str:
    """3 March 2026 (GOV.UK style: no leading zero, month in full)."""
    if _blank(value):
        return MISSING
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value.day} {value:%B %Y}"


def date_time(value: datetime | None) -> str:
    """3 March 2026 at 2:05pm."""
    if _blank(value):
        return MISSING
    hour = value.hour % 12 or 12
    return f"{long_date(value)} at {hour}:{value:%M}{'am' if value.hour < 12 else 'pm'}"


def month(value: date | None) -> str:
    """March 2026."""
    return MISSING if _blank(value) else f"{value:%B %Y}"


def count(value: float | int | None, unit: str | None = None, plural: str | None = None) -> str:
    """1,240 beds; 1 bed. Units are named so that a number never stands alone."""
    if _blank(value):
        return MISSING
    number = f"{value:,.0f}"
    if unit is None:
        return number
    word = unit if round(value) == 1 else (plural or f"{unit}s")
    return f"{number} {word}"


def impact(value: float | None) -> str:
    """An impact score (0 to 100) as a whole number; "Not known" when its inputs are missing (a
    home-care service without returns, a care home with no beds known): never shown as 0."""
    return MISSING if _blank(value) else f"{value:.0f}"


def percent(value: float | None, digits: int = 0) -> str:
    """A share (0 to 1) as 87%."""
    return MISSING if _blank(value) else f"{value * 100:.{digits}f}%"


def _rounded(value: float, as_percent_points: bool) -> float:
    """A change as it is written: whole units, or percentage points to one decimal place."""
    return round(value * 100, 1) if as_percent_points else round(value)


def change(value: float | int | None, unit: str | None = None, plural: str | None = None, *,
           as_percent_points: bool = False) -> str | None:
    """+3 beds, −1 bed, −2, +1.5 percentage points: the change since the last period, with its sign
    (units named as `count` names them); "No change" when it rounds to nothing; None when there is
    no earlier figure (a metric then shows no change at all, rather than an arrow)."""
    if _blank(value):
        return None
    shown = _rounded(value, as_percent_points)
    if shown == 0:
        return "No change"
    sign = "+" if shown > 0 else "−"
    if as_percent_points:
        return f"{sign}{abs(shown):.1f} percentage points"
    return f"{sign}{count(abs(shown), unit, plural)}"


def change_arrow(value: float | int | None, *, as_percent_points: bool = False) -> str:
    """The arrow a change is drawn with ("up", "down" or "off"), from the change as `change` writes
    it: a rise up, a fall down, no arrow for no change or no earlier figure. (Streamlit reads the
    direction from a leading ASCII hyphen, which the typographic minus of `change` is not.)"""
    if _blank(value):
        return "off"
    shown = _rounded(value, as_percent_points)
    return "up" if shown > 0 else "down" if shown < 0 else "off"


def money_difference(value: float | None) -> str:
    """A difference in money with its sign: +£12.40, −£165.60, £0.00."""
    if _blank(value):
        return MISSING
    pence = round(value, 2)
    sign = "+" if pence > 0 else "−" if pence < 0 else ""
    return f"{sign}£{abs(pence):,.2f}"


PER_UNIT = {"week": "a week", "hour": "an hour"}


def per_unit(unit: str | None) -> str:
    """A rate's unit as a phrase: "a week", "an hour"."""
    return PER_UNIT.get(unit or "", f"per {unit}" if unit else "")


def money(value: float | None, unit: str | None = None) -> str:
    """£812.50 a week; £28.53 an hour."""
    if _blank(value):
        return MISSING
    return f"£{value:,.2f} {per_unit(unit)}".strip()


def received(value: date | datetime | str | None) -> str:
    """When a return arrived: its date, or "Not received"."""
    return "Not received" if _blank(value) else long_date(value)


def rag(value: str | None) -> str:
    """▲ Red, ◆ Amber, ● Green: the word always, the shape so that no one depends on colour."""
    if _blank(value) or value not in RAG:
        return "Not scored"
    return f"{RAG_SHAPES[value]} {value.capitalize()}"


def rating(value: str | None) -> str:
    """★ Outstanding, ● Good, ◆ Requires improvement, ▲ Inadequate, ○ Not rated."""
    if _blank(value) or value not in RATINGS:
        return "No rating yet"
    return f"{RATING_SHAPES[value]} {value}"


def service_kind(value: str | None) -> str:
    return SERVICE_KIND_LABELS.get(value or "", MISSING)


def key_question(value: str) -> str:
    return KEY_QUESTION_LABELS.get(value, value.replace("_", " ").capitalize())


def care_category(value: str | None) -> str:
    return CARE_CATEGORY_LABELS.get(value or "", value or MISSING)


def benchmark(value: str | None) -> str:
    return BENCHMARK_LABELS.get(value or "", value or MISSING)


def event_type(value: str) -> str:
    return EVENT_TYPE_LABELS.get(value, value.replace("_", " "))


def dataset(value: str | None) -> str:
    return DATASET_LABELS.get(value or "", (value or MISSING).replace("_", " ").capitalize())


def label(name: str) -> str:
    """A column name as a heading: `late_returns` → `Late returns`."""
    return name.replace("_", " ").capitalize()


def suspension_scope(scope: str | None, categories: list[str] | None = None) -> str:
    """Full; Partial: nursing, nursing (dementia); Joint with the ICB. (No scope recorded is full.)"""
    words = SUSPENSION_SCOPE_LABELS.get(scope or "full", MISSING)
    kinds = [CARE_CATEGORY_LABELS.get(c, c) for c in categories or []]
    return f"{words}: {', '.join(k[0].lower() + k[1:] for k in kinds)}" if kinds else words


def oversight_notice(kind: str | None) -> str:
    return OVERSIGHT_NOTICE_LABELS.get(kind or "", MISSING)


def concern_stage(stage: str | None) -> str:
    """Serious concerns; `No concerns process` where there is none."""
    return CONCERN_STAGE_LABELS.get(stage or "", "No concerns process")


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


# ---- cells of an analyst's table (a report, the market report) --------------------------------------
# A column's name says what its numbers are: words in it pick the rule. A share (0 to 1) is a percent;
# a column already in percent ends in `_pct` or starts `pct_`; money is pounds and pence.
_SHARE_WORDS = frozenset({"occupancy", "share", "precision", "recall"})
_MONEY_WORDS = frozenset({"fee", "amount", "cost", "gap", "price"})
_MONTH_NAMES = frozenset({"period", "month"})
RATING_COLUMNS = frozenset({"rating", "latest_overall_rating", "previous_rating"})


def table_value(column: str, value: object) -> str:
    """A value in an analyst's table, written by its column's name: 1,240; 87.5%; £812.50; 3 March
    2026; ▲ Red; never more than two decimal places."""
    if _blank(value):
        return MISSING
    words = set(column.lower().split("_"))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return date_time(value)
    if isinstance(value, date):
        return month(value) if words & _MONTH_NAMES else long_date(value)
    if isinstance(value, str):
        if column in _CODED:
            return _CODED[column](value)
        return rating(value) if column in RATING_COLUMNS and value in RATINGS else value
    if not isinstance(value, int | float):
        return str(value)
    if "pct" in words:
        return f"{value:.1f}%"
    if words & _SHARE_WORDS or "_to_" in column:
        return percent(value, 1)
    if words & _MONEY_WORDS:
        return money(value)
    if isinstance(value, int) or float(value).is_integer():
        return count(value)
    return f"{value:,.2f}"


_CODED = {"rag": rag, "service_kind": service_kind, "care_category": care_category, "benchmark": benchmark}


def table_heading(column: str) -> str:
    """A column's heading: a RAG or rating with its shape (pivoted tables), else its name in words."""
    if column in RAG:
        return rag(column)
    if column in RATINGS:
        return rating(column)
    return label(column)


# ---- words for a whole column ---------------------------------------------------------------------
# Never a Python function inside a polars expression (`map_elements`): polars runs those on its
# worker threads, which must take Python's GIL, while some polars calls (`to_pandas`) hold the GIL
# and wait for those same workers; two pages drawn at once then froze the whole app, every user's
# session and its health check with it (bench/browser_load.py, 7 December 2026; polars issues #10970
# and #26832 describe the same). These put a column into words here, in the page's own thread.

def texts(values: pl.Series, to_text: Callable[[Any], str | None], *, nulls: bool = False) -> pl.Series:
    """`to_text` of each value of `values`, as a text column of the same name; a missing value stays
    missing unless `nulls` (then `to_text` is given None too)."""
    return pl.Series(values.name, [to_text(v) if v is not None or nulls else None for v in values.to_list()],
                     dtype=pl.String)


def texts_of(frame: pl.DataFrame, columns: Sequence[str], to_text: Callable[..., str | None]) -> pl.Series:
    """`to_text(*row)` of each row of `frame`'s `columns`, as a text column."""
    return pl.Series(columns[0], [to_text(*row) for row in frame.select(columns).iter_rows()], dtype=pl.String)
