"""Decisions per card: the append-only ``[[besluiten]]`` list at the end of a card file.

A decision is one table with ``datum``, ``vergadering`` and ``besluit`` (required) and
``actiehouder`` and ``deadline`` (optional); dates are ISO ``YYYY-MM-DD`` strings. Other code
reads decisions only through :func:`card_decisions` (tolerant of hand-made, broken items) and
adds one only through :func:`add_decision`, which appends a single table through the card
writer, so the commit is a pure addition in ``git diff``.

Refusals are :class:`DecisionError` with a ``code`` (``core.decisions.<code>`` in
``tui/locale``) and ``params``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.cards.card import Card
from tui.core.cards.store import CardStore, ChangedOnDisk
from tui.core.cards.validate import is_iso_date
from tui.core.language import phrase

if TYPE_CHECKING:
    from tui.core.library import Library

FIELD = "besluiten"
KEYS = ("datum", "vergadering", "besluit", "actiehouder", "deadline")
REQUIRED = ("datum", "vergadering", "besluit")
DATE_KEYS = ("datum", "deadline")


@dataclass(frozen=True)
class Decision:
    """One decision about a card, as written in its ``[[besluiten]]`` table."""

    datum: str
    vergadering: str
    besluit: str
    actiehouder: str | None = None
    deadline: str | None = None

    def to_table(self) -> dict[str, str]:
        """The TOML table: required keys always, optional ones only when filled, in the fixed order."""
        out = {"datum": self.datum, "vergadering": self.vergadering, "besluit": self.besluit}
        if self.actiehouder:
            out["actiehouder"] = self.actiehouder
        if self.deadline:
            out["deadline"] = self.deadline
        return out

    @staticmethod
    def from_table(item: Mapping[str, Any]) -> Decision:
        """A decision from a table; missing or non-text values become empty text / None."""

        def text(key: str) -> str:
            value = item.get(key)
            return value if isinstance(value, str) else ("" if value is None else str(value))

        return Decision(
            text("datum"),
            text("vergadering"),
            text("besluit"),
            text("actiehouder") or None,
            text("deadline") or None,
        )


class DecisionError(Exception):
    """A decision that cannot be added: ``code`` (``decisions.<name>``) and ``params``.

    Codes: ``decisions.invalid`` (field, problem), ``decisions.draft_open`` (title),
    ``decisions.changed_on_disk`` (path), ``decisions.not_a_card`` (path).
    """

    def __init__(self, code: str, **params: object) -> None:
        self.code = f"decisions.{code}"
        self.params = params
        super().__init__(phrase(self.code, params))


def problems(item: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What is wrong with one decision table: ``(key, code)`` pairs, codes ``missing``,
    ``not_text``, ``date_invalid``, ``deadline_before``; empty when it is fine."""
    out: list[tuple[str, str]] = []
    for key in KEYS:
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            out.append((key, "not_text"))
        elif key in REQUIRED and (value is None or not value.strip()):
            out.append((key, "missing"))
        elif key in DATE_KEYS and value and not is_iso_date(value):
            out.append((key, "date_invalid"))
    datum, deadline = item.get("datum"), item.get("deadline")
    if (
        isinstance(datum, str)
        and isinstance(deadline, str)
        and is_iso_date(datum)
        and is_iso_date(deadline)
        and deadline < datum
    ):
        out.append(("deadline", "deadline_before"))
    return out


def card_decisions(card: Card | Mapping[str, Any]) -> list[Decision]:
    """The decisions of a card (or of card data), in file order; items that are no table are skipped."""
    data = card.data if isinstance(card, Card) else card
    raw = data.get(FIELD)
    if not isinstance(raw, list):
        return []
    return [Decision.from_table(item) for item in raw if isinstance(item, Mapping)]


def default_meeting(root: Path, datum: str) -> str:
    """The meeting name to offer: the latest snapshot's name, else ``Vergadering <datum>``."""
    try:
        from tui.core.git.gitrepo import GitRepo
        from tui.core.review.snapshots import latest_snapshot

        with GitRepo.open(root) as repo:
            snap = latest_snapshot(repo)
    except Exception:  # no git, no tags, git missing: the plain default
        snap = None
    return snap.name if snap is not None else f"Vergadering {datum}"


def _store_of(target: CardStore | Library) -> tuple[CardStore, Library | None]:
    if isinstance(target, CardStore):
        return target, None
    return target.workspace.store, target


def add_decision(target: CardStore | Library, card: Card, decision: Decision) -> Card:
    """Append ``decision`` as one ``[[besluiten]]`` table at the end of ``card``'s file.

    Only added lines: every other byte of the file stays as it was (CRLF and BOM included).
    Refuses a decision that is not valid, a card whose file changed since it was read (as the
    editor does) and a card with an unsaved draft (the editor's typing is never lost; save or
    discard the draft first). With a Library, the library learns of the saved card.
    """
    from tui.core.drafts import DraftStore

    store, library = _store_of(target)
    table = decision.to_table()
    found = problems(table)
    if found:
        key, problem = found[0]
        raise DecisionError("invalid", field=key, problem=problem)
    if DraftStore(store.root).get(card.id) is not None:
        raise DecisionError("draft_open", title=card.title, id=card.id)
    data = card.to_dict()
    current = data.get(FIELD, [])
    if not isinstance(current, list) or not all(isinstance(x, Mapping) for x in current):
        raise DecisionError("not_a_list", path=str(card.path))
    items = [dict(x) for x in current]
    data[FIELD] = [*items, table]
    try:
        saved = store.save(card, data)
    except ChangedOnDisk as exc:
        raise DecisionError("changed_on_disk", path=str(exc.path)) from exc
    if library is not None:
        library.update(saved)
    return saved


class DecisionDrafts:
    """Typed but unsaved decisions, one per card, kept by the editor's draft mechanism
    (``tui.core.drafts``: atomic JSON files in ``.git/kaartenbak/``) in a folder of their own, so
    the editor's recovery never mistakes one for a card draft. The dialog offers it back the next
    time a decision is added to that card."""

    def __init__(self, root: Path) -> None:
        from tui.core.drafts import DraftStore, drafts_dir

        self.store = DraftStore(root)
        self.store.folder = drafts_dir(root).parent / "decision-drafts"

    def write(self, card: Card, fields: Mapping[str, str]) -> Path:
        """Journal the dialog's fields (raises WriteError like any save)."""
        return self.store.write(card.id, card.path, card.blob, {k: str(v) for k, v in fields.items()})

    def get(self, card_id: str) -> dict[str, str] | None:
        """The typed fields of the card's unsaved decision, if any."""
        draft = self.store.get(card_id)
        return {str(k): str(v) for k, v in draft.data.items()} if draft is not None else None

    def discard(self, card_id: str) -> None:
        """Forget it (after saving the decision, or when the user threw the text away)."""
        self.store.discard(card_id)
