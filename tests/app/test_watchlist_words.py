"""The watchlist's cells in words, made a column at a time, say what the one rule for a single row
says (vocab.gravest_stage)."""

from __future__ import annotations

import itertools

import polars as pl

from market_oversight import fmt
from market_oversight.queries import watchlist
from market_oversight.vocab import CONCERN_STAGES, gravest_stage


def test_the_concerns_cell_names_the_gravest_stage_in_force_as_gravest_stage_does() -> None:
    stages = (*CONCERN_STAGES, "a_stage_not_known")
    lists = [None, [], ["a_stage_not_known"]] + [list(order) for n in range(1, len(stages) + 1)
                                                  for order in itertools.permutations(stages, n)]
    df = pl.DataFrame({"stages_in_force": lists}, schema={"stages_in_force": pl.List(pl.String)})

    cells = df.select(watchlist.concern_stage()).to_series().to_list()

    assert cells == [fmt.CONCERN_STAGE_LABELS.get(gravest_stage(stages) or "", "") for stages in lists]
    assert cells[lists.index(["large_scale_enquiry", "enhanced_monitoring"])] == "Large-scale enquiry"
    assert cells[:3] == ["", "", ""]
