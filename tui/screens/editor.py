"""The editor: a form generated from the card's schema kind, validated as you type.

The form never invents a value: a field the user did not touch is exactly what the file holds
(``tui.core.cards.forms``). Every change is journaled to the draft store a moment later and, while
the user keeps typing, at least every couple of seconds (``DraftSchedule``), written off the UI
thread; saving goes through the core store (only changed keys change on disk, atomically) in a
worker; a card changed on disk meanwhile is never overwritten blindly; a card whose file cannot be
written can be saved as a copy elsewhere. While the form is being built the editor shows that it
is loading and takes no keystrokes.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Key, Resize
from textual.keys import key_to_character
from textual.widgets import Footer, Static

from tui.core.cards.atomic import WriteError
from tui.core.cards.card import Card
from tui.core.cards.forms import HIDDEN_FIELDS, untouched_values
from tui.core.cards.forms import collect as collect_form
from tui.core.cards.store import ChangedOnDisk
from tui.core.cards.text import visible
from tui.core.cards.validate import Problem, validate_data
from tui.core.drafts import DraftSchedule, DraftStore
from tui.core.git.fielddiff import diff_cards, format_diff
from tui.core.library import Library
from tui.core.cards.status import statuses_of
from tui.core.locks import EditLocks
from tui.core.sync.merge import merge_cards

from ..dialogs.choice import ChoiceDialog
from ..dialogs.error import ErrorDialog
from ..dialogs.field_help import FieldHelpDialog
from ..i18n import lazy, t
from ..messages import LibraryChanged, follow_library
from ..seam import PaletteAction
from ..widgets.field_editors import FieldEditor, TableEditor, TablesEditor
from .editor_moves import FormMoves
from .editor_palette import EditorCommands

VOCAB_FIELDS = {"themes", "programmes", "organisations", "submitters", "regions", "domains"}
ENVELOPE = frozenset({"id", "region"})  # fixed for a saved card: shown in the header, not as fields
WIDE = 110  # from this many columns on, labels stand left of the values


class EditorScreen(FormMoves):
    """Edit one card (or a new one) field by field."""

    BINDINGS = [
        Binding("ctrl+s", "save", lazy("keys.save"), id="editor-save", priority=True),
        Binding("escape", "leave", lazy("keys.leave"), id="editor-leave"),
        Binding("ctrl+g", "goto_field", lazy("editor.key_goto"), id="editor-goto-field", priority=True),
        Binding(
            "ctrl+down,ctrl+pagedown",
            "section(1)",
            lazy("editor.key_next_section"),
            key_display="^↓/^↑",
            id="editor-next-section",
        ),
        Binding(
            "ctrl+up,ctrl+pageup",
            "section(-1)",
            lazy("editor.key_previous_section"),
            show=False,
            id="editor-previous-section",
        ),
        Binding("f1", "field_help", lazy("keys.field_help"), id="editor-field-help", priority=True),
        Binding("ctrl+r", "revert_field", lazy("keys.revert_field"), id="editor-revert-field"),
        # a letter never leaves the editor: the app's "q" (quit) does nothing here
        Binding("q", "nothing", "", show=False, id="editor-q"),
    ]
    AUTO_FOCUS = None  # the first field is focused once the form is built
    COMMANDS: ClassVar[set[Any]] = {EditorCommands}  # the palette offers the editor's actions

    # delays in seconds; tests set them to 0 or drive them
    VALIDATE_DELAY: ClassVar[float] = 0.25
    DRAFT_DEBOUNCE: ClassVar[float] = 0.8
    DRAFT_MAX_WAIT: ClassVar[float] = 2.0

    def __init__(self, library: Library, card: Card, *, data: dict[str, Any] | None = None, new: bool = False) -> None:
        super().__init__()
        self.library = library
        self.card = card
        self.new = new
        self.saved: dict[str, Any] = card.to_dict()
        self.start: dict[str, Any] = data if data is not None else card.to_dict()
        ws = library.workspace
        self.kind = ws.schema.kind(str(self.start.get("kind", card.kind)))
        self.drafts = DraftStore(ws.root)
        self.editors: dict[str, Any] = {}
        self.sections: list[tuple[Static, list[str]]] = []  # group head and its field keys, in order
        self.problems: list[Problem] = []
        self.built = False  # the form's widgets exist and take keystrokes
        self._validate_timer: Any = None
        self._draft_timer: Any = None
        self._draft_schedule = DraftSchedule(self.DRAFT_DEBOUNCE, self.DRAFT_MAX_WAIT)
        self._draft_lock = threading.Lock()
        self._draft_seq = 0  # drafts requested
        self._draft_done = 0  # the newest draft written (an older write finishing late is skipped)
        self.draft_error: str | None = None  # why the last draft write failed, if it did
        self._painted = asyncio.Event()
        self._leave_after_save = False
        self._owns_draft = data is not None  # a draft of this card is this editor's to discard

    # -- building --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="editor-head"):
            yield Static("", id="editor-title", markup=False)
            yield Static("", id="editor-envelope", markup=False)
        yield Static("", id="editor-summary", markup=False)
        yield Static(Text(t("editing.loading"), style="italic"), id="editor-loading", markup=False)
        form = VerticalScroll(id="form")
        form.display = False
        yield form
        yield Footer()

    def _form_widgets(self) -> list[Any]:
        """Group heads and one editor per field, in schema order (fills ``self.editors``)."""
        widgets: list[Any] = []
        group = None
        for f in self.kind.fields if self.kind else ():
            if f.key in self._not_in_form:
                continue
            if (f.group and f.group != group) or not self.sections:
                group = f.group
                head = Static(Text(t(f"group.{group}"), style="bold reverse"), classes="group-head", markup=False)
                head.display = bool(group)
                self.sections.append((head, []))
                widgets.append(head)
            editor = self._editor_for(f)
            self.editors[f.key] = editor
            self.sections[-1][1].append(f.key)
            widgets.append(editor)
        return widgets

    @property
    def _not_in_form(self) -> frozenset[str]:
        """Keys without a field in the form: hidden ones, and for a saved card its fixed envelope."""
        return HIDDEN_FIELDS if self.new else HIDDEN_FIELDS | ENVELOPE

    @work(exclusive=True, group="editor-build", exit_on_error=False)
    async def _build(self) -> None:
        """Mount the form after the loading state is on screen; focus the first field when done."""
        await self._ready_to_build()
        form = self.query_one("#form", VerticalScroll)
        await form.mount_all(self._form_widgets())
        # keys typed while building were dropped (on_key); only now does the form take them
        self._built()

    async def _ready_to_build(self) -> None:
        """Wait until the loading state has been drawn once (tests may hold the build here)."""
        await self._painted.wait()

    def _built(self) -> None:
        self.built = True
        self.query_one("#editor-loading", Static).display = False
        self.query_one("#form", VerticalScroll).display = True
        self.run_validation()
        # start in the first field with content to edit, not in the card's id
        target = self.editors.get("title")
        controls = target.query(".control") if target is not None else self.query(".control")
        if controls:
            first = controls.first()
            first.focus()
            # the form was hidden until now: scroll to the focused field once it has a layout
            self.call_after_refresh(first.scroll_visible, animate=False)

    def on_key(self, event: Key) -> None:
        """While the form is being built, keystrokes go nowhere (not into a half-built field)."""
        if not self.built and event.key not in ("escape", "ctrl+s", "ctrl+c", "ctrl+q"):
            event.stop()
            event.prevent_default()

    def action_nothing(self) -> None:
        """A letter key the app binds (``q``) that must not act inside the editor."""

    def _editor_for(self, f):  # type: ignore[no-untyped-def]
        value = self.start.get(f.key)
        if f.widget == "table":
            return TableEditor(f, value if isinstance(value, dict) else None)
        if f.widget == "tables":
            return TablesEditor(f, value)
        vocab = self.library.workspace.vocab
        region = str(self.start.get("region", "")) or None
        if f.key == "theme":
            return FieldEditor(f, value, choices=vocab.values("themes", region))
        if f.key == "status":  # the lifecycle of the card's region, by name in the UI language
            statuses = statuses_of(vocab, region)
            labels = {st.code: st.label for st in statuses}
            return FieldEditor(f, value, choices=[st.code for st in statuses], labels=labels)
        suggestions = vocab.values(f.vocab, region) if f.vocab in VOCAB_FIELDS else []
        return FieldEditor(f, value, suggestions=suggestions)

    def on_mount(self) -> None:
        self._locks = EditLocks(self.library.workspace.root)
        with contextlib.suppress(OSError):  # read-only repository: saving will explain
            self._locks.acquire(self.card.id)
        self._shadow_app_letters()
        self._unfollow = follow_library(self, self.library)
        self._update_title()
        self.set_class(self.app.size.width >= WIDE, "-wide")
        self.call_after_refresh(self._painted.set)
        self._build()

    def _shadow_app_letters(self) -> None:
        """App-wide single-character keys (quit, or one the user's keymap set) do nothing in the
        editor, whatever has focus; they are not shown in the footer either."""
        for key, bindings in self.app._bindings.key_to_bindings.items():
            char = key_to_character(key)
            leaves = any(b.action not in ("help", "app.help") for b in bindings)
            if char and char.isprintable() and leaves and key not in self._bindings.key_to_bindings:
                self._bindings.bind(key, "nothing", show=False)

    def on_unmount(self) -> None:
        unfollow = getattr(self, "_unfollow", None)
        if unfollow is not None:
            unfollow()
        locks = getattr(self, "_locks", None)
        if locks is not None:
            locks.release(self.card.id)

    def _update_title(self) -> None:
        title = self.start.get("title") or self.card.title
        key = "editor.title_new" if self.new else "editor.title"
        self.query_one("#editor-title", Static).update(Text(t(key, title=visible(str(title))), style="bold"))
        kind = self.kind.title if self.kind else str(self.start.get("kind", ""))
        envelope = t(
            "editor.envelope",
            id=visible(str(self.start.get("id", self.card.id))),
            region=visible(str(self.start.get("region", ""))),
            kind=visible(kind),
        )
        self.query_one("#editor-envelope", Static).update(Text(envelope))

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")

    # -- data ------------------------------------------------------------------------------
    def collect(self) -> dict[str, Any]:
        """The card as the form says it is now (before the form is built: as it will start)."""
        base = self.start if self.new else self.saved
        if self.built:
            values = {key: ed.value for key, ed in self.editors.items()}
        else:
            values = untouched_values(self.kind, self.start, self._not_in_form) if self.kind else {}
        return collect_form(self.kind, base, values)

    @property
    def dirty(self) -> bool:
        """Whether the form differs from the saved card (a new card: from its template)."""
        return self.collect() != (self.start if self.new else self.saved)

    # -- validation and drafts --------------------------------------------------------------
    @on(FieldEditor.Changed)
    @on(TablesEditor.Changed)
    def _changed(self, event: Any) -> None:
        if not self.built:
            return  # the controls announcing their first values while being built
        if self._validate_timer is not None:
            self._validate_timer.stop()
        self._validate_timer = self._later(self.VALIDATE_DELAY, self.run_validation)
        if self._draft_timer is not None:
            self._draft_timer.stop()
        delay = self._draft_schedule.changed(time.monotonic())
        self._draft_timer = self._later(delay, self.write_draft)

    def _later(self, delay: float, callback: Any) -> Any:
        """Run ``callback`` after ``delay`` seconds (at once, after this message, when 0)."""
        if delay > 0:
            return self.set_timer(delay, callback)
        self.call_later(callback)
        return None

    def run_validation(self) -> None:
        data = self.collect()
        ws = self.library.workspace
        self.problems = validate_data(data, ws.schema, ws.vocab)
        by_field: dict[str, list[Problem]] = {}
        for p in self.problems:
            by_field.setdefault(p.field, []).append(p)
        for key, ed in self.editors.items():
            if isinstance(ed, FieldEditor):
                ed.show_problems(by_field.get(key, []))
                ed.mark(changed=not self.new and data.get(key) != self.saved.get(key))
            else:
                ed.set_class(not self.new and data.get(key) != self.saved.get(key), "-changed")
        errors = [p for p in self.problems if p.is_error]
        warnings = [p for p in self.problems if not p.is_error]
        summary = Text()
        changed = (
            [
                f.label
                for k in data
                if self.kind and (f := self.kind.field(k)) is not None and data.get(k) != self.saved.get(k)
            ]
            if not self.new
            else []
        )
        removed = [k for k in self.saved if k not in data]
        if errors:
            summary.append(t("editor.errors", count=len(errors)) + " ", style="bold red")
            summary.append(" · ".join(visible(str(p)) for p in errors[:3]) + "\n", style="red")
        summary.append(t("editor.warnings", count=len(warnings)), style="yellow" if warnings else "dim")
        if changed or removed:
            summary.append("  ·  " + t("editor.changed_fields", fields=", ".join(changed + removed)), style="italic")
        elif not self.new:
            summary.append("  ·  " + t("editor.unchanged"), style="dim")
        if self.draft_error is not None:
            summary.append("\n" + t("editing.draft_not_kept", reason=visible(self.draft_error)), style="bold red")
        self.query_one("#editor-summary", Static).update(summary)

    def write_draft(self) -> None:
        """Journal the form now (the file is written in a worker, off the UI thread)."""
        self._draft_schedule.written()
        if not self.dirty:
            if self._owns_draft:
                self.drafts.discard(self.card.id)
            return
        self._owns_draft = True
        self._draft_seq += 1
        self._write_draft_worker(self.collect(), self._draft_seq)

    @work(thread=True, group="draft", exit_on_error=False)
    def _write_draft_worker(self, data: dict[str, Any], seq: int) -> None:
        error = self._write_draft_now(data, seq)
        self.app.call_from_thread(self._draft_written, error)

    def _write_draft_now(self, data: dict[str, Any], seq: int) -> str | None:
        """Write one draft unless a newer one is already on disk; the error text if it failed."""
        with self._draft_lock:
            if seq < self._draft_done:
                return None
            try:
                self.drafts.write(self.card.id, self.card.path, "" if self.new else self.card.blob, data)
            except (WriteError, OSError, TypeError, ValueError) as exc:
                return str(exc)
            self._draft_done = seq
            return None

    def _draft_written(self, error: str | None) -> None:
        failed_before = self.draft_error is not None
        self.draft_error = error
        if error is not None and not failed_before:
            self.notify(error, title=t("editor.draft_failed"), severity="error", markup=False)
        if (error is not None) != failed_before and self.built:
            self.run_validation()

    def flush_draft(self) -> None:
        """Write the draft now, on this thread (before saving, a crash dialog or on exit)."""
        try:
            if self.dirty:
                self._owns_draft = True
                self._draft_seq += 1
                self.draft_error = self._write_draft_now(self.collect(), self._draft_seq)
        except Exception as exc:  # never let journaling stop a save or an exit
            self.draft_error = str(exc)

    # -- saving ------------------------------------------------------------------------------
    def action_save(self) -> None:
        if not self.built:
            self.notify(t("editing.loading"), timeout=2)
            return
        self.run_validation()
        errors = [p for p in self.problems if p.is_error]
        if errors:
            self.notify(t("editor.cannot_save", count=len(errors)), severity="error", markup=False)
            ed = self.editors.get(errors[0].field)
            if ed is not None:
                ed.scroll_visible()
                control = ed.query(".control").first() if ed.query(".control") else None
                if control is not None:
                    control.focus()
            return
        if not self.dirty and not self.new:
            self.notify(t("editor.nothing_to_save"), timeout=2)
            return
        self.flush_draft()
        self._save_worker(self.collect(), force=False)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _save_worker(self, data: dict[str, Any], force: bool) -> None:
        store = self.library.workspace.store
        try:
            card = store.create(data, self.card.path) if self.new else store.save(self.card, data, force=force)
        except ChangedOnDisk as exc:
            self.app.call_from_thread(self._changed_on_disk, data, exc)
            return
        except WriteError as exc:
            self.app.call_from_thread(self._save_failed, exc, data)
            return
        self.app.call_from_thread(self._saved, card)

    def _saved(self, card: Card) -> None:
        old_id = self.card.id
        self.drafts.discard(old_id)
        self._owns_draft = False
        self.draft_error = None
        self.card = card
        self.saved = card.to_dict()
        self.start = card.to_dict()
        self.new = False
        self.library.update(card, old_id=old_id)
        self._update_title()
        self.run_validation()
        self.notify(
            t("editor.saved", path=str(card.path.relative_to(self.library.workspace.root))), timeout=3, markup=False
        )
        if self._leave_after_save:
            self.app.pop_screen()

    def _save_failed(self, exc: WriteError, data: dict[str, Any]) -> None:
        """Saving did not happen: say why and where; the edit stays in the form (and the draft)."""
        self._leave_after_save = False
        path = str(exc.path)
        if exc.read_only:
            self._offer_copy(path, data)
            return
        if exc.disk_full:
            key = "editing.disk_full_draft" if self.draft_error is None else "editing.disk_full_no_draft"
            message = t(key, path=path)
        else:
            message = str(exc) + "\n\n" + self._draft_state()
        self.app.push_screen(ErrorDialog(t("editor.save_failed"), message))

    def _draft_state(self) -> str:
        """One sentence on whether the edit is also in the draft file."""
        if self.draft_error is not None:
            return t("editing.draft_state_failed", reason=self.draft_error)
        return t("editing.draft_state_kept")

    def _offer_copy(self, path: str, data: dict[str, Any]) -> None:
        """The card's own file is read-only: keep the edit and offer to save a copy elsewhere."""
        from ..dialogs.choice import ChoiceDialog

        detail = t("editing.read_only_detail", path=path) + "\n\n" + self._draft_state()
        choices = [("copy", t("editing.save_copy"), "primary"), ("keep", t("disk.keep_editing"), "default")]

        def answered(choice: str | None) -> None:
            if choice == "copy":
                self._ask_copy_path(data)

        self.app.push_screen(ChoiceDialog(t("editing.read_only_title"), detail, choices, "keep"), answered)

    def _ask_copy_path(self, data: dict[str, Any]) -> None:
        from pathlib import Path

        from tui.core.cards.save_copy import suggested_copy_path

        from ..dialogs.save_copy import SaveCopyDialog

        def answered(target: str | None) -> None:
            if target:
                self._save_copy_worker(data, Path(target))

        self.app.push_screen(SaveCopyDialog(str(suggested_copy_path(self.card.path))), answered)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _save_copy_worker(self, data: dict[str, Any], target: Any) -> None:
        from tui.core.cards.save_copy import save_copy

        try:
            written = save_copy(self.library.workspace.store, self.card, data, target)
        except WriteError as exc:
            self.app.call_from_thread(self._copy_failed, str(exc), data)
            return
        self.app.call_from_thread(self.notify, t("editing.copy_saved", path=str(written)), timeout=10, markup=False)

    def _copy_failed(self, message: str, data: dict[str, Any]) -> None:
        from ..dialogs.choice import ChoiceDialog

        choices = [("copy", t("editing.copy_again"), "primary"), ("keep", t("disk.keep_editing"), "default")]

        def answered(choice: str | None) -> None:
            if choice == "copy":
                self._ask_copy_path(data)

        self.app.push_screen(ChoiceDialog(t("editing.copy_failed"), message, choices, "keep"), answered)

    def _changed_on_disk(self, data: dict[str, Any], exc: ChangedOnDisk) -> None:
        current = exc.current if isinstance(exc.current, Card) else None
        if exc.current is None:
            detail = t("disk.deleted", path=str(self.card.path))
            choices = [("recreate", t("disk.recreate"), "primary"), ("keep", t("disk.keep_editing"), "default")]
        else:
            diff = (
                format_diff(diff_cards(self.saved, dict(current.data) if current else None, self.kind))
                if current
                else str(exc.current)
            )
            detail = t("disk.changed", path=str(self.card.path)) + "\n\n" + diff
            choices = [
                ("mine", t("disk.keep_mine"), "warning"),
                ("theirs", t("disk.take_theirs"), "default"),
                ("merge", t("disk.merge"), "primary"),
                ("keep", t("disk.keep_editing"), "default"),
            ]

        def answered(choice: str | None) -> None:
            if choice == "recreate" or choice == "mine":
                if current is not None:
                    self._backup_theirs(current)
                self._save_worker(data, force=True)
            elif choice == "theirs" and current is not None:
                self._load_theirs(current)
            elif choice == "merge" and current is not None:
                self._merge_with(current, data)

        self.app.push_screen(ChoiceDialog(t("disk.title"), detail, choices, "keep", wide=True), answered)

    def on_library_changed(self, message: LibraryChanged) -> None:
        """The card changed or vanished on disk while open: say so now, not at save time."""
        if self.new or not message.change.from_disk or not message.change.touches(self.card.id):
            return
        current = self.library.by_path(self.card.path)
        if current is not None and current.blob == self.card.blob:
            return
        data = self.collect()
        if current is not None and (not self.dirty or dict(current.data) == data):
            self._load_theirs(current)  # nothing typed yet (or the disk holds what is typed)
            self.notify(t("files.reloaded"), severity="warning", timeout=8)
            return
        self._changed_on_disk(data, ChangedOnDisk(self.card.path, current))

    def _backup_theirs(self, current: Card) -> None:
        """Keep the other version next to the drafts before overwriting it (nothing is lost)."""
        try:
            self.drafts.folder.mkdir(parents=True, exist_ok=True)
            target = self.drafts.folder / f"{current.path.stem}.theirs.toml"
            target.write_bytes(current.path.read_bytes())
            self.notify(t("disk.backup", path=str(target)), timeout=8, markup=False)
        except OSError:
            pass

    def _load_theirs(self, current: Card) -> None:
        self.card = current
        self.saved = current.to_dict()
        for key, ed in self.editors.items():
            ed.set_value(self.saved.get(key))
        self.drafts.discard(current.id)
        self.library.update(current)
        self.run_validation()

    def _merge_with(self, current: Card, mine: dict[str, Any]) -> None:
        """Combine per field with the core merge (as git's merge driver does): their changes
        where I did not touch a field, mine where I did; a field both changed keeps mine."""
        theirs = current.to_dict()
        result = merge_cards(self.saved, mine, theirs, self.kind)
        self.card = current
        self.saved = theirs
        for key, ed in self.editors.items():
            ed.set_value(result.data.get(key))
        self.run_validation()
        if result.conflicts:
            labels = ", ".join(dict.fromkeys(c.label for c in result.conflicts))
            self.notify(t("disk.merged_conflicts", fields=labels), severity="warning", timeout=10, markup=False)
        else:
            self.notify(t("disk.merged"), timeout=5)

    # -- leaving and field actions -----------------------------------------------------------
    def action_leave(self) -> None:
        if not self.dirty:
            if self._owns_draft:
                self.drafts.discard(self.card.id)
            self.app.pop_screen()
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                self._leave_after_save = True
                self.action_save()
            elif choice == "discard":
                self.drafts.discard(self.card.id)
                self.app.pop_screen()

        choices = [
            ("save", t("unsaved.save"), "primary"),
            ("discard", t("unsaved.discard"), "error"),
            ("keep", t("unsaved.keep"), "default"),
        ]
        detail = t("unsaved.detail")
        if self.draft_error is not None:
            detail += "\n\n" + t("editing.leave_no_draft", reason=self.draft_error)
        self.app.push_screen(ChoiceDialog(t("unsaved.title"), detail, choices, "keep"), answered)

    def _focused_editor(self) -> FieldEditor | None:
        node = self.focused
        while node is not None and not isinstance(node, FieldEditor):
            node = node.parent  # type: ignore[assignment]
        return node

    def action_field_help(self) -> None:
        ed = self._focused_editor()
        if ed is None:
            self.notify(t("editor.help_none"), timeout=3)
            return
        f = ed.field
        extra = []
        if f.required:
            extra.append(t("editor.help_required"))
        if f.max_length:
            extra.append(t("editor.help_max", n=f.max_length))
        if f.widget == "list":
            extra.append(t("editor.help_list"))
        if f.widget in ("line", "text", "list", "number"):
            extra.append(t("editor.help_undo"))
        self.app.push_screen(FieldHelpDialog(f.label, f.help, extra))

    def action_revert_field(self) -> None:
        """Put the focused field (its whole top-level field) back to the saved value."""
        tops = {id(ed): key for key, ed in self.editors.items()}
        node = self.focused
        while node is not None and id(node) not in tops:
            node = node.parent  # type: ignore[assignment]
        if node is None:
            return
        key = tops[id(node)]
        self.editors[key].set_value(self.saved.get(key))
        self.notify(t("editor.reverted", label=self.editors[key].field.label), timeout=2, markup=False)

    # -- the palette -------------------------------------------------------------------------------
    def palette_actions(self) -> list[PaletteAction]:
        """The editor's actions for the command palette (``tui.screens.editor_palette``)."""
        entries: list[tuple[str, Callable[[], object]]] = [
            ("save", self.action_save),
            ("commit", partial(self.app.run_action, "commit")),
            ("goto", self.action_goto_field),
            ("next_section", lambda: self.action_section(1)),
            ("previous_section", lambda: self.action_section(-1)),
            ("field_help", self.action_field_help),
            ("revert", self.action_revert_field),
            ("leave", self.action_leave),
            ("keys", partial(self.app.run_action, "help")),
        ]
        return [(t(f"editor.palette_{key}"), t(f"editor.palette_{key}_help"), run) for key, run in entries]

    def palette_fields(self) -> list[PaletteAction]:
        """One "go to field" entry per field, found by typing its label in the palette."""
        help_text = t("editor.palette_goto_help")
        return [
            (t("editor.palette_goto_field", label=label), help_text, partial(self.focus_field, key))
            for key, label in self.field_labels()
        ]
