"""A failure rehearsal: if this home, agency, provider or brand stopped tomorrow, who is affected,
where could they go, how many could not be placed, and who must be told (Care Act 2014 s.48-52).

Everything comes from the warehouse as it stands (mart.service_capacity): the latest returns'
people by funder, vacant beds accepting admissions, home-care hours and spare hours, the register's
care categories and coordinates, and the RAG in force. `rehearse` is the one entry point; the CLI,
the app page and the contingency pack all draw what it returns.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import duckdb
import polars as pl

from market_oversight.errors import NotFound, RehearsalError
from market_oversight.queries import contingency
from market_oversight.store import query
from market_oversight.vocab import RAG, RATINGS_WORST_FIRST

SCOPES = ("location", "provider", "brand")
DEFAULT_WITHIN_KM = 20.0
MAX_WITHIN_KM = 200.0
# A red service is not a destination; green before amber (a service not yet scored comes last).
DESTINATION_RAGS = tuple(r for r in reversed(RAG) if r != "red")
CARE_HOME_CATEGORIES = ("residential", "residential_dementia", "nursing", "nursing_dementia")
HOME_CARE = "home_care"
# The funders the returns name: other councils' placements are an optional column of the care-home
# return (residents placed and paid for by other councils: their own duties to them stand).
FUNDERS = ("council", "other_councils", "nhs", "self_funded")
CAPACITY = "rehearsal_capacity"   # the name sql/rehearsal/in_scope.sql and destinations.sql read
# What the returns do not carry yet, said wherever a rehearsal is shown.
CAVEATS = (
    "Placing councils: the returns count residents placed by other councils, not which councils; "
    "each host council's placement records name them.",
    "Distances are as the crow flies between postcodes; a home-care agency is placed at its office.",
    "Home-care hours are a week's share (12/52) of the month's hours delivered in the latest return; "
    "spare hours are the agencies' own 'can take on more hours' figures for a week.",
)


@dataclass(frozen=True)
class Rehearsal:
    """One rehearsal's answer. Frames are polars; `to_dict` gives the CLI's JSON."""

    scope: str
    id: str
    name: str | None
    within_km: float
    locations: pl.DataFrame      # the services in scope, with what was placed and the shortfall
    destinations: pl.DataFrame   # one row per destination, nearest first
    shortfall: pl.DataFrame      # one row per care category: needed, placed, shortfall, unit
    notify: pl.DataFrame         # who to tell: one row per organisation or group
    people: dict[str, dict[str, float]]
    as_of: dict[str, date | None]
    notes: list[str] = field(default_factory=list)
    # the contingency register's rows for the providers in scope (plan, overdue review, notices)
    contingency: pl.DataFrame = field(default_factory=pl.DataFrame)

    def to_dict(self) -> dict[str, object]:
        return {
            "scope": self.scope, "id": self.id, "name": self.name, "within_km": self.within_km,
            "as_of": {k: v.isoformat() if v else None for k, v in self.as_of.items()},
            "locations": self.locations.to_dicts(), "people": self.people,
            "destinations": self.destinations.to_dicts(), "shortfall": self.shortfall.to_dicts(),
            "notify": self.notify.to_dicts(), "notes": self.notes,
            "contingency": self.contingency.to_dicts(),
        }


def rehearse(con: duckdb.DuckDBPyConnection, scope: str, id: str,
             within_km: float = DEFAULT_WITHIN_KM) -> Rehearsal:
    """Rehearse the failure of one location, every location of a provider, or of a brand."""
    scope, id, within_km = _checked(scope, id, within_km)
    known = query(con, "rehearsal/register_count", scope=scope, id=id).row(0, named=True)
    if not known["locations"]:
        raise NotFound(f"There is no {scope} with ID {id!r} in the register; check the CQC {scope} ID "
                       f"(on the provider profile or CQC's website).")
    failing, pairs = _read(con, scope, id, within_km)
    if failing.is_empty():
        raise RehearsalError(f"The {scope} {id!r} ({known['name']}) has no registered care home or "
                             f"home-care agency to rehearse; nothing was worked out.")
    need = _needs(failing)
    placed, taken = allocate(pairs, need)
    locations = _with_shortfall(failing, need, placed)
    notes = list(CAVEATS) + _gaps(failing, known["other_services"])
    return Rehearsal(
        scope=scope, id=id, name=known["name"], within_km=within_km, locations=locations,
        destinations=_destinations(pairs, taken), shortfall=_shortfall(locations),
        notify=notify(failing), people=people(failing), as_of=_as_of(con, failing), notes=notes,
        contingency=contingency.register(con, failing["provider_id"].drop_nulls().to_list()))


def _read(con: duckdb.DuckDBPyConnection, scope: str, id: str,
          within_km: float) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The services in scope, and each one's destinations within reach (nearest first). The mart is
    worked out once and bound on this cursor (whose live casework decides the RAG), and both
    questions are asked of that."""
    con.register(CAPACITY, query(con, "rehearsal/capacity").to_arrow())
    try:
        failing = query(con, "rehearsal/in_scope", scope=scope, id=id)
        pairs = query(con, "rehearsal/destinations", failing_ids=failing["location_id"].to_list(),
                      within_km=within_km, destination_rags=list(DESTINATION_RAGS),
                      ratings_worst_first=list(RATINGS_WORST_FIRST))
    finally:
        con.unregister(CAPACITY)
    return failing, pairs


