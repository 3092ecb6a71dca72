"""Who is using the app: a user from the identity provider's claims, or the demo user.

The app signs people in with Streamlit's `st.login` over OpenID Connect (a council's Microsoft Entra
ID; docs/access.md). This module holds the parts that are not Streamlit: turning the identity
token's claims into a `roles.User`, deciding whether the app runs as the demo, and writing the
sign-in and sign-out rows of the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from market_oversight import audit, store
from market_oversight.config import DEMO_ENV, Settings, demo_mode  # the pages read DEMO_ENV, demo_mode here
from market_oversight.errors import SignInRefused
from market_oversight.roles import Role, User, role_for

DEMO_USER = User(email="demo@kingsmere.example", name="Demo user", role=Role.ADMINISTRATOR)

# Claims that carry the e-mail address: Entra ID puts it in `email` only when the account has a
# mailbox attribute, and always gives `preferred_username` (the user principal name).
EMAIL_CLAIMS = ("email", "preferred_username", "upn")
# Entra ID sends security group object IDs in `groups` and app roles in `roles`.
GROUP_CLAIMS = ("groups", "roles")


def user_from_claims(settings: Settings, claims: Mapping[str, Any]) -> User:
    """The signed-in user, with the role configured for their address or groups."""
    email = next((str(claims[c]).strip() for c in EMAIL_CLAIMS if claims.get(c)), "")
    if "@" not in email:
        raise SignInRefused(
            "the identity provider gave no e-mail address for this account; ask IT to release the "
            "`email` or `preferred_username` claim to Care Market Oversight")
    groups: list[str] = []
    for claim in GROUP_CLAIMS:
        value = claims.get(claim) or []
        groups += [value] if isinstance(value, str) else [str(v) for v in value]
    name = str(claims.get("name") or email)
    return User(email=email, name=name, role=role_for(settings, email, tuple(groups)),
                groups=tuple(groups))


def token_id(claims: Mapping[str, Any]) -> str:
    """One identity token: its issuer, subject and issue time."""
    return f"{claims.get('iss', '')}#{claims.get('sub', '')}#{claims.get('iat', '')}"


def record_sign_in(db: Path, user: User, claims: Mapping[str, Any]) -> bool:
    """Audit a sign-in once per identity token; True when this call wrote the row."""
    target = token_id(claims)
    with store.casework(db) as con, store.transaction(con):
        if store.run(con, "audit/token_seen", actor=user.email, target=target).fetchone()[0]:
            return False
        audit.record(con, user.email, audit.SIGN_IN, target,
                     {"role": user.role.value, "issuer": claims.get("iss"), "name": user.name})
    return True


def record_sign_out(db: Path, user: User) -> None:
    audit.record_event(db, user.email, audit.SIGN_OUT)


def record_refused(db: Path, claims: Mapping[str, Any], reason: str) -> None:
    audit.record_event(db, str(claims.get("sub") or "unknown"), audit.SIGN_IN_REFUSED,
                       token_id(claims), {"reason": reason})
