"""Setting up a cards repository: a new one from scratch, or git's field-level merge in an existing one.

Git only merges cards per field when the repository says so: an attributes file assigns the
``kaartenbak`` merge (and diff) driver to ``cards/**/*.toml`` (and the merge driver to the review
files, ``reviews/**/*.toml``) and ``.git/config`` says which command that is. A clone set up by an
older version lacks the review line: ``missing_attributes`` finds that, and the sync plan asks to
set up again (``tui.core.sync.flow.plan_sync``). ``.git/config`` is not shared by cloning, so every
clone runs this once (idempotent).

Where the attributes go: ``.git/info/attributes``, next to the driver's command in ``.git/config``.
Both are per clone and untracked, so ``init`` never leaves a tracked file modified (a change in
``.gitattributes`` would show in ``git status`` forever while the app's commit dialog, which
offers cards only, never offers it), and the assignment only exists where the command that
serves it is defined. A new repository also gets a committed ``.gitattributes`` with the shared
line-ending rule (``*.toml text eol=lf``) as part of its first commit.

Which command: ``kaartenbak`` when the console script is on PATH (survives moving or rebuilding
the virtualenv), else this interpreter with ``-m tui`` (works for any installation, also one
without console scripts; it is an absolute path, so ``init`` says to run again after moving it).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.language import phrase
from tui.core.paths import schema_dir

DRIVER = "kaartenbak"
ATTRIBUTE_LINES = (
    f"cards/**/*.toml merge={DRIVER} diff={DRIVER}",
    f"reviews/**/*.toml merge={DRIVER}",  # reviews per field too (tui.core.review.signoff_merge)
    f"views.toml merge={DRIVER}",  # saved views per view: added in two clones is two (tui.core.meetings.views)
    # LF for the files Kaartenbak writes only: this file outranks ``.gitattributes``, so a
    # catch-all ``*.toml`` here would override a repository's own exceptions there.
    "cards/**/*.toml text eol=lf",
    "reviews/**/*.toml text eol=lf",
    "views.toml text eol=lf",
)
SHARED_ATTRIBUTES = "# Kaarten zijn tekst met LF-regeleinden, ook in Windows-klonen.\n*.toml text eol=lf\n"
_GIT_ENV_DROP = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")

REGION_TEMPLATE = """\
# Vocabulaire van één regio: de thema's, programma's en organisaties die de app in formulieren en
# zoeken aanbiedt. Een waarde daarbuiten geeft een waarschuwing, nooit een fout.
# Hernoem dit bestand naar de code van je regio (bijvoorbeeld schema/regions/abc.toml) en vul het in.

code = "VB"                 # korte code; staat in elke kaart als region = "VB"
name = "Voorbeeldregio"     # volledige naam van de regio
document = ""               # bestandsnaam van het regioplan (optioneel)

# Eén [[themes]]-blok per thema, met het nummer uit het regioplan en andere spellingen.
[[themes]]
number = 1
name = "Voorbeeldthema"
aliases = []

# Programma's per thema (optioneel):
# [[programmes]]
# theme = "Voorbeeldthema"
# name = "Voorbeeldprogramma"

# Open lijsten (optioneel):
# organisations = ["Huisartsencoöperatie", "GGD"]
# domains = ["Sociaal domein"]
"""

README_TEMPLATE = """\
# Kaartenbak van de werkgroep

Hier staan de projectkaarten van ons regioplan: één kaart per project, als TOML-bestand in
`cards/<regio>/`. Git bewaart elke wijziging; `kaartenbak` is de app om ze te lezen en te bewerken.

## De app openen

Open een terminal in deze map en typ:

```sh
kaartenbak
```

## Een kaart toevoegen