def _checked(scope: str, id: str, within_km: float) -> tuple[str, str, float]:
    if scope not in SCOPES:
        raise RehearsalError(f"cannot rehearse a {scope!r}: choose one of {', '.join(SCOPES)}")
    if not (id or "").strip():
        raise RehearsalError(f"give the CQC {scope} ID to rehearse")
    if not 0 < within_km <= MAX_WITHIN_KM:
        raise RehearsalError(f"the distance must be more than 0 and at most {MAX_WITHIN_KM:g} km, "
                             f"not {within_km:g}")
    return scope, id.strip(), float(within_km)


def _needs(failing: pl.DataFrame) -> dict[str, float]:
    """What each service in scope needs elsewhere: beds for its residents, or hours a week."""
    return {r["location_id"]: float((r["hours_per_week"] if r["service_kind"] == "home_care" else r["people"]) or 0)
            for r in failing.iter_rows(named=True)}


def allocate(pairs: pl.DataFrame, need: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """Place people (or hours) nearest first: pairs come ordered by distance, RAG and rating, and
    each pair takes what it can of the one's need and the other's room. Returns what was placed
    per service in scope and what was taken per destination. A whole-number need (beds) is placed
    in whole beds; hours may be split."""
    left = dict(need)
    room: dict[str, float] = {}
    placed: dict[str, float] = defaultdict(float)
    taken: dict[str, float] = defaultdict(float)
    for from_id, to_id, to_room in pairs.select("from_location_id", "location_id", "room").iter_rows():
        room.setdefault(to_id, float(to_room or 0))
        give = min(left.get(from_id, 0.0), room[to_id])
        if give <= 0:
            continue
        left[from_id] -= give
        room[to_id] -= give
        placed[from_id] += give
        taken[to_id] += give
    return dict(placed), dict(taken)


def _with_shortfall(failing: pl.DataFrame, need: dict[str, float], placed: dict[str, float]) -> pl.DataFrame:
    ids = failing["location_id"]
    return failing.with_columns(
        pl.Series("need", [need[i] for i in ids], dtype=pl.Float64),
        pl.Series("placed", [placed.get(i, 0.0) for i in ids], dtype=pl.Float64),
    ).with_columns(
        (pl.col("need") - pl.col("placed")).round(6).alias("shortfall"),
        pl.when(pl.col("service_kind") == "home_care").then(pl.lit("hours a week"))
        .otherwise(pl.lit("beds")).alias("unit"),
    )


def _destinations(pairs: pl.DataFrame, taken: dict[str, float]) -> pl.DataFrame:
    """One row per destination, at its distance from the nearest service in scope; pairs are
    already in rank order, so the first row of each destination is its best."""
    best = pairs.unique(subset="location_id", keep="first", maintain_order=True)
    return best.select(
        "location_id", "location_name", "provider_name", "care_category", "local_authority",
        pl.col("distance_km").round(2), "rag", "latest_overall_rating", "room",
        pl.col("location_id").replace_strict(taken, default=0.0, return_dtype=pl.Float64).alias("offered"),
        pl.col("from_location_id").alias("nearest_to"),
    )


def _shortfall(locations: pl.DataFrame) -> pl.DataFrame:
    """Per care category: what is needed, what the destinations within reach can take, what not."""
    return (locations.group_by("care_category", "unit")
            .agg(pl.len().alias("locations"), pl.col("need").sum(), pl.col("placed").sum(),
                 pl.col("shortfall").sum())
            .sort(pl.col("care_category").replace_strict(
                {c: i for i, c in enumerate((*CARE_HOME_CATEGORIES, HOME_CARE))}, default=99)))


def people(failing: pl.DataFrame) -> dict[str, dict[str, float]]:
    """People by funder (the three the returns give, and those the return counts but no funder
    names), and by kind of care. 'dementia' counts residents of dementia homes of either kind, so
    it overlaps 'residential' and 'nursing'; home care is people and hours a week."""
    homes = failing.filter(pl.col("service_kind") == "care_home")
    care = failing.filter(pl.col("service_kind") == "home_care")

    def total(df: pl.DataFrame, column: str) -> float:
        value = round(float(df[column].fill_null(0).sum()), 1)
        return int(value) if value.is_integer() else value

    funders = {f: total(failing, f"people_{f}") if f"people_{f}" in failing.columns else 0 for f in FUNDERS}
    everyone = total(failing, "people")
    funders["not_known"] = max(everyone - sum(funders.values()), 0.0)
    by_category = {c: total(homes.filter(pl.col("care_category") == c), "people") for c in CARE_HOME_CATEGORIES}
    return {
        "by_funder": funders,
        "by_kind": {
            "residential": by_category["residential"] + by_category["residential_dementia"],
            "nursing": by_category["nursing"] + by_category["nursing_dementia"],
            "dementia": by_category["residential_dementia"] + by_category["nursing_dementia"],
            "home_care": total(care, "people"),
        },
        "by_category": by_category,
        "totals": {"people": everyone, "care_home_residents": total(homes, "people"),
                   "home_care_people": total(care, "people"), "home_care_hours_a_week": total(care, "hours_per_week")},
    }


def notify(failing: pl.DataFrame) -> pl.DataFrame:
    """Who to tell, as a list: each host council (for everyone in its area: its duty under s.48 does
    not depend on who pays), the councils that placed residents there (counted by host council
    area, where the returns give other councils' placements), each ICB (its NHS-funded people), CQC,
    and the families of self-funders in each council's area (as counts)."""
    def grouped(key: str, who: str, people_column: str, why: str) -> pl.DataFrame:
        return (failing.group_by(pl.col(key).fill_null("Not known").alias("organisation"))
                .agg(pl.len().alias("locations"), pl.col(people_column).fill_null(0).sum().alias("people"))
                .with_columns(pl.lit(who).alias("who"), pl.lit(why).alias("why"))
                .sort("organisation"))

    everyone = pl.DataFrame({"organisation": ["Care Quality Commission"], "locations": [failing.height],
                             "people": [failing["people"].fill_null(0).sum()], "who": ["CQC"],
                             "why": ["regulator of every service in scope; Market Oversight for the largest providers"]},
                            schema_overrides={"locations": pl.UInt32, "people": pl.Int64})
    placed = (grouped("local_authority", "Placing councils", "people_other_councils",
                      "other councils' residents placed here: each keeps its duties to the people it placed")
              .filter(pl.col("people") > 0)
              .with_columns(("Councils placing residents in " + pl.col("organisation")).alias("organisation")))
    parts = [
        grouped("local_authority", "Host council", "people", "must meet the needs of everyone in the service in its area"),
        placed,
        grouped("icb_name", "Integrated care board", "people_nhs", "NHS-funded people (for example continuing healthcare)"),
        everyone,
        grouped("local_authority", "Families of self-funders", "people_self_funded", "people paying for their own care, by council area"),
    ]
    columns = ["who", "organisation", "locations", "people", "why"]
    return pl.concat([p.select(pl.col(c).cast(everyone.schema[c]) if c in ("locations", "people") else pl.col(c)
                               for c in columns) for p in parts])


def _gaps(failing: pl.DataFrame, other_services: int) -> list[str]:
    gaps = []
    silent = failing.filter((pl.col("service_kind") == "care_home") & pl.col("return_period").is_not_null()
                            & pl.col("people_other_councils").is_null()).height
    if silent:
        gaps.append(f"{silent} of the care homes in scope do not say in their return how many residents other "
                    f"councils placed: any there are counted under 'funder not given', and no placing council is listed.")
    no_return = failing.filter(pl.col("return_period").is_null()).height
    if no_return:
        gaps.append(f"{no_return} of the services in scope have sent no return: their people are not counted.")
    unplaced = failing.filter(pl.col("latitude").is_null() | pl.col("longitude").is_null()).height
    if unplaced:
        gaps.append(f"{unplaced} of the services in scope have no coordinates: no destination was looked for.")
    if other_services:
        gaps.append(f"{other_services} other registered services (neither care homes nor home care) "
                    f"are in scope but not rehearsed.")
    return gaps


def _as_of(con: duckdb.DuckDBPyConnection, failing: pl.DataFrame) -> dict[str, date | None]:
    """The data's dates: the register snapshot, the latest score, the oldest and newest return used."""
    dates = query(con, "rehearsal/as_of").row(0, named=True)
    periods = failing["return_period"].drop_nulls()
    return {**dates,
            "oldest_return": periods.min() if periods.len() else None,
            "newest_return": periods.max() if periods.len() else None}
