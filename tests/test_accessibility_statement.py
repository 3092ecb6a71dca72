"""The in-app accessibility statement: reachable from the navigation, and says how to report a problem."""

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from market_oversight import accessibility
from market_oversight.config import settings_from
from market_oversight.paths import PROJECT_ROOT

PAGE = PROJECT_ROOT / "market_oversight" / "pages" / "accessibility.py"


def _statement() -> AppTest:
    st.cache_resource.clear()  # the app reads its settings once per process; each test has its own
    return AppTest.from_file(str(PAGE), default_timeout=30).run()


def _headers(at: AppTest) -> list[str]:
    return [h.value for h in at.header]


def test_statement_has_the_sections_the_regulations_ask_for(monkeypatch) -> None:
    monkeypatch.delenv("MARKET_OVERSIGHT_CONFIG", raising=False)
    at = _statement()
    assert not at.exception
    assert at.title[0].value == "Accessibility statement for Care Market Oversight"
    for heading in ("How accessible this tool is", "Reporting accessibility problems with this tool",
                    "Enforcement procedure", "Compliance status", "How we tested this tool",
                    "Preparation of this statement"):
        assert heading in _headers(at)
    text = " ".join(m.value for m in at.markdown)
    assert f"contact {settings_from(None).accessibility.contact}." in text   # from defaults.toml
    assert "keyboard only" in text
    assert accessibility.STATEMENT_PREPARED in text
    assert "partially compliant" in text
    for issue in accessibility.KNOWN_ISSUES:
        assert issue.summary in text and issue.upstream_url in text


def test_statement_names_the_councils_own_contact(tmp_path: Path, monkeypatch) -> None:
    config = tmp_path / "council.toml"
    config.write_text('[accessibility]\ncontact = "accessibility@kingsmere.example"\n', encoding="utf-8")
    monkeypatch.setenv("MARKET_OVERSIGHT_CONFIG", str(config))
    at = _statement()
    text = " ".join(m.value for m in at.markdown)
    assert "contact accessibility@kingsmere.example." in text
    assert settings_from(None).accessibility.contact not in text


def test_every_known_issue_is_explained_in_the_docs() -> None:
    doc = (PROJECT_ROOT / "docs" / "accessibility.md").read_text(encoding="utf-8")
    for issue in accessibility.KNOWN_ISSUES:
        assert issue.upstream and issue.upstream in doc, f"docs/accessibility.md does not cite {issue.upstream}"
        assert issue.criterion in doc

