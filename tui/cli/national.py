"""``kaartenbak export --format sqlite``: the cards and history of one or more region repositories in one SQLite file.

Reached from ``tui/cli/export.py`` by an early dispatch; the work is ``tui.core.national.build``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.core.national.build import BuildReport, NationalError, build
from tui.core.national.metadata import write_metadata
from tui.core.cards.atomic import WriteError
from tui.i18n import t
from .output import err, open_workspace

FORMAT = "sqlite"
SUFFIXES = (".db", ".sqlite", ".sqlite3")  # -o with one of these and no --format: the SQLite export
PROGRESS_FROM = 200  # commits; fewer are read before a message would be read


def add_options(p: argparse.ArgumentParser) -> None:
    """The export options that only the SQLite format uses."""
    p.add_argument(
        "--from",
        dest="from_repos",
        action="append",
        metavar="MAP",
        help="regio-repository om in te lezen; herhaal voor meer regio's (alleen bij --format sqlite; standaard: deze)",
    )
    p.add_argument(
        "--metadata",
        nargs="?",
        const="",
        metavar="BESTAND",
        help="schrijf ook Datasette-metadata (standaard metadata.json naast de database; alleen bij --format sqlite)",
    )


def _by_suffix(args: argparse.Namespace) -> bool:
    return not args.format and bool(args.output) and Path(args.output).suffix.lower() in SUFFIXES


def applies(args: argparse.Namespace) -> bool:
    """Whether this export is ours: ``--format sqlite``, ``-o x.db`` without a format, or a SQLite-only option."""
    return (
        args.format == FORMAT
        or _by_suffix(args)
        or bool(getattr(args, "from_repos", None))
        or getattr(args, "metadata", None) is not None
    )


def _say(code: str, **params: object) -> str:
    return t(f"national.{code}", **params)


def _error(exc: NationalError) -> int:
    params = {k: str(v) for k, v in exc.params.items()}
    reason = params.get("reason", "")
    if exc.code in ("not_a_repo", "unwritable") and reason in (
        "missing",
        "not_git",
        "parent",
        "no_cards",
        "is_dir",
        "no_folder",
    ):
        params["reason"] = _say(f"reason.{reason}", **params)
    err(_say("failed", message=_say(f"error.{exc.code}", **params)))
    return 2


def _summary(report: BuildReport) -> None:
    for s in report.sources:
        err(
            _say(
                "summary.source",
                repo=str(s.repo),
                region=s.region or "?",
                commits=s.commits_read,
                cards=s.cards,
                plural=s.commits_read,
            )
        )
        if s.rebuilt:
            err(_say("summary.rebuilt", repo=str(s.repo)))
        if s.uncommitted:
            err(_say("summary.uncommitted", count=s.uncommitted))
        for problem in s.skipped:
            err(_say("summary.skipped", problem=problem))
    err(_say("summary.done", path=str(report.db), cards=report.cards, seconds=f"{report.seconds:.1f}"))


def cmd_sqlite(args: argparse.Namespace) -> int:
    """Build or update the SQLite database named by ``-o``."""
    if args.format != FORMAT and not _by_suffix(args):
        err(_say("only_sqlite"))
        return 2
    if not args.output:
        err(_say("needs_output"))
        return 2
    if args.query:
        err(_say("no_query", query=" ".join(args.query)))
        return 2
    repos = args.from_repos or [open_workspace(args).root]
    db = Path(args.output)

    def progress(repo: str, commits: int) -> None:
        if commits >= PROGRESS_FROM and not args.quiet:
            err(_say("summary.reading", repo=repo, commits=commits))

    try:
        report = build(db, repos, progress=progress)
    except NationalError as exc:
        return _error(exc)
    if args.metadata is not None:
        target = Path(args.metadata) if args.metadata else db.parent / "metadata.json"
        try:
            write_metadata(target, db.stem)
        except WriteError as exc:
            reason = getattr(exc.__cause__, "strerror", None) or str(exc)
            return _error(NationalError("unwritable", path=str(target), reason=reason))
        if not args.quiet:
            err(_say("metadata_written", path=str(target), db=str(db)))
    if not args.quiet:
        _summary(report)
    return 0
