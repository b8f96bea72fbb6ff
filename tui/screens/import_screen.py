"""Import from a spreadsheet, guided: the file, the column mapping (a Select per column), the plan and its
problems per row, then write (in a worker) and offer the commit dialog.

The work is ``tui.core.importing``; this screen only asks and shows. Reading, planning and writing run
in thread workers; card text (headers, ids, titles, problem words) is shown through ``visible()`` in
``rich.text.Text``, never as markup.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Input, Select, Static

from tui.core.cards.atomic import WriteError
from tui.core.cards.schema import Field
from tui.core.cards.store import ChangedOnDisk
from tui.core.cards.text import visible
from tui.core.importing.mapping import SKIP, ColumnMap, candidate_fields, is_derived, propose
from tui.core.importing.plan import CHANGED, NEW, UNCHANGED, ImportPlan, apply_plan, choose_kinds, plan_import
from tui.core.importing.sheet import ImportFailure, Sheet, column_letter, read_sheet
from tui.core.library import Library
from tui.core.workspace import Workspace

from ..dialogs.commit import start_commit
from ..i18n import lazy, phrase, t
from ..messages import RepoChanged
from ..widgets.safe import SafeInput, SafeSelect

NOT_IMPORTED = "-"  # the Select value for "this column is not imported"
MAX_SHOWN = 200  # problems listed on screen; the rest are counted


def _count(key: str, n: int) -> str:
    return t(f"import.{key}", count=n)


def report_text(plan: ImportPlan) -> Text:
    """The plan as text: the summary, per card new / changed fields, then the problems with row and column."""
    out = Text()
    out.append(
        t(
            "import.summary",
            new=plan.count(NEW),
            changed=plan.count(CHANGED),
            unchanged=plan.count(UNCHANGED),
            errors=_count("errors", len(plan.errors)),
            warnings=_count("warnings", len(plan.warnings)),
        ),
        style="bold",
    )
    out.append("\n")
    for cp in plan.cards:
        if cp.status == NEW:
            out.append(t("import.card_new") + " ", style="green")
            out.append(visible(f"{cp.card_id}  {cp.title}  → {cp.path.name}") + "\n")
        elif cp.status == CHANGED:
            out.append(t("import.card_changed") + " ", style="yellow")
            out.append(visible(f"{cp.card_id}: {', '.join(cp.changed)}") + "\n")
    issues = sorted(plan.issues, key=lambda i: (i.row or 0, i.column.rjust(3), not i.is_error))
    if issues:
        out.append("\n" + t("import.problems") + "\n", style="bold")
    for i in issues[:MAX_SHOWN]:
        if i.row is None:
            where = t("import.where_sheet")
        elif i.column:
            where = t("import.where_cell", row=i.row, column=i.column, header=i.header)
        else:
            where = t("import.where_row", row=i.row)
        out.append(t("import.error") if i.is_error else t("import.warning"), style="red" if i.is_error else "yellow")
        out.append(" " + visible(f"{where}: {i.message}") + "\n")
    if len(issues) > MAX_SHOWN:
        out.append(t("import.more_problems", count=len(issues) - MAX_SHOWN) + "\n", style="dim")
    return out


class ImportScreen(Screen[None]):
    """Choose a spreadsheet, check how its columns map to fields, see the plan, write it."""

    BINDINGS = [Binding("escape", "close", lazy("import.close"), id="import-close")]

    def __init__(self, library: Library, path: str = "") -> None:
        super().__init__()
        self.library = library
        self.start_path = path
        self.sheet: Sheet | None = None
        self.mapping: ColumnMap | None = None
        self.fields: dict[str, Field] = {}
        self.kind: str | None = None
        self.plan: ImportPlan | None = None
        self.busy = False

    @property
    def workspace(self) -> Workspace:
        return self.library.workspace

    def compose(self) -> ComposeResult:
        kinds = [(k.title, k.name) for k in self.workspace.schema.kinds.values()]
        with Vertical(id="import-box"):
            yield Static(Text(t("import.title"), style="bold"), markup=False)
            with Horizontal(id="import-file"):
                yield SafeInput(self.start_path, placeholder=t("import.path_placeholder"), id="import-path")
                yield SafeSelect(kinds, prompt=t("import.kind_from_sheet"), id="import-kind")
                yield Button(t("import.read"), id="import-read", variant="primary")
            yield Static("", id="import-status", markup=False)
            yield VerticalScroll(id="import-mapping")
            with VerticalScroll(id="import-report-box"):
                yield Static("", id="import-report", markup=False)
            with Horizontal(classes="buttons"):
                yield Checkbox(t("import.allow_warnings"), id="import-allow")
                yield Button(t("import.write"), id="import-write", variant="success", disabled=True)
                yield Button(t("import.close"), id="import-cancel")
        yield Footer()

    DEFAULT_CSS = """
    ImportScreen #import-box { padding: 0 1; }
    ImportScreen #import-file { height: auto; }
    ImportScreen #import-path { width: 1fr; }
    ImportScreen #import-kind { width: 36; }
    ImportScreen #import-mapping { height: 1fr; max-height: 45%; border: round $primary-darken-2; }
    ImportScreen .import-row { height: auto; }
    ImportScreen .import-header { width: 40%; padding: 0 1 0 0; }
    ImportScreen .import-field { width: 1fr; }
    ImportScreen #import-report-box { height: 1fr; border: round $primary-darken-2; }
    ImportScreen .buttons { height: auto; }
    """

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    def _status(self, text: str) -> None:
        self.query_one("#import-status", Static).update(Text(visible(text)))

    # -- reading ---------------------------------------------------------------------------------
    def _chosen_kind(self) -> str | None:
        value = self.query_one("#import-kind", Select).value
        return None if value is Select.NULL else str(value)

    @on(Input.Submitted, "#import-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.read()

    def read(self) -> None:
        """Read the file named in the path box (in a worker)."""
        path = self.query_one("#import-path", Input).value.strip()
        if not path:
            self.notify(t("import.need_path"), severity="warning")
            return
        self._status(t("import.reading", path=path))
        self.query_one("#import-write", Button).disabled = True
        self._read(path, self._chosen_kind())

    @work(thread=True, exclusive=True, group="import-read", exit_on_error=False)
    def _read(self, path: str, kind: str | None) -> None:
        from pathlib import Path

        try:
            sheet = read_sheet(Path(path).expanduser())
            kinds = choose_kinds(self.workspace.schema, kind)
            fields = candidate_fields(self.workspace.schema, kinds if kind else [])
            mapping = propose(sheet.header, fields)
            plan = self._make_plan(sheet, mapping, kind)
        except ImportFailure as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._start_show, sheet, fields, mapping, kind, plan)

    def _start_show(
        self, sheet: Sheet, fields: dict[str, Field], mapping: ColumnMap, kind: str | None, plan: Any
    ) -> None:
        self.run_worker(self._show_sheet(sheet, fields, mapping, kind, plan), group="import-show", exclusive=True)

    def _make_plan(self, sheet: Sheet, mapping: ColumnMap, kind: str | None) -> ImportPlan | ImportFailure:
        try:
            cards = list(self.library.cards.values())
            return plan_import(self.workspace, sheet, mapping, kind, cards, self.workspace.vocab)
        except ImportFailure as exc:  # e.g. no kind column and no kind chosen: the mapping can fix it
            return exc

    def _failed(self, exc: ImportFailure) -> None:
        self._status(t("import.failed", reason=phrase("import." + exc.code, **exc.params)))
        self.query_one("#import-report", Static).update("")

    async def _show_sheet(
        self, sheet: Sheet, fields: dict[str, Field], mapping: ColumnMap, kind: str | None, plan: Any
    ) -> None:
        """Show the columns with their mapping; the screen takes the sheet once every Select is mounted."""
        self.sheet = self.mapping = None  # a Select changing while the rows are built is not the user
        box = self.query_one("#import-mapping", VerticalScroll)
        await box.remove_children()
        options = [(f"{f.label} ({key})", key) for key, f in fields.items()]
        options.append((t("import.not_imported"), NOT_IMPORTED))
        rows = []
        for col, header in enumerate(sheet.header):
            if not header:
                continue
            key = mapping.field_of(header) or NOT_IMPORTED
            select = SafeSelect(
                options, value=key, allow_blank=False, id=f"map-{col}", classes="import-field", compact=True
            )
            select.disabled = is_derived(header)
            label = Static(
                Text(f"{column_letter(col):>3}  ").append(visible(header)), classes="import-header", markup=False
            )
            rows.append(Horizontal(label, select, classes="import-row"))
        await box.mount_all(rows)
        self.sheet, self.fields, self.mapping, self.kind = sheet, fields, mapping, kind
        self._status(
            t("import.read_done", name=sheet.path.name, sheet=sheet.name, rows=_count("rows", len(sheet.rows)))
        )
        self._show_plan(plan)

    # -- the mapping -----------------------------------------------------------------------------
    @on(Select.Changed, ".import-field")
    def _mapping_changed(self, event: Select.Changed) -> None:
        if self.sheet is None or self.mapping is None or event.select.id is None:
            return
        col = int(event.select.id.removeprefix("map-"))
        header = self.sheet.header[col]
        key = SKIP if event.value in (NOT_IMPORTED, Select.NULL) else str(event.value)
        if self.mapping.field_of(header) == key:
            return
        self.mapping.columns[header] = key
        self._replan()

    @on(Select.Changed, "#import-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        if self.sheet is not None:
            self.read()  # the kind chooses which fields the columns may map to

    @work(thread=True, exclusive=True, group="import-plan", exit_on_error=False)
    def _replan(self) -> None:
        if self.sheet is None or self.mapping is None:
            return
        plan = self._make_plan(self.sheet, self.mapping, self.kind)
        self.app.call_from_thread(self._show_plan, plan)

    def _show_plan(self, plan: ImportPlan | ImportFailure) -> None:
        report = self.query_one("#import-report", Static)
        if isinstance(plan, ImportFailure):
            self.plan = None
            report.update(Text(visible(phrase("import." + plan.code, **plan.params)), style="red"))
        else:
            self.plan = plan
            report.update(report_text(plan))
        self._update_write()

    @on(Checkbox.Changed, "#import-allow")
    def _allow_changed(self, event: Checkbox.Changed) -> None:
        self._update_write()

    def _update_write(self) -> None:
        allow = self.query_one("#import-allow", Checkbox).value
        plan = self.plan
        self.query_one("#import-write", Button).disabled = (
            self.busy or plan is None or not plan.to_write or plan.blocked(allow)
        )

    # -- writing ---------------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "import-read":
            self.read()
        elif event.button.id == "import-write":
            self.write()
        elif event.button.id == "import-cancel":
            self.action_close()

    def write(self) -> None:
        plan = self.plan
        allow = self.query_one("#import-allow", Checkbox).value
        if plan is None or plan.blocked(allow) or not plan.to_write or self.busy:
            return
        self.busy = True
        self._update_write()
        self._status(t("import.writing", count=len(plan.to_write)))
        self._write(plan, allow)

    @work(thread=True, exclusive=True, group="import-write", exit_on_error=False)
    def _write(self, plan: ImportPlan, allow: bool) -> None:
        try:
            written = apply_plan(self.workspace, plan, allow_warnings=allow)
        except (ImportFailure, ChangedOnDisk, WriteError, OSError) as exc:
            self.app.call_from_thread(self._write_failed, str(exc))
            return
        self.library.refresh_from_disk()
        self.app.call_from_thread(self._written, len(written))

    def _write_failed(self, reason: str) -> None:
        self.busy = False
        self._status(t("import.write_failed", reason=reason))
        self._update_write()

    def _written(self, count: int) -> None:
        self.busy = False
        self.plan = None
        self._update_write()
        self._status(_count("written", count))
        self.notify(_count("written", count), title=t("import.title"), markup=False)
        self.app.post_message(RepoChanged())
        start_commit(self.app, self.library)  # offer to record the imported cards in one commit

    def action_close(self) -> None:
        self.dismiss(None)
