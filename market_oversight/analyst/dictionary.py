"""The data dictionary: every mart view, as DuckDB builds it, checked against the YAML beside it.

Each `sql/marts/<name>.sql` has a `<name>.yml` giving its name, grain, description and one line per
column. `build_dictionary()` creates a fresh, empty warehouse in a temporary folder (so the types are
those DuckDB gives the views, not what someone typed), compares every view's columns with its YAML,
and renders `docs/data_dictionary.md`. Any disagreement is a `MartDocsError` listing every problem.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from market_oversight import store
from market_oversight.errors import MartDocsError
from market_oversight.paths import files_named, source_checkout, sql_dir

_REQUIRED_KEYS = ("name", "grain", "description", "columns")


@dataclass(frozen=True)
class MartSpec:
    """What a mart's YAML says about it."""

    name: str
    grain: str
    description: str
    columns: dict[str, str]
    source: Traversable
    tests: dict[str, Any] = field(default_factory=dict)   # data tests (analyst/mart_tests.py)


@dataclass(frozen=True)
class Column:
    name: str
    type: str


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def marts_dir() -> Traversable:
    return sql_dir() / "marts"


def dictionary_path() -> Path:
    """docs/data_dictionary.md of the source checkout. An installed wheel has no docs/ (nor any
    file of ours it should write to), so there the command needs --output."""
    checkout = source_checkout()
    if checkout is None:
        raise MartDocsError("no source checkout to write docs/data_dictionary.md into; give --output PATH")
    return checkout / "docs" / "data_dictionary.md"


def read_spec(path: Traversable) -> MartSpec:
    """One mart's YAML, with every field present and every column described."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise MartDocsError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise MartDocsError(f"{path}: expected a mapping with keys {', '.join(_REQUIRED_KEYS)}")
    problems = [f"{path}: field '{key}' is missing or empty" for key in _REQUIRED_KEYS if not data.get(key)]
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        problems.append(f"{path}: field 'columns' must map each column name to its description")
        columns = {}
    for column, text in columns.items():
        if not _text(text):
            problems.append(f"{path}: column '{column}' has no description")
    stem = path.name.removesuffix(".yml")
    if data.get("name") and data["name"] != stem:
        problems.append(f"{path}: field 'name' is {data['name']!r} but the file is for {stem!r}")
    if problems:
        raise MartDocsError("\n".join(problems))
    return MartSpec(name=str(data["name"]), grain=_text(data["grain"]),
                    description=_text(data["description"]),
                    columns={str(k): _text(v) for k, v in columns.items()}, source=path,
                    tests=data.get("tests") or {})


def read_specs(folder: Traversable | None = None) -> dict[str, MartSpec]:
    """Every mart's YAML, by name; a view without YAML, or YAML without a view, is an error."""
    folder = folder or marts_dir()
    sql_names = {p.name.removesuffix(".sql") for p in files_named(folder, ".sql")}
    yml_names = {p.name.removesuffix(".yml") for p in files_named(folder, ".yml")}
    problems = [f"{folder / (n + '.sql')}: no {n}.yml beside it" for n in sorted(sql_names - yml_names)]
    problems += [f"{folder / (n + '.yml')}: no {n}.sql beside it" for n in sorted(yml_names - sql_names)]
    specs: dict[str, MartSpec] = {}
    for name in sorted(sql_names & yml_names):
        try:
            specs[name] = read_spec(folder / f"{name}.yml")
        except MartDocsError as exc:
            problems.append(str(exc))
    if problems:
        raise MartDocsError("\n".join(problems))
    return specs


def view_columns(db: Path) -> dict[str, list[Column]]:
    """Columns and types of every view in schema mart of the warehouse `db`, in view order."""
    with store.warehouse(db, read_only=True) as con:
        rows = con.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'mart' order by table_name, ordinal_position"
        ).fetchall()
    found: dict[str, list[Column]] = {}
    for table, column, data_type in rows:
        found.setdefault(table, []).append(Column(column, data_type))
    return found


