"""Saving cards: byte-identical when unchanged, one-field diffs, faithful layout (RELIABILITY 11, 13-15)."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.conftest import git, make_repo
from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.workspace import Workspace


def _load(path: Path) -> Card:
    card = load_file(path)
    assert isinstance(card, Card), card
    return card


def _numstat(repo: Path) -> list[tuple[int, int, str]]:
    rows = git(repo, "diff", "--numstat").splitlines()
    return [(int(a), int(d), p) for a, d, p in (r.split("\t") for r in rows)]


def test_unedited_save_is_byte_identical_and_no_diff(repo: Path) -> None:
    ws = Workspace(repo)
    for path in ws.store.discover():
        before = path.read_bytes()
        saved = ws.store.save(_load(path), dict(_load(path).data))
        assert path.read_bytes() == before
        assert saved.blob == _load(path).blob
    assert git(repo, "status", "--porcelain") == ""


def test_one_field_edit_changes_only_that_fields_lines(repo: Path) -> None:
    ws = Workspace(repo)
    path = repo / "cards" / "wbw" / "wbw-t1-1.1.toml"
    card = _load(path)
    data = card.to_dict()
    lines = data["doelstelling"].split("\n")
    lines[0] = lines[0] + " Aangepast in de werkgroep."
    data["doelstelling"] = "\n".join(lines)
    ws.store.save(card, data)
    assert _numstat(repo) == [(1, 1, "cards/wbw/wbw-t1-1.1.toml")]
    diff = git(repo, "diff", "-U0")
    assert "+" + lines[0] in diff
    assert tomllib.loads(path.read_text(encoding="utf-8")) == data


def test_adding_an_organisation_is_one_added_line(repo: Path) -> None:
    ws = Workspace(repo)
    path = repo / "cards" / "wbw" / "wbw-t1-1.1.toml"
    card = _load(path)
    data = card.to_dict()
    data["betrokken_organisaties"] = [*data["betrokken_organisaties"], "GGD West-Brabant"]
    ws.store.save(card, data)
    assert _numstat(repo) == [(1, 0, "cards/wbw/wbw-t1-1.1.toml")]
    assert '+  "GGD West-Brabant",' in git(repo, "diff", "-U0")


def test_edit_inside_a_table_keeps_comments_and_other_fields(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=[])
    path = repo / "cards" / "wbw" / "x.toml"
    path.parent.mkdir(parents=True)
    text = (
        "# Kaart met commentaar dat moet blijven\n"
        'id = "WBW/X"  # vaste sleutel\n'
        'kind = "project"\n'
        'region = "WBW"\n'
        'theme = "Mentale gezondheid"\n'
        'title = "Proef"\n'
        'doelstelling = """\nRegel een\n\nRegel twee"""\n'
        "\n"
        "[randvoorwaarden]\n"
        "# over geld\n"
        'bekostiging = "oud"\n'
        'overig = """\nblijft\nstaan"""\n'
    )
    path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "x")
    ws = Workspace(repo)
    card = _load(path)
    data = card.to_dict()
    data["randvoorwaarden"]["bekostiging"] = "nieuw\nbedrag"
    ws.store.save(card, data)
    new_text = path.read_text(encoding="utf-8")
    assert "# Kaart met commentaar dat moet blijven" in new_text
    assert "# vaste sleutel" in new_text and "# over geld" in new_text
    assert 'overig = """\nblijft\nstaan"""' in new_text
    assert 'bekostiging = """\nnieuw\nbedrag"""' in new_text
    assert _numstat(repo) == [(3, 1, "cards/wbw/x.toml")]


def test_new_key_lands_in_schema_order(repo: Path) -> None:
    ws = Workspace(repo)
    path = repo / "cards" / "nml" / "nml-b01.1.toml"
    card = _load(path)
    data = card.to_dict()
    assert "alt_titles" not in data
    data["alt_titles"] = ["Andere naam"]
    ws.store.save(card, data)
    keys = list(tomllib.loads(path.read_text(encoding="utf-8")))
    assert keys.index("alt_titles") == keys.index("title") + 1
    assert _numstat(repo)[0][:2] == (1, 0)


def test_new_card_is_canonical_and_readable(repo: Path) -> None:
    ws = Workspace(repo)
    data = {
        "id": "WBW/T9/9.9",
        "kind": "project",
        "region": "WBW",
        "theme": "Mentale gezondheid",
        "title": "Nieuw project",
        "doelstelling": "Eerste regel\nTweede regel",
        "betrokken_organisaties": ["A", "B"],
        "randvoorwaarden": {"bekostiging": "x"},
        "source": {"document": "d"},
    }
    card = ws.store.create(data)
    text = card.path.read_text(encoding="utf-8")
    assert card.path.name == "wbw-t9-9.9.toml"
    assert text.startswith("#:schema ../../schema/json/project.schema.json\n")
    assert 'doelstelling = """\nEerste regel\nTweede regel"""' in text
    assert '[\n  "A",\n  "B",\n]' in text
    assert text.index("[randvoorwaarden]") < text.index("[source]")
    assert text.endswith('"\n') and not text.endswith("\n\n")
    assert dict(card.data) == data
    with pytest.raises(Exception, match="bestaat al"):
        ws.store.create(data, card.path)


def test_crlf_card_stays_crlf_without_whole_file_diff(repo: Path) -> None:
    ws = Workspace(repo)
    path = repo / "cards" / "wbw" / "wbw-t1-1.4.toml"
    crlf = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(crlf)
    card = _load(path)
    assert card.crlf
    data = card.to_dict()
    data["title"] = "Reablement (herzien)"
    ws.store.save(card, data)
    raw = path.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")
    changed = [line for line in raw.split(b"\r\n") if line not in crlf.split(b"\r\n")]
    assert changed == [b'title = "Reablement (herzien)"']


def test_bom_card_loads_and_keeps_its_bom(repo: Path) -> None:
    ws = Workspace(repo)
    path = repo / "cards" / "wbw" / "wbw-t1-1.4.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    card = _load(path)
    assert card.bom and card.id == "WBW/T1/1.4"
    data = card.to_dict()
    data["title"] = "Reablement!"
    ws.store.save(card, data)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert _load(path).title == "Reablement!"


def test_carriage_returns_in_values_read_back_as_typed(repo: Path) -> None:
    ws = Workspace(repo)
    path = repo / "cards" / "wbw" / "wbw-t1-1.4.toml"
    card = _load(path)
    data = card.to_dict()
    data["notes"] = "een\rtwee\r\ndrie"
    saved = ws.store.save(card, data)
    assert saved.data["notes"] == "een\rtwee\r\ndrie"
    again = ws.store.save(saved, saved.to_dict())
    assert again.blob == saved.blob


def test_save_refuses_when_file_changed_on_disk(repo: Path) -> None:
    from tui.core.cards.store import ChangedOnDisk

    ws = Workspace(repo)
    path = repo / "cards" / "wbw" / "wbw-t1-1.4.toml"
    card = _load(path)
    path.write_text(path.read_text(encoding="utf-8").replace("Reablement", "Reablement X", 1), encoding="utf-8")
    data = card.to_dict()
    data["notes"] = "mijn wijziging"
    with pytest.raises(ChangedOnDisk):
        ws.store.save(card, data)
    assert "Reablement X" in path.read_text(encoding="utf-8")


def test_touch_without_content_change_does_not_block_save(repo: Path) -> None:
    import os

    ws = Workspace(repo)
    path = repo / "cards" / "wbw" / "wbw-t1-1.4.toml"
    card = _load(path)
    os.utime(path, (1, 1))
    data = card.to_dict()
    data["notes"] = "na touch"
    assert ws.store.save(card, data).data["notes"] == "na touch"


def test_same_mtime_external_change_is_still_detected(repo: Path) -> None:
    import os

    from tui.core.cards.store import ChangedOnDisk

    ws = Workspace(repo)
    path = repo / "cards" / "wbw" / "wbw-t1-1.4.toml"
    card = _load(path)
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8") + "# extern\n", encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(ChangedOnDisk):
        ws.store.save(card, {**card.to_dict(), "notes": "x"})


def test_subprocess_reads_saved_card_with_tomllib(repo: Path) -> None:
    ws = Workspace(repo)
    path = repo / "cards" / "wbw" / "wbw-t1-1.1.toml"
    card = _load(path)
    ws.store.save(card, {**card.to_dict(), "notes": 'met """ en \\ en [/]'})
    out = subprocess.run(
        ["python", "-c", "import tomllib,sys;print(tomllib.load(open(sys.argv[1],'rb'))['notes'])", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == 'met """ en \\ en [/]'
