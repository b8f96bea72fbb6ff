"""The git identity (user.name / user.email) a commit is made under: checked, then stored.

GitPython falls back to ``user@hostname`` when no identity is set; Kaartenbak never does. The
identity is asked once, validated here and written with the git CLI into the repository's own
config, so a hostile value can neither inject config sections nor be read as an option.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tui.core.git.gitrepo import GitError, GitRepo, NoIdentity

MAX_LENGTH = 200
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")

__all__ = [
    "Identity",
    "InvalidIdentity",
    "NoIdentity",
    "read_identity",
    "require_identity",
    "store_identity",
    "validate_identity",
]


class InvalidIdentity(GitError):
    """A name or e-mail address git would mangle or that could inject config."""


@dataclass(frozen=True)
class Identity:
    """A validated name and e-mail address."""

    name: str
    email: str


def _check(label: str, value: str) -> str:
    if not isinstance(value, str):
        raise InvalidIdentity(f"{label} ontbreekt.", f"Vul je {label.lower()} in.")
    if any(ch in value for ch in "\r\n\0"):
        raise InvalidIdentity(f"{label} mag geen regeleinde of NUL-teken bevatten.", "Typ het op één regel.")
    value = value.strip()
    if not value:
        raise InvalidIdentity(f"{label} ontbreekt.", f"Vul je {label.lower()} in.")
    if len(value) > MAX_LENGTH:
        raise InvalidIdentity(f"{label} is te lang ({len(value)} tekens; hoogstens {MAX_LENGTH}).", "Maak het korter.")
    if value.startswith("-"):
        raise InvalidIdentity(f"{label} mag niet met '-' beginnen.", "Haal het streepje aan het begin weg.")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value) or "<" in value or ">" in value:
        raise InvalidIdentity(f"{label} bevat tekens die niet mogen (stuurtekens, < of >).", "Gebruik gewone letters.")
    return value


def validate_identity(name: str, email: str) -> Identity:
    """A clean Identity, or InvalidIdentity saying what is wrong (in Dutch)."""
    clean_name = _check("Naam", name)
    clean_email = _check("E-mailadres", email)
    if not _EMAIL.match(clean_email):
        raise InvalidIdentity(f"'{clean_email}' lijkt geen e-mailadres.", "Gebruik de vorm naam@voorbeeld.nl.")
    return Identity(clean_name, clean_email)


def read_identity(repo: GitRepo) -> Identity | None:
    """The identity git would commit under (from git config), or None when incomplete."""
    name, email = repo.configured_identity()
    return Identity(name, email) if name and email else None


def require_identity(repo: GitRepo) -> Identity:
    """The configured identity, or NoIdentity: committing never invents one."""
    found = read_identity(repo)
    if found is None:
        raise NoIdentity(
            "Git weet nog niet wie je bent (user.name en user.email ontbreken).",
            "Vul je naam en e-mailadres in voordat je bewaart.",
        )
    return found


def store_identity(repo: GitRepo, name: str, email: str) -> Identity:
    """Validate and write the identity into this repository's own config (``--local``)."""
    identity = validate_identity(name, email)
    repo.run("config", "--local", "user.name", identity.name)
    repo.run("config", "--local", "user.email", identity.email)
    return identity
