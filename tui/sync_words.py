"""Words for the sync and conflict workflows: the core's codes and parameters phrased by ``tui/locale``.

Shared by the CLI (``kaartenbak sync``, ``kaartenbak conflicts``) and the app, so both say the
same thing. Text from outside (file names, what a server said, git's own last line) is made
visible, never interpreted.
"""

from __future__ import annotations

from collections.abc import Mapping

from tui.core.cards.text import visible
from tui.core.sync.conflicts import MergeRecord, Resolution
from tui.core.sync.flow import DriverRegistration
from tui.core.sync.sync import SyncResult, SyncStep
from tui.i18n import t


def changes(count: int) -> str:
    """ "1 wijziging", "3 wijzigingen" in the current language."""
    return t("sync_result.change", count=count)


def _clean(params: Mapping[str, str | int]) -> dict[str, str | int]:
    return {k: visible(v) if isinstance(v, str) else v for k, v in params.items()}


def step_text(step: SyncStep) -> str:
    """One progress line."""
    params = _clean(step.params)
    if "count" in params:
        params["changes"] = changes(int(params["count"]))
    return t(f"sync_step.{step.code}", **params)


def result_text(result: SyncResult) -> tuple[str, str]:
    """(message, advice) for a sync's result; the server's own words are in ``result.server_text``."""
    p = _clean(result.params)
    code = result.code
    if code == "done":
        received, sent = changes(result.received), changes(result.sent)
        key = {(True, True): "done_both", (True, False): "done_received", (False, True): "done_sent"}.get(
            (bool(result.received), bool(result.sent)), "done_nothing"
        )
        if key == "done_nothing" and result.snapshots_sent:
            return t("sync_result.done_snapshots", count=result.snapshots_sent), ""
        message = t(f"sync_result.{key}", received=received, sent=str(result.sent) if result.received else sent)
        if result.snapshots_sent:
            message += t("sync_result.and_snapshots", count=result.snapshots_sent)
        return message, ""
    if code == "offline":
        pending = int(result.params.get("pending", 0) or 0)
        message = t("sync_result.offline_pending", pending=changes(pending)) if pending else t("sync_result.offline")
        return message, t("sync_result.offline_advice")
    if code == "auth_needed":
        return t("sync_result.auth_needed"), t(f"sync_result.auth_needed_advice_{p.get('transport', 'https')}")
    if code == "conflicts":
        parts = []
        if result.conflicts:
            parts.append(t("sync_result.conflicts_cards", count=len(result.conflicts), cards=p.get("cards", "")))
        if result.other_conflicts:
            parts.append(t("sync_result.conflicts_others", others=p.get("others", "")))
        return " ".join(parts), t("sync_result.conflicts_advice")
    message = t(f"sync_result.{code}", **p)
    advice = t(f"sync_result.{code}_advice", **p)
    return message, "" if advice == f"sync_result.{code}_advice" else advice


def driver_text(reg: DriverRegistration) -> str:
    """What switching on field merging did."""
    return t(f"sync_result.driver_{reg.code}", detail=visible(reg.detail))


def record_text(record: MergeRecord) -> tuple[str, str]:
    """(message, advice) for recording the merge."""
    params = {
        "sha": record.sha[:7],
        "files": ", ".join(map(visible, record.files)),
        "message": visible(record.message),
        "advice": visible(record.advice),
    }
    message = t(f"merge_record.{record.code}", **params)
    advice = t(f"merge_record.{record.code}_advice", **params)
    return message, "" if advice == f"merge_record.{record.code}_advice" else advice


def resolution_problems(res: Resolution) -> list[str]:
    """The schema problems that stopped a resolution, one line each."""
    return [f"• {visible(p.label or p.field)}: {visible(p.message)}" for p in res.problems]


def joined(message: str, advice: str) -> str:
    """Message and advice as one block of text."""
    return "\n\n".join(part for part in (message, advice) if part)
