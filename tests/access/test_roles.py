"""Roles on the server side: the write functions themselves refuse a role that lacks the permission,
write nothing, and every allowed write leaves an audit row naming who made it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
import shutil
from pathlib import Path

import pytest

from market_oversight import audit, casework, concerns, store, upload_ingest
from market_oversight.config import load_settings
from market_oversight.errors import PermissionDenied
from market_oversight.paths import casework_path
from market_oversight.roles import Permission, Role, User
from market_oversight.uploads import UploadLimits, receive_upload

TODAY = date.today()
LOC = "1-101"
USERS = {role: User(f"{role.value}@council.example", role.value, role) for role in Role}
TABLES = (*store.CASEWORK_TABLES, "audit_log")


def _counts(db: Path) -> dict[str, int]:
    with store.casework(db) as con:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}  # fixed names


@pytest.fixture(scope="module")
def seeded_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One of each thing a later write acts on, made by a contract manager (built once)."""
    db = tmp_path_factory.mktemp("seeded") / "warehouse.duckdb"
    cm = USERS[Role.CONTRACT_MANAGER]
    ids = {
        "action": casework.add_action(db, cm, LOC, "Visit", "cm", TODAY + timedelta(days=7)),
        "suspension": casework.suspend_placements(db, cm, LOC, TODAY, "Safeguarding enquiry"),
        "override": casework.override_rag(db, cm, LOC, "red", "Known concerns", TODAY + timedelta(days=30)),
        "concern": concerns.open_concern(db, cm, stage="enhanced_monitoring", opened_on=TODAY,
                                         lead_officer="cm", agencies=["CQC"], reason="Alerts", location_id=LOC),
    }
    ids["plan_action"] = concerns.add_plan_action(db, cm, ids["concern"], "Recruit a manager", "Provider",
                                                  TODAY + timedelta(days=30))
    return db, ids


@pytest.fixture
def seeded(seeded_once: tuple[Path, dict[str, str]], db_path: Path) -> dict[str, str]:
    shutil.copyfile(casework_path(seeded_once[0]), casework_path(db_path))
    return seeded_once[1]


WRITES: dict[str, tuple[str, Callable[[Path, User, dict[str, str]], object]]] = {
    "add a note": ("casework", lambda db, u, s: casework.add_note(db, u, LOC, "Called the manager")),
    "add an action": ("casework", lambda db, u, s: casework.add_action(
        db, u, LOC, "Check rota", "me", TODAY + timedelta(days=3))),
    "close an action": ("casework", lambda db, u, s: casework.set_action_status(db, u, s["action"], "done")),
    "record a visit": ("casework", lambda db, u, s: casework.record_visit(db, u, LOC, TODAY, "Good", "ok")),
    "suspend placements": ("suspend", lambda db, u, s: casework.suspend_placements(
        db, u, "1-202", TODAY, "Enquiry")),
    "lift a suspension": ("suspend", lambda db, u, s: casework.lift_suspension(
        db, u, s["suspension"], TODAY, "Plan completed")),
    "override a RAG": ("override", lambda db, u, s: casework.override_rag(
        db, u, LOC, "amber", "Improving", TODAY + timedelta(days=10))),
    "withdraw an override": ("override", lambda db, u, s: casework.withdraw_override(db, u, s["override"])),
    "open a concern": ("casework", lambda db, u, s: concerns.open_concern(
        db, u, stage="serious_concerns", opened_on=TODAY, lead_officer="me", agencies=["ICB"],
        reason="Alerts", provider_id="1-P9")),
    "change a concern's stage": ("casework", lambda db, u, s: concerns.change_stage(
        db, u, s["concern"], "large_scale_enquiry", TODAY, "Several alerts")),
    "close a concern": ("casework", lambda db, u, s: concerns.close_concern(db, u, s["concern"], TODAY, "Done")),
    "record a concern meeting": ("casework", lambda db, u, s: concerns.record_meeting(
        db, u, s["concern"], TODAY, "QA, ICB, CQC", "Weekly visits")),
    "add an improvement-plan action": ("casework", lambda db, u, s: concerns.add_plan_action(
        db, u, s["concern"], "Train staff", "Provider", TODAY + timedelta(days=20))),
    "mark a plan action done": ("casework", lambda db, u, s: concerns.mark_plan_action_done(
        db, u, s["plan_action"], TODAY)),
    "link a safeguarding enquiry": ("casework", lambda db, u, s: concerns.link_enquiry(
        db, u, s["concern"], "SG-2026/0042", TODAY)),
    "suspend placements in part": ("suspend", lambda db, u, s: casework.suspend_placements(
        db, u, "1-202", TODAY, "Enquiry", scope="partial", categories=["nursing"],
        review_on=TODAY + timedelta(days=28))),
    "upload a file": ("upload", lambda db, u, s: receive_upload(
        db, u, "returns.csv", b"location_id\n1-101\n", UploadLimits.from_settings(load_settings()))),
    "load an uploaded file": ("upload", lambda db, u, s: upload_ingest.run_ingest(
        db, u, "returns", db.parent / "returns.csv")),
}


