"""Casework rules, on a real casework file: who may write, and entries that make no sense refused."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from market_oversight import audit, casework, roles
from market_oversight.errors import CaseworkError, PermissionDenied

MANAGER = roles.User("cm@kingsmere.example", "Contract manager", roles.Role.CONTRACT_MANAGER)
OFFICER = roles.User("data@kingsmere.example", "Data officer", roles.Role.DATA_OFFICER)
TODAY = date(2026, 11, 2)


def test_a_data_officer_may_not_write_casework_and_nothing_is_stored(db_path: Path) -> None:
    with pytest.raises(PermissionDenied, match="data officer and may not casework"):
        casework.add_note(db_path, OFFICER, "1-1", "hello")
    with pytest.raises(PermissionDenied):
        casework.suspend_placements(db_path, OFFICER, "1-1", TODAY, "reason")
    assert casework.location_casework(db_path, "1-1").notes.is_empty()


def test_suspension_imposed_once_lifted_once_and_audited(db_path: Path) -> None:
    suspension = casework.suspend_placements(db_path, MANAGER, "1-1", TODAY, "Safeguarding enquiry")
    with pytest.raises(CaseworkError, match="already suspended .*since 2 November 2026.*lift that suspension first"):
        casework.suspend_placements(db_path, MANAGER, "1-1", TODAY, "Again")
    with pytest.raises(CaseworkError, match="before the suspension began"):
        casework.lift_suspension(db_path, MANAGER, suspension, TODAY - timedelta(days=1), "Closed")
    casework.lift_suspension(db_path, MANAGER, suspension, TODAY, "Enquiry closed")
    with pytest.raises(CaseworkError, match="already lifted"):
        casework.lift_suspension(db_path, MANAGER, suspension, TODAY, "Closed again")
    record = casework.location_casework(db_path, "1-1")
    assert not record.suspended and record.suspensions["lift_reason"].to_list() == ["Enquiry closed"]
    actions = [r[3] for r in audit.recent(db_path) if r[4] == "1-1"]
    assert actions.count("suspension_imposed") == 1 and actions.count("suspension_lifted") == 1
    assert audit.verify_chain(db_path).intact


def test_actions_need_an_owner_and_a_date_not_in_the_past(db_path: Path) -> None:
    with pytest.raises(CaseworkError, match="Enter who owns the action"):
        casework.add_action(db_path, MANAGER, "1-1", "Visit", " ", TODAY, today=TODAY)
    with pytest.raises(CaseworkError, match="in the past: enter today or a later date"):
        casework.add_action(db_path, MANAGER, "1-1", "Visit", "sam", TODAY - timedelta(days=1), today=TODAY)
    action = casework.add_action(db_path, MANAGER, "1-1", "Visit", "sam", TODAY, today=TODAY)
    casework.set_action_status(db_path, MANAGER, action, "done")
    assert casework.location_casework(db_path, "1-1").actions["status"].to_list() == ["done"]
    assert casework.market_casework(db_path).actions.is_empty()  # the market list shows open ones


def test_rag_override_goes_through_the_risk_module_and_can_be_withdrawn(db_path: Path) -> None:
    with pytest.raises(CaseworkError, match="Enter the reason"):
        casework.override_rag(db_path, MANAGER, "1-1", "amber", "", TODAY + timedelta(days=30))
    override = casework.override_rag(db_path, MANAGER, "1-1", "amber", "New manager", date.today() + timedelta(days=30))
    assert casework.location_casework(db_path, "1-1").active_override["override_id"] == override
    casework.withdraw_override(db_path, MANAGER, override)
    assert casework.location_casework(db_path, "1-1").active_override is None
