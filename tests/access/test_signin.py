"""Sign-in without the browser: claims to users and roles, the audit rows, and the gate's pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from market_oversight import audit, signin, store
from market_oversight.config import settings_from
from market_oversight.errors import SignInRefused
from market_oversight.pages import common
from market_oversight.paths import PROJECT_ROOT
from market_oversight.roles import Role
from tests.conftest import TEST_AUTH, signed_in
from tests.conftest import errors

SETTINGS = settings_from({"access": {"administrators": ["ada@council.example"],
                                     "contract_managers": ["b6d1c2f0-group-contracts"],
                                     "data_officers": ["Data.Officer@Council.example"]}})
CLAIMS = {"iss": "http://127.0.0.1:1", "sub": "abc", "iat": 1_700_000_000}


@pytest.mark.parametrize(("claims", "email", "role"), [
    ({"email": "ada@council.example", "name": "Ada"}, "ada@council.example", Role.ADMINISTRATOR),
    # Entra ID gives the user principal name when the account has no mail attribute.
    ({"preferred_username": "data.officer@council.example"}, "data.officer@council.example",
     Role.DATA_OFFICER),
    ({"email": "cm@council.example", "groups": ["other", "b6d1c2f0-group-contracts"]},
     "cm@council.example", Role.CONTRACT_MANAGER),
    ({"email": "someone@council.example", "groups": "not-listed"}, "someone@council.example",
     Role.VIEWER),
])
def test_claims_become_a_user_with_the_configured_role(claims: dict, email: str, role: Role) -> None:
    user = signin.user_from_claims(SETTINGS, {**CLAIMS, **claims})
    assert (user.email, user.role) == (email, role)


def test_an_account_without_an_address_is_refused() -> None:
    with pytest.raises(SignInRefused, match="no e-mail address"):
        signin.user_from_claims(SETTINGS, {**CLAIMS, "name": "Service account"})


def test_demo_mode_only_when_started_as_the_demo() -> None:
    assert signin.demo_mode({"MARKET_OVERSIGHT_DEMO": "1"})
    assert not signin.demo_mode({})
    assert not signin.demo_mode({"MARKET_OVERSIGHT_DEMO": "true"})


def test_a_sign_in_is_audited_once_per_identity_token(db_path: Path) -> None:
    user = signin.user_from_claims(SETTINGS, {**CLAIMS, "email": "ada@council.example"})
    assert signin.record_sign_in(db_path, user, CLAIMS)
    assert not signin.record_sign_in(db_path, user, CLAIMS)  # a browser refresh: same token
    assert signin.record_sign_in(db_path, user, {**CLAIMS, "iat": CLAIMS["iat"] + 60})
    signin.record_sign_out(db_path, user)
    actions = [r[3] for r in reversed(audit.recent(db_path))]
    assert actions == ["sign_in", "sign_in", "sign_out"]
    assert audit.verify_chain(db_path).intact


@pytest.fixture
def published(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    with store.warehouse(db_path):
        pass
    monkeypatch.setenv("MARKET_OVERSIGHT_DB", str(db_path))
    monkeypatch.delenv("MARKET_OVERSIGHT_DEMO", raising=False)
    return db_path


def _app() -> AppTest:
    return AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=30)


def test_without_sign_in_set_up_the_app_shows_no_page(published: Path) -> None:
    at = _app().run()
    assert not at.exception
    assert "Sign-in is not set up" in errors(at)[0]
    assert [t.value for t in at.title] == ["Care Market Oversight"]


def test_not_signed_in_shows_the_sign_in_page_only(published: Path) -> None:
    at = _app()
    at.secrets["auth"] = dict(TEST_AUTH)
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Care Market Oversight"]
    assert at.button[0].label == "Sign in with your council account"
    assert not at.dataframe and not at.metric


def _page_paths() -> list[str]:
    text = (PROJECT_ROOT / "app.py").read_text(encoding="utf-8")
    return re.findall(r'st\.Page\("([^"]+)"', text)


def test_the_demo_says_so_on_every_page(published: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARKET_OVERSIGHT_DEMO", "1")
    at = _app().run()
    paths = _page_paths()
    assert len(paths) >= 5
    for path in paths:
        at.switch_page(path).run()
        assert not at.exception, path
        assert any(common.DEMO_BANNER in i.value for i in at.info), path
        assert not any(b.label == "Sign out" for b in at.sidebar.button)


def test_signed_in_the_pages_run_without_the_demo_banner(published: Path) -> None:
    at = signed_in(_app(), "ada@council.example", "Ada").run()
    assert not at.exception and not at.error
    assert not any(common.DEMO_BANNER in i.value for i in at.info)
    assert "Signed in as Ada (ada@council.example), viewer" in at.sidebar.caption[0].value
    assert [r[3] for r in audit.recent(published)] == ["sign_in"]
    at.run()  # the next run in the same session: no second sign-in row
    assert len(audit.recent(published)) == 1


def test_an_account_without_an_address_sees_why_and_no_page(published: Path) -> None:
    at = _app()
    signed_in(at)
    at.user = {"is_logged_in": True, "name": "Service account", "sub": "svc", "iss": "x", "iat": 1}
    at.run()
    assert not at.exception
    assert "no e-mail address" in errors(at)[0]
    assert [r[3] for r in audit.recent(published)] == ["sign_in_refused"]
