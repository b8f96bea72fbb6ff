"""Search queries: words plus ``thema:``/``regio:``/``soort:``/``org:``/``programma:``/``status:`` filters.

Also what index, query and snippets share: the folding and word splitting (a word found in a
card is spelled exactly like the word typed: "Coördinatie" -> "coordinatie"), the filter
values of cards (:class:`Facets`) and cutting a highlighted snippet out of a field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from collections.abc import Iterable

from rapidfuzz import fuzz

from tui.core.cards.card import Card
from tui.core.cards.schema import Schema
from tui.core.cards.text import fold, strip_accents
from tui.core.cards.vocab import Vocabulary
from tui.core.cards.status import status_code

WORD = re.compile(r"\w+")

# Filter name as typed (folded) -> canonical Dutch name used in Query.filters.
FILTER_NAMES: dict[str, str] = {
    "thema": "thema",
    "theme": "thema",
    "regio": "regio",
    "region": "regio",
    "soort": "soort",
    "kind": "soort",
    "org": "org",
    "organisatie": "org",
    "organisaties": "org",
    "programma": "programma",
    "programme": "programma",
    "status": "status",
}
FILTERS: tuple[str, ...] = ("thema", "regio", "soort", "org", "programma", "status")

# ``status:`` values meaning "no status set" (folded); the cards' own value for that is NO_STATUS_KEY.
NO_STATUS_WORDS = ("geen", "geen status", "zonder status", "leeg", "none", "no status", "empty", "-")
NO_STATUS_KEY = "(geen)"

# Card keys whose strings count as "an organisation involved" for ``org:``.
ORG_KEYS: tuple[str, ...] = (
    "betrokken_organisaties",
    "organisaties",
    "betrokken",
    "betrokken_partijen",
    "ontvangen_van",
    "kartrekker",
)

# Dutch words users say for a card kind (folded) -> kind keys; schema kind titles are added at runtime.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "project": ("project",),
    "programma": ("project",),
    "good practice": ("good_practice",),
    "goodpractice": ("good_practice",),
    "initiatief": ("initiative",),
    "initiatieven": ("initiative",),
    "ketenaanpak": ("ketenaanpak",),
    "aanvullend initiatief": ("aanvullend_initiatief",),
    "aanvullende bron": ("aanvullende_bron",),
    "bron": ("aanvullende_bron",),
    "aanvullend": ("aanvullend_initiatief", "aanvullende_bron"),
    "good practices": ("good_practice",),
    "practice": ("good_practice",),
    "gp": ("good_practice",),
    "projecten": ("project",),
    # the English labels of the kinds
    "initiative": ("initiative",),
    "initiatives": ("initiative",),
    "programme": ("project",),
    "program": ("project",),
    "chain approach": ("ketenaanpak",),
    "additional initiative": ("aanvullend_initiatief",),
    "additional source": ("aanvullende_bron",),
    "source": ("aanvullende_bron",),
}
KIND_NAMES = ("project", "good practice", "initiatief", "ketenaanpak", "aanvullend initiatief", "aanvullende bron")
# Kind names of two words: ``soort:good practice`` typed (or passed by a shell) without quotes still means one kind.
_TWO_WORD_KINDS = {tuple(w.split()) for w in KIND_WORDS if " " in w}

# Little words that need not be in a card for it to match all of a query ("welzijn op recept",
# "zorg voor ouderen"); they still count for ranking. A query of only such words needs them.
STOPWORDS = frozenset(
    (
        *("de", "het", "een", "en", "of", "van", "op", "in", "voor", "met", "te", "aan", "bij", "naar"),
        *("door", "om", "tot", "uit", "over", "als", "is", "zijn"),
        *("the", "a", "an", "and", "or", "on", "for", "with", "to", "at", "by", "from"),
    )
)

_TOKEN = re.compile(r'([^\W\d_]\w*):(?!//)("[^"]*"?|\S*)|"([^"]*)"?|(\S+)')


class _FoldTable(dict[int, str]):
    """``str.translate`` table folding one character at a time, filled on first sight."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = strip_accents(strip_accents(ch).casefold())
        folded = "".join(_UNDECOMPOSABLE.get(c, c) for c in folded)
        if folded and not any(c.isalnum() for c in folded):
            folded = ch  # punctuation ("…" -> "...") splits no words: keep it, keep positions aligned
        self[code] = folded
        if len(folded) != 1:
            IRREGULAR.add(ch)
        return folded


