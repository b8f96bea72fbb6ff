"""Broken and odd card files are reported, never crash the load, never get rewritten (RELIABILITY 16-18)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tui.core.cards.atomic import WriteError
from tui.core.cards.card import Card, LoadError
from tui.core.cards.parse import load_file, parse_bytes
from tui.core.workspace import Workspace

GOOD = b'id = "X/1"\nkind = "ketenaanpak"\nregion = "NML"\ntitle = "T"\n'


@pytest.mark.parametrize(
    ("raw", "reason", "line"),
    [
        (b'id = "a"\nid = "b"\n', "twee keer", 2),
        (b'id = "a\ntitle = "x"\n', "ongeldig teken", 1),
        (b"title = \n", "ongeldige waarde", 1),
        (b'title = "caf\xe9"\n', "UTF-8", 1),
        (b"", "leeg", None),
        (b"   \n\n", "leeg", None),
        (b"n = 1\xd9\xa0\n", "onverwacht teken", 1),  # 1 followed by ARABIC-INDIC DIGIT ZERO is not 10
        (b"n = 1\x0b\n", "onverwacht teken", 1),
        (b"a = " + b"[" * 600 + b"]" * 600 + b"\n", "", None),
        (b'title = "x"\n<<<<<<< HEAD\nid = "a"\n=======\nid = "b"\n>>>>>>> other\n', "conflict", 2),
    ],
)
def test_broken_files_are_explained(tmp_path: Path, raw: bytes, reason: str, line: int | None) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(raw)
    result = load_file(path)
    if isinstance(result, Card):  # deeply nested arrays are valid TOML: they must load, not crash
        assert raw.startswith(b"a = [")
        return
    assert isinstance(result, LoadError)
    assert reason in result.message
    assert result.line == line
    assert str(result).startswith(f"kan {path} niet openen")
    assert path.read_bytes() == raw


def test_huge_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    with path.open("wb") as fh:
        fh.write(b'title = "')
        fh.write(b"x" * (20 * 1024 * 1024))
        fh.write(b'"\n')
    result = load_file(path)
    assert isinstance(result, LoadError) and "te groot" in result.message


def test_one_broken_card_does_not_stop_the_others(repo: Path) -> None:
    (repo / "cards" / "wbw" / "kapot.toml").write_bytes(b"title = [\n")
    result = Workspace(repo).store.load_all()
    assert [e.path.name for e in result.errors] == ["kapot.toml"]
    assert len(result.cards) == 8


def test_temp_files_of_interrupted_saves_are_not_cards(repo: Path) -> None:
    (repo / "cards" / "wbw" / ".wbw-t1-1.1.toml.abc.kaartenbak-tmp").write_bytes(b"half")
    (repo / "cards" / "wbw" / ".verborgen.toml").write_bytes(GOOD)
    names = [p.name for p in Workspace(repo).store.discover()]
    assert all(not n.startswith(".") for n in names)


def _fail(code: int):
    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return boom


@pytest.mark.parametrize(
    ("code", "flag", "words"),
    [
        (errno.ENOSPC, "disk_full", "Schijf vol"),
        (errno.EROFS, "read_only", "alleen-lezen"),
        (errno.EACCES, "read_only", "geen toestemming"),
    ],
)
def test_failed_write_keeps_old_file_and_leaves_no_temp(
    repo: Path, monkeypatch: pytest.MonkeyPatch, code: int, flag: str, words: str
) -> None:
    ws = Workspace(repo)
    path = repo / "cards" / "wbw" / "wbw-t1-1.4.toml"
    before = path.read_bytes()
    card = load_file(path)
    assert isinstance(card, Card)
    monkeypatch.setattr(os, "fsync", _fail(code))
    with pytest.raises(WriteError) as info:
        ws.store.save(card, {**card.to_dict(), "notes": "nieuw"})
    assert getattr(info.value, flag)
    assert words in str(info.value) and str(path) in str(info.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []


def test_read_only_folder_gives_clear_error(repo: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions")
    folder = repo / "cards" / "wbw"
    path = folder / "wbw-t1-1.4.toml"
    card = load_file(path)
    assert isinstance(card, Card)
    folder.chmod(0o555)
    try:
        with pytest.raises(WriteError, match="alleen-lezen"):
            Workspace(repo).store.save(card, {**card.to_dict(), "notes": "x"})
    finally:
        folder.chmod(0o755)


def test_parse_bytes_accepts_bom_and_crlf(tmp_path: Path) -> None:
    card = parse_bytes(tmp_path / "a.toml", b"\xef\xbb\xbf" + GOOD.replace(b"\n", b"\r\n"))
    assert isinstance(card, Card) and card.bom and card.crlf and card.title == "T"
