"""A card's history: its versions on the left, what each version changed (field by field) on the right.

From here a whole card, or one field, goes back into the editor as it was in a chosen version
(an unsaved change: the user checks and saves). Git runs in workers; a version's diff is
computed once and kept.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, LoadingIndicator, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.core.cards.render_text import plain_value
from tui.core.cards.text import visible
from tui.core.cards.validate import label_for
from tui.core.git.fielddiff import ADDED, REMOVED, FieldDiff, changed_fields, diff_cards, kind_for
from tui.core.git.gitrepo import GitError, GitRepo
from tui.core.git.history import Revision, card_history, version_pair
from tui.core.library import Library

from ..dialogs.error import ErrorDialog
from ..i18n import explained, lazy, t
from .editor import EditorScreen

PAGE = 50
EQUAL_CONTEXT = 240  # characters of unchanged text kept on each side of a change in long fields
INSERT, DELETE = "green underline", "red strike"


@dataclass
class VersionDiff:
    """What one version did to the card: its data before and after and the field diffs."""

    revision: Revision
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None
    diffs: list[FieldDiff] = field(default_factory=list)
    first_commit: bool = False
    problem: str | None = None


# --- rendering (pure: data in, rich Text out; user text made visible, never markup) --------------


def show_value(value: Any) -> str:
    """A field value as readable text: lists one item per line, tables as ``key: value`` lines."""
    return visible(plain_value(value))


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.split("\n"))


def _shorten(text: str, first: bool, last: bool) -> str:
    if len(text) <= 2 * EQUAL_CONTEXT + 20:
        return text
    head = "" if first else text[:EQUAL_CONTEXT]
    tail = "" if last else text[-EQUAL_CONTEXT:]
    return f"{head} … {tail}".strip(" ") if head or tail else "…"


def diff_text(d: FieldDiff) -> tuple[Text, Text]:
    """One changed field: its label, and old and new (word-level for long text, +/− for list items)."""
    label = Text(visible(d.label), style="bold")
    body = Text()
    if d.change == ADDED:
        label.append(f"  ({t('history.field_added')})", style="green")
        body.append(_indent(show_value(d.new), "+ "), style="green")
    elif d.change == REMOVED:
        label.append(f"  ({t('history.field_removed')})", style="red")
        body.append(_indent(show_value(d.old), "− "), style="red strike")
    elif d.added_items or d.removed_items:
        lines = [(f"− {visible(i)}", "red strike") for i in d.removed_items] + [
            (f"+ {visible(i)}", "green") for i in d.added_items
        ]
        for n, (line, style) in enumerate(lines):
            body.append(("\n" if n else "") + line, style=style)
    elif isinstance(d.old, list) and isinstance(d.new, list):
        body.append(t("history.order_changed"), style="dim")
    elif d.segments:
        for i, seg in enumerate(d.segments):
            text = visible(seg.text)
            if seg.op == "equal":
                body.append(_shorten(text, i == 0, i == len(d.segments) - 1))
            else:
                body.append(text, style=INSERT if seg.op == "insert" else DELETE)
    else:
        body.append(_indent(show_value(d.old), f"{t('history.old')}: "), style="red strike")
        body.append("\n")
        body.append(_indent(show_value(d.new), f"{t('history.new')}: "), style="green")
    return label, body


def version_blocks(v: VersionDiff) -> list[tuple[Text, str]]:
    """The right-hand pane for one version, as (text, css class) blocks: header, then label and body per field."""
    r = v.revision
    head = Text()
    head.append(
        t("history.header", sha=r.short, date=f"{r.date:%Y-%m-%d %H:%M}", author=visible(r.author)), style="bold"
    )
    head.append(f"  <{visible(r.email)}>\n", style="dim")
    head.append(visible(r.subject), style="italic")
    if r.body:
        head.append("\n" + visible(r.body), style="dim italic")
    blocks = [(head, "diff-head")]
    if v.problem:
        return [*blocks, (Text(t("history.unreadable", problem=visible(v.problem)), style="bold red"), "diff-note")]
    if v.old is None and v.new is not None:
        blocks.append(
            (
                Text(t("history.first_version" if v.first_commit else "history.added_card"), style="bold green"),
                "diff-note",
            )
        )
    elif v.new is None and v.old is not None:
        blocks.append((Text(t("history.deleted_card"), style="bold red"), "diff-note"))
    if not v.diffs:
        return [*blocks, (Text(t("history.no_changes"), style="dim"), "diff-note")]
    for d in v.diffs:
        label, body = diff_text(d)
        blocks += [(label, "diff-label"), (body, "diff-body")]
    return blocks


def version_text(v: VersionDiff) -> Text:
    """The pane as one Text (for tests and plain output)."""
    return Text("\n").join(text for text, _ in version_blocks(v))


def revision_prompt(r: Revision) -> Text:
    """A version in the list: date and author, then the message's first line."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{r.date:%Y-%m-%d %H:%M}", style="bold")
    text.append(f"  {visible(r.author)}\n")  # the short sha is in the pane header
    text.append(visible(r.subject or "—"), style="italic")
    return text