Kies in de app een nieuwe kaart (het opdrachtenpalet, `ctrl+p`, toont alle acties), kies de soort
en vul id, regio, thema en titel in. De app maakt het bestand en controleert het schema.
Eerst nog geen regio? Pas `schema/regions/example.toml` aan (thema's van je regio).

## Samenwerken (synchroniseren)

Bewaar je wijzigingen in de app en deel ze met synchroniseren; of met git:

```sh
git pull      # wijzigingen van anderen ophalen
git push      # jouw wijzigingen delen
```

Bewerkten twee mensen verschillende velden van dezelfde kaart, dan voegt git ze vanzelf samen.
Hetzelfde veld aan beide kanten anders? Dan staat er een `[[conflict]]` in de kaart en kies je
in de app per veld welke versie blijft. Na het klonen van deze map: eenmaal `kaartenbak init`.
"""


class InitError(Exception):
    """The folder cannot be made into (or set up as) a cards repository: ``code`` (``init.<name>``,
    words in ``core.init.<name>`` of ``tui/locale``) and ``params``; the text is phrased in the display language."""

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = f"init.{code}", params
        super().__init__(phrase(self.code, params))


def _said(code: str, **params: object) -> str:
    """One line of the report in the display language (``core.init.<code>``)."""
    return phrase(f"init.{code}", params)


@dataclass
class InitReport:
    """What ``init_repo`` did, in sentences of the display language, for the CLI and the app to show."""

    root: Path
    created: bool
    done: list[str] = field(default_factory=list)
    committed: bool = False
    hint: str = ""
    program: str = DRIVER
    on_path: bool = True  # False: the drivers name this interpreter by its absolute path


@dataclass(frozen=True)
class DriverProgram:
    """How git starts Kaartenbak for merges and diffs."""

    command: str
    on_path: bool  # the console script found on PATH (True) or this interpreter's ``-m tui`` (False)


def driver_program() -> DriverProgram:
    """The one choice of driver command, for ``kaartenbak init`` and the app's sync alike.

    ``kaartenbak`` when the console script is on PATH: it survives moving or rebuilding the
    virtualenv. Otherwise this interpreter with ``-m tui``: a console script beside it would
    itself name the interpreter by absolute path, and ``-m tui`` also works where no script was
    installed.
    """
    if shutil.which(DRIVER):
        return DriverProgram(DRIVER, True)
    return DriverProgram(f"{shlex.quote(sys.executable)} -m tui", False)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _GIT_ENV_DROP}
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=root, env=_env(), capture_output=True, text=True, check=check)
    except FileNotFoundError:
        raise InitError("no_git") from None
    except subprocess.CalledProcessError as exc:
        raise InitError(
            "git_failed", command=args[0], root=str(root), error=(exc.stderr or exc.stdout).strip()
        ) from None


def _config_get(root: Path, key: str, *scope: str) -> str | None:
    got = _git(root, "config", *scope, "--get", key, check=False)
    return got.stdout.strip() if got.returncode == 0 else None


def driver_settings(program: str = DRIVER, *, textconv: bool = True) -> dict[str, str]:
    """The ``.git/config`` entries; ``program`` is how to run Kaartenbak (``kaartenbak`` or ``python -m tui``)."""
    settings = {
        f"merge.{DRIVER}.name": "Kaartenbak: kaarten per veld samenvoegen",
        f"merge.{DRIVER}.driver": f"{program} merge-driver %O %A %B %P",
    }
    if textconv:
        settings[f"diff.{DRIVER}.textconv"] = f"{program} textconv"
    return settings


def register_drivers(root: Path, program: str = DRIVER, *, textconv: bool = True) -> list[str]:
    """Write the merge (and diff) driver into the repository's own config; unchanged entries are left alone."""
    done = []
    for key, value in driver_settings(program, textconv=textconv).items():
        if _config_get(root, key, "--local") == value:
            continue
        _git(root, "config", "--local", key, value)
        done.append(f"git config {key} = {value}")
    return done


def attributes_path(root: Path) -> Path:
    """This clone's own, untracked attributes file (``.git/info/attributes``; worktrees share it)."""
    got = _git(root, "rev-parse", "--git-path", "info/attributes").stdout.strip()
    path = Path(got)
    return path if path.is_absolute() else root / path


def missing_attributes(root: Path) -> list[str]:
    """The Kaartenbak attribute lines this clone's ``.git/info/attributes`` lacks (a newer version added some)."""
    path = attributes_path(root)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    present = {line.strip() for line in text.splitlines()}
    return [line for line in ATTRIBUTE_LINES if line not in present]


def ensure_attributes(root: Path) -> list[str]:
    """Add the Kaartenbak lines to ``.git/info/attributes`` where missing (the file keeps everything else)."""
    path = attributes_path(root)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in ATTRIBUTE_LINES if line not in present]
    if not missing:
        return []
    if text and not text.endswith("\n"):
        text += "\n"
    text += "# Kaartenbak (kaartenbak init): kaarten per veld samenvoegen, overal LF-regeleinden.\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "".join(f"{line}\n" for line in missing), encoding="utf-8")
    except OSError as exc:
        raise InitError("cannot_write", path=str(path), error=exc.strerror or str(exc)) from None
    rel = os.path.relpath(path, root).replace(os.sep, "/")
    return [f"{rel}: {line}" for line in missing]


