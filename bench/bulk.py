"""The bulk figure: one bulk edit (``set notes``) on 250 cards, planned with its preview and applied.

Plan + preview is what the app does before anything is written (``plan_bulk`` and the field diff
text of every card); apply is ``apply_bulk`` (250 atomic saves through the card writer). The floor
is the least any tool must do for the same change: ``tomlkit`` parse, set the key, dump, atomic
write, for the same 250 files.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from .stats import Row, Target, interleaved, row

if TYPE_CHECKING:
    from .figures import Ctx

CARDS = 250
FIELD = "notes"
VALUE = "Besproken in de stuurgroep van december"


def fig_bulk(ctx: Ctx) -> list[Row]:
    """``plan_bulk`` + preview text and ``apply_bulk`` of a set on 250 cards, against tomlkit over the same files."""
    import tomlkit

    from tui.core.git.fielddiff import format_diff
    from tui.core.meetings.bulk import SET, BulkEdit, apply_bulk, plan_bulk
    from tui.core.workspace import Workspace

    from .figures import _atomic_write

    n = min(ctx.sizes)
    work = ctx.work / "bulk"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(ctx.ds.cards[n], work, ignore=shutil.ignore_patterns(".git"))
    (work / ".git").mkdir()  # drafts and edit locks are looked up in .git/kaartenbak, never in the user's folders
    ws = Workspace(work)
    cards = ws.store.load_all().cards[:CARDS]
    count = len(cards)
    originals: dict[Path, bytes] = {c.path: c.path.read_bytes() for c in cards}
    floor_dir = work / "floor"
    floor_paths = []
    for i, c in enumerate(cards):
        target = floor_dir / f"{i:04d}.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(originals[c.path])
        floor_paths.append(target)
    floor_originals = {p: p.read_bytes() for p in floor_paths}
    edit = BulkEdit(SET, FIELD, value=VALUE)
    state: dict[str, object] = {}

    def plan_and_preview() -> None:
        plan = plan_bulk(ws, edit, cards, scope="bench")
        for change in plan.changes:
            format_diff(change.diffs)
        state["plan"] = plan

    def restore() -> None:
        for path, data in originals.items():
            path.write_bytes(data)

    def apply() -> None:
        result = apply_bulk(ws, state["plan"])  # type: ignore[arg-type]
        assert len(result.saved) == len(state["plan"].changes), result.refused[:3]  # type: ignore[attr-defined]

    def restore_floor() -> None:
        for path, data in floor_originals.items():
            path.write_bytes(data)

    def floor() -> None:
        for path in floor_paths:
            doc = tomlkit.parse(path.read_bytes().decode("utf-8"))
            doc[FIELD] = VALUE
            _atomic_write(path, tomlkit.dumps(doc).encode("utf-8"))

    def floor_parse() -> None:
        for path in floor_paths:
            tomlkit.dumps(tomlkit.parse(path.read_bytes().decode("utf-8")))

    plan_and_preview()
    changed = len(state["plan"].changes)  # type: ignore[attr-defined]
    reps = ctx.reps(5 if not ctx.quick else 3)
    ctx.log(f"  bulk: {reps} runs each (set {FIELD} on {count} cards, {changed} change)")
    s = interleaved(
        {"plan": plan_and_preview, "parse": floor_parse, "apply": apply, "floor": floor},
        reps,
        warmup=1,
        setups={"apply": restore, "floor": restore_floor},
    )
    restore()
    return [
        row(
            "bulk",
            f"plan_bulk + preview, set {FIELD} on {count} cards",
            n,
            s["plan"],
            s["parse"],
            "tomlkit parse+dump of the same files",
            target=Target("median", 1.0, "≤ 1 s"),
            cards=count,
            changed=changed,
        ),
        row(
            "bulk",
            f"apply_bulk, {changed} atomic saves",
            n,
            s["apply"],
            s["floor"],
            "tomlkit parse+set+dump+atomic write",
            target=Target("ratio", 2.0, "≤2× floor"),
            cards=count,
            changed=changed,
        ),
    ]
