"""The merge driver and ``init`` with real git: two clones of a bare remote edit one card
(RELIABILITY 34, 35); init makes repositories the app can use and is safe to repeat."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.conftest import DRIVER_PROGRAM, GOLDEN, ROOT, clone_with_driver, git, make_repo, seed_remote
from tui.cli import main
from tui.core.cards.card import Card
from tui.core.git.init_repo import ATTRIBUTE_LINES, init_repo
from tui.core.cards.parse import BOM, load_file
from tui.core.cards.validate import validate_data
from tui.core.workspace import Workspace

PROGRAM = DRIVER_PROGRAM
CARD = Path("cards") / "wbw" / "wbw-t1-1.1.toml"


@pytest.fixture
def clones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two clones (a, b) of a bare remote seeded with real cards, both set up by ``init``."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # git starts the driver as `python -m tui` in the clone
    remote = seed_remote(tmp_path)
    out = []
    for name in ("a", "b"):
        report = clone_with_driver(remote, tmp_path / name)
        assert not report.created and all(("git config" in ln or "info/attributes" in ln) for ln in report.done)
        out.append(tmp_path / name)
    return out[0], out[1]


def _edit(clone: Path, **changes: object) -> None:
    """Save changed fields through the store (as the app does) and commit."""
    ws = Workspace(clone)
    card = load_file(clone / CARD)
    assert isinstance(card, Card)
    data = card.to_dict()
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    ws.store.save(card, data)
    git(clone, "commit", "-q", "-am", f"wijzig {', '.join(changes)}")


def _push(clone: Path) -> None:
    git(clone, "push", "-q", "origin", "main")


def _pull(clone: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "pull", "-q", "--no-rebase", "--no-edit", "origin", "main"], cwd=clone, capture_output=True, text=True
    )


def _changed_lines(clone: Path, a: str, b: str) -> list[str]:
    diff = git(clone, "diff", "--no-textconv", "-U0", a, b, "--", str(CARD))
    return [ln for ln in diff.splitlines() if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]


def _data(clone: Path) -> dict:
    return tomllib.loads((clone / CARD).read_text(encoding="utf-8"))


def test_adjacent_fields_edited_in_two_clones_merge_cleanly(clones: tuple[Path, Path]) -> None:
    a, b = clones
    _edit(a, number="1.1a")  # `number` and `title` are adjacent lines: a text merge would conflict
    _push(a)
    _edit(b, title="Welzijn op Recept (herzien)")
    pulled = _pull(b)
    assert pulled.returncode == 0, pulled.stderr
    data = _data(b)
    assert data["number"] == "1.1a" and data["title"] == "Welzijn op Recept (herzien)"
    assert len(git(b, "rev-list", "--parents", "-n1", "HEAD").split()) == 3  # a real merge commit
    base = git(b, "merge-base", "HEAD^1", "HEAD^2").strip()
    assert _changed_lines(b, "HEAD^1", "HEAD") == _changed_lines(b, base, "HEAD^2")  # only a's field
    assert _changed_lines(b, "HEAD^2", "HEAD") == _changed_lines(b, base, "HEAD^1")  # only b's field
    assert _changed_lines(b, "HEAD^2", "HEAD") == [
        '-title = "Welzijn op Recept"',
        '+title = "Welzijn op Recept (herzien)"',
    ]


def test_without_the_driver_the_same_edits_conflict(clones: tuple[Path, Path]) -> None:
    """Control for the test above: a clone that never ran init (no driver config) merges by text."""
    a, b = clones
    git(b, "config", "--remove-section", "merge.kaartenbak")
    _edit(a, number="1.1a")
    _push(a)
    _edit(b, title="Welzijn op Recept (herzien)")
    pulled = _pull(b)
    assert pulled.returncode != 0
    assert "<<<<<<<" in (b / CARD).read_text(encoding="utf-8")


def test_same_field_edited_in_two_clones_is_a_recorded_conflict(clones: tuple[Path, Path]) -> None:
    a, b = clones
    _edit(a, doelstelling="Doel volgens A\nmet twee regels", notes="notitie van A")
    _push(a)
    _edit(b, doelstelling="Doel volgens B", aanpak="Aanpak van B")
    pulled = _pull(b)
    assert pulled.returncode != 0
    assert "Doelstelling" in pulled.stderr
    text = (b / CARD).read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and "[[conflict]]" in text
    data = tomllib.loads(text)
    assert data["doelstelling"] == "Doel volgens B"  # ours stays in the card
    assert data["notes"] == "notitie van A" and data["aanpak"] == "Aanpak van B"  # clean fields merged
    [entry] = data["conflict"]
    assert entry["field"] == "doelstelling" and entry["label"] == "Doelstelling"
    assert (entry["ours"], entry["theirs"]) == ("Doel volgens B", "Doel volgens A\nmet twee regels")
    assert entry["base"].startswith("Welzijn op Recept is ingericht")
    assert git(b, "status", "--porcelain", "--", str(CARD)).startswith("UU")
    ws = Workspace(b)
    errors = [p.message for p in validate_data(data, ws.schema, ws.vocab) if p.is_error]
    assert errors == ["heeft onopgeloste conflicten; kies per veld in het conflictscherm"]


def test_list_additions_on_both_sides_are_both_kept(clones: tuple[Path, Path]) -> None:
    a, b = clones
    orgs = _data(a)["betrokken_organisaties"]
    _edit(a, betrokken_organisaties=[*orgs, "Organisatie van A"])
    _push(a)
    _edit(b, betrokken_organisaties=[*orgs, "Organisatie van B"])
    pulled = _pull(b)
    assert pulled.returncode == 0, pulled.stderr
    assert _data(b)["betrokken_organisaties"] == [*orgs, "Organisatie van B", "Organisatie van A"]


def test_removal_on_one_side_is_honoured(clones: tuple[Path, Path]) -> None:
    a, b = clones
    orgs = _data(a)["betrokken_organisaties"]
    _edit(a, betrokken_organisaties=orgs[1:])
    _push(a)
    _edit(b, betrokken_organisaties=[*orgs, "Nieuw"], related=None)
    pulled = _pull(b)
    assert pulled.returncode == 0, pulled.stderr
    data = _data(b)
    assert data["betrokken_organisaties"] == [*orgs[1:], "Nieuw"] and "related" not in data


def test_milestone_edits_merge_per_item(clones: tuple[Path, Path]) -> None:
    a, b = clones
    ms = _data(a)["mijlpalen"]
    _edit(a, mijlpalen=[*ms, {"periode": "2029", "omschrijving": "van A"}])
    _push(a)
    changed = [dict(m) for m in ms]
    changed[0]["omschrijving"] = "van B"
    _edit(b, mijlpalen=changed)
    pulled = _pull(b)
    assert pulled.returncode == 0, pulled.stderr
    assert _data(b)["mijlpalen"] == [*changed, {"periode": "2029", "omschrijving": "van A"}]


def test_unparseable_side_falls_back_to_text_merge(clones: tuple[Path, Path]) -> None:
    a, b = clones
    path = a / CARD
    path.write_text(path.read_text(encoding="utf-8").replace('level = "project"', 'level = "project'), encoding="utf-8")
    git(a, "commit", "-q", "-am", "kapot")
    _push(a)
    _edit(b, notes="notitie van B")  # far from the broken line, so the text merge is clean
    pulled = _pull(b)
    assert "kan niet per veld samenvoegen (hun versie: regel" in pulled.stderr
    assert "git's gewone tekstmerge gebruikt" in pulled.stderr
    assert pulled.returncode == 0
    text = (b / CARD).read_text(encoding="utf-8")
    assert 'level = "project\n' in text and 'notes = "notitie van B"' in text


def _driver(tmp_path: Path, base: bytes, ours: bytes, theirs: bytes) -> tuple[int, bytes]:
    files = []
    for name, raw in (("O", base), ("A", ours), ("B", theirs)):
        (tmp_path / name).write_bytes(raw)
        files.append(str(tmp_path / name))
    code = main(["merge-driver", *files, str(CARD)])
    return code, (tmp_path / "A").read_bytes()


def test_driver_writes_a_sides_own_bytes_when_the_result_is_that_side(tmp_path: Path) -> None:
    base = (GOLDEN / CARD).read_bytes()
    ours = base.replace(b'level = "project"', b'level = "project"  # ongewijzigd, met commentaar')
    theirs = base.replace(b'title = "Welzijn op Recept"', b'title = "Nieuw"')
    assert _driver(tmp_path, base, ours, base) == (0, ours)
    assert _driver(tmp_path, base, ours, theirs) == (0, theirs)


def test_driver_keeps_bom_and_crlf_of_ours(tmp_path: Path) -> None:
    base = (GOLDEN / CARD).read_bytes()
    ours = BOM + base.replace(b"\n", b"\r\n").replace(b'number = "1.1"', b'number = "1.2"')
    theirs = base.replace(b'title = "Welzijn op Recept"', b'title = "Nieuw"')
    code, out = _driver(tmp_path, base, ours, theirs)
    assert code == 0 and out.startswith(BOM) and b"\n" not in out.replace(b"\r\n", b"")
    data = tomllib.loads(out[len(BOM) :].decode("utf-8"))
    assert (data["number"], data["title"]) == ("1.2", "Nieuw")
    assert out.count(b"\r\n") == ours.count(b"\r\n")


def test_driver_handles_cards_added_on_both_sides(tmp_path: Path) -> None:
    card = (GOLDEN / CARD).read_bytes()
    code, out = _driver(tmp_path, b"", card, card.replace(b'number = "1.1"', b'number = "9"'))
    assert code == 1 and tomllib.loads(out.decode("utf-8"))["conflict"][0]["field"] == "number"


def test_init_is_idempotent(clones: tuple[Path, Path]) -> None:
    a, _ = clones
    attrs = (a / ".git" / "info" / "attributes").read_text(encoding="utf-8")
    config = (a / ".git" / "config").read_text(encoding="utf-8")
    assert init_repo(a, program=PROGRAM, textconv=False).done == []
    assert (a / ".git" / "info" / "attributes").read_text(encoding="utf-8") == attrs
    assert (a / ".git" / "config").read_text(encoding="utf-8") == config
    for line in ATTRIBUTE_LINES:
        assert attrs.splitlines().count(line) == 1
    assert git(a, "config", "merge.kaartenbak.driver").strip() == f"{PROGRAM} merge-driver %O %A %B %P"
    assert git(a, "check-attr", "merge", "--", str(CARD)).strip().endswith("merge: kaartenbak")
    report = init_repo(a, program=PROGRAM, textconv=True)
    assert report.done == [f"git config diff.kaartenbak.textconv = {PROGRAM} textconv"]
    assert git(a, "status", "--porcelain") == ""


def test_init_leaves_a_repositorys_own_line_ending_exceptions_alone(clones: tuple[Path, Path]) -> None:
    a, _ = clones
    (a / ".gitattributes").write_text("*.toml text eol=lf\nfixtures/crlf.toml -text\n", encoding="utf-8")
    init_repo(a, program=PROGRAM, textconv=False)
    assert git(a, "check-attr", "text", "--", "fixtures/crlf.toml").strip().endswith("text: unset")
    assert git(a, "check-attr", "eol", "--", str(CARD)).strip().endswith("eol: lf")


def test_init_new_path_makes_a_repository_the_app_can_use(tmp_path: Path) -> None:
    git(tmp_path, "config", "--global", "user.name", "Test Gebruiker")
    git(tmp_path, "config", "--global", "user.email", "test@example.org")
    target = tmp_path / "nieuw" / "kaartenbak"
    report = init_repo(target, program=PROGRAM)
    assert report.created and report.committed and report.hint == ""
    assert git(target, "branch", "--show-current").strip() == "main"
    assert git(target, "status", "--porcelain") == ""
    assert sorted(p.name for p in (target / "schema" / "regions").iterdir()) == ["example.toml"]
    assert "kaartenbak" in (target / "README.md").read_text(encoding="utf-8")
    ws = Workspace(target)
    loaded = ws.store.load_all()
    assert (len(loaded.cards), len(loaded.errors)) == (0, 0)
    card = {"id": "VB/1", "kind": "project", "region": "VB", "theme": "Voorbeeldthema", "title": "Eerste project"}
    created = ws.store.create(card)
    assert created.path == target / "cards" / "vb" / "vb-1.toml"
    assert [c.id for c in Workspace(target).store.load_all().cards] == ["VB/1"]
    assert not [p for p in validate_data(created.data, ws.schema, ws.vocab) if p.is_error]
    assert git(target, "check-attr", "merge", "--", "cards/vb/vb-1.toml").strip().endswith("merge: kaartenbak")


def test_init_without_identity_makes_no_commit_and_says_how(tmp_path: Path) -> None:
    report = init_repo(tmp_path / "k", program=PROGRAM, with_regions=True)
    assert not report.committed and "git config --global user.name" in report.hint
    assert subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=tmp_path / "k").returncode != 0
    assert {"wbw.toml", "nml.toml"} <= {p.name for p in (tmp_path / "k" / "schema" / "regions").iterdir()}


def test_init_refuses_a_non_empty_folder_that_is_no_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "documenten"
    folder.mkdir()
    (folder / "brief.txt").write_text("niet weggooien", encoding="utf-8")
    assert main(["init", str(folder)]) == 2
    assert "geen git-repository en niet leeg" in capsys.readouterr().err
    assert [p.name for p in folder.iterdir()] == ["brief.txt"]


def test_init_command_in_an_existing_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "repo", cards=["nml-b01.1"])
    assert main(["init", str(repo)]) == 0
    shown = capsys.readouterr().out
    assert str(repo) in shown and "merge.kaartenbak.driver" in shown
    assert (
        git(repo, "config", "merge.kaartenbak.driver").strip().endswith("-m tui merge-driver %O %A %B %P")
        or "kaartenbak merge-driver" in shown
    )
    assert ATTRIBUTE_LINES[0] in (repo / ".git" / "info" / "attributes").read_text(encoding="utf-8")
    assert git(repo, "status", "--porcelain") == ""
    assert main(["init", str(repo)]) == 0
    assert "niets veranderd" in capsys.readouterr().out
