"""The export family imports without a cycle (shared helpers in their own module), and the store
keeps no methods that nothing calls (issue 13 items 6 and 7)."""

from __future__ import annotations

import ast
from pathlib import Path

from tui.core.cards import tomlfmt
from tui.core.cards.store import CardStore, LoadResult

CORE = Path(__file__).resolve().parents[2] / "tui" / "core"


def _imports(path: Path) -> set[str]:
    """Every ``tui.*`` module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tui."):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("tui."))
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        stack.append(name)
        for nxt in sorted(graph.get(name, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt in graph and not state.get(nxt):
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[name] = 2
        return None

    for name in sorted(graph):
        if not state.get(name):
            found = visit(name)
            if found:
                return found
    return None


def test_the_export_family_has_no_import_cycle() -> None:
    folder = CORE / "export"
    graph = {f"tui.core.export.{p.stem}": _imports(p) for p in folder.glob("*.py") if p.stem != "__init__"}
    assert _cycle(graph) is None
    assert "tui.core.export.shared" in graph
    assert not {m for m in graph["tui.core.export.shared"] if m.startswith("tui.core.export")}


def test_no_uncalled_store_methods() -> None:
    for name in ("iter_load", "reload"):
        assert not hasattr(CardStore, name)
    assert not hasattr(LoadResult, "by_id")
    assert not hasattr(tomlfmt, "render_entry")
