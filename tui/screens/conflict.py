"""The conflict screen: per field both people changed differently, the original, mine and theirs
side by side, and a choice: mine (1), theirs (2) or a combination written by hand (e).

Nothing changes on disk until every field has a choice and the user says "bewaren": then the
card is written through the core store with the ``[[conflict]]`` entries resolved, checked,
and ``git add``-ed. When no conflicts remain in the repository, recording the merge (``git
commit --no-edit``: git's own merge message) is offered. Files that could not be merged per
field are listed with the git commands that resolve them; they are never silently dropped.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, LoadingIndicator, Static, TextArea
from ..widgets.safe import SafeTextArea

from tui.core.cards.card import Card
from tui.core.git.fielddiff import word_diff
from tui.core.git.gitrepo import GitError, GitRepo
from tui.core.git.history import BrokenRevision, card_at
from tui.core.library import Library
from tui.core.sync.merge import FieldConflict, conflicts_of, resolve, same
from tui.core.cards.parse import load_file
from tui.core.cards.text import visible
from tui.core.cards.validate import Problem, validate_data
from ..dialogs.sync_progress import finish_merge_first, offer_merge_commit, preflight, question, unresolved
from ..i18n import lazy, t
from ..messages import CardSaved
from .history import show_value

SIDES = ("base", "ours", "theirs")
MINE, THEIRS, OWN = "ours", "theirs", "own"
_LOG_LIMIT = 30  # commits per side searched for who changed a field


@dataclass(frozen=True)
class Change:
    """Who last changed a field on one side of the merge."""

    author: str
    date: datetime
    subject: str
    sha: str


# --- pure helpers -------------------------------------------------------------------------------


def value_at(data: Any, path: tuple[str | int, ...]) -> Any:
    """The value at ``path`` in card data, or None when absent."""
    node = data
    for step in path:
        if (isinstance(node, dict) and isinstance(step, str) and step in node) or (
            isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        ):
            node = node[step]
        else:
            return None
    return node


def editable(conflict: FieldConflict) -> bool:
    """Whether a combination can be typed as text: text fields and lists of short texts."""
    values = [v for v in (conflict.ours, conflict.theirs) if v is not None]
    if not values or not conflict.path:
        return False
    if all(isinstance(v, str) for v in values):
        return True
    return all(isinstance(v, list) and all(isinstance(i, str) for i in v) for v in values)


def as_text(value: Any) -> str:
    """A text or text-list value as editable text (a list: one item per line)."""
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def from_text(text: str, like: Any) -> Any:
    """Typed text back into the field's type (a list when the field is a list)."""
    if isinstance(like, list):
        return [line.strip().removeprefix("• ").strip() for line in text.splitlines() if line.strip()]
    return text


def side_text(value: Any, base: Any, side: str) -> Text:
    """One column: the value, with what this side changed against the original marked (never markup)."""
    if value is None:
        return Text(t("conflict.absent"), style="dim italic")
    if side != "base" and isinstance(value, str) and isinstance(base, str):
        text = Text()  # this side's own words marked; what it removed shows in the original column
        for seg in word_diff(base, value):
            if seg.op != "delete":
                text.append(visible(seg.text), style="bold green underline" if seg.op == "insert" else "")
        return text
    return Text(show_value(value))


def who_text(change: Change | None) -> Text:
    if change is None:
        return Text(" ", style="dim")
    return Text(
        t(
            "conflict.changed_by",
            author=visible(change.author),
            date=f"{change.date:%Y-%m-%d %H:%M}",
            subject=visible(change.subject),
        ),
        style="dim italic",
    )


