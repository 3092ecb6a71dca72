"""The accessibility statement's facts, in one place: what was tested, how, and the known issues.

The in-app statement page draws these; the browser tests use `KNOWN_ISSUES` to tell a violation
Streamlit causes (listed here with its upstream report) from one of ours (which fails the test);
docs/accessibility.md explains each at more length and a test checks it names every upstream report.
"""

from __future__ import annotations

from dataclasses import dataclass

STANDARD = "Web Content Accessibility Guidelines (WCAG) version 2.2, level AA"
STATEMENT_PREPARED = "28 November 2026"


@dataclass(frozen=True)
class KnownIssue:
    """A known accessibility problem, who can fix it, and what to do meanwhile."""

    summary: str          # plain English, for the statement page
    criterion: str        # the WCAG 2.2 success criterion it fails
    workaround: str
    upstream: str         # the Streamlit issue that tracks it ("" when the fix is ours to make)
    axe_rule: str = ""    # the axe-core rule that reports it, where axe can see it
    selector: str = ""    # regular expression matched against the offending element's axe target

    @property
    def upstream_url(self) -> str:
        repo, _, number = self.upstream.partition("#")
        return f"https://github.com/{repo}/issues/{number}" if number else ""


KNOWN_ISSUES: tuple[KnownIssue, ...] = (
    KnownIssue(
        summary="The menu in a table's column headings (sort, hide or pin a column) cannot be reached "
                "with the keyboard.",
        criterion="2.1.1 Keyboard",
        workaround="Tables are already sorted in the order the page explains, and every table can be "
                   "downloaded as a CSV or Excel file to sort and filter there.",
        upstream="streamlit/streamlit#13332",
    ),
    KnownIssue(
        summary="On the watchlist, choosing a point on the likelihood-by-impact chart to open that "
                "location works with a mouse only.",
        criterion="2.1.1 Keyboard",
        workaround="Use the \"Open a location's profile\" box under the chart, or the Open profile link "
                   "in the table; both work with the keyboard.",
        upstream="streamlit/streamlit#13347",
    ),
)

HOW_TESTED = (
    "Every page of the demonstration council is checked automatically with axe-core (WCAG 2.2 A "
    "and AA rules) in a real browser (Chromium) each time the software changes.",
    "A test uses the keyboard only to go from the watchlist to a provider's page and add a note, "
    "checking that the focused control is visibly marked at every step.",
    "Pages are checked at 1280 by 720 pixels, at 200% zoom and at tablet width (768 pixels).",
    "The colours used for red, amber and green and for CQC ratings are checked for contrast "
    "against the page and for being told apart with protanopia, deuteranopia and tritanopia.",
    "Red, amber and green and CQC ratings are always shown with their word and a shape, so colour "
    "is never the only way to tell them apart; every chart has a one-sentence summary and its "
    "data as a table or a download.",
)

