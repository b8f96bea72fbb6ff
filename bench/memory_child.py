"""Child process for the memory figure: resident memory before and after loading the cards.

    python -m bench.memory_child library|cards|dicts REPO [tracemalloc]

``library``: Library.load (cards, validation problems, search index). ``cards``: load_cards +
SearchIndex. ``dicts`` (the floor): tomllib results of the same files in a list. Modules are
imported and the schema is read before the first reading, so only the cards count. Prints one
JSON line: rss_before, rss_after, delta (bytes) and, with ``tracemalloc``, traced (bytes).
"""

from __future__ import annotations

import gc
import json
import sys
import tomllib
from pathlib import Path


def rss() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def main() -> None:
    mode, repo = sys.argv[1], Path(sys.argv[2])
    trace = len(sys.argv) > 3 and sys.argv[3] == "tracemalloc"
    from tui.core.cache import cache_file, load_cards
    from tui.core.library import Library
    from tui.core.search.search import SearchIndex
    from tui.core.cards.validate import validate_data  # noqa: F401  (imports jsonschema before measuring)
    from tui.core.workspace import Workspace

    ws = Workspace(repo)
    ws.schema, ws.vocab  # noqa: B018
    paths = ws.store.discover()
    keep: object = None
    gc.collect()
    if trace:
        import tracemalloc

        tracemalloc.start()
    before = rss()
    if mode == "library":
        lib = Library(ws)
        lib.load()
        keep = lib
    elif mode == "cards":
        cards, _ = load_cards(paths, cache_file(ws.root))
        keep = (cards, SearchIndex(cards, ws.schema))
    elif mode == "dicts":
        keep = [tomllib.loads(p.read_bytes().decode("utf-8-sig")) for p in paths]
    else:
        raise SystemExit(f"unknown mode {mode}")
    gc.collect()
    after = rss()
    out = {"rss_before": before, "rss_after": after, "delta": after - before, "cards": len(paths)}
    if trace:
        import tracemalloc

        out["traced"] = tracemalloc.get_traced_memory()[0]
    print(json.dumps(out))
    assert keep is not None


if __name__ == "__main__":
    main()
