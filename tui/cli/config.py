"""``kaartenbak config``: where the settings file is, what is in effect, and what was wrong with it."""

from __future__ import annotations

import argparse
import os

from tui.core.config import LANGUAGES, THEMES, Config, config_path, load_config
from ..i18n import language, t
from .output import err, out

EXAMPLE = f"""\
# Instellingen van Kaartenbak. Haal het #-teken weg voor een regel om hem te gebruiken;
# wat uit staat, krijgt de standaardwaarde. `kaartenbak config` toont wat er geldt.

# Taal van de app: {" of ".join(f'"{lang}"' for lang in LANGUAGES)} (standaard "nl").
# De omgevingsvariabele KAARTENBAK_LANG en de optie --lang gaan hiervoor.
# lang = "en"

# Kleurthema, bijvoorbeeld {", ".join(f'"{theme}"' for theme in THEMES)}.
# theme = "textual-light"

# De kaartenbak die de app opent als je geen --repo opgeeft en de huidige map geen cards/ heeft.
# repo = "~/kaarten/regioplan"

# Andere toetsen: binding-id = "toets", meerdere toetsen met komma's. Ids zijn onder meer
# quit, help, edit-card, new-card, editor-save, editor-leave, clear-search.
# [keymap]
# edit-card = "e,enter"
# editor-save = "ctrl+s"
"""

EXAMPLE_EN = f"""\
# Settings of Kaartenbak. Remove the # in front of a line to use it;
# what is switched off gets the default value. `kaartenbak config` shows what is in effect.

# Language of the app: {" or ".join(f'"{lang}"' for lang in LANGUAGES)} (default "nl").
# The environment variable KAARTENBAK_LANG and the option --lang go before this.
# lang = "en"

# Colour theme, for example {", ".join(f'"{theme}"' for theme in THEMES)}.
# theme = "textual-light"

# The card box the app opens when you give no --repo and the current folder has no cards/.
# repo = "~/cards/regional-plan"

# Other keys: binding-id = "key", several keys separated by commas. Ids include
# quit, help, edit-card, new-card, editor-save, editor-leave, clear-search.
# [keymap]
# edit-card = "e,enter"
# editor-save = "ctrl+s"
"""


def example_text() -> str:
    """The commented example settings file in the user's language."""
    return EXAMPLE_EN if language() == "en" else EXAMPLE


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "config",
        help="toon de instellingen en waar ze staan",
        description=(
            "Toon waar het instellingenbestand staat (KAARTENBAK_CONFIG of de standaardmap), of het bestaat, "
            "welke instellingen gelden (lang, theme, repo, keymap) en wat er mis is met het bestand. "
            "Een fout in het bestand is nooit fataal: de app gebruikt dan de standaardwaarde."
        ),
    )
    p.add_argument(
        "--init",
        action="store_true",
        help="schrijf een voorbeeldbestand met uitleg (overschrijft nooit een bestaand bestand)",
    )
    p.set_defaults(handler=cmd_config)


def cmd_config(args: argparse.Namespace) -> int:
    if args.init:
        return _init()
    cfg = load_config()
    _report(cfg, args)
    return 0


def _init() -> int:
    path = config_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as fh:  # "x": never overwrite
            fh.write(example_text())
    except FileExistsError:
        err(t("cli.config.exists", path=path))
        return 1
    except OSError as exc:
        err(t("cli.config.cannot_write", path=path, error=exc.strerror or exc))
        return 2
    out(t("cli.config.written", path=path))
    out(t("cli.config.uncomment"))
    return 0


def _report(cfg: Config, args: argparse.Namespace) -> None:
    source = "KAARTENBAK_CONFIG" if os.environ.get("KAARTENBAK_CONFIG") else t("cli.config.default_place")
    state = t("cli.config.present") if cfg.exists else t("cli.config.missing")
    out(t("cli.config.file", path=cfg.path, source=source))
    out(f"  {state}")
    out("")
    out(t("cli.config.in_effect"))
    lang, lang_from = cfg.lang, ""
    if getattr(args, "lang", None):
        lang, lang_from = args.lang, t("cli.config.from", source="--lang")
    elif os.environ.get("KAARTENBAK_LANG") in LANGUAGES:
        lang_from = t("cli.config.from", source="KAARTENBAK_LANG")
    out(f"  lang   = {lang}{lang_from}")
    out(f"  theme  = {cfg.theme}")
    if getattr(args, "repo", None):
        out(f"  repo   = {args.repo}{t('cli.config.from', source='--repo')}")
    elif cfg.repo:
        out(f"  repo   = {cfg.repo}")
    else:
        out(f"  repo   = {t('cli.config.repo_unset')}")
    if cfg.keymap:
        out("  keymap:")
        for binding, keys in cfg.keymap.items():
            out(f"    {binding} = {keys}")
    else:
        out(f"  keymap = {t('cli.config.default_keys')}")
    if cfg.problems:
        out("")
        out(t("cli.config.problems", count=len(cfg.problems)))
        for problem in cfg.problems:
            out(f"  - {problem}")
