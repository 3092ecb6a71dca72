"""Who may do what: roles from configuration, checked on the server side before every write.

A user's role comes from the `[access]` section of the settings, by e-mail address or by identity
provider group; anyone signed in but not listed is a viewer. Pages may hide buttons a role cannot
use, but the casework, upload and settings functions call `require` themselves, so a hidden button
is never the only guard.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from market_oversight.config import Settings
from market_oversight.errors import PermissionDenied


class Role(str, Enum):
    VIEWER = "viewer"
    CONTRACT_MANAGER = "contract_manager"
    DATA_OFFICER = "data_officer"
    ADMINISTRATOR = "administrator"


class Permission(str, Enum):
    VIEW = "view"
    CASEWORK = "casework"        # notes, actions, quality visits
    SUSPEND = "suspend"          # impose or lift placement suspensions
    OVERRIDE = "override"        # RAG overrides
    UPLOAD = "upload"            # load returns, fee and CQC files
    ADMINISTER = "administer"    # thresholds, recipients, roles


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.VIEW}),
    Role.CONTRACT_MANAGER: frozenset(
        {Permission.VIEW, Permission.CASEWORK, Permission.SUSPEND, Permission.OVERRIDE}
    ),
    Role.DATA_OFFICER: frozenset({Permission.VIEW, Permission.UPLOAD}),
    Role.ADMINISTRATOR: frozenset(Permission),
}

# Settings keys under [access], most powerful first: a user listed under several gets the first.
ROLE_KEYS: tuple[tuple[Role, str], ...] = (
    (Role.ADMINISTRATOR, "administrators"),
    (Role.CONTRACT_MANAGER, "contract_managers"),
    (Role.DATA_OFFICER, "data_officers"),
)


@dataclass(frozen=True)
class User:
    email: str
    name: str
    role: Role
    groups: tuple[str, ...] = field(default=())

    def can(self, permission: Permission) -> bool:
        return permission in GRANTS[self.role]


def role_for(settings: Settings, email: str, groups: tuple[str, ...] = ()) -> Role:
    """The role configured for this e-mail address or any of these groups (case-insensitive)."""
    identities = {email.strip().casefold()} | {g.strip().casefold() for g in groups}
    for role, key in ROLE_KEYS:
        listed = {item.casefold() for item in getattr(settings.access, key)}
        if identities & listed:
            return role
    return Role.VIEWER


def require(user: User, permission: Permission) -> None:
    """Raise PermissionDenied unless the user's role grants the permission."""
    if not user.can(permission):
        raise PermissionDenied(
            f"{user.email} is a {user.role.value.replace('_', ' ')} and may not {permission.value}; "
            "ask an administrator to change your role"
        )
