"""Bearer tokens and roles: operator, supervisor, agency:<code>, auditor.

Tokens are stored as SHA-256 hashes only (a JSON file or the SIAGA_TOKENS environment value);
the plaintext is shown once, when a token is made.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from dispatch.permissions import PERMISSIONS, Action, may
from domain.taxonomy import Agency

ROLES = ("operator", "supervisor", "auditor")


class AuthError(Exception):
    """Base of authentication and authorisation failures."""


class Unauthenticated(AuthError):
    """Raised when a request carries no token or an unknown one."""


class Forbidden(AuthError):
    """Raised when the caller's role may not do what it asks."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: a role, a name and, for agencies, which agency."""

    role: str
    name: str

    @property
    def agency(self) -> Agency | None:
        """The agency of an agency principal."""
        if self.role.startswith("agency:"):
            return Agency(self.role.split(":", 1)[1])
        return None

    @property
    def actor(self) -> str:
        """The actor recorded on the events this principal causes."""
        return f"{self.role}:{self.name}" if self.agency is None else f"{self.role}/{self.name}"

    def allow(self, action: Action) -> None:
        """Refuse unless the table in ``dispatch.permissions`` lets this role take the action."""
        if not may(self.role, action):
            needs = " or ".join(sorted(PERMISSIONS[action]))
            raise Forbidden(f"role {self.role} may not {action.value} (needs {needs})")

    def require_agency(self, agency: Agency) -> None:
        """Refuse an agency principal acting for another agency."""
        if self.agency is not None and self.agency is not agency:
            raise Forbidden(f"{self.role} may not act for agency {agency.value}")


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def parse_role(role: str) -> str:
    """Check a role name: operator, supervisor, auditor or agency:<code>."""
    if role in ROLES:
        return role
    if role.startswith("agency:"):
        Agency(role.split(":", 1)[1])
        return role
    raise ValueError(f"unknown role {role!r}: operator, supervisor, auditor or agency:<code>")


class TokenRegistry:
    """Known token hashes and who they belong to."""

    def __init__(self, principals: dict[str, Principal]) -> None:
        self._by_hash = principals

    @classmethod
    def load(cls, path: Path, env_value: str | None = None) -> TokenRegistry:
        """Read hashed tokens from a JSON file and/or a JSON string (SIAGA_TOKENS)."""
        raw: dict[str, dict[str, str]] = {}
        if path.exists():
            raw.update(json.loads(path.read_text()))
        if env_value:
            raw.update(json.loads(env_value))
        return cls({h: Principal(parse_role(p["role"]), p["name"]) for h, p in raw.items()})

    def authenticate(self, token: str | None) -> Principal:
        """The principal of a token, or Unauthenticated."""
        if not token:
            raise Unauthenticated("a bearer token is required")
        principal = self._by_hash.get(hash_token(token))
        if principal is None:
            raise Unauthenticated("unknown or revoked token")
        return principal

    def __len__(self) -> int:
        return len(self._by_hash)


def add_token(path: Path, role: str, name: str) -> str:
    """Make a new token for a role, store its hash, and return the plaintext (once)."""
    token = secrets.token_urlsafe(24)
    raw: dict[str, dict[str, str]] = json.loads(path.read_text()) if path.exists() else {}
    raw[hash_token(token)] = {"role": parse_role(role), "name": name}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(raw, indent=2))
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    return token
