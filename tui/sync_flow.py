"""The sync and conflict flows of the app, each one worker that reads top to bottom.

``start_sync`` (key ``s``) and ``open_conflicts`` (key ``x``) start an app-level worker that runs
the steps of ``tui.core.sync.flow`` and ``tui.core.sync.conflicts`` in threads and asks with
``await app.push_screen_wait(...)`` wherever a person must choose. Screens only ask and show:
the progress panel and the conflict screen return what happened, and the flow decides what
comes next (the next card, recording the merge, syncing again).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.app import App
from textual.worker import WorkerState

from tui.core.cards.card import Card, LoadError
from tui.core.cards.text import visible
from tui.core.library import Library
from tui.core.sync.conflicts import conflict_set, record_merge
from tui.core.sync.flow import SyncOutcome, plan_sync, register_driver
from tui.core.sync.sync import SyncResult

from .dialogs.error import ErrorDialog
from .dialogs.identity import IdentityDialog
from .dialogs.question import question
from .dialogs.sync_progress import SyncProgress
from .i18n import t
from .messages import RepoChanged
from .screens.conflict import ConflictScreen
from .sync_words import driver_text, joined, record_text, result_text

FLOW_GROUP = "sync-flow"  # one sync or conflict flow at a time in the whole app


def _busy(app: App) -> bool:
    return any(w.group == FLOW_GROUP and w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers)


def start_sync(app: App, library: Library) -> None:
    """Key ``s``: check, ask where needed, sync with a progress panel, then show the result."""
    if _busy(app):
        app.notify(t("sync.already"), timeout=4, markup=False)
        return
    app.run_worker(sync_flow(app, library), name="sync", group=FLOW_GROUP, exit_on_error=False)


def open_conflicts(app: App, library: Library, card_id: str | None) -> None:
    """Key ``x``: this card's conflicts, else every card with conflicts, else what git still needs."""
    if _busy(app):
        app.notify(t("sync.already"), timeout=4, markup=False)
        return
    app.run_worker(conflicts_flow(app, library, card_id), name="conflicts", group=FLOW_GROUP, exit_on_error=False)


async def ask(app: App, title: str, detail: str, choices: list[tuple[str, str, str]], cancel_id: str) -> str:
    """Ask a question and wait for the answer (escape answers ``cancel_id``)."""
    answer = await app.push_screen_wait(question(title, detail, choices, cancel_id))
    return str(answer or cancel_id)


async def sync_flow(app: App, library: Library) -> None:
    """Checks, a question where one is needed, the sync itself, then its result."""
    root = library.workspace.root
    plan = await asyncio.to_thread(plan_sync, root)
    if plan.code == "git_error":
        await app.push_screen_wait(ErrorDialog(t("sync.failed"), joined(plan.params["message"], plan.params["advice"])))
        return
    if plan.code == "no_remote":
        ok = [("ok", t("dialog.ok"), "primary")]
        await ask(app, t("sync.no_remote_title"), t("sync.no_remote", root=str(root)), ok, "ok")
        return
    if plan.code == "merging":
        await finish_merge_flow(app, library)
        return
    if plan.code == "no_driver":
        choices = [
            ("init", t("sync.init_now"), "primary"),
            ("anyway", t("sync.init_skip"), "default"),
            ("cancel", t("dialog.cancel"), "default"),
        ]
        answer = await ask(app, t("sync.no_driver_title"), t("sync.no_driver"), choices, "cancel")
        if answer == "cancel":
            return
        if answer == "init":
            registered = await asyncio.to_thread(register_driver, root)
            if registered.code == "failed":
                await app.push_screen_wait(ErrorDialog(t("sync.init_failed"), driver_text(registered)))
                return
            app.notify(driver_text(registered), timeout=4, markup=False)
    outcome = await app.push_screen_wait(SyncProgress(root))
    if outcome is None:
        return  # the worker failed: the app's error handler has said so
    apply_reloaded(app, library, outcome)
    await show_result(app, library, outcome.result)


async def show_result(app: App, library: Library, result: SyncResult) -> None:
    """The result in plain words; conflicts open the conflict screen, card after card."""
    message, advice = result_text(result)
    if result.conflicts or result.other_conflicts:
        if result.received:
            app.notify(t("sync.received_conflicts", count=result.received), timeout=5, markup=False)
        root = library.workspace.root
        await resolve_flow(app, library, [root / p for p in result.conflicts], list(result.other_conflicts))
    elif result.ok:
        app.notify(message, title=t("sync.done_title"), timeout=6, markup=False)
    elif result.offline:
        app.notify(joined(message, advice), title=t("sync.offline_title"), severity="warning", timeout=10, markup=False)
    elif result.auth_needed:
        await app.push_screen_wait(ErrorDialog(t("sync.auth_title"), joined(message, advice)))
    elif result.rejected_by_server:
        said = f"\n\n{t('sync.server_said')}\n{visible(result.server_text)}" if result.server_text else ""
        await app.push_screen_wait(ErrorDialog(t("sync.rejected_title"), joined(message, advice) + said))
    else:
        await app.push_screen_wait(ErrorDialog(t("sync.failed"), joined(message, advice)))


