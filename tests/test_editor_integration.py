"""Editors understand cards: taplo (Even Better TOML, Helix, Zed) formats them as Kaartenbak
does and validates each one against the JSON Schema named on its ``#:schema`` first line.

Taplo is run as the real binary from the PyPI ``taplo`` package (in the ``test`` extra).
Folder arguments are silently skipped by taplo (``taplo check cards/`` checks nothing), so
every call passes files or a glob and a companion test proves the call can fail.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CARDS as GOLDEN_CARDS
from tui.core.cards import tomlfmt

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".taplo.toml"
CARDS = sorted(GOLDEN_CARDS.rglob("*.toml"))  # the shipped cards are checked in tests/data/test_cards_in_editors.py


def _taplo() -> str:
    beside_python = Path(sys.executable).with_name("taplo")
    found = str(beside_python) if beside_python.is_file() else shutil.which("taplo")
    if not found:
        pytest.skip("taplo is not installed (pip install 'kaartenbak[test]')")
    return found


def taplo(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run taplo in ``cwd`` with Kaartenbak's config; never touches the network."""
    return subprocess.run(
        [_taplo(), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "", "NO_COLOR": "1", "RUST_LOG": "info"},
    )


# Taplo 0.9 resolves `$ref: "#/$defs/..."` against `$id`; a relative `$id` such as
# "project.schema.json" (valid JSON Schema, accepted by Python's jsonschema) makes taplo reject
# the whole schema ("invalid schema") before it looks at any card.
RELATIVE_ID = "taplo rejects a schema whose $id is relative ('project.schema.json'); make $id absolute or drop it"


def _files_seen(result: subprocess.CompletedProcess[str]) -> int:
    m = re.search(r"found files total=(\d+) excluded=(\d+)", result.stderr)
    assert m, result.stderr
    return int(m.group(1)) - int(m.group(2))


def _sandbox(tmp_path: Path) -> Path:
    """A copy of the schema, the config and every golden card, laid out as in a repository."""
    shutil.copytree(ROOT / "schema" / "json", tmp_path / "schema" / "json")
    shutil.copy2(CONFIG, tmp_path / ".taplo.toml")
    for src in CARDS:
        dst = tmp_path / "cards" / src.parent.name / src.name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    return tmp_path


def _card(tmp_path: Path, name: str) -> Path:
    return next((tmp_path / "cards").rglob(name))


# -- validation ---------------------------------------------------------------------------------


def test_every_golden_card_passes_taplo_check(tmp_path: Path) -> None:
    box = _sandbox(tmp_path)
    (box / "cards" / "nml" / "nml-h3.toml").unlink()  # taplo refuses a BOM; Kaartenbak reads it and writes none
    result = taplo(box, "check", "cards/**/*.toml")
    assert "invalid schema" not in result.stderr, RELATIVE_ID
    assert result.returncode == 0, result.stderr
    assert _files_seen(result) == len(CARDS) - 1


def test_a_broken_copy_of_a_card_fails_taplo_check(tmp_path: Path) -> None:
    box = _sandbox(tmp_path)
    card = _card(box, "nml-b01.1.toml")
    broken = card.read_text(encoding="utf-8").replace('kind = "initiative"', 'kind = "project"')
    card.write_text(broken, encoding="utf-8")
    result = taplo(box, "check", str(card.relative_to(box)))
    assert result.returncode == 1
    assert '"initiative" was expected' in result.stdout + result.stderr


def test_exported_schemas_have_no_relative_id() -> None:
    for path in (ROOT / "schema" / "json").glob("*.schema.json"):
        schema_id = json.loads(path.read_text(encoding="utf-8")).get("$id")
        assert schema_id is None or re.match(r"^[a-z][a-z0-9+.-]*:", schema_id), f"{path.name}: {RELATIVE_ID}"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('kind = "initiative"', 'kind = "project"', '"initiative" was expected'),  # const
        ('status = "number"', 'status = "bogus"', "is not one of"),  # enum inside $defs via $ref
        ('status = "number"', 'status = "range"', '"min" is a required property'),  # if/then in allOf
        ('id = "NML/B01.1"', 'id = "!NML B01.1"', "does not match"),  # pattern
        ('title = "', 'titel = "', '"title" is a required property'),  # required
        ('region = "NML"', 'region = "NML"\nkleur = "rood"', "Additional properties"),  # additionalProperties
    ],
)
def test_taplo_checks_the_schema_features_cards_use(tmp_path: Path, old: str, new: str, expected: str) -> None:
    box = _sandbox(tmp_path)
    card = _card(box, "nml-b01.1.toml")
    text = card.read_text(encoding="utf-8")
    assert old in text
    card.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = taplo(box, "check", str(card.relative_to(box)))
    assert result.returncode == 1
    assert expected in result.stdout + result.stderr


