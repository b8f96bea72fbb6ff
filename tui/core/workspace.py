"""A cards repository opened for work: its root, schema, vocabulary and store together."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tui.core.paths import bundled_root, schema_dir
from tui.core.cards.schema import Schema
from tui.core.cards.store import CardStore
from tui.core.cards.vocab import Vocabulary


class NoCardsFolder(Exception):
    """The chosen folder is not a cards repository."""


@dataclass
class Workspace:
    """Everything the CLI and the app need to know about one cards repository."""

    root: Path
    # True when no repository was named and the current folder has no cards/: the bundled cards are used
    fallback: bool = field(default=False, compare=False)

    @cached_property
    def schema(self) -> Schema:
        return Schema(schema_dir(self.root))

    @cached_property
    def vocab(self) -> Vocabulary:
        return Vocabulary(schema_dir(self.root))

    @cached_property
    def store(self) -> CardStore:
        return CardStore(self.root, self.schema)

    @staticmethod
    def find(repo: str | Path | None = None, *, cwd: Path | None = None) -> Workspace:
        """The workspace for ``--repo``, else the current folder if it holds ``cards/``, else the bundled cards.

        Never climbs into a parent folder: a home folder that happens to be a git repository is
        not adopted silently.
        """
        if repo is not None:
            root = Path(repo).expanduser().resolve()
            if not root.is_dir():
                raise NoCardsFolder(f"map bestaat niet: {root}")
            return Workspace(root).opened()
        here = (cwd or Path.cwd()).resolve()
        if (here / "cards").is_dir():
            return Workspace(here).opened()
        return Workspace(bundled_root(), fallback=True).opened()

    @staticmethod
    def for_path(path: Path) -> Workspace:
        """The workspace a card file or folder belongs to: the nearest parent with ``cards/`` or ``schema/``."""
        path = path.resolve()
        for parent in [path, *path.parents]:
            if (parent / "schema" / "envelope.json").is_file() or ((parent / "cards").is_dir() and parent != path):
                return Workspace(parent).opened()
        return Workspace(bundled_root()).opened()  # loose files: checked against the bundled schema

    def opened(self) -> Workspace:
        """This workspace, after the housekeeping every opening does: temp files of killed saves go."""
        self.store.clean_interrupted_saves()
        return self
