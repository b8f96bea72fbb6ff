"""On the shipped cards, a search index restored from its file answers exactly as a fresh one."""

from __future__ import annotations

import marshal

from tests.conftest import SHIPPED_CARDS
from tui.core.cache import load_cards
from tui.core.paths import bundled_root
from tui.core.search.search import SearchIndex
from tui.core.workspace import Workspace

QUERIES = [
    "zorg",
    "ketenaanpak welzijn",
    "mantelzorgers",
    "dementie",
    "palliatieve zorg",
    "huisarts",
    "wijkverpleging",
    "jeugd ggz",
    "valpreventie",
    "thema:ouderen",
    "soort:project",
    "xyzzy",
]


def test_restored_index_answers_as_a_fresh_one() -> None:
    ws = Workspace(bundled_root())
    cards, _ = load_cards(sorted(SHIPPED_CARDS.rglob("*.toml")), None)
    assert len(cards) > 200
    fresh = SearchIndex(cards, ws.schema)
    restored = SearchIndex.restore(marshal.loads(marshal.dumps(fresh.snapshot())), cards, ws.schema)
    assert restored is not None
    index, changed = restored
    assert changed == 0 and len(index) == len(fresh)
    for q in QUERIES:
        a, b = fresh.find(q), index.find(q)
        assert (a.ids, a.partial) == (b.ids, b.partial), q
        assert a.head(25) == b.head(25), q
        assert fresh.completions(q) == index.completions(q), q
