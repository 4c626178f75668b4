"""Protected-characteristic words are taken out of what a model reads.

RCRP advice must not depend on a person's ethnicity, nationality, religion or belief, gender identity or
sex. A model trained on generated or historic text still learns from such words where they happen to
fall: "British" sits in "British Transport Police" (the railway, so risk), character n-grams pass that
weight to "Scottish" and "Polish", and "she" ended up weighing more than "he". Counterfactual tests showed
advice changing with those words alone. So, in training and in use, the model reads the narrative with

* identity descriptors removed (ethnicity, nationality, religion or belief, gender identity: the list in
  ``models/data/identity_descriptors.txt``, colour words in identity phrases such as "black male", and
  police IC codes), *before* redaction, because redaction reads "Christian" as a given name;
* gendered words replaced by neutral ones (he/she -> they, son/daughter -> child, ...), *after*
  redaction, whose name cues ("her son John") need them.

The handler still sees the narrative as written; only the model's input changes. A descriptor followed
by a capitalised word ("Christian Smith") is left for redaction: it is more likely a name. A trained model
keeps the descriptor list it was trained with, so serving always removes what training removed; a force
can add terms with ``RCRP_IDENTITY_DESCRIPTORS_PATH``, and the counterfactual tests (``rcrp fairness``)
show what a model still reacts to.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Sequence

__all__ = ["IdentityMasker", "load_descriptors", "default_masker", "neutralise_gender", "model_input"]

_PERSON_NOUNS = ("man|men|woman|women|male|males|female|females|lad|lads|boy|boys|girl|girls|youth|youths|teenager|"
                 "person|people|family|gentleman|lady|guy|kid|child|female's|male's")
_COLOUR_WORDS = frozenset({"black", "white", "asian", "brown"})
_IC_WORDS = frozenset({"ic", *(f"ic{d}" for d in range(1, 10))})  # the words an IC code starts with
_COLOUR_PHRASE = re.compile(rf"\b(?:{'|'.join(sorted(_COLOUR_WORDS))})(?=[ -](?:{_PERSON_NOUNS})\b)", re.IGNORECASE)
_SERVICES = r"(?:transport|ambulance|police|constabulary|rail|railways?|water|gas|airways|red cross|coastguard)\b"
_IC_CODE = re.compile(r"\bIC ?[1-9]\b", re.IGNORECASE)
# A capitalised word after a descriptor makes it more likely a name ("Christian Smith"): left for redaction.
_NAME_NEXT = r"(?! (?-i:(?!(?:Male|Female|Man|Woman|Lad|Boy|Girl|Person|Family)\b)[A-Z][a-z]))"
_NEUTRAL = {
    "he": "they", "she": "they", "him": "their", "her": "their", "his": "their", "hers": "their",
    "himself": "themself", "herself": "themself", "man": "person", "woman": "person", "men": "people",
    "women": "people", "male": "person", "female": "person", "males": "people", "females": "people",
    "boy": "child", "girl": "child", "boys": "children", "girls": "children", "son": "child", "daughter": "child",
    "sons": "children", "daughters": "children", "father": "parent", "mother": "parent", "dad": "parent",
    "mum": "parent", "mom": "parent", "daddy": "parent", "mummy": "parent", "brother": "sibling",
    "sister": "sibling", "brothers": "siblings", "sisters": "siblings", "husband": "spouse", "wife": "spouse",
    "boyfriend": "partner", "girlfriend": "partner", "fiance": "partner", "fiancee": "partner",
    "gentleman": "person", "lady": "person", "gent": "person", "guy": "person", "lad": "youngster",
    "lass": "youngster", "grandfather": "grandparent", "grandmother": "grandparent", "grandad": "grandparent",
    "granddad": "grandparent", "grandpa": "grandparent", "grandma": "grandparent", "nan": "grandparent",
    "nana": "grandparent", "granny": "grandparent", "grandson": "grandchild", "granddaughter": "grandchild",
    "uncle": "relative", "aunt": "relative", "auntie": "relative", "nephew": "relative", "niece": "relative",
    "widow": "widowed", "widower": "widowed",
}
_GENDERED = re.compile(r"(?<![\w\[-])(?:" + "|".join(sorted(map(re.escape, _NEUTRAL), key=len, reverse=True))
                       + r")(?![\w-])", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]{2,}")


# The same words for lower-cased text: with no IGNORECASE and a plain word boundary first, the regex engine
# skips ahead by first letter, at twice the speed; the stricter edges ("[", "-") are checked on each match.
_GENDERED_LOWER = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, _NEUTRAL), key=len, reverse=True)) + r")\b")
_WORDS = re.compile(r"\w+")


def neutralise_gender(text: str) -> str:
    """Gendered words replaced by neutral ones ("She told her son" -> "they told their child")."""
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lower-cased ("İ"): offsets would not match
        return _GENDERED.sub(lambda m: _NEUTRAL[m.group().lower()], text)
    parts: list[str] = []
    last = 0
    for m in _GENDERED_LOWER.finditer(low):
        start, end = m.span()
        if (start and low[start - 1] in "[-") or low.startswith("-", end):
            continue
        parts.append(text[last:start])
        parts.append(_NEUTRAL[m.group()])
        last = end
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def load_descriptors(extra: str | Path | None = None) -> list[str]:
    """The packaged descriptor list, plus the terms of ``extra`` (same format: one per line, # comments)."""
    text = resources.files("rcrp.models").joinpath("data/identity_descriptors.txt").read_text(encoding="utf-8")
    if extra is not None:
        path = Path(extra)
        if not path.is_file():
            raise FileNotFoundError(f"identity descriptors file not found: {path}")
        text += "\n" + path.read_text(encoding="utf-8")
    terms = [line.strip().lower() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return list(dict.fromkeys(terms))


class IdentityMasker:
    """Removes identity descriptors from text (see the module docstring).

    Parameters
    ----------
    terms : descriptors, matched as whole words in any case (longest first, so "Black British" is one).
    """

    def __init__(self, terms: Sequence[str]) -> None:
        self.terms = list(dict.fromkeys(t.strip().lower() for t in terms if t.strip()))
        words = sorted(self.terms, key=len, reverse=True)
        body = "|".join(re.escape(w).replace(r"\ ", r"[ -]+") for w in words) or r"(?!x)x"
        # Not in the names of services: "British Transport Police", "Welsh Ambulance Service".
        self._terms = re.compile(rf"(?<![\w\[-])(?:{body})(?![\w-])(?![ -]+{_SERVICES}){_NAME_NEXT}",
                                 re.IGNORECASE)
        # Every word of a descriptor is a whole word of a text it matches, so a set lookup of one word per
        # descriptor (its longest, the rarest) rules most narratives out at a tenth of the pattern's cost.
        keys = {max(_WORDS.findall(t), key=len) for t in self.terms if _WORDS.search(t)}
        self._always = any(not _WORDS.search(t) for t in self.terms)
        self._key_words = frozenset(keys | _COLOUR_WORDS | _IC_WORDS)

    def mask(self, text: str) -> str:
        """``text`` without its identity descriptors (idempotent: masking twice changes nothing)."""
        low = text.lower()
        if not self._always and len(low) == len(text):
            words = set(_WORDS.findall(low))
            if words.isdisjoint(self._key_words):
                return text  # no descriptor, colour phrase or IC code can match
        out = _IC_CODE.sub("", _COLOUR_PHRASE.sub("", self._terms.sub("", text)))
        return text if out == text else _SPACES.sub(" ", out)

    def mask_many(self, texts: Iterable[str]) -> list[str]:
        return [self.mask(t) for t in texts]


@lru_cache(maxsize=4)
def default_masker(extra: str | None = None) -> IdentityMasker:
    """The masker for the packaged list plus an optional extra file (cached per file)."""
    return IdentityMasker(load_descriptors(extra))


def model_input(narratives: Sequence[str], masker: IdentityMasker | None,
                redact: Callable[[list[str]], list[str]] | None, *, neutralise: bool = True) -> list[str]:
    """What a model reads: descriptors removed, then redacted (``redact``; None if already redacted), then
    gendered words neutralised (unless ``neutralise`` is false). Without a masker, only redaction.
    Training and serving both call this; every step is idempotent, so it can be applied in two goes."""
    texts = masker.mask_many(narratives) if masker is not None else list(narratives)
    if redact is not None:
        texts = redact(texts)
    return [neutralise_gender(t) for t in texts] if masker is not None and neutralise else texts
