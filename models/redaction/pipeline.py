"""The spaCy pipeline: ``spacy.blank("en")`` plus two registered components.

* ``rcrp_pii_patterns``: regular expressions for shaped personal data (``patterns``), run on the raw text.
* ``rcrp_pii_names``: one ``PhraseMatcher`` pass finds cue phrases; numbers that a cue makes personal
  data ("CAD 1234", "DOB 1985"; ``cued``) are taken first, then person names from word lists, cues and
  capitalisation (``names``). It also settles overlaps, so that ``doc._.rcrp_pii`` ends up sorted and
  non-overlapping.

No statistical model and nothing downloaded: the pipeline is rules and packaged word lists, so training
and serving redact identically and offline.
"""

from __future__ import annotations

import re

from bisect import bisect_left, bisect_right
from typing import Iterable

import numpy as np
import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from rcrp.models.redaction.cues import (
    CONTACT,
    CUE_GLUE,
    FIELD_LABELS,
    NAMING,
    PLACE_LABELS,
    RANKS,
    RELATIONS,
    ROLES,
    TITLES,
)
from rcrp.models.redaction.cued import DOB_CUES, RANK_CUES, REF_CUES, REG_CUES, cued_spans
from rcrp.models.redaction.lexicon import TIER_NONE, load_lexicon, normalise_extras
from rcrp.models.redaction.names import (
    CUE_AFTER_NUMBER,
    CUE_MEDIUM,
    CUE_NAMING,
    CUE_PLACE,
    CUE_RELATION,
    CUE_STRONG,
    CUE_VIA_VERB,
    CUE_WORD_TITLE,
    TokenView,
    cue_strength,
    find_names,
)
from rcrp.models.redaction.premises import find_premises
from rcrp.models.redaction.patterns import ADDRESS_PRIORITY, PERSON_PRIORITY, Found, find_structured, resolve

__all__ = ["PATTERNS_COMPONENT", "NAMES_COMPONENT", "EXTENSION", "build_pipeline", "doc_text", "found_spans"]

PATTERNS_COMPONENT = "rcrp_pii_patterns"
NAMES_COMPONENT = "rcrp_pii_names"
EXTENSION = "rcrp_pii"  # doc._.rcrp_pii: list[Found]

if not Doc.has_extension(EXTENSION):
    Doc.set_extension(EXTENSION, default=None)
# Where spaCy keeps the extension's value. Reading and writing it directly skips building an Underscore
# proxy per access (measurable at thousands of narratives a second); ``doc._.rcrp_pii`` sees the same value.
_EXTENSION_KEY = ("._.", EXTENSION, None, None)


def found_spans(doc: Doc) -> list[Found]:
    """The spans the pipeline found in ``doc`` (sorted, non-overlapping once the pipeline has run)."""
    return doc.user_data.get(_EXTENSION_KEY) or []


def _set_found(doc: Doc, found: list[Found]) -> None:
    doc.user_data[_EXTENSION_KEY] = found

_TEXT_KEY = "rcrp_text"
_TOKENS_KEY = "rcrp_tokens"


class _TextKeepingTokenizer:
    """spaCy's tokenizer, keeping the input string on the doc.

    ``Doc.text`` is rebuilt from the tokens on every access, which costs more than the whole tokenizer; the
    components read the original string from ``doc.user_data`` instead.
    """

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data[_TEXT_KEY] = text
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for text in texts:
            yield self(text)


def doc_text(doc: Doc) -> str:
    """The doc's text, without rebuilding it when the pipeline's tokenizer kept it."""
    text = doc.user_data.get(_TEXT_KEY)
    return doc.text if text is None else text


def _token_view(doc: Doc) -> TokenView:
    """The doc's tokens as lists, built once and shared by the components."""
    view = doc.user_data.get(_TOKENS_KEY)
    if view is None:
        view = doc.user_data[_TOKENS_KEY] = TokenView(doc, doc_text(doc))
    return view


def _phrase_docs(nlp: Language, phrases: Iterable[str]) -> list[Doc]:
    return list(nlp.tokenizer.pipe(sorted(phrases)))


