"""A contract compiled into SQL: the typed staging of a file's text, and ONE set-based query that
finds, for every row, each rule it breaks with a plain message.

Identifiers come only from the contract files (our own, fixed column names); every value (patterns,
limits, allowed sets, messages) is a bound parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from market_oversight.contracts.model import REFERENCES, Contract, Rule

_IDENT_OK = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_SEP = "\x1f"   # joins a pair of values for the pair-allowed check


def _ident(name: str) -> str:
    if not name or not set(name) <= _IDENT_OK:
        raise ValueError(f"not a contract identifier: {name!r}")
    return name


def _dates(t: str) -> str:
    """`t` read as a timestamp in any accepted layout. A failed parse is costly, so the usual
    layouts are picked by their shape first (LIKE is cheap) and only the rest try every layout."""
    every = ("['%d/%m/%Y', '%d/%m/%Y %H:%M', '%d/%m/%Y %H:%M:%S', '%Y-%m-%d', '%Y-%m-%d %H:%M:%S', "
             "'%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%d %H:%M:%S.%f']")
    return (f"case when {t} like '__/__/____' then try_strptime({t}, '%d/%m/%Y') "
            f"when {t} like '__/__/____ __:__' then try_strptime({t}, '%d/%m/%Y %H:%M') "
            f"when {t} like '____-__-__' then try_strptime({t}, '%Y-%m-%d') "
            f"when {t} like '____-__-__ __:__:__' then try_strptime({t}, '%Y-%m-%d %H:%M:%S') "
            f"else try_strptime({t}, {every}) end")


def _typed(kind: str, t: str) -> str:
    """SQL reading the trimmed text `t` as a value of the contract type (null when unreadable)."""
    # Plain numbers cast directly; only text the cast refuses (1,040 or £812.50) is cleaned first.
    num = (f"coalesce(try_cast({t} as double), try_cast(replace(replace(replace(replace({t}, ',', ''), "
           f"'£', ''), '%', ''), ' ', '') as double))")
    dmy = _dates(t)
    month = (f"case when {t} like '____-__' then try_strptime({t}, '%Y-%m') "
             f"when {t} like '__/____' or {t} like '_/____' then try_strptime({t}, '%m/%Y') else {dmy} end")
    return {
        "text": t,
        "category": f"lower(regexp_replace({t}, '[\\s-]+', '_', 'g'))",
        "integer": num,
        "decimal": num,
        "percent": num,
        "money": num,
        "boolean": f"case when lower({t}) in ('yes', 'y', 'true', '1') then true "
                   f"when lower({t}) in ('no', 'n', 'false', '0') then false end",
        "month": f"cast(date_trunc('month', {month}) as date)",
        "date": f"cast({dmy} as date)",
        "timestamp": f"cast({dmy} as timestamp)",
        "financial_year": t,
    }[kind]


def typed_select(contract: Contract, present: set[str], source: str = "stage_raw",
                 carry: tuple[str, ...] = ()) -> str:
    """SELECT over `stage_raw` (`file_no`, `row_number`, and `raw_<name>` for the columns the files
    have) giving `file_no`, `row_number`, `<name>__text` (trimmed, blank as null) and `<name>`
    (typed) for every contract column, plus the derived columns cross-field rules read."""
    texts, typed = [], []
    for col in contract.columns.values():
        n = _ident(col.name)
        texts.append(f"nullif(trim(raw_{n}), '') as {n}__text" if n in present
                     else f"cast(null as varchar) as {n}__text")
        typed.append(f"{_typed(col.type, n + '__text')} as {n}")
    derived = []
    for rule in contract.rules():
        if rule.kind == "at_most" and rule.value:          # a sum at most a column
            derived.append(" + ".join(_ident(p) for p in rule.value) + f" as {_ident(rule.columns[0])}")
        elif rule.kind == "one_of":
            derived.append(f"coalesce({', '.join(_ident(p) for p in rule.value)}) as {_ident(rule.columns[0])}")
    return (
        "with texts as (\n    select file_no, row_number,\n        " + "".join(f"{_ident(c)}, " for c in carry) + ",\n        ".join(texts)
        + f"\n    from {_ident(source)}\n),\n\ntyped as (\n    select *,\n        " + ",\n        ".join(typed)
        + "\n    from texts\n)\n\nselect *" + ("".join(f",\n    {d}" for d in derived))
        + "\nfrom typed"
    )


@dataclass(frozen=True)
class Limits:
    """What 'in the future' means for this load."""
    month: date                 # the latest month a return may be for (the current month)
    day: date                   # the latest date
    moment: datetime            # the latest date and time

    @classmethod
    def at(cls, today: date) -> Limits:
        return cls(today.replace(day=1), today,
                   datetime.combine(today + timedelta(days=1), time()) - timedelta(microseconds=1))

    def for_type(self, kind: str) -> date | datetime:
        return {"month": self.month, "date": self.day, "timestamp": self.moment}[kind]


_DIGITS = "'0123456789'"


def _type_condition(kind: str, t: str, p: str) -> str:
    """Text given and not matching the type's pattern $p. Exact shortcuts skip the regular
    expression for the usual cases (a big file has tens of millions of cells): all digits matches
    every number pattern; digits.digits matches the decimal ones; the boolean pattern is a list."""
    if kind == "boolean":
        return f"{t} is not null and lower({t}) not in ('yes', 'no', 'y', 'n', 'true', 'false', '1', '0')"
    regex = f"not regexp_full_match({t}, ${p})"
    if kind == "integer":
        return f"{t} is not null and (ltrim({t}, {_DIGITS}) <> '' or length({t}) > 9) and {regex}"
    if kind in ("decimal", "percent", "money"):
        digits_dot_digits = (f"(ltrim(rtrim({t}, {_DIGITS}), {_DIGITS}) = '.' "
                             f"and left({t}, 1) <> '.' and right({t}, 1) <> '.')")
        return f"{t} is not null and ltrim({t}, {_DIGITS}) <> '' and not {digits_dot_digits} and {regex}"
    return f"{t} is not null and {regex}"


def _condition(contract: Contract, rule: Rule, p: str) -> tuple[str, Any]:
    """(SQL true when a row breaks the rule, the value bound as $p if any)."""
    c = [_ident(x) for x in rule.columns]
    k = rule.kind
    if k == "required":
        return f"{c[0]} is null", None
    if k == "type":
        return _type_condition(contract.columns[c[0]].type, f"{c[0]}__text", p), rule.value
    if k == "min":
        return f"{c[0]} < ${p}", rule.value
    if k == "min_exclusive":
        return f"{c[0]} <= ${p}", rule.value
    if k == "max":
        return f"{c[0]} > ${p}", rule.value
    if k == "allowed":
        return f"{c[0]} is not null and not list_contains(${p}, {c[0]})", rule.value
    if k == "not_in_future":
        return f"{c[0]} > ${p}", None           # bound per load: see limit_params
    if k == "in_register":
        table, key = REFERENCES[rule.value]     # identifiers from the fixed map
        return f"{c[0]} is not null and {c[0]} not in (select {key} from main.{table})", None
    if k == "key_unique":
        cols = ", ".join(c)
        all_null = " and ".join(f"{x} is null" for x in c)
        return f"key_count > 1 and not ({all_null})", None
    if k == "at_most":
        return f"{c[0]} > {c[1]}", None
    if k == "one_of":
        return f"{c[0]} is null", None
    if k == "pair_allowed":
        return (f"{c[0]} is not null and {c[1]} is not null "
                f"and not list_contains(${p}, {c[0]} || chr(31) || {c[1]})",
                [a + _SEP + b for a, b in rule.value])
    raise ValueError(f"unknown rule kind {k}")


def _message_args(rule: Rule) -> str:
    c = [_ident(x) for x in rule.columns]
    if rule.kind in ("required", "key_unique", "one_of"):
        return ""
    if rule.kind == "at_most":
        first = f"regexp_replace(cast({c[0]} as varchar), '\\.0$', '')" if rule.value else f"{c[0]}__text"
        return f", {first}, {c[1]}__text"
    if rule.kind == "pair_allowed":
        return f", {c[0]}, {c[1]}"
    if rule.kind == "in_register":
        return f", {c[0]}"
    return f", {c[0]}__text"


def _conditions(contract: Contract, limits: Limits) -> tuple[list[tuple[Rule, str]], dict[str, Any]]:
    params: dict[str, Any] = {}
    out = []
    for i, rule in enumerate(contract.rules()):
        cond, value = _condition(contract, rule, f"v{i}")
        if rule.kind == "not_in_future":
            value = limits.for_type(rule.value)
        if f"$v{i}" in cond:
            params[f"v{i}"] = value
        out.append((rule, f"coalesce({cond}, false)"))
    return out, params


def _key(contract: Contract) -> str:
    return ", ".join(["file_no", *(_ident(k) for k in contract.key)])


def check_query(contract: Contract, limits: Limits, *, keep_text: bool = True) -> tuple[str, dict[str, Any]]:
    """One query over the typed rows (`typed_select`, as CTE `stage_typed`): every typed column,
    `key_count` (rows of the same file with the same key) and `broken`, true when the row breaks
    any rule. Without `keep_text` the text columns are left out (except the IDs the quarantine
    keeps), which saves memory on big files; `problems_query` finds which rules and why."""
    conditions, params = _conditions(contract, limits)
    dropped = []
    if not keep_text:
        dropped = [f"{_ident(c)}__text" for c in contract.columns if c not in ("location_id", "provider_id")]
    text = (
        "with counted as (\n    select *, count(*) over (partition by " + _key(contract) + ") as key_count\n"
        "    from stage_typed\n)\n\n"
        "select *" + (" exclude (" + ", ".join(dropped) + ")" if dropped else "") + ",\n    "
        + "\n    or ".join(c for _, c in conditions) + " as broken\nfrom counted"
    )
    return text, params


def problems_query(contract: Contract, limits: Limits) -> tuple[str, dict[str, Any]]:
    """For the broken rows only (typed again as CTE `stage_typed`, carrying `key_count`): `rules`,
    the names of the rules each breaks, and `messages`, one plain message per rule with the value
    as typed."""
    conditions, params = _conditions(contract, limits)
    flags, names, messages = [], [], []
    for i, (rule, cond) in enumerate(conditions):
        params[f"r{i}"], params[f"m{i}"] = rule.name, rule.message
        flags.append(f"{cond} as broke_{i}")
        names.append(f"case when broke_{i} then $r{i} end")
        messages.append(f"case when broke_{i} then format($m{i}{_message_args(rule)}) end")
    text = (
        "with flagged as (\n    select *,\n        " + ",\n        ".join(flags)
        + "\n    from stage_typed\n)\n\n"
        "select file_no, row_number,\n"
        "    list_filter([" + ", ".join(names) + "], lambda x: x is not null) as rules,\n"
        "    list_filter([" + ", ".join(messages) + "], lambda x: x is not null) as messages\n"
        "from flagged"
    )
    return text, params