# -- formatting ---------------------------------------------------------------------------------


def test_taplo_fmt_check_does_report_a_misformatted_card(tmp_path: Path) -> None:
    box = _sandbox(tmp_path)
    card = _card(box, "nml-b01.1.toml")
    original = card.read_text(encoding="utf-8")
    card.write_text(original.replace("\n[", "\n\n\n\n["), encoding="utf-8")
    result = taplo(box, "fmt", "--check", str(card.relative_to(box)))
    # Taplo's log line ("not properly formatted") is written by a background logger that can
    # lose it at exit under load; the exit code and the repair are what an editor relies on.
    assert result.returncode == 1, result.stderr
    assert card.read_text(encoding="utf-8") != original  # --check only looks
    assert taplo(box, "fmt", str(card.relative_to(box))).returncode == 0
    assert card.read_text(encoding="utf-8") == original


@pytest.mark.parametrize(
    "data",
    [
        {"betrokken_organisaties": ["x" * 58], "related": ["a"], "organisaties": ["a", "b"]},
        {"betrokken_organisaties": ["é" * 58], "organisaties": ["漢" * 58]},
        {"organisaties": ["y" * 61]},
        {"notes": 'regel 1\n\n\n"""drie"""\nslot"', "title": "[/] \u200b \t tab"},
        {"id": "X/1", "impact_fte": {"tekst": "9", "status": "number", "waarde": 9.5}, "bronnen": [{"url": "u"}, {}]},
    ],
)
def test_taplo_fmt_accepts_what_kaartenbak_writes(tmp_path: Path, data: dict) -> None:
    shutil.copy2(CONFIG, tmp_path / ".taplo.toml")
    card = tmp_path / "cards" / "x" / "card.toml"
    card.parent.mkdir(parents=True)
    header = "#:schema ../../schema/json/initiative.schema.json"
    card.write_text(tomlfmt.render(data, list(data), header), encoding="utf-8")
    result = taplo(tmp_path, "fmt", "--check", "--diff", "cards/x/card.toml")
    assert result.returncode == 0, result.stdout + result.stderr


# -- pre-commit ---------------------------------------------------------------------------------


def _read_hooks(text: str) -> list[dict[str, str]]:
    """The hooks of ``.pre-commit-hooks.yaml``: a list of flat mappings (PyYAML when installed)."""
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        hooks: list[dict[str, str]] = []
        for line in text.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = re.match(r"^(- |  )([A-Za-z_]+):\s*(.*)$", line)
            assert m, f"unexpected line in .pre-commit-hooks.yaml: {line!r}"
            if m.group(1) == "- ":
                hooks.append({})
            hooks[-1][m.group(2)] = m.group(3)
        return hooks
    return yaml.safe_load(text)


def test_pre_commit_hook_runs_kaartenbak_validate_on_cards(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hooks = _read_hooks((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "kaartenbak-validate"]
    assert hook["entry"] == "kaartenbak validate"
    assert hook["language"] == "python"
    files = re.compile(hook["files"])
    assert files.search("cards/wbw/wbw-t1-1.1.toml")
    assert files.search("cards/nml/nml-b01.1.toml")
    assert not files.search("schema/regions/nml.toml")
    assert not files.search("pyproject.toml")
    assert not files.search("cards/README.md")

    # pre-commit runs the entry with the staged files appended, from the repository root
    from tests.conftest import make_repo
    from tui.cli import main

    repo = make_repo(tmp_path / "repo", cards=["nml-b01.1"], commit=False)
    program, *args = hook["entry"].split()
    assert program == "kaartenbak"
    card = Path("cards/nml/nml-b01.1.toml")
    monkeypatch.chdir(repo)
    assert main([*args, str(card)]) == 0
    card.write_text(card.read_text(encoding="utf-8").replace('kind = "initiative"', 'kind = "x"'), encoding="utf-8")
    capsys.readouterr()
    assert main([*args, str(card)]) == 1
    assert "fout" in capsys.readouterr().out