# Letters Unicode does not decompose into a base letter plus an accent, folded as readers expect.
_UNDECOMPOSABLE = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
FOLD_TABLE = _FoldTable()
IRREGULAR: set[str] = set()  # characters whose folded form is not one character ("ß" -> "ss")
_irregular: tuple[int, re.Pattern[str] | None] = (0, None)


def fold_chars(text: str) -> str:
    """Lower-case, accent-free ``text`` (no whitespace collapsing: mostly same length as ``text``)."""
    if text.isascii():
        return text.lower()  # what the table does to ASCII, without a lookup per character
    if len(text) > 64 and _simple(text):
        return _strip_marks(unicodedata.normalize("NFKD", text.lower()))
    return text.translate(FOLD_TABLE)


# Non-ASCII characters whose folding equals lower case + compatibility decomposition - combining marks.
# A text holding only those folds with three C passes instead of a table lookup per character
# (the same result: lower case and decomposition work character by character, and reordering
# combining marks does not matter once they are removed).
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SIMPLE: dict[str, bool] = {}
_MARKS: set[str] = set()
_marks: tuple[int, re.Pattern[str] | None] = (0, None)


def _is_simple(ch: str) -> bool:
    low = ch.lower()
    if len(low) != 1 or ch in "Σς":  # "İ" -> two characters; final sigma depends on context
        return False
    decomposed = unicodedata.normalize("NFKD", low)
    marks = [c for c in decomposed if unicodedata.combining(c)]
    if "".join(c for c in decomposed if not unicodedata.combining(c)) != FOLD_TABLE[ord(ch)]:
        return False
    _MARKS.update(marks)
    return True


def _simple(text: str) -> bool:
    simple = _SIMPLE
    for ch in set(_NON_ASCII.findall(text)):
        ok = simple.get(ch)
        if ok is None:
            ok = simple[ch] = _is_simple(ch)
        if not ok:
            return False
    return True


def _strip_marks(text: str) -> str:
    global _marks
    if not _MARKS:
        return text
    if _marks[0] != len(_MARKS):
        _marks = (len(_MARKS), re.compile("[" + "".join(re.escape(c) for c in sorted(_MARKS)) + "]"))
    pattern = _marks[1]
    return text if pattern is None else pattern.sub("", text)


def fold_quick(text: str) -> str:
    """``text.fold`` (lower-case, accent-free, whitespace collapsed), without Unicode work for ASCII text."""
    return " ".join(text.lower().split()) if text.isascii() else fold(text)


def _has_irregular(text: str) -> bool:
    global _irregular
    if not IRREGULAR:
        return False
    if _irregular[0] != len(IRREGULAR):
        _irregular = (len(IRREGULAR), re.compile("[" + "".join(re.escape(c) for c in sorted(IRREGULAR)) + "]"))
    pattern = _irregular[1]
    return pattern is not None and pattern.search(text) is not None


def fold_aligned(text: str, folded: str | None = None) -> tuple[str, list[int] | None]:
    """Folded ``text`` (pass it when known) plus, when lengths differ, the original index of each folded character.

    ``None`` means folded positions are original positions (the usual case), so snippet
    highlighting can find words in the folded text and mark them in the original.
    """
    folded = fold_chars(text) if folded is None else folded
    if len(folded) == len(text) and (text.isascii() or not _has_irregular(text)):
        return folded, None
    parts: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        f = FOLD_TABLE[ord(ch)]
        parts.append(f)
        where.extend([i] * len(f))
    return "".join(parts), where


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    return WORD.findall(fold_chars(text))