def attribute(repo: GitRepo, rel: str, conflicts: list[FieldConflict]) -> dict[tuple[str, str], Change]:
    """Per (side, field): the newest commit since the merge base that changed that field (best effort)."""
    merge_head = repo.try_run("rev-parse", "--verify", "--quiet", "MERGE_HEAD^{commit}")
    if not merge_head:
        return {}
    base = repo.try_run("merge-base", "HEAD", merge_head.strip())
    if not base:
        return {}
    found: dict[tuple[str, str], Change] = {}
    for side, rev in ((MINE, "HEAD"), (THEIRS, merge_head.strip())):
        log = (
            repo.try_run(
                "log",
                "--no-merges",
                f"--max-count={_LOG_LIMIT}",
                "--format=%H%x1f%P%x1f%an%x1f%aI%x1f%s%x1e",
                f"{base.strip()}..{rev}",
                "--",
                rel,
            )
            or ""
        )
        for record in log.split("\x1e"):
            parts = record.strip("\n").split("\x1f")
            if len(parts) != 5:
                continue
            sha, parents, author, date, subject = parts
            open_ = [c for c in conflicts if (side, c.field) not in found]
            if not open_:
                break
            try:
                new = card_at(repo, sha, rel)
                old = card_at(repo, parents.split()[0], rel) if parents.split() else None
            except (BrokenRevision, GitError):
                continue
            for c in open_:
                if not same(value_at(new, c.path) if c.path else new, value_at(old, c.path) if c.path else old):
                    found[(side, c.field)] = Change(author, datetime.fromisoformat(date), subject, sha)
    return found


# --- a combination typed by hand ------------------------------------------------------------------


