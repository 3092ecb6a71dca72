"""The casework panel on a provider profile: what the council has noted, asked, seen and decided
about one location, with the forms to add to it. Writes go through `market_oversight.casework`,
which checks the role and writes the audit log; this module only draws."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import streamlit as st

from market_oversight import casework, fmt
from market_oversight.errors import MarketOversightError
from market_oversight.pages import common
from market_oversight.queries import casework_tables as tables
from market_oversight.roles import Permission, User
from market_oversight.vocab import CARE_CATEGORIES, RAG, RATINGS, SUSPENSION_SCOPES

FLASH = "casework-flash"
# What a person typed into the forms: emptied after a write succeeds (kept when it fails)
TYPED = ("note-body", "action-title", "visit-summary", "lift-reason", "suspend-reason", "override-reason",
         "suspend-categories")


def attempt(write, message: str, flash: str = FLASH) -> None:
    """Run a write; on a named error show how to fix it (the form keeps what was typed); on success
    keep `message` under `flash` for the next run, which shows it and empties the forms."""
    try:
        write()
    except MarketOversightError as exc:
        common.show_error(exc)
        return
    st.session_state[flash] = message
    st.rerun()


def show(user: User, location_id: str, location_name: str) -> None:
    db = common.db_path()
    if message := st.session_state.pop(FLASH, None):
        st.success(message, icon=":material/check_circle:")
        for key in TYPED:  # before the forms are drawn, so they start empty
            st.session_state.pop(key, None)
    record = casework.location_casework(db, location_id)
    status = []
    if record.suspended:
        current = record.suspensions.filter(pl.col("is_current")).row(0, named=True)
        scope = fmt.suspension_scope(current["scope"], current["categories"]).lower()
        st.warning(f"New placements to this service are suspended ({scope}, since "
                   f"{fmt.long_date(current['imposed_on'])}; next review {fmt.long_date(current['review_on'])}): "
                   f"{fmt.as_typed(current['reason'])}.", icon=":material/block:")
    else:
        status.append("No placement suspension in force.")
    if status:
        st.write(" ".join(status))

    notes_tab, actions_tab, visits_tab, suspensions_tab, override_tab = st.tabs(tables.panel_tabs(
        record.notes, record.actions, record.visits, record.suspensions))
    with notes_tab:
        _notes(db, user, location_id, record)
    with actions_tab:
        _actions(db, user, location_id, record)
    with visits_tab:
        _visits(db, user, location_id, record)
    with suspensions_tab:
        _suspensions(db, user, location_id, record)
    with override_tab:
        _override(db, user, location_id, record)


def _cannot(user: User, what: str) -> None:
    st.caption(f"Your role ({user.role.value.replace('_', ' ')}) cannot {what}. Ask an administrator "
               "if you need to.")


def _notes(db, user: User, location_id: str, record: casework.LocationCasework) -> None:
    if record.notes.is_empty():
        st.write("No notes yet.")
    for note in record.notes.iter_rows(named=True):
        st.markdown(f"**{fmt.date_time(note['created_at'])}, {fmt.as_typed(note['author'])}**")
        st.text(note["body"])
    if not user.can(Permission.CASEWORK):
        return _cannot(user, "add notes")
    with st.form("note-form", clear_on_submit=False):
        body = st.text_area("Add a note", key="note-body", help="What was found, said or agreed.")
        if st.form_submit_button("Save note"):
            attempt(lambda: casework.add_note(db, user, location_id, body), "Note saved.")


def _actions(db, user: User, location_id: str, record: casework.LocationCasework) -> None:
    if record.actions.is_empty():
        st.write("No actions yet.")
    else:
        st.dataframe(tables.location_actions(record.actions), hide_index=True, width="stretch")
    if not user.can(Permission.CASEWORK):
        return _cannot(user, "add or update actions")
    with st.form("action-form"):
        title = st.text_input("What needs doing", key="action-title")
        owner_col, due_col = st.columns(2)
        owner = owner_col.text_input("Owner (name or e-mail address)", key="action-owner", value=user.email)
        due = due_col.date_input("Due date", key="action-due", value=date.today() + timedelta(days=14),
                                 format="DD/MM/YYYY")
        if st.form_submit_button("Add action"):
            attempt(lambda: casework.add_action(db, user, location_id, title, owner, due), "Action added.")
    open_actions = record.actions.filter(pl.col("status") == "open")
    if open_actions.height:
        with st.form("action-status-form"):
            labels = {r["action_id"]: f"{r['title']} (due {fmt.long_date(r['due_date'])})"
                      for r in open_actions.iter_rows(named=True)}
            chosen = st.selectbox("Update an open action", list(labels), format_func=labels.get,
                                  key="action-choice")
            status = st.radio("New status", ["done", "cancelled"], format_func=str.capitalize,
                              horizontal=True, key="action-status")
            if st.form_submit_button("Update action"):
                attempt(lambda: casework.set_action_status(db, user, chosen, status),
                        f"Action marked {status}.")


def _visits(db, user: User, location_id: str, record: casework.LocationCasework) -> None:
    if record.visits.is_empty():
        st.write("No quality visits recorded.")
    else:
        st.dataframe(tables.location_visits(record.visits), hide_index=True, width="stretch")
    if not user.can(Permission.CASEWORK):
        return _cannot(user, "record quality visits")
    with st.form("visit-form"):
        date_col, rating_col = st.columns(2)
        visit_date = date_col.date_input("Date of visit", key="visit-date", value=date.today(),
                                         format="DD/MM/YYYY")
        rating = rating_col.selectbox("Council's rating", list(RATINGS), index=1, key="visit-rating",
                                      format_func=fmt.rating)
        summary = st.text_area("What the visit found", key="visit-summary")
        if st.form_submit_button("Save visit"):
            attempt(lambda: casework.record_visit(db, user, location_id, visit_date, rating, summary),
                    "Quality visit saved.")


def _suspensions(db, user: User, location_id: str, record: casework.LocationCasework) -> None:
    if record.suspensions.is_empty():
        st.write("Placements here have never been suspended.")
    else:
        st.dataframe(tables.location_suspensions(record.suspensions), hide_index=True, width="stretch")
    if not user.can(Permission.SUSPEND):
        return _cannot(user, "suspend placements")
    if record.suspended:
        current = record.suspensions.filter(pl.col("is_current")).row(0, named=True)
        with st.form("lift-form"):
            lifted_on = st.date_input("Date lifted", key="lift-date", value=date.today(), format="DD/MM/YYYY")
            reason = st.text_input("Why the suspension is lifted", key="lift-reason")
            if st.form_submit_button("Lift suspension"):
                attempt(lambda: casework.lift_suspension(db, user, current["suspension_id"], lifted_on, reason),
                        "Suspension lifted.")
    else:
        with st.form("suspend-form"):
            from_col, review_col = st.columns(2)
            imposed_on = from_col.date_input("Suspended from", key="suspend-date", value=date.today(),
                                             format="DD/MM/YYYY")
            review_on = review_col.date_input("Review on", key="suspend-review",
                                              value=date.today() + timedelta(days=28), format="DD/MM/YYYY")
            scope = st.radio("Scope", list(SUSPENSION_SCOPES), format_func=fmt.suspension_scope,
                             horizontal=True, key="suspend-scope")
            categories = st.multiselect("Kinds of care suspended (a partial suspension only)",
                                        list(CARE_CATEGORIES), format_func=fmt.CARE_CATEGORY_LABELS.get,
                                        key="suspend-categories")
            reason = st.text_input("Reason (shown on the published list)", key="suspend-reason")
            if st.form_submit_button("Suspend placements"):
                attempt(lambda: casework.suspend_placements(db, user, location_id, imposed_on, reason, scope=scope,
                                                            categories=categories, review_on=review_on),
                        "Placements suspended. The service now appears on the published list.")


def _override(db, user: User, location_id: str, record: casework.LocationCasework) -> None:
    active = record.active_override
    if active:
        st.write(f"Overridden to **{fmt.rag(active['rag'])}** by {fmt.as_typed(active['created_by'])} until "
                 f"{fmt.long_date(active['expires_on'])}: {fmt.as_typed(active['reason'])}")
    else:
        st.write("No RAG override in force: the computed RAG applies.")
    st.caption("An override shows on every page at once, and stays until it expires or is withdrawn.")
    if not user.can(Permission.OVERRIDE):
        return _cannot(user, "override the RAG")
    with st.form("override-form"):
        rag_col, until_col = st.columns(2)
        rag = rag_col.selectbox("RAG to use", list(RAG), key="override-rag", format_func=fmt.rag)
        expires = until_col.date_input("Until", key="override-expires", value=date.today() + timedelta(days=90),
                                       format="DD/MM/YYYY")
        reason = st.text_input("Reason (what you know that the score does not)", key="override-reason")
        if st.form_submit_button("Override RAG"):
            attempt(lambda: casework.override_rag(db, user, location_id, rag, reason, expires),
                    f"RAG overridden to {fmt.rag(rag)}.")
    if active and st.button("Withdraw the override", key="override-withdraw"):
        attempt(lambda: casework.withdraw_override(db, user, active["override_id"]), "Override withdrawn.")
