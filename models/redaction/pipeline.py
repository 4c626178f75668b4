"""The redaction pipeline: spaCy's English tokens, then two passes of rules.

* Shaped personal data: regular expressions for phone numbers, e-mail, dates, postcodes, addresses and
  placeholders already in the text (``patterns``, ``premises``), run on the raw text.
* Names: one pass over the tokens finds cue phrases; numbers that a cue makes personal data ("CAD 1234",
  "DOB 1985"; ``cued``) are taken first, then person names from word lists, cues and capitalisation
  (``names``). Overlaps are settled last, so the result is sorted and non-overlapping.

No statistical model and nothing downloaded: rules and packaged word lists, so training and serving
redact identically and offline. The tokens are exactly those of ``spacy.blank("en")``, which the rules
were written on, got without building a spaCy ``Doc`` per narrative (``tokens``).
"""

from __future__ import annotations

import re

from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Iterable

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
    cue_strength,
    find_names,
)
from rcrp.models.redaction.premises import find_premises
from rcrp.models.redaction.patterns import ADDRESS_PRIORITY, PERSON_PRIORITY, Found, find_structured, resolve
from rcrp.models.redaction.tokens import PhraseTable, Tokenizer, TokenView

__all__ = ["PiiFinder"]

_WORD_CACHE = 1 << 20  # distinct words whose "may start a name" answer is remembered

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
# Cues of numbers and codes (see ``cued``), matched by the same cue table.
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


class PiiFinder:
    """Finds personal data in a narrative: shaped patterns, cued numbers and person names.

    Parameters
    ----------
    extra_given_names, extra_surnames : names to count as unambiguous, beside the packaged lists.

    Building takes about a second (word lists, cue tables): build once and reuse. Calls keep no state
    between them beyond caches of answers that depend on a word alone, so one instance can be shared.
    """

    def __init__(self, *, extra_given_names: Iterable[str] = (), extra_surnames: Iterable[str] = ()) -> None:
        self.tokenizer = Tokenizer()
        self.lexicon = load_lexicon(normalise_extras(extra_given_names), normalise_extras(extra_surnames))
        # Whether a word could start a name depends on the word alone: remembered per distinct word.
        self._may_start = lru_cache(maxsize=_WORD_CACHE)(self.lexicon.may_start_name)
        phrase_tokens = self.tokenizer.spacy_tokenizer()
        phrases: list[tuple[str, list[str]]] = []
        for label, group in zip(_LABELS, _GROUPS):
            phrases.extend((label, [t.text for t in phrase_tokens(p)]) for p in sorted(group))
            if label in ("TITLE", "RANK"):
                # "Mr." is one token, but "doctor." is "doctor" + "." (a sentence end): only the former is a title.
                dotted = (phrase_tokens(p + ".") for p in sorted(group) if " " not in p)
                phrases.extend((label, [d[0].text]) for d in dotted if len(d) == 1)
        for label, group in zip(_NUMBER_LABELS, _NUMBER_GROUPS):
            phrases.extend((label, [t.text for t in phrase_tokens(p)]) for p in sorted(group))
        self.cue_table = PhraseTable(phrases)

    def __call__(self, text: str) -> list[Found]:
        """The spans to redact in ``text``: sorted, non-overlapping, offsets into ``text``."""
        if not text:
            return []
        tokens = self.tokenizer(text)
        words = frozenset(tokens.lowers)
        found = resolve(find_structured(text, words) + find_premises(text, words))
        if not tokens.words:
            return found
        blocked: set[int] = set()
        _block(tokens, found, blocked)
        name_cues: list[tuple[str, int, int]] = []
        number_cues: list[tuple[str, int, int]] = []
        for match in self.cue_table(tokens):
            (number_cues if match[0] in _NUMBER_LABELS else name_cues).append(match)
        # Numbers first: "PC 1234 Smith" needs the collar number blocked before the name is looked for.
        numbers = cued_spans(text, tokens, number_cues)
        if numbers:
            found = resolve(found + numbers)
            # Rebuilt, not extended: a cued number can displace a weaker span ("SGT 1122 MACLEOD REQ MH STREET"
            # is no address once 1122 is a collar number), and the displaced span must not hide a name.
            blocked = set()
            _block(tokens, found, blocked)
        may_start = self._may_start
        candidates = [i for i, w in enumerate(tokens.words) if may_start(w)]
        runs = find_names(text, self.lexicon, candidates, self._cues(text, tokens, name_cues), blocked, tokens)
        if runs:
            persons = [Found(tokens.idx[s], tokens.idx[e - 1] + len(tokens.words[e - 1]), "PERSON", PERSON_PRIORITY)
                       for s, e in runs]
            found = resolve(found + [_house_number_address(text, p) or p for p in persons])
        return found

    def _cues(self, text: str, tokens: TokenView, matches: list[tuple[str, int, int]]) -> dict[int, int]:
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
            phrase = words[start] if end - start == 1 else text[tokens.idx[start]:tokens.idx[end - 1] + len(words[end - 1])]
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
