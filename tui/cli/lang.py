"""The CLI in the user's language: which language, argparse's own words, and English help texts.

The help texts in the command modules are the Dutch source. In English mode ``translate_parser``
replaces each one with its English form from ``tui/locale/cli.en.toml``, keyed by command path
and option (``validate.description``, ``validate.quiet``, ``schema.export.dir``). In Dutch mode
``argparse_words`` gives argparse's own chrome ("usage:", "options:", "show this help message and
exit", its error messages) in Dutch; English mode keeps argparse's English.
"""

from __future__ import annotations

import argparse
import tomllib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from tui.core.config import load_config
from tui.core.language import LANGUAGES

from ..i18n import LOCALE_DIR

ARGPARSE_NL = {
    "usage: ": "gebruik: ",
    "options": "opties",
    "positional arguments": "argumenten",
    "show this help message and exit": "toon deze hulp en stop",
    "show program's version number and exit": "toon het versienummer en stop",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "the following arguments are required: %s": "deze argumenten zijn verplicht: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "expected one argument": "verwacht één argument",
    "expected at most one argument": "verwacht hoogstens één argument",
    "expected at least one argument": "verwacht minstens één argument",
    "ambiguous option: %(option)s could match %(matches)s": "dubbelzinnige optie: %(option)s kan %(matches)s zijn",
    "invalid %(type)s value: %(value)r": "ongeldige %(type)s-waarde: %(value)r",
    "not allowed with argument %s": "niet toegestaan samen met argument %s",
    "one of the arguments %s is required": "een van de argumenten %s is verplicht",
    "ignored explicit argument %r": "genegeerd expliciet argument %r",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
}
_NGETTEXT_NL = {
    ("expected %s argument", "expected %s arguments"): ("verwacht %s argument", "verwacht %s argumenten"),
}


def _dutch(message: str) -> str:
    return ARGPARSE_NL.get(message, message)


def _dutch_plural(singular: str, plural: str, n: int) -> str:
    one, many = _NGETTEXT_NL.get((singular, plural), (singular, plural))
    return one if n == 1 else many


@contextmanager
def argparse_words(lang: str) -> Iterator[None]:
    """While inside, argparse speaks ``lang`` (Dutch: our words; English: its own)."""
    if lang != "nl":
        yield
        return
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _dutch, _dutch_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def choose_language(argv: Sequence[str]) -> str:
    """``--lang`` from the command line, else ``KAARTENBAK_LANG``, else the config file, else Dutch."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang", choices=LANGUAGES)
    try:
        known, _ = pre.parse_known_args(list(argv))
    except SystemExit:  # a bad --lang value: the real parser says so
        known = argparse.Namespace(lang=None)
    if known.lang:
        return str(known.lang)
    return load_config().lang  # includes KAARTENBAK_LANG


@lru_cache(maxsize=1)
def english_help() -> dict[str, str]:
    """The English help texts by key (``cli.en.toml``, flattened)."""
    with (LOCALE_DIR / "cli.en.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        for k, v in node.items():
            key = f"{prefix}.{k}" if prefix else k
            if isinstance(v, dict):
                walk(key, v)
            else:
                flat[key] = str(v)

    walk("", raw)
    return flat


def help_texts(parser: argparse.ArgumentParser, prefix: str = "") -> Iterator[tuple[str, object, str]]:
    """Every (key, owner, attribute) holding a help text of ``parser`` and its subcommands."""
    root = prefix or "kaartenbak"
    for attr in ("description", "epilog"):
        if getattr(parser, attr):
            yield f"{root}.{attr}", parser, attr
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield f"{prefix + '.' if prefix else ''}{choice.dest}.help", choice, "help"
            for name, sub in action.choices.items():
                if sub.prog.split()[-1] == name:  # aliases share the parser: visit it once
                    yield from help_texts(sub, f"{prefix + '.' if prefix else ''}{name}")
        elif action.help and action.help != argparse.SUPPRESS and not isinstance(action, argparse._HelpAction):
            # options sharing a dest (--mine/--theirs) are told apart by their own flag
            shared = sum(1 for a in parser._actions if a.dest == action.dest) > 1 and action.option_strings
            name = action.option_strings[-1].lstrip("-").replace("-", "_") if shared else action.dest
            yield f"{root}.{name}", action, "help"


def translate_parser(parser: argparse.ArgumentParser, lang: str) -> list[str]:
    """Put the English help texts in place when ``lang`` is English; returns keys that have none."""
    if lang != "en":
        return []
    english, missing = english_help(), []
    _translate_metavars(parser, english)
    for key, owner, attr in help_texts(parser):
        if key in english:
            setattr(owner, attr, english[key])
        else:
            missing.append(key)
    return missing


def _translate_metavars(parser: argparse.ArgumentParser, english: dict[str, str]) -> None:
    for action in parser._actions:
        if isinstance(action.metavar, str):
            action.metavar = english.get(f"metavar.{action.metavar}", action.metavar)
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                if sub.prog.split()[-1] == name:
                    _translate_metavars(sub, english)