@dataclass(frozen=True)
class Query:
    """A parsed query: folded search words, (filter, value) pairs and unrecognised filter tokens."""

    words: tuple[str, ...]
    filters: tuple[tuple[str, str], ...]
    unknown: tuple[str, ...]

    @property
    def required(self) -> tuple[int, ...]:
        """Positions of the words a card must hold to match the whole query (little words are optional)."""
        needed = tuple(i for i, w in enumerate(self.words) if w not in STOPWORDS)
        return needed or tuple(range(len(self.words)))

    @property
    def text(self) -> str:
        """The query written out again, the way it can be typed: words, then filters."""
        parts = [*self.words, *(f"{name}:{quote_value(value)}" for name, value in self.filters)]
        return " ".join(parts)


def parse_query(text: str) -> Query:
    """Split ``text`` into words and filters; ``foo:bar`` with an unknown name lands in ``unknown``."""
    found: list[str] = []
    filters: list[tuple[str, str]] = []
    unknown: list[str] = []
    tokens = list(_TOKEN.finditer(text))
    skip = False
    for i, m in enumerate(tokens):
        if skip:
            skip = False
            continue
        name, value, quoted, plain = m.groups()
        if name is not None:
            canon = FILTER_NAMES.get(fold_chars(name))
            value = value.strip('"').strip()
            if canon is None:
                unknown.append(m.group(0))
            elif value:
                after = tokens[i + 1].group(4) if i + 1 < len(tokens) else None
                if canon == "soort" and after and (fold(value), fold(after)) in _TWO_WORD_KINDS:
                    value, skip = f"{value} {after}", True  # soort:good practice
                filters.append((canon, value))
            continue
        found.extend(words(quoted if quoted is not None else plain))
    return Query(tuple(dict.fromkeys(found)), tuple(filters), tuple(unknown))


def args_query(args: Iterable[str]) -> str:
    """Command-line arguments as one query: an argument holding a space is one value or one phrase.

    ``thema:Mentale gezondheid`` (a shell took the quotes) becomes ``thema:"Mentale gezondheid"``;
    an argument already quoted (``thema:"Mentale gezondheid"``) is kept as it is.
    """
    parts = []
    for arg in args:
        arg = arg.strip()
        m = re.fullmatch(r"([^\W\d_]\w*):(.*)", arg, re.DOTALL)
        if m and not m.group(2).startswith("//") and re.search(r"\s", m.group(2)) and '"' not in m.group(2):
            parts.append(f'{m.group(1)}:"{" ".join(m.group(2).split())}"')
        else:
            parts.append(arg)
    return " ".join(p for p in parts if p)


def quote_value(value: str) -> str:
    """A filter value as it must be typed: quoted when it holds spaces or special characters."""
    return value if WORD.fullmatch(value.replace("-", "").replace(".", "")) else f'"{value}"'


def split_last(text: str) -> tuple[str, str]:
    """``text`` split into what comes before the token being typed and that token."""
    m = re.search(r'(?:[^\W\d_]\w*:"[^"]*"?|\S)*$', text)
    start = m.start() if m else len(text)
    return text[:start], text[start:]


_VOCABS = {
    "thema": ("themes",),
    "regio": ("regions",),
    "programma": ("programmes",),
    "org": ("organisations", "submitters"),
}


