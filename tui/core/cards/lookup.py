"""Finding one card from what a person types: the one resolver every command that takes a card uses.

A reference may be a card id (``NML/B01.1``, case ignored), a path to the file (relative to the
current folder or to the repository, or absolute: ``cards/wbw/wbw-t1-1.1.toml``), a file name
(``wbw-t1-1.1.toml``), a file stem (``wbw-t1-1.1``) or, when nothing else matches, a card's exact
title. Two cards answering the same name are ambiguous and both are named; a name nobody answers
gets the nearest ids and file names as suggestions.

Errors carry ``code`` and ``params`` (``core.lookup.<code>`` in ``tui/locale``); their text is
phrased in the display language.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.core.cards.card import Card, LoadError
from tui.core.cards.parse import load_file
from tui.core.cards.store import CardStore
from tui.core.language import phrase

SUGGESTIONS = 3
SUGGEST_CUTOFF = 60.0


class CardNotFound(LookupError):
    """No single card answers a reference: ``code`` is ``lookup.not_found``, ``.ambiguous`` or ``.unreadable``.

    ``params``: ``ref`` (what was typed), ``folder`` (where was looked), ``candidates`` (the
    matching files of an ambiguous reference), ``suggestions`` (near ids or file names), both joined
    with commas (as tuples in ``.candidates``/``.suggestions``), and ``reason`` (why a named file
    could not be opened).
    """

    def __init__(
        self,
        code: str,
        *,
        ref: str,
        folder: str,
        candidates: Sequence[str] = (),
        suggestions: Sequence[str] = (),
        reason: str = "",
    ) -> None:
        self.code = f"lookup.{code}"
        self.candidates, self.suggestions = tuple(candidates), tuple(suggestions)
        self.params: dict[str, object] = {
            "ref": ref,
            "folder": folder,
            "reason": reason,
            "candidates": ", ".join(self.candidates),
            "suggestions": ", ".join(self.suggestions),
        }
        text = phrase(self.code, self.params)
        if self.suggestions:
            text += " " + phrase("lookup.did_you_mean", self.params)
        super().__init__(text)
        self.message = text

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Found:
    """A resolved reference: the card, or only the path of a card file that is not on disk (deleted)."""

    card: Card | None
    path: Path


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _looks_like_path(ref: str) -> bool:
    return ref.endswith(".toml") or os.sep in ref or ref.startswith(".")


def _path_candidates(ref: str, root: Path, cwd: Path) -> list[Path]:
    """Where a typed path may point: inside the repository first (from the current folder, then from
    the repository's top), a file elsewhere last (``show`` of a loose card file)."""
    p = Path(ref).expanduser()
    found = [p] if p.is_absolute() else list(dict.fromkeys([cwd / p, root / p]))
    return sorted(found, key=lambda c: not _inside(c, root))


def _one(matches: Sequence[Card], ref: str, root: Path) -> Card | None:
    unique = list({c.path.resolve(): c for c in matches}.values())
    if len(unique) == 1:
        return unique[0]
    if len(unique) > 1:
        candidates = sorted(_rel(c.path, root) + (f" ({c.id})" if c.id else "") for c in unique)
        raise CardNotFound("ambiguous", ref=ref, folder=str(root), candidates=candidates)
    return None


def _suggest(ref: str, cards: Sequence[Card]) -> list[str]:
    """Up to ``SUGGESTIONS`` cards near ``ref`` by id or file name, each named once (by its id)."""
    from rapidfuzz import fuzz, utils

    key = utils.default_process(ref.removesuffix(".toml") if ref.endswith(".toml") else ref)
    scored: list[tuple[float, str]] = []
    for c in cards:
        names = [n for n in (c.id, c.path.stem) if n]
        best = max(fuzz.WRatio(key, utils.default_process(n)) for n in names) if names else 0.0
        if best >= SUGGEST_CUTOFF:
            scored.append((best, c.id or c.path.name))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return list(dict.fromkeys(name for _, name in scored))[:SUGGESTIONS]


def find_card(
    store: CardStore,
    ref: str,
    *,
    cards: Sequence[Card] | Callable[[], Sequence[Card]] | None = None,
    cwd: Path | None = None,
    missing_ok: bool = False,
) -> Found:
    """The card ``ref`` names in ``store`` (see the module doc); ``missing_ok`` also accepts the path of a
    card file that does not exist (any more), for history of deleted cards.

    ``cards`` are the store's cards (or a function giving them, called only when a path does not
    settle it); by default they are read from disk. Raises CardNotFound.
    """
    root = store.root
    here = (cwd or Path.cwd()).resolve()
    text = ref.strip()
    if not text:
        raise CardNotFound("not_found", ref=ref, folder=str(store.cards_dir))
    candidates = _path_candidates(text, root, here) if _looks_like_path(text) else []
    for candidate in candidates:  # an existing file settles it without reading the other cards
        if not candidate.is_file() or (missing_ok and not _inside(candidate, root)):
            continue  # git commands want a file of this repository (or the path of a deleted one)
        loaded = load_file(candidate)
        if isinstance(loaded, LoadError):
            raise CardNotFound("unreadable", ref=ref, folder=str(store.cards_dir), reason=loaded.message)
        return Found(loaded, loaded.path)
    given = cards() if callable(cards) else cards
    pool = list(store.load_all().cards if given is None else given)
    folded = text.casefold()
    name = Path(text).name
    stem = name.removesuffix(".toml").casefold() if name.casefold().endswith(".toml") else name.casefold()
    for matches in (
        [c for c in pool if c.id and c.id.casefold() == folded],
        [c for c in pool if c.path.stem.casefold() == stem],
    ):
        found = _one(matches, text, root)
        if found is not None:
            return Found(found, found.path)
    by_title = [c for c in pool if c.title.strip().casefold() == folded]
    if len(by_title) == 1:
        return Found(by_title[0], by_title[0].path)
    if missing_ok and candidates and text.endswith(".toml"):
        return Found(None, candidates[0])  # inside the repository first; outside, git says so
    raise CardNotFound("not_found", ref=ref, folder=str(store.cards_dir), suggestions=_suggest(text, pool))


def resolve_card(
    store: CardStore,
    ref: str,
    *,
    cards: Sequence[Card] | Callable[[], Sequence[Card]] | None = None,
    cwd: Path | None = None,
) -> Card:
    """The one card ``ref`` names (id, path, file name or stem; see the module doc), or CardNotFound."""
    found = find_card(store, ref, cards=cards, cwd=cwd)
    assert found.card is not None
    return found.card
