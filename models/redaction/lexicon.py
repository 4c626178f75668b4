"""The word lists behind name finding, loaded once from the packaged ``data/*.txt`` files.

A name's *tier* says how much evidence it needs before it is redacted:

* ``TIER_PLAIN``: only ever a name (Amir, Okafor, Siobhan): a capital letter is enough.
* ``TIER_WORD``: also an ordinary word or a place (Rose, Will, Brown, Jordan): it needs a capital letter
  where an ordinary word would not have one, a cue, or a neighbouring name.
* ``TIER_CUE``: mostly not a name (May, Black, Ward, He): it needs a title or naming cue, or to sit
  right beside a name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Iterable, NamedTuple

from spacy.lang.en.stop_words import STOP_WORDS

from rcrp.models.redaction.cues import (
    CONTACT,
    FIELD_LABELS,
    NAMING,
    RANKS,
    RELATIONS,
    ROLES,
    TITLES,
)

__all__ = [
    "TIER_NONE",
    "TIER_PLAIN",
    "TIER_WORD",
    "TIER_CUE",
    "SHAPE_TITLE",
    "SHAPE_UPPER",
    "SHAPE_INITIAL",
    "SHAPE_LOWER",
    "SHAPE_OTHER",
    "WordInfo",
    "Lexicon",
    "fold",
    "load_lexicon",
    "normalise_extras",
    "phrase_key",
]

TIER_NONE, TIER_PLAIN, TIER_WORD, TIER_CUE = 0, 1, 2, 3
SHAPE_TITLE, SHAPE_UPPER, SHAPE_INITIAL, SHAPE_LOWER, SHAPE_OTHER = "T", "U", "I", "L", "O"

# Irish and Scottish prefixes mark a surname even when the list lacks it: O'Driscoll, McAvoy, MacAulay.
_GAELIC_SURNAME = re.compile(r"^(?:O'|Mc|Mac(?=[A-Z])|Fitz(?=[A-Z]))[A-Z]?[a-z]{2,}$|^(?:O'|MC|MAC)[A-Z]{3,}$")
_INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}[A-Z]?$")  # "J.", "J.R.", "A.J.K."
_WORDLIKE = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")
_FOLD_TABLE = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ı": "i",
                             "ß": "ss", "’": "'", "‘": "'"})
_DATA = files("rcrp.models.redaction") / "data"


def fold(text: str) -> str:
    """Lower-case and strip accents, so that "Łukasz", "ŁUKASZ" and "Lukasz" look the same."""
    text = text.lower()
    if text.isascii():
        return text
    text = text.translate(_FOLD_TABLE)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _read(name: str) -> frozenset[str]:
    """One entry per line; ``#`` starts a comment line. Entries are folded."""
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line.strip()) for line in lines if line.strip() and not line.startswith("#"))


def phrase_key(text: str) -> str:
    """How a multi-word place is looked up: folded, hyphens and runs of spaces as one space."""
    return " ".join(fold(text).replace("-", " ").split())


@lru_cache(maxsize=1)
def _base_lists() -> dict[str, frozenset[str]]:
    return {
        "given": _read("given_names_generated.txt") | _read("given_names_extra.txt"),
        "surnames": _read("surnames_generated.txt") | _read("surnames_extra.txt"),
        "common": _read("common_words.txt"),
        "name_words": _read("name_words.txt"),
        "needs_cue": _read("names_needing_cue.txt"),
        "places": frozenset(p for p in _read("places.txt") if " " not in p and "-" not in p),
        "place_phrases": frozenset(phrase_key(p) for p in _read("places.txt") if " " in p or "-" in p),
        "not_names": _read("not_names.txt"),
    }