# Short ranks are also ordinary abbreviations in lower case ("ps" = postscript, "pc" = computer): they count
# only when written as ranks are ("PC", "Ps").
_CASE_SENSITIVE_RANKS = frozenset({"pc", "ps", "dc", "ds", "di", "sc", "do", "sn", "cso", "ot"})
# "ms" in lower case is also multiple sclerosis: then it is only a medium cue.
_WEAK_IN_LOWER_CASE = frozenset({"ms"})
# Titles that are also everyday nouns: a strong cue only when capitalised ("Nurse Darius", not "the nurse
# said").
_WORD_TITLES = frozenset({"nurse", "sister", "father", "officer", "doctor", "lady", "master", "judge",
                          "lord", "sir", "dame", "matron", "midwife", "constable", "sergeant", "inspector",
                          "detective", "professor", "pastor", "staff nurse", "charge nurse", "ward sister",
                          "paramedic", "detention officer", "custody officer", "health care assistant",
                          "healthcare assistant", "advanced nurse practitioner"})
_LABELS = ("TITLE", "RANK", "NAMING", "FIELD", "RELATION", "ROLE", "CONTACT", "PLACE")
_GROUPS = (TITLES, RANKS, NAMING, FIELD_LABELS, RELATIONS, ROLES, CONTACT, PLACE_LABELS)
# Cues of numbers and codes (see ``cued``), matched by the same PhraseMatcher.
_NUMBER_LABELS = ("REF", "DOB", "REG", "RANK_NUMBER")
_NUMBER_GROUPS = (REF_CUES, DOB_CUES, REG_CUES, RANK_CUES)
_VERB_GLUE = frozenset({"is", "was"})


def _block(tokens: TokenView, spans: Iterable[Found], blocked: set[int]) -> None:
    """Add the tokens overlapping ``spans`` to ``blocked`` (a name is never looked for inside them)."""
    idx = tokens.idx
    for f in spans:
        first = max(0, bisect_right(idx, f.start) - 1)
        blocked.update(range(first, bisect_left(idx, f.end)))


# "lives at 19 Westfield": a house number before a name-like word is a premises address (a street or
# house called after a person's name), so the number goes too.
_HOUSE_NUMBER_BEFORE = re.compile(
    r"(?i)\b(?:at|address|addr|lives|live|living|to|from|of|in)\s+(\d{1,4}[a-z]?)\s+$")


def _house_number_address(text: str, person: Found) -> Found | None:
    match = _HOUSE_NUMBER_BEFORE.search(text, max(0, person.start - 40), person.start)
    if match is None:
        return None
    return Found(match.start(1), person.end, "ADDRESS", ADDRESS_PRIORITY)


