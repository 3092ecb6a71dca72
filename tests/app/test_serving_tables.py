"""The tables made when a serving copy is published (schema `serving`, migration 106): on the scored
demo, each holds what the pages computed from the marts on every render before it existed, and a
later publish refills it from the warehouse as then committed."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from market_oversight import store
from market_oversight.queries import search

from .conftest import read

PLAIN = r"[^\p{L}\p{N} ]"  # what search takes out of names and of what is typed


@pytest.fixture
def con(demo_db: Path):
    with store.connect(store.current_serving_copy(demo_db), read_only=True) as connection:
        yield connection.cursor()


def table(con, query: str) -> pl.DataFrame:
    return con.sql(query).pl()


def test_location_latest_holds_each_locations_latest_overall_rating_and_its_flags_at_the_latest_score(con) -> None:
    ratings = table(con, "select location_id, report_date, rating from mart.ratings where key_question = 'overall'")
    # the latest report's rating (the demo has one overall rating a report date)
    latest_rating = dict(ratings.sort("report_date").group_by("location_id").last()
                         .select("location_id", "rating").iter_rows())
    flags = table(con, "select location_id, flag, domain, points from mart.risk_flags "
                       "where as_of = (select max(as_of) from main.risk_scores)").sort(
        ["location_id", "points", "flag"], descending=[False, True, False])
    causes = {k[0]: g["flag"].to_list() for k, g in flags.filter(pl.col("domain") != "impact")
              .group_by("location_id", maintain_order=True)}
    impacts = {k[0]: g["flag"].to_list() for k, g in flags.filter(pl.col("domain") == "impact")
               .group_by("location_id", maintain_order=True)}
    stored = table(con, "select * from serving.location_latest")

    assert stored["location_id"].is_unique().all()
    assert set(stored["location_id"]) == set(latest_rating) | set(causes) | set(impacts)
    for row in stored.iter_rows(named=True):
        assert row["latest_overall_rating"] == latest_rating.get(row["location_id"]), row
        assert row["causes"] == causes.get(row["location_id"]), row
        assert row["impacts"] == impacts.get(row["location_id"]), row
    assert causes and impacts  # the demo's score raises both kinds


def _haystack(*parts: pl.Expr) -> pl.Expr:
    return pl.concat_str(parts, separator=" ", ignore_nulls=True).str.to_lowercase().str.replace_all(PLAIN, "")


def test_search_entries_hold_every_location_provider_and_brand_with_the_text_search_matches(con) -> None:
    register = table(con, "select * from mart.register")
    stored = table(con, "select * from serving.search_entries")
    locations = stored.filter(pl.col("kind") == search.LOCATION).sort("id")
    expected = register.sort("location_id").select(
        pl.col("location_id").alias("id"), pl.col("location_name").alias("name"),
        _haystack(pl.col("location_name"), pl.col("postcode"), pl.col("postcode").str.replace_all(" ", ""),
                  pl.col("location_id"), pl.col("brand_name")).alias("haystack"))
    assert locations.select("id", "name", "haystack").equals(expected)

    providers = stored.filter(pl.col("kind") == search.PROVIDER).sort("id")
    by_provider = register.group_by("provider_id").agg(pl.col("provider_name").first(), pl.len().alias("locations"),
                                                     pl.col("is_active").any()).sort("provider_id")
    assert providers["id"].to_list() == by_provider["provider_id"].to_list()
    assert providers["locations"].to_list() == by_provider["locations"].to_list()
    assert providers["is_active"].to_list() == by_provider["is_active"].to_list()
    assert providers["haystack"].to_list() == by_provider.select(
        _haystack(pl.col("provider_name"), pl.col("provider_id"))).to_series().to_list()
    assert stored.select((pl.col("plain_name") == pl.col("name").str.to_lowercase().str.replace_all(PLAIN, ""))
                         .all()).item()
    assert stored.filter(pl.col("kind") == search.BRAND).height == register["brand_id"].drop_nulls().n_unique()


def test_publishing_refills_the_serving_tables_from_the_warehouse_as_committed(demo_db: Path) -> None:
    location_id = read(demo_db, "select location_id from serving.location_latest where causes is not null "
                                "order by location_id limit 1")[0][0]
    with store.warehouse(demo_db) as con:  # publishes a new serving copy on leaving
        con.execute("update cqc_locations set location_name = 'Zephyrine Lodge' where location_id = $l",
                    {"l": location_id})
        con.execute("delete from risk_flags where location_id = $l", {"l": location_id})

    assert read(demo_db, "select causes, impacts from serving.location_latest where location_id = $l",
                {"l": location_id}) in ([], [(None, None)])
    found = read(demo_db, "select kind, id, name from serving.search_entries where haystack like '%zephyrine%'")
    assert found == [("location", location_id, "Zephyrine Lodge")]


def test_the_serving_tables_are_filled_in_the_published_copy_and_never_in_the_warehouse(demo_db: Path) -> None:
    """Filled in the warehouse by a transaction after the job's, a job killed between the two commits
    left them behind what they are made from (found by the random-kill test)."""
    with store.warehouse(demo_db) as con:  # publishes a new serving copy on leaving
        con.execute("select 1")
    with store.connect(demo_db, read_only=True) as connection:
        in_warehouse = connection.execute(
            "select (select count(*) from serving.location_latest) + (select count(*) from serving.search_entries)"
        ).fetchone()[0]
    assert in_warehouse == 0
    assert read(demo_db, "select count(*) > 0 from serving.location_latest") == [(True,)]
    assert read(demo_db, "select count(*) > 0 from serving.search_entries") == [(True,)]


def test_a_location_whose_record_names_no_provider_is_published_and_found_as_a_location(tmp_path: Path) -> None:
    """Found by the hostile-input property test: a CQC row with a location ID and nothing else loads,
    and publishing it must not fail on a provider without an ID."""
    from market_oversight.ingest.cqc import ingest_cqc

    source = tmp_path / "register.csv"
    source.write_text("Location ID,Location Name,Care home?,Care homes beds,Location HSCA start date,"
                      "Location Local Authority,Location Latest Overall Rating,Publication Date,Provider ID,"
                      "Provider Name,Location Postal Code\n1-101,,,,,,,,,,\n", encoding="utf-8")
    db = tmp_path / "warehouse.duckdb"
    assert ingest_cqc(db, str(source)).status == "loaded"      # publishes a serving copy on leaving
    with store.connect(store.current_serving_copy(db), read_only=True) as connection:
        con = connection.cursor()
        assert con.execute("select kind, id from serving.search_entries order by kind").fetchall() == [
            ("location", "1-101")]
        assert [(r["kind"], r["id"]) for r in search.search(con, "1-101").to_dicts()] == [("location", "1-101")]
