"""The words of a card as the search index keeps them: tokens folded once, each word's field
bitmask and weight, and the Dutch word forms (endings, doubled vowels) a query word may take."""

from __future__ import annotations

import re
import sys
from itertools import chain
from typing import Any

from tui.core.cards.card import Card
from tui.core.search.query import WORD, fold_chars, strings

FIELD_WEIGHTS = {"alt_titles": 2.0, "id": 2.0, "number": 1.5, "theme": 1.5, "programme": 1.5, "source": 0.5}


def plain_text(value: Any) -> str:
    """All strings of a field, one per line: the same words as ``field_text`` without its joining."""
    return value if isinstance(value, str) else "\n".join(strings(value))


class Tokens(dict[str, tuple[str, ...]]):
    """Whitespace-separated token as written -> its folded words (interned), filled on first sight.

    Folding never joins or splits across whitespace, so the words of a text are the words of
    its distinct tokens: a card is indexed with ``str.split`` and lookups, not per-character work.
    """

    def __missing__(self, token: str) -> tuple[str, ...]:
        found = self[token] = tuple(map(sys.intern, WORD.findall(fold_chars(token))))
        return found


def field_weight(key: str, title_bonus: float) -> float:
    return 3.0 + title_bonus if key == "title" else FIELD_WEIGHTS.get(key, 1.0)


def tokenize(card: Card, tokens: Tokens) -> tuple[list[str], list[float], dict[str, int], dict[float, set[str]]]:
    """One card's fields with words, their weights, each word's field bitmask, and words by best field weight."""
    title_bonus = round(1.0 / (len(WORD.findall(card.title)) or 1), 2)  # short titles: a hit says more
    fields: list[str] = []
    weights: list[float] = []
    found: list[set[str]] = []
    lookup = tokens.__getitem__
    for key, value in card.data.items():
        words = set(chain.from_iterable(map(lookup, set(plain_text(value).split()))))
        if words:
            fields.append(key)
            weights.append(field_weight(key, title_bonus))
            found.append(words)
    terms: dict[str, int] = {}
    seen: set[str] = set()
    groups: dict[float, set[str]] = {}
    # heaviest field first: the field where a word is first seen gives its best weight
    for i in sorted(range(len(fields)), key=weights.__getitem__, reverse=True):
        bit = 1 << i
        words = found[i]
        if seen:
            for t in words & seen:
                terms[t] |= bit
            words -= seen
        if words:
            seen |= words
            terms.update(dict.fromkeys(words, bit))
            group = groups.get(weights[i])
            if group is None:
                groups[weights[i]] = words
            else:
                group |= words
    return fields, weights, terms, groups


_ENDINGS = ("ingen", "ing", "ers", "en", "er", "s", "e")  # Dutch plural and verb endings, longest first


def stem(word: str) -> str:
    """``word`` without one Dutch ending when at least six letters remain ("mantelzorgers" -> "mantelzorg")."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 6:
            return word[: -len(ending)]
    return word


_VOWELS = "aeou"
_CONSONANT = re.compile(r"[^\Waeiouy\d_]")


def spellings(stem: str) -> tuple[str, ...]:
    """A stem and its spelling in a closed syllable: Dutch doubles the vowel ("verpleg-ing", "verpleeg-kundige")."""
    if (
        len(stem) >= 3
        and _CONSONANT.fullmatch(stem[-1])
        and stem[-2] in _VOWELS
        and stem[-3] not in "aeiou"
        and stem[-2] != stem[-3]
    ):
        return stem, stem[:-1] + stem[-2] + stem[-1]
    return (stem,)


def inflection(word: str, other: str) -> bool:
    """Whether two words differ only in their last letter or two ("palliatieve", "palliatief")."""
    if word == other:
        return False
    n = 0
    for a, b in zip(word, other, strict=False):
        if a != b:
            break
        n += 1
    return n >= 5 and n >= min(len(word), len(other)) - 1