@Language.factory(PATTERNS_COMPONENT)
class PatternsComponent:
    """Finds shaped personal data (phone, e-mail, dates...) and placeholders already in the text."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        words = frozenset(_token_view(doc).lowers)
        _set_found(doc, find_structured(text, words) + find_premises(text, words))
        return doc


@Language.factory(NAMES_COMPONENT, default_config={"extra_given_names": [], "extra_surnames": []})
class NamesComponent:
    """Finds person names, then settles every overlap between candidate spans."""

    def __init__(self, nlp: Language, name: str, extra_given_names: list[str], extra_surnames: list[str]) -> None:
        self.name = name
        self.lexicon = load_lexicon(normalise_extras(extra_given_names), normalise_extras(extra_surnames))
        lexicon = self.lexicon
        # A lexeme flag is computed once per distinct word, so marking possible name starts costs one C
        # call per document (``to_array``) instead of a Python test per token.
        self.flag = nlp.vocab.add_flag(lexicon.may_start_name)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for label, phrases in zip(_LABELS, _GROUPS):
            patterns = list(nlp.tokenizer.pipe(sorted(phrases)))
            if label in ("TITLE", "RANK"):
                # "Mr." is one token, but "doctor." is "doctor" + "." (a sentence end): only the former is a title.
                dotted = nlp.tokenizer.pipe(sorted(p + "." for p in phrases if " " not in p))
                patterns.extend(d for d in dotted if len(d) == 1)
            self.matcher.add(label, patterns)
        for label, phrases in zip(_NUMBER_LABELS, _NUMBER_GROUPS):
            self.matcher.add(label, _phrase_docs(nlp, phrases))
        self.label_ids = {nlp.vocab.strings[label]: label for label in (*_LABELS, *_NUMBER_LABELS)}

    def _cues(self, doc: Doc, tokens: TokenView, matches: list[tuple[str, int, int]]) -> dict[int, int]:
        """Token index -> the cue (``names.CUE_*``) that ends right before it, after any glue."""
        cues: dict[int, int] = {}
        words, lowers = tokens.words, tokens.lowers
        n = len(words)
        info = self.lexicon.info
        for label, start, end in matches:
            p = end
            glue: list[str] = []
            while p < n and len(glue) < 2 and lowers[p] in CUE_GLUE:
                glue.append(lowers[p])
                p += 1
            if label == "RANK" and p < n and words[p].isdigit():
                p += 1  # "PC 1234 Smith": the collar number is a REFERENCE, the name follows it
            if p >= n:
                continue
            # Most cue words are followed by an ordinary lower-case word ("the patient has"): skip those
            # before working out the cue.
            nxt = words[p]
            if not nxt[:1].isupper():
                w = info(nxt)
                if w.tier == TIER_NONE and not w.unknown:
                    continue
            phrase = words[start] if end - start == 1 else doc[start:end].text
            key = phrase.lower().rstrip(".")
            lower_case = not phrase[:1].isupper()
            if key in _CASE_SENSITIVE_RANKS and lower_case:
                continue
            if label == "PLACE":
                cue = CUE_PLACE
            elif label in ("TITLE", "RANK", "NAMING"):
                weak = lower_case and (key in _WORD_TITLES or key in _WEAK_IN_LOWER_CASE)
                cue = CUE_MEDIUM if weak else CUE_STRONG | (CUE_WORD_TITLE if key in _WORD_TITLES else 0)
                if label == "NAMING":
                    cue |= CUE_NAMING
                if label == "RANK" and p > end and words[p - 1].isdigit():
                    cue |= CUE_AFTER_NUMBER
            else:
                cue = CUE_MEDIUM | (CUE_RELATION if label == "RELATION" else 0)
            if label == "FIELD" and glue:
                cue = CUE_STRONG  # "Name: may smith"
            if cue_strength(cue) == CUE_MEDIUM and _VERB_GLUE.intersection(glue):
                cue |= CUE_VIA_VERB
            old = cues.get(p, 0)
            # The strongest cue wins; flags of equally strong cues add up.
            if cue_strength(cue) > cue_strength(old):
                cues[p] = cue
            elif cue_strength(cue) == cue_strength(old):
                cues[p] = old | cue
        return cues

    def __call__(self, doc: Doc) -> Doc:
        found = resolve(found_spans(doc))
        if not len(doc):
            _set_found(doc, found)
            return doc
        text = doc_text(doc)
        tokens = _token_view(doc)
        blocked: set[int] = set()
        _block(tokens, found, blocked)
        label_ids = self.label_ids
        name_cues: list[tuple[str, int, int]] = []
        number_cues: list[tuple[str, int, int]] = []
        for match_id, start, end in self.matcher(doc):
            label = label_ids[match_id]
            (number_cues if label in _NUMBER_LABELS else name_cues).append((label, start, end))
        # Numbers first: "PC 1234 Smith" needs the collar number blocked before the name is looked for.
        numbers = cued_spans(text, tokens, number_cues)
        if numbers:
            found = resolve(found + numbers)
            # Rebuilt, not extended: a cued number can displace a weaker span ("SGT 1122 MACLEOD REQ MH STREET"
            # is no address once 1122 is a collar number), and the displaced span must not hide a name.
            blocked = set()
            _block(tokens, found, blocked)
        candidates = np.flatnonzero(doc.to_array([self.flag])).tolist()
        runs = find_names(doc, text, self.lexicon, candidates, self._cues(doc, tokens, name_cues), blocked, tokens)
        if runs:
            persons = [Found(tokens.idx[s], tokens.idx[e - 1] + len(tokens.words[e - 1]), "PERSON", PERSON_PRIORITY)
                       for s, e in runs]
            found = resolve(found + [_house_number_address(text, p) or p for p in persons])
        _set_found(doc, found)
        return doc


def build_pipeline(*, extra_given_names: Iterable[str] = (), extra_surnames: Iterable[str] = ()) -> Language:
    """A fresh pipeline. Building takes about a second (word lists, matcher): build once and reuse."""
    nlp = spacy.blank("en")
    nlp.tokenizer = _TextKeepingTokenizer(nlp.tokenizer)
    nlp.add_pipe(PATTERNS_COMPONENT)
    nlp.add_pipe(NAMES_COMPONENT, config={"extra_given_names": list(normalise_extras(extra_given_names)),
                                         "extra_surnames": list(normalise_extras(extra_surnames))})
    return nlp
