"""Tokens for the redaction rules: spaCy's English tokenisation at a fraction of its cost.

The rules were written and validated on the tokens of spaCy's English tokenizer ("Mr." one token,
"doctor." two, "don't" as "do" + "n't"). spaCy tokenises each stretch between whitespace on its own, so
its answer for a stretch never depends on the rest of the text. ``Tokenizer`` splits the text on
whitespace the way spaCy does, asks spaCy about each distinct stretch once and remembers the answer:
the tokens are spaCy's exactly (a test holds it to that on every narrative set), without building a
``Doc`` per narrative, which cost more than all the rules together.

``PhraseTable`` does what spaCy's ``PhraseMatcher(attr="LOWER")`` did for the cue lists: every
occurrence of every phrase, as whole tokens, in any case.
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Iterable

__all__ = ["TokenView", "Tokenizer", "PhraseTable"]

_RUNS = re.compile(r"\S+|\s+")
_CACHE_LIMIT = 1_000_000  # distinct stretches remembered; cleared past this (a long-running service)
_SPACY_REBUILD = 200_000  # stretches spaCy tokenises before a fresh tokenizer replaces it
_CLOSING = frozenset(",.;:!?")


class TokenView:
    """A text's tokens as plain lists: ``words`` (as written), ``lowers``, ``idx`` (character offset of
    each token in the text) and ``space`` (1 when a single space follows the token, as spaCy's
    ``whitespace_``)."""

    __slots__ = ("words", "lowers", "idx", "space")

    def __init__(self, words: list[str], lowers: list[str], idx: list[int], space: list[int]) -> None:
        self.words, self.lowers, self.idx, self.space = words, lowers, idx, space

    def __len__(self) -> int:
        return len(self.words)


class Tokenizer:
    """spaCy's blank English tokenizer, remembered per whitespace-separated stretch.

    ``Tokenizer()(text)`` gives the tokens of ``spacy.blank("en")(text)``. spaCy is imported on the first
    stretch not seen before.
    """

    def __init__(self) -> None:
        self._spacy = None
        self._special_cases: frozenset[str] = frozenset()
        self._spacy_calls = 0
        self._stretches: dict[str, tuple[tuple, ...]] = {}

    def spacy_tokenizer(self):
        """The spaCy tokenizer asked about new stretches (also used to tokenise cue phrases)."""
        if self._spacy is None or self._spacy_calls > _SPACY_REBUILD:
            # spaCy keeps every string it has seen: a fresh tokenizer now and then keeps a long-running
            # service's memory flat (its answers do not change).
            import spacy

            self._spacy = spacy.blank("en").tokenizer
            self._special_cases = frozenset(self._spacy.rules)
            self._spacy_calls = 0
        return self._spacy

    def _plain_stretch(self, span: str) -> list[str] | None:
        """spaCy's tokens for the commonest new stretches without asking spaCy (whose answer costs a new
        vocabulary entry per stretch): an ASCII word or number, alone or with one closing punctuation mark.
        None for anything else. A test checks these answers against spaCy on every packaged word list."""
        if not span.isascii():
            return None
        if self._spacy is None:
            self.spacy_tokenizer()
        specials = self._special_cases
        if span in specials:
            return None
        if span.isalpha() or span.isdigit():
            return [span]
        base, mark = span[:-1], span[-1:]
        if mark in _CLOSING and (base.isalpha() or base.isdigit()) and base not in specials:
            # spaCy splits a full stop only after a lower-case letter, a digit or two capitals: "J." (an
            # initial) and "HBPoS." stay one token.
            if mark != "." or base[-1].islower() or base[-1].isdigit() or base[-2:].isupper() and len(base) > 1:
                return [base, mark]
        return None

    def _stretch(self, span: str) -> tuple[tuple[int, ...], ...]:
        """Offsets, words and lower-cased words of ``span`` as spaCy tokenises it on its own, and its tokens'
        spaces with a space after the stretch and without one."""
        tokens = self._stretches.get(span)
        if tokens is None:
            words = self._plain_stretch(span)
            if words is None:
                doc = self.spacy_tokenizer()(span)
                self._spacy_calls += 1
                offsets, words = tuple(t.idx for t in doc), tuple(t.text for t in doc)
            else:
                offsets = (0, len(words[0]))[:len(words)]
            zeros = (0,) * len(words)
            tokens = (offsets, tuple(words), tuple(w.lower() for w in words), zeros[:-1] + (1,) if zeros else (), zeros)
            if len(self._stretches) >= _CACHE_LIMIT:
                self._stretches.clear()
            self._stretches[span] = tokens
        return tokens

    def __call__(self, text: str) -> TokenView:
        if not text:
            return TokenView([], [], [], [])
        if text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " ":
            return self._single_spaced(text)
        # spaCy's loop (Tokenizer._tokenize_affixes): the text alternates between runs of whitespace and of
        # other characters, each tokenised on its own, except that a single space opening a whitespace run
        # is not a token: it marks the token before it as followed by a space.
        stretches: list[str] = []
        starts: list[int] = []
        spaced: list[int] = []
        pos = 0
        for k, run in enumerate(_RUNS.findall(text)):
            if k and run[0] == " ":
                spaced[-1] = 1
                if len(run) > 1:
                    stretches.append(run[1:])
                    starts.append(pos + 1)
                    spaced.append(0)
            else:
                stretches.append(run)
                starts.append(pos)
                spaced.append(0)
            pos += len(run)
        return self._assemble(stretches, starts, spaced)

    def _single_spaced(self, text: str) -> TokenView:
        """The common case, words separated by single spaces and nothing else: one split."""
        parts = text.split(" ")
        spaced = [1] * len(parts)
        spaced[-1] = 0
        return self._assemble(parts, [0, *accumulate([len(p) + 1 for p in parts])], spaced)

    def _assemble(self, stretches: list[str], starts: list[int], spaced: list[int]) -> TokenView:
        """Tokens from the cached entry of each stretch, built by comprehensions (a loop with appends cost
        three times as much). ``spaced``: whether a single space follows the stretch."""
        get = self._stretches.get
        entries = [get(p) or self._stretch(p) for p in stretches]
        return TokenView([w for e in entries for w in e[1]], [w for e in entries for w in e[2]],
                         [p + o for p, e in zip(starts, entries) for o in e[0]],
                         [s for e, sp in zip(entries, spaced) for s in e[3 if sp else 4]])


class PhraseTable:
    """Finds phrases, given as token sequences, in a ``TokenView``, ignoring case.

    Parameters
    ----------
    phrases : (label, tokens) pairs; ``tokens`` a sequence of token strings (compared lower-cased).
    """

    def __init__(self, phrases: Iterable[tuple[str, Iterable[str]]]) -> None:
        first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for label, tokens in phrases:
            key = tuple(t.lower() for t in tokens)
            if key and (key, label) not in first.get(key[0], []):
                first.setdefault(key[0], []).append((key, label))
        self._first = first

    def __call__(self, tokens: TokenView) -> list[tuple[str, int, int]]:
        """Every match as (label, start, end) token indices, sorted by start, then end, then label."""
        lowers = tokens.lowers
        n = len(lowers)
        first = self._first
        out = []
        for i in [i for i, w in enumerate(lowers) if w in first]:
            for key, label in first[lowers[i]]:
                end = i + len(key)
                if end <= n and (len(key) == 1 or tuple(lowers[i:end]) == key):
                    out.append((label, i, end))
        out.sort(key=lambda m: (m[1], m[2], m[0]))
        return out
