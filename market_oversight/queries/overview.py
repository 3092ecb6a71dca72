"""The market overview: headline figures now and a month earlier, ratings mix, map, capacity, fees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from market_oversight import fmt, vocab
from market_oversight.queries.filters import MarketFilter
from market_oversight.queries.watchlist import concern_stage, rag_words
from market_oversight.store import query

HEADLINES = ("locations", "beds", "occupancy_rate", "good_or_better_share", "red", "amber")
HOME_CARE_HEADLINES = ("hours_delivered", "people_supported", "packages_handed_back", "spare_hours_a_week",
                       "agencies_with_spare_capacity", "agencies_returned")


@dataclass(frozen=True)
class Headline:
    name: str
    now: float | None
    month_ago: float | None

    @property
    def change(self) -> float | None:
        if self.now is None or self.month_ago is None:
            return None
        return self.now - self.month_ago


def headline(con: duckdb.DuckDBPyConnection, market: MarketFilter, as_of: date) -> dict[str, Headline]:
    """Each headline figure at `as_of` and one month before it."""
    now = _headline_row(con, market, as_of)
    before = _headline_row(con, market, month_before(as_of))
    # Occupancy comes from returns, which lag: compare the latest month returned with the month before it.
    if now["occupancy_month"] is not None:
        earlier = _headline_row(con, market, month_before(now["occupancy_month"]))
        before["occupancy_rate"], before["occupancy_month"] = earlier["occupancy_rate"], earlier["occupancy_month"]
    return {name: Headline(name, now[name], before[name]) for name in HEADLINES} | {
        "scored_on": Headline("scored_on", now["scored_on"], before["scored_on"]),
        "occupancy_month": Headline("occupancy_month", now["occupancy_month"], before["occupancy_month"]),
    }


def home_care_headline(con: duckdb.DuckDBPyConnection, market: MarketFilter, as_of: date) -> dict[str, Headline]:
    """Home-care figures from the latest month of home-care returns and the month before it (returns
    lag, as for occupancy); "period" holds the two months (None while none is loaded)."""
    now = _home_care_row(con, market, as_of)
    before = _home_care_row(con, market, month_before(now["period"])) if now["period"] else dict.fromkeys(now)
    return {name: Headline(name, now[name], before[name]) for name in (*HOME_CARE_HEADLINES, "period")}


def _home_care_row(con: duckdb.DuckDBPyConnection, market: MarketFilter, as_of: date) -> dict:
    return query(con, "queries/overview_home_care", as_of=as_of, **market.params()).row(0, named=True)


@dataclass(frozen=True)
class Metric:
    """One headline figure as `st.metric` draws it: the change's arrow follows its sign (none for no
    change), and no colour says good or bad (delta_color "off"): a rise in beds or red counts is news,
    not a verdict."""
    label: str
    value: str
    delta: str | None = None
    arrow: str = "off"
    help: str | None = None


def _metric(label: str, value: str, h: Headline, unit: str | None = None, plural: str | None = None, *,
            points: bool = False, help: str | None = None) -> Metric:
    return Metric(label, value, fmt.change(h.change, unit, plural, as_percent_points=points),
                  fmt.change_arrow(h.change, as_percent_points=points), help)


def shows_care_homes(service_kind: str | None) -> bool:
    return service_kind in (None, "care_home")


def shows_home_care(service_kind: str | None) -> bool:
    return service_kind in (None, "home_care")


def headline_metrics(h: dict[str, Headline], home: dict[str, Headline] | None,
                     service_kind: str | None) -> list[Metric]:
    """The headline figures for the kind of service chosen: beds and occupancy for care homes; hours,
    people supported, packages handed back and spare capacity (from home-care returns) for home care;
    both when every kind is shown."""
    metrics = [
        _metric("Active locations", fmt.count(h["locations"].now), h["locations"], "location"),
        _metric("Rated Good or Outstanding", fmt.percent(h["good_or_better_share"].now),
                h["good_or_better_share"], points=True,
                help="Share of rated locations whose latest overall CQC rating is Good or Outstanding."),
        _metric(fmt.rag("red"), fmt.count(h["red"].now, "location"), h["red"]),
        _metric(fmt.rag("amber"), fmt.count(h["amber"].now, "location"), h["amber"]),
    ]
    if shows_care_homes(service_kind):
        metrics += [
            _metric("Registered beds", fmt.count(h["beds"].now, "bed"), h["beds"], "bed"),
            _metric("Care-home occupancy", fmt.percent(h["occupancy_rate"].now), h["occupancy_rate"], points=True,
                    help="Occupied beds as a share of beds in the latest month of returns, against the month before."),
        ]
    if shows_home_care(service_kind) and home is not None:
        metrics += [
            _metric("Home-care hours delivered", fmt.count(home["hours_delivered"].now, "hour"),
                    home["hours_delivered"], "hour", help="Hours of care delivered in the month, from the returns."),
            _metric("People supported at home", fmt.count(home["people_supported"].now, "person", "people"),
                    home["people_supported"], "person", "people"),
            _metric("Packages handed back", fmt.count(home["packages_handed_back"].now, "package"),
                    home["packages_handed_back"], "package",
                    help="Packages of care handed back to the council in the month."),
            _metric("Spare home-care capacity", fmt.count(home["spare_hours_a_week"].now, "hour") + " a week"
                    if home["spare_hours_a_week"].now is not None else fmt.MISSING,
                    home["spare_hours_a_week"], "hour",
                    help="Extra hours a week that agencies say they can take on, from the returns."),
        ]
    return metrics


def headline_notes(h: dict[str, Headline], home: dict[str, Headline] | None, service_kind: str | None) -> list[str]:
    """What the headline figures come from, for the kind of service chosen."""
    notes = []
    if shows_care_homes(service_kind):
        notes.append("No care-home returns loaded yet, so occupancy is not known." if h["occupancy_rate"].now is None
                     else f"Occupancy from the care-home returns for {fmt.month(h['occupancy_month'].now)}, "
                          f"against {fmt.month(h['occupancy_month'].month_ago)}.")
    if shows_home_care(service_kind) and home is not None:
        period = home["period"]
        notes.append("No home-care returns loaded yet, so hours, people supported and spare capacity are not known."
                     if period.now is None else
                     f"Home care from the returns for {fmt.month(period.now)} "
                     f"({fmt.plural(int(home['agencies_returned'].now), 'agency', 'agencies')} returned; "
                     f"{home['agencies_with_spare_capacity'].now:,} can take on more hours), against "
                     f"{fmt.month(period.month_ago)}.")
    if h["scored_on"].now is None:
        notes.append("No risk scores yet: run `market-oversight score` to score every location.")
    else:
        notes.append(f"Red and amber counts from the risk score of {fmt.long_date(h['scored_on'].now)}"
                     + ("." if h["red"].change is not None else "; there is no score a month earlier to compare with."))
    return notes


def month_before(day: date) -> date:
    """The same day of the previous month (the month's last day when it is shorter)."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _headline_row(con: duckdb.DuckDBPyConnection, market: MarketFilter, as_of: date) -> dict:
    df = query(con, "queries/overview_headline", as_of=as_of, good_ratings=vocab.sql_params()["good_ratings"],
               **market.params())
    return df.row(0, named=True)


def ratings_mix(con: duckdb.DuckDBPyConnection, market: MarketFilter, as_of: date,
                quarters: int = 9) -> pl.DataFrame:
    """Active locations per overall rating on `as_of` and quarterly before it (two years by default)."""
    return query(con, "queries/overview_ratings_mix", as_of=as_of, quarters=quarters, **market.params())


def good_share(month: pl.DataFrame) -> float | None:
    """The share of one month's rated locations (in `ratings_mix`'s rows) rated Good or Outstanding,
    as the headline figure counts them; None when none is rated."""
    rated = month.filter(pl.col("rating") != "Not rated")["locations"].sum()
    good = month.filter(pl.col("rating").is_in(sorted(vocab.GOOD_RATINGS)))["locations"].sum()
    return good / rated if rated else None


def ratings_mix_for_people(mix: pl.DataFrame) -> tuple[pl.DataFrame, str]:
    """`ratings_mix` with its rating and month in words, and a sentence on how the share rated Good
    or Outstanding moved from the first month to the last."""
    table = mix.with_columns(fmt.texts(mix["rating"], fmt.rating).alias("Rating"),
                             fmt.texts(mix["month_end"], fmt.month).alias("Month"))
    first, last = (mix.filter(pl.col("month_end") == day) for day in (mix["month_end"].min(), mix["month_end"].max()))
    return table, (f"The share of rated locations rated Good or Outstanding went from "
                   f"{fmt.percent(good_share(first))} in {fmt.month(first['month_end'][0])} to "
                   f"{fmt.percent(good_share(last))} in {fmt.month(last['month_end'][0])}.")


def map_for_people(points: pl.DataFrame, max_green: int) -> tuple[pl.DataFrame, str]:
    """The points to draw (green ones left off beyond `max_green` points in all), with RAG, kind of
    service and concerns in words, and a sentence counting every point by RAG."""
    # only the green are left off: an unscored point ('not scored' from the SQL, or no RAG) stays
    shown = points if points.height <= max_green else points.filter(pl.col("rag").ne_missing("green"))
    shown = shown.with_columns(
        rag_words().alias("RAG"),
        fmt.texts(shown["service_kind"], fmt.service_kind, nulls=True).alias("Kind of service"),
        concern_stage().alias("Concerns"),
    )
    scored = {r: points.filter(pl.col("rag") == r).height for r in vocab.RAG}
    counts = [f"{n} {r}" for r, n in scored.items()]
    unscored = points.height - sum(scored.values())  # 'not scored' (services of other kinds), or none
    if unscored:  # counted, so that the figures add up to the total
        counts.append(f"{unscored} not scored")
    left_off = " (green locations left off the map because there are so many)" if shown.height < points.height else ""
    return shown, (f"{fmt.plural(points.height, 'location')} on the map: {', '.join(counts[:-1])} and "
                   f"{counts[-1]}{left_off}.")


def capacity_for_people(capacity: pl.DataFrame) -> tuple[pl.DataFrame, str]:
    """`capacity` as a table for people, and a sentence of locations and beds by kind of service."""
    table = capacity.select(
        pl.col("local_authority").alias("Local authority"),
        pl.col("icb_name").alias("ICB"),
        fmt.texts(capacity["service_kind"], fmt.service_kind).alias("Kind of service"),
        pl.col("locations").alias("Locations"),
        pl.col("registered_beds").alias("Registered beds"),
        pl.col("occupied_beds").alias("Occupied beds (latest returns)"),
        (pl.col("occupancy_rate") * 100).round(1).alias("Occupancy (%)"),
    )
    by_kind = table.group_by("Kind of service").agg(pl.col("Registered beds").sum(), pl.col("Locations").sum())
    return table, "; ".join(f"{r['Kind of service']}: {fmt.count(r['Locations'], 'location')}"
                            + (f", {fmt.count(r['Registered beds'], 'bed')}" if r["Registered beds"] else "")
                            for r in by_kind.sort("Kind of service").iter_rows(named=True)) + "."


def map_points(con: duckdb.DuckDBPyConnection, market: MarketFilter) -> pl.DataFrame:
    return query(con, "queries/overview_map", **market.params())


def area_spread(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Each local authority's locations' centre and spread (the demo's outlines are drawn from it)."""
    return query(con, "queries/map_area_spread")


def capacity(con: duckdb.DuckDBPyConnection, market: MarketFilter) -> pl.DataFrame:
    return query(con, "queries/overview_capacity", **market.params())


def fees(con: duckdb.DuckDBPyConnection, market: MarketFilter, as_of: date) -> pl.DataFrame:
    return query(con, "queries/overview_fees", as_of=as_of, **market.params())


# A unit's panel: its heading and the name its table and download go by.
FEE_PANELS = {"week": ("Care homes, per week", "care-home fees"), "hour": ("Home care, per hour", "home-care fees")}


@dataclass(frozen=True)
class FeePanel:
    """The fees paid for one unit (per week or per hour), each drawn on its own axis: the median paid
    once per care category, and the benchmarks beside it as marks."""
    unit: str
    title: str
    name: str
    paid: pl.DataFrame        # one row per care category
    benchmarks: pl.DataFrame  # one row per care category and benchmark
    summary: str


def fee_panels(fees: pl.DataFrame) -> list[FeePanel]:
    """`fees` (one row per care category and benchmark, as `fees` returns it) as one panel per unit."""
    panels = []
    units = fees["unit"].unique().to_list()
    for unit in [u for u in FEE_PANELS if u in units] + sorted(u for u in units if u not in FEE_PANELS):
        rows = fees.filter(pl.col("unit") == unit)
        paid = (rows.select("care_category", "unit", "rates", "median_paid", "lowest_paid", "highest_paid")
                .unique("care_category", maintain_order=True))
        benchmarks = (rows.filter(pl.col("benchmark").is_not_null())
                      .select("care_category", "benchmark", "benchmark_amount", "median_paid"))
        title, name = FEE_PANELS.get(unit, (f"Per {unit}", f"fees per {unit}"))
        panels.append(FeePanel(unit, title, name, paid, benchmarks, _fee_summary(paid, benchmarks, unit)))
    return panels


def _fee_summary(paid: pl.DataFrame, benchmarks: pl.DataFrame, unit: str) -> str:
    """One sentence that agrees with the panel: each care category's median once, each benchmark
    counted against it."""
    def category(value: str) -> str:
        words = fmt.care_category(value).lower()
        return words if words.endswith("care") else f"{words} care"

    ranked = paid.sort("median_paid")
    low, high = ranked.row(0, named=True), ranked.row(-1, named=True)
    if paid.height == 1:
        spread = f"The median paid for {category(low['care_category'])} is {fmt.money(low['median_paid'], unit)}"
        against = [f"{'below' if r['median_paid'] < r['benchmark_amount'] else 'not below'} the "
                   f"{fmt.benchmark(r['benchmark'])} ({fmt.money(r['benchmark_amount'], unit)})"
                   for r in benchmarks.iter_rows(named=True)]
    else:
        spread = (f"The median paid runs from {fmt.money(low['median_paid'], unit)} "
                  f"for {category(low['care_category'])} "
                  f"to {fmt.money(high['median_paid'], unit)} for {category(high['care_category'])}")
        against = []
        for (name,), rows in benchmarks.group_by("benchmark", maintain_order=True):
            below = rows.filter(pl.col("median_paid") < pl.col("benchmark_amount")).height
            against.append(f"below the {fmt.benchmark(name)} in {below} of "
                           f"{fmt.plural(rows.height, 'care category', 'care categories')}")
    return (spread + (f"; it is {' and '.join(against)}." if against else "; no benchmark is loaded for them."))


def fee_table(panel: FeePanel) -> pl.DataFrame:
    """A panel's figures as a table: one row per care category, a column per benchmark."""
    def money(frame: pl.DataFrame, column: str) -> pl.Series:
        return fmt.texts(frame[column], fmt.money)

    table = panel.paid.select(
        fmt.texts(panel.paid["care_category"], fmt.care_category).alias("Care category"),
        pl.col("rates").alias("Rates in force"),
        money(panel.paid, "median_paid").alias("Median paid"), money(panel.paid, "lowest_paid").alias("Lowest"),
        money(panel.paid, "highest_paid").alias("Highest"), "care_category")
    for (name,), rows in panel.benchmarks.group_by("benchmark", maintain_order=True):
        table = table.join(rows.select("care_category", money(rows, "benchmark_amount").alias(fmt.benchmark(name))),
                           on="care_category", how="left")
    return table.drop("care_category")
