"""``kaartenbak import`` on real repositories: the Excel round trip, a fresh plan, and every bad input."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import SHIPPED_CARDS, git, make_repo
from tui.cli import main
from tui.core.git.init_repo import init_repo

THEME_WBW = "Kwetsbare ouderen nu en in de toekomst"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    got = capsys.readouterr()
    return code, got.out, got.err


def _set_cells(path: Path, edits: dict[tuple[str, str], object]) -> None:
    """Change cells by (card id, header) with openpyxl and save the workbook, as Excel would."""
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws is not None
    header = [c.value for c in ws[1]]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for (card_id, label), value in edits.items():
        ws.cell(rows[card_id], header.index(label) + 1).value = value
    wb.save(path)


def _numstat(repo: Path) -> list[tuple[int, int, str]]:
    out = []
    for line in git(repo, "diff", "--numstat").splitlines():
        added, removed, path = line.split("\t")
        out.append((int(added), int(removed), path))
    return sorted(out, key=lambda t: t[2])


def test_export_edit_in_excel_import_touches_only_the_three_edited_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "regio", source=SHIPPED_CARDS)
    xlsx = tmp_path / "wbw.xlsx"
    code, _out, err = run(capsys, "--repo", str(repo), "export", "regio:WBW", "-o", str(xlsx))
    assert code == 0, err
    code, out, err = run(capsys, "--repo", str(repo), "import", str(xlsx), "--dry-run")
    assert code == 0, out + err
    assert "0 nieuw, 0 gewijzigd" in out
    _set_cells(
        xlsx,
        {
            ("WBW/T1/1.1", "Titel"): "Welzijn op Recept voor iedereen",
            ("WBW/T1/1.2", "Programma"): "Een ander programma",
            ("WBW/T1/1.3", "Nummer"): "1.3a",
        },
    )
    code, out, err = run(capsys, "--repo", str(repo), "import", str(xlsx), "--allow-warnings")
    assert code == 0, out + err
    assert "0 nieuw, 3 gewijzigd" in out
    numstat = _numstat(repo)
    assert sum(a for a, _r, _p in numstat) == 3 and sum(r for _a, r, _p in numstat) == 3, numstat
    assert len(numstat) == 3
    assert "git commit -m" in out  # the proposed commit
    # importing the same workbook again changes nothing more
    code, out, _err = run(capsys, "--repo", str(repo), "import", str(xlsx))
    assert code == 0 and "0 nieuw, 0 gewijzigd" in out and "Niets te schrijven" in out


def _fresh_plan(path: Path, n: int = 20) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Regio", "Thema", "Nummer", "Titel", "Probleemstelling", "Betrokken organisaties", "Niveau"])
    for i in range(1, n + 1):
        ws.append(
            [
                "WBW",
                THEME_WBW,
                f"9.{i}",
                f"Project nummer {i}",
                f"Het probleem van project {i}.\nTweede regel.",
                "GGD West-Brabant\nMEE West Brabant",
                "project",
            ]
        )
    wb.save(path)


def test_a_fresh_spreadsheet_of_twenty_projects_into_a_new_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "nieuw"
    init_repo(root, with_regions=True)
    xlsx = tmp_path / "plan.xlsx"
    _fresh_plan(xlsx)
    code, out, err = run(capsys, "--repo", str(root), "import", str(xlsx), "--kind", "project", "--dry-run")
    assert "20 nieuw" in out, out + err
    assert not list((root / "cards").rglob("*.toml")), "a dry run writes nothing"
    code, out, err = run(capsys, "--repo", str(root), "import", str(xlsx), "--kind", "project", "--allow-warnings")
    assert code == 0, out + err
    files = sorted((root / "cards" / "wbw").glob("*.toml"))
    assert len(files) == 20
    assert (root / "cards" / "wbw" / "wbw-project-nummer-1.toml").is_file()
    code, out, err = run(capsys, "--repo", str(root), "validate")
    assert code == 0, out + err  # no errors (warnings for empty template fields are allowed)


def _drop_region_column(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws is not None
    ws.delete_cols(1)
    wb.save(path)


def test_a_plan_without_a_region_column_goes_to_the_repositorys_only_region(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    for region in (root / "schema" / "regions").glob("*.toml"):
        if region.stem != "wbw":
            region.unlink()
    xlsx = tmp_path / "plan.xlsx"
    _fresh_plan(xlsx, 3)
    _drop_region_column(xlsx)
    code, out, err = run(capsys, "--repo", str(root), "import", str(xlsx), "--kind", "project", "--allow-warnings")
    assert code == 0, out + err
    assert (root / "cards" / "wbw" / "wbw-project-nummer-1.toml").is_file()
    assert 'region = "WBW"' in (root / "cards" / "wbw" / "wbw-project-nummer-1.toml").read_text(encoding="utf-8")


def test_a_plan_without_a_region_column_among_several_regions_asks_for_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    xlsx = tmp_path / "plan.xlsx"
    _fresh_plan(xlsx, 3)
    _drop_region_column(xlsx)
    code, out, err = run(capsys, "--repo", str(root), "import", str(xlsx), "--kind", "project", "--dry-run")
    assert code == 1
    assert "geen kolom Regio; geef de regio met --region" in out + err
    assert "Kaart-id" not in out + err, "one error for the missing region, not one bad id per row"
    code, out, err = run(
        capsys, "--repo", str(root), "import", str(xlsx), "--kind", "project", "--region", "wbw", "--dry-run"
    )
    assert "3 nieuw" in out and "0 fouten" in out, out + err
    code, out, err = run(capsys, "--repo", str(root), "import", str(xlsx), "--kind", "project", "--region", "XYZ")
    assert code == 2 and "onbekende regio 'XYZ'" in out + err
    assert "Traceback" not in out + err


def test_commit_makes_one_commit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    xlsx = tmp_path / "plan.xlsx"
    _fresh_plan(xlsx, 3)
    before = git(repo, "rev-list", "--count", "HEAD").strip()
    code, out, err = run(
        capsys, "--repo", str(repo), "import", str(xlsx), "--kind", "project", "--allow-warnings", "--commit"
    )
    assert code == 0, out + err
    assert int(git(repo, "rev-list", "--count", "HEAD")) == int(before) + 1
    assert git(repo, "status", "--porcelain") == ""
    assert "Import uit plan.xlsx: 3 nieuwe kaarten" in git(repo, "log", "-1", "--format=%B")


def test_write_map_then_import_with_the_edited_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    xlsx = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Regio", "Thema", "Naam van het project"])
    ws.append(["WBW", THEME_WBW, "Met koppeling"])
    wb.save(xlsx)
    mapfile = tmp_path / "map.toml"
    code, out, err = run(
        capsys, "--repo", str(repo), "import", str(xlsx), "--kind", "project", "--write-map", str(mapfile)
    )
    assert code == 0 and mapfile.is_file(), out + err
    code, out, err = run(capsys, "--repo", str(repo), "import", str(xlsx), "--kind", "project", "--dry-run")
    assert code == 2 and "geen kolom voor id, titel of nummer" in err  # the title has no column yet
    text = mapfile.read_text(encoding="utf-8").replace(
        '"Naam van het project" = ""', '"Naam van het project" = "title"'
    )
    mapfile.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "--repo", str(repo), "import", str(xlsx), "--map", str(mapfile), "--allow-warnings")
    assert code == 0, out + err
    assert (repo / "cards" / "wbw" / "wbw-met-koppeling.toml").is_file()


@pytest.mark.parametrize(
    ("name", "content", "extra", "words"),
    [
        ("weg.xlsx", None, [], "bestaat niet"),
        ("plaatje.png", b"\x89PNG\r\n\x1a\n", [], "geen spreadsheet"),
        ("nep.xlsx", b"dit is tekst", [], "geen spreadsheet"),
        ("leeg.csv", b"\xef\xbb\xbf", [], "leeg"),
        ("goed.csv", b"Titel;Regio\r\nIets;WBW\r\n", ["--kind", "geen-soort"], "onbekende soort"),
        ("map.csv", b"Titel;Regio\r\nIets;WBW\r\n", [], "--kind"),
    ],
)
def test_unusable_input_is_a_clear_message_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | None,
    extra: list[str],
    words: str,
) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(capsys, "--repo", str(repo), "import", str(path), *extra)
    assert code == 2, out + err
    assert words in err and "Traceback" not in err


def test_duplicate_ids_and_an_unmapped_required_field_block_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    path = tmp_path / "dubbel.csv"
    path.write_bytes("Kaart-id;Titel;Regio\r\nWBW/X1;Een;WBW\r\nWBW/X1;Twee;WBW\r\n".encode("utf-8-sig"))
    code, out, err = run(capsys, "--repo", str(repo), "import", str(path), "--kind", "project", "--allow-warnings")
    assert code == 1
    assert "rij 3, kolom A (Kaart-id): fout: id WBW/X1 staat ook al in rij 2" in out
    assert "blad: fout: verplicht veld Thema (theme) heeft geen kolom" in out
    assert "niets geschreven" in err
    assert git(repo, "status", "--porcelain") == ""


def test_control_characters_in_a_cell_never_reach_the_terminal_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    path = tmp_path / "stuur.csv"
    hostile = "Titel \x1b[31mrood\x1b[0m \x07"
    path.write_bytes(f"Regio;Thema;Titel;Niveau\r\nWBW;{THEME_WBW};{hostile};onzin\x1b]0;x\x07\r\n".encode())
    code, out, err = run(capsys, "--repo", str(repo), "import", str(path), "--kind", "project", "--dry-run")
    assert code == 1
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "<U+001B>" in out


def test_the_report_speaks_english_in_english_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    path = tmp_path / "een.csv"
    path.write_bytes(f"Region;Theme;Title;Level\r\nWBW;{THEME_WBW};Iets nieuws;onzin\r\n".encode("utf-8-sig"))
    try:
        code, out, err = run(capsys, "--lang", "en", "--repo", str(repo), "import", str(path), "--kind", "project")
    finally:
        main(["--lang", "nl", "config"])  # back to Dutch for the other tests
        capsys.readouterr()
    assert code == 1, out + err
    assert "Title -> title" in out and "1 new, 0 changed, 0 unchanged; 1 error," in out
    assert "row 2, column D (Level): error: " in out
    assert "Nothing was written" in err


def test_xlsx_export_goes_to_a_file_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1", "nml-b01.1"])
    code, _out, err = run(capsys, "--repo", str(repo), "export", "--format", "xlsx")
    assert code == 2 and "-o" in err
    target = tmp_path / "kaarten.xlsx"
    code, _out, err = run(capsys, "--repo", str(repo), "export", "-o", str(target))  # format from the suffix
    assert code == 0, err
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    assert [c.value for c in sheet[1]][:2] == ["Kaart-id", "Soort kaart"]
    assert sorted(sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)) == ["NML/B01.1", "WBW/T1/1.1"]
