"""The shipped cards in editors: taplo checks each against its JSON Schema and leaves its layout alone."""

from __future__ import annotations

from tests.conftest import ROOT, SHIPPED_CARDS
from tests.test_editor_integration import RELATIVE_ID, _files_seen, taplo

SHIPPED = sorted(SHIPPED_CARDS.rglob("*.toml"))


def test_every_card_passes_taplo_check() -> None:
    result = taplo(ROOT, "check", "cards/**/*.toml")
    assert "invalid schema" not in result.stderr, RELATIVE_ID
    assert result.returncode == 0, result.stderr
    assert _files_seen(result) == len(SHIPPED)


def test_taplo_fmt_leaves_every_card_unchanged() -> None:
    result = taplo(ROOT, "fmt", "--check", "cards/**/*.toml")
    assert result.returncode == 0, result.stderr
    assert _files_seen(result) == len(SHIPPED)
