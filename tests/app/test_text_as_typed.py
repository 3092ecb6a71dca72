"""Text a person typed (notes, reasons, actions, visits, names) shows as typed: never as a link, an
image or HTML. Checked on what the app hands Streamlit's Markdown, parsed by a CommonMark parser."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from market_oversight import casework, fmt, roles

from .conftest import assert_clean, open_page, read

HOSTILE = ('Checked [x](http://evil.example/) ![](http://127.0.0.1:9/pixel.png) '
           '<img src="http://127.0.0.1:9/p2.png"> **loud** # not a heading `code` :red[red] $x$ a_b_c')
MANAGER = roles.User("cm@kingsmere.example", "Contract manager", roles.Role.CONTRACT_MANAGER)
# Streamlit's Markdown: CommonMark with GitHub's tables and strikethrough.
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
ACTIVE = {"link_open", "image", "html_inline", "html_block", "code_inline", "strong_open", "em_open",
          "heading_open"}


def markdown_values(at: AppTest) -> list[str]:
    """The source of every element Streamlit draws as Markdown, sidebar included."""
    elements = [*at.markdown, *at.caption, *at.warning, *at.info, *at.success, *at.error, *at.header,
                *at.subheader, *at.title, *at.sidebar.markdown, *at.sidebar.caption]
    return [e.value for e in elements]


def rendered(source: str) -> tuple[set[str], str]:
    """(the kinds of Markdown node the source makes, the text a reader sees)."""
    tokens = MARKDOWN.parse(source)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    text = html.unescape(re.sub(r"<[^>]+>", "", MARKDOWN.render(source)))
    return kinds, text.replace(fmt.WORD_JOINER, "")  # invisible: it keeps addresses from being linked


def test_the_escaping_shows_every_hostile_text_as_typed() -> None:
    kinds, text = rendered(fmt.as_typed(HOSTILE + "\n\n- a list\n> quote"))
    assert not kinds & ACTIVE, kinds
    assert text.strip() == HOSTILE + " - a list > quote"
    # and no web or e-mail address is left for an autolinker (Streamlit's links them after parsing)
    escaped = fmt.as_typed("http://evil.example www.evil.example cm@kingsmere.example")
    assert not re.search(r"https?:/|www\.|\w@\w", escaped.replace("\\", ""))


def test_an_error_quoting_a_file_shows_its_words_as_typed_on_their_lines() -> None:
    # given an error of ours that quotes a file's header (the words of whoever wrote the file)
    error = f"returns.csv: unknown column {HOSTILE!r}\nrow 3, field beds: not a whole number"
    # then the page's Markdown makes nothing of it, and keeps its two lines
    kinds, text = rendered(fmt.message(error))
    assert not kinds & ACTIVE, kinds
    assert "hardbreak" in kinds and text.strip() == error


@pytest.fixture
def hostile_location(app_env: Path) -> str:
    """A care home whose every kind of casework was typed with Markdown and HTML in it."""
    location_id = read(app_env, "select location_id from mart.locations where is_active and "
                                "service_kind = 'care_home' order by location_id limit 1 offset 7")[0][0]
    today = date.today()
    casework.add_note(app_env, MANAGER, location_id, HOSTILE)
    casework.add_action(app_env, MANAGER, location_id, HOSTILE, "sam@kingsmere.example", today + timedelta(days=7))
    casework.record_visit(app_env, MANAGER, location_id, today, "Requires improvement", HOSTILE)
    casework.suspend_placements(app_env, MANAGER, location_id, today, HOSTILE)
    casework.override_rag(app_env, MANAGER, location_id, "amber", HOSTILE, today + timedelta(days=30))
    return location_id


def test_reasons_and_notes_on_the_profile_show_as_typed(hostile_location: str) -> None:
    at = open_page(location=hostile_location)
    assert_clean(at)
    sources = markdown_values(at)
    # nothing a person typed becomes a link, an image, HTML or formatting ...
    typed = [s for s in sources if "evil" in s or "pixel" in s]
    assert typed, "the page shows none of the typed text"
    for source in typed:
        kinds, text = rendered(source)
        assert not kinds & (ACTIVE - {"strong_open"}), (kinds, source)
        assert HOSTILE in text, text  # ... and it reads exactly as typed
    # the suspension's reason (a warning) and the override's (a sentence) are among them
    warning = next(w.value for w in at.warning if "suspended" in w.value)
    assert HOSTILE in rendered(warning)[1]
    assert any(HOSTILE in rendered(s)[1] and s.startswith("Overridden to") for s in sources)
    # the note is drawn as preformatted text, as typed
    assert HOSTILE in [t.value for t in at.text]