class CombineDialog(ModalScreen[str | None]):
    """A text area prefilled with mine, theirs below for reference; answers the text or None."""

    BINDINGS = [
        Binding("ctrl+s", "accept", lazy("conflict.accept"), id="conflict-combine-accept", priority=True),
        Binding("escape", "cancel", lazy("dialog.cancel"), id="conflict-combine-cancel"),
    ]

    def __init__(self, label: str, mine: str, theirs: str) -> None:
        super().__init__()
        self.label, self.mine, self.theirs = label, mine, theirs

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="conflict-combine"):
            yield Static(Text(t("conflict.combine_title", label=visible(self.label)), style="bold"), markup=False)
            yield Static(t("conflict.combine_intro"), markup=False, classes="hint")
            yield SafeTextArea(self.mine, id="conflict-combine-text", soft_wrap=True, show_line_numbers=False)
            yield Static(Text(t("conflict.theirs"), style="bold"), markup=False, classes="label")
            with VerticalScroll(id="conflict-combine-theirs"):
                yield Static(Text(visible(self.theirs)), markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("conflict.accept"), id="conflict-combine-ok", variant="primary")
                yield Button(t("dialog.cancel"), id="conflict-combine-cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_accept() if event.button.id == "conflict-combine-ok" else self.action_cancel()

    def action_accept(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


# --- the screen -----------------------------------------------------------------------------------


class ConflictScreen(Screen[bool]):
    """Resolve the ``[[conflict]]`` entries of one card; answers True when the card was written."""

    BINDINGS = [
        Binding("1", "choose('ours')", lazy("conflict.choose_mine"), id="conflict-mine"),
        Binding("2", "choose('theirs')", lazy("conflict.choose_theirs"), id="conflict-theirs"),
        Binding("e", "combine", lazy("conflict.combine"), id="conflict-combine"),
        Binding("n,right", "step(1)", lazy("conflict.next"), id="conflict-next"),
        Binding("p,left", "step(-1)", lazy("conflict.previous"), id="conflict-previous"),
        Binding("ctrl+s", "save", lazy("conflict.save"), id="conflict-save", priority=True),
        Binding("escape", "leave", lazy("conflict.leave"), id="conflict-leave"),
    ]

    def __init__(self, library: Library, card_id: str) -> None:
        super().__init__()
        self.library = library
        self.card_id = card_id
        card = library.cards.get(card_id)
        self.card: Card | None = card
        self.title_text = card.title if card else card_id
        self.conflicts: list[FieldConflict] = []
        self.changes: dict[tuple[str, str], Change] = {}
        self.choices: dict[str, tuple[str, Any]] = {}  # field -> (ours | theirs | own, value)
        self.index = 0
        self.loaded = False
        self.saving = False

    def compose(self) -> ComposeResult:
        yield Static(
            Text(t("conflict.title", title=visible(self.title_text), id=visible(self.card_id)), style="bold"),
            id="conflict-title",
            markup=False,
        )
        yield Static(t("conflict.intro"), id="conflict-intro", markup=False)
        yield Static("", id="conflict-field", markup=False)
        yield LoadingIndicator(id="conflict-busy")
        with Horizontal(id="conflict-columns"):
            for side in SIDES:
                with VerticalScroll(id=f"conflict-{side}", classes="conflict-side", can_focus=True):
                    yield Static(Text(t(f"conflict.head_{side}"), style="bold"), classes="conflict-head", markup=False)
                    yield Static("", classes="conflict-who", markup=False)
                    yield Static("", classes="conflict-body", markup=False)
        yield Static("", id="conflict-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#conflict-columns").display = False
        self.load()

    def current_card_id(self) -> str | None:
        return self.card_id

    # -- loading -------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="git", exit_on_error=False)
    def load(self) -> None:
        """The card as it is on disk now, its conflicts, and who changed each side (best effort)."""
        if self.card is None:
            self.app.call_from_thread(self._loaded, None, [], {})
            return
        loaded = load_file(self.card.path)
        if not isinstance(loaded, Card):
            self.app.call_from_thread(self._loaded, None, [], {})
            return
        conflicts = conflicts_of(dict(loaded.data))
        changes: dict[tuple[str, str], Change] = {}
        try:
            with GitRepo.open(self.library.workspace.root) as repo:
                changes = attribute(repo, repo.relpath(loaded.path), conflicts)
        except (GitError, OSError, ValueError):
            pass  # who changed what is a help, not a requirement
        self.app.call_from_thread(self._loaded, loaded, conflicts, changes)

    def _loaded(
        self, card: Card | None, conflicts: list[FieldConflict], changes: dict[tuple[str, str], Change]
    ) -> None:
        self.query_one("#conflict-busy").display = False
        if card is None:
            self.notify(t("conflict.unreadable"), severity="error", timeout=8, markup=False)
            self.dismiss(False)
            return
        self.card = card
        self.conflicts = conflicts
        self.changes = changes
        self.loaded = True
        if not conflicts:
            self.notify(t("conflict.none_here"), timeout=5, markup=False)
            self.dismiss(False)
            return
        self.query_one("#conflict-columns").display = True
        self.show_field()
        self.refresh_bindings()

    # -- showing ---------------------------------------------------------------------------------
    @property
    def current(self) -> FieldConflict | None:
        return self.conflicts[self.index] if 0 <= self.index < len(self.conflicts) else None

    def show_field(self) -> None:
        c = self.current
        if c is None:
            return
        head = Text()
        head.append(t("conflict.field_of", n=self.index + 1, total=len(self.conflicts)), style="dim")
        head.append("  ")
        head.append(visible(c.label or c.field), style="bold")
        if not c.path:
            head.append("  " + t("conflict.whole_card"), style="italic")
        self.query_one("#conflict-field", Static).update(head)
        chosen = self.choices.get(c.field)
        for side in SIDES:
            column = self.query_one(f"#conflict-{side}", VerticalScroll)
            column.query_one(".conflict-who", Static).update(who_text(self.changes.get((side, c.field))))
            value = getattr(c, side)
            body = side_text(value, c.base, side) if c.path else Text(self._card_summary(value))
            column.query_one(".conflict-body", Static).update(body)
            column.set_class(chosen is not None and chosen[0] == side, "-chosen")
            column.scroll_home(animate=False)
        self._show_status()

    @staticmethod
    def _card_summary(value: Any) -> str:
        if value is None:
            return t("conflict.card_deleted")
        return (
            show_value({k: v for k, v in value.items() if k != "conflict"})
            if isinstance(value, dict)
            else show_value(value)
        )

    def _show_status(self) -> None:
        c = self.current
        text = Text()
        chosen = self.choices.get(c.field) if c else None
        if chosen is None:
            text.append(t("conflict.not_chosen"), style="bold")
        else:
            text.append(t(f"conflict.chosen_{chosen[0]}"), style="bold green")
            if chosen[0] == OWN:
                text.append("\n" + visible(as_text(chosen[1])), style="green")
        left = sum(1 for x in self.conflicts if x.field not in self.choices)
        text.append("\n" + (t("conflict.left", count=left) if left else t("conflict.all_chosen")), style="dim")
        self.query_one("#conflict-status", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("choose", "combine", "step", "save"):
            if not self.loaded or self.saving:
                return None
            if action == "combine" and self.current is not None and not editable(self.current):
                return None
        return True

    # -- choosing --------------------------------------------------------------------------------
    def action_choose(self, side: str) -> None:
        c = self.current
        if c is None or self.saving:
            return
        self.choices[c.field] = (side, copy.deepcopy(getattr(c, side)))
        self._advance()

    def action_combine(self) -> None:
        c = self.current
        if c is None or self.saving:
            return
        if not editable(c):
            self.notify(t("conflict.not_editable"), timeout=6, markup=False)
            return
        like = c.ours if c.ours is not None else c.theirs
        start = self.choices[c.field][1] if self.choices.get(c.field, ("",))[0] == OWN else c.ours

        def typed(text: str | None) -> None:
            if text is None:
                return
            self.choices[c.field] = (OWN, from_text(text, like))
            self._advance()

        self.app.push_screen(CombineDialog(c.label or c.field, as_text(start), as_text(c.theirs)), typed)

    def _advance(self) -> None:
        """Next field without a choice; when all have one, ask to write the card."""
        n = len(self.conflicts)
        for step in range(1, n + 1):
            i = (self.index + step) % n
            if self.conflicts[i].field not in self.choices:
                self.index = i
                self.show_field()
                return
        self.show_field()
        self.action_save()

    def action_step(self, delta: int) -> None:
        if self.conflicts:
            self.index = (self.index + delta) % len(self.conflicts)
            self.show_field()

    # -- writing -----------------------------------------------------------------------------------
    def action_save(self) -> None:
        if self.saving or not self.loaded:
            return
        left = [c for c in self.conflicts if c.field not in self.choices]
        if left:
            self.index = self.conflicts.index(left[0])
            self.show_field()
            self.notify(t("conflict.left", count=len(left)), severity="warning", timeout=4, markup=False)
            return
        lines = []
        for c in self.conflicts:
            kind, value = self.choices[c.field]
            lines.append(f"• {visible(c.label or c.field)}: {t(f'conflict.pick_{kind}')}")
            if kind == OWN:
                lines.append(f"  {visible(as_text(value))}")
        detail = "\n".join(lines) + "\n\n" + t("conflict.save_detail")
        choices = [("save", t("conflict.save"), "primary"), ("back", t("conflict.keep_choosing"), "default")]

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.saving = True
                self.refresh_bindings()
                self.query_one("#conflict-busy").display = True
                self.write(dict(self.choices))

        self.app.push_screen(question(t("conflict.save_question"), detail, choices, "back"), answered)

    @work(thread=True, exclusive=True, group="git", exit_on_error=False)
    def write(self, choices: dict[str, tuple[str, Any]]) -> None:
        """Resolve, check, write through the store, ``git add``; then what is left in the repository."""
        ws = self.library.workspace
        card = self.card
        assert card is not None
        data: dict[str, Any] = dict(card.data)
        for c in reversed(self.conflicts):  # list items from the end: positions before stay valid
            data = resolve(data, c.path, choices[c.field][1])
        deleted = not data
        if not deleted:
            errors = [p for p in validate_data(data, ws.schema, ws.vocab) if p.is_error]
            if errors:
                self.app.call_from_thread(self._invalid, errors)
                return
        try:
            if deleted:
                ws.store.delete(card)
                saved = None
            else:
                saved = ws.store.save(card, data)
            with GitRepo.open(ws.root) as repo:
                repo.run("add", "--all", "--", repo.relpath(card.path))
                left = unresolved(repo)
                merging = (repo.git_dir / "MERGE_HEAD").exists()
        except Exception as exc:  # ChangedOnDisk, WriteError, GitError: explain, keep the choices
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._written, saved, left, merging)

    def _invalid(self, errors: list[Problem]) -> None:
        from ..dialogs.error import ErrorDialog

        self._not_saving()
        text = "\n".join(f"• {visible(p.label or p.field)}: {visible(p.message)}" for p in errors)
        self.app.push_screen(ErrorDialog(t("conflict.invalid_title"), t("conflict.invalid", problems=text)))

    def _failed(self, exc: Exception) -> None:
        from ..dialogs.error import ErrorDialog

        self._not_saving()
        message = "\n\n".join(p for p in (getattr(exc, "message", "") or str(exc), getattr(exc, "advice", "")) if p)
        self.app.push_screen(ErrorDialog(t("conflict.save_failed"), message))

    def _not_saving(self) -> None:
        self.saving = False
        self.query_one("#conflict-busy").display = False
        self.refresh_bindings()

    def _written(self, saved: Card | None, left: list[str], merging: bool) -> None:
        app, library = self.app, self.library
        if saved is None:
            library.remove(self.card_id)
            app.post_message(CardSaved(None, self.card_id, deleted=True))
        else:
            library.update(saved, old_id=self.card_id)
            app.post_message(CardSaved(saved.id, self.card_id))
        app.notify(t("conflict.written", title=visible(self.title_text)), timeout=5, markup=False)
        self.dismiss(True)
        if merging and not left and not any("conflict" in c.data for c in library.cards.values()):
            offer_merge_commit(app, library, t("conflict.all_resolved"))

    def action_leave(self) -> None:
        if not self.choices or self.saving:
            if not self.saving:
                self.dismiss(False)
            return
        choices = [("stay", t("conflict.keep_choosing"), "primary"), ("leave", t("conflict.leave_anyway"), "warning")]

        def answered(choice: str | None) -> None:
            if choice == "leave":
                self.dismiss(False)

        self.app.push_screen(
            question(t("conflict.leave_question"), t("conflict.leave_detail"), choices, "stay"), answered
        )


# --- flows used by the app and the sync ----------------------------------------------------------


def resolve_in_turn(app: App, library: Library, paths: list[str], other: list[str]) -> None:
    """Open the conflict screen for each card (absolute paths) in turn, then list the other files."""
    queue = list(paths)

    def next_card(written: bool | None = True) -> None:
        if written is False and queue:
            app.notify(t("conflict.postponed", count=len(queue)), severity="warning", timeout=8, markup=False)
            return
        while queue:
            card = library.by_path(Path(queue.pop(0)))
            if card is not None and "conflict" in card.data:
                app.push_screen(ConflictScreen(library, card.id), next_card)
                return
        if other:
            show_other_conflicts(app, library, other)

    next_card()


def show_other_conflicts(app: App, library: Library, other: list[str]) -> None:
    """Files that could not be merged per field: what they are and the commands that finish them."""
    files = "\n".join(f"  {visible(p)}" for p in other)
    detail = t("conflict.other_detail", files=files, root=visible(str(library.workspace.root)))
    app.push_screen(
        question(t("conflict.other_title", count=len(other)), detail, [("ok", t("dialog.ok"), "primary")], "ok")
    )


def open_conflicts(app: App, library: Library, card_id: str | None) -> None:
    """The `x` key: this card's conflicts, else every card with conflicts, else what git still needs."""
    card = library.cards.get(card_id) if card_id else None
    if card is not None and "conflict" in card.data:
        app.push_screen(ConflictScreen(library, card.id))
        return
    waiting = sorted((c for c in library.cards.values() if "conflict" in c.data), key=lambda c: c.title.casefold())
    if waiting:
        resolve_in_turn(app, library, [str(c.path) for c in waiting], [])
        return

    def check() -> None:
        found = preflight(library.workspace.root)
        app.call_from_thread(checked, found)

    def checked(found: Any) -> None:
        if found.merging:
            finish_merge_first(app, library, found.unmerged)
        else:
            app.notify(t("conflict.none"), timeout=4, markup=False)

    app.run_worker(check, name="conflict-check", thread=True, exclusive=True, group="git", exit_on_error=False)
