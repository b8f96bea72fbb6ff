"""Synthetic card repositories for the benchmark, made from the real cards.

A repository of N cards holds the 295 real cards plus N - 295 generated ones (so N = 337 is
the real set plus 42). A generated card copies the field shapes of a real card of the same
kind (same keys, same nesting, same enum values and vocabulary terms) and gets a new id and
file name, a title made of words from titles of that kind, and text fields made of lines and
sentences shuffled between cards of that kind with some words swapped. Card ``i`` depends only
on ``(seed, i)``, so the 2,000-card set contains the 337-card set.

Commit histories are written with one ``git fast-import`` stream. Everything lands in a cache
folder (``~/.cache/kaartenbak-bench`` or ``--data``), keyed by seed and generator version, and
is reused while its ``.complete`` marker exists.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent  # the project checkout (cards/, schema/)
GEN_VERSION = 3
REAL = 295
AUTHOR = "Bench Gebruiker <bench@example.org>"
LONG = 40  # strings at least this long (or multi-line) are text to shuffle
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def default_data_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kaartenbak-bench"


def git_env(home: Path) -> dict[str, str]:
    """An environment where git reads no user or system config and never prompts."""
    home.mkdir(parents=True, exist_ok=True)
    cfg = home / "gitconfig"
    if not cfg.exists():
        cfg.write_text("")
    env = dict(os.environ)
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(var, None)
    env.update(GIT_CONFIG_GLOBAL=str(cfg), GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    return env


def _git(repo: Path, env: dict[str, str], *args: str, stdin: bytes | None = None) -> str:
    out = subprocess.run(["git", *args], cwd=repo, env=env, input=stdin, capture_output=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {out.stderr.decode(errors='replace')}")
    return out.stdout.decode()


# -- card generation ---------------------------------------------------------------------------


def real_cards() -> list[tuple[str, dict[str, Any], bytes]]:
    """(path relative to the repo, parsed data, raw bytes) of every real card, sorted by path."""
    found = []
    for p in sorted((ROOT / "cards").rglob("*.toml")):
        raw = p.read_bytes()
        found.append((p.relative_to(ROOT).as_posix(), tomllib.loads(raw.decode("utf-8-sig")), raw))
    return found


def _strings(value: Any, key: str, out: list[tuple[str, str]]) -> None:
    if isinstance(value, str):
        out.append((key, value))
    elif isinstance(value, list):
        for v in value:
            _strings(v, key, out)
    elif isinstance(value, dict):
        for k, v in value.items():
            _strings(v, k, out)


@dataclass
class Pools:
    """Per kind: title words, text lines, sentences and words to shuffle between cards."""

    templates: dict[str, list[dict[str, Any]]]
    title_words: dict[str, list[str]]
    lines: dict[str, list[str]]
    words: dict[str, list[str]]

    @staticmethod
    def build(cards: list[tuple[str, dict[str, Any], bytes]]) -> Pools:
        p = Pools({}, {}, {}, {})
        for _, data, _ in cards:
            kind = str(data.get("kind"))
            p.templates.setdefault(kind, []).append(data)
            p.title_words.setdefault(kind, []).extend(str(data.get("title", "")).split())
            found: list[tuple[str, str]] = []
            _strings({k: v for k, v in data.items() if k not in ("id", "title")}, "", found)
            for _, s in found:
                if len(s) >= LONG or "\n" in s:
                    for line in s.split("\n"):
                        if line.strip():
                            p.lines.setdefault(kind, []).append(line)
                            p.words.setdefault(kind, []).extend(line.split())
        return p


def _shuffle_text(rng: random.Random, text: str, kind: str, pools: Pools) -> str:
    lines = pools.lines.get(kind) or [text]
    words = pools.words.get(kind) or text.split()
    out = []
    for line in text.split("\n"):
        if not line.strip():
            out.append(line)
            continue
        src = rng.choice(lines)
        sentences = _SENTENCE.split(src) + _SENTENCE.split(rng.choice(lines))
        rng.shuffle(sentences)
        new = " ".join(sentences[: max(1, len(sentences) // 2)])
        toks = new.split(" ")
        for _ in range(max(1, len(toks) // 10)):  # swap about one word in ten
            toks[rng.randrange(len(toks))] = rng.choice(words)
        prefix = "• " if line.startswith("• ") and not new.startswith("• ") else ""
        out.append(prefix + " ".join(toks))
    return "\n".join(out)


def _vary(rng: random.Random, value: Any, kind: str, pools: Pools) -> Any:
    if isinstance(value, str):
        return _shuffle_text(rng, value, kind, pools) if len(value) >= LONG or "\n" in value else value
    if isinstance(value, list):
        return [_vary(rng, v, kind, pools) for v in value]
    if isinstance(value, dict):
        return {k: _vary(rng, v, kind, pools) for k, v in value.items()}
    return value


def generate_card(seed: int, i: int, pools: Pools) -> dict[str, Any]:
    """The ``i``-th generated card (depends only on seed and i)."""
    rng = random.Random(f"{seed}:{i}")
    kind = rng.choice(sorted(pools.templates))
    template = rng.choice(pools.templates[kind])
    data = copy.deepcopy(template)
    region = str(data.get("region", "X"))
    data["id"] = f"{region}/G{i:05d}"
    n_words = max(2, len(str(template.get("title", "")).split()) + rng.randint(-1, 2))
    title = " ".join(rng.choice(pools.title_words[kind]) for _ in range(n_words))
    data["title"] = title[:1].upper() + title[1:]
    for key, value in list(data.items()):
        if key not in ("id", "kind", "region", "title", "theme", "programme", "number"):
            data[key] = _vary(rng, value, kind, pools)
    data.pop("related", None)  # links to generated ids would dangle
    return data


class Renderer:
    """Card data -> canonical TOML text with the project's own writer (schema key order)."""

    def __init__(self) -> None:
        from tui.core.paths import schema_dir
        from tui.core.cards.schema import Schema
        from tui.core.cards.slug import slugify
        from tui.core.cards.tomlfmt import render

        self.schema = Schema(schema_dir(ROOT))
        self._render, self._slug = render, slugify

    def path_for(self, data: dict[str, Any]) -> str:
        return f"cards/{self._slug(str(data['region']))}/{self._slug(str(data['id']))}.toml"

    def text(self, rel: str, data: dict[str, Any]) -> bytes:
        kind = self.schema.kind(str(data.get("kind")))
        header = f"#:schema ../../schema/json/{data.get('kind')}.schema.json"
        return self._render(data, list(kind.keys) if kind else [], header).encode("utf-8")


