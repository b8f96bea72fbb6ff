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
from tui.core.language import phrase

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
    """A name or e-mail address git would mangle or that could inject config.

    ``code`` (``identity.<code>`` in ``tui/locale``), ``field`` (``name`` or ``email``) and
    ``params`` say what is wrong; ``message`` and ``advice`` are those phrased in the display language.
    """

    def __init__(self, code: str, field: str, **params: object) -> None:
        self.code, self.field, self.params = code, field, params
        label = phrase(f"identity.field_{field}", {})
        words = {**params, "field": label, "field_lower": label.lower()}
        super().__init__(phrase(f"identity.{code}", words), phrase(f"identity.{code}_advice", words))


@dataclass(frozen=True)
class Identity:
    """A validated name and e-mail address."""

    name: str
    email: str


def _check(field: str, value: str) -> str:
    if not isinstance(value, str):
        raise InvalidIdentity("missing", field)
    if any(ch in value for ch in "\r\n\0"):
        raise InvalidIdentity("line_break", field)
    value = value.strip()
    if not value:
        raise InvalidIdentity("missing", field)
    if len(value) > MAX_LENGTH:
        raise InvalidIdentity("too_long", field, length=len(value), max=MAX_LENGTH)
    if value.startswith("-"):
        raise InvalidIdentity("dash", field)
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value) or "<" in value or ">" in value:
        raise InvalidIdentity("bad_chars", field)
    return value


def validate_identity(name: str, email: str) -> Identity:
    """A clean Identity, or InvalidIdentity saying what is wrong (a code, phrased by ``tui/locale``)."""
    clean_name = _check("name", name)
    clean_email = _check("email", email)
    if not _EMAIL.match(clean_email):
        raise InvalidIdentity("not_email", "email", value=clean_email)
    return Identity(clean_name, clean_email)


def read_identity(repo: GitRepo) -> Identity | None:
    """The identity git would commit under (from git config), or None when incomplete."""
    name, email = repo.configured_identity()
    return Identity(name, email) if name and email else None


def require_identity(repo: GitRepo) -> Identity:
    """The configured identity, or NoIdentity: committing never invents one."""
    found = read_identity(repo)
    if found is None:
        missing = NoIdentity(phrase("identity.unknown", {}), phrase("identity.unknown_advice", {}))
        missing.code = "identity.unknown"
        raise missing
    return found


def store_identity(repo: GitRepo, name: str, email: str) -> Identity:
    """Validate and write the identity into this repository's own config (``--local``)."""
    identity = validate_identity(name, email)
    repo.run("config", "--local", "user.name", identity.name)
    repo.run("config", "--local", "user.email", identity.email)
    return identity