class Facets:
    """Which cards have which filter values, grouped by distinct folded value so filtering is cheap."""

    def __init__(self, schema: Schema, vocab: Vocabulary | None = None) -> None:
        self._by: dict[str, dict[str, set[str]]] = {name: {} for name in FILTERS}
        self._shown: dict[str, dict[str, str]] = {name: {} for name in FILTERS}  # folded -> first spelling
        self._kind_words: dict[str, set[str]] = {}
        for key, kind in schema.kinds.items():
            titles = (kind.title_nl, kind.title_en or kind.title_nl)
            for word in (key, key.replace("_", " "), *(title.split(" (")[0] for title in titles)):
                self._kind_words.setdefault(fold(word), set()).add(key)
        for word, keys in KIND_WORDS.items():
            self._kind_words.setdefault(word, set()).update(k for k in keys if k in schema.kinds)
        self._status_words: dict[str, set[str]] = {fold(w): {NO_STATUS_KEY} for w in NO_STATUS_WORDS}
        self._status_codes: list[str] = []
        if vocab is None:
            try:
                vocab = Vocabulary(schema.folder)
            except (OSError, ValueError, KeyError, TypeError):  # no readable region files: codes only
                vocab = None
        for region in vocab.regions.values() if vocab is not None else ():
            for st in region.statuses:
                self._status_codes.append(st.code)
                for word in (st.code, st.code.replace("_", " "), st.label_nl, st.label_en):
                    if word:
                        self._status_words.setdefault(fold(word), set()).add(st.code)
        self._status_codes = list(dict.fromkeys(self._status_codes))

    @staticmethod
    def _values(card: Card) -> dict[str, list[str]]:
        data = card.data
        themes = [card.theme, *(t for t in data.get("themas", ()) if isinstance(t, str))]
        orgs: list[str] = []
        for key in ORG_KEYS:
            value = data.get(key)
            orgs.extend([value] if isinstance(value, str) else [v for v in value or () if isinstance(v, str)])
        values = {
            "thema": themes,
            "regio": [card.region],
            "soort": [card.kind],
            "org": orgs,
            "programma": [card.programme],
            "status": [status_code(data) or NO_STATUS_KEY],
        }
        return {name: [v for v in vs if v.strip()] for name, vs in values.items()}

    def add(self, card: Card) -> None:
        cid = card.id
        for name, values in self._values(card).items():
            by = self._by[name]
            for v in values:
                key = v if name in ("soort", "status") else fold_quick(v)
                ids = by.get(key)
                if ids is None:
                    by[key] = {cid}
                    self._shown[name].setdefault(key, " ".join(v.split()))
                else:
                    ids.add(cid)

    def remove(self, card: Card) -> None:
        self.remove_values(card.id, self._values(card))

    def snapshot(self) -> tuple[dict[str, dict[str, set[str]]], dict[str, dict[str, str]]]:
        """The facets as plain data (for the persisted search index)."""
        return self._by, self._shown

    def restore(self, by: dict[str, dict[str, set[str]]], shown: dict[str, dict[str, str]]) -> None:
        """Take the facets ``snapshot`` gave (the kind words come from the schema, as always)."""
        self._by = {name: dict(by.get(name, {})) for name in FILTERS}
        self._shown = {name: dict(shown.get(name, {})) for name in FILTERS}

    def remove_values(self, cid: str, values: dict[str, list[str]]) -> None:
        """Forget card ``cid`` under the filter values it had (``_values`` of that card)."""
        for name, vs in values.items():
            if name not in self._by:
                continue
            for v in vs:
                key = v if name in ("soort", "status") else fold_quick(v)
                ids = self._by[name].get(key)
                if ids is not None:
                    ids.discard(cid)
                    if not ids:
                        del self._by[name][key]
                        self._shown[name].pop(key, None)

    def _kinds(self, typed: str) -> set[str]:
        """Kind keys meant by ``typed``: an exact kind word, else words it starts, else words containing it."""
        for test in (str.__eq__, str.startswith, str.__contains__):
            found = {k for word, keys in self._kind_words.items() if test(word, typed) for k in keys}
            if found:
                return found
        return set()

    def _statuses(self, typed: str) -> set[str]:
        """Status codes meant by ``typed`` (a code, or a name in either language; ``geen``: no status)."""
        typed = typed.replace("_", " ")
        words = {w.replace("_", " "): codes for w, codes in self._status_words.items()}
        for code in self._by["status"]:  # a code on a card the vocabulary does not know
            words.setdefault(fold(code).replace("_", " "), set()).add(code)
        for test in (str.__eq__, str.startswith, str.__contains__):
            found = {c for word, codes in words.items() if test(word, typed) for c in codes}
            if found:
                return found
        return set()

    def _matching(self, name: str, value: str) -> set[str]:
        typed = fold(value)
        groups = self._by[name]
        if name == "status":
            keys = self._statuses(typed)
        elif name == "soort":
            keys = self._kinds(typed)
        else:
            keys = {k for k in groups if typed in k}
            if not keys and len(typed) >= 4:  # forgive a typo in the value: "mentle gezondheid"
                keys = {k for k in groups if fuzz.partial_ratio(typed, k, processor=None) >= 85}
        out: set[str] = set()
        for k in keys:
            out |= groups.get(k, set())
        return out

    def select(self, filters: tuple[tuple[str, str], ...]) -> set[str] | None:
        """Card ids passing every filter name (values of the same name are alternatives); None = no filters."""
        chosen: set[str] | None = None
        for name in dict.fromkeys(n for n, _ in filters):
            ids: set[str] = set()
            for n, v in filters:
                if n == name:
                    ids |= self._matching(name, v)
            chosen = ids if chosen is None else chosen & ids
        return chosen

    def values(self, name: str, vocab: Any = None) -> list[str]:
        """Values to offer for ``name:``: the vocabulary's first, then those used on cards."""
        offered: list[str] = []
        if name == "status":
            codes = [*self._status_codes, *(k for k in sorted(self._by["status"]) if k != NO_STATUS_KEY)]
            return [*dict.fromkeys(codes), NO_STATUS_WORDS[0]]
        if name == "soort":
            offered = [w for w in KIND_NAMES if self._kind_words.get(w)]
        elif vocab is not None:
            for source in _VOCABS[name]:
                offered.extend(vocab.values(source))
        seen = {fold(v) for v in offered}
        offered.extend(v for k, v in sorted(self._shown[name].items()) if k not in seen and name != "soort")
        return list(dict.fromkeys(offered))


