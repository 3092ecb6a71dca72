"""The contingency register and Market Oversight notices: written by contract managers and
administrators only (refused for viewers and data officers on the server, nothing written), every
row sealed in the audit log, an edit made with a shell found, and dates checked."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from market_oversight import audit, contingency, store
from market_oversight.errors import CaseworkError, PermissionDenied
from market_oversight.paths import casework_path
from market_oversight.roles import Role, User

TODAY = date.today()
CM = User("cm@council.example", "Casey", Role.CONTRACT_MANAGER)
ADMIN = User("admin@council.example", "Ada", Role.ADMINISTRATOR)


def _review(db: Path, user: User = CM, **changes) -> str:
    given = {"plan_held": True, "owner": "Head of commissioning", "reviewed_on": TODAY - timedelta(days=200),
             "next_review_on": TODAY - timedelta(days=17), "note": "Plan tested at the March exercise"}
    return contingency.record_review(db, user, "1-900", **(given | changes))


def _notice(db: Path, user: User = CM, **changes) -> str:
    given = {"notice_on": TODAY - timedelta(days=3), "kind": "likely_failure", "note": "CQC s.56 letter"}
    return contingency.record_notice(db, user, "1-900", **(given | changes))


def _rows(db: Path, table: str) -> list[tuple]:
    with store.casework(db, writing=False) as con:
        return con.execute(f"select * from {table}").fetchall()   # fixed names


def test_reviews_and_notices_are_written_audited_and_sealed(db_path: Path) -> None:
    plan = _review(db_path)
    later = _review(db_path, ADMIN, plan_held=False, owner="Commissioning lead", reviewed_on=TODAY,
                    next_review_on=TODAY + timedelta(days=90), note="  ")
    notice = _notice(db_path)
    rows = audit.recent(db_path)
    assert [(r[2], r[3], r[4]) for r in reversed(rows)] == [
        (CM.email, "contingency_reviewed", "1-900"), (ADMIN.email, "contingency_reviewed", "1-900"),
        (CM.email, "oversight_notice", "1-900")]
    assert {f"contingency_plans/{plan}", f"contingency_plans/{later}", f"oversight_notices/{notice}"} <= {
        __import__("json").loads(r[5])["row"] for r in rows}
    assert audit.verify_chain(db_path).intact
    held = {str(r[0]): (r[2], r[6]) for r in _rows(db_path, "contingency_plans")}
    assert held[plan] == (True, "Plan tested at the March exercise")
    assert held[later] == (False, None)                          # a blank note is no note


@pytest.mark.parametrize("role", [Role.VIEWER, Role.DATA_OFFICER])
def test_refused_for_viewers_and_data_officers_and_nothing_written(db_path: Path, role: Role) -> None:
    someone = User("v@council.example", "Vic", role)
    with pytest.raises(PermissionDenied):
        _review(db_path, someone)
    with pytest.raises(PermissionDenied):
        _notice(db_path, someone)
    assert _rows(db_path, "contingency_plans") == [] and _rows(db_path, "oversight_notices") == []
    assert audit.recent(db_path) == []


@pytest.mark.parametrize(("changes", "says"), [
    ({"reviewed_on": TODAY + timedelta(days=1)}, "is in the future"),
    ({"next_review_on": TODAY - timedelta(days=200)}, "must fall after the review"),
    ({"next_review_on": None}, "next review is due"),
    ({"owner": "  "}, "who owns the plan"),
])
def test_a_review_with_bad_dates_or_no_owner_is_refused(db_path: Path, changes: dict, says: str) -> None:
    with pytest.raises(CaseworkError, match=says):
        _review(db_path, **changes)
    assert _rows(db_path, "contingency_plans") == []


@pytest.mark.parametrize(("changes", "says"), [
    ({"kind": "takeover"}, "Choose the kind of notice"),
    ({"notice_on": TODAY + timedelta(days=2)}, "is in the future"),
    ({"note": ""}, "what the notice says"),
])
def test_a_notice_of_an_unknown_kind_a_future_date_or_no_note_is_refused(db_path: Path, changes: dict,
                                                                        says: str) -> None:
    with pytest.raises(CaseworkError, match=says):
        _notice(db_path, **changes)
    assert _rows(db_path, "oversight_notices") == []


@pytest.mark.parametrize(("edit", "what"), [
    ("update contingency_plans set next_review_on = next_review_on + 365 where plan_id = '{plan}'",
     "contingency plan review {plan} was changed"),
    ("delete from oversight_notices where notice_id = '{notice}'", "Market Oversight notice {notice} was removed"),
    ("insert into oversight_notices (provider_id, notice_on, kind, note, recorded_by) "
     "values ('1-900', current_date, 'other', 'slipped in', 'x')", "written outside the app"),
])
def test_a_register_row_edited_with_a_shell_is_found(db_path: Path, edit: str, what: str) -> None:
    ids = {"plan": _review(db_path), "notice": _notice(db_path)}
    with duckdb.connect(str(casework_path(db_path))) as con:
        con.execute(edit.format(**ids))
    report = audit.verify_chain(db_path)
    assert not report.intact and what.format(**ids) in report.problem
