"""``kaartenbak bulk`` on a real repository: the preview, --dry-run writes nothing, --commit makes one
commit touching one line per card, and every bad input is a message with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import git, make_repo
from tui.cli import main

CARDS = ["wbw-t1-1.1", "wbw-t1-1.4", "wbw-t3-p1", "wbw-t3-p2", "wbw-t1-gp1"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", cards=CARDS)


def run(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--repo", str(root), "bulk", *args])
    got = capsys.readouterr()
    return code, got.out, got.err


def test_dry_run_prints_the_preview_and_writes_nothing(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, root, "append", "betrokken_organisaties", "Gemeente Venlo", "soort:project", "--dry-run"
    )
    assert code == 0, err
    assert "WBW/T3/P1  Meer inzetten op collectieve preventie" in out
    assert out.count("+ Gemeente Venlo") == 4
    assert "4 kaarten worden gewijzigd, 0 overgeslagen." in out
    assert "Proefdraai" in out
    assert git(root, "status", "--porcelain") == ""


def test_write_and_commit_touches_one_line_per_card(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, root, "append", "betrokken_organisaties", "Gemeente Venlo", "thema:mentale", "--commit"
    )
    assert code == 0, err
    assert "2 kaarten geschreven." in out
    subject = git(root, "log", "-1", "--format=%s").strip()
    assert subject == 'Bulk: betrokken_organisaties + "Gemeente Venlo" op 2 kaarten (thema:mentale)'
    stats = git(root, "show", "--numstat", "--format=", "HEAD").split()
    assert stats == ["1", "0", "cards/wbw/wbw-t3-p1.toml", "1", "0", "cards/wbw/wbw-t3-p2.toml"]
    assert git(root, "status", "--porcelain") == ""


def test_without_commit_the_cards_are_written_and_the_commit_is_shown(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, root, "set", "level", "programme", "soort:project", "-m", "Alles programma")
    assert code == 0
    assert "git commit -m 'Alles programma'" in out
    assert "overgeslagen" in out  # the programmes already were
    changed = git(root, "diff", "--numstat").split()
    assert changed == ["1", "1", "cards/wbw/wbw-t1-1.1.toml", "1", "1", "cards/wbw/wbw-t1-1.4.toml"]


def test_skipped_cards_are_listed_with_their_reasons(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, root, "set", "level", "portefeuille", "welzijn", "--dry-run")
    assert code == 1  # nothing would change
    assert "Overgeslagen" in out
    assert "'portefeuille' mag niet; kies uit: project, programme" in out
    assert "het veld hoort niet bij kaarten van soort good_practice" in out


def test_replace_changes_the_text(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, _ = run(capsys, root, "replace", "title", "Recept", "recept", "welzijn", "soort:project")
    assert code == 0
    assert "Welzijn op recept" in (root / "cards/wbw/wbw-t1-1.1.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "organisatie", "x", "soort:project"), "onbekend veld 'organisatie'"),
        (("set", "level", "programme", "themaa:3"), "onbekend filter themaa:3"),
        (("set", "level", "programme", "zzzqqqxxx"), "de zoekvraag vindt geen kaarten"),
        (("append", "betrokken_organisaties", " ", "soort:project"), "geef een waarde"),
        (("set", "id", "x", "soort:project"), "kan niet in bulk"),
    ],
)
def test_bad_input_is_a_clear_message_and_exit_2(
    root: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, root, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err + out
    assert git(root, "status", "--porcelain") == ""


def test_no_operation_shows_the_help(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, root)
    assert code == 2
    assert "append" in out and "replace" in out


def test_english_words(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--lang", "en", "--repo", str(root), "bulk", "set", "level", "nope", "soort:project", "--dry-run"])
    out = capsys.readouterr().out
    assert code == 1
    assert "'nope' is not allowed; choose from: project, programme" in out
    assert "0 cards will change, 6 skipped." not in out and "cards will change" in out


@pytest.mark.parametrize(("answer", "written"), [("n", False), ("", False), ("j", True)])
def test_in_a_terminal_bulk_asks_before_writing(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, answer: str, written: bool
) -> None:
    asked: list[str] = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or answer)
    code, out, _ = run(capsys, root, "append", "betrokken_organisaties", "Gemeente Venlo", "thema:mentale")
    assert asked == ["2 kaarten wijzigen? [j/N] "]
    assert (git(root, "status", "--porcelain") != "") is written
    assert ("Niets geschreven." in out) is not written and code == (0 if written else 1)


def test_yes_writes_without_asking(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("asked despite --yes"))
    code, out, _ = run(capsys, root, "append", "betrokken_organisaties", "Gemeente Venlo", "thema:mentale", "-y")
    assert code == 0 and "2 kaarten geschreven." in out
