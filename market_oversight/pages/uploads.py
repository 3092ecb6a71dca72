"""Uploads: a data officer loads a returns, fee, benchmark or CQC file through the same ingest
the scheduled loads use, and sees the batch summary and any rows set aside."""

import streamlit as st

from market_oversight import fmt, upload_ingest, uploads
from market_oversight.errors import MarketOversightError
from market_oversight.pages import common
from market_oversight.queries import data_quality
from market_oversight.roles import Permission

common.page_header(
    "Load a file",
    "Upload a monthly returns file, fee rates, benchmark rates or a CQC bulk file. It is checked and "
    "loaded the same way as the scheduled loads; rows that break a rule are set aside, not lost.",
)
user = common.current_user()
if not user.can(Permission.UPLOAD):
    st.warning(f"Your role ({user.role.value.replace('_', ' ')}) cannot load files. Ask a data officer, or "
               "ask an administrator to give you the data officer role.")
    st.stop()

kind = st.radio("What does the file hold?", list(upload_ingest.KINDS),
                format_func=lambda k: upload_ingest.KINDS[k][1], key="upload-kind")
file = st.file_uploader("Choose a CSV, XLSX or ODS file", type=["csv", "xlsx", "ods"], key="upload-file")
if file is not None and st.button("Load the file", type="primary", key="upload-go"):
    limits = uploads.UploadLimits.from_settings(common.settings())
    st.session_state.pop("upload-result", None)
    try:
        saved = uploads.receive_upload(common.db_path(), user, file.name, file.getvalue(), limits)
        st.session_state["upload-job"] = upload_ingest.start_ingest(common.db_path(), user, kind, saved,
                                                                    file_name=file.name)
    except MarketOversightError as exc:
        common.show_error(exc)
        st.stop()


@st.fragment(run_every=0.5)
def follow_load(job: upload_ingest.UploadJob) -> None:
    """The load runs in a process of its own; this part of the page alone reruns to follow it."""
    status = upload_ingest.job_status(common.db_path(), job)
    if not status.done:
        st.progress(status.share, text=status.text)
        return
    del st.session_state["upload-job"]
    if status.error is not None:
        st.session_state["upload-error"] = status.error
    else:
        st.session_state["upload-result"] = status.result
        common.pin_serving_copy()  # the load published a newer copy: read the rows set aside from it
    st.rerun()


if "upload-job" in st.session_state:
    follow_load(st.session_state["upload-job"])
if "upload-error" in st.session_state:
    common.show_error(st.session_state.pop("upload-error"))
    st.stop()

result = st.session_state.get("upload-result")
if result is not None:
    st.header("What happened to the file?")
    if result.status == "rejected":
        st.error(fmt.message(f"The file was not loaded: {result.message or 'it broke the data contract'}. "
                             "Correct it and upload it again."), icon=":material/error:")
    elif result.status == "already_loaded":
        st.info("This exact file was loaded before, so nothing new was stored.", icon=":material/info:")
    else:
        st.success(f"Loaded: {fmt.count(result.rows_loaded, 'row')} stored, "
                   f"{fmt.count(result.rows_quarantined, 'row')} set aside.", icon=":material/check_circle:")
    cols = st.columns(3)
    cols[0].metric("Rows read", fmt.count(result.rows_read))
    cols[1].metric("Rows loaded", fmt.count(result.rows_loaded))
    cols[2].metric("Rows set aside", fmt.count(result.rows_quarantined))
    st.caption(f"Batch {result.batch_id}.")
    if result.rows_quarantined:
        rows = common.load(data_quality.quarantine, batch_id=result.batch_id)
        st.subheader("Rows set aside, and what to correct")
        table = data_quality.quarantine_for_sending(rows)
        st.dataframe(table, hide_index=True, width="stretch")
        common.downloads(table, "rows set aside", key="upload-quarantine")
