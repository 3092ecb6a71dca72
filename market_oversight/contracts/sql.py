"""A contract compiled into SQL: the typed staging of a file's text, and ONE set-based query that
finds, for every row, each rule it breaks with a plain message.

Identifiers come only from the contract files (our own, fixed column names); every value (patterns,
limits, allowed sets, messages) is a bound parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from market_oversight.contracts.model import NUMERIC_TYPES, REFERENCES, Contract, Rule

_IDENT_OK = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_SEP = "\x1f"   # joins values (a pair, for the pair-allowed check; a row's cells): no pattern matches it


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


def _text(raw: str) -> str:
    return f"nullif(trim({raw}), '')"


def _lazy_number(raw: str) -> str:
    """The number in cell `raw`, as `_typed` reads it from the trimmed text: the cast accepts the
    cell as read whenever it accepts the trimmed text, with the same value, so the trim (costly
    over millions of cells) is left to the cells the cast refuses."""
    return f"coalesce(try_cast({raw} as double), {_typed('decimal', _text(raw))})"


def typed_select(contract: Contract, present: set[str], source: str = "stage_raw",
                 carry: tuple[str, ...] = (), keys: tuple[str, ...] = ("file_no", "row_number"),
                 lazy: bool = False) -> str:
    """SELECT over `source` (`keys`, and `raw_<name>` for the columns the files have) giving the
    keys, the `carry` columns, `<name>__text` (trimmed, blank as null) and `<name>` (typed) for
    every contract column, plus the derived columns cross-field rules read. `source` is a
    relation our code wrote (a staged table, or a read of the file).

    `lazy` (the one pass over a big file): a number is typed from its cell as read, and trimmed
    only when that fails (`_lazy_number`); its `<name>__text` is left out (its type rule trims
    the text only for the rows that need it, see `check_query`), and `carry` must hold the
    `raw_<name>` of the numbers the file has."""
    texts, typed = [], []
    for col in contract.columns.values():
        n = _ident(col.name)
        if lazy and col.type in NUMERIC_TYPES:
            if n not in present:
                texts.append(f"cast(null as varchar) as raw_{n}")
            typed.append(f"{_lazy_number(f'raw_{n}')} as {n}")
            continue
        texts.append(f"nullif(trim(raw_{n}), '') as {n}__text" if n in present
                     else f"cast(null as varchar) as {n}__text")
        typed.append(f"{_typed(col.type, n + '__text')} as {n}")
    derived = []
    for rule in contract.rules():
        if rule.kind == "at_most" and rule.value:          # a sum at most a column
            derived.append(" + ".join(_ident(p) for p in rule.value) + f" as {_ident(rule.columns[0])}")
        elif rule.kind == "after_month":
            derived.append(f"cast({_ident(rule.value)} + interval 1 month as timestamp) as {_ident(rule.columns[1])}")
        elif rule.kind == "one_of":
            derived.append(f"coalesce({', '.join(_ident(p) for p in rule.value)}) as {_ident(rule.columns[0])}")
    head = [_ident(c) for c in (*keys, *carry)]
    return (
        "with texts as (\n    select " + "".join(f"{c}, " for c in head) + "\n        " + ",\n        ".join(texts)
        + f"\n    from {source}\n),\n\ntyped as (\n    select *,\n        " + ",\n        ".join(typed)
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


def _type_condition(kind: str, t: str, p: str) -> str:
    """Text given and not matching the type's pattern $p. (One regular expression per cell is
    cheap; character-set trims as a shortcut cost several times more.) The boolean pattern is a
    list of words."""
    if kind == "boolean":
        return f"{t} is not null and lower({t}) not in ('yes', 'no', 'y', 'n', 'true', 'false', '1', '0')"
    return f"{t} is not null and not regexp_full_match({t}, ${p})"


def _condition(contract: Contract, rule: Rule, p: str, lazy: bool = False) -> tuple[str, Any]:
    """(SQL true when a row breaks the rule, the value bound as $p if any)."""
    c = [_ident(x) for x in rule.columns]
    k = rule.kind
    kind = contract.columns[c[0]].type if c[0] in contract.columns else None
    text = _text(f"raw_{c[0]}") if lazy and kind in NUMERIC_TYPES else f"{c[0]}__text"
    if k == "required":     # on the text: a cell that says `0x10` is given, and not a number
        return f"{text} is null", None
    if k == "type":
        return _type_condition(kind, text, p), rule.value
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
        all_null = " and ".join(f"{x} is null" for x in c)
        return f"key_count > 1 and not ({all_null})", None
    if k == "at_most":
        return f"{c[0]} > {c[1]}", None
    if k == "after_month":
        return f"{c[0]} < {c[1]}", None
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
    if rule.kind == "after_month":
        return f", {c[0]}__text, {_ident(rule.value)}__text"
    if rule.kind == "in_register":
        return f", {c[0]}"
    return f", {c[0]}__text"


def _conditions(contract: Contract, limits: Limits,
                lazy: bool = False) -> tuple[list[tuple[Rule, str]], dict[str, Any]]:
    params: dict[str, Any] = {}
    out = []
    for i, rule in enumerate(contract.rules()):
        cond, value = _condition(contract, rule, f"v{i}", lazy)
        if rule.kind == "not_in_future":
            value = limits.for_type(rule.value)
        if f"$v{i}" in cond:
            params[f"v{i}"] = value
        out.append((rule, f"coalesce({cond}, false)"))
    return out, params


def _free_text(contract: Contract) -> list[str]:
    """Columns whose rules allow any text (so a totals row's `Total` can pass them)."""
    constrained = {r.columns[0] for r in contract.rules() if r.kind in ("type", "allowed", "in_register")}
    return [c for c in contract.columns if c not in constrained]


def check_query(contract: Contract, limits: Limits, *, source: str, present: set[str], cells: list[str],
                numbered: bool, keep_text: bool) -> tuple[str, dict[str, Any]]:
    """ONE pass over a file's text, typing each cell once: `source` gives `raw_<name>` for the
    contract columns the file has (`present`) and `extra_<n>` for the others (`cells` names them
    all, in the file's order), and `row_number` when `numbered`. Gives [`row_number`,] `blank`
    (every cell empty), every typed column, `broken` (the row breaks a rule; the key's rule needs
    the whole file and is `duplicates_query`'s) and `cells`, the row as read, kept only for the
    rows broken or that may be a totals row (a free-text cell mentions a total), and `row_hash`
    (`_row_hash`, for recognising rows loaded before). With `keep_text`
    the text and derived columns are kept too (Great Expectations reads them); without, only the
    typed values, which saves memory on big files, and numbers are typed lazily (`typed_select`)."""
    lazy = not keep_text
    conditions, params = _conditions(contract, limits, lazy)
    broken = [c for rule, c in conditions if rule.kind not in ("key_unique", "type")]
    types = [(rule, c) for rule, c in conditions if rule.kind == "type"]
    if not lazy:
        broken += [c for _, c in types]
    elif any(r.columns[0] in present for r, _ in types):
        # The cells as read, joined, against the rules' patterns joined: a row that matches
        # (almost every row) has every cell of its type, so the rules' own tests, on trimmed text,
        # run only on the others. One pattern per row costs far less than one per cell.
        given = [r for r, _ in types if r.columns[0] in present]
        params["types_joined"] = "^" + _SEP.join(
            f"(?:{str(r.value).removeprefix('^').removesuffix('$')})?" for r in given) + "$"
        joined = "concat(" + ", chr(31), ".join(f"raw_{_ident(r.columns[0])}" for r in given) + ")"
        broken.append(f"case when regexp_full_match({joined}, $types_joined) then false else "
                      + " or ".join(c for _, c in types) + " end")
    raws = [_ident(c) for c in cells]
    extras = [c for c in raws if not c.startswith("raw_")]
    texts = [_text(f"raw_{c}") if lazy and col.type in NUMERIC_TYPES else f"{_ident(c)}__text"
             for c, col in contract.columns.items()]
    # Every value null first (cheap, and false for almost every row), then every cell empty.
    blank = ("case when " + " and ".join(f"{_ident(c)} is null" for c in contract.columns)
             + " then coalesce(" + ", ".join(texts + [_text(c) for c in extras]) + ") is null else false end")
    maybe_total = [f"contains(lower({_ident(c)}__text), 'total')" for c in _free_text(contract)]
    maybe_total += [f"contains(lower({c}), 'total')" for c in extras]
    # Whole numbers kept as integers: every row that is loaded has one that fits (its pattern
    # allows 9 digits); a broken row's values are typed again from its cells by `problems_query`.
    values = ["*"] if keep_text else [f"try_cast({_ident(c)} as integer) as {_ident(c)}" if col.type == "integer"
                                      else _ident(c) for c, col in contract.columns.items()]
    text = (
        "with stage_typed as (\n" + typed_select(contract, present, source, tuple(raws),
                                                  ("row_number",) if numbered else (), lazy)
        + "\n),\n\nflagged as (\n    select *,\n        " + blank + " as blank,\n        "
        + "\n        or ".join(broken or ["false"]) + " as broken,\n        "
        + (" or ".join(f"coalesce({m}, false)" for m in maybe_total) or "false") + " as maybe_total\n"
        "    from stage_typed\n)\n\n"
        "select " + ", ".join(values) + (" exclude (" + ", ".join(raws + ["maybe_total"]) + ")" if keep_text else "")
        + (",\n    row_number" if numbered and not keep_text else "")
        + ("" if keep_text else ",\n    blank, broken")
        + ",\n    case when broken or maybe_total then [" + ", ".join(raws) + "] end as cells,\n    "
        + _row_hash(contract, present) + " as row_hash\nfrom flagged"
    )
    return text, params


def _row_hash(contract: Contract, present: set[str]) -> str:
    """SQL giving a 64-bit hash of a row's contract cells as read, in the contract's column order
    (so not the file's), blank and missing alike: the same rows hash the same whatever the file's
    encoding, line endings or column order. A column added later (`added_later`) that the file
    lacks is left out, so files of the columns before it hash as they did. DuckDB's `hash`: not a cryptographic one (it tells a
    copy from a change; it proves nothing), but a sixth of the time of an MD5 of the cells, timed
    on a million rows of 22 cells."""
    cells = [f"nullif(raw_{_ident(c)}, '')" if c in present else "cast(null as varchar)"
             for c, col in contract.columns.items() if c in present or not col.added_later]
    return "hash(" + ", ".join(cells) + ")"


def duplicates_query(contract: Contract) -> str:
    """Over `stage_checked` (the rows of the files, typed): each key that more than one row of a
    file gives, with `key_count`, its number of rows. Grouping millions of rows by one hash of
    the key costs less than by the key itself, so the keys are counted only where their hash
    repeats (a hash shared by two keys only brings both in to be counted)."""
    key = ", ".join(["file_no", *(_ident(k) for k in contract.key)])
    return (f"with repeated as (\n    select hash({key}) as h\n    from stage_checked\n    group by h\n"
            "    having count(*) > 1\n)\n\n"
            f"select {key}, count(*) as key_count\nfrom stage_checked\n"
            f"where hash({key}) in (select h from repeated)\ngroup by {key}\nhaving count(*) > 1")


def key_match(contract: Contract, a: str, b: str) -> str:
    """SQL true when rows `a` and `b` (aliases we chose) have the same key, nulls matching."""
    return " and ".join(f"{a}.{_ident(k)} is not distinct from {b}.{_ident(k)}" for k in contract.key)


def key_given(contract: Contract, a: str) -> str:
    """SQL true when row `a` gives some part of the key (rows with none are not duplicates)."""
    return "not (" + " and ".join(f"{a}.{_ident(k)} is null" for k in contract.key) + ")"


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
