"""Data contracts: one YAML file per dataset in `data_contracts/`, read into typed objects.

A contract says what each column means, its type and unit, whether it is required, its allowed
values or range, the cross-field rules, the key, the references to the register and how fresh the
data must be. `rules()` turns it into the flat list of named rules that both compilations use:
`contracts.gx` (the Great Expectations suite, the judge) and `contracts.sql` (one set-based query
that finds the rows breaking each rule, for the quarantine).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from market_oversight.errors import ConfigError
from market_oversight.paths import contracts_dir, files_named

# Each type: the text pattern a value must match (both compilations use it), and how it is read.
# Patterns are anchored and written in the regex dialect Python and DuckDB (RE2) share.
_INT = r"-?(?:\d{1,3}(?:,\d{3}){1,2}|\d{1,9})(?:\.0+)?"     # up to 9 digits: fits the warehouse
_DEC = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_DMY = r"(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])/\d{4}"
_ISO = r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
_TIME = r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?"
TYPE_PATTERNS: dict[str, str | None] = {
    "text": None,
    "category": None,           # checked by its allowed values instead
    "integer": rf"^{_INT}$",
    "decimal": rf"^{_DEC}$",
    "percent": rf"^{_DEC}\s?%?$",
    "money": rf"^£?\s?{_DEC}$",
    "boolean": r"^(?i:yes|no|y|n|true|false|1|0)$",
    "month": rf"^(?:\d{{4}}-(?:0[1-9]|1[0-2])|(?:0?[1-9]|1[0-2])/\d{{4}}|{_DMY}|{_ISO}(?:[ T]00:00(?::00)?)?)$",
    "date": rf"^(?:{_DMY}|{_ISO}(?:[ T]00:00(?::00)?)?)$",
    "timestamp": rf"^(?:{_DMY}|{_ISO})(?:[ T]{_TIME}Z?)?$",
    "financial_year": r"^\d{4}/\d{2}$",
}
TYPE_WORDS = {
    "integer": "a whole number (up to 9 digits)", "decimal": "a number", "percent": "a percentage",
    "money": "an amount of money", "boolean": "Yes or No", "month": "a month (YYYY-MM or DD/MM/YYYY)",
    "date": "a date (DD/MM/YYYY)", "timestamp": "a date and time (DD/MM/YYYY HH:MM)",
    "financial_year": "a financial year (2025/26)",
}
NUMERIC_TYPES = frozenset({"integer", "decimal", "percent", "money"})
REFERENCES = {"register": ("cqc_locations", "location_id"), "providers": ("cqc_providers", "provider_id")}


def normalise_header(text: object) -> str:
    """`Occupied Beds `, `occupied-beds` and `OccupiedBeds`? The first two match `occupied_beds`;
    headers are matched on lower-case words joined by `_` (a BOM or stray spaces are ignored)."""
    key = str(text or "").replace("\ufeff", "").strip().lower()
    return re.sub(r"[^a-z0-9%]+", "_", key).strip("_")


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    type: str
    unit: str | None = None
    required: bool = False
    min: float | None = None
    min_exclusive: float | None = None
    max: float | None = None
    allowed: tuple[str, ...] = ()
    not_in_future: bool = False
    references: str | None = None
    headers: tuple[str, ...] = ()
    # an optional column added after files were loaded: a file without it hashes its rows as before
    # (contracts.sql._row_hash), so a copy of a file loaded earlier is still known as one
    added_later: bool = False


@dataclass(frozen=True)
class Rule:
    """One named rule. `kind` says how both compilations express it; `columns` are the staged
    columns it reads; `message` is a template with `{}` for the offending value(s)."""
    name: str
    kind: str            # required | type | min | min_exclusive | max | allowed | not_in_future
                         # | in_register | key_unique | at_most | one_of | pair_allowed | after_month
    columns: tuple[str, ...]
    meaning: str
    message: str
    value: Any = None


@dataclass(frozen=True)
class Contract:
    dataset: str
    title: str
    description: str
    command: str
    key: tuple[str, ...]
    freshness: str
    columns: dict[str, Column]
    checks: tuple[dict[str, Any], ...] = field(default=())
    path: Traversable | None = None

    @property
    def required_columns(self) -> list[str]:
        """Columns a file must have (a value is then required in every row)."""
        return [c.name for c in self.columns.values() if c.required]

    def header_map(self) -> dict[str, str]:
        """Normalised accepted header spelling -> canonical column name."""
        out: dict[str, str] = {}
        for col in self.columns.values():
            for h in (col.name, *col.headers):
                out[normalise_header(h)] = col.name
        return out

    def rules(self) -> list[Rule]:
        return _rules(self)


def _column(name: str, spec: dict[str, Any], source: Traversable) -> Column:
    kind = spec.get("type", "text")
    if kind not in TYPE_PATTERNS:
        raise ConfigError(f"{source}: column {name} has unknown type {kind!r}")
    return Column(
        name=name, meaning=str(spec.get("meaning", "")), type=kind, unit=spec.get("unit"),
        required=bool(spec.get("required", False)), min=spec.get("min"),
        min_exclusive=spec.get("min_exclusive"), max=spec.get("max"),
        allowed=tuple(str(a) for a in spec.get("allowed", ())),
        not_in_future=bool(spec.get("not_in_future", False)), references=spec.get("references"),
        headers=tuple(str(h) for h in spec.get("headers", ())),
        added_later=bool(spec.get("added_later", False)),
    )


def read_contract(path: Traversable) -> Contract:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read data contract {path}: {exc}") from None
    columns = {name: _column(name, spec or {}, path) for name, spec in data["columns"].items()}
    contract = Contract(
        dataset=data["dataset"], title=data.get("title", data["dataset"]),
        description=str(data.get("description", "")).strip(), command=data["command"],
        key=tuple(data.get("key", ())), freshness=str(data.get("freshness", "")).strip(),
        columns=columns, checks=tuple(data.get("rules", ())), path=path,
    )
    contract.rules()  # fail now, naming the file, if a rule refers to an unknown column
    return contract


@cache
def contract(dataset: str) -> Contract:
    path = contracts_dir() / f"{dataset}.yml"
    if not path.is_file():
        raise ConfigError(f"no data contract for {dataset!r} (expected {path})")
    return read_contract(path)


@cache
def all_contracts() -> tuple[Contract, ...]:
    return tuple(read_contract(p) for p in files_named(contracts_dir(), ".yml"))


def contracts_for(command: str) -> list[Contract]:
    """The datasets `market-oversight ingest <command>` accepts (returns: care home and home care)."""
    return [c for c in all_contracts() if c.command == command]


def _fmt(v: Any) -> str:
    """A limit as people write it: 1,000,000 rather than 1e+06."""
    if isinstance(v, int | float) and not isinstance(v, bool) and float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:g}" if isinstance(v, float) else str(v)


def _column_rules(col: Column) -> list[Rule]:
    n = col.name
    out = []
    if col.required:
        out.append(Rule(f"{n}.required", "required", (n,), f"{n} must be given",
                        f"{n} is blank; it is required"))
    if TYPE_PATTERNS[col.type]:
        out.append(Rule(f"{n}.type", "type", (n,), f"{n} must be {TYPE_WORDS[col.type]}",
                        f"{n} is '{{}}', which is not {TYPE_WORDS[col.type]}", TYPE_PATTERNS[col.type]))
    if col.min is not None:
        text = "cannot be negative" if col.min == 0 else f"must be at least {_fmt(col.min)}"
        out.append(Rule(f"{n}.min", "min", (n,), f"{n} {text}", f"{n} is {{}}; it {text}", col.min))
    if col.min_exclusive is not None:
        out.append(Rule(f"{n}.above", "min_exclusive", (n,), f"{n} must be more than {_fmt(col.min_exclusive)}",
                        f"{n} is {{}}; it must be more than {_fmt(col.min_exclusive)}", col.min_exclusive))
    if col.max is not None:
        out.append(Rule(f"{n}.max", "max", (n,), f"{n} must be at most {_fmt(col.max)}",
                        f"{n} is {{}}; it must be at most {_fmt(col.max)}", col.max))
    if col.allowed:
        words = ", ".join(col.allowed)
        out.append(Rule(f"{n}.allowed", "allowed", (n,), f"{n} must be one of {words}",
                        f"{n} is '{{}}'; it must be one of {words}", list(col.allowed)))
    if col.not_in_future:
        out.append(Rule(f"{n}.not_in_future", "not_in_future", (n,), f"{n} cannot be in the future",
                        f"{n} is {{}}, which is in the future", col.type))
    if col.references:
        if col.references not in REFERENCES:
            raise ConfigError(f"column {n} references unknown {col.references!r}")
        what = "CQC register" if col.references == "register" else "CQC register's providers"
        out.append(Rule(f"{n}.in_register", "in_register", (n,), f"{n} must be known in the {what}",
                        f"{n} '{{}}' is not in the {what}", col.references))
    return out


def _check_rule(contract_: Contract, spec: dict[str, Any]) -> Rule:
    name, meaning, check = spec["name"], str(spec.get("meaning", "")), spec["check"]
    cols = contract_.columns

    def known(*names: str) -> tuple[str, ...]:
        for c in names:
            if c not in cols:
                raise ConfigError(f"{contract_.path}: rule {name} refers to unknown column {c!r}")
        return names

    if "at_most" in check and "column" in check:
        a, b = known(check["column"], check["at_most"])
        return Rule(name, "at_most", (a, b), meaning, f"{a} ({{}}) is more than {b} ({{}})")
    if "at_most" in check and "sum" in check:
        parts = known(*check["sum"])
        b = known(check["at_most"])[0]
        derived = "__sum_" + "_".join(parts)
        return Rule(name, "at_most", (derived, b), meaning,
                    f"{' + '.join(parts)} ({{}}) is more than {b} ({{}})", list(parts))
    if "one_of" in check:
        parts = known(*check["one_of"])
        return Rule(name, "one_of", ("__any_" + "_".join(parts),), meaning,
                    f"none of {', '.join(parts)} is given", list(parts))
    if "after_month" in check:
        # `after_month: period`: the moment is at or after the end of the month the row is for;
        # the rule reads a derived column, the first moment after that month
        a, b = known(check["column"], check["after_month"])
        return Rule(name, "after_month", (a, f"__end_of_{b}"), meaning,
                    f"{a} is {{}}, before the end of the month it is for ({b} {{}}); "
                    f"a month's return is sent once the month is over", b)
    if "pairs" in check:
        a, b = known(*check["pairs"])
        pairs = [tuple(str(x) for x in p) for p in check["allowed"]]
        return Rule(name, "pair_allowed", (a, b), meaning,
                    f"{a} '{{}}' does not go with {b} '{{}}'", pairs)
    raise ConfigError(f"{contract_.path}: rule {name} has an unknown check {check!r}")


def _rules(contract_: Contract) -> list[Rule]:
    out: list[Rule] = []
    for col in contract_.columns.values():
        out += _column_rules(col)
    if contract_.key:
        for k in contract_.key:
            if k not in contract_.columns:
                raise ConfigError(f"{contract_.path}: key column {k!r} is not a column")
        key = ", ".join(contract_.key)
        out.append(Rule("key.unique", "key_unique", contract_.key,
                        f"only one row per {key} in a file",
                        f"another row in this file has the same {key}"))
    out += [_check_rule(contract_, spec) for spec in contract_.checks]
    names = [r.name for r in out]
    if len(set(names)) != len(names):
        raise ConfigError(f"{contract_.path}: two rules share a name")
    return out
