"""With ``--lang en`` the CLI's own words are English throughout; card content stays as written.

The cards here are written in English, so any Dutch in the output is the program's. The same
commands in Dutch must show the listed words (so the list can catch Dutch at all).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import git, make_repo

from tui.cli import main

ALPHA = """\
id = "WBW/T1/A"
kind = "project"
region = "WBW"
theme = "Kwetsbare ouderen nu en in de toekomst"
title = "Alpha care route"
doelstelling = "Every patient gets a care plan."
related = ["WBW/T1/B", "WBW/T1/Z"]
"""
BETA = """\
id = "WBW/T1/B"
kind = "good_practice"
region = "WBW"
theme = "Kwetsbare ouderen nu en in de toekomst"
title = "Beta neighbourhood team"
related = ["WBW/T1/A"]
"""
# Words only Dutch output of the program has (whole words, any case); none occurs in the cards above,
# and "kaartenbak" (the program's name) is no match for "kaarten".
DUTCH = frozenset(
    [
        "kaart",
        "kaarten",
        "geen",
        "wijziging",
        "wijzigingen",
        "versie",
        "versies",
        "niet",
        "nog",
        "gewijzigd",
        "verschillen",
        "tak",
        "fout",
        "fouten",
        "waarschuwing",
        "waarschuwingen",
        "gecontroleerd",
        "ontbreekt",
        "nieuwe",
        "verwijderd",
        "gemaakt",
        "geschreven",
        "bestaat",
        "standaard",
        "bedoel",
        "verwante",
        "titel",
        "doelstelling",
        "instellingen",
        "gebruik",
        "opties",
    ]
)


@pytest.fixture
def english_repo(tmp_path: Path) -> Path:
    """A repository of two English cards; Alpha has two versions and an uncommitted change."""
    repo = make_repo(tmp_path / "box", cards=[], commit=False)
    git(repo, "config", "user.name", "Pat Example")
    (repo / "cards/wbw").mkdir(parents=True)
    (repo / "cards/wbw/alpha.toml").write_text(ALPHA, encoding="utf-8")
    (repo / "cards/wbw/beta.toml").write_text(BETA, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "First cards")
    alpha = repo / "cards/wbw/alpha.toml"
    alpha.write_text(ALPHA.replace("a care plan", "a shared care plan"), encoding="utf-8")
    git(repo, "commit", "-qam", "Sharper goal")
    alpha.write_text(ALPHA.replace("Alpha care route", "Alpha care path"), encoding="utf-8")
    return repo


def commands(repo: Path, spare: Path) -> dict[str, list[str]]:
    return {
        "log": ["log", "alpha"],
        "diff": ["diff", "--color=never"],
        "diff of revisions": ["diff", "HEAD~1..HEAD", "WBW/T1/A"],
        "status": ["status"],
        "show": ["show", "alpha.toml"],
        "blame": ["blame", "WBW/T1/A"],
        "stats": ["stats"],
        "validate": ["validate"],
        "validate one file": ["validate", "cards/wbw/alpha.toml"],
        "fmt": ["fmt", "--check"],
        "search": ["search", "care"],
        "export": ["export", "--format", "md", "-q"],
        "unknown card": ["show", "alpha-x"],
        "bad revision": ["diff", "nope..HEAD"],
        "init": ["init", str(spare)],
        "config": ["config"],
        "remote": ["remote"],
    }


def run_all(repo: Path, lang: str, capsys: pytest.CaptureFixture[str], spare: Path) -> dict[str, str]:
    shown: dict[str, str] = {}
    for name, args in commands(repo, spare).items():
        main(["--repo", str(repo), "--lang", lang, *args])
        got = capsys.readouterr()
        shown[name] = got.out + got.err
    return shown


def dutch_in(text: str) -> list[str]:
    """The Dutch words in ``text``; lines echoing a value written to .git/config (init) are not the CLI's words."""
    lines = [line for line in text.splitlines() if not line.strip().startswith("git config ")]
    return sorted({word for word in re.findall(r"[^\W\d_]+", "\n".join(lines).casefold()) if word in DUTCH})


def test_the_main_commands_say_nothing_in_dutch_with_lang_en(
    english_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(english_repo)
    shown = run_all(english_repo, "en", capsys, tmp_path / "spare-en")
    assert all(shown.values()), {name: text for name, text in shown.items() if not text}
    found = {name: dutch_in(text) for name, text in shown.items() if dutch_in(text)}
    assert found == {}, "\n\n".join(f"{name}: {words}\n{shown[name]}" for name, words in found.items())
    assert "2 cards checked: 0 errors" in shown["validate"]
    assert "'WBW/T1/Z'" in shown["validate one file"] and "'WBW/T1/B'" not in shown["validate one file"]
    assert "Branch: main" in shown["status"] and "modified" in shown["status"]
    assert "Did you mean" in shown["unknown card"]
    assert "New card box" in shown["init"]


def test_the_same_commands_in_dutch_show_the_words_the_list_looks_for(
    english_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(english_repo)
    shown = run_all(english_repo, "nl", capsys, tmp_path / "spare-nl")
    # log lines carry no sentence of their own; every other command shows Dutch words
    caught = {name for name, text in shown.items() if dutch_in(text)}
    assert caught == set(commands(english_repo, tmp_path)) - {"log"}


def test_why_a_file_cannot_be_opened_in_english_and_dutch(
    english_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = english_repo / "cards/wbw/broken.toml"
    broken.write_text('id = "WBW/T1/X"\ntitle = \n', encoding="utf-8")
    (english_repo / "cards/wbw/empty.toml").write_text("", encoding="utf-8")
    code = main(["--repo", str(english_repo), "--lang", "en", "validate"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"cannot open {broken}: line 2 column 9: invalid value (Invalid value)" in err
    assert "empty.toml: the file is empty" in err
    assert dutch_in(err) == []
    code = main(["--repo", str(english_repo), "validate"])
    err = capsys.readouterr().err
    assert f"kan {broken} niet openen: regel 2 kolom 9: ongeldige waarde (Invalid value)" in err
    assert "empty.toml niet openen: het bestand is leeg" in err


def test_the_example_settings_file_in_english_sets_the_same_keys(
    capsys: pytest.CaptureFixture[str], isolated_env: Path
) -> None:
    import tomllib

    from tui.core.config import config_path

    assert main(["--lang", "en", "config", "--init"]) == 0
    assert "Example settings written to" in capsys.readouterr().out
    text = config_path().read_text(encoding="utf-8")
    assert text.startswith("# Settings of Kaartenbak.") and dutch_in(text) == []
    assert tomllib.loads(text) == {}
    uncommented = re.sub(r"^# (\[?[a-z-]+\]?( = .*)?)$", r"\1", text, flags=re.M)
    assert set(tomllib.loads(uncommented)) == {"lang", "theme", "repo", "keymap"}
