"""``kaartenbak sync`` and ``kaartenbak remote [ADRES]``: share the cards with the team's remote.

Both work on ``--repo`` or the current folder, never on the bundled cards: those belong to the
installed program, not to a team.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.core.git.gitrepo import GitError, GitRepo
from tui.core.sync.sync import SyncStatus, remote_urls, set_origin, sync, sync_status
from .output import err, out

_STATE_TEXT = {
    "up_to_date": "alles is gedeeld",
    "to_send": "{ahead} versie(s) nog niet verstuurd",
    "to_receive": "{behind} versie(s) van anderen nog niet samengevoegd",
    "diverged": "{ahead} versie(s) nog niet verstuurd, {behind} van anderen nog niet samengevoegd",
    "no_upstream": "nog nooit gesynchroniseerd",
    "no_remote": "geen gedeelde kaartenbak ingesteld",
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sync",
        help="wijzigingen van anderen ophalen en de jouwe versturen",
        description="Haal de wijzigingen van anderen op, voeg ze per veld samen met de jouwe (een merge-commit) en "
        "verstuur je eigen versies, nooit geforceerd. Exit 0: gelukt, of offline (je versies blijven bewaard); "
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
        description="Zonder ADRES: toon het adres van 'origin' en hoe ver je ervan af staat (bij de laatste synchronisatie). "
        "Met ADRES: stel 'origin' in (https://, ssh://, git://, gebruiker@server:pad of een map).",
    )
    p.add_argument("url", nargs="?", metavar="ADRES", help="nieuw adres voor origin")
    p.set_defaults(handler=cmd_remote)


def _root(args: argparse.Namespace) -> Path:
    repo = getattr(args, "repo", None)
    return Path(repo) if repo else Path.cwd()


def cmd_sync(args: argparse.Namespace) -> int:
    result = sync(_root(args), progress=out, timeout=args.timeout)
    if result.conflicts or result.other_conflicts:
        out(result.message)
        for path in (*result.conflicts, *result.other_conflicts):
            out(f"  conflict: {path}")
        out(result.advice)
        return 1
    if result.ok or result.offline:
        out(result.message)
        if result.offline and result.advice:
            out(result.advice)
        return 0
    err(f"kaartenbak: {result.message}")
    if result.advice:
        err(result.advice)
    return 2


def _describe(status: SyncStatus) -> str:
    text = _STATE_TEXT[status.state].format(ahead=status.ahead, behind=status.behind)
    if status.upstream:
        return f"tak {status.branch} volgt {status.upstream}: {text}"
    return text


def cmd_remote(args: argparse.Namespace) -> int:
    try:
        with GitRepo.open(_root(args)) as repo:
            if args.url is not None:
                url = set_origin(repo, args.url)
                out(f"origin wijst nu naar {url}")
                out("Synchroniseer met 'kaartenbak sync'.")
                return 0
            status = sync_status(repo)
            if status.remote is None:
                out("Nog geen gedeelde kaartenbak ingesteld. Stel hem in met 'kaartenbak remote ADRES'.")
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