REFUSED = [(write, role) for write, (permission, _) in WRITES.items() for role in Role
           if not USERS[role].can(Permission(permission))]


def test_every_role_but_the_administrator_is_refused_something() -> None:
    assert {role for _, role in REFUSED} == {Role.VIEWER, Role.DATA_OFFICER, Role.CONTRACT_MANAGER}
    assert {w for w, r in REFUSED if r is Role.VIEWER} == set(WRITES)


@pytest.mark.parametrize(("write", "role"), REFUSED)
def test_a_role_without_the_permission_is_refused_and_nothing_is_written(
        db_path: Path, seeded: dict[str, str], role: Role, write: str) -> None:
    permission, call = WRITES[write]
    user = USERS[role]
    before = _counts(db_path)
    with pytest.raises(PermissionDenied, match=f"is a {role.value.replace('_', ' ')} and may not {permission}"):
        call(db_path, user, seeded)
    assert _counts(db_path) == before


@pytest.mark.parametrize(("write", "role"), [
    ("add a note", Role.CONTRACT_MANAGER), ("add an action", Role.CONTRACT_MANAGER),
    ("close an action", Role.CONTRACT_MANAGER), ("record a visit", Role.CONTRACT_MANAGER),
    ("suspend placements", Role.CONTRACT_MANAGER), ("lift a suspension", Role.CONTRACT_MANAGER),
    ("override a RAG", Role.CONTRACT_MANAGER), ("withdraw an override", Role.CONTRACT_MANAGER),
    ("upload a file", Role.DATA_OFFICER), ("add a note", Role.ADMINISTRATOR),
    ("open a concern", Role.CONTRACT_MANAGER), ("change a concern's stage", Role.CONTRACT_MANAGER),
    ("close a concern", Role.CONTRACT_MANAGER), ("record a concern meeting", Role.CONTRACT_MANAGER),
    ("add an improvement-plan action", Role.CONTRACT_MANAGER), ("mark a plan action done", Role.CONTRACT_MANAGER),
    ("link a safeguarding enquiry", Role.CONTRACT_MANAGER), ("suspend placements in part", Role.CONTRACT_MANAGER),
    ("open a concern", Role.ADMINISTRATOR), ("change a concern's stage", Role.ADMINISTRATOR),
])
def test_an_allowed_write_leaves_one_audit_row_naming_its_author(
        db_path: Path, seeded: dict[str, str], write: str, role: Role) -> None:
    before = audit.recent(db_path, limit=1000)
    WRITES[write][1](db_path, USERS[role], seeded)
    after = audit.recent(db_path, limit=1000)
    new = after[: len(after) - len(before)]
    assert len(new) >= 1 and all(row[2] == USERS[role].email for row in new)
    assert audit.verify_chain(db_path).intact
