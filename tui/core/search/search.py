"""Full-text card search that keeps up with typing: an inverted index over folded words.

Every string of a card (titles, text fields, lists, nested tables) is split into folded words.
A query word is matched against the distinct-word vocabulary (exact, prefix, and rapidfuzz
typo matching), never against the card texts, and cards are ranked from the postings: first by
how many query words they match, then by where (a title hit beats a body hit) and how well.
Snippets are cut only for the results actually returned, from the cards themselves.

Kept compact for 10,000 cards: each distinct word is one (interned) string shared by the
postings and the cards' word lists, a card keeps its sorted words plus an array of field
bitmasks, and no field texts are stored (the index holds the Card objects the library holds
anyway). Building splits each field on whitespace and folds each distinct token once.
"""

from __future__ import annotations

import bisect
import heapq
import re
import sys
from array import array
from itertools import islice, repeat
from pathlib import Path
from typing import Any
from collections.abc import Collection, Iterable

from rapidfuzz import fuzz, process

from tui.core.cards.card import Card
from tui.core.search.query import (
    FILTER_NAMES,
    FILTERS,
    Facets,
    Query,
    field_text,
    fold_aligned,
    fold_chars,
    fold_quick,
    parse_query,
    quote_value,
    snippet,
    split_last,
    window,
)
from tui.core.cards.schema import Schema
from tui.core.cards.text import fold
from tui.core.search.result import PARTIAL_LIMIT, Hit, SearchResult
from tui.core.search.words import Tokens, inflection, spellings, stem, tokenize

__all__ = ["Hit", "Query", "SearchIndex", "SearchResult", "parse_query"]

MAX_WEIGHT = 4.0  # title weight 3 plus a bonus of up to 1 for short titles
PREFIX_TERMS = 40  # a short prefix ("ge") expands to its most common words only
WORD_TERMS = 400  # a word of four letters or more: (nearly) every compound holding it counts
FUZZY_TERMS = 15
KNOWN_TYPO = 90.0  # a word the cards hold matches another word only when nearly the same ...
TYPO_MARGIN = 8.0  # ... and a misspelt word only the words nearly as close as its closest


_TEXTS = 2048  # field texts kept for snippets (the cards of the last few keystrokes)
INDEX_VERSION = 1  # of ``snapshot()``: raise it whenever words, weights or postings are made differently


class _Entry:
    """What the index keeps of one card: the card, its searchable fields and, per word, the fields holding it.

    ``words`` is the card's distinct folded words, sorted and shared with the vocabulary (no
    copies per card); ``masks`` the matching bitmasks of fields (parallel, an array). Field texts
    are not kept: a snippet is cut from ``card`` when a hit shows it.
    """

    __slots__ = ("card", "fields", "masks", "weights", "words")

    def __init__(
        self, card: Card, fields: tuple[str, ...], weights: tuple[float, ...], words: tuple[str, ...], masks: Any
    ) -> None:
        self.card = card
        self.fields = fields
        self.weights = weights  # per field
        self.words = words
        self.masks = masks

    def mask(self, term: str) -> int:
        """The fields (bitmask) holding ``term``; 0 when the card does not hold it."""
        i = bisect.bisect_left(self.words, term)
        return self.masks[i] if i < len(self.words) and self.words[i] == term else 0

    def weight(self, mask: int) -> float:
        return max(w for i, w in enumerate(self.weights) if mask >> i & 1)


_GONE = Card(Path(), {}, "")  # stands in for a card of a restored index that is no longer there


def _mask_array(n_fields: int, values: Iterable[int]) -> Any:
    """Bitmasks of ``n_fields`` fields, as compact as they fit (a tuple beyond 64 fields)."""
    code = "B" if n_fields <= 8 else "H" if n_fields <= 16 else "I" if n_fields <= 32 else "Q" if n_fields <= 64 else ""
    return array(code, values) if code else tuple(values)


