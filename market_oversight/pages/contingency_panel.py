"""The contingency register on the provider page: whether the council holds a plan for the
provider's failure, who owns it, its reviews (overdue ones said), and the CQC Market Oversight
notices recorded against it, with the forms to record a review or a notice. Writes go through
`market_oversight.contingency`, which checks the role and writes the audit log; this module only
draws. What people typed is shown as text (tables, fmt.as_typed), never as Markdown."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from market_oversight import contingency, fmt
from market_oversight.pages import common
from market_oversight.pages.casework_panel import attempt
from market_oversight.queries import contingency as register
from market_oversight.roles import Permission, User
from market_oversight.vocab import OVERSIGHT_NOTICE_KINDS

FLASH = "contingency-flash"
TYPED = "contingency-typed-"   # the keys of what a person typed start with this: emptied after a write
REVIEW_EVERY_DAYS = 182        # the form's suggestion for the next review: six months on


def show(user: User, provider_id: str) -> None:
    db = common.db_path()
    if message := st.session_state.pop(FLASH, None):
        st.success(message, icon=":material/check_circle:")
        for key in [k for k in st.session_state if str(k).startswith(TYPED)]:
            del st.session_state[key]
    found = common.load(register.register, (provider_id,))
    row = found.row(0, named=True) if found.height else None
    if row is not None and row["review_overdue"]:
        st.warning(fmt.as_typed(register.plan_words(row)), icon=":material/event_busy:")
    else:
        st.write(fmt.as_typed(register.plan_words(row)))
    if notice := register.notice_words(row):
        st.warning(fmt.as_typed(notice), icon=":material/campaign:")
    reviews, notices = contingency.provider_history(db, provider_id)
    tabs = st.tabs([f"Plan reviews ({reviews.height})", f"Market Oversight notices ({notices.height})"])
    with tabs[0]:
        common.table(register.reviews_for_people(reviews), "No review recorded.")
        if user.can(Permission.CASEWORK):
            _review_form(db, user, provider_id, row)
    with tabs[1]:
        st.caption("Notices from CQC's Market Oversight scheme (Care Act 2014 sections 55 and 56) about this provider.")
        common.table(register.notices_for_people(notices), "No notice recorded.")
        if user.can(Permission.CASEWORK):
            _notice_form(db, user, provider_id)
    if not user.can(Permission.CASEWORK):
        st.caption(f"Your role ({user.role.value.replace('_', ' ')}) cannot record a review or a notice. "
                   "Ask an administrator if you need to.")


def _review_form(db, user: User, provider_id: str, row: dict | None) -> None:
    with st.form("contingency-review-form"):
        held = st.radio("Does the council hold a contingency plan for this provider's failure?", [True, False],
                        format_func=lambda v: "Yes, a plan is held" if v else "No plan is held",
                        horizontal=True, key=f"{TYPED}held")
        owner = st.text_input("Plan owner (a name, role or e-mail address)",
                              value=(row or {}).get("plan_owner") or "", key=f"{TYPED}owner")
        reviewed_col, next_col = st.columns(2)
        reviewed = reviewed_col.date_input("Reviewed on", value=date.today(), format="DD/MM/YYYY",
                                           key=f"{TYPED}reviewed")
        due = next_col.date_input("Next review due", value=date.today() + timedelta(days=REVIEW_EVERY_DAYS),
                                  format="DD/MM/YYYY", key=f"{TYPED}next")
        note = st.text_input("What the review found (optional)", key=f"{TYPED}note")
        if st.form_submit_button("Record review"):
            attempt(lambda: contingency.record_review(db, user, provider_id, plan_held=held, owner=owner,
                                                      reviewed_on=reviewed, next_review_on=due, note=note),
                    f"Review recorded; next review due {fmt.long_date(due)}.", FLASH)


def _notice_form(db, user: User, provider_id: str) -> None:
    with st.form("contingency-notice-form"):
        kind_col, date_col = st.columns(2)
        kind = kind_col.selectbox("Kind of notice", list(OVERSIGHT_NOTICE_KINDS), format_func=fmt.oversight_notice,
                                  key=f"{TYPED}kind")
        on = date_col.date_input("Date of the notice", value=date.today(), format="DD/MM/YYYY", key=f"{TYPED}on")
        note = st.text_input("What the notice says, in a line", key=f"{TYPED}notice-note")
        if st.form_submit_button("Record notice"):
            attempt(lambda: contingency.record_notice(db, user, provider_id, notice_on=on, kind=kind, note=note),
                    "Market Oversight notice recorded.", FLASH)