def fresh_view_columns() -> dict[str, list[Column]]:
    """The mart views' columns as a brand-new, empty warehouse of this version defines them."""
    with tempfile.TemporaryDirectory(prefix="market-oversight-docs-") as folder:
        db = Path(folder) / "dictionary.duckdb"
        with store.warehouse(db, publish=False):
            pass
        return view_columns(db)


def compare(spec: MartSpec, columns: list[Column]) -> list[str]:
    """Every way the view and its YAML disagree (empty when they agree)."""
    in_view = [c.name for c in columns]
    missing = [c for c in in_view if c not in spec.columns]
    extra = [c for c in spec.columns if c not in in_view]
    problems = []
    if missing:
        problems.append(f"{spec.source}: view mart.{spec.name} has columns the YAML does not describe: "
                        f"{', '.join(missing)}")
    if extra:
        problems.append(f"{spec.source}: YAML describes columns view mart.{spec.name} does not have: "
                        f"{', '.join(extra)}")
    return problems


def check(specs: dict[str, MartSpec], views: dict[str, list[Column]]) -> None:
    """Raise MartDocsError listing every mart whose view and YAML disagree."""
    problems = []
    for name, spec in specs.items():
        if name not in views:
            problems.append(f"{spec.source}: no view mart.{name} in a fresh warehouse")
            continue
        problems += compare(spec, views[name])
    problems += [f"view mart.{name} has no YAML in {marts_dir()}" for name in sorted(set(views) - set(specs))]
    if problems:
        raise MartDocsError("\n".join(problems))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(specs: dict[str, MartSpec], views: dict[str, list[Column]]) -> str:
    """The dictionary as Markdown: deterministic, so a stale committed copy shows as a difference."""
    lines = [
        "# Data dictionary",
        "",
        "<!-- Generated by `market-oversight docs` from sql/marts/*.sql and *.yml; do not edit by hand. -->",
        "",
        "Every view analysts can query, in schema `mart` of the warehouse and of each analysts' snapshot",
        "(see [analysts.md](analysts.md)). Types are those DuckDB gives the views. Regenerate with",
        "`market-oversight docs`; `market-oversight docs --check` (and the tests) fail when a view, its",
        "YAML and this file disagree.",
        "",
        "| view | grain |",
        "|---|---|",
    ]
    lines += [f"| [mart.{n}](#mart{n}) | {_cell(s.grain)} |" for n, s in specs.items()]
    for name, spec in specs.items():
        lines += [
            "", f"## mart.{name}", "",
            f"**Grain:** {spec.grain}", "",
            *([f"**Key:** {', '.join(f'`{c}`' for c in spec.tests['unique'])} (unique; "
               "`market-oversight mart-tests` checks it and the columns' other tests)", ""]
              if spec.tests.get("unique") else []),
            spec.description, "",
            f"Defined in `sql/marts/{name}.sql`, described in `sql/marts/{name}.yml`.", "",
            "| column | type | description |",
            "|---|---|---|",
        ]
        lines += [f"| `{c.name}` | `{_cell(c.type)}` | {_cell(spec.columns[c.name])} |" for c in views[name]]
    return "\n".join(lines) + "\n"


def build_dictionary() -> str:
    """Check every mart against its YAML in a fresh warehouse and render the dictionary."""
    specs = read_specs()
    views = fresh_view_columns()
    check(specs, views)
    return render(specs, views)


def write_dictionary(path: Path | None = None) -> Path:
    path = path or dictionary_path()
    path.write_text(build_dictionary(), encoding="utf-8")
    return path


def check_dictionary(path: Path | None = None) -> None:
    """Raise MartDocsError when a mart disagrees with its YAML or the committed file is stale."""
    path = path or dictionary_path()
    expected = build_dictionary()
    try:
        current = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        current = None
    if current != expected:
        raise MartDocsError(f"{path} is out of date with sql/marts/; run `market-oversight docs` "
                            "and commit the result")
