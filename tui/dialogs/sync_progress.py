"""Synchronising from the app: first the checks (a remote? field merging on? a merge to finish?),
then a small progress panel while ``tui.core.sync.sync`` runs in a worker, then the result in plain words.

``start_sync`` is what ``app.action_sync`` calls. The checks run in a worker and end in a question
or an explanation, never in a failure; the sync itself is one git worker at a time (the panel is
modal and stays until git is done, every network step has its own timeout). Afterwards the cards
that changed on disk are read again, the browser is told (``CardSaved``/``RepoChanged``), and
cards with conflicts open in the conflict screen, one after another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import LoadingIndicator, Static

from tui.core.cards.card import Card, LoadError
from tui.core.cards.parse import load_file
from tui.core.cards.text import visible
from tui.core.git.gitrepo import GitError, GitRepo, NoIdentity
from tui.core.library import Library
from tui.core.sync.sync import SyncResult, sync, sync_status

from ..i18n import explained, lazy, t
from ..messages import RepoChanged

SYNC_TIMEOUT = 20.0  # seconds per network call (fetch, push); sync never hangs longer
SHOWN_LINES = 8


@dataclass
class Preflight:
    """What the checks before a sync found (read in a worker, answered on the UI thread)."""

    problem: GitError | None = None
    no_remote: bool = False
    driver_missing: bool = False
    merging: bool = False  # a merge is in progress (MERGE_HEAD)
    unmerged: tuple[str, ...] = ()  # files git still lists as unmerged


@dataclass
class SyncOutcome:
    """The sync result plus the cards read again from disk afterwards."""

    result: SyncResult
    reloaded: list[tuple[Path, Card | LoadError | None]] = field(default_factory=list)


def question(title: str, detail: str, choices: list[tuple[str, str, str]], cancel_id: str):  # type: ignore[no-untyped-def]
    """A ChoiceDialog sized to its text (class ``-fit``: wide enough for three buttons, no empty space)."""
    from .choice import ChoiceDialog

    dialog = ChoiceDialog(title, detail, choices, cancel_id)
    dialog.add_class("-fit")
    return dialog


def unresolved(repo: GitRepo) -> list[str]:
    """Files git still lists as unmerged."""
    return [p for p in repo.run("diff", "--name-only", "--diff-filter=U", "-z").split("\0") if p]


def driver_program() -> tuple[str, bool]:
    """How git should start Kaartenbak's merge driver (the core's one choice), and textconv."""
    from tui.core.git.init_repo import driver_program as choose

    return choose().command, True


def preflight(root: Path) -> Preflight:
    try:
        with GitRepo.open(root) as repo:
            if sync_status(repo).state == "no_remote":
                return Preflight(no_remote=True)
            state = repo.state()
            driver = repo.try_run("config", "--get", "merge.kaartenbak.driver")
            return Preflight(driver_missing=not driver, merging=state.in_progress == "merge", unmerged=state.conflicted)
    except GitError as exc:
        return Preflight(problem=exc)


def changed_since(root: Path, before: str | None) -> list[tuple[Path, Card | LoadError | None]]:
    """Card files that differ on disk from commit ``before`` (what a sync brought in), read again."""
    try:
        with GitRepo.open(root) as repo:
            if before:
                out = repo.try_run("diff", "--name-only", "--no-renames", "-z", before, "--", "cards")
            else:
                out = repo.try_run("ls-files", "-z", "--", "cards")
    except GitError:
        return []
    found = []
    for rel in dict.fromkeys(p for p in (out or "").split("\0") if p.endswith(".toml")):
        path = root / rel
        found.append((path, load_file(path) if path.exists() else None))
    return found


def apply_reloaded(app: App, library: Library, reloaded: list[tuple[Path, Card | LoadError | None]]) -> None:
    """Put cards read again after a sync into the library and tell the browser (UI thread)."""
    for path, loaded in reloaded:
        old = library.by_path(path)
        if isinstance(loaded, Card):
            library.update(loaded, old_id=old.id if old else None)
        elif old is not None and loaded is None:
            library.remove(old.id)
    app.post_message(RepoChanged())  # the library told its subscribers about the cards


class SyncProgress(ModalScreen[SyncOutcome | None]):
    """A spinner and what git is doing while the sync runs; answers the outcome."""

    BINDINGS = [Binding("escape", "hide", lazy("keys.close"), id="sync-close")]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.lines: list[str] = []
        self.busy = True

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="sync-box"):
            yield Static(Text(t("sync.title"), style="bold"), markup=False)
            yield LoadingIndicator(id="sync-busy")
            yield Static(Text(t("sync.starting"), style="dim"), id="sync-lines", markup=False)

    def on_mount(self) -> None:
        self.run_sync()

    def add_line(self, line: str) -> None:
        self.lines.append(visible(line))
        self.query_one("#sync-lines", Static).update(Text("\n".join(self.lines[-SHOWN_LINES:])))

    @work(thread=True, exclusive=True, group="git", exit_on_error=False)
    def run_sync(self) -> None:
        root = self.library.workspace.root
        try:
            with GitRepo.open(root) as repo:
                before = repo.head()
        except GitError:
            before = None
        result = sync(root, progress=lambda line: self.app.call_from_thread(self.add_line, line), timeout=SYNC_TIMEOUT)
        reloaded = (
            changed_since(root, before) if (result.received or result.conflicts or result.other_conflicts) else []
        )
        self.app.call_from_thread(self._finished, SyncOutcome(result, reloaded))

    def _finished(self, outcome: SyncOutcome) -> None:
        self.busy = False
        self.dismiss(outcome)

    def action_hide(self) -> None:
        """Git must not be left half-way: the panel stays until the (time-limited) step is done."""
        if self.busy:
            self.notify(t("sync.still_running", seconds=int(SYNC_TIMEOUT)), timeout=4, markup=False)
        else:
            self.dismiss(None)


# --- the flow -----------------------------------------------------------------------------------


def start_sync(app: App, library: Library) -> None:
    """Check, ask where needed, sync with a progress panel, then show the result."""
    if any(isinstance(s, SyncProgress) for s in app.screen_stack):
        app.notify(t("sync.already"), timeout=4, markup=False)
        return
    root = library.workspace.root

    def check() -> None:
        found = preflight(root)
        app.call_from_thread(checked, found)

    def checked(found: Preflight) -> None:
        from .error import ErrorDialog

        if found.problem is not None:
            text = explained(found.problem.message, found.problem.advice)
            app.push_screen(ErrorDialog(t("sync.failed"), text))
        elif found.no_remote:
            ok = [("ok", t("dialog.ok"), "primary")]
            app.push_screen(question(t("sync.no_remote_title"), t("sync.no_remote", root=str(root)), ok, "ok"))
        elif found.merging:
            finish_merge_first(app, library, found.unmerged)
        elif found.driver_missing:
            choices = [
                ("init", t("sync.init_now"), "primary"),
                ("anyway", t("sync.init_skip"), "default"),
                ("cancel", t("dialog.cancel"), "default"),
            ]

            def answered(choice: str | None) -> None:
                if choice == "init":
                    app.run_worker(
                        register, name="sync-init", thread=True, exclusive=True, group="git", exit_on_error=False
                    )
                elif choice == "anyway":
                    run()

            app.push_screen(question(t("sync.no_driver_title"), t("sync.no_driver"), choices, "cancel"), answered)
        else:
            run()

    def register() -> None:
        from tui.core.git.init_repo import InitError, init_repo

        program, textconv = driver_program()
        try:
            report = init_repo(root, program=program, textconv=textconv)
        except InitError as exc:
            app.call_from_thread(init_failed, str(exc))
            return
        app.call_from_thread(registered, report.done)

    def init_failed(message: str) -> None:
        from .error import ErrorDialog

        app.push_screen(ErrorDialog(t("sync.init_failed"), message))

    def registered(done: list[str]) -> None:
        app.notify(t("sync.init_done") if done else t("sync.init_nothing"), timeout=4, markup=False)
        run()

    def run() -> None:
        app.push_screen(SyncProgress(library), finished)

    def finished(outcome: SyncOutcome | None) -> None:
        if outcome is not None:
            show_outcome(app, library, outcome)

    app.run_worker(check, name="sync-check", thread=True, exclusive=True, group="git", exit_on_error=False)


def show_outcome(app: App, library: Library, outcome: SyncOutcome) -> None:
    """The result in plain words; conflicts open the conflict screen, card after card."""
    from .error import ErrorDialog

    result = outcome.result
    apply_reloaded(app, library, outcome.reloaded)
    text = explained(result.message, result.advice)
    if result.conflicts or result.other_conflicts:
        if result.received:
            app.notify(t("sync.received_conflicts", count=result.received), timeout=5, markup=False)
        from ..screens.conflict import resolve_in_turn

        resolve_in_turn(
            app, library, [str(library.workspace.root / p) for p in result.conflicts], list(result.other_conflicts)
        )
    elif result.ok:
        app.notify(visible(result.message), title=t("sync.done_title"), timeout=6, markup=False)
    elif result.offline:
        app.notify(visible(text), title=t("sync.offline_title"), severity="warning", timeout=10, markup=False)
    elif result.auth_needed:
        app.push_screen(ErrorDialog(t("sync.auth_title"), text))
    elif result.rejected_by_server:
        said = f"\n\n{t('sync.server_said')}\n{visible(result.server_text)}" if result.server_text else ""
        app.push_screen(
            ErrorDialog(
                t("sync.rejected_title"),
                "\n\n".join(p for p in (result.message.split(" De server zegt:")[0], result.advice) if p) + said,
            )
        )
    else:
        app.push_screen(ErrorDialog(t("sync.failed"), text))


def finish_merge_first(app: App, library: Library, unmerged: tuple[str, ...]) -> None:
    """A merge is still in progress: resolve what is left, or offer to record it; no new sync yet."""
    from ..screens.conflict import resolve_in_turn

    root = library.workspace.root
    cards = [p for p in unmerged if p.startswith("cards/") and p.endswith(".toml")]
    with_table = [str(root / p) for p in cards if (c := library.by_path(root / p)) is not None and "conflict" in c.data]
    other = [p for p in unmerged if str(root / p) not in with_table]
    if with_table or other:
        app.notify(t("sync.merge_unfinished"), severity="warning", timeout=8, markup=False)
        resolve_in_turn(app, library, with_table, other)
    else:
        offer_merge_commit(app, library, t("sync.merge_ready"))


def offer_merge_commit(app: App, library: Library, intro: str) -> None:
    """Every conflict is resolved: record the merge with git's own message, and perhaps send it."""
    root = library.workspace.root
    choices = [
        ("commit_sync", t("conflict.commit_and_sync"), "primary"),
        ("commit", t("conflict.commit"), "default"),
        ("later", t("conflict.later"), "default"),
    ]

    def answered(choice: str | None) -> None:
        if choice in ("commit", "commit_sync"):
            run(choice == "commit_sync")

    def run(then_sync: bool) -> None:
        def work_() -> None:
            try:
                with GitRepo.open(root) as repo:
                    from tui.core.git.identity import require_identity

                    try:
                        require_identity(repo)
                    except NoIdentity:
                        name = repo.try_run("config", "--get", "user.name") or ""
                        email = repo.try_run("config", "--get", "user.email") or ""
                        app.call_from_thread(ask_identity, name, email, then_sync)
                        return
                    left = unresolved(repo)
                    if left:
                        raise GitError(
                            t("conflict.still_unmerged", files=", ".join(map(visible, left))),
                            t("conflict.still_unmerged_advice"),
                        )
                    repo.run("commit", "--quiet", "--no-edit")
                    sha = repo.head() or ""
            except GitError as exc:
                app.call_from_thread(failed, exc)
                return
            app.call_from_thread(done, sha, then_sync)

        app.run_worker(work_, name="merge-commit", thread=True, exclusive=True, group="git", exit_on_error=False)

    def ask_identity(name: str, email: str, then_sync: bool) -> None:
        from .identity import IdentityDialog

        app.push_screen(IdentityDialog(Path(root), name, email), lambda got: run(then_sync) if got else None)

    def failed(exc: GitError) -> None:
        from .error import ErrorDialog

        app.push_screen(ErrorDialog(t("conflict.commit_failed"), explained(exc.message, exc.advice)))
        app.post_message(RepoChanged())

    def done(sha: str, then_sync: bool) -> None:
        app.post_message(RepoChanged())
        if then_sync:
            app.notify(t("conflict.committed", sha=sha[:7]), timeout=4, markup=False)
            start_sync(app, library)
        else:
            app.notify(t("conflict.committed_send", sha=sha[:7]), timeout=8, markup=False)

    app.push_screen(
        question(t("conflict.commit_title"), intro + "\n\n" + t("conflict.commit_detail"), choices, "later"), answered
    )
