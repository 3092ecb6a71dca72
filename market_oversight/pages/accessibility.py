import streamlit as st

from market_oversight import accessibility as a11y
from market_oversight.pages.common import page_header, settings

page_header("Accessibility statement for Care Market Oversight")
st.write(
    "This statement applies to Care Market Oversight, the council's tool for watching the local "
    "care market. We want as many people as possible to be able to use it. You should be able to:"
)
st.markdown(
    "- zoom in up to 200% without the text spilling off the screen\n"
    "- use every page with a keyboard only\n"
    "- tell red, amber and green, and CQC ratings, apart without relying on colour\n"
    "- read every chart as a sentence and a table\n"
    "- use the tool with a screen reader, in most places"
)

st.header("How accessible this tool is")
if a11y.KNOWN_ISSUES:
    st.write("We know some parts are not fully accessible:")
    st.markdown("\n".join(f"- {issue.summary}" for issue in a11y.KNOWN_ISSUES))
else:
    st.write("We know of no part of this tool that fails the standard.")

st.header("Reporting accessibility problems with this tool")
contact = settings().accessibility.contact
st.write(
    f"If you find a problem that is not listed on this page, or you think we are not meeting the "
    f"accessibility requirements, contact {contact}. Say which page you were on, what you were "
    "trying to do and what happened. We will reply within 5 working days."
)

st.header("Enforcement procedure")
st.write(
    "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector "
    "Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are not "
    "happy with how we respond to your complaint, contact the Equality Advisory and Support Service "
    "(EASS)."
)

st.header("Compliance status")
if a11y.KNOWN_ISSUES:
    st.write(f"This tool is partially compliant with the {a11y.STANDARD}, because of the "
             "non-compliances listed below.")
    st.subheader("Non-accessible content")
    st.markdown("\n".join(
        f"- {issue.summary} This fails WCAG 2.2 success criterion {issue.criterion}. {issue.workaround} "
        + (f"Reported to Streamlit, the software this tool is built with, as "
           f"[{issue.upstream}]({issue.upstream_url})." if issue.upstream else "We are fixing this.")
        for issue in a11y.KNOWN_ISSUES))
else:
    st.write(f"This tool is fully compliant with the {a11y.STANDARD}.")

st.header("How we tested this tool")
st.markdown("\n".join(f"- {line}" for line in a11y.HOW_TESTED))

st.header("Preparation of this statement")
st.write(f"This statement was prepared on {a11y.STATEMENT_PREPARED}. It is reviewed whenever the "
         "checks above find something new, and at least once a year.")
