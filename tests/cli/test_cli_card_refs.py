"""Every CLI command that takes a card accepts the same spellings: id (any case), path relative to the
repository, to the current folder or absolute, file name and file stem (tui.core.cards.lookup)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import git, make_repo

from tui.cli import main
from tui.core.cards.lookup import CardNotFound, find_card, resolve_card
from tui.core.workspace import Workspace

REL = "cards/wbw/wbw-t1-1.1.toml"
OLD_GOAL, NEW_GOAL = "Welzijn op Recept is ingericht", "Welzijn op Recept is overal ingericht"


@pytest.fixture
def history_repo(tmp_path: Path) -> Path:
    """A repository where WBW/T1/1.1 has two versions and an uncommitted change (for diff)."""
    repo = make_repo(tmp_path / "repo", cards=["wbw-t1-1.1", "wbw-t1-gp1", "nml-b01.1"])
    card = repo / REL
    card.write_text(card.read_text(encoding="utf-8").replace(OLD_GOAL, NEW_GOAL, 1), encoding="utf-8")
    git(repo, "commit", "-qam", "Doelstelling aangescherpt")
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace('title = "Welzijn op Recept"', 'title = "Welzijn op Recept XL"', 1), encoding="utf-8")
    return repo


def spellings(repo: Path) -> dict[str, tuple[str, Path | None]]:
    """Each way to name the card -> (reference, folder to run in; None = elsewhere, with --repo)."""
    return {
        "id": ("WBW/T1/1.1", None),
        "id, other case": ("wbw/t1/1.1", None),
        "path from the repository": (REL, None),
        "path from the current folder": ("wbw/wbw-t1-1.1.toml", repo / "cards"),
        "absolute path": (str(repo / REL), None),
        "file name": ("wbw-t1-1.1.toml", None),
        "stem": ("wbw-t1-1.1", None),
    }


SPELLINGS = list(spellings(Path("/x")))


def run_in(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    repo: Path,
    where: Path | None,
    *args: str,
) -> tuple[int, str, str]:
    monkeypatch.chdir(where or repo.parent)  # elsewhere: outside the repository, which --repo names
    code = main(["--repo", str(repo), *args])
    got = capsys.readouterr()
    return code, got.out, got.err


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_show_log_diff_blame_textconv_accept_every_spelling(
    history_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    ref, where = spellings(history_repo)[spelling]

    code, out, err = run_in(capsys, monkeypatch, history_repo, where, "show", ref)
    assert code == 0, err
    assert "Welzijn op Recept XL" in out and "overal ingericht" in out

    code, out, err = run_in(capsys, monkeypatch, history_repo, where, "log", ref)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2 and lines[0].endswith("Doelstelling aangescherpt") and lines[1].endswith("Eerste kaarten")

    code, out, err = run_in(capsys, monkeypatch, history_repo, where, "diff", "--color=never", ref)
    assert code == 0, err
    assert out.startswith("== Welzijn op Recept XL — " + REL) and "~ Titel:" in out

    code, out, err = run_in(capsys, monkeypatch, history_repo, where, "blame", ref)
    assert code == 0, err
    assert any(line.startswith("Doelstelling") and "Doelstelling aangescherpt" in line for line in out.splitlines())

    code, out, err = run_in(capsys, monkeypatch, history_repo, where, "textconv", ref)
    assert code == 0, err
    assert "Titel: Welzijn op Recept XL" in out


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_validate_and_fmt_accept_every_spelling(
    history_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    ref, where = spellings(history_repo)[spelling]
    code, out, err = run_in(capsys, monkeypatch, history_repo, where, "validate", ref)
    assert code == 0, err
    assert out.splitlines()[-1].startswith("1 kaart gecontroleerd")
    assert "wbw-t1-1.1.toml" in out

    code, out, err = run_in(capsys, monkeypatch, history_repo, where, "fmt", "--check", ref)
    assert code == 0, err
    assert out.splitlines()[-1] == "1 kaart, 0 anders."


def test_diff_of_a_revision_and_a_card_by_file_name(
    history_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = git(history_repo, "rev-list", "--max-parents=0", "HEAD").strip()
    code, out, err = run_in(capsys, monkeypatch, history_repo, None, "diff", f"{first}..HEAD", "wbw-t1-1.1.toml")
    assert code == 0, err
    assert "~ Doelstelling:" in out and "Titel" not in out  # the title change is not committed


def test_log_of_a_deleted_card_by_path_relative_to_the_current_folder(
    history_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    git(history_repo, "rm", "-qf", REL)
    git(history_repo, "commit", "-qm", "weg")
    code, out, err = run_in(capsys, monkeypatch, history_repo, history_repo / "cards", "log", "wbw/wbw-t1-1.1.toml")
    assert code == 0, err
    assert [line.rsplit("  ", 1)[-1] for line in out.splitlines()] == [
        "weg",
        "Doelstelling aangescherpt",
        "Eerste kaarten",
    ]


def test_an_ambiguous_name_lists_the_candidates(
    history_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for region in ("wbw", "nml"):
        (history_repo / "cards" / region / "dubbel.toml").write_text(
            f'id = "{region.upper()}/D"\nkind = "project"\ntitle = "Dubbel"\n', encoding="utf-8"
        )
    for command in ("show", "log", "validate"):
        code, out, err = run_in(capsys, monkeypatch, history_repo, None, command, "dubbel")
        assert code == 2 and out == "" and "Traceback" not in err
        assert "meer dan één kaart" in err
        assert "cards/nml/dubbel.toml (NML/D)" in err and "cards/wbw/dubbel.toml (WBW/D)" in err
    code, out, err = run_in(capsys, monkeypatch, history_repo, None, "show", "nml/d")  # the id is not ambiguous
    assert code == 0 and "Dubbel" in out


@pytest.mark.parametrize("command", ["show", "log", "blame", "diff", "validate", "fmt"])
def test_an_unknown_card_suggests_near_ones(
    history_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    code, _, err = run_in(capsys, monkeypatch, history_repo, None, command, "wbw-t1-1.2")
    assert code == 2 and "Traceback" not in err
    assert "geen kaart met id, bestandsnaam of pad 'wbw-t1-1.2'" in err
    assert "Bedoel je: WBW/T1/1.1" in err


def test_an_unknown_card_in_english(
    history_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run_in(capsys, monkeypatch, history_repo, None, "--lang", "en", "show", "WBW/T1/GP9")
    assert code == 2
    assert "no card with id, file name or path 'WBW/T1/GP9'" in err and "Did you mean: WBW/T1/GP1" in err


def test_the_resolver_itself(history_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(history_repo.parent)
    store = Workspace(history_repo).store
    assert resolve_card(store, "nml/b01.1").id == "NML/B01.1"
    assert resolve_card(store, "Welzijn op recept xl").id == "WBW/T1/1.1"  # an exact title, as a last resort
    with pytest.raises(CardNotFound) as raised:
        resolve_card(store, "geen-idee")
    assert raised.value.code == "lookup.not_found" and raised.value.suggestions == ()
    gone = find_card(store, "cards/wbw/weg.toml", missing_ok=True)
    assert gone.card is None and gone.path == history_repo / "cards/wbw/weg.toml"
    with pytest.raises(CardNotFound):
        find_card(store, "cards/wbw/weg.toml")


def test_an_unreadable_named_file_says_why(
    history_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (history_repo / "cards/wbw/kapot.toml").write_text('id = "WBW/K"\ntitle = \n', encoding="utf-8")
    code, out, err = run_in(capsys, monkeypatch, history_repo, None, "show", "cards/wbw/kapot.toml")
    assert code == 2 and out == "" and "kan de kaart 'cards/wbw/kapot.toml' niet openen" in err


def test_conflicts_resolve_takes_the_same_spellings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import ROOT, seed_remote
    from tests.core.test_sync import clone, edit
    from tui.core.sync.sync import sync

    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    remote = seed_remote(tmp_path)
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    edit(a, REL, doelstelling="Doel volgens A", aanpak="Aanpak volgens A")
    assert sync(a).ok
    edit(b, REL, doelstelling="Doel volgens B", aanpak="Aanpak volgens B")
    assert sync(b).conflicts == (REL,)
    code, out, err = run_in(
        capsys, monkeypatch, b, b / "cards", "conflicts", "resolve", "wbw/wbw-t1-1.1.toml", "aanpak", "--mine"
    )
    assert code == 0, err
    assert "nog open in deze kaart: doelstelling" in out
    code, out, err = run_in(
        capsys, monkeypatch, b, None, "conflicts", "resolve", "WBW-T1-1.1", "doelstelling", "--theirs"
    )
    assert code == 0, err
    assert "klaar voor de samenvoeging" in out
