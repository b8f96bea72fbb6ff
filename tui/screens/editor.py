"""The editor: a form generated from the card's schema kind, validated as you type.

Every change is journaled to the draft store a moment later; saving goes through the core
store (only changed keys change on disk, atomically) in a worker; a card changed on disk
meanwhile is never overwritten blindly.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.core.cards.atomic import WriteError
from tui.core.cards.card import Card
from tui.core.drafts import DraftStore
from tui.core.cards.forms import merge_form
from tui.core.library import Library
from tui.core.cards.store import ChangedOnDisk
from tui.core.cards.text import visible
from tui.core.cards.validate import Problem, validate_data
from ..i18n import t
from ..messages import LibraryChanged, follow_library
from ..widgets.field_editors import FieldEditor, TableEditor, TablesEditor

VOCAB_FIELDS = {"themes", "programmes", "organisations", "submitters", "regions", "domains"}
HIDDEN_FIELDS = {"kind", "conflict"}  # set by the card's kind / resolved in the conflict screen


class EditorScreen(Screen[None]):
    """Edit one card (or a new one) field by field."""

    BINDINGS = [
        Binding("ctrl+s", "save", t("keys.save"), id="editor-save", priority=True),
        Binding("escape", "leave", t("keys.leave"), id="editor-leave"),
        Binding("f1", "field_help", t("keys.field_help"), id="editor-field-help", priority=True),
        Binding("ctrl+r", "revert_field", t("keys.revert_field"), id="editor-revert-field"),
    ]

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
        self.problems: list[Problem] = []
        self._validate_timer = None
        self._draft_timer = None
        self._saving = False

    # -- building --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="editor-title", markup=False)
        yield Static("", id="editor-summary", markup=False)
        with VerticalScroll(id="form"):
            group = None
            for f in self.kind.fields if self.kind else ():
                if f.key in HIDDEN_FIELDS:
                    continue
                if f.group and f.group != group:
                    group = f.group
                    yield Static(Text(t(f"group.{group}"), style="bold reverse"), classes="group-head", markup=False)
                editor = self._editor_for(f)
                self.editors[f.key] = editor
                yield editor
        yield Footer()

    def _editor_for(self, f):  # type: ignore[no-untyped-def]
        value = self.start.get(f.key)
        if f.widget == "table":
            return TableEditor(f, value if isinstance(value, dict) else None)
        if f.widget == "tables":
            return TablesEditor(f, value if isinstance(value, list) else None)
        vocab = self.library.workspace.vocab
        region = str(self.start.get("region", "")) or None
        if f.key == "theme":
            return FieldEditor(f, value, choices=vocab.values("themes", region))
        if f.key in ("id", "region") and not self.new:
            return FieldEditor(f, value, read_only=True)
        suggestions = vocab.values(f.vocab, region) if f.vocab in VOCAB_FIELDS else []
        return FieldEditor(f, value, suggestions=suggestions)

    def on_mount(self) -> None:
        from tui.core.locks import EditLocks

        self._locks = EditLocks(self.library.workspace.root)
        try:
            self._locks.acquire(self.card.id)
        except OSError:
            pass  # read-only repository: saving will explain
        self._unfollow = follow_library(self, self.library)
        self._update_title()
        self.run_validation()
        # start in the first field with content to edit, not in the card's id
        start = next((k for k in ("title",) if k in self.editors), None)
        target = self.editors.get(start) if start else None
        controls = target.query(".control") if target is not None else self.query(".control")
        if controls:
            controls.first().focus()

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

    # -- data ------------------------------------------------------------------------------
    def collect(self) -> dict[str, Any]:
        """The card as the form says it is now."""
        values = {key: ed.value for key, ed in self.editors.items()}
        base = self.start if self.new else self.saved
        data = merge_form(base, values)
        data["kind"] = self.kind.name if self.kind else data.get("kind")
        order = list(self.kind.keys) if self.kind else list(data)
        return {k: data[k] for k in sorted(data, key=lambda k: order.index(k) if k in order else len(order))}

    @property
    def dirty(self) -> bool:
        """Whether the form differs from the saved card (a new card: from its template)."""
        return self.collect() != (self.start if self.new else self.saved)

    # -- validation and drafts --------------------------------------------------------------
    @on(FieldEditor.Changed)
    @on(TablesEditor.Changed)
    def _changed(self, event: Any) -> None:
        if self._validate_timer is not None:
            self._validate_timer.stop()
        self._validate_timer = self.set_timer(0.25, self.run_validation)
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(0.8, self.write_draft)

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
                self.kind.field(k).label
                for k in data
                if self.kind and self.kind.field(k) and data.get(k) != self.saved.get(k)
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
        self.query_one("#editor-summary", Static).update(summary)

    def write_draft(self) -> None:
        if not self.dirty:
            self.drafts.discard(self.card.id)
            return
        self._write_draft_worker(self.collect())

    @work(thread=True, exclusive=True, group="draft", exit_on_error=False)
    def _write_draft_worker(self, data: dict[str, Any]) -> None:
        try:
            self.drafts.write(self.card.id, self.card.path, "" if self.new else self.card.blob, data)
        except WriteError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title=t("editor.draft_failed"), severity="error", markup=False
            )

    def flush_draft(self) -> None:
        """Write the draft now, on this thread (before a crash dialog or on exit)."""
        try:
            if self.dirty:
                self.drafts.write(self.card.id, self.card.path, "" if self.new else self.card.blob, self.collect())
        except Exception:
            pass

    # -- saving ------------------------------------------------------------------------------
    def action_save(self) -> None:
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
            if self.new:
                card = store.create(data, self.card.path)
            else:
                card = store.save(self.card, data, force=force)
        except ChangedOnDisk as exc:
            self.app.call_from_thread(self._changed_on_disk, data, exc)
            return
        except WriteError as exc:
            self.app.call_from_thread(self._save_failed, str(exc))
            return
        self.app.call_from_thread(self._saved, card)

    def _saved(self, card: Card) -> None:
        old_id = self.card.id
        self.drafts.discard(old_id)
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
        if getattr(self, "_leave_after_save", False):
            self.app.pop_screen()

    def _save_failed(self, message: str) -> None:
        self._leave_after_save = False
        from ..dialogs.error import ErrorDialog

        self.app.push_screen(ErrorDialog(t("editor.save_failed"), message))

    def _changed_on_disk(self, data: dict[str, Any], exc: ChangedOnDisk) -> None:
        from tui.core.git.fielddiff import diff_cards, format_diff
        from ..dialogs.choice import ChoiceDialog

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
        from tui.core.sync.merge import merge_cards

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
            self.drafts.discard(self.card.id)
            self.app.pop_screen()
            return
        from ..dialogs.choice import ChoiceDialog

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
        self.app.push_screen(ChoiceDialog(t("unsaved.title"), t("unsaved.detail"), choices, "keep"), answered)

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
        from ..dialogs.error import ErrorDialog

        f = ed.field
        extra = []
        if f.required:
            extra.append(t("editor.help_required"))
        if f.max_length:
            extra.append(t("editor.help_max", n=f.max_length))
        if f.widget == "list":
            extra.append(t("editor.help_list"))
        self.app.push_screen(ErrorDialog(f.label, "\n\n".join([f.help, *extra])))

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
