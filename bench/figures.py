"""The seven measurements. Each takes a :class:`Ctx` and returns result rows with their floors."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterator

from .data import ROOT, Dataset, _edit
from .relevance import fig_relevance
from .stats import Row, Target, interleaved, row
from .national import fig_national
from .bulk import fig_bulk

BIG = 10_000  # the targets are stated for 10,000 cards (and for 337 for the cold first paint)


@dataclass
class Ctx:
    """What every figure needs: the data, the sizes, a scratch folder and how many runs to do."""

    ds: Dataset
    sizes: list[int]
    work: Path
    quick: bool = False
    scale: float = 1.0  # multiplies every repetition count (the smoke test uses a tiny one)
    log: Callable[[str], None] = print
    _warm: dict[int, Path] = field(default_factory=dict)

    def reps(self, base: int) -> int:
        return max(1, round(base * self.scale))

    def reps_for(self, n: int, small: int, mid: int, big: int) -> int:
        return self.reps(small if n <= 500 else mid if n <= 3000 else big)

    def warm_cache(self, n: int) -> Path:
        """An XDG cache folder holding the caches of the N-card repository: cards, problems, index (made once)."""
        if n not in self._warm:
            from tui.core.library import Library
            from tui.core.workspace import Workspace

            home = self.work / f"xdg-cache-warm-{n}"
            with xdg_cache(home):  # card cache, problem cache and the persisted search index
                Library(Workspace(self.ds.cards[n])).load()
            self._warm[n] = home
        return self._warm[n]


@contextlib.contextmanager
def xdg_cache(folder: Path) -> Iterator[None]:
    """Point the card cache (platformdirs' user cache dir) at ``folder`` for a while."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = old


def _target(n: int, at: int, target: Target) -> Target | None:
    return target if n == at else None


# -- 1. first paint ----------------------------------------------------------------------------


def _child_env(ctx: Ctx, cache_home: Path) -> dict[str, str]:
    env = dict(ctx.ds.env)
    home = ctx.work / "child-home"
    env.update(
        XDG_CACHE_HOME=str(cache_home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_DATA_HOME=str(home / "data"),
        PYTHONPATH=str(ROOT),
        TERM="xterm-256color",
    )
    env.pop("KAARTENBAK_CONFIG", None)
    env.pop("TEXTUAL", None)
    return env


def _paint_once(ctx: Ctx, args: list[str], cache_home: Path) -> float:
    env = _child_env(ctx, cache_home)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.paint_child", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"paint child {args} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return float(lines[-1]) - t0


def fig_paint(ctx: Ctx) -> list[Row]:
    """Process start to the first rendered frame of the browser (and to the first frame listing the cards)."""
    rows = []
    config = str(ctx.work / "no-config.toml")
    for n in ctx.sizes:
        repo = str(ctx.ds.cards[n])
        warm = ctx.warm_cache(n)
        counter = iter(range(10**6))

        def cold_home() -> Path:
            return ctx.work / f"xdg-cache-cold-{n}-{next(counter)}"

        reps = ctx.reps(5) if ctx.quick else ctx.reps_for(n, 10, 7, 5)
        list_reps = ctx.reps(2) if ctx.quick else ctx.reps_for(n, 5, 3, 2)
        ctx.log(f"  paint N={n}: {reps} runs each (+{list_reps} to the listed cards)")
        fns: dict[str, Callable[[], Any]] = {
            "bare": lambda: out["bare"].append(_paint_once(ctx, ["bare", "-", "paint", "-"], warm)),
            "cold": lambda: out["cold"].append(_paint_once(ctx, ["app", repo, "paint", config], cold_home())),
            "warm": lambda: out["warm"].append(_paint_once(ctx, ["app", repo, "paint", config], warm)),
        }
        out: dict[str, list[float]] = {k: [] for k in fns}
        _paint_once(ctx, ["app", repo, "paint", config], warm)  # compile .pyc files, fill the OS cache
        _paint_once(ctx, ["bare", "-", "paint", "-"], warm)
        for _ in range(reps):
            for fn in fns.values():
                fn()
        lists: dict[str, list[float]] = {"cold": [], "warm": []}
        for _ in range(list_reps):
            lists["cold"].append(_paint_once(ctx, ["app", repo, "list", config], cold_home()))
            lists["warm"].append(_paint_once(ctx, ["app", repo, "list", config], warm))
        bare = out["bare"]
        rows.append(
            row(
                "first paint",
                "browser, cold (no card cache)",
                n,
                out["cold"],
                bare,
                "bare Textual app",
                target=_target(n, 337, Target("ratio", 1.5, "≤1.5× floor")),
            )
        )
        rows.append(
            row(
                "first paint",
                "browser, warm (card cache)",
                n,
                out["warm"],
                bare,
                "bare Textual app",
                target=_target(n, BIG, Target("ratio", 2.0, "≤2× floor")),
            )
        )
        rows.append(row("first paint", "cards listed, cold", n, lists["cold"], bare, "bare Textual app"))
        rows.append(row("first paint", "cards listed, warm", n, lists["warm"], bare, "bare Textual app"))
    return rows


# -- 2. loading all cards ------------------------------------------------------------------------


def fig_load(ctx: Ctx) -> list[Row]:
    """All cards into memory: load_cards without/with the cache and the Library phases, against plain reads and tomllib.

    The browser lists the cards after ``Library.read()``; validation (cached per blob) and the
    search index follow in the background, so each phase is timed on its own (warm: card cache
    and problem cache filled), plus the whole ``Library.load`` cold.
    """
    from tui.core.cache import cache_file, load_cards
    from tui.core.library import Library
    from tui.core.workspace import Workspace

    rows = []
    for n in ctx.sizes:
        root = ctx.ds.cards[n]
        warm = ctx.warm_cache(n)
        paths = Workspace(root).store.discover()
        with xdg_cache(warm):
            cache = cache_file(root)
            Library(Workspace(root)).load()  # fills the problem cache: "warm" means both caches
        reps = ctx.reps(7) if ctx.quick else ctx.reps_for(n, 15, 7, 5)
        ctx.log(f"  load N={n}: {reps} runs each")

        def lib_cold() -> None:
            with xdg_cache(warm):
                Library(Workspace(root), use_cache=False).load()

        def lib_cold_one() -> None:
            with xdg_cache(warm):
                Library(Workspace(root), use_cache=False, parallel=False).load()

        how: list[str] = []  # how each warm start got its index: "restored" (the target) or "built"

        def lib_index_warm() -> None:
            with xdg_cache(warm):
                lib = ready.pop()
                lib.on_index = lambda way, _n: how.append(way)
                lib.build_index()

        def lib_read() -> None:
            with xdg_cache(warm):
                Library(Workspace(root)).read()

        ready: list[Any] = []  # a Library after read(), made untimed before each validate / build_index

        def read_first() -> None:
            ready.append(_read_library(root, warm))

        def lib_validate() -> None:
            with xdg_cache(warm):
                ready.pop().validate()

        s = interleaved(
            {
                "bytes": lambda: [p.read_bytes() for p in paths],
                "tomllib": lambda: [tomllib.loads(p.read_bytes().decode("utf-8-sig")) for p in paths],
                "cold": lambda: load_cards(paths, None),
                "warm": lambda: load_cards(paths, cache),
                "lib_cold": lib_cold,
                "lib_cold_one": lib_cold_one,
                "lib_read": lib_read,
                "lib_validate": lib_validate,
                "lib_index": lambda: _built_index(ready.pop()),
                "lib_index_warm": lib_index_warm,
            },
            reps,
            setups={"lib_validate": read_first, "lib_index": read_first, "lib_index_warm": read_first},
        )
        v, x = s["lib_validate"], s["lib_index"]
        t = _target(n, BIG, Target("median", 0.3, "≤0.30 s"))
        rows.append(row("load", "load_cards, cold (no cache)", n, s["cold"], s["tomllib"], "tomllib all files"))
        rows.append(row("load", "load_cards, warm (cache)", n, s["warm"], s["bytes"], "read all bytes"))
        rows.append(
            row(
                "load",
                "Library.read, warm (what the list waits for)",
                n,
                s["lib_read"],
                s["bytes"],
                "read all bytes",
                target=t,
            )
        )
        rows.append(row("load", "Library.validate, warm (problem cache)", n, v, s["bytes"], "read all bytes"))
        rows.append(row("load", "Library.build_index, built (no index file)", n, x, s["tomllib"], "tomllib all files"))
        restored = all(way == "restored" for way in how) and bool(how)
        rows.append(
            row(
                "load",
                f"Library.build_index, warm start ({'restored' if restored else 'REBUILT'})",
                n,
                s["lib_index_warm"],
                x,
                "index built",
                target=_target(n, BIG, Target("ratio", 0.25 if restored else 0.0, "restored, ≤0.25× built")),
                ways=how,
            )
        )
        rows.append(
            row(
                "load",
                "Library.load, cold (no caches; processes)",
                n,
                s["lib_cold"],
                s["tomllib"],
                "tomllib all files",
                target=_target(n, BIG, Target("ratio", 1.5, "≤1.5× floor")),
            )
        )
        rows.append(
            row("load", "Library.load, cold, one process", n, s["lib_cold_one"], s["tomllib"], "tomllib all files")
        )
    return rows


def _built_index(lib: Any) -> None:
    """Build the index from scratch (as when there is no index file), whatever the caches hold."""
    lib.use_cache = False
    lib.build_index()


def _read_library(root: Path, cache_home: Path) -> Any:
    from tui.core.library import Library
    from tui.core.workspace import Workspace

    with xdg_cache(cache_home):
        lib = Library(Workspace(root))
        lib.read()
    return lib


# -- 3. search per keystroke ----------------------------------------------------------------------

QUERIES = [
    "welzin recpt",
    "coordinatie",
    "coördinatie",
    "thema:gezond valpreventie",
    "org:LZR wondzorg",
    "dementie casemanagment",
    "huisarts",
    "regio:NML soort:initiatief",
    "valprevntie ouderen",
    "mantelzorg",
]
TYPED = "ketenaanpak welzijn"


def keystrokes() -> list[str]:
    """The fixed queries plus every prefix of ``TYPED`` as it is typed (blank ones send no search)."""
    return QUERIES + [TYPED[:i] for i in range(1, len(TYPED) + 1) if TYPED[:i].strip()]


def search_limit() -> int:
    """How many hits the browser asks for per keystroke (``SEARCH_LIMIT`` in tui/screens/browser.py)."""
    try:
        from tui.screens.browser import SEARCH_LIMIT

        return int(SEARCH_LIMIT)
    except Exception:  # the UI cannot be imported (no textual): the value it had when this was written
        return 200


def browse(index: Any, text: str, limit: int) -> None:
    """What the browser's search worker runs per keystroke: find, then snippets for at most ``limit`` rows."""
    result = index.find(text)
    hits = result.head(limit)
    if len(hits) < limit:
        result.partial[: limit - len(hits)]


def _words(q: str) -> str:
    """A query without its ``name:value`` filters (the peers know no filters)."""
    return " ".join(w for w in q.split() if ":" not in w) or q


def fig_search(ctx: Ctx) -> list[Row]:
    """One search per keystroke against rapidfuzz and fzf.

    What the browser runs: ``find`` (every full match, the best partial ones) plus snippets for
    SEARCH_LIMIT rows (``browse``).
    """
    from rapidfuzz import fuzz, process, utils

    from tui.core.library import Library
    from tui.core.search.query import strings
    from tui.core.workspace import Workspace

    limit = search_limit()
    rows = []
    keys = keystrokes()
    fzf = shutil.which("fzf")
    for n in ctx.sizes:
        with xdg_cache(ctx.warm_cache(n)):
            lib = Library(Workspace(ctx.ds.cards[n]))
            lib.load()
        index = lib.index
        cards = list(lib.cards.values())
        titles = [c.title for c in cards]
        texts = [" ".join(strings(dict(c.data))) for c in cards]
        reps = ctx.reps_for(n, 10, 5, 5)
        ctx.log(f"  search N={n}: {len(keys)} keystrokes × {reps} runs")
        per_query: dict[str, list[float]] = {q: [] for q in keys}
        cold: list[float] = []
        warm: list[float] = []
        for _ in range(reps + 1):
            for cache in ("_matches", "_texts"):  # the first search of a query finds no memoised matches
                getattr(index, cache, {}).clear()
            for q in keys:
                t = time.perf_counter()
                browse(index, q, limit)
                per_query[q].append(time.perf_counter() - t)
            for q in keys:  # the same keystrokes again: memoised word matches and snippets
                t = time.perf_counter()
                browse(index, q, limit)
                warm.append(time.perf_counter() - t)
        for q in keys:
            per_query[q] = per_query[q][1:]  # drop the warm-up pass
            cold.extend(per_query[q])
        warm = warm[len(keys) :]
        titles_t: list[float] = []
        for _ in range(reps):
            for q in keys:
                t = time.perf_counter()
                process.extract(_words(q), titles, scorer=fuzz.WRatio, processor=utils.default_process, limit=50)
                titles_t.append(time.perf_counter() - t)
        full_t: list[float] = []
        full_reps = ctx.reps_for(n, 3, 1, 1)
        for _ in range(full_reps):
            for q in keys:
                t = time.perf_counter()
                process.extract(_words(q), texts, scorer=fuzz.partial_ratio, processor=utils.default_process, limit=50)
                full_t.append(time.perf_counter() - t)
        slowest = sorted(((sorted(v)[len(v) // 2], q) for q, v in per_query.items()), reverse=True)[:5]
        rows.append(
            row(
                "search",
                f"keystroke, first time (index, limit {limit})",
                n,
                cold,
                titles_t,
                "rapidfuzz titles only",
                target=_target(n, BIG, Target("p95", 0.016, "p95 ≤16 ms")),
                slowest_queries={q: round(v * 1000, 2) for v, q in slowest},
                limit=limit,
            )
        )
        rows.append(row("search", "keystroke, repeated (memoised)", n, warm, titles_t, "rapidfuzz titles only"))
        if limit != 500:  # the limit of earlier runs, for comparison
            wide: list[float] = []
            for i in range(reps + 1):
                for cache in ("_matches", "_texts"):
                    getattr(index, cache, {}).clear()
                for q in keys:
                    t = time.perf_counter()
                    browse(index, q, 500)
                    if i:
                        wide.append(time.perf_counter() - t)
            rows.append(
                row("search", "keystroke, first time (index, limit 500)", n, wide, titles_t, "rapidfuzz titles only")
            )
        rows.append(
            row("search", "peer: rapidfuzz partial_ratio full text", n, full_t, titles_t, "rapidfuzz titles only")
        )
        if fzf:
            lines = ctx.work / f"fzf-{n}.txt"
            lines.write_text("\n".join(" ".join(t.split()) for t in texts) + "\n", encoding="utf-8")
            fzf_t: list[float] = []
            for _ in range(ctx.reps_for(n, 3, 1, 1)):
                for q in keys:
                    with lines.open("rb") as fh:
                        t = time.perf_counter()
                        subprocess.run([fzf, "--filter", _words(q)], stdin=fh, capture_output=True, check=False)
                        fzf_t.append(time.perf_counter() - t)
            rows.append(row("search", "peer: fzf --filter full text", n, fzf_t, titles_t, "rapidfuzz titles only"))
        else:
            r = row("search", "peer: fzf --filter full text (fzf not installed)", n, [float("nan")])
            r.runs = 0
            rows.append(r)
    return rows


# -- 4. saving one changed field ------------------------------------------------------------------


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.bench-tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _longest_text_key(data: dict[str, Any]) -> str:
    return max(
        (k for k, v in data.items() if isinstance(v, str) and k not in ("id", "kind", "region")),
        key=lambda k: len(data[k]),
    )


def fig_save(ctx: Ctx) -> list[Row]:
    """CardStore.save of one changed word in the card's longest text field.

    Against tomlkit parse + dump + atomic write.
    """
    import tomlkit

    from tui.core.cards.parse import load_file
    from tui.core.workspace import Workspace

    n = min(ctx.sizes)
    work = ctx.work / "save"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(ctx.ds.cards[n], work, ignore=shutil.ignore_patterns(".git"))
    ws = Workspace(work)
    rel = ctx.ds.hot
    path = work / rel
    floor_path = work / "floor" / Path(rel).name
    floor_path.parent.mkdir()
    shutil.copy2(path, floor_path)
    card = load_file(path)
    key = _longest_text_key(dict(card.data))  # type: ignore[union-attr]
    rng = random.Random(1)
    state = {"card": card}

    def changed(text: str) -> str:
        words = text.split(" ")
        words[rng.randrange(len(words))] = f"woord{rng.randrange(10**6)}"
        return " ".join(words)

    def ours() -> None:
        c = state["card"]
        new = c.to_dict()
        new[key] = changed(new[key])
        state["card"] = ws.store.save(c, new)

    def floor() -> None:
        doc = tomlkit.parse(floor_path.read_bytes().decode("utf-8"))
        value = str(doc[key])
        doc[key] = tomlkit.string(changed(value), multiline="\n" in value)
        _atomic_write(floor_path, tomlkit.dumps(doc).encode("utf-8"))

    reps = ctx.reps(30 if not ctx.quick else 15)
    ctx.log(f"  save: {reps} runs each (field {key!r} of {rel})")
    s = interleaved({"ours": ours, "floor": floor}, reps, warmup=2)
    return [
        row(
            "save",
            f"CardStore.save, one field ({key})",
            1,
            s["ours"],
            s["floor"],
            "tomlkit parse+dump+atomic write",
            target=Target("ratio", 3.0, "≤3× floor"),
        )
    ]


# -- 5. committing one card ----------------------------------------------------------------------


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> str:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


def _git_processes(fn: Callable[[], Any]) -> int:
    """How many git processes ``fn()`` starts through ``tui.core.git.gitrepo`` (its GIT_CALLS hook)."""
    from tui.core.git import gitrepo

    seen: list[tuple[str, ...]] = []
    gitrepo.GIT_CALLS.append(seen.append)
    try:
        fn()
    finally:
        gitrepo.GIT_CALLS.remove(seen.append)
    return len(seen)


def fig_commit(ctx: Ctx) -> list[Row]:
    """tui.core.git.commit.commit of one edited card in the largest repository, against git add + git commit."""
    from tui.core.git.commit import commit
    from tui.core.git.gitrepo import GitRepo

    n = max(ctx.sizes)
    work = ctx.work / f"commit-{n}"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(ctx.ds.cards[n], work, symlinks=True)
    env = ctx.ds.env
    _run(["git", "status", "--porcelain"], work, env)  # the copy changed every file's stat data: refresh the index once
    rel, floor_rel = ctx.ds.hot, ctx.ds.cold
    rng = random.Random(2)
    counter = iter(range(10**6))

    def edit(r: str) -> Callable[[], None]:
        def go() -> None:
            p = work / r
            p.write_text(_edit(rng, p.read_text(encoding="utf-8")), encoding="utf-8")

        return go

    def ours() -> None:
        with GitRepo.open(work) as g:
            commit(g, [rel], f"bench: kaart bijgewerkt {next(counter)}")

    opened = GitRepo.open(work)

    def ours_open() -> None:
        commit(opened, [rel], f"bench: kaart bijgewerkt {next(counter)}")

    def floor() -> None:
        _run(["git", "add", "--", floor_rel], work, env)
        _run(["git", "commit", "-q", "-m", f"bench: floor {next(counter)}"], work, env)

    reps = ctx.reps(15 if not ctx.quick else 6)
    ctx.log(f"  commit N={n}: {reps} runs each")
    old = {k: os.environ.get(k) for k in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM")}
    os.environ.update(GIT_CONFIG_GLOBAL=env["GIT_CONFIG_GLOBAL"], GIT_CONFIG_NOSYSTEM="1")
    try:
        s = interleaved(
            {"ours": ours, "ours_open": ours_open, "floor": floor},
            reps,
            warmup=1,
            setups={"ours": edit(rel), "ours_open": edit(rel), "floor": edit(floor_rel)},
        )
        edit(rel)()
        procs = _git_processes(ours)
    finally:
        opened.close()
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    t = _target(n, BIG, Target("ratio", 1.5, "≤1.5× floor"))
    variant = f"commit() incl. GitRepo.open ({procs} git processes; floor 2)"
    return [
        row("commit", variant, n, s["ours"], s["floor"], "git add + git commit", target=t, git_processes=procs),
        row("commit", "commit(), repository already open", n, s["ours_open"], s["floor"], "git add + git commit"),
    ]


# -- 6. history and field diff ---------------------------------------------------------------------

_LOG_FORMAT = "--format=\x1e%H\x1f%an\x1f%ae\x1f%aI\x1f%s\x1f%b\x1f"


def _graph(repo: Path, env: dict[str, str], on: bool) -> None:
    for g in (repo / ".git/objects/info").glob("commit-graph*"):
        shutil.rmtree(g) if g.is_dir() else g.unlink()
    if on:
        _run(["git", "commit-graph", "write", "--reachable", "--changed-paths"], repo, env)


def fig_history(ctx: Ctx) -> list[Row]:
    """card_history (limit 50) of the card with many commits, and one commit's field diff, against git log/show."""
    from tui.core.git.fielddiff import diff_cards, kind_for
    from tui.core.git.gitrepo import GitRepo
    from tui.core.git.history import card_at, card_history, version_pair
    from tui.core.cards.schema import Schema
    from tui.core.paths import schema_dir

    ds, env = ctx.ds, ctx.ds.env
    schema = Schema(schema_dir(ROOT))
    rows = []
    reps = ctx.reps(15 if not ctx.quick else 7)
    repos = [
        (ds.hist, f"{ds.hist_commits} commits, {ds.hot_commits} on the card"),
        (ds.hot_only, f"{ds.hot_commits} commits, all on the card"),
    ]
    for repo, label in repos:
        n_commits = int(_run(["git", "rev-list", "--count", "HEAD"], repo, env))
        for graph in (False, True):
            _graph(repo, env, graph)
            suffix = ", commit-graph --changed-paths" if graph else ""
            ctx.log(f"  history {label}{suffix}: {reps} runs each")

            def hist(path: str, limit: int | None) -> Callable[[], None]:
                def go() -> None:
                    with GitRepo.open(repo) as g:
                        card_history(g, path, limit=limit)

                return go

            def log(path: str, limit: int | None, follow: bool = True) -> Callable[[], None]:
                cmd = [
                    "git",
                    "log",
                    *(["--follow"] if follow else []),
                    "-z",
                    "--name-only",
                    _LOG_FORMAT,
                    *([f"--max-count={limit}"] if limit else []),
                    "--",
                    path,
                ]
                return lambda: _run(cmd, repo, env)

            with GitRepo.open(repo) as g:
                revs = card_history(g, ds.hot, limit=2)
            new_sha, old_sha = revs[0].sha, revs[1].sha

            def fielddiff() -> None:  # what the history screen does for one version: one git process
                with GitRepo.open(repo) as g:
                    pair = version_pair(g, new_sha, ds.hot)
                    diff_cards(pair.old, pair.new, kind_for(schema, pair.old, pair.new))

            with GitRepo.open(repo) as g:  # the pair is the commit and the card's previous version
                assert version_pair(g, new_sha, ds.hot).old == card_at(g, old_sha, ds.hot)

            fns = {
                "hot": hist(ds.hot, 50),
                "hot_log": log(ds.hot, 50),
                "hot_nofollow": log(ds.hot, 50, False),
                "cold": hist(ds.cold, 50),
                "cold_log": log(ds.cold, 50),
                "cold_nofollow": log(ds.cold, 50, False),
                "diff": fielddiff,
                "show": lambda: _run(["git", "show", new_sha, "--", ds.hot], repo, env),
            }
            s = interleaved(fns, reps)
            procs = {"hot": _git_processes(fns["hot"]), "diff": _git_processes(fielddiff)}
            full = interleaved({"all": hist(ds.hot, None), "all_log": log(ds.hot, None)}, max(1, reps // 3))
            n = f"{n_commits} commits"
            t = Target("ratio", 1.5, "≤1.5× floor") if not graph and repo == ds.hist else None
            t_diff = Target("ratio", 2.0, "≤2× floor") if not graph and repo == ds.hist else None
            rows += [
                row(
                    "history",
                    f"first screen (50) of the busy card ({procs['hot']} git process){suffix}",
                    n,
                    s["hot"],
                    s["hot_log"],
                    "git log --follow -n50",
                    target=t,
                    repo=label,
                    git_processes=procs["hot"],
                    no_follow=_median(s["hot_nofollow"]),
                ),
                row(
                    "history",
                    f"first screen of a card with 1 commit{suffix}",
                    n,
                    s["cold"],
                    s["cold_log"],
                    "git log --follow -n50",
                    repo=label,
                    no_follow=_median(s["cold_nofollow"]),
                ),
                row(
                    "history",
                    f"peer: git log -n50 without --follow, busy card{suffix}",
                    n,
                    s["hot_nofollow"],
                    s["hot_log"],
                    "git log --follow -n50",
                    repo=label,
                ),
                row(
                    "history",
                    f"peer: git log -n50 without --follow, 1-commit card{suffix}",
                    n,
                    s["cold_nofollow"],
                    s["cold_log"],
                    "git log --follow -n50",
                    repo=label,
                ),
                row(
                    "history",
                    f"whole history of the busy card{suffix}",
                    n,
                    full["all"],
                    full["all_log"],
                    "git log --follow",
                    repo=label,
                ),
                row(
                    "history",
                    f"field diff of one commit (version_pair + diff_cards, {procs['diff']} git process){suffix}",
                    n,
                    s["diff"],
                    s["show"],
                    "git show",
                    target=t_diff,
                    repo=label,
                    git_processes=procs["diff"],
                ),
            ]
        _graph(repo, env, False)
    return rows


def _median(v: list[float]) -> float:
    return sorted(v)[len(v) // 2]


# -- 7. memory ------------------------------------------------------------------------------------


def _memory_once(ctx: Ctx, n: int, mode: str, trace: bool = False) -> dict[str, int]:
    env = _child_env(ctx, ctx.warm_cache(n))
    args = [sys.executable, "-m", "bench.memory_child", mode, str(ctx.ds.cards[n])] + (["tracemalloc"] if trace else [])
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    if proc.returncode != 0:
        raise RuntimeError(f"memory child {mode} failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fig_memory(ctx: Ctx) -> list[Row]:
    """Resident memory added by loading the largest repository, against the same cards as plain tomllib dicts."""
    n = max(ctx.sizes)
    reps = ctx.reps(2 if ctx.quick else 3)
    ctx.log(f"  memory N={n}: {reps} runs each (+1 with tracemalloc)")
    out: dict[str, list[float]] = {"library": [], "cards": [], "dicts": []}
    for _ in range(reps):
        for mode in out:
            out[mode].append(float(_memory_once(ctx, n, mode)["delta"]))
    traced = {mode: [float(_memory_once(ctx, n, mode, trace=True)["traced"])] for mode in out}
    t = _target(n, BIG, Target("ratio", 2.0, "≤2× floor"))
    return [
        row(
            "memory",
            "RSS: Library (cards + problems + index)",
            n,
            out["library"],
            out["dicts"],
            "RSS: tomllib dicts",
            unit="B",
            target=t,
        ),
        row("memory", "RSS: Card objects + SearchIndex", n, out["cards"], out["dicts"], "RSS: tomllib dicts", unit="B"),
        row(
            "memory",
            "tracemalloc: Library",
            n,
            traced["library"],
            traced["dicts"],
            "tracemalloc: tomllib dicts",
            unit="B",
        ),
        row(
            "memory",
            "tracemalloc: Card objects + SearchIndex",
            n,
            traced["cards"],
            traced["dicts"],
            "tracemalloc: tomllib dicts",
            unit="B",
        ),
    ]


# -- 8. what changed since (review) --------------------------------------------------------------


def fig_changes(ctx: Ctx) -> list[Row]:
    """``changes`` over ~200 commits of the history repository, against ``git diff --stat`` of the same range."""
    from tui.core.git.gitrepo import GitRepo
    from tui.core.review.changes import changes, iter_changes

    ds, env = ctx.ds, ctx.ds.env
    repo = ds.hist
    shas = _run(["git", "rev-list", "--first-parent", "HEAD"], repo, env).split()
    span = min(200, len(shas) - 1)
    since = shas[span]
    reps = ctx.reps(9 if not ctx.quick else 5)
    ctx.log(f"  changes over {span} commits: {reps} runs each")
    touched = len(_run(["git", "diff", "--name-only", since, "HEAD", "--", "cards"], repo, env).split())

    def full() -> None:
        with GitRepo.open(repo) as g:
            changes(g, since, "HEAD")

    def first() -> None:
        with GitRepo.open(repo) as g:
            it = iter_changes(g, since, "HEAD")
            next(it, None)
            it.close()  # type: ignore[attr-defined]

    fns = {
        "full": full,
        "first": first,
        "stat": lambda: _run(["git", "diff", "--stat", since, "HEAD", "--", "cards"], repo, env),
    }
    s = interleaved(fns, reps)
    n = f"{span} commits, {touched} cards"
    rows = [
        row(
            "changes",
            "change set of the range (every card, every field)",
            n,
            s["full"],
            s["stat"],
            "git diff --stat",
            target=Target("median", 1.0, "≤1 s") if span >= 200 else None,
        ),
        row("changes", "first changed card of the range (streaming)", n, s["first"], s["stat"], "git diff --stat"),
    ]
    root = shas[-1]  # the whole history: thousands of commits and cards, the Wijzigingen screen streams it

    def first_of_all() -> None:
        with GitRepo.open(repo) as g:
            it = iter_changes(g, root, "HEAD")
            next(it, None)
            it.close()  # type: ignore[attr-defined]

    whole = interleaved(
        {
            "first": first_of_all,
            "stat": lambda: _run(["git", "diff", "--stat", root, "HEAD", "--", "cards"], repo, env),
        },
        3 if ctx.quick else 5,
    )
    rows.append(
        row(
            "changes",
            "first changed card of the whole history (streaming)",
            f"{len(shas) - 1} commits",
            whole["first"],
            whole["stat"],
            "git diff --stat",
            target=Target("median", 1.0, "≤1 s"),
        )
    )
    return rows


FIGURES: dict[str, Callable[[Ctx], list[Row]]] = {
    "paint": fig_paint,
    "load": fig_load,
    "search": fig_search,
    "save": fig_save,
    "commit": fig_commit,
    "history": fig_history,
    "memory": fig_memory,
    "national": fig_national,
    "changes": fig_changes,
    "bulk": fig_bulk,
    "relevance": fig_relevance,
}