def _scaffold(root: Path, with_regions: bool) -> list[str]:
    done = []
    if not (root / ".git").exists():
        _git(root, "init", "-q", "-b", "main")
        done.append(_said("made_repo", root=str(root)))
    if not (root / "schema").exists():
        src = schema_dir()
        shutil.copytree(src, root / "schema", ignore=None if with_regions else shutil.ignore_patterns("regions"))
        if not with_regions:
            (root / "schema" / "regions").mkdir()
            (root / "schema" / "regions" / "example.toml").write_text(REGION_TEMPLATE, encoding="utf-8")
        done.append(_said("copied_schema_regions" if with_regions else "copied_schema"))
    (root / "cards").mkdir(exist_ok=True)
    keep = root / "cards" / ".gitkeep"
    if not any((root / "cards").iterdir()):
        keep.write_text("", encoding="utf-8")  # git keeps no empty folders; clones need cards/
        done.append(_said("made_cards"))
    if not (root / "README.md").exists():
        (root / "README.md").write_text(README_TEMPLATE, encoding="utf-8")
        done.append(_said("wrote_readme"))
    if not (root / ".gitattributes").exists():
        (root / ".gitattributes").write_text(SHARED_ATTRIBUTES, encoding="utf-8")
        done.append(_said("wrote_attributes"))
    return done


def _commit_first(root: Path, report: InitReport) -> None:
    if _git(root, "rev-parse", "--verify", "-q", "HEAD", check=False).returncode == 0:
        return
    if not (_config_get(root, "user.name") and _config_get(root, "user.email")):
        report.hint = _said("no_identity", root=str(root))
        return
    _git(root, "add", "-A")
    _git(root, "-c", "user.useConfigOnly=true", "commit", "-q", "-m", "Nieuwe kaartenbak")
    report.committed = True
    report.done.append(_said("first_commit"))


def _is_new(root: Path) -> bool:
    """Whether ``root`` gets the full scaffold; refuses a folder that is neither new nor a repository."""
    if not root.exists():
        return True
    if not root.is_dir():
        raise InitError("not_a_folder", root=str(root))
    entries = [p.name for p in root.iterdir()]
    if (root / ".git").exists():
        return entries == [".git"]
    if entries:
        raise InitError("not_empty", root=str(root))
    return True


def init_repo(
    path: Path | None = None,
    *,
    program: str | None = None,
    with_regions: bool = False,
    textconv: bool = True,
    cwd: Path | None = None,
) -> InitReport:
    """Set up ``path`` (default: the current folder): scaffold a new repository, or register the
    drivers (``.git/config``) and their attributes (``.git/info/attributes``) in an existing one.
    Safe to run again; never leaves a tracked file modified. ``program`` defaults to ``driver_program()``."""
    root = (path if path is not None else (cwd or Path.cwd())).expanduser().absolute()
    chosen = DriverProgram(program, program == DRIVER) if program is not None else driver_program()
    program = chosen.command
    new = _is_new(root)
    report = InitReport(root=root, created=new, program=program, on_path=chosen.on_path)
    if new:
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InitError("cannot_make", root=str(root), error=exc.strerror or str(exc)) from None
        report.done.extend(_scaffold(root, with_regions))
    report.done.extend(ensure_attributes(root))
    report.done.extend(register_drivers(root, program, textconv=textconv))
    if new:
        _commit_first(root, report)
    elif not (root / "cards").is_dir():
        report.hint = _said("no_cards_folder", root=str(root))
    return report
