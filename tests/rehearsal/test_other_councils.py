"""Other councils' placements in a rehearsal: counted as their own funder, listed as placing
councils to tell (per host council area), and, where a home's return does not give them, said so."""

from __future__ import annotations

from pathlib import Path

from market_oversight import store
from market_oversight.rehearsal import pack
from market_oversight.rehearsal.plan import rehearse
from tests.demo_cache import copy_warehouse
from tests.rehearsal.conftest import LATEST, build_market
from tests.risk.conftest import HandMade


def _market(tmp_path: Path, empty_warehouse: Path, **f1: int) -> Path:
    wh = HandMade(copy_warehouse(empty_warehouse, tmp_path / "warehouse.duckdb"))
    path = build_market(wh)
    if f1:   # F1's latest return as a home that gives other councils' placements sends it
        with store.warehouse(path, publish=False) as con:
            con.execute("update care_home_returns set residents_other_councils = $other, "
                        "residents_self_funded = $self_funded where location_id = 'F1' and period = $period",
                        {**f1, "period": LATEST})
    return path


def _run(db: Path, scope: str = "brand", id: str = "BX"):
    with store.warehouse(db, read_only=True) as con:
        return rehearse(con, scope, id, 20)


def test_placements_by_other_councils_are_a_funder_and_their_councils_are_told(tmp_path, empty_warehouse) -> None:
    # F1: 30 residents, 12 council, 3 NHS, 9 self-funded and 6 placed by other councils
    result = _run(_market(tmp_path, empty_warehouse, other=6, self_funded=9))
    assert result.people["by_funder"] == {"council": 50, "other_councils": 6, "nhs": 18, "self_funded": 26,
                                          "not_known": 0}
    told = [(r["who"], r["organisation"], r["locations"], r["people"]) for r in result.notify.to_dicts()]
    assert ("Placing councils", "Councils placing residents in Oldham", 2, 6) in told
    assert not [t for t in told if t[0] == "Placing councils" and "Rochdale" in t[1]]   # none placed there
    # F2 (a care home) does not give the figure: said in the notes
    assert any(n.startswith("1 of the care homes in scope do not say") for n in result.notes)
    assert "6 placed by other councils" in pack.summary_lines(result)[1]


def test_homes_that_do_not_give_the_figure_count_under_funder_not_given(tmp_path, empty_warehouse) -> None:
    # F1's residents as before the column: 12 council, 3 NHS, 15 self-funded
    result = _run(_market(tmp_path, empty_warehouse))
    assert result.people["by_funder"]["other_councils"] == 0
    assert "Placing councils" not in result.notify["who"].to_list()
    assert any(n.startswith("2 of the care homes in scope do not say") for n in result.notes)
    assert "placed by other councils" not in pack.summary_lines(result)[1]
