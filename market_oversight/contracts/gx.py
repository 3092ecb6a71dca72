"""A contract compiled into a Great Expectations 1.x expectation suite, and run on a frame.

GX is the judge of each load: its result (pass or fail, and for each rule how many rows broke it)
is stored with the batch. Each expectation carries its rule's name in `meta`, so its counts can be
set beside the SQL query's (`contracts.sql`), which finds the rows themselves.
Great Expectations takes seconds to import, so it is imported only when a suite is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from market_oversight.contracts.model import Contract, Rule
from market_oversight.errors import ContractError
from market_oversight.contracts.sql import Limits


@dataclass(frozen=True)
class RuleResult:
    rule: str
    success: bool
    unexpected_count: int


@dataclass(frozen=True)
class Judgement:
    success: bool
    results: list[RuleResult]
    gx_version: str


def _expectation(rule: Rule, limits: Limits, known: dict[str, list[str]]):
    import great_expectations.expectations as gxe

    c, k, meta = rule.columns, rule.kind, {"rule": rule.name}
    if k == "required":        # the text, as the SQL check: `0x10` is given (and not a number)
        return gxe.ExpectColumnValuesToNotBeNull(column=c[0] + "__text", meta=meta)
    if k == "one_of":
        return gxe.ExpectColumnValuesToNotBeNull(column=c[0], meta=meta)
    if k == "type":
        return gxe.ExpectColumnValuesToMatchRegex(column=c[0] + "__text", regex=rule.value, meta=meta)
    if k == "min":
        return gxe.ExpectColumnValuesToBeBetween(column=c[0], min_value=rule.value, meta=meta)
    if k == "min_exclusive":
        return gxe.ExpectColumnValuesToBeBetween(column=c[0], min_value=rule.value, strict_min=True, meta=meta)
    if k == "max":
        return gxe.ExpectColumnValuesToBeBetween(column=c[0], max_value=rule.value, meta=meta)
    if k == "allowed":
        return gxe.ExpectColumnValuesToBeInSet(column=c[0], value_set=list(rule.value), meta=meta)
    if k == "not_in_future":   # staged dates reach pandas as datetime64, so compare with a datetime
        limit = limits.for_type(rule.value)
        limit = limit if isinstance(limit, datetime) else datetime.combine(limit, time())
        return gxe.ExpectColumnValuesToBeBetween(column=c[0], max_value=limit, meta=meta)
    if k == "in_register":
        return gxe.ExpectColumnValuesToBeInSet(column=c[0], value_set=known[rule.value], meta=meta)
    if k == "key_unique":
        return gxe.ExpectCompoundColumnsToBeUnique(column_list=list(c), meta=meta)
    if k == "at_most":
        return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=c[1], column_B=c[0], or_equal=True, ignore_row_if="either_value_is_missing", meta=meta)
    if k == "after_month":     # the moment at or after the first moment of the next month
        return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=c[0], column_B=c[1], or_equal=True, ignore_row_if="either_value_is_missing", meta=meta)
    if k == "pair_allowed":
        return gxe.ExpectColumnPairValuesToBeInSet(
            column_A=c[0], column_B=c[1], value_pairs_set=[tuple(p) for p in rule.value],
            ignore_row_if="either_value_is_missing", meta=meta)
    raise ValueError(f"unknown rule kind {k}")


def suite(contract: Contract, limits: Limits, known: dict[str, list[str]]):
    """The contract as a GX ExpectationSuite; `known` holds the register's IDs by reference name."""
    import great_expectations as gx

    # Given whole: add_expectation compares each new one with all before it (seconds for 50).
    return gx.ExpectationSuite(name=contract.dataset,
                               expectations=[_expectation(r, limits, known) for r in contract.rules()])


def frame_columns(contract: Contract) -> list[str]:
    """The staged columns the suite reads (the frame GX gets holds only these)."""
    cols: list[str] = []
    for rule in contract.rules():
        cols += [c + "__text" for c in rule.columns] if rule.kind in ("type", "required") else list(rule.columns)
    return list(dict.fromkeys(cols))


def _exception(info: Any) -> str | None:
    """The message of an exception GX caught while evaluating an expectation (its result then says
    only 'failed'); GX nests these per metric."""
    if not isinstance(info, dict):
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    return next((m for v in info.values() if (m := _exception(v))), None)


def judge(contract: Contract, frame: Any, limits: Limits, known: dict[str, list[str]]) -> Judgement:
    """Run the suite on a pandas frame of the staged columns with an ephemeral GX context."""
    import logging

    import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    source = context.data_sources.add_pandas(f"{contract.dataset}_source")
    asset = source.add_dataframe_asset(contract.dataset)
    batch = asset.add_batch_definition_whole_dataframe("load").get_batch(
        batch_parameters={"dataframe": frame})
    result = batch.validate(suite(contract, limits, known), result_format="BASIC")
    out = []
    for r in result.results:
        problem = _exception(r.exception_info)
        if problem:
            raise ContractError(f"Great Expectations could not evaluate rule "
                                f"{r.expectation_config.meta['rule']}: {problem}")
        out.append(RuleResult(r.expectation_config.meta["rule"], bool(r.success),
                              int((r.result or {}).get("unexpected_count") or 0)))
    return Judgement(bool(result.success), out, gx.__version__)