# -- field text and snippets ---------------------------------------------------------------------

SNIPPET = 120


def strings(value: Any) -> Iterable[str]:
    """Every string inside a field value (lists and nested tables included), in order."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from strings(v)


def field_text(value: Any) -> str:
    """All strings of one field as a single line (list items and table cells joined with " · ")."""
    if isinstance(value, str):
        return " ".join(value.split())
    return " · ".join(" ".join(s.split()) for s in strings(value) if s.strip())


@lru_cache(maxsize=512)
def _whole_words(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern finding any of ``terms`` as a whole word (whole words never overlap, so one scan finds all)."""
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def find_terms(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Where ``terms`` (folded vocabulary words) occur in ``text`` as whole words: (start, end) in ``text``."""
    wanted = tuple(sorted(set(terms)))
    if not wanted or not text:
        return []
    folded, where = fold_aligned(text)
    pattern = _whole_words(wanted)
    if where is None:
        return [(m.start(), m.end()) for m in pattern.finditer(folded)]
    return [(where[m.start()], where[m.end() - 1] + 1) for m in pattern.finditer(folded)]


def snippet(
    text: str, folded: str, where: list[int] | None, terms: Iterable[str]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The window of ``text`` around its first match of ``terms`` (found in its ``fold_aligned`` form), with spans."""
    terms = tuple(sorted(set(terms)))
    m = _whole_words(terms).search(folded) if terms else None
    if m is None:
        return window(text, 0)[0], ()
    first = m.start()
    if where is None:
        cut, start, stop, lead = window(text, first)
        spans = [
            (m.start() - start + lead, m.end() - start + lead)
            for m in _whole_words(terms).finditer(folded, first, stop)
            if m.end() <= stop
        ]
        return cut, tuple(spans)
    cut, start, stop, lead = window(text, where[first])
    found = set()
    for m in _whole_words(terms).finditer(folded, first):
        s, e = where[m.start()], where[m.end() - 1] + 1
        if s >= start and e <= stop:
            found.add((s - start + lead, e - start + lead))
    return cut, tuple(sorted(found))


def window(text: str, first: int) -> tuple[str, int, int, int]:
    """At most SNIPPET characters of ``text`` from a little before ``first``.

    Returns the snippet, the part of ``text`` it shows (start, stop) and the length of its
    leading ellipsis, so match offsets can be moved into the snippet.
    """
    if len(text) <= SNIPPET:
        return text, 0, len(text), 0
    start = max(0, first - 30)
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    lead = "…" if start > 0 else ""
    end = start + SNIPPET - len(lead) - 1
    if end >= len(text):
        return lead + text[start:], start, len(text), len(lead)
    space = text.rfind(" ", first + 1, end)
    end = space if space > first else end
    body = text[start:end].rstrip()
    return lead + body + "…", start, start + len(body), len(lead)
