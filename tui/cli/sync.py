"""``kaartenbak sync`` and ``kaartenbak remote [ADRES]``: share the cards with the team's remote.

Both work on ``--repo`` or the current folder, never on the bundled cards: those belong to the
installed program, not to a team.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.core.config import load_config
from tui.core.git.gitrepo import GitError, GitRepo
from tui.core.sync.conflicts import conflict_set, record_merge
from tui.core.sync.flow import plan_sync
from tui.core.sync.sync import SyncStatus, remote_urls, set_origin, sync, sync_status
from tui.i18n import set_language, t
from tui.sync_words import record_text, result_text, step_text

from .output import err, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sync",
        help="wijzigingen van anderen ophalen en de jouwe versturen",
        description="Haal de wijzigingen van anderen op, voeg ze per veld samen met de jouwe (een merge-commit) en "
        "verstuur je eigen versies, nooit geforceerd. Een samenvoeging die nog bezig is (bijvoorbeeld in de app "
        "begonnen) wordt eerst vastgelegd als alle conflicten zijn opgelost, anders zegt sync wat er nog open staat "
        "(zie 'kaartenbak conflicts'). Exit 0: gelukt, of offline (je versies blijven bewaard); "
        "1: conflicten om op te lossen; 2: fout (aanmelden nodig, geweigerd door de server, eerst bewaren, ...).",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=20.0,
        metavar="SEC",
        help="hoogstens SEC seconden per netwerkstap (standaard 20)",
    )
    p.set_defaults(handler=cmd_sync)

    p = sub.add_parser(
        "remote",
        help="adres van de gedeelde kaartenbak tonen of instellen",
        description="Zonder ADRES: toon het adres van 'origin' en hoe ver je ervan af staat (bij de laatste "
        "synchronisatie). Met ADRES: stel 'origin' in (https://, ssh://, git://, gebruiker@server:pad of een map).",
    )
    p.add_argument("url", nargs="?", metavar="ADRES", help="nieuw adres voor origin")
    p.set_defaults(handler=cmd_remote)


def _root(args: argparse.Namespace) -> Path:
    repo = getattr(args, "repo", None)
    return Path(repo) if repo else Path.cwd()


def use_language(args: argparse.Namespace) -> None:
    """The CLI speaks the language ``--lang`` asks for, else the configured one (Dutch by default)."""
    set_language(getattr(args, "lang", None) or load_config().lang)


def finish_merge(root: Path) -> int | None:
    """A merge still in progress: record it when nothing is open (None: go on syncing), else say what is."""
    try:
        left = conflict_set(root)
    except GitError as exc:
        err(f"kaartenbak: {exc.message}")
        return 2
    if not left.ready:
        out(t("conflicts_cli.unfinished"))
        for card in left.cards:
            out(f"  conflict: {card.rel} ({', '.join(c.field or '*' for c in card.conflicts)})")
        for path in left.others:
            out(f"  conflict: {path}")
        out(t("conflicts_cli.how"))
        return 1
    record = record_merge(root)
    message, advice = record_text(record)
    if record.code != "recorded":
        err(f"kaartenbak: {message}")
        if advice:
            err(advice)
        return 1 if record.code == "unresolved" else 2
    out(message)
    return None


def cmd_sync(args: argparse.Namespace) -> int:
    use_language(args)
    root = _root(args)
    if plan_sync(root).code == "merging":
        stopped = finish_merge(root)
        if stopped is not None:
            return stopped
    result = sync(root, progress=lambda step: out(step_text(step)), timeout=args.timeout)
    message, advice = result_text(result)
    if result.conflicts or result.other_conflicts:
        out(message)
        for path in (*result.conflicts, *result.other_conflicts):
            out(f"  conflict: {path}")
        out(advice)
        return 1
    if result.ok or result.offline:
        out(message)
        if result.offline and advice:
            out(advice)
        return 0
    err(f"kaartenbak: {message}")
    if result.server_text:
        err(f"{t('sync_result.server_said')} {result.server_text}")
    if advice:
        err(advice)
    return 2


def _describe(status: SyncStatus) -> str:
    """How far the branch is from the shared card box, in the user's language."""
    ahead = t("cli.remote.versions_to_send", count=status.ahead)
    behind = t("cli.remote.versions_to_receive", count=status.behind)
    texts = {
        "up_to_date": t("cli.remote.up_to_date"),
        "to_send": ahead,
        "to_receive": behind,
        "diverged": t("cli.remote.diverged", ahead=ahead, behind=behind),
        "no_upstream": t("cli.remote.no_upstream"),
        "no_remote": t("cli.remote.no_remote"),
    }
    text = texts.get(status.state, status.state)
    if status.upstream:
        return t("cli.remote.tracking", branch=status.branch, upstream=status.upstream, state=text)
    return text


def cmd_remote(args: argparse.Namespace) -> int:
    try:
        with GitRepo.open(_root(args)) as repo:
            if args.url is not None:
                url = set_origin(repo, args.url)
                out(t("cli.remote.set", url=url))
                out(t("cli.remote.then_sync"))
                return 0
            status = sync_status(repo)
            if status.remote is None:
                out(t("cli.remote.none"))
                return 0
            for url in dict.fromkeys(remote_urls(repo, status.remote)):
                out(f"{status.remote}  {url}")
            out(_describe(status))
            return 0
    except GitError as exc:
        err(f"kaartenbak: {exc.message}")
        if exc.advice:
            err(exc.advice)
        return 2
