"""Saving respects the file system and says what went wrong in plain words (issue 12: items 4, 8, 9;
RELIABILITY 3, 4, 15, 41): read-only cards are refused, killed saves' temp files are cleaned up,
``nan``/``inf`` and mixed line endings survive a save, full and read-only disks are explained on save
and on commit."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import git, make_repo
from tui.core.cards import tomlfmt
from tui.core.cards.atomic import TEMP_SUFFIX, WriteError, clean_interrupted_writes, is_interrupted_write, write_atomic
from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.cards.store import CardStore
from tui.core.git.commit import CommitFailed, commit, commit_failure
from tui.core.git.gitrepo import GitError, GitRepo
from tui.core.workspace import Workspace
from tui.i18n import language, phrase_error, set_language

CARD_TEXT = (
    'id = "VB/1"\n'
    'kind = "project"\n'
    'region = "WBW"\n'
    'theme = "Kwetsbare ouderen nu en in de toekomst"\n'
    'title = "Eerste project"\n'
    "# een opmerking die blijft\n"
    'doelstelling = """\n'
    "Regel een\n"
    'regel twee"""\n'
)


def _load(path: Path) -> Card:
    card = load_file(path)
    assert isinstance(card, Card), card
    return card


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A committed repository with one hand-made card at cards/wbw/vb-1.toml."""
    root = make_repo(tmp_path / "repo", cards=[], commit=False)
    card = root / "cards" / "wbw" / "vb-1.toml"
    card.parent.mkdir(parents=True)
    card.write_bytes(CARD_TEXT.encode("utf-8"))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Eerste kaart")
    return root


# -- read-only cards (RELIABILITY 4, 41) ------------------------------------------------------


def test_save_refuses_a_card_whose_own_mode_is_read_only(small: Path) -> None:
    path = small / "cards" / "wbw" / "vb-1.toml"
    path.chmod(0o444)  # the folder stays writable: a rename over the file would succeed
    before = path.read_bytes()
    card = _load(path)
    ws = Workspace(small)
    with pytest.raises(WriteError) as caught:
        ws.store.save(card, {**card.to_dict(), "title": "Overschreven?"})
    err = caught.value
    assert err.read_only and err.code == "error.write.card_read_only" and err.path == path
    assert str(path) in str(err) and str(path) in phrase_error(err)
    assert path.read_bytes() == before and stat.S_IMODE(path.stat().st_mode) == 0o444
    assert not [p for p in path.parent.iterdir() if p.name.endswith(TEMP_SUFFIX)]
    assert ws.store.save(card, card.to_dict()) is not None  # nothing to write: no refusal


def test_write_atomic_refuses_a_file_without_write_bits(tmp_path: Path) -> None:
    target = tmp_path / "x.toml"
    target.write_bytes(b"a = 1\n")
    target.chmod(0o400)
    with pytest.raises(WriteError) as caught:
        write_atomic(target, b"a = 2\n")
    assert caught.value.code == "error.write.card_read_only"
    assert target.read_bytes() == b"a = 1\n"


# -- temp files of killed saves ---------------------------------------------------------------


def _age(path: Path, seconds: float = 3600) -> None:
    old = path.stat().st_mtime - seconds
    os.utime(path, (old, old))


def test_only_old_kaartenbak_temp_files_are_removed_when_a_workspace_opens(small: Path) -> None:
    folder = small / "cards" / "wbw"
    stale = folder / f".vb-1.toml.ab_3x9z1{TEMP_SUFFIX}"
    fresh = folder / f".vb-1.toml.k2j4m8q0{TEMP_SUFFIX}"  # a save running right now elsewhere
    deep = small / "cards" / "nml" / "sub" / f".x.toml.0a1b2c3d{TEMP_SUFFIX}"
    lookalikes = [
        folder / f".notes{TEMP_SUFFIX}",  # no random part: not ours
        folder / f"vb-1.toml.ab3x9z1q{TEMP_SUFFIX}",  # not hidden
        folder / ".vb-1.toml.swp",  # someone else's editor
        folder / f".vb-1.toml.ab3x9z1q{TEMP_SUFFIX}.bak",
    ]
    deep.parent.mkdir(parents=True)
    for p in [stale, fresh, deep, *lookalikes]:
        p.write_bytes(b"half a card")
    for p in [stale, deep, *lookalikes]:
        _age(p)
    Workspace.find(small)
    assert not stale.exists() and not deep.exists()
    assert fresh.exists() and all(p.exists() for p in lookalikes)
    assert (folder / "vb-1.toml").read_bytes() == CARD_TEXT.encode("utf-8")


def test_temp_name_pattern_matches_what_write_atomic_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    real_replace = os.replace

    def spy(src: str, dst: object) -> None:
        made.append(Path(src).name)
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", spy)
    write_atomic(tmp_path / "card.toml", b"a = 1\n")
    assert made and all(is_interrupted_write(n) for n in made)
    assert not is_interrupted_write("card.toml")
    assert clean_interrupted_writes(tmp_path / "missing") == []


# -- nan / inf (issue 12 item 8) ---------------------------------------------------------------


def test_a_card_with_nan_and_inf_opens_and_saves(small: Path) -> None:
    path = small / "cards" / "wbw" / "vb-1.toml"
    text = CARD_TEXT + "fte_a = nan\nfte_b = -inf\nreeks = [1.5, inf]\n"
    path.write_text(text, encoding="utf-8")
    store = Workspace(small).store
    card = _load(path)
    store.save(card, card.to_dict())  # unedited: no ValueError, nothing written
    assert path.read_text(encoding="utf-8") == text
    card = _load(path)
    saved = store.save(card, {**card.to_dict(), "title": "Nieuwe titel"})
    assert path.read_text(encoding="utf-8") == text.replace("Eerste project", "Nieuwe titel")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["fte_a"] != data["fte_a"] and data["fte_b"] == float("-inf") and saved.title == "Nieuwe titel"
    assert [tomlfmt.value(v) for v in (float("nan"), float("inf"), float("-inf"))] == ["nan", "inf", "-inf"]


def test_canonical_layout_writes_nan(tmp_path: Path, small: Path) -> None:
    store = Workspace(small).store
    data = {**tomllib.loads(CARD_TEXT), "id": "VB/2", "waarde": float("nan")}
    created = store.create(data, small / "cards" / "wbw" / "vb-2.toml")
    assert "waarde = nan" in created.path.read_text(encoding="utf-8")


# -- mixed line endings (RELIABILITY 15) ------------------------------------------------------


def test_mixed_line_endings_stay_as_they_were_after_a_one_field_edit(small: Path) -> None:
    path = small / "cards" / "wbw" / "vb-1.toml"
    lines = CARD_TEXT.split("\n")[:-1]
    crlf_rows = {0, 2, 5, 7}  # id, region, the comment and a line inside the \"\"\" text end in CRLF
    raw = "".join(line + ("\r\n" if i in crlf_rows else "\n") for i, line in enumerate(lines)).encode("utf-8")
    path.write_bytes(raw)
    card = _load(path)
    Workspace(small).store.save(card, {**card.to_dict(), "title": "Tweede titel"})
    after = path.read_bytes()
    old_lines, new_lines = raw.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old_lines) == len(new_lines)
    changed = [i for i, (o, n) in enumerate(zip(old_lines, new_lines, strict=True)) if o != n]
    assert changed == [4] and new_lines[4] == b'title = "Tweede titel"\n'


def test_all_crlf_card_stays_all_crlf(small: Path) -> None:
    path = small / "cards" / "wbw" / "vb-1.toml"
    path.write_bytes(CARD_TEXT.replace("\n", "\r\n").encode("utf-8"))
    card = _load(path)
    Workspace(small).store.save(card, {**card.to_dict(), "title": "Tweede titel"})
    after = path.read_bytes()
    assert after.count(b"\r\n") == after.count(b"\n") == CARD_TEXT.count("\n")


# -- full and read-only disks, on save and on commit (RELIABILITY 3, 4) -----------------------


@contextlib.contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root); the error mapping is tested below")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _fill(folder: Path) -> None:
    with contextlib.suppress(OSError), (folder / "ballast").open("wb") as fh:
        while True:
            fh.write(b"\0" * 65536)
            fh.flush()
            os.fsync(fh.fileno())


def _copy_repo(src: Path, dst: Path) -> Path:
    subprocess.run(["cp", "-a", f"{src}/.", str(dst)], check=True)
    return dst


def test_full_disk_on_save_and_on_commit_is_explained(small: Path, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "stick", "4m") as stick:
        root = _copy_repo(small, stick)
        path = root / "cards" / "wbw" / "vb-1.toml"
        # a change that is already on disk, waiting to be committed
        path.write_text(CARD_TEXT.replace("Eerste project", "Klaar om vast te leggen"), encoding="utf-8")
        before = path.read_bytes()
        _fill(stick)
        card = _load(path)
        with pytest.raises(WriteError) as saved:
            CardStore(root, Workspace(root).schema).save(card, {**card.to_dict(), "title": "X" * 20000})
        assert saved.value.disk_full and saved.value.code == "error.write.disk_full"
        assert path.read_bytes() == before
        with GitRepo.open(root) as repo, pytest.raises(CommitFailed) as committed:
            commit(repo, [path], "Titel aangepast")
        assert committed.value.code == "error.commit.disk_full" and committed.value.disk_full
        assert "Schijf vol" in str(committed.value) and "No space" not in str(committed.value)
        assert "Disk full" in _in_english(committed.value)


def test_read_only_repository_on_save_and_on_commit_is_explained(small: Path, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "usb", "16m") as usb:
        root = _copy_repo(small, usb)
        path = root / "cards" / "wbw" / "vb-1.toml"
        path.write_text(CARD_TEXT.replace("Eerste project", "Klaar om vast te leggen"), encoding="utf-8")
        card = _load(path)
        subprocess.run(["mount", "-o", "remount,ro", str(usb)], check=True)
        with pytest.raises(WriteError) as saved:
            Workspace(root).store.save(card, {**card.to_dict(), "title": "Anders"})
        assert (
            saved.value.read_only
            and saved.value.code == "error.write.read_only"
            and str(path) in phrase_error(saved.value)
        )
        with GitRepo.open(root) as repo, pytest.raises(CommitFailed) as committed:
            commit(repo, [path], "Titel aangepast")
        assert committed.value.code == "error.commit.read_only"
        assert "alleen-lezen" in str(committed.value) and "Read-only file system" not in str(committed.value)


@pytest.mark.parametrize(
    ("stderr", "code"),
    [
        (
            "error: unable to write file .git/objects/ab/cd: No space left on device\nfatal: unable to write",
            "disk_full",
        ),
        ("fatal: Unable to create '/m/.git/index.lock': Read-only file system", "read_only"),
        ("error: insufficient permission for adding an object to repository database .git/objects", "read_only"),
        ("fatal: could not open '.git/COMMIT_EDITMSG': Disk quota exceeded", "disk_full"),
    ],
)
def test_gits_failure_text_becomes_a_code(stderr: str, code: str, tmp_path: Path) -> None:
    mapped = commit_failure(GitError("git meldt een fout: ...", "", stderr), tmp_path)
    assert isinstance(mapped, CommitFailed) and mapped.code == f"error.commit.{code}"
    assert mapped.params == {"path": str(tmp_path)} and mapped.detail == stderr


def test_other_git_failures_pass_through(tmp_path: Path) -> None:
    error = GitError("git meldt een fout: hook", "", "pre-commit hook exited with 1")
    assert commit_failure(error, tmp_path) is error


def _in_english(error: object) -> str:
    before = language()
    set_language("en")
    try:
        return phrase_error(error)
    finally:
        set_language(before)


def test_write_errors_are_phrased_in_both_languages(tmp_path: Path) -> None:
    target = tmp_path / "kaart.toml"
    target.write_bytes(b"a = 1\n")
    target.chmod(0o444)
    with pytest.raises(WriteError) as caught:
        write_atomic(target, b"a = 2\n")
    assert "alleen-lezen" in phrase_error(caught.value) and str(target) in phrase_error(caught.value)
    english = _in_english(caught.value)
    assert "read-only" in english and str(target) in english
