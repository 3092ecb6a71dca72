"""The brand (group) page (issue 18, point 2): every location of every provider in a CQC brand with
its RAG in force, rating, size and flags in words, links to each profile and provider page, and the
group's RAG history; reached from the search, the profile and the provider page. The demo's CQC
records carry no brand, so each test gives one to locations of two providers in its own copy."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from market_oversight import fmt, store
from market_oversight.queries import brand, groups
from tests.conftest import errors

from .conftest import assert_clean, open_page, read, texts

BRAND_ID = "BD4242"
BRAND_NAME = "Hollowmere Care Group"


@pytest.fixture
def branded(app_env: Path) -> dict:
    """A brand over every location of the demo's largest provider and one location of another."""
    big, big_name = read(app_env, """select provider_id, any_value(provider_name) from mart.register
                                     group by provider_id order by count(*) desc, provider_id limit 1""")[0]
    other, other_name, lone = read(app_env, """select provider_id, provider_name, location_id from mart.register
                                               where provider_id <> $p and is_active
                                               order by location_id limit 1""", {"p": big})[0]
    with store.warehouse(app_env) as con:  # publishes a new serving copy on leaving
        con.execute("update cqc_locations set brand_id = $b, brand_name = $n "
                    "where provider_id = $p or location_id = $l",
                    {"b": BRAND_ID, "n": BRAND_NAME, "p": big, "l": lone})
    located = read(app_env, "select location_id from mart.register where brand_id = $b", {"b": BRAND_ID})
    return {"db": app_env, "providers": {big: big_name, other: other_name}, "lone": lone,
            "locations": {r[0] for r in located}}


@pytest.fixture
def con(branded: dict):
    with store.connect(store.current_serving_copy(branded["db"]), read_only=True) as connection:
        yield connection.cursor()


def test_brand_locations_are_every_location_of_its_providers_in_it_with_the_rag_in_force(con, branded) -> None:
    located = brand.locations(con, BRAND_ID)
    assert set(located["location_id"]) == branded["locations"] and len(branded["locations"]) >= 2
    expected = dict(read(branded["db"], """select l.location_id, c.rag from mart.register l
                                            left join mart.risk_current c using (location_id)
                                            where l.brand_id = $b""", {"b": BRAND_ID}))
    assert dict(zip(located["location_id"], located["rag"], strict=True)) == expected
    assert set(located["provider_id"]) == set(branded["providers"])


def test_brand_history_counts_every_scored_location_of_the_brand_at_every_date(con, branded) -> None:
    history = brand.rag_history(con, BRAND_ID)
    expected = read(branded["db"], """select h.as_of, h.rag, count(*) from mart.risk_history h
                                      join mart.register l using (location_id) where l.brand_id = $b
                                      group by 1, 2""", {"b": BRAND_ID})
    assert sorted(history.rows()) == sorted(expected) and len({r[0] for r in expected}) >= 2


def test_brand_row_counts_its_providers_and_locations(con, branded) -> None:
    row = brand.brand(con, BRAND_ID)
    assert (row["brand_name"], row["providers"]) == (BRAND_NAME, 2)
    assert row["locations"] == len(branded["locations"])
    registered = read(branded["db"], "select count(*) from mart.register where brand_id = $b and is_active",
                      {"b": BRAND_ID})[0][0]
    assert row["registered_locations"] == registered


def test_a_brand_id_typed_in_lower_case_opens_the_brand(branded) -> None:
    at = open_page("brand.py", brand=BRAND_ID.lower())
    assert_clean(at)
    assert at.query_params["brand"] == BRAND_ID


@pytest.mark.slow
def test_brand_page_opens_by_name_with_every_location_and_links_to_profiles_and_providers(branded) -> None:
    at = open_page("brand.py", brand="hollowmere")  # part of the name: it resolves to the ID
    assert_clean(at)
    assert at.query_params["brand"] == BRAND_ID
    assert at.title[0].value == f"What do we know about {BRAND_NAME}?"
    table = next(d.value for d in at.dataframe if "Beds or people supported" in d.value.columns)
    assert set(table["CQC location ID"]) == branded["locations"]
    assert set(table["Profile"]) == {f"profile?location={i}" for i in branded["locations"]}
    assert set(table["Provider page"]) == {f"provider?provider={p}" for p in branded["providers"]}
    expected = dict(read(branded["db"], """select l.location_id, c.rag from mart.register l
                                            left join mart.risk_current c using (location_id)
                                            where l.brand_id = $b""", {"b": BRAND_ID}))
    assert dict(zip(table["CQC location ID"], table["RAG"], strict=True)) == {k: fmt.rag(v) for k, v in expected.items()}
    providers = [(p.proto.page, p.proto.query_string) for p in at.get("page_link")]
    for provider_id in branded["providers"]:
        assert ("provider", f"provider={provider_id}") in providers
    assert f"a group of {fmt.plural(2, 'provider')}" in texts(at)
    assert "scores from" in texts(at)  # the group's RAG history, summarised


def test_the_search_suggests_the_brand_and_it_opens_the_brand_page(branded) -> None:
    at = open_page()  # the market overview
    at.text_input(key="find-anything").input("hollowmere care").run()
    assert_clean(at)
    links = [(p.proto.label, p.proto.page, p.proto.query_string) for p in at.get("page_link")]
    assert (BRAND_NAME, "brand", f"brand={BRAND_ID}") in links, links


@pytest.mark.slow
def test_the_profile_and_the_provider_page_link_to_the_brand(branded) -> None:
    at = open_page(location=branded["lone"])
    assert_clean(at)
    assert ("brand", f"brand={BRAND_ID}") in [(p.proto.page, p.proto.query_string) for p in at.get("page_link")]
    provider_id = next(p for p in branded["providers"] if read(
        branded["db"], "select count(*) from mart.register where provider_id = $p", {"p": p})[0][0] > 1)
    at = open_page("provider.py", provider=provider_id)
    assert_clean(at)
    assert ("brand", f"brand={BRAND_ID}") in [(p.proto.page, p.proto.query_string) for p in at.get("page_link")]


@pytest.mark.slow
def test_a_location_without_a_brand_has_no_brand_link(app_env: Path) -> None:
    location_id = read(app_env, "select location_id from mart.register where brand_id is null limit 1")[0][0]
    at = open_page(location=location_id)
    assert_clean(at)
    assert not [p for p in at.get("page_link") if p.proto.page == "brand"]


@pytest.mark.slow
def test_an_unknown_brand_says_so_and_how_to_find_one(app_env: Path) -> None:
    at = open_page("brand.py", brand="BD0000001")
    assert not at.exception
    assert "There is no brand with ID 'BD0000001'" in errors(at)[0]
    at = open_page("brand.py")
    assert_clean(at)
    assert "CQC brand ID" in texts(at)


def test_brand_table_for_people_has_no_codes(con, branded) -> None:
    table = groups.locations_for_people(brand.locations(con, BRAND_ID), with_provider=True)
    assert {"Provider", "CQC provider ID"} <= set(table.columns)
    assert set(table["Provider"]) == set(branded["providers"].values())
    assert table.filter(pl.col("RAG").str.contains("_")).is_empty()
