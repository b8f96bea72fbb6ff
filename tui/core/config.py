"""The user's Kaartenbak configuration: one TOML file in the platform's config folder.

``KAARTENBAK_CONFIG`` points at another file. Invalid settings are reported and replaced by
defaults; the app never refuses to start because of its config.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .language import LANGUAGES, phrase

THEMES = ("textual-dark", "textual-light", "nord", "gruvbox", "tokyo-night", "solarized-light")


@dataclass(frozen=True)
class ConfigProblem:
    """Something wrong in the config file: a code (``config.<code>`` in ``tui/locale``) and parameters."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return phrase(f"config.{self.code}", dict(self.params))


def _problem(code: str, **params: object) -> ConfigProblem:
    return ConfigProblem(code, tuple((k, str(v)) for k, v in params.items()))


@dataclass
class Config:
    """Settings in effect, plus what was wrong with the file (shown to the user)."""

    path: Path
    lang: str = "nl"
    theme: str = "textual-dark"
    repo: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[ConfigProblem | str] = field(default_factory=list)
    exists: bool = False


def config_path() -> Path:
    """The config file: ``$KAARTENBAK_CONFIG`` or ``<user config dir>/kaartenbak/config.toml``."""
    env = os.environ.get("KAARTENBAK_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("kaartenbak")) / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """Read the config; every problem becomes a message and the default is used instead."""
    path = path or config_path()
    cfg = Config(path=path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        cfg.exists = True
    except FileNotFoundError:
        raw = {}
    except (OSError, UnicodeDecodeError) as exc:
        cfg.problems.append(_problem("unreadable", path=path, error=exc))
        raw = {}
    except tomllib.TOMLDecodeError as exc:
        cfg.problems.append(_problem("not_toml", path=path, error=exc))
        raw = {}
    lang = raw.get("lang", cfg.lang)
    if lang in LANGUAGES:
        cfg.lang = lang
    else:
        cfg.problems.append(_problem("bad_lang", path=path, value=repr(lang), choices=", ".join(LANGUAGES)))
    theme = raw.get("theme", cfg.theme)
    if isinstance(theme, str) and theme:
        cfg.theme = theme
    else:
        cfg.problems.append(_problem("bad_theme_type", path=path))
    repo = raw.get("repo")
    if repo is not None:
        if isinstance(repo, str):
            cfg.repo = repo
        else:
            cfg.problems.append(_problem("bad_repo", path=path))
    keymap = raw.get("keymap", {})
    if isinstance(keymap, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in keymap.items()):
        cfg.keymap = dict(keymap)
    else:
        cfg.problems.append(_problem("bad_keymap", path=path))
    for key in raw:
        if key not in ("lang", "theme", "repo", "keymap"):
            cfg.problems.append(_problem("unknown_setting", path=path, key=key))
    env_lang = os.environ.get("KAARTENBAK_LANG")
    if env_lang in LANGUAGES:
        cfg.lang = env_lang
    return cfg
