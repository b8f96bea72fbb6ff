"""Where Kaartenbak finds its bundled schema and cards."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def bundled_root() -> Path:
    """The folder holding the bundled ``schema/`` and ``cards/``.

    In a source checkout that is the repository root; in an installed wheel the data is
    shipped inside the package as ``tui/_data``.
    """
    data = PACKAGE_DIR / "_data"
    if (data / "schema").is_dir():
        return data
    return PACKAGE_DIR.parent


def schema_dir(repo: Path | None = None) -> Path:
    """The schema a cards repository uses: its own ``schema/`` if it has one, else the bundled one."""
    if repo is not None and (repo / "schema" / "envelope.json").is_file():
        return repo / "schema"
    return bundled_root() / "schema"