class SearchIndex:
    """An in-memory search index over cards, updated card by card as they are edited."""

    def __init__(self, cards: Iterable[Card], schema: Schema) -> None:
        self.schema = schema
        self._entries: dict[str, _Entry] = {}
        self._post: dict[str, dict[float, list[str]]] = {}  # word -> field weight -> card ids
        self._vocab: list[str] = []  # the distinct words, sorted (prefix search)
        self._rvocab: list[str] = []  # the same words reversed, sorted (compound search: "zorgcoördinatie")
        self._buckets: dict[tuple[str, int], list[str]] = {}  # distinct words by first letter and length
        self._df: dict[str, int] = {}  # word -> number of cards holding it
        self._order: dict[str, tuple[str, str]] = {}  # card id -> (folded title, id): title order
        self._ordered: list[tuple[str, str]] = []  # those keys, sorted
        self._ranks: dict[str, int] | None = None  # card id -> place in title order (made when first needed)
        self._ids: dict[str, str] = {}  # folded card id -> card id: typing an id finds that card first
        self._facets = Facets(schema)
        self._matches: dict[tuple[str, bool], dict[str, float]] = {}
        self._labels: dict[tuple[str, str], str] = {}
        self._shapes: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # equal field/weight tuples, shared between cards
        self._texts: dict[tuple[str, str], tuple[str, str, list[int] | None]] = {}  # (id, field) -> snippet source
        self._avg_words = 1  # distinct words per card
        self._joined: str | None = None  # the vocabulary as one string (words holding a part), made on first use
        tokens = Tokens()  # only while building: most tokens recur between cards
        for card in cards:
            self._add(card, bulk=True, tokens=tokens)
        del tokens
        self._finish()

    def _finish(self) -> None:
        """The structures derived from the postings and entries (after a bulk build or a restore)."""
        self._df = {t: sum(map(len, p.values())) for t, p in self._post.items()}
        self._avg_words = max(1, sum(self._df.values()) // max(1, len(self._entries)))
        self._vocab = sorted(self._post)
        self._rvocab = sorted(t[::-1] for t in self._post)
        self._ordered = sorted(self._order.values())
        self._buckets = {}
        for t in self._vocab:
            self._buckets.setdefault((t[0], len(t)), []).append(t)
        self._ranks = None
        self._matches.clear()
        self._texts.clear()
        self._joined = None

    # -- persisting ----------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """The index as plain data (``marshal``-able): per card its blob and words, the postings, the facets.

        ``restore`` makes an index from it that answers every query as this one does.
        """
        entries = {
            cid: (
                e.card.blob,
                e.fields,
                e.weights,
                e.words,
                e.masks.typecode if isinstance(e.masks, array) else "",
                e.masks.tobytes() if isinstance(e.masks, array) else tuple(e.masks),
                self._order[cid][0],
            )
            for cid, e in self._entries.items()
        }
        by, shown = self._facets.snapshot()
        return {"version": INDEX_VERSION, "entries": entries, "post": self._post, "by": by, "shown": shown}

    @classmethod
    def restore(cls, raw: Any, cards: Iterable[Card], schema: Schema) -> tuple[SearchIndex, int] | None:
        """An index from ``snapshot()`` data, brought up to date with ``cards``; None when ``raw`` is unusable.

        A card whose blob id differs from the snapshot's (or that is new) is indexed afresh, a card
        no longer present is forgotten: the second value says how many cards were (re)indexed or
        dropped. Anything malformed gives None (the caller builds the index from scratch).
        """
        try:
            if not isinstance(raw, dict) or raw.get("version") != INDEX_VERSION:
                return None
            entries, post = raw["entries"], raw["post"]
            by, shown = raw["by"], raw["shown"]
            if not (isinstance(entries, dict) and isinstance(post, dict)):
                return None
            if not (isinstance(by, dict) and isinstance(shown, dict)):
                return None
            current = {c.id: c for c in cards}
            moved = sum(1 for cid, c in current.items() if entries.get(cid, ("",))[0] != c.blob)
            if moved * 3 > max(len(current), 30):  # mostly new: building afresh is quicker
                return None
            self = cls([], schema)
            shapes = self._shapes
            stale: list[str] = []
            for cid, stored in entries.items():
                blob, fields, weights, words, code, masks, folded = stored
                card = current.get(cid)
                masks = array(code, masks) if code else tuple(masks)
                if len(masks) != len(words) or len(fields) != len(weights):
                    return None
                fields = shapes.setdefault(fields, fields)
                weights = shapes.setdefault(weights, weights)
                self._entries[cid] = _Entry(card if card is not None else _GONE, fields, weights, words, masks)
                self._order[cid] = (folded, cid)
                self._ids[fold_quick(cid)] = cid
                if card is None or card.blob != blob:
                    stale.append(cid)
            self._post = post
            self._facets.restore(by, shown)
            self._finish()
            for cid in stale:
                self._forget(cid, facets=False)
            fresh = [c for c in current.values() if c.id not in self._entries]
            for card in fresh:
                self._add(card, bulk=False)
            if stale:  # the facets of a changed or vanished card: rebuilt from the cards as they are
                self._facets = Facets(schema)
                for card in current.values():
                    self._facets.add(card)
            return self, len(set(stale).union(c.id for c in fresh))
        except Exception:  # a malformed snapshot: built afresh
            return None

    def __len__(self) -> int:
        return len(self._entries)

    # -- maintenance -------------------------------------------------------------------------

    def update(self, card: Card) -> None:
        """Add ``card``, or replace the card with the same id."""
        self.remove(card.id)
        self._add(card, bulk=False)

    def _shared(self, value: tuple[Any, ...]) -> tuple[Any, ...]:
        return self._shapes.setdefault(value, value)

    def _add(self, card: Card, bulk: bool, tokens: Tokens | None = None) -> None:
        if card.id in self._entries:
            self.remove(card.id)
        cid = card.id
        fields, weights, terms, groups = tokenize(card, Tokens() if tokens is None else tokens)
        post = self._post
        get = post.get
        for w, group in groups.items():
            for term in group:
                postings = get(term)
                if postings is None:
                    term = sys.intern(term)
                    post[term] = {w: [cid]}
                    if not bulk:
                        self._df[term] = 1
                        bisect.insort(self._vocab, term)
                        bisect.insort(self._rvocab, term[::-1])
                        self._buckets.setdefault((term[0], len(term)), []).append(term)
                        self._matches.clear()
                        self._joined = None
                    continue
                ids = postings.get(w)
                if ids is None:
                    postings[w] = [cid]
                else:
                    ids.append(cid)
                if not bulk:
                    self._df[term] += 1
        words = tuple(sorted(terms))  # interned: the vocabulary's own strings, a pointer each
        masks = _mask_array(len(fields), map(terms.__getitem__, words))
        self._entries[cid] = _Entry(
            card, self._shared(tuple(map(sys.intern, fields))), self._shared(tuple(weights)), words, masks
        )
        self._order[cid] = (fold_quick(card.title), cid)
        self._ids[fold_quick(cid)] = cid
        if not bulk:
            bisect.insort(self._ordered, self._order[cid])
            self._ranks = None
            self._texts.clear()
        self._facets.add(card)

    def remove(self, card_id: str) -> None:
        """Forget the card ``card_id`` (nothing happens when it is not indexed)."""
        self._forget(card_id, facets=True)

    def _forget(self, card_id: str, facets: bool) -> None:
        entry = self._entries.pop(card_id, None)
        if entry is None:
            return
        self._texts.clear()
        for term, mask in zip(entry.words, entry.masks, strict=False):
            postings = self._post[term]
            w = entry.weight(mask)
            postings[w].remove(card_id)
            self._df[term] -= 1
            if not postings[w]:
                del postings[w]
                if not postings:
                    del self._post[term]
                    del self._df[term]
                    del self._vocab[bisect.bisect_left(self._vocab, term)]
                    del self._rvocab[bisect.bisect_left(self._rvocab, term[::-1])]
                    self._buckets[(term[0], len(term))].remove(term)
                    self._matches.clear()
                    self._joined = None
        del self._ordered[bisect.bisect_left(self._ordered, self._order.pop(card_id))]
        self._ranks = None
        self._ids.pop(fold_quick(card_id), None)
        if facets:
            self._facets.remove(entry.card)

    # -- matching ------------------------------------------------------------------------------

    def _starting(self, ordered: list[str], start: str, reverse: bool = False) -> list[str]:
        """Longer words of the sorted list ``ordered`` starting with ``start``, most common first if there are many.

        At most PREFIX_TERMS for a prefix of under four letters (still typing), WORD_TERMS beyond.
        With ``reverse`` the list holds reversed words (to find endings); the answer is forwards.
        """
        lo = bisect.bisect_left(ordered, start)
        hi = bisect.bisect_left(ordered, start + "\U0010ffff", lo)
        longer = [t[::-1] if reverse else t for t in ordered[lo:hi] if t != start]
        cap = PREFIX_TERMS if len(start) < 4 else WORD_TERMS
        return heapq.nlargest(cap, longer, key=self._df.__getitem__) if len(longer) > cap else longer

    def _terms_for(self, word: str, last: bool) -> dict[str, float]:
        """Vocabulary words ``word`` may mean, with a similarity in (0, 1]: exact, prefix, compound, typo.

        The word being typed (the last) matches as a prefix from two letters on, the others from
        four; a word of four letters or more also matches compounds ending in it ("coördinatie"
        in "zorgcoördinatie"). Typos are looked for among words starting with the query word's
        first or second letter (a typo in the very first letter is rare): fast at 100,000 words.
        """
        cached = self._matches.get((word, last))
        if cached is not None:
            return cached
        found: dict[str, float] = {}
        if len(word) >= 4:
            for t in self._starting(self._rvocab, word[::-1], reverse=True):
                found[t] = 0.6 + 0.25 * len(word) / len(t)
        if len(word) >= 4 or (last and len(word) >= 2):
            for t in self._starting(self._vocab, word):
                found[t] = 0.7 + 0.25 * len(word) / len(t)
        root = stem(word)
        for part in spellings(root) if len(root) >= 6 else ():  # "mantelzorg(ers)" in "mantelzorgondersteuning"
            for t in self._containing(part):
                found.setdefault(t, 0.55 + 0.25 * len(part) / len(t))
        if len(word) >= 4:
            for t, score in self._typos(word):
                found[t] = max(found.get(t, 0.0), 0.9 * score / 100)
        if word in self._post:
            found[word] = 1.0
        if len(self._matches) > 512:
            self._matches.clear()
        self._matches[(word, last)] = found
        return found

    def _containing(self, part: str) -> list[str]:
        """Vocabulary words holding ``part`` anywhere (most common first if there are many)."""
        joined = self._joined
        if joined is None:
            joined = self._joined = "\n" + "\n".join(self._vocab) + "\n"
        found: list[str] = []
        at = joined.find(part)
        while at != -1:
            start = joined.rfind("\n", 0, at) + 1
            end = joined.find("\n", at)
            found.append(joined[start:end])
            at = joined.find(part, end)
        return heapq.nlargest(WORD_TERMS, found, key=self._df.__getitem__) if len(found) > WORD_TERMS else found

    def _typos(self, word: str) -> list[tuple[str, float]]:
        """Words within a few edits of ``word`` (rapidfuzz Indel ratio), best first.

        Only words starting with the query word's first or second letter (a typo in the very
        first letter is rare) and of a length that can reach the cutoff are compared.
        """
        cutoff = 80.0 if len(word) < 8 else 75.0
        c = cutoff / 100
        lengths = range(max(1, int(len(word) * c / (2 - c))), int(len(word) * (2 - c) / c) + 1)
        found: list[tuple[str, float]] = []
        for initial in dict.fromkeys(word[:2]):
            for n in lengths:
                candidates = self._buckets.get((initial, n))
                if candidates:
                    found.extend(
                        (t, score)
                        for t, score, _ in process.extract(
                            word, candidates, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=FUZZY_TERMS
                        )
                    )
        best = heapq.nlargest(FUZZY_TERMS, found, key=lambda f: f[1])
        if word in self._post:  # a real word: only its own inflections ("palliatief" for "palliatieve")
            return [(t, s) for t, s in best if (t != word and s >= KNOWN_TYPO) or inflection(word, t)]
        return [(t, s) for t, s in best if s >= best[0][1] - TYPO_MARGIN]

    def _word_scores(self, terms: dict[str, float], scale: float) -> dict[str, float]:
        """Per card, 1 + its best weighted similarity for one query word (scaled into [0, 1/n))."""
        groups = sorted((1.0 + sim * w * scale, ids) for t, sim in terms.items() for w, ids in self._post[t].items())
        best: dict[str, float] = {}
        for value, ids in groups:  # ascending, so each card's highest value is written last
            best.update(zip(ids, repeat(value)))
        return best

    def _scored(self, q: Query) -> tuple[dict[str, float], list[dict[str, float]], list[Collection[str]]]:
        """Score per card matching any word (words matched, plus a fraction for where and how well).

        Also the words' vocabulary matches and, per query word, the cards holding it.
        """
        n = len(q.words)
        all_terms = [self._terms_for(w, i == n - 1) for i, w in enumerate(q.words)]
        scale = 1.0 / (n * MAX_WEIGHT)
        scored = [self._word_scores(terms, scale) for terms in all_terms]
        per_word = sorted(scored, key=len)
        total = per_word.pop()  # start from the most common word: only the rarer ones are looped over
        # per word, the cards holding it (the dict that becomes the total is copied: it grows)
        holders: list[Collection[str]] = [set(s) if s is total and n > 1 else s.keys() for s in scored]
        get = total.get
        for scores in per_word:
            for cid, v in scores.items():
                total[cid] = get(cid, 0.0) + v
        allowed = self._facets.select(q.filters)
        if allowed is not None:
            if len(allowed) < len(total):
                total = {c: total[c] for c in allowed if c in total}
            else:
                total = {c: v for c, v in total.items() if c in allowed}
        return total, all_terms, holders

    # -- public queries --------------------------------------------------------------------------

    def find(self, query: str | Query, *, partial_limit: int = PARTIAL_LIMIT) -> SearchResult:
        """THE search: every card matching the whole query, best first, and the best partial matches.

        A card matches when it holds every word of the query (little words like "op" aside), each
        exactly, as a prefix or compound part, or with a typo, and passes every filter. Filters
        alone select exactly: every card they select, by title. Cards holding only some of the
        words are the ``partial`` ones (at most ``partial_limit``).
        """
        q = parse_query(query) if isinstance(query, str) else query
        if not q.words:
            allowed = self._facets.select(q.filters)
            chosen: Collection[str] = self._entries if allowed is None else allowed
            return SearchResult(q, self._by_title(chosen, len(chosen)), [], True, frozenset(), self._title_hits)
        total, all_terms, holders = self._scored(q)
        needed = sorted((holders[i] for i in q.required), key=len)
        first, rest = needed[0], needed[1:]
        full = {c for c in first if all(c in h for h in rest)} if rest else set(first)
        if q.filters:
            full.intersection_update(total.keys())
        exact = self._ids.get(fold(query)) if isinstance(query, str) else None
        if exact is not None and (exact in total or not q.filters):  # a card id typed: that card, the rest partial
            total[exact] = max(total.values(), default=0.0) + 1.0
            full = {exact}
        ids = sorted(full, key=self._rank().__getitem__)  # title order, then (stable) best first
        ids.sort(key=total.__getitem__, reverse=True)
        partial = self._best(total.keys() - full, total, partial_limit)
        terms = frozenset(t for found in all_terms for t in found)

        def make_hits(chosen: Collection[str]) -> list[Hit]:
            top = list(chosen)
            matched = self._matched(top, all_terms)
            return [self._hit(cid, round(total[cid], 4), all_terms, matched.get(cid, ())) for cid in top]

        return SearchResult(q, ids, partial, False, terms, make_hits)

    def _rank(self) -> dict[str, int]:
        """Card id -> its place in title order (ints sort much faster than title tuples)."""
        ranks = self._ranks
        if ranks is None:
            ranks = self._ranks = {cid: i for i, (_, cid) in enumerate(self._ordered)}
        return ranks

    def _best(self, ids: Collection[str], score: dict[str, float], n: int) -> list[str]:
        """The ``n`` best-scoring of ``ids``, best first; equal scores (also at the cut) in title order."""
        if n <= 0 or not ids:
            return []
        top = heapq.nlargest(n + 1, ids, key=score.__getitem__)
        if len(top) > n and score[top[n]] == score[top[n - 1]]:  # ties at the cut: the first titles
            cut = score[top[n - 1]]
            above = [c for c in top if score[c] > cut]
            ties = [c for c, v in score.items() if v == cut and c in ids]
            top = above + self._by_title(ties, n - len(above))
        del top[n:]
        top.sort(key=self._rank().__getitem__)
        top.sort(key=score.__getitem__, reverse=True)
        return top

    def search(self, query: str | Query, limit: int = 50) -> list[Hit]:
        """The first ``limit`` cards matching the whole query (``find(query).head(limit)``)."""
        return self.find(query).head(limit)

    def _title_hits(self, ids: Collection[str]) -> list[Hit]:
        return [self._title_hit(cid) for cid in ids]

    def _matched(self, top: list[str], all_terms: list[dict[str, float]]) -> dict[str, list[tuple[int, str]]]:
        """Per card of ``top``: the (query word number, vocabulary word) pairs it holds.

        From the postings of the query's words, or from the cards' own word lists when those are
        fewer to go through (common words, few results).
        """
        found: dict[str, list[tuple[int, str]]] = {}
        df = self._df
        if sum(df[t] for terms in all_terms for t in terms) > len(top) * len(all_terms) * self._avg_words:
            entries = self._entries
            for cid in top:
                words = entries[cid].words
                pairs = [(k, t) for k, terms in enumerate(all_terms) for t in terms.keys() & words]
                if pairs:
                    found[cid] = pairs
            return found
        want = set(top)
        post = self._post
        for k, terms in enumerate(all_terms):
            for t in terms:
                for ids in post[t].values():
                    for cid in want.intersection(ids):
                        found.setdefault(cid, []).append((k, t))
        return found

    def _by_title(self, ids: Collection[str], limit: int) -> list[str]:
        """The first ``limit`` of ``ids`` in title order."""
        if len(ids) * 8 < len(self._ordered):
            return heapq.nsmallest(limit, ids, key=self._rank().__getitem__)
        chosen = ids if isinstance(ids, (set, dict)) else set(ids)
        return [cid for _, cid in islice((k for k in self._ordered if k[1] in chosen), limit)]

    def filter_ids(self, query: str | Query) -> set[str]:
        """Ids of every card matching the whole query (``find(query).ids`` as a set)."""
        return set(self.find(query, partial_limit=0).ids)

    def completions(self, prefix: str, vocab: Any = None) -> list[str]:
        """Completions of the token being typed: filter names, or values for ``name:``.

        Each completion is the whole of ``prefix`` with its last token completed, so the caller
        can replace the input with it. Values come from ``vocab`` (a Vocabulary) and the cards.
        """
        head, token = split_last(prefix)
        m = re.fullmatch(r'([^\W\d_]\w*):"?([^"]*)"?', token)
        if m is None:
            typed = fold_chars(token)
            return [f"{head}{name}:" for name in FILTERS if name.startswith(typed)]
        name = FILTER_NAMES.get(fold_chars(m.group(1)))
        if name is None:
            return []
        typed = fold(m.group(2))
        ranked: list[tuple[int, str]] = []
        for value in self._facets.values(name, vocab):
            folded = fold(value)
            if folded.startswith(typed):
                ranked.append((0, value))
            elif any(w.startswith(typed) for w in folded.split()):
                ranked.append((1, value))
            elif typed in folded:
                ranked.append((2, value))
        ranked.sort(key=lambda r: r[0])
        return [f"{head}{name}:{quote_value(v)}" for _, v in ranked[:20]]

    # -- results -----------------------------------------------------------------------------------

    def _label(self, kind: str, key: str) -> str:
        label = self._labels.get((kind, key))
        if label is None:
            k = self.schema.kind(kind)
            f = k.field(key) if k else None
            if f is None:
                f = next((kk.field(key) for kk in self.schema.kinds.values() if kk.field(key)), None)
            label = self._labels[(kind, key)] = f.label if f else key
        return label

    def _title_hit(self, cid: str) -> Hit:
        card = self._entries[cid].card
        return Hit(cid, 0.0, "title", self._label(card.kind, "title"), window(field_text(card.title), 0)[0], ())

    def _hit(self, cid: str, score: float, all_terms: list[dict[str, float]], pairs: Iterable[tuple[int, str]]) -> Hit:
        """Pick the field matching the most query words (then the best-weighted one) and cut its snippet."""
        entry = self._entries[cid]
        weights = entry.weights
        best: dict[tuple[int, int], float] = {}  # (query word, field) -> best weighted similarity
        in_field: list[tuple[int, str]] = []  # (field, word)
        mask_of = entry.mask
        for k, t in pairs:
            sim = all_terms[k][t]
            mask = mask_of(t)
            while mask:
                low = mask & -mask
                mask ^= low
                i = low.bit_length() - 1
                in_field.append((i, t))
                v = sim * weights[i]
                if best.get((k, i), -1.0) < v:
                    best[(k, i)] = v
        if not best:
            return self._title_hit(cid)
        field_score: dict[int, float] = {}
        for (_, i), v in best.items():
            field_score[i] = field_score.get(i, 0.0) + 1.0 + v / MAX_WEIGHT
        top = max(field_score.values())
        i = min(j for j, v in field_score.items() if v == top)  # ties: the first field
        key = entry.fields[i]
        text, folded, where = self._text(cid, entry.card, key)
        cut, spans = snippet(text, folded, where, [t for j, t in in_field if j == i])
        return Hit(cid, score, key, self._label(entry.card.kind, key), cut, spans)

    def _text(self, cid: str, card: Card, key: str) -> tuple[str, str, list[int] | None]:
        """A field's text as one line, folded and aligned: cut from the card, kept for the next keystrokes."""
        source = self._texts.get((cid, key))
        if source is None:
            text = field_text(card.data[key])
            source = (text, *fold_aligned(text))
            if len(self._texts) >= _TEXTS:
                self._texts.clear()
            self._texts[(cid, key)] = source
        return source
