"""Provider concerns and scoped suspensions under the audit log: every row sealed, an edit made with
a shell found, and the seals of suspensions written before the scope columns still holding."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from market_oversight import audit, casework, concerns, store
from market_oversight.errors import CaseworkError
from market_oversight.paths import PROJECT_ROOT, casework_path
from market_oversight.roles import Role, User

TODAY = date.today()
CM = User("cm@council.example", "Casey", Role.CONTRACT_MANAGER)


def _a_full_concern(db: Path) -> dict[str, str]:
    cid = concerns.open_concern(db, CM, stage="enhanced_monitoring", opened_on=TODAY - timedelta(days=20),
                                lead_officer="Ann Lead", agencies=["ICB", "CQC", " "], reason="Two alerts",
                                location_id="1-101")
    return {
        "concern": cid,
        "stage": concerns.change_stage(db, CM, cid, "serious_concerns", TODAY - timedelta(days=10), "Third alert"),
        "meeting": concerns.record_meeting(db, CM, cid, TODAY - timedelta(days=9), "QA, ICB, CQC",
                                           "Suspend nursing placements; weekly visits"),
        "action": concerns.add_plan_action(db, CM, cid, "Recruit nurses", "Provider", TODAY + timedelta(days=30)),
        "enquiry": concerns.link_enquiry(db, CM, cid, "SG-2026/0042", TODAY - timedelta(days=12)),
    }


def test_every_concern_write_is_sealed_and_the_chain_holds(db_path: Path) -> None:
    ids = _a_full_concern(db_path)
    concerns.mark_plan_action_done(db_path, CM, ids["action"], TODAY)
    concerns.close_concern(db_path, CM, ids["concern"], TODAY, "Plan completed")
    rows = audit.recent(db_path)
    assert [r[3] for r in reversed(rows)] == [
        "concern_opened", "concern_stage", "concern_stage", "concern_meeting", "plan_action_added",
        "enquiry_linked", "plan_action_done", "concern_closed"]
    assert all(r[2] == CM.email and r[4] == "1-101" for r in rows)
    assert audit.verify_chain(db_path).intact
    record = concerns.location_concerns(db_path, "1-101", "P1")
    assert record.stage is None                                    # closed: no stage in force
    assert record.concerns.row(0, named=True)["agencies"] == ["CQC", "ICB"]
    assert record.stages["stage"].to_list() == ["enhanced_monitoring", "serious_concerns"]


@pytest.mark.parametrize(("table", "edit", "what"), [
    ("concern_stages", "update concern_stages set stage = 'enhanced_monitoring' where stage_id = '{stage}'",
     "concern stage {stage} was changed"),
    ("concern_meetings", "update concern_meetings set decisions = 'Nothing' where meeting_id = '{meeting}'",
     "concern meeting {meeting} was changed"),
    ("concern_actions", "delete from concern_actions where plan_action_id = '{action}'",
     "improvement-plan action {action} was removed"),
    ("concern_enquiries", "update concern_enquiries set reference = 'X1' where enquiry_id = '{enquiry}'",
     "linked safeguarding enquiry {enquiry} was changed"),
    ("concerns", "update concerns set closed_on = current_date where concern_id = '{concern}'",
     "provider concern {concern} was changed"),
])
def test_a_concern_row_edited_with_a_shell_is_found(db_path: Path, table: str, edit: str, what: str) -> None:
    ids = _a_full_concern(db_path)
    with duckdb.connect(str(casework_path(db_path))) as con:
        con.execute(edit.format(**ids))
    report = audit.verify_chain(db_path)
    assert not report.intact and what.format(**ids) in report.problem


def test_a_suspension_sealed_before_the_scope_columns_still_verifies(db_path: Path) -> None:
    # Given a casework file at the schema before concerns and scopes (made now, then taken back to
    # it), with a suspension written and sealed as that version wrote it
    path = casework_path(db_path)
    with store.casework(db_path):
        pass
    with duckdb.connect(str(path)) as con:
        con.execute("delete from meta.schema_version where version >= 20")
        for table in ("concerns", "concern_stages", "concern_meetings", "concern_actions", "concern_enquiries",
                      "contingency_plans", "oversight_notices"):
            con.execute(f"drop table {table}")  # fixed names
        for column in ("scope", "categories", "review_on"):
            con.execute(f"alter table placement_suspensions drop column {column}")
    old_id = _old_suspension(db_path)
    # When the file is opened by this version (migrations 020 and 021 run)
    with store.casework(db_path) as con:
        scope = con.execute("select scope, categories, review_on from placement_suspensions").fetchall()
    # Then the old row reads as a full suspension and its seal still holds
    assert scope == [("full", None, None)]
    assert audit.verify_chain(db_path).intact, old_id
    # and a change to the new columns made with a shell is found
    with duckdb.connect(str(path)) as con:
        con.execute("update placement_suspensions set scope = 'voluntary'")
    assert "placement suspension" in audit.verify_chain(db_path).problem


def _old_suspension(db: Path) -> str:
    """A suspension and its audit row written as the version before scopes wrote them."""
    with duckdb.connect(str(casework_path(db))) as con:
        con.execute("begin")
        sid = con.execute("insert into placement_suspensions (location_id, imposed_on, reason, imposed_by) "
                          "values ('1-101', current_date, 'Enquiry', 'cm@council.example') "
                          "returning cast(suspension_id as varchar)").fetchone()[0]
        audit.record(con, "cm@council.example", "suspension_imposed", "1-101", {"suspension_id": sid},
                     row=("placement_suspensions", sid))
        con.execute("commit")
    return sid


@pytest.mark.parametrize(("reference", "ok"), [
    ("SG-2026/0042", True), ("LSE.17_b", True), ("Mrs Jane Smith", False), ("12 High Street", False),
    ("", False), ("x", False)])
def test_an_enquiry_is_held_by_reference_only(db_path: Path, reference: str, ok: bool) -> None:
    cid = concerns.open_concern(db_path, CM, stage="serious_concerns", opened_on=TODAY, lead_officer="Ann",
                                agencies=[], reason="Alert", provider_id="P1")
    if ok:
        concerns.link_enquiry(db_path, CM, cid, reference, TODAY)
    else:
        with pytest.raises(CaseworkError, match="no spaces"):
            concerns.link_enquiry(db_path, CM, cid, reference, TODAY)


@pytest.mark.parametrize(("call", "message"), [
    (lambda db, cid: concerns.change_stage(db, CM, cid, "serious_concerns", TODAY, "again"), "already at serious"),
    (lambda db, cid: concerns.change_stage(db, CM, cid, "large_scale_enquiry", TODAY - timedelta(days=40), "x"),
     "cannot begin before"),
    (lambda db, cid: concerns.open_concern(db, CM, stage="enhanced_monitoring", opened_on=TODAY, lead_officer="B",
                                           agencies=[], reason="x", location_id="1-101"), "already open"),
    (lambda db, cid: concerns.record_meeting(db, CM, cid, TODAY + timedelta(days=1), "QA", "x"), "in the future"),
    (lambda db, cid: concerns.change_stage(db, CM, cid, "critical", TODAY, "x"), "Choose the stage"),
    (lambda db, cid: casework.suspend_placements(db, CM, "1-101", TODAY, "x", scope="partial"), "kinds of care"),
    (lambda db, cid: casework.suspend_placements(db, CM, "1-101", TODAY, "x", scope="joint",
                                                 categories=["nursing"]), "Only a partial"),
    (lambda db, cid: casework.suspend_placements(db, CM, "1-101", TODAY, "x",
                                                 review_on=TODAY - timedelta(days=1)), "review date"),
])
def test_a_write_that_makes_no_sense_is_refused_and_nothing_is_written(db_path: Path, call, message: str) -> None:
    cid = concerns.open_concern(db_path, CM, stage="serious_concerns", opened_on=TODAY - timedelta(days=30),
                                lead_officer="Ann", agencies=[], reason="Alert", location_id="1-101")
    before = len(audit.recent(db_path))
    with pytest.raises(CaseworkError, match=message):
        call(db_path, cid)
    assert len(audit.recent(db_path)) == before


def test_the_casework_migrations_name_every_sealed_table() -> None:
    text = "\n".join(p.read_text() for p in sorted((PROJECT_ROOT / "sql" / "casework").glob("*.sql")))
    assert all(f"create table {t} " in text for t in audit.SEALED)
    assert set(audit.SEALED) <= set(store.CASEWORK_TABLES)