def apply_reloaded(app: App, library: Library, outcome: SyncOutcome) -> None:
    """Put the cards a sync changed on disk into the library (it tells its subscribers)."""
    reloaded: tuple[tuple[Path, Card | LoadError | None], ...] = outcome.reloaded
    for path, loaded in reloaded:
        old = library.by_path(path)
        if isinstance(loaded, Card):
            library.update(loaded, old_id=old.id if old else None)
        elif old is not None and loaded is None:
            library.remove(old.id)
    app.post_message(RepoChanged())


async def resolve_flow(app: App, library: Library, paths: list[Path], others: list[str]) -> None:
    """The conflict screen for each card in turn, then the files to fix by hand, then the merge commit."""
    queue = [c for p in paths if (c := library.by_path(p)) is not None and "conflict" in c.data]
    for n, card in enumerate(queue):
        written = await app.push_screen_wait(ConflictScreen(library, card.id))
        if not written:
            app.notify(t("conflict.postponed", count=len(queue) - n), severity="warning", timeout=8, markup=False)
            return
    if others:
        files = "\n".join(f"  {visible(p)}" for p in others)
        detail = t("conflict.other_detail", files=files, root=visible(str(library.workspace.root)))
        await ask(app, t("conflict.other_title", count=len(others)), detail, [("ok", t("dialog.ok"), "primary")], "ok")
        return
    left = await asyncio.to_thread(conflict_set, library.workspace.root)
    if left.ready and not any("conflict" in c.data for c in library.cards.values()):
        await record_flow(app, library, t("conflict.all_resolved"))


async def finish_merge_flow(app: App, library: Library) -> None:
    """A merge is still in progress: resolve what is left, or offer to record it; no new sync yet."""
    root = library.workspace.root
    left = await asyncio.to_thread(conflict_set, root)
    if left.cards or left.others:
        app.notify(t("sync.merge_unfinished"), severity="warning", timeout=8, markup=False)
        await resolve_flow(app, library, [c.path for c in left.cards], list(left.others))
    else:
        await record_flow(app, library, t("sync.merge_ready"))


async def conflicts_flow(app: App, library: Library, card_id: str | None) -> None:
    """This card's conflicts, else every card with conflicts, else a merge to finish, else "none"."""
    card = library.cards.get(card_id) if card_id else None
    if card is not None and "conflict" in card.data:
        await resolve_flow(app, library, [card.path], [])
        return
    waiting = sorted((c for c in library.cards.values() if "conflict" in c.data), key=lambda c: c.title.casefold())
    if waiting:
        await resolve_flow(app, library, [c.path for c in waiting], [])
        return
    left = await asyncio.to_thread(conflict_set, library.workspace.root)
    if left.merging:
        await finish_merge_flow(app, library)
    else:
        app.notify(t("conflict.none"), timeout=4, markup=False)


async def record_flow(app: App, library: Library, intro: str) -> None:
    """Every conflict is resolved: record the merge with git's own message, and perhaps send it."""
    root = library.workspace.root
    choices = [
        ("commit_sync", t("conflict.commit_and_sync"), "primary"),
        ("commit", t("conflict.commit"), "default"),
        ("later", t("conflict.later"), "default"),
    ]
    answer = await ask(app, t("conflict.commit_title"), intro + "\n\n" + t("conflict.commit_detail"), choices, "later")
    if answer not in ("commit", "commit_sync"):
        return
    record = await asyncio.to_thread(record_merge, root)
    while record.code == "no_identity":
        if not await app.push_screen_wait(IdentityDialog(Path(root), record.name, record.email)):
            return
        record = await asyncio.to_thread(record_merge, root)
    app.post_message(RepoChanged())
    if record.code != "recorded":
        await app.push_screen_wait(ErrorDialog(t("conflict.commit_failed"), joined(*record_text(record))))
        return
    if answer == "commit_sync":
        app.notify(t("conflict.committed", sha=record.sha[:7]), timeout=4, markup=False)
        await sync_flow(app, library)
    else:
        app.notify(t("conflict.committed_send", sha=record.sha[:7]), timeout=8, markup=False)
