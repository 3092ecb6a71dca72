"""The data dictionary: every mart view agrees with its YAML, and docs/data_dictionary.md is current."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from market_oversight.analyst import dictionary
from market_oversight.analyst.dictionary import Column, MartSpec
from market_oversight.cli import main
from market_oversight.errors import MartDocsError
from market_oversight.paths import files_named

MARTS = sorted(p.name.removesuffix(".sql") for p in files_named(dictionary.marts_dir(), ".sql"))


@pytest.fixture(scope="session")
def fresh_views() -> dict[str, list[Column]]:
    return dictionary.fresh_view_columns()


@pytest.fixture(scope="session")
def specs() -> dict[str, MartSpec]:
    return dictionary.read_specs()


def test_every_mart_file_becomes_a_view(fresh_views: dict[str, list[Column]]) -> None:
    assert MARTS, "no marts found"
    assert sorted(fresh_views) == MARTS


@pytest.mark.parametrize("mart", MARTS)
def test_view_and_yaml_name_the_same_columns(mart: str, specs: dict[str, MartSpec],
                                             fresh_views: dict[str, list[Column]]) -> None:
    # given the mart as DuckDB builds it in an empty warehouse, and its YAML
    # then every column is described, and nothing is described that is not there
    assert dictionary.compare(specs[mart], fresh_views[mart]) == []
    assert specs[mart].grain and specs[mart].description


def test_committed_dictionary_is_current() -> None:
    # fails when someone changes a mart or its YAML without running `market-oversight docs`
    dictionary.check_dictionary()


def test_dictionary_lists_every_column_with_its_type(specs: dict[str, MartSpec],
                                                     fresh_views: dict[str, list[Column]]) -> None:
    text = dictionary.dictionary_path().read_text(encoding="utf-8")
    for mart, columns in fresh_views.items():
        assert f"## mart.{mart}\n" in text
        assert f"**Grain:** {specs[mart].grain}" in text
        for c in columns:
            assert f"| `{c.name}` | `{c.type}` | {specs[mart].columns[c.name]} |" in text.replace("\\|", "|")


def test_a_column_the_yaml_lacks_or_invents_is_named(specs: dict[str, MartSpec],
                                                      fresh_views: dict[str, list[Column]]) -> None:
    # given the locations YAML with one column dropped and one made up
    spec = specs["locations"]
    columns = dict(spec.columns)
    del columns["beds"]
    columns["bed_count"] = "a column the view does not have"
    altered = dataclasses.replace(spec, columns=columns)
    # when compared with the real view
    problems = dictionary.compare(altered, fresh_views["locations"])
    # then both mistakes are reported, naming the YAML file and the columns
    assert len(problems) == 2
    assert "locations.yml" in problems[0] and problems[0].endswith("beds")
    assert "bed_count" in problems[1]
    with pytest.raises(MartDocsError, match="bed_count"):
        dictionary.check({"locations": altered}, {"locations": fresh_views["locations"]})


def test_a_view_without_yaml_is_refused(specs: dict[str, MartSpec],
                                        fresh_views: dict[str, list[Column]]) -> None:
    partial = {k: v for k, v in specs.items() if k != "ratings"}
    with pytest.raises(MartDocsError, match="mart.ratings has no YAML"):
        dictionary.check(partial, fresh_views)


def test_yaml_problems_name_the_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "orphan.sql").write_text("select 1 as a", encoding="utf-8")
    (tmp_path / "lonely.yml").write_text("name: lonely\n", encoding="utf-8")
    (tmp_path / "thin.sql").write_text("select 1 as a", encoding="utf-8")
    (tmp_path / "thin.yml").write_text(
        "name: thick\ngrain: one row\ndescription: x\ncolumns:\n  a:\n", encoding="utf-8")
    with pytest.raises(MartDocsError) as caught:
        dictionary.read_specs(tmp_path)
    message = str(caught.value)
    assert "orphan.sql: no orphan.yml beside it" in message
    assert "lonely.yml: no lonely.sql beside it" in message
    assert "thin.yml: column 'a' has no description" in message
    assert "thin.yml: field 'name' is 'thick'" in message


def test_docs_command_writes_then_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "dictionary.md"
    out.write_text("# stale\n", encoding="utf-8")
    assert main(["docs", "--check", "--output", str(out)]) == 2
    assert "out of date" in capsys.readouterr().err
    assert main(["docs", "--output", str(out)]) == 0
    assert main(["docs", "--check", "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == dictionary.dictionary_path().read_text(encoding="utf-8")
