"""Shared fixtures: real DuckDB files in a temporary folder, and the real CQC samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from market_oversight.paths import PROJECT_ROOT

REALDATA = PROJECT_ROOT.parent / "shared" / "realdata"

# Sign-in settings for AppTest: the gate needs an [auth] section before it lets anyone in.
TEST_AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "t" * 48,
             "client_id": "market-oversight", "client_secret": "test",
             "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def signed_in(at, email: str = "viewer@council.example", name: str = "Test User", **claims):
    """An AppTest run as a user signed in through the identity provider (roles come from the
    settings' [access] lists, so an unlisted address is a viewer)."""
    at.secrets["auth"] = dict(TEST_AUTH)
    at.user = {"is_logged_in": True, "email": email, "name": name, "iss": "http://127.0.0.1:9",
               "sub": email, "iat": 1_700_000_000, **claims}
    return at


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.fail(f"real CQC samples not found at {REALDATA} (expected beside the project root)")
    return REALDATA
