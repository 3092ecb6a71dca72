"""Find anything (issue 18, point 2): the search on every page, the profile opened by name, and the
provider (company) page with every location, its RAG in force, rating, size, flags in words and the
group's RAG history; checked against the demo warehouse with expected values read independently."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from market_oversight import fmt, store
from market_oversight.queries import groups, provider, search
from tests.conftest import errors

from .conftest import assert_clean, open_page, read, texts

RAW = re.compile(r"\b[a-z]+_[a-z_]+\b|[\[\]{}]|\bNone\b")


@pytest.fixture
def con(app_env: Path):
    with store.connect(store.current_serving_copy(app_env), read_only=True) as connection:
        yield connection.cursor()


def _largest_provider(db: Path) -> tuple[str, str, int]:
    """(provider ID, name, locations) of the provider with most locations whose name is its own."""
    return read(db, """
        select provider_id, any_value(provider_name), count(*) from mart.register
        where provider_name in (select provider_name from mart.register group by provider_name
                                having count(distinct provider_id) = 1)
        group by provider_id order by count(*) desc, provider_id limit 1""")[0]


def _unique_location(db: Path) -> tuple[str, str, str]:
    """(location ID, name, postcode) of a registered location whose name no other has, of two words or more."""
    return read(db, """
        select any_value(location_id), location_name, any_value(postcode) from mart.register
        where is_active and location_name like '% %' and postcode is not null
        group by location_name having count(*) = 1 order by location_name limit 1""")[0]


# ---- the search ----------------------------------------------------------------------------------

def test_search_finds_a_location_by_part_of_its_words_in_any_case_and_order(con, app_env: Path) -> None:
    location_id, name, _ = _unique_location(app_env)
    first, *rest = name.split()
    typed = f"{rest[-1][:3].upper()} {first[: max(2, len(first) - 1)].lower()}"  # "GRA yew" for "Yew Grange"
    found = search.search(con, typed, limit=search.CHOICES)
    assert location_id in found.filter(found["kind"] == "location")["id"].to_list(), (typed, found)
    # and every result holds every word typed
    for row in found.iter_rows(named=True):
        text = " ".join(str(v) for v in (row["name"], row["postcode"], row["id"]) if v).lower()
        assert all(w.lower() in text for w in typed.split()), (typed, row)


def test_search_finds_a_location_by_postcode_with_or_without_its_space(con, app_env: Path) -> None:
    location_id, _, postcode = _unique_location(app_env)
    for typed in (postcode, postcode.replace(" ", "").lower()):
        assert location_id in search.search(con, typed, limit=search.CHOICES)["id"].to_list(), typed


def test_an_exact_cqc_id_comes_first(con, app_env: Path) -> None:
    location_id, *_ = _unique_location(app_env)
    provider_id, *_ = _largest_provider(app_env)
    for wanted in (location_id, provider_id):
        found = search.search(con, wanted.lower())
        assert found["id"][0] == wanted and found["rank"][0] == 0


def test_search_finds_a_provider_by_name_with_its_count_of_locations(con, app_env: Path) -> None:
    provider_id, name, count = _largest_provider(app_env)
    found = search.search(con, name.upper(), kinds=(search.PROVIDER,))
    row = found.filter(found["id"] == provider_id).row(0, named=True)
    assert row["kind"] == "provider" and row["locations"] == count
    assert f"Provider of {count} locations" in search.detail(row) and provider_id in search.detail(row)


def test_typed_wildcards_and_quotes_are_text_not_sql(con) -> None:
    assert search.search(con, "%").is_empty()
    assert search.search(con, "   ").is_empty()
    assert search.search(con, "qxq' or '1'='1").is_empty()  # every word must match: 'qxq' matches nothing


def test_search_returns_one_more_than_its_limit_so_pages_can_say_there_are_more(con) -> None:
    assert search.search(con, "care", limit=3).height == 4


def test_resolve_opens_a_unique_name_and_lists_an_ambiguous_one(con, app_env: Path) -> None:
    location_id, name, _ = _unique_location(app_env)
    # the exact name opens it, even where a longer name starts with it ("... Kingsmere 2")
    assert search.resolve(con, name.lower(), search.LOCATION).id == location_id
    assert search.resolve(con, "1-000", search.LOCATION).id == "1-000"  # an ID as typed: the page says if it exists
    word = read(app_env, """select split_part(location_name, ' ', 1) as w from mart.register
                            group by w having count(*) > 1 order by count(*) desc limit 1""")[0][0]
    several = search.resolve(con, word, search.LOCATION)
    assert several.id is None and several.candidates.height > 1
    assert set(several.candidates["kind"]) == {"location"}


# ---- the provider page's queries -----------------------------------------------------------------

def test_provider_locations_carry_the_rag_in_force_and_flags_in_words(con, app_env: Path) -> None:
    provider_id, _, count = _largest_provider(app_env)
    located = provider.locations(con, provider_id)
    assert located.height == count
    expected = dict(read(app_env, """select l.location_id, c.rag from mart.register l
                                      left join mart.risk_current c using (location_id)
                                      where l.provider_id = $p""", {"p": provider_id}))
    assert dict(zip(located["location_id"], located["rag"], strict=True)) == expected
    table = groups.locations_for_people(located)
    for column in ("RAG", "CQC overall rating", "Beds or people supported", "Flags", "Impact if it failed"):
        assert not any(RAW.search(v) for v in table[column]), (column, table[column].to_list())
    assert "people_affected" not in " ".join(table["Flags"])  # impact items are apart from causes


def test_provider_rag_history_counts_every_scored_location_at_every_date(con, app_env: Path) -> None:
    provider_id, *_ = _largest_provider(app_env)
    history = provider.rag_history(con, provider_id)
    expected = read(app_env, """select h.as_of, count(*) from mart.risk_history h join mart.register l
                                using (location_id) where l.provider_id = $p group by 1 order by 1""",
                    {"p": provider_id})
    got = history.group_by("as_of").agg(pl.col("locations").sum()).sort("as_of").rows()
    assert got == expected and len(expected) >= 2  # the demo is scored twice


def test_size_is_beds_or_people_supported() -> None:
    assert groups.size(40, None, "care_home") == "40 beds"
    assert groups.size(None, 85, "home_care") == "85 people supported"
    assert groups.size(None, None, "home_care") == fmt.MISSING


# ---- the pages -----------------------------------------------------------------------------------

def test_profile_opens_by_name_and_puts_the_id_in_the_address(app_env: Path) -> None:
    location_id, name, _ = _unique_location(app_env)
    at = open_page(location=name.lower())
    assert_clean(at)
    assert at.title[0].value == f"What do we know about {name}?"
    assert at.query_params["location"] == location_id


def test_profile_of_an_unknown_name_says_so(app_env: Path) -> None:
    at = open_page(location="Nowhere At All Care Home")
    assert not at.exception
    assert "There is no location named 'Nowhere At All Care Home'" in errors(at)[0]


@pytest.mark.slow
def test_provider_page_lists_every_location_with_its_rag(app_env: Path) -> None:
    provider_id, name, count = _largest_provider(app_env)
    at = open_page("provider.py", provider=name)  # by name: it resolves to the ID
    assert_clean(at)
    assert at.query_params["provider"] == provider_id
    assert at.title[0].value == f"What do we know about {name}?"
    table = next(d.value for d in at.dataframe if "Beds or people supported" in d.value.columns)
    assert len(table) == count
    expected = dict(read(app_env, """select l.location_name, c.rag from mart.register l
                                      left join mart.risk_current c using (location_id)
                                      where l.provider_id = $p""", {"p": provider_id}))
    assert dict(zip(table["Location"], table["RAG"], strict=True)) == {k: fmt.rag(v) for k, v in expected.items()}
    assert "scores from" in texts(at)  # the group's RAG history, summarised


@pytest.mark.slow
def test_the_search_on_every_page_suggests_locations_and_providers(app_env: Path) -> None:
    provider_id, name, _ = _largest_provider(app_env)
    at = open_page()  # the market overview
    at.text_input(key="find-anything").input(name[: len(name) - 2].lower()).run()
    assert_clean(at)
    links = [(p.proto.label, p.proto.page, p.proto.query_string) for p in at.get("page_link")]
    assert (name, "provider", f"provider={provider_id}") in links, links
    assert any(provider_id in c.value for c in at.caption)  # what it is, under its name


def test_profile_of_an_ambiguous_name_lists_the_matches_to_choose_from(app_env: Path) -> None:
    word, count = read(app_env, """select split_part(location_name, ' ', 1) as w, count(*) from mart.register
                                   group by w having count(*) between 2 and 20 order by count(*) desc, w limit 1""")[0]
    at = open_page(location=word.lower())
    assert not at.exception and not at.error
    assert f"Several locations match “{word.lower()}”" in texts(at)
    choices = [p.proto for p in at.get("page_link") if p.proto.page == "profile"]
    # every location whose name holds the word (its name's first word, so all of them are there)
    names_with_word = read(app_env, "select count(*) from mart.register where location_name ilike '%' || $w || '%'",
                           {"w": word})[0][0]
    assert len(choices) == names_with_word >= count
    assert all(c.query_string.startswith("location=1-") for c in choices)


@pytest.mark.slow
def test_provider_page_without_a_provider_says_how_to_find_one(app_env: Path) -> None:
    at = open_page("provider.py")
    assert_clean(at)
    assert "Find a location or provider" in texts(at)


def test_search_finds_a_location_by_its_cqc_brand(app_env: Path) -> None:
    # given one demo location given a CQC brand (the demo's API records carry none)
    location_id, _, _ = _unique_location(app_env)
    with store.warehouse(app_env) as con:  # publishes a new serving copy on leaving
        con.execute("update cqc_locations set brand_id = 'BD999', brand_name = 'BRAND Quillfeather Group' "
                    "where location_id = $id", {"id": location_id})
    # when part of the brand's name is typed, then that location is found, and the brand itself
    with store.connect(store.current_serving_copy(app_env), read_only=True) as connection:
        found = search.search(connection.cursor(), "quillfeather", limit=search.CHOICES)
    assert sorted(zip(found["kind"], found["id"], strict=True)) == [("brand", "BD999"), ("location", location_id)]
