"""``kaartenbak views`` / ``view add|remove`` / ``minutes`` on real repositories, bad input included."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import git, make_repo
from tui.cli import main

GEZOND = ["nml-b01.1", "nml-e1.1", "nml-h2", "wbw-t1-1.1", "wbw-t1-1.4"]
B01 = "cards/nml/nml-b01.1.toml"
DECISIONS = """
[[besluiten]]
datum = "2099-12-02"
vergadering = "Stuurgroep december"
besluit = "Aanpak <b>goedgekeurd</b>; tijdslijn aanvullen."
actiehouder = "Gemeente Venlo"
deadline = "2100-01-15"

[[besluiten]]
datum = "2001-01-01"
vergadering = "Lang geleden"
besluit = "Een oud besluit"
"""


def run(repo: Path, *argv: str) -> int:
    return main(["--repo", str(repo), *argv])


@pytest.fixture
def met(tmp_path: Path) -> Path:
    """A repository with a view, a snapshot, then a committed title change and two decisions on one card."""
    repo = make_repo(tmp_path / "repo", cards=GEZOND)
    assert run(repo, "view", "add", "Gezond vooruit", 'thema:"Gezond vooruit"', "--sort", "number") == 0
    git(repo, "add", "views.toml")
    git(repo, "commit", "-qm", "agenda")
    assert run(repo, "snapshot", "Stuurgroep december 2026") == 0
    path = repo / B01
    text = path.read_text(encoding="utf-8").replace(
        'title = "Mentale gezondheidsnetwerken"', 'title = "Mentale gezondheidsnetwerken 2.0"', 1
    )
    path.write_text(text + DECISIONS, encoding="utf-8")
    git(repo, "commit", "-qam", "besluiten")
    return repo


def test_views_add_list_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "repo", cards=GEZOND)
    assert run(repo, "views") == 0
    assert "Nog geen agenda's" in capsys.readouterr().out
    assert run(repo, "view", "add", "Gezond", "thema:Gezond", "vooruit") == 0
    assert "3 kaarten" in capsys.readouterr().out
    assert run(repo, "view", "add", "Ouderen", "regio:wbw", "--description", "Alleen WBW") == 0
    assert "2 kaarten" in capsys.readouterr().out
    assert run(repo, "views") == 0
    listed = capsys.readouterr().out
    assert "Gezond" in listed and "(3 kaarten)" in listed and "Alleen WBW" in listed and "regio:wbw" in listed
    assert run(repo, "view", "remove", "ouderen") == 0
    assert "Ouderen" in capsys.readouterr().out
    assert "Ouderen" not in (repo / "views.toml").read_text(encoding="utf-8")


def test_view_bad_input_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "repo", cards=GEZOND)
    assert run(repo, "view", "add", "Gezond", "regio:nml") == 0
    capsys.readouterr()
    assert run(repo, "view", "add", "GEZOND", "x") == 2
    err = capsys.readouterr().err
    assert "al een agenda 'Gezond'" in err and "Traceback" not in err
    assert run(repo, "view", "add", "GEZOND", "regio:wbw", "--replace") == 0
    capsys.readouterr()
    assert run(repo, "view", "add", " ", "x") == 2
    assert "Geef de agenda een naam" in capsys.readouterr().err
    assert run(repo, "view", "remove", "nope") == 2
    assert "Geen agenda 'nope'. Bekende agenda's: GEZOND." in capsys.readouterr().err
    assert run(repo, "view", "add", "Filters", "onzin:1") == 0  # unknown filters: said, the rest kept
    assert "onbekend filter" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        run(repo, "view", "add", "X", "y", "--sort", "score")
    assert caught.value.code == 2
    (repo / "views.toml").write_text('[[view]]\nname = "kapot\n', encoding="utf-8")
    for argv in (["views"], ["minutes", "x"], ["view", "add", "a", "b"], ["view", "remove", "a"]):
        assert run(repo, *argv) == 2
        err = capsys.readouterr().err
        assert "geen geldige TOML (regel 2, kolom" in err and "Traceback" not in err
    assert run(repo, "--lang", "en", "views") == 2
    assert "is not valid TOML (line 2, column" in capsys.readouterr().err


def test_minutes_text_since_the_snapshot(met: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(met, "minutes", "gezond vooruit") == 0
    out = capsys.readouterr().out
    assert out.startswith("Notulen: Gezond vooruit\n")
    assert "Sinds Stuurgroep december 2026 (" in out
    assert "3 kaarten op de agenda, 1 besluit, 1 met gewijzigde velden." in out
    order = [out.index(i) for i in ("1. NML/B01.1", "2. NML/E1.1", "3. NML/H2")]
    assert order == sorted(order)
    assert "Aanpak <b>goedgekeurd</b>; tijdslijn aanvullen. (actiehouder: Gemeente Venlo; deadline: 2100-01-15)" in out
    assert "Een oud besluit" not in out  # dated before the snapshot
    assert "+ Mentale gezondheidsnetwerken 2.0" in out and "Geen velden veranderd." in out
    assert "besluiten:" not in out  # the decisions are not repeated as a field change


def test_minutes_html_and_md_to_files(met: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "notulen.html"
    assert run(met, "minutes", "Gezond vooruit", "-o", str(target)) == 0
    assert "Notulen geschreven naar" in capsys.readouterr().err
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    assert "Aanpak &lt;b&gt;goedgekeurd&lt;/b&gt;" in page and "<b>goedgekeurd" not in page
    assert "<ins>" in page and "2.0" in page and page.count('<article class="agenda">') == 3
    assert run(met, "minutes", "Gezond vooruit", "--format", "md") == 0
    md = capsys.readouterr().out
    assert md.startswith("# Notulen: Gezond vooruit") and "**Besluiten**" in md


def test_minutes_since_a_date_and_without_snapshot(
    met: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(met, "minutes", "Gezond vooruit", "--since", "2000-01-01") == 2  # no commit before that day
    assert "vóór 2000-01-01" in capsys.readouterr().err
    assert run(met, "minutes", "Gezond vooruit", "--since", "nope") == 2
    assert "Beginpunt 'nope' bestaat niet" in capsys.readouterr().err
    assert run(met, "minutes", "Onbekend") == 2
    assert "Geen agenda 'Onbekend'. Bekende agenda's: Gezond vooruit." in capsys.readouterr().err
    fresh = make_repo(tmp_path / "fresh", cards=GEZOND)
    (fresh / B01).write_text((fresh / B01).read_text(encoding="utf-8") + DECISIONS, encoding="utf-8")
    assert run(fresh, "view", "add", "G", 'thema:"Gezond vooruit"') == 0
    capsys.readouterr()
    assert run(fresh, "minutes", "g") == 0
    captured = capsys.readouterr()
    assert "nog geen snapshot" in captured.err
    assert "Er is nog geen snapshot: alle besluiten, geen veldwijzigingen." in captured.out
    assert "Een oud besluit" in captured.out and "Wijzigingen" not in captured.out
    assert run(fresh, "minutes", "g", "-o", str(fresh / "cards" / "x.html")) == 2
    assert "cards/" in capsys.readouterr().err


def test_minutes_in_english(met: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(met, "--lang", "en", "minutes", "Gezond vooruit") == 0
    out = capsys.readouterr().out
    assert out.startswith("Minutes: Gezond vooruit") and "1 decision" in out and "No fields changed." in out


def test_a_view_changed_on_both_sides_is_left_to_git_and_then_explained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import DRIVER_PROGRAM
    from tui.core.git.init_repo import init_repo

    repo = make_repo(tmp_path / "repo", cards=GEZOND)
    init_repo(repo, program=DRIVER_PROGRAM, textconv=False)
    assert run(repo, "view", "add", "A", "regio:nml") == 0
    git(repo, "add", "views.toml")
    git(repo, "commit", "-qm", "agenda")
    git(repo, "checkout", "-qb", "ander")
    assert run(repo, "view", "add", "A", "regio:wbw", "--replace") == 0
    git(repo, "commit", "-qam", "ander")
    git(repo, "checkout", "-q", "main")
    assert run(repo, "view", "add", "A", "thema:x", "--replace") == 0
    git(repo, "commit", "-qam", "mij")
    capsys.readouterr()
    merged = subprocess.run(["git", "-C", str(repo), "merge", "--no-edit", "ander"], capture_output=True, text=True)
    assert merged.returncode != 0 and "views.toml" in merged.stdout + merged.stderr
    assert run(repo, "views") == 2
    err = capsys.readouterr().err
    assert "conflictmarkeringen" in err and "regel" in err and "Traceback" not in err


def test_minutes_say_a_status_change_as_a_transition(
    met: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = met / "cards/nml/nml-e1.1.toml"
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title = "))
    path.write_text(text.replace(title, f'{title}\nstatus = "ter_bespreking"', 1), encoding="utf-8")
    git(met, "commit", "-qam", "ter bespreking")
    assert run(met, "minutes", "Gezond vooruit") == 0
    out = capsys.readouterr().out
    assert "Status: (geen status) → ter_bespreking" in out
    assert "3 kaarten op de agenda, 1 besluit, 2 met gewijzigde velden." in out
    target = tmp_path / "notulen.html"
    assert run(met, "minutes", "Gezond vooruit", "-o", str(target)) == 0
    assert '<p class="transition">Status: (geen status) → ter_bespreking</p>' in target.read_text(encoding="utf-8")