class WordInfo(NamedTuple):
    """What the lists say about one token's text."""

    key: str  # folded text
    shape: str  # SHAPE_*
    tier: int  # TIER_* (TIER_NONE when not a listed name)
    given: bool
    surname: bool
    common: bool  # an ordinary English word
    place: bool
    not_name: bool
    unknown: bool  # a word no list knows: a possible name if the context says so
    listed_word: bool  # on the hand-written list of ordinary-word names (Rose, Will, Grace...)
    title: bool  # a title or rank ("Mr", "Nurse", "PC"): a cue, never part of a name
    cue_word: bool  # a relationship or role word ("friend", "caller"): a name only right after a cue


@dataclass(frozen=True)
class Lexicon:
    given: frozenset[str]
    surnames: frozenset[str]
    common: frozenset[str]
    name_words: frozenset[str]
    needs_cue: frozenset[str]
    places: frozenset[str]
    place_phrases: frozenset[str]
    place_phrase_words: frozenset[str]
    not_names: frozenset[str]
    cue_words: frozenset[str]
    title_words: frozenset[str]
    _tiers: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        tiers = self._tiers
        stop = {fold(w) for w in STOP_WORDS}
        # The ordinary-word names (Will, Rose...) are names too, whatever the other lists hold.
        for key in self.given | self.surnames | self.name_words:
            if key in self.needs_cue or len(key) < 2:
                tiers[key] = TIER_CUE
            elif key in self.name_words:
                tiers[key] = TIER_WORD
            elif key in stop or key in self.not_names or key in self.cue_words:
                tiers[key] = TIER_CUE
            elif key in self.common or key in self.places:
                tiers[key] = TIER_WORD
            else:
                tiers[key] = TIER_PLAIN
        # A bounded per-lexicon cache: narratives repeat the same few thousand words.
        object.__setattr__(self, "info", lru_cache(maxsize=200_000)(self._info))
        object.__setattr__(self, "looks_like_typo", lru_cache(maxsize=20_000)(self._looks_like_typo))
        object.__setattr__(self, "missing_letter", lru_cache(maxsize=20_000)(self._missing_letter))

    def missing_letter(self, key: str) -> bool:  # replaced per instance by a cached version
        return self._missing_letter(key)

    def _missing_letter(self, key: str) -> bool:
        """Whether ``key`` is a common word with one letter left out or two letters swapped ("lok",
        "wold", "bene"): stricter than ``looks_like_typo``, so that real names ("Ian") pass. Short words
        are left alone: too many short names are a letter away from a word (Jon, Sam, Tom)."""
        if len(key) < 4 or not key.isalpha():
            return False
        common = self.common
        for k in range(len(key) + 1):
            a, b = key[:k], key[k:]
            if len(b) > 1 and a + b[1] + b[0] + b[2:] in common:
                return True
            for c in "abcdefghijklmnopqrstuvwxyz":
                if a + c + b in common:
                    return True
        return False

    def looks_like_typo(self, key: str) -> bool:  # replaced per instance by a cached version
        return self._looks_like_typo(key)

    def _looks_like_typo(self, key: str) -> bool:
        """Whether one edit (delete, swap, replace, insert) turns ``key`` into a common word ("theer")."""
        if len(key) < 3 or not key.isalpha():
            return False
        common = self.common
        letters = "abcdefghijklmnopqrstuvwxyz"
        splits = [(key[:k], key[k:]) for k in range(len(key) + 1)]
        for a, b in splits:
            if b and a + b[1:] in common:
                return True
            if len(b) > 1 and a + b[1] + b[0] + b[2:] in common:
                return True
            for c in letters:
                if b and a + c + b[1:] in common or a + c + b in common:
                    return True
        return False

    def tier(self, key: str) -> int:
        return self._tiers.get(key, TIER_NONE)

    def may_start_name(self, text: str) -> bool:
        """Whether a token could begin a name without a cue before it (tokens after cues are tried anyway).

        Capitalised words that are listed names or unknown words, initials, and unambiguous names in
        lower case; not "The", "Officers" or "Caller".
        """
        w = self.info(text)
        if w.shape == SHAPE_LOWER:
            return w.tier == TIER_PLAIN
        if w.shape == SHAPE_INITIAL:
            return True
        if w.shape not in (SHAPE_TITLE, SHAPE_UPPER) or w.not_name or w.title:
            return False
        return w.unknown or w.tier in (TIER_PLAIN, TIER_WORD) or w.tier == TIER_CUE and w.key not in STOP_WORDS

    def is_plain_lower_name(self, text: str) -> bool:
        """Whether a lower-case token is an unambiguous name (the only lower case that can be a name)."""
        return self._tiers.get(fold(text)) == TIER_PLAIN

    def _info(self, text: str) -> WordInfo:
        key = fold(text)
        first = text[:1]
        if len(text) == 1 and first.isupper() or _INITIALS.match(text):
            shape = SHAPE_INITIAL
        elif first.isupper():
            shape = SHAPE_UPPER if text.isupper() and len(text) > 1 else SHAPE_TITLE
        elif first.islower():
            shape = SHAPE_LOWER
        else:
            shape = SHAPE_OTHER
        tier = self._tiers.get(key, TIER_NONE)
        if tier == TIER_NONE and shape in (SHAPE_TITLE, SHAPE_UPPER) and _GAELIC_SURNAME.match(text):
            tier = TIER_PLAIN
            surname = True
        else:
            surname = key in self.surnames
        common = key in self.common
        place = key in self.places
        not_name = key in self.not_names
        unknown = (tier == TIER_NONE and not common and not place and not not_name and len(key) > 1
                   and key not in self.needs_cue and key not in self.cue_words and key not in STOP_WORDS
                   and _WORDLIKE.match(text) is not None)
        given = key in self.given or key in self.name_words
        return WordInfo(key, shape, tier, given, surname, common, place, not_name, unknown, key in self.name_words,
                        key.rstrip(".") in self.title_words, key in self.cue_words)

    def info(self, text: str) -> WordInfo:  # replaced per instance by a cached version
        return self._info(text)


