"""``validate`` of single files knows the rest of the repository; ``stats`` speaks in schema labels and
theme order; ``--version`` comes from the package metadata."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from tests.conftest import make_repo

from tui.cli import main

GP1 = "WBW/T1/GP1"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    got = capsys.readouterr()
    return code, got.out, got.err


def test_validate_of_one_file_finds_its_links_in_the_repository(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    card = repo / "cards/wbw/wbw-t1-1.1.toml"
    assert f'related = ["{GP1}"]' in card.read_text(encoding="utf-8")
    monkeypatch.chdir(repo)  # as a pre-commit hook runs it: one file, from the top of the repository
    code, out, _ = run(capsys, "validate", "cards/wbw/wbw-t1-1.1.toml")
    assert code == 0
    assert GP1 not in out and "bestaat niet" not in out
    assert out.splitlines()[-1] == "1 kaart gecontroleerd: 0 fouten, 1 waarschuwing."


def test_validate_of_one_file_still_warns_about_a_really_missing_card(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    card = repo / "cards/wbw/wbw-t1-1.1.toml"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace(f'related = ["{GP1}"]', f'related = ["{GP1}", "WBW/T9/9.9"]'), encoding="utf-8")
    monkeypatch.chdir(repo)
    code, out, _ = run(capsys, "validate", "cards/wbw/wbw-t1-1.1.toml")
    assert code == 0  # a dead link is a warning
    dead = [line for line in out.splitlines() if "bestaat niet" in line]
    assert len(dead) == 1 and "'WBW/T9/9.9'" in dead[0] and GP1 not in dead[0]
    code, out, _ = run(capsys, "--repo", str(repo), "validate", "-q", "wbw-t1-1.1")  # by stem; -q hides warnings
    assert code == 0 and "WBW/T9/9.9" not in out


def test_validate_of_a_loose_file_outside_any_repository_keeps_judging_its_links_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loose = tmp_path / "los" / "kaart.toml"
    loose.parent.mkdir()
    source = make_repo(tmp_path / "bron", cards=["wbw-t1-1.1"], commit=False) / "cards/wbw/wbw-t1-1.1.toml"
    loose.write_bytes(source.read_bytes())
    code, out, _ = run(capsys, "validate", str(loose))
    assert code == 0 and f"'{GP1}'" in out  # no repository around it: the link cannot be checked, so it is named


def stats_repo(tmp_path: Path) -> Path:
    return make_repo(
        tmp_path / "stats",
        cards=["wbw-t4-1c", "wbw-t4-p", "wbw-t3-p1", "wbw-t1-1.1", "wbw-t1-gp1", "nml-b22.1", "nml-b01.1"],
    )


def test_stats_uses_the_theme_order_of_the_schema_and_kind_labels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = stats_repo(tmp_path)
    code, out, _ = run(capsys, "--repo", str(repo), "stats")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "7 kaarten"
    after = lines[lines.index("WBW (West-Brabant West): 5 kaarten") + 1 :][:3]
    wbw = [line.strip().split("  ")[1] for line in after]
    assert wbw == ["Kwetsbare ouderen nu en in de toekomst", "Mentale gezondheid", "Kansrijk opgroeien"]  # not a-z
    assert "  (Good practice of initiatief (WBW) 1, Project of programma (WBW) 1)" in out
    assert "project 1" not in out and "good_practice" not in out and "initiative" not in out
    nml = lines.index("NML (Noord- en Midden-Limburg): 2 kaarten")
    assert nml < lines.index("WBW (West-Brabant West): 5 kaarten")  # regions in the order of schema/regions
    assert lines[nml + 1].endswith("Gezond vooruit  (Initiatief (NML) 1)")  # NML theme 1 first


def test_stats_in_english_and_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "een", cards=["wbw-t1-1.1"])
    code, out, _ = run(capsys, "--repo", str(repo), "--lang", "en", "stats")
    assert code == 0
    assert out.splitlines()[0] == "1 card"
    assert "WBW (West-Brabant West): 1 card" in out and "(Project or programme (WBW) 1)" in out
    code, out, _ = run(capsys, "--repo", str(stats_repo(tmp_path)), "--lang", "en", "stats")
    assert "FTE impact per theme" in out and "with a number" in out and "kaarten" not in out


def test_version_from_the_package_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out == f"kaartenbak {version('kaartenbak')}\n"
    result = subprocess.run(
        [sys.executable, "-m", "tui", "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0 and result.stdout.strip() == f"kaartenbak {version('kaartenbak')}"


@pytest.mark.parametrize(("lang", "words"), [("nl", "map bestaat niet"), ("en", "folder does not exist")])
def test_a_repo_that_does_not_exist_is_said_in_the_users_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    for command in (["stats"], ["validate", "x.toml"], ["show", "x"]):
        code, out, err = run(capsys, "--repo", str(tmp_path / "weg"), "--lang", lang, *command)
        assert code == 2 and out == "" and f"kaartenbak: {words}: {tmp_path / 'weg'}" in err