# --- the field picker for "restore one field" ---------------------------------------------------


class FieldPicker(ModalScreen[str | None]):
    """Choose one field (top-level key) of a version's diff; escape cancels."""

    BINDINGS = [Binding("escape", "cancel", lazy("dialog.cancel"), id="history-pick-cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices  # (key, label, preview of the value in that version)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="history-pick"):
            yield Static(Text(self.title_text, style="bold"), markup=False)
            yield Static(t("history.pick_intro"), markup=False)
            options = []
            for key, label, preview in self.choices:
                prompt = Text(no_wrap=True, overflow="ellipsis")
                prompt.append(visible(label), style="bold")
                prompt.append(f"\n  {preview}", style="dim")
                options.append(Option(prompt, id=key))
            yield OptionList(*options, id="history-pick-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _preview(value: Any) -> str:
    text = " ".join(show_value(value).split())
    if not text:
        return t("history.pick_absent")
    return text if len(text) <= 70 else text[:69] + "…"


# --- the screen -----------------------------------------------------------------------------------


class HistoryScreen(Screen[None]):
    """The versions of one card and, per version, what changed in which field."""

    BINDINGS = [
        Binding("escape", "back", lazy("history.back"), id="history-back"),
        Binding("enter", "restore", lazy("history.restore"), id="history-restore-enter", show=False, priority=True),
        Binding("r", "restore", lazy("history.restore"), id="history-restore"),
        Binding("f", "restore_field", lazy("history.restore_field"), id="history-restore-field"),
        Binding("b", "app.blame", lazy("history.blame"), id="history-blame"),
        Binding("m", "more", lazy("history.more"), id="history-more"),
        Binding("c", "app.commit", lazy("keys.commit"), id="history-commit", show=False),
    ]

    def __init__(self, library: Library, card_id: str) -> None:
        super().__init__()
        self.library = library
        self.card_id = card_id
        card = library.cards.get(card_id)
        self.card_path = str(card.path) if card else ""
        self.card_title = card.title if card else card_id
        self.revisions: list[Revision] = []
        self.has_more = False
        self.loading_page = False
        self.loaded = False
        self.versions: dict[str, VersionDiff] = {}
        self._pending: tuple[str, Callable[[VersionDiff], None]] | None = None
        self.pane_text = ""  # what the right-hand pane shows, as plain text

    def compose(self) -> ComposeResult:
        yield Static(
            Text(t("history.title", title=visible(self.card_title)), style="bold"), id="history-title", markup=False
        )
        with Horizontal(id="history-main"):
            with Vertical(id="history-left"):
                yield Static(Text(t("history.loading"), style="dim"), id="history-count", markup=False)
                yield OptionList(id="history-list")
            with VerticalScroll(id="history-diff", can_focus=True):
                yield LoadingIndicator(id="history-busy")
                with Vertical(id="history-diff-body"):
                    yield Static(Text(t("history.choose"), style="dim"), markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#history-busy").display = False
        self.query_one("#history-list", OptionList).focus()
        self.load_page(0)

    def current_card_id(self) -> str | None:
        return self.card_id

    # -- versions list -----------------------------------------------------------------------
    @work(thread=True, group="git-history", exit_on_error=False)
    def load_page(self, skip: int, replace: bool = False) -> None:
        """One page of versions (newest first); the first page comes quickly with ``limit``."""
        try:
            with GitRepo.open(self.library.workspace.root) as repo:
                revisions = card_history(repo, self.card_path, limit=PAGE, skip=skip)
        except GitError as exc:
            self.app.call_from_thread(self._git_failed, exc)
            return
        self.app.call_from_thread(self._add_revisions, revisions, replace)

    def on_screen_resume(self) -> None:
        """Back from the editor or the commit dialog: a new version may exist; keep the selection."""
        if self.loaded and not self.loading_page:
            self.loading_page = True
            self.load_page(0, replace=True)

    def _add_revisions(self, revisions: list[Revision], replace: bool = False) -> None:
        self.loading_page = False
        lst = self.query_one("#history-list", OptionList)
        keep = self.selected.sha if replace and self.selected else None
        if replace:
            if [r.sha for r in revisions] == [r.sha for r in self.revisions[: len(revisions)]]:
                return  # nothing new
            self.revisions = []
            lst.clear_options()
        self.loaded = True
        self.has_more = len(revisions) == PAGE
        known = {r.sha for r in self.revisions}
        new = [r for r in revisions if r.sha not in known]
        self.revisions.extend(new)
        self.refresh_bindings()
        lst.add_options(
            [item for r in new for item in (Option(revision_prompt(r), id=r.sha), None)]
        )  # a line between versions
        count = len(self.revisions)
        label = t("history.count_more" if self.has_more else "history.count", count=count)
        self.query_one("#history-count", Static).update(Text(label, style="dim"))
        if not self.revisions:
            self._blocks([(Text(t("history.none"), style="italic"), "diff-note")])
            return
        if lst.highlighted is None:
            shas = [r.sha for r in self.revisions]
            lst.highlighted = shas.index(keep) if keep in shas else 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "more":
            return self.has_more
        if action in ("restore", "restore_field"):
            return True if self.revisions else None
        return True

    def action_more(self) -> None:
        if self.has_more and not self.loading_page:
            self.loading_page = True
            self.query_one("#history-count", Static).update(Text(t("history.loading"), style="dim"))
            self.load_page(len(self.revisions))

    @on(OptionList.OptionHighlighted, "#history-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        index = event.option_index
        if index >= len(self.revisions) - 1:
            self.action_more()  # scrolled to the end: fetch the next page
        self.show_version(index)

    @on(OptionList.OptionSelected, "#history-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        """A click only shows the version; restoring takes ``enter`` or ``r``."""

    # -- one version ---------------------------------------------------------------------------
    @property
    def selected(self) -> Revision | None:
        index = self.query_one("#history-list", OptionList).highlighted
        return self.revisions[index] if index is not None and 0 <= index < len(self.revisions) else None

    def show_version(self, index: int) -> None:
        rev = self.revisions[index]
        cached = self.versions.get(rev.sha)
        if cached is not None:
            self._show(cached)
            return
        self.query_one("#history-busy").display = True
        self._blocks([(Text(t("history.diff_loading"), style="dim"), "diff-note")])
        older = self.revisions[index + 1].path if index + 1 < len(self.revisions) else rev.path
        self.load_version(rev, older)

    @work(thread=True, exclusive=True, group="git", exit_on_error=False)
    def load_version(self, rev: Revision, older_path: str) -> None:
        """The card in this version and in its parent, and the field diff between them."""
        try:
            with GitRepo.open(self.library.workspace.root) as repo:
                result = VersionDiff(rev)
                pair = version_pair(repo, rev.sha, rev.path, older_path)  # one git process for all three
                result.first_commit = not pair.parent
                result.new, result.old = pair.new, pair.old
                if pair.problem is not None:
                    result.problem = pair.problem.message
        except GitError as exc:
            self.app.call_from_thread(self._git_failed, exc)
            return
        if result.problem is None:
            result.diffs = diff_cards(
                result.old, result.new, kind_for(self.library.workspace.schema, result.old, result.new)
            )
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._version_loaded, result)

    def _version_loaded(self, result: VersionDiff) -> None:
        self.versions[result.revision.sha] = result
        current = self.selected
        if current is not None and current.sha == result.revision.sha:
            self._show(result)
        if self._pending is not None and self._pending[0] == result.revision.sha:
            _, then = self._pending
            self._pending = None
            then(result)

    def _show(self, result: VersionDiff) -> None:
        self.query_one("#history-busy").display = False
        self._blocks(version_blocks(result))
        self.query_one("#history-diff", VerticalScroll).scroll_home(animate=False)

    def _blocks(self, blocks: list[tuple[Text, str]]) -> None:
        body = self.query_one("#history-diff-body", Vertical)
        self.pane_text = "\n".join(text.plain for text, _ in blocks)
        with self.app.batch_update():
            body.remove_children()
            body.mount_all([Static(text, markup=False, classes=cls) for text, cls in blocks])

    def _git_failed(self, error: GitError) -> None:
        self.loading_page = False
        self.query_one("#history-busy").display = False
        self.app.push_screen(ErrorDialog(t("history.failed"), explained(error.message, error.advice)))

    def _with_version(self, then: Callable[[VersionDiff], None]) -> None:
        """Run ``then`` with the selected version's diff, loading it first if needed."""
        rev = self.selected
        if rev is None:
            return
        cached = self.versions.get(rev.sha)
        if cached is not None:
            then(cached)
        else:
            self._pending = (rev.sha, then)

    # -- restoring -----------------------------------------------------------------------------
    def _current_card(self):  # type: ignore[no-untyped-def]
        card = self.library.cards.get(self.card_id)
        if card is None:
            self.notify(t("history.card_gone"), severity="warning", markup=False)
        return card

    def action_restore(self) -> None:
        """Open the editor with the whole card as it was in the selected version."""

        def restore(v: VersionDiff) -> None:
            card = self._current_card()
            if card is None:
                return
            if v.problem or v.new is None:
                self.notify(
                    v.problem or t("history.not_in_version", sha=v.revision.short), severity="warning", markup=False
                )
                return
            self._open_editor(card, copy.deepcopy(v.new))
            self.notify(t("history.restored", sha=v.revision.short), timeout=8)

        self._with_version(restore)

    def action_restore_field(self) -> None:
        """Choose one field this version changed; the editor gets that field from this version."""

        def pick(v: VersionDiff) -> None:
            card = self._current_card()
            if card is None:
                return
            if v.problem:
                self.notify(v.problem, severity="warning", markup=False)
                return
            keys = changed_fields(v.diffs)
            if not keys or v.new is None:
                self.notify(
                    t("history.no_fields") if v.new is not None else t("history.not_in_version", sha=v.revision.short),
                    severity="warning",
                )
                return
            kind = kind_for(self.library.workspace.schema, v.new)
            choices = [(k, label_for(kind, (k,)), _preview(v.new.get(k))) for k in keys]

            def chosen(key: str | None) -> None:
                if key is not None:
                    self.restore_field(v, key)

            self.app.push_screen(FieldPicker(t("history.pick_title", sha=v.revision.short), choices), chosen)

        self._with_version(pick)

    def restore_field(self, v: VersionDiff, key: str) -> None:
        """Open the editor on the current card with only ``key`` taken from version ``v``."""
        card = self._current_card()
        if card is None or v.new is None:
            return
        data = card.to_dict()
        if key in v.new:
            data[key] = copy.deepcopy(v.new[key])
        else:
            data.pop(key, None)
        kind = kind_for(self.library.workspace.schema, v.new)
        self._open_editor(card, data)
        self.notify(
            t("history.restored_field", label=label_for(kind, (key,)), sha=v.revision.short), timeout=8, markup=False
        )

    def _open_editor(self, card, data: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
        self.app.push_screen(EditorScreen(self.library, card, data=data))

    def action_back(self) -> None:
        self.app.pop_screen()
