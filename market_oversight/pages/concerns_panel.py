"""The provider-concerns panel on a profile: the council's concerns process about this service or
its provider (stage, meetings, improvement plan, linked safeguarding enquiries), with the forms to
run it. Writes go through `market_oversight.concerns`, which checks the role and writes the audit
log; this module only draws. What people typed is shown as text (st.text, tables), never Markdown."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import streamlit as st

from market_oversight import concerns, fmt
from market_oversight.pages import common
from market_oversight.pages.casework_panel import attempt
from market_oversight.queries import concerns_tables as tables
from market_oversight.roles import Permission, User
from market_oversight.vocab import AGENCIES, CONCERN_STAGES

FLASH = "concerns-flash"
TYPED = "concern-typed-"   # the keys of what a person typed start with this: emptied after a write


def show(user: User, location_id: str, provider_id: str | None, provider_name: str | None) -> None:
    db = common.db_path()
    if message := st.session_state.pop(FLASH, None):
        st.success(message, icon=":material/check_circle:")
        for key in [k for k in st.session_state if str(k).startswith(TYPED)]:
            del st.session_state[key]
    record = concerns.location_concerns(db, location_id, provider_id)
    open_now = record.open
    if open_now.is_empty():
        st.write("No concerns process is open for this service or its provider.")
    for row in record.concerns.iter_rows(named=True):
        _concern(db, user, row, record, provider_name)
    if not user.can(Permission.CASEWORK):
        st.caption(f"Your role ({user.role.value.replace('_', ' ')}) cannot open or update a concern. "
                   "Ask an administrator if you need to.")
        return
    open_about = {"location" if r["location_id"] else "provider" for r in open_now.iter_rows(named=True)}
    if len(open_about) < 2:
        _open_form(db, user, location_id, provider_id, provider_name, open_about)


def _concern(db, user: User, row: dict, record: concerns.Concerns, provider_name: str | None) -> None:
    with st.expander(tables.heading(row, provider_name), expanded=bool(row["is_open"]),
                     icon=":material/report:" if row["is_open"] else None):
        st.text(tables.opened_line(row))
        if not row["is_open"]:
            st.text(f"Why closed: {row['close_reason']}")
        mine = tables.parts(row["concern_id"], record.stages, record.meetings, record.actions, record.enquiries)
        can = row["is_open"] and user.can(Permission.CASEWORK)
        tabs = st.tabs(mine.tab_labels(can))
        key = f"{TYPED}{row['concern_id'][:8]}"
        with tabs[0]:
            st.dataframe(mine.stages_for_people(), hide_index=True, width="stretch")
        if can:
            with tabs[4]:
                _stage_forms(db, user, row, key)
        with tabs[1]:
            _meetings(mine.meetings)
            if can:
                _meeting_form(db, user, row, key)
        with tabs[2]:
            common.table(mine.actions_for_people(), "No improvement-plan actions yet.")
            if can:
                _plan_forms(db, user, row, mine.open_actions, key)
        with tabs[3]:
            st.caption("Held by reference and date only: the case system holds the rest.")
            common.table(mine.enquiries_for_people(), "No safeguarding enquiries linked.")
            if can:
                _enquiry_form(db, user, row, key)


def _meetings(meetings: pl.DataFrame) -> None:
    """Each meeting as a short block (a table's long cells are cut at a phone's width)."""
    if meetings.is_empty():
        st.write("No meetings recorded.")
    for m in meetings.iter_rows(named=True):
        st.markdown(f"**{fmt.long_date(m['meeting_date'])}**, recorded by {m['recorded_by']}")
        st.text(f"Attended: {m['attendees']}\nDecided: {m['decisions']}")


def _open_form(db, user: User, location_id: str, provider_id: str | None, provider_name: str | None,
               open_about: set[str]) -> None:
    choices = {k: v for k, v in {"location": "This service only",
                                 "provider": f"Every service of {provider_name or provider_id}"}.items()
               if k not in open_about and (k == "location" or provider_id)}
    with st.expander("Open a concern"), st.form("concern-open-form"):
        about = st.radio("About", list(choices), format_func=choices.get, horizontal=True, key="concern-about")
        stage_col, date_col = st.columns(2)
        stage = stage_col.selectbox("Stage", list(CONCERN_STAGES), format_func=fmt.concern_stage, key="concern-stage")
        opened = date_col.date_input("Opened on", value=date.today(), format="DD/MM/YYYY", key="concern-opened")
        lead = st.text_input("Lead officer", value=user.email, key=f"{TYPED}open-lead")
        agencies = st.multiselect("Agencies involved", list(AGENCIES), key=f"{TYPED}open-agencies",
                                  accept_new_options=True)
        reason = st.text_input("Why (what has happened, in a line)", key=f"{TYPED}open-reason")
        if st.form_submit_button("Open concern"):
            where = {"location_id": location_id} if about == "location" else {"provider_id": provider_id}
            attempt(lambda: concerns.open_concern(db, user, stage=stage, opened_on=opened, lead_officer=lead,
                                                  agencies=agencies, reason=reason, **where),
                    f"Concern opened at {fmt.concern_stage(stage).lower()}.", FLASH)


def _stage_forms(db, user: User, row: dict, key: str) -> None:
    with st.form(f"{key}-stage-form"):
        stage_col, date_col = st.columns(2)
        others = [s for s in CONCERN_STAGES if s != row["stage"]]
        stage = stage_col.selectbox("Move to", others, format_func=fmt.concern_stage, key=f"{key}-stage")
        since = date_col.date_input("From", value=date.today(), format="DD/MM/YYYY", key=f"{key}-stage-date")
        reason = st.text_input("Why the stage changes", key=f"{key}-stage-reason")
        if st.form_submit_button("Change stage"):
            attempt(lambda: concerns.change_stage(db, user, row["concern_id"], stage, since, reason),
                    f"Concern moved to {fmt.concern_stage(stage).lower()}.", FLASH)
    with st.form(f"{key}-close-form"):
        closed = st.date_input("Closed on", value=date.today(), format="DD/MM/YYYY", key=f"{key}-close-date")
        reason = st.text_input("Why the concern is closed", key=f"{key}-close-reason")
        if st.form_submit_button("Close concern"):
            attempt(lambda: concerns.close_concern(db, user, row["concern_id"], closed, reason),
                    "Concern closed.", FLASH)


def _meeting_form(db, user: User, row: dict, key: str) -> None:
    with st.form(f"{key}-meeting-form"):
        held = st.date_input("Date of the meeting", value=date.today(), format="DD/MM/YYYY", key=f"{key}-meeting-date")
        attendees = st.text_input("Who attended (roles and agencies)", key=f"{key}-attendees")
        decisions = st.text_area("What was decided", key=f"{key}-decisions")
        if st.form_submit_button("Record meeting"):
            attempt(lambda: concerns.record_meeting(db, user, row["concern_id"], held, attendees, decisions),
                    "Meeting recorded.", FLASH)


def _plan_forms(db, user: User, row: dict, open_actions: pl.DataFrame, key: str) -> None:
    with st.form(f"{key}-plan-form"):
        title = st.text_input("What needs doing", key=f"{key}-plan-title")
        owner_col, due_col = st.columns(2)
        owner = owner_col.text_input("Owner (a name, role or agency)", key=f"{key}-plan-owner")
        due = due_col.date_input("Due", value=date.today() + timedelta(days=28), format="DD/MM/YYYY",
                                 key=f"{key}-plan-due")
        if st.form_submit_button("Add to the plan"):
            attempt(lambda: concerns.add_plan_action(db, user, row["concern_id"], title, owner, due),
                    "Action added to the improvement plan.", FLASH)
    if open_actions.height:
        with st.form(f"{key}-done-form"):
            labels = tables.open_action_labels(open_actions)
            chosen = st.selectbox("Mark an action done", list(labels), format_func=labels.get, key=f"{key}-done")
            done = st.date_input("Done on", value=date.today(), format="DD/MM/YYYY", key=f"{key}-done-date")
            if st.form_submit_button("Mark done"):
                attempt(lambda: concerns.mark_plan_action_done(db, user, chosen, done), "Action marked done.", FLASH)


def _enquiry_form(db, user: User, row: dict, key: str) -> None:
    with st.form(f"{key}-enquiry-form"):
        ref_col, date_col = st.columns(2)
        reference = ref_col.text_input("Enquiry reference (no names)", key=f"{key}-enquiry-ref")
        began = date_col.date_input("Enquiry date", value=date.today(), format="DD/MM/YYYY", key=f"{key}-enquiry-date")
        if st.form_submit_button("Link enquiry"):
            attempt(lambda: concerns.link_enquiry(db, user, row["concern_id"], reference, began),
                    "Safeguarding enquiry linked.", FLASH)
