"""Git commands: log, diff, blame and status of cards by field, and a textconv diff driver."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import Any

from tui.core.git.blame import field_blame
from tui.core.cards.card import Card
from tui.core.git.fielddiff import diff_cards, format_diff, kind_for
from tui.core.cards.lookup import CardNotFound
from tui.core.git.gitrepo import GitError, GitRepo, coded, explain
from tui.core.git.history import BadRevision, card_at, card_history, resolve
from tui.core.cards.parse import load_file, parse_bytes
from tui.core.cards.render_text import card_sections
from tui.core.git.status import card_status, changed_card_paths
from tui.core.workspace import NoCardsFolder, Workspace
from ..i18n import t
from .output import card_ref, guarded, open_workspace, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "log",
        help="geschiedenis van één kaart",
        description="Toon de versies van één kaart, nieuwste eerst (ook van voor een hernoeming).",
    )
    p.add_argument("card", metavar="KAART", help="kaart-id (WBW/T1/1.1), bestandsnaam of pad")
    p.add_argument(
        "-n", "--max-count", type=int, default=50, metavar="N", help="hoogstens N versies (standaard 50; 0 = alle)"
    )
    p.set_defaults(handler=guarded(cmd_log))

    p = sub.add_parser(
        "diff",
        help="verschillen per veld",
        description=(
            "Toon per veld wat er veranderde: standaard de werkmap tegenover de laatste versie (HEAD); "
            "met REV tegenover die versie; met A..B tussen twee versies."
        ),
    )
    p.add_argument("args", nargs="*", metavar="[REV[..REV]] [KAART]", help="versie(s) en/of kaarten")
    p.add_argument(
        "--color", choices=["auto", "always", "never"], default="auto", help="kleur (standaard: alleen in een terminal)"
    )
    p.set_defaults(handler=guarded(cmd_diff))

    p = sub.add_parser(
        "blame",
        help="wie veranderde welk veld het laatst",
        description="Toon per veld van een kaart de laatste versie die het veranderde: auteur, datum en beschrijving.",
    )
    p.add_argument("card", metavar="KAART", help="kaart-id, bestandsnaam of pad")
    p.set_defaults(handler=guarded(cmd_blame))

    p = sub.add_parser(
        "status",
        help="gewijzigde kaarten en de staat van git",
        description=(
            "Toon welke kaarten nieuw, gewijzigd of verwijderd zijn, hoeveel versies nog niet gedeeld zijn, "
            "en of git in een bijzondere toestand is."
        ),
    )
    p.set_defaults(handler=guarded(cmd_status))

    p = sub.add_parser(
        "textconv",
        help="kaart als tekst voor 'git diff'",
        description=(
            "Schrijf een kaart als leesbare tekst, één veld per regel, voor 'git diff'. "
            "'kaartenbak init' stelt dit in: diff.kaartenbak.textconv in .git/config en "
            "cards/**/*.toml diff=kaartenbak in .git/info/attributes."
        ),
    )
    p.add_argument("file", metavar="BESTAND")
    p.set_defaults(handler=guarded(cmd_textconv))


def _workspace(args: argparse.Namespace) -> Workspace:
    return open_workspace(args)


def _card_path(ws: Workspace, repo: GitRepo, ref: str) -> str:
    """A card reference (id, path, file name or stem; the path also of a deleted card) as a repository path."""
    return repo.relpath(card_ref(ws, ref, missing_ok=True).path)


def cmd_log(args: argparse.Namespace) -> int:
    ws = _workspace(args)
    with GitRepo.open(ws.root) as repo:
        rel = _card_path(ws, repo, args.card)
        revs = card_history(repo, rel, limit=args.max_count or None)
        if not revs:
            out(t("cli.git.no_versions", path=rel))
            return 0
        for r in revs:
            moved = f"  ({r.path})" if r.path != rel else ""
            out(f"{r.short}  {r.date:%Y-%m-%d %H:%M}  {r.author}  {r.subject}{moved}")
    return 0


def _split_revs(repo: GitRepo, ws: Workspace, args: list[str]) -> tuple[str | None, str | None, list[str]]:
    """(old rev, new rev or None for the working tree, card refs) from ``diff`` arguments."""
    if not args:
        return "HEAD", None, []
    first, rest = args[0], args[1:]
    if ".." in first and not first.endswith(".toml"):
        a, _, b = first.partition("..")
        return resolve(repo, a or "HEAD"), resolve(repo, b or "HEAD"), rest
    if first.startswith("-"):
        raise coded(BadRevision, "bad_revision_or_card", rev=first)
    try:
        _card_path(ws, repo, first)
        return "HEAD", None, args
    except CardNotFound as exc:
        if exc.code != "lookup.not_found":  # ambiguous, or a named file that cannot be read
            raise
        try:
            return resolve(repo, first), None, rest
        except BadRevision:
            if exc.suggestions or first.endswith(".toml"):
                raise exc from None
            raise coded(BadRevision, "bad_revision_or_card", rev=first) from None
    except (NoCardsFolder, GitError):
        return resolve(repo, first), None, rest


def _changed_paths(repo: GitRepo, old: str | None, new: str | None) -> list[tuple[str | None, str | None]]:
    """(old path, new path) of every card file that differs between the two sides."""
    return changed_card_paths(repo, old, new)


def _worktree(repo: GitRepo, rel: str) -> dict[str, Any] | None:
    path = repo.root / rel
    if not path.exists():
        return None
    loaded = load_file(path)
    if not isinstance(loaded, Card):
        raise GitError(str(loaded))  # why the file cannot be opened, in the user's language
    return loaded.to_dict()


def cmd_diff(args: argparse.Namespace) -> int:
    ws = _workspace(args)
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    with GitRepo.open(ws.root) as repo:
        old_rev, new_rev, refs = _split_revs(repo, ws, list(args.args))
        if old_rev == "HEAD":
            old_rev = repo.head()
        pairs: list[tuple[str | None, str | None]]
        if refs:
            pairs = [(p, p) for p in (_card_path(ws, repo, r) for r in refs)]
        else:
            pairs = [(a, b) for a, b in _changed_paths(repo, old_rev, new_rev)]
        shown = 0
        for old_path, new_path in pairs:
            old = card_at(repo, old_rev, old_path or new_path or "") if old_rev and (old_path or new_path) else None
            new = (
                card_at(repo, new_rev, new_path)
                if new_rev and new_path
                else (_worktree(repo, new_path) if new_path else None)
            )
            diffs = diff_cards(old, new, kind_for(ws.schema, old, new))
            if not diffs:
                continue
            shown += 1
            title = str((new or old or {}).get("title", "")) or Path(new_path or old_path or "").stem
            what = t("cli.git.new_card") if old is None else t("cli.git.deleted") if new is None else ""
            out(f"{'' if shown == 1 else chr(10)}== {title} — {new_path or old_path}{what}")
            sys.stdout.write(format_diff(diffs, color) + "\n")  # already safe: user text made visible inside
        if not shown:
            out(t("cli.git.no_differences"))
    return 0


def cmd_blame(args: argparse.Namespace) -> int:
    ws = _workspace(args)
    with GitRepo.open(ws.root) as repo:
        rel = _card_path(ws, repo, args.card)
        rows = field_blame(repo, rel, ws.schema)
        if not rows:
            out(t("cli.git.no_versions", path=rel))
            return 0
        width = min(max(len(b.label) for b in rows), 45)
        for b in rows:
            r = b.revision
            out(f"{b.label[:width]:<{width}}  {r.short}  {r.date:%Y-%m-%d}  {r.author}  {r.subject}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    ws = _workspace(args)
    with GitRepo.open(ws.root) as repo:
        state = repo.state()
        if state.branch:
            line = t("cli.git.branch", branch=state.branch)
        else:
            line = t("cli.git.detached", head=state.head[:7]) if state.head else t("cli.git.no_branch")
        status = card_status(repo) if not state.bare else None
        if status and status.upstream:
            ahead = t("cli.count.versions", count=status.ahead)
            line += t("cli.git.tracking", ahead=ahead, behind=status.behind, upstream=status.upstream)
        out(line)
        for notice in explain(state):
            out(f"! {notice.message}")
            out(f"  {notice.advice}")
        if status is None:
            return 0
        if not status.files:
            out(t("cli.git.no_changes"))
        for f in status.files:
            extra = t("cli.git.renamed_from", path=f.orig_path) if f.orig_path else ""
            out(f"{_state_label(f.state):<24} {f.path}{extra}")
    return 0


def _state_label(state: str) -> str:
    """How a changed file is described (new, modified, ...), in the user's language."""
    labels = {
        "new": t("cli.git.state_new"),
        "modified": t("cli.git.state_modified"),
        "deleted": t("cli.git.state_deleted"),
        "untracked": t("cli.git.state_untracked"),
        "renamed": t("cli.git.state_renamed"),
        "conflicted": t("cli.git.state_conflicted"),
    }
    return labels.get(state, state)


def textconv_text(data: dict[str, Any], ws: Workspace) -> str:
    """A card as one line per field value, each prefixed by its label (readable in ``git diff``)."""
    kind = kind_for(ws.schema, data)
    lines: list[str] = []
    labels: list[str] = []
    for s in card_sections(data, kind, show_empty=False):
        labels[s.depth :] = [s.label]
        label = " › ".join(labels)
        lines.extend(f"{label}: {text}" for text in s.lines)
    return "\n".join(lines)


def cmd_textconv(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.exists():  # git passes a file; a person may name a card (id, file name, stem)
        with contextlib.suppress(CardNotFound):
            path = card_ref(_workspace(args), args.file).path
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GitError(t("cli.git.cannot_read", path=path, error=exc.strerror or exc)) from None
    loaded = parse_bytes(path, raw)
    if not isinstance(loaded, Card):
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
        return 0
    ws = _workspace(args)
    out(textconv_text(loaded.to_dict(), ws))
    return 0