@lru_cache(maxsize=8)
def load_lexicon(extra_given_names: tuple[str, ...] = (), extra_surnames: tuple[str, ...] = ()) -> Lexicon:
    """The packaged lists plus any extra names (a force's own list of frequent names, say)."""
    base = _base_lists()
    return Lexicon(
        given=base["given"] | {fold(n.strip()) for n in extra_given_names if n.strip()},
        surnames=base["surnames"] | {fold(n.strip()) for n in extra_surnames if n.strip()},
        common=base["common"],
        name_words=base["name_words"],
        needs_cue=base["needs_cue"],
        places=base["places"],
        place_phrases=base["place_phrases"],
        place_phrase_words=_phrase_gate_words(base["place_phrases"], base["common"]),
        not_names=base["not_names"],
        cue_words=_single_word_cues(),
        title_words=frozenset(fold(w) for w in TITLES | RANKS if " " not in w),
    )


def _phrase_gate_words(phrases: frozenset[str], common: frozenset[str]) -> frozenset[str]:
    """One telling word per multi-word place ("keynes" for "milton keynes"), so that a narrative without
    any of them skips the phrase check: words such as "of", "st" or "park" would let nearly all through."""
    stop = {fold(w) for w in STOP_WORDS} | {"st", "upon", "on", "in", "under", "super"}
    gate = set()
    for phrase in phrases:
        words = [w for w in phrase.split() if w not in stop]
        telling = [w for w in words if w not in common] or words
        gate.update(telling)
    return frozenset(gate)


@lru_cache(maxsize=1)
def _single_word_cues() -> frozenset[str]:
    """Titles, relationship and role words: never part of a name themselves ("Mr", "Nan", "Caller")."""
    words = TITLES | RANKS | RELATIONS | ROLES | NAMING | CONTACT | FIELD_LABELS
    return frozenset(fold(w.rstrip(".")) for w in words if " " not in w)


def normalise_extras(names: Iterable[str]) -> tuple[str, ...]:
    """A hashable, order-independent form of user-supplied names, for caching."""
    return tuple(sorted({n.strip() for n in names if isinstance(n, str) and n.strip()}))
