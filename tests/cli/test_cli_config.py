"""``kaartenbak config``: where the settings are, what is in effect, what is wrong; ``--init``."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tui.cli import main
from tui.cli.config import EXAMPLE
from tui.core.config import load_config


@pytest.fixture
def cfg_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "instellingen" / "config.toml"
    monkeypatch.setenv("KAARTENBAK_CONFIG", str(path))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def setting(output: str, name: str) -> str:
    m = re.search(rf"^  {name}\s+= (.*)$", output, re.M)
    assert m, output
    return m.group(1)


def test_without_a_file_the_defaults_are_shown(cfg_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, stderr = run(capsys, "config")
    assert code == 0 and stderr == ""
    assert str(cfg_path) in stdout
    assert "KAARTENBAK_CONFIG" in stdout
    assert "bestaat niet" in stdout
    assert setting(stdout, "lang") == "nl"
    assert setting(stdout, "theme") == "textual-dark"
    assert setting(stdout, "repo").startswith("(niet ingesteld")
    assert setting(stdout, "keymap") == "(standaardtoetsen)"
    assert "Problemen" not in stdout
    assert not cfg_path.exists()


def test_a_valid_file_is_shown_as_in_effect(cfg_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cfg_path.parent.mkdir()
    text = f'lang = "en"\ntheme = "nord"\nrepo = "{tmp_path.as_posix()}"\n\n[keymap]\neditor-save = "ctrl+s"\n'
    cfg_path.write_text(text, encoding="utf-8")
    code, stdout, _ = run(capsys, "config")
    assert code == 0
    assert re.search(r"^  exists$", stdout, re.M)  # lang = "en" in the file: the CLI speaks English
    assert setting(stdout, "lang") == "en"
    assert setting(stdout, "theme") == "nord"
    assert setting(stdout, "repo") == tmp_path.as_posix()
    assert "    editor-save = ctrl+s" in stdout
    assert "Problems" not in stdout


def test_env_and_option_override_the_file_and_say_so(
    cfg_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg_path.parent.mkdir()
    cfg_path.write_text('lang = "nl"\n', encoding="utf-8")
    monkeypatch.setenv("KAARTENBAK_LANG", "en")
    assert setting(run(capsys, "config")[1], "lang") == "en (from KAARTENBAK_LANG)"
    assert setting(run(capsys, "--lang", "nl", "config")[1], "lang") == "nl (uit --lang)"


def test_an_invalid_file_is_explained_and_defaults_are_used(cfg_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg_path.parent.mkdir()
    cfg_path.write_text('lang = "fr"\ntheme = 3\nkleur = "blauw"\n[keymap]\nsave = 1\n', encoding="utf-8")
    code, stdout, _ = run(capsys, "config")
    assert code == 0
    assert setting(stdout, "lang") == "nl"
    assert setting(stdout, "theme") == "textual-dark"
    assert setting(stdout, "keymap") == "(standaardtoetsen)"
    problems = stdout.split("Problemen", 1)[1]
    assert "lang = 'fr' onbekend" in problems
    assert "theme moet een naam zijn" in problems
    assert "onbekende instelling 'kleur'" in problems
    assert "[keymap]" in problems


def test_a_file_that_is_not_toml_is_explained(cfg_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg_path.parent.mkdir()
    cfg_path.write_text('lang = "en\n', encoding="utf-8")
    code, stdout, _ = run(capsys, "config")
    assert code == 0
    assert setting(stdout, "lang") == "nl"
    assert "geen geldige TOML" in stdout
    assert "standaardinstellingen gebruikt" in stdout


def test_init_writes_a_commented_example_that_changes_nothing(
    cfg_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, _ = run(capsys, "config", "--init")
    assert code == 0
    assert str(cfg_path) in stdout
    text = cfg_path.read_text(encoding="utf-8")
    assert text == EXAMPLE
    assert tomllib.loads(text) == {}  # everything commented out: the defaults stay in effect
    cfg = load_config()
    assert cfg.exists and not cfg.problems and cfg.lang == "nl"
    code, stdout, _ = run(capsys, "config")
    assert re.search(r"^  bestaat$", stdout, re.M)


def test_every_example_line_is_a_valid_setting_when_uncommented(cfg_path: Path) -> None:
    assert main(["config", "--init"]) == 0
    uncommented = re.sub(r"^# (\[?[a-z-]+\]?( = .*)?)$", r"\1", cfg_path.read_text(encoding="utf-8"), flags=re.M)
    raw = tomllib.loads(uncommented)
    assert set(raw) == {"lang", "theme", "repo", "keymap"}
    cfg_path.write_text(uncommented, encoding="utf-8")
    cfg = load_config()
    assert cfg.problems == []
    assert cfg.lang == "en" and cfg.theme == "textual-light" and cfg.keymap


def test_init_never_overwrites_an_existing_file(cfg_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg_path.parent.mkdir()
    cfg_path.write_text('lang = "en"\n', encoding="utf-8")
    code, _stdout, stderr = run(capsys, "config", "--init")
    assert code == 1
    assert "not overwritten" in stderr  # the file says lang = "en"
    assert cfg_path.read_text(encoding="utf-8") == 'lang = "en"\n'


def test_config_is_listed_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "config" in capsys.readouterr().out
