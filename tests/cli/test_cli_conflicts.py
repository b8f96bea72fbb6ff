"""``kaartenbak conflicts`` and ``kaartenbak sync`` finishing a merge, on real clones of a bare remote."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT, git, seed_remote
from tests.core.test_sync import clone, edit
from tui.cli import main
from tui.core.sync.sync import sync

CARD = "cards/wbw/wbw-t1-1.1.toml"
CARD_ID = "WBW/T1/1.1"


def run(capsys: pytest.CaptureFixture[str], repo: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--repo", str(repo), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def data(repo: Path) -> dict:
    return tomllib.loads((repo / CARD).read_text(encoding="utf-8"))


@pytest.fixture
def conflicted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """(remote, a, b): the same two fields changed on both sides; b's sync stopped in the merge."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    remote = seed_remote(tmp_path)
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    edit(a, CARD, doelstelling="Doel volgens A", aanpak="Aanpak volgens A")
    assert sync(a).ok
    edit(b, CARD, doelstelling="Doel [bold]B[/] \x1b[31m", aanpak="Aanpak volgens B")
    assert sync(b).conflicts == (CARD,)
    return remote, a, b


def test_list_shows_each_field_both_sides_and_who(
    conflicted: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, b = conflicted
    code, out, _ = run(capsys, b, "conflicts")
    assert code == 1
    assert "Er is een samenvoeging bezig." in out and f"{CARD_ID}  (Welzijn op Recept)  {CARD}" in out
    assert "  veld doelstelling  (Doelstelling)" in out and "  veld aanpak  (Aanpak (op hoofdlijnen))" in out
    assert "    hun versie:  Doel volgens A" in out
    assert "    mijn versie: Doel [bold]B[/] <U+001B>[31m" in out and "\x1b" not in out  # literal, escape visible
    assert "gewijzigd door Gebruiker a" in out and "gewijzigd door Gebruiker b" in out
    assert "kaartenbak conflicts resolve KAART VELD" in out
    assert run(capsys, b, "conflicts", "list")[0] == 1


def test_resolve_each_way_then_sync_records_and_sends(
    conflicted: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    remote, a, b = conflicted
    code, out, _ = run(capsys, b, "conflicts", "resolve", CARD_ID, "Doelstelling", "--theirs")
    assert code == 0 and "nog open in deze kaart: aanpak" in out
    code, out, _ = run(capsys, b, "sync")  # still open: explained, nothing started
    assert code == 1 and "samenvoeging bezig" in out and f"{CARD} (aanpak)" in out
    code, out, _ = run(capsys, b, "conflicts", "resolve", "wbw-t1-1.1", "aanpak", "--value", "Aanpak van A en B")
    assert code == 0 and "klaar voor de samenvoeging" in out and "Alle conflicten zijn opgelost" in out
    assert run(capsys, b, "conflicts")[0] == 0
    code, out, err = run(capsys, b, "sync")
    assert code == 0 and err == "", err
    assert out.splitlines()[0].startswith("Samenvoeging vastgelegd (")
    assert len(git(b, "rev-list", "--parents", "-n1", "HEAD").split()) == 3
    assert git(remote, "rev-parse", "main") == git(b, "rev-parse", "HEAD")
    assert (data(b)["doelstelling"], data(b)["aanpak"]) == ("Doel volgens A", "Aanpak van A en B")
    assert run(capsys, a, "sync")[0] == 0 and data(a)["aanpak"] == "Aanpak van A en B"


def test_mine_and_commit(conflicted: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, _, b = conflicted
    assert run(capsys, b, "conflicts", "commit")[0] == 1  # not yet: fields open
    for name in ("doelstelling", "aanpak"):
        assert run(capsys, b, "conflicts", "resolve", CARD, name, "--mine")[0] == 0
    code, out, _ = run(capsys, b, "conflicts", "commit")
    assert code == 0 and "Samenvoeging vastgelegd" in out
    assert data(b)["aanpak"] == "Aanpak volgens B" and not (b / ".git" / "MERGE_HEAD").exists()
    code, _, err = run(capsys, b, "conflicts", "commit")
    assert code == 1 and "geen samenvoeging" in err


def test_unknown_card_or_field_is_explained(
    conflicted: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, b = conflicted
    code, _, err = run(capsys, b, "conflicts", "resolve", "NML/X", "aanpak", "--mine")
    assert code == 2 and "Geen kaart met conflicten" in err
    code, _, err = run(capsys, b, "conflicts", "resolve", CARD_ID, "titel", "--mine")
    assert code == 2 and "Open velden: doelstelling, aanpak" in err


def test_english(conflicted: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, _, b = conflicted
    code = main(["--repo", str(b), "--lang", "en", "conflicts"])
    out = capsys.readouterr().out
    assert code == 1 and "A merge is in progress." in out and "    theirs:      Doel volgens A" in out
    assert "Er is" not in out


def test_no_merge_no_conflicts(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    a = clone(seed_remote(tmp_path), tmp_path / "a")
    code, out, _ = run(capsys, a, "conflicts")
    assert code == 0 and "Er is geen samenvoeging bezig." in out and "geen conflicten" in out