def card_set(n: int, seed: int) -> dict[str, bytes]:
    """Repo-relative path -> bytes of the N cards (the real ones first, then generated)."""
    real = real_cards()
    files = {rel: raw for rel, _, raw in real[:n]}
    if n <= len(real):
        return files
    pools = Pools.build(real)
    r = Renderer()
    for i in range(n - len(real)):
        data = generate_card(seed, i, pools)
        rel = r.path_for(data)
        files[rel] = r.text(rel, data)
    return files


def _support_files() -> dict[str, bytes]:
    files = {".gitattributes": (ROOT / ".gitattributes").read_bytes()}
    for p in sorted((ROOT / "schema").rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            files[p.relative_to(ROOT).as_posix()] = p.read_bytes()
    return files


# -- repositories ------------------------------------------------------------------------------


def _blob(data: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(data), data)


def _commit_header(mark: int, when: int, message: str) -> bytes:
    msg = message.encode()
    return (
        b"commit refs/heads/main\nmark :%d\n" % mark
        + f"author {AUTHOR} {when} +0100\ncommitter {AUTHOR} {when} +0100\n".encode()
        + _blob(msg)[:-1]
    )


def build_repo(dest: Path, files: dict[str, bytes], history: list[tuple[str, bytes, str]], env: dict[str, str]) -> None:
    """A git repository at ``dest``: one commit with ``files``, then one commit per history entry
    (path, new bytes, message), all through one fast-import stream; the work tree is checked out."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    _git(dest, env, "init", "-q", "-b", "main")
    _git(dest, env, "config", "user.name", AUTHOR.split(" <")[0])
    _git(dest, env, "config", "user.email", AUTHOR.split("<")[1].rstrip(">"))
    when = 1_700_000_000
    parts = [_commit_header(1, when, "Eerste kaarten") + b"\n"]
    for rel, data in sorted(files.items()):
        parts.append(f"M 100644 inline {rel}\n".encode() + _blob(data))
    parts.append(b"\n")
    for k, (rel, data, message) in enumerate(history, 2):
        parts.append(_commit_header(k, when + 60 * k, message) + b"\n")
        parts.append(f"M 100644 inline {rel}\n".encode() + _blob(data) + b"\n")
    _git(dest, env, "fast-import", "--quiet", "--done", stdin=b"".join(parts) + b"done\n")
    _git(dest, env, "reset", "-q", "--hard", "main")
    for graph in (dest / ".git/objects/info").glob("commit-graph*"):  # measured with and without
        shutil.rmtree(graph) if graph.is_dir() else graph.unlink()


def _edit(rng: random.Random, text: str) -> str:
    """One small edit of a card's text: a word in a long text line changes (one field changes)."""
    lines = text.split("\n")
    candidates = [
        i
        for i, line in enumerate(lines)
        if len(line) >= LONG
        and not line.startswith("#")
        and " = " not in line[:30]
        and any(tok.isalpha() for tok in line.split(" "))
    ]
    if not candidates:
        candidates = [i for i, line in enumerate(lines) if line.startswith("title = ")]
        i = candidates[0]
        return "\n".join([*lines[:i], lines[i][:-1] + f' {rng.randint(0, 9999)}"', *lines[i + 1 :]])
    i = rng.choice(candidates)
    toks = lines[i].split(" ")
    j = rng.choice([j for j, tok in enumerate(toks) if tok.isalpha()])  # a plain word: never a quote or key
    toks[j] = rng.choice(
        ["zorg", "welzijn", "inwoners", "samenwerking", "preventie", "huisarts", "wijk", f"v{rng.randint(0, 999)}"]
    )
    lines[i] = " ".join(toks)
    return "\n".join(lines)


def history(
    files: dict[str, bytes], commits: int, hot: str, hot_commits: int, seed: int, keep: str = ""
) -> list[tuple[str, bytes, str]]:
    """``commits`` one-card commits; ``hot_commits`` of them (spread evenly) change ``hot``.

    ``keep`` is never changed.
    """
    rng = random.Random(f"{seed}:history:{commits}:{hot_commits}")
    current = {rel: data.decode("utf-8") for rel, data in files.items() if rel.startswith("cards/")}
    others = sorted(r for r in current if r not in (hot, keep))
    every = commits / hot_commits if hot_commits else float("inf")
    hot_at = {int(k * every) for k in range(hot_commits)}
    out = []
    for k in range(commits):
        rel = hot if k in hot_at else rng.choice(others)
        current[rel] = _edit(rng, current[rel])
        out.append((rel, current[rel].encode("utf-8"), f"{Path(rel).stem}: tekst bijgewerkt ({k})"))
    return out


@dataclass
class Dataset:
    """Where the generated repositories are, plus what the measurements need to know."""

    root: Path
    cards: dict[int, Path]  # N -> repo
    hist: Path  # one card with many commits among many commits overall
    hist_commits: int
    hot: str  # the card with many commits
    hot_commits: int
    cold: str  # a card touched only by the first commit
    hot_only: Path  # a repo whose commits all touch the hot card
    env: dict[str, str]


def _source_digest() -> str:
    h = hashlib.sha1(str(GEN_VERSION).encode())
    for rel, _, raw in real_cards():
        h.update(rel.encode() + raw)
    return h.hexdigest()[:10]


def prepare(
    data_dir: Path | None, sizes: list[int], seed: int, hist_commits: int, hot_commits: int, log: Any = print
) -> Dataset:
    """Generate (or reuse) the repositories for ``sizes`` and the two history repositories."""
    base = (data_dir or default_data_dir()) / f"v{GEN_VERSION}-{_source_digest()}-seed{seed}"
    env = git_env(base / "home")
    repos: dict[int, Path] = {}
    cache: dict[int, dict[str, bytes]] = {}

    def files_for(n: int) -> dict[str, bytes]:
        if n not in cache:
            cache[n] = {**_support_files(), **card_set(n, seed)}
        return cache[n]

    def ensure(dest: Path, make: Any, what: str) -> None:
        marker = dest / ".git" / "bench-complete"
        if marker.exists():
            return
        log(f"generating {what} in {dest} ...")
        make(dest)
        marker.write_text(json.dumps({"what": what, "seed": seed}))

    for n in sizes:
        dest = base / f"cards-{n}"
        ensure(dest, lambda d, n=n: build_repo(d, files_for(n), [], env), f"{n} cards")
        repos[n] = dest
    small = min(sizes)
    card_paths = sorted(r for r in files_for(small) if r.startswith("cards/"))
    hot = "cards/wbw/wbw-t1-1.1.toml" if "cards/wbw/wbw-t1-1.1.toml" in card_paths else card_paths[0]
    cold = "cards/nml/nml-c1.toml" if "cards/nml/nml-c1.toml" in card_paths else card_paths[-1]
    hist = base / f"hist-{small}-{hist_commits}-{hot_commits}"
    ensure(
        hist,
        lambda d: build_repo(
            d, files_for(small), history(files_for(small), hist_commits, hot, hot_commits, seed, cold), env
        ),
        f"{hist_commits} commits ({hot_commits} on one card)",
    )
    hot_only = base / f"hot-{small}-{hot_commits}"
    ensure(
        hot_only,
        lambda d: build_repo(
            d, files_for(small), history(files_for(small), hot_commits, hot, hot_commits, seed, cold), env
        ),
        f"{hot_commits} commits, all on one card",
    )
    return Dataset(base, repos, hist, hist_commits, hot, hot_commits, cold, hot_only, env)


def national_repo(ds: Dataset, n: int, commits: int, seed: int | None = None, log: Any = print) -> Path:
    """The national database's repository: ``n`` cards in a first commit, then ``commits`` one-card
    commits spread over all the cards (none singled out), through one ``git fast-import`` stream.

    Reproducible from ``seed`` (default: the seed ``ds`` was made with); made once in ``ds.root``
    and reused while its marker exists.
    """
    if seed is None:
        seed = int(json.loads((ds.hist / ".git" / "bench-complete").read_text())["seed"])
    dest = ds.root / f"national-{n}-{commits}"
    marker = dest / ".git" / "bench-complete"
    if marker.exists():
        return dest
    log(f"generating {n} cards with {commits} commits spread over them in {dest} ...")
    files = {**_support_files(), **card_set(n, seed)}
    build_repo(dest, files, history(files, commits, "", 0, seed), ds.env)
    marker.write_text(json.dumps({"what": f"{n} cards, {commits} commits", "seed": seed}))
    return dest
