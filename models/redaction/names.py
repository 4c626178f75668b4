"""Finding person names with rules only.

Evidence is weighed per *run*: a stretch of adjacent name-like tokens ("Andrius Urbonas", "SMITH, John",
"J. Okafor", "Mohammed bin Salman", "Kerry-Ann"). A run is a person when

* a strong cue comes right before it (a title: "Mr", "PC 1234"; a naming word: "named", "known as"; a
  form label: "Name:"), whatever the words are;
* a medium cue comes before it (a relationship: "her son"; a role: "RP", "MISPER", "patient"; a contact
  verb: "spoke to") and it holds a word that can be a name;
* it holds an unambiguous name (Amir, Okafor), or a listed given name and a listed surname (Mark Brown),
  or an initial and a surname;
* it is one ordinary-word name (Rose, Will) or an unknown capitalised word (Urbonas) with a capital
  letter where an ordinary word would not have one: mid-sentence, not after "the"/"a", not a place
  after "in"/"at"/"from"; at a sentence start, only when a verb follows ("Rose is ...");
* a birth or age detail follows it ("Rosa Tavares, born ...", "Kwok (34)").

A run is a place, not a person, when a place noun follows it ("Rose Ward", "St Mary's Hospital"), when it
ends in a street type ("Mill Lane"), when a place prefix or a location label comes before it ("St Helens",
"HMP Wandsworth", "LOC: Elizabeth Lane"), unless a title says otherwise. Finally every other mention of a
word already found as a name in the same narrative is redacted too ("... Morgan Kwok ... Kwok came home").

Speed: a cached test per distinct word (see ``pipeline``) marks the tokens that could start a
name, so the Python work here is over those few tokens, not over every token.
"""

from __future__ import annotations

from bisect import insort
from typing import Iterable

from spacy.lang.en.stop_words import STOP_WORDS

from rcrp.models.redaction.cues import (
    AFTER_NAME,
    BOUNDARY_TOKENS,
    LOCATIVES,
    NAME_VERBS,
    PARTICLES,
    PLACE_NOUNS,
    STREET_TYPES,
)
from rcrp.models.redaction.tokens import TokenView
from rcrp.models.redaction.lexicon import (
    SHAPE_INITIAL,
    SHAPE_LOWER,
    SHAPE_TITLE,
    SHAPE_UPPER,
    TIER_CUE,
    TIER_NONE,
    TIER_PLAIN,
    TIER_WORD,
    Lexicon,
    WordInfo,
    phrase_key,
)

__all__ = [
    "CUE_STRONG",
    "CUE_MEDIUM",
    "CUE_RELATION",
    "CUE_VIA_VERB",
    "CUE_PLACE",
    "CUE_AFTER_NUMBER",
    "CUE_WORD_TITLE",
    "CUE_NAMING",
    "cue_strength",
    "find_names",
]

# A cue is an int: its strength in the low bits, and flags.
CUE_MEDIUM, CUE_STRONG = 1, 2
CUE_RELATION = 4  # a relationship word ("her son"): lower-case ordinary-word names count after it
CUE_VIA_VERB = 8  # reached through "is"/"was" ("the caller is Grace"): an unknown word is not enough
CUE_PLACE = 16  # a location label ("LOC:", "address"): what follows is a place
CUE_AFTER_NUMBER = 32  # a rank and a collar number ("PC 5011 KING"): a surname follows, whatever it is
CUE_WORD_TITLE = 64  # a title that is also a noun ("Inspector", "Nurse"): in capitals, maybe just a noun
CUE_NAMING = 128  # "my name is", "known as": whatever word follows is the name, even "jay" or "summer"


def cue_strength(cue: int) -> int:
    return cue & 3


_DETERMINERS = frozenset({"the", "a", "an", "this", "these", "those", "some", "any", "no", "every", "each",
                          "another", "such", "our", "your"})
# Eponyms: "Alzheimer's", "a Stanley knife" are not people.
_EPONYMS = frozenset({"alzheimer", "alzheimers", "parkinson", "parkinsons", "asperger", "aspergers", "crohn",
                      "huntington", "tourette", "down", "addison", "hodgkin", "bell", "raynaud", "korsakoff",
                      "wernicke", "munchausen", "stanley", "stanly", "molotov", "heimlich", "halal"})
_EPONYM_NOUNS = frozenset({"'s", "’s", "'S", "’S", "knife", "blade", "disease", "syndrome", "palsy",
                           "cocktail", "manoeuvre", "maneuver"})
# Words before a capitalised run that make it a place, compared case-sensitively ("St Helens", not "st").
_PLACE_PREFIX_TEXT = frozenset({"St", "St.", "ST", "Saint", "HMP", "HMYOI", "HMS", "RAF", "Mount", "Port",
                                "Fort", "Lake", "Loch", "Glen", "Cape", "Camp", "Upper", "Lower", "Great",
                                "Little", "North", "South", "East", "West", "New", "Old", "Royal"})
# Street types that are not also common surnames: "Elizabeth Lane" is a street, "Laura Hill" a person.
_STRICT_STREET = frozenset({"road", "rd", "street", "st", "avenue", "ave", "av", "lane", "ln", "close", "cl",
                            "drive", "dr", "way", "crescent", "cres", "terrace", "terr", "ter", "place", "pl",
                            "grove", "gr", "gardens", "gdns", "mews", "square", "sq", "parade", "pde",
                            "boulevard", "blvd", "walk", "row", "court", "ct", "yard", "wynd", "end",
                            "paddock", "meadows", "fold", "garth", "drove", "loke", "twitten", "vennel",
                            "embankment", "circus", "approach", "causeway", "promenade", "park"})
_TOPOGRAPHIC = STREET_TYPES | PLACE_NOUNS
# Venues named after a person or a plant, told apart by the noun after them: "Rose and Crown pub".
_VENUE_NOUNS = frozenset({"pub", "inn", "hotel", "cafe", "café", "restaurant", "takeaway", "shop", "store",
                          "supermarket", "school", "academy", "college", "hospital", "clinic", "surgery",
                          "church", "mosque", "temple", "station", "park", "centre", "center", "club", "bar",
                          "ward", "unit", "estate", "garage", "pharmacy", "library", "hostel", "nursery"})
_FAMILY_NOUNS = frozenset({"family", "families", "household", "brothers", "sisters", "twins", "children",
                           "kids", "boys", "girls", "siblings", "couple"})
_COORDINATORS = frozenset({"and", "&", ",", "or"})
# After a lower-case name these are too often not verbs of that name ("bill will be paid", "mark may").
_STOP_VERBS_AFTER_LOWER = frozenset({"'s", "’s", "who", "will", "would", "may", "might", "can", "could"})
_HYPHENS = frozenset({"-", "‐", "‑"})
_SURNAME_PLACE_NOUNS = frozenset({"ward", "hall", "house", "church", "chapel", "wood", "hill", "lodge", "field",
                                  "moor", "parks", "park", "street", "lane", "brook", "bridge", "green"})
_NUMBER_WORDS = frozenset({"no", "no.", "number", "num", "#", ":", "id"})
_AFTER_NAME_PUNCT = frozenset({",", ".", "!", "?", ";", ")", ":", "-"})
_AFTER_NAME_WORDS = frozenset({"is", "was", "has", "had", "hasnt", "hasn't", "isnt", "isn't", "wasnt", "wasn't",
                               "says", "said", "and", "who", "lives", "called", "rang", "texted", "keeps",
                               "went", "got", "came", "left", "told", "thinks", "wont", "won't", "cant", "can't",
                               "does", "doesnt", "doesn't", "did", "didnt", "didn't", "just", "again", "also",
                               "aged", "age"})
# Words before a capitalised word that make it a vehicle, not a person: "a grey Range Rover".
_COLOURS = frozenset({"black", "grey", "gray", "silver", "white", "blue", "red", "green", "yellow", "orange",
                      "purple", "gold", "maroon", "navy", "dark", "light", "metallic", "brown", "beige"})
_QUOTES = frozenset({"'", '"', "‘", "’", "“", "”"})
_SUFFIXES = frozenset({"jr", "jnr", "snr", "sr", "ii", "iii", "iv"})
_POSSESSIVE = frozenset({"'s", "’s", "'S", "’S", "'", "’"})
_SHOUTY_RATIO = 0.6  # share of upper-case letters above which a sentence is written in capitals
_STOP = frozenset(STOP_WORDS)
_DROP_UPPER = str.maketrans("", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DROP_LOWER = str.maketrans("", "", "abcdefghijklmnopqrstuvwxyz")


def _is_boundary(words: list[str], i: int) -> bool:
    """Whether token ``i`` opens a sentence or field, where a capital letter is no evidence."""
    if i == 0:
        return True
    prev = words[i - 1]
    # spaCy splits a sentence's full stop off its last word, so a token that merely ends in "." is a
    # title or an initial ("Mr.", "J."), not the end of a sentence.
    return prev.isspace() or prev in BOUNDARY_TOKENS


class _Finder:
    """One narrative's name search: the state the rules share."""

    def __init__(self, text: str, lexicon: Lexicon, cues: dict[int, int], blocked: set[int],
                 tokens: TokenView) -> None:
        self.lex = lexicon
        self.cues = cues
        self.blocked = blocked
        self.n = len(tokens.words)
        self.text = text
        self.words, self.lowers, self.idx, self.space = tokens.words, tokens.lowers, tokens.idx, tokens.space
        self.shouty_cache: dict[int, bool] = {}
        self._lower_register: bool | None = None
        self._has_place_words: bool | None = None
        self.taken: set[int] = set()

    def info(self, i: int) -> WordInfo:
        return self.lex.info(self.words[i])

    def shouty(self, i: int) -> bool:
        """Whether the sentence around token ``i`` is written in capitals (log style)."""
        hit = self.shouty_cache.get(i)
        if hit is None:
            text = self.text
            idx = self.idx[i]
            start = max(text.rfind(".", 0, idx), text.rfind("\n", 0, idx)) + 1
            ends = [e for e in (text.find(".", idx), text.find("\n", idx)) if e != -1]
            chunk = text[start:min(ends) if ends else len(text)]
            # Deleting letters with str.translate counts them in C.
            upper = len(chunk) - len(chunk.translate(_DROP_UPPER))
            lower = len(chunk) - len(chunk.translate(_DROP_LOWER))
            hit = upper + lower > 0 and upper >= _SHOUTY_RATIO * (upper + lower)
            self.shouty_cache[i] = hit
        return hit

    def _initial(self, i: int) -> bool:
        """A real initial: "J." or "J" before a name, but not "A" or "I" (words) nor a letter in capitals,
        unless a title comes first ("Mr A Khan")."""
        text = self.words[i]
        if cue_strength(self.cues.get(i, 0)) == CUE_STRONG:
            return True
        if text in ("A", "I"):
            return False
        return not self.shouty(i) or text.endswith(".")

    # -- runs ---------------------------------------------------------------------------------------
    def _name_like(self, i: int, lower_run: bool, seed: bool = False) -> bool:
        """Whether token ``i`` may continue (or, with ``seed``, start) a run."""
        if i >= self.n or i in self.blocked or i in self.taken:
            return False
        w = self.info(i)
        if w.not_name or w.title or w.cue_word and not seed:
            return False
        if lower_run or w.shape == SHAPE_LOWER:
            # Lower case continues only a lower-case run ("john smith", "kristina valaitis", "gary ward").
            return lower_run and w.shape == SHAPE_LOWER and (
                w.tier in (TIER_PLAIN, TIER_WORD) or w.unknown or w.tier == TIER_CUE and w.surname and w.key not in _STOP)
        if w.shape == SHAPE_INITIAL:
            return self._initial(i)
        if w.shape not in (SHAPE_TITLE, SHAPE_UPPER):
            return False
        if w.shape == SHAPE_UPPER and self.shouty(i):
            if w.tier == TIER_CUE and w.key in _STOP:
                return False  # "THE", "A", "HE" in capitals
            if w.common and w.tier != TIER_PLAIN and (w.key in NAME_VERBS or self._inflected(w.key)):
                return False  # "DILAN STATES ...": a verb, even if some family is called States
        return w.tier != TIER_NONE or w.unknown

    def _inflected(self, key: str) -> bool:
        """Whether ``key`` is an inflected common word: "states", "walked", "shouting" (not "king")."""
        common = self.lex.common
        for suffix in ("s", "es", "ed", "d", "ing"):
            if key.endswith(suffix) and len(key) > len(suffix) + 2:
                stem = key[: -len(suffix)]
                if stem in common or stem + "e" in common or len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in common:
                    return True
        return False

    def build_run(self, i: int) -> tuple[int, int]:
        """The run starting at ``i``: [i, j), with hyphen, particle and "SURNAME, Given" joins."""
        lower_run = self.info(i).shape == SHAPE_LOWER
        j = i + 1
        while j < self.n:
            tok, space = self.words[j], self.space
            if tok in _HYPHENS and not space[j - 1] and not space[j] and (
                    self._name_like(j + 1, lower_run) or j + 1 < self.n and j + 1 not in self.blocked
                    and self.info(j + 1).shape == self.info(j - 1).shape == SHAPE_TITLE and self.lowers[j + 1] not in _STOP):
                j += 2  # "Kerry-Ann", "Smith-Jones", "Al-Hassan", "Kowalczyk-Hart"
                continue
            if tok == "," and not space[j - 1] and j + 1 < self.n and self.info(i).shape == SHAPE_UPPER \
                    and "," not in self.words[i:j] and self._name_like(j + 1, False):
                nxt, head = self.info(j + 1), self.info(j - 1)
                if nxt.shape == SHAPE_TITLE and (nxt.given or nxt.unknown) and not self.shouty(i) \
                        or nxt.shape == SHAPE_UPPER and nxt.given and nxt.tier == TIER_PLAIN \
                        and (head.surname or head.unknown) and head.key not in _STOP:
                    j += 2  # "SMITH, John" (log style, surname first), "AL-MASRI, HUSSEIN" in capitals
                    continue
            if tok in _QUOTES and not space[j] and j + 2 < self.n and self.words[j + 2] == tok \
                    and self._name_like(j + 1, False) and j + 3 < self.n and self._name_like(j + 3, False):
                j += 4  # "John 'Jack' Smith": a nickname inside the name
                continue
            if not space[j - 1]:
                break  # glued: "Amir's" stops before "'s", "Amir)" before ")"
            if self.lowers[j].rstrip(".") in _SUFFIXES and self.info(j - 1).shape in (SHAPE_TITLE, SHAPE_UPPER):
                j += 1  # "John Smith Jnr"
                continue
            if self.lowers[j] in PARTICLES and not lower_run and not tok.isupper():
                # "Mohammed bin Salman", "Jonalyn De Guzman", "Ana de la Cruz", "Abdul al-Hassan"
                k = j
                while k < self.n and self.lowers[k] in PARTICLES and k - j < 3:
                    k += 1
                if k < self.n and self.words[k] in _HYPHENS and not space[k - 1] and not space[k]:
                    k += 1
                if k < self.n and self._name_like(k, False) and self.info(k).shape == SHAPE_TITLE:
                    j = k + 1
                    continue
            if self._name_like(j, lower_run):
                j += 1
                continue
            if j == i + 1 and self._surname_place_noun(i, j):
                j += 1  # "SPOKE TO PATRICK WARD SNR": after a cue and a given name, Ward is a surname
                continue
            if j == i + 1 and self._surname_after_titled_given(i, j):
                j += 1  # "Mrs Ngozi Eke": after a title and a given name, a capitalised word is the surname
                continue
            break
        return i, j

    def _surname_place_noun(self, i: int, j: int) -> bool:
        if not cue_strength(self.cues.get(i, 0)) or j >= self.n or j in self.blocked:
            return False
        given, w = self.info(i), self.info(j)
        if not (given.given and given.tier == TIER_PLAIN and w.surname and w.key in _SURNAME_PLACE_NOUNS
                and w.shape == given.shape):
            return False
        k = j + 1  # what follows must not continue a place name: "PATRICK WARD, ..." yes, "Rose Ward Manager" no
        return k >= self.n or not self.words[k][:1].isupper() or self.lowers[k].rstrip(".") in _SUFFIXES \
            or self.words[k] in _AFTER_NAME_PUNCT or self.words[k] == "["

    def _surname_after_titled_given(self, i: int, j: int) -> bool:
        if not cue_strength(self.cues.get(i, 0)) or j >= self.n or j in self.blocked or self.lowers[j] in NAME_VERBS:
            return False
        given, w = self.info(i), self.info(j)
        return (given.given and given.tier == TIER_PLAIN or given.unknown and given.shape == SHAPE_TITLE) \
            and w.shape == SHAPE_TITLE and not self.shouty(j) \
            and w.key not in _STOP and w.key not in PLACE_NOUNS and w.key not in _VENUE_NOUNS \
            and w.key not in _TOPOGRAPHIC and not w.title and not w.cue_word and (not w.not_name or w.listed_word)

    # -- evidence -----------------------------------------------------------------------------------
    def _after_evidence(self, j: int) -> bool:
        """A birth or age detail right after the run: ", born", "(DOB", "(34)", ", 34,"."""
        if j >= self.n:
            return False
        first = self.lowers[j]
        if first in AFTER_NAME:
            return True
        if first in {",", "(", "-"} and j + 1 < self.n:
            nxt = self.words[j + 1]
            return nxt.lower() in AFTER_NAME or nxt[:1].isdigit() and len(nxt) <= 5
        return False

    def _place_follows(self, j: int, shouty: bool) -> bool:
        """A capitalised place noun after the run ("Rose Ward", "Guy's Hospital", "X Children's Hospital")."""
        k = j
        if k < self.n and self.words[k] in _POSSESSIVE:
            k += 1
        # In capitals every word is capitalised, so only the very next word can tell.
        for _ in range(1 if shouty else 3):
            if k >= self.n:
                return False
            if not self.words[k][:1].isupper() or k in self.blocked:
                return False
            if self.lowers[k] in PLACE_NOUNS or self.lowers[k].rstrip(".") in PLACE_NOUNS:
                # "NHS" names a trust ("Mersey Care NHS Trust") but not before its number ("JOZEF HORVATH NHS 859...").
                return not (self.lowers[k] == "nhs" and k + 1 < self.n
                            and (self.lowers[k + 1] in _NUMBER_WORDS or self.words[k + 1][:1].isdigit()))
            k += 1
            if k < self.n and self.words[k] in _POSSESSIVE:
                k += 1
        return False

    def _spells_place(self, i: int, j: int) -> bool:
        """Whether the run, alone or with a word or two around it, spells a multi-word place."""
        if self._has_place_words is None:
            self._has_place_words = not self.lex.place_phrase_words.isdisjoint(self.lowers)
        if not self._has_place_words:
            return False  # most narratives name no multi-word place: one set test per narrative
        words = self.lex.place_phrase_words
        if not any(self.info(k).key in words for k in range(i, j)):
            return False
        text, phrases = self.text, self.lex.place_phrases
        # The run may be the place itself, its tail ("Keynes" after "Milton"), its head ("Weston-super-Mare",
        # "High Wycombe") or overlap it ("RANK, MILTON KEYNES").
        for a in range(max(0, i - 2), j):
            for b in range(max(a + 2, i + 1), min(self.n, j + 4) + 1):
                if phrase_key(text[self.idx[a]:self.idx[b - 1] + len(self.words[b - 1])]) in phrases:
                    return True
        return False

    def _verb_follows(self, j: int) -> bool:
        """A verb (or "'s") after the run, or "and" and another capitalised name ("Tomasz and Piotr are...")."""
        if j >= self.n:
            return False
        if self.lowers[j] in NAME_VERBS or self.words[j] in _POSSESSIVE:
            return True
        if self.lowers[j] == "from" and j + 1 < self.n and self.lowers[j + 1] == "the" and self.info(j - 1).given:
            return True  # "Dawn from the Crisis Team called": how callers introduce colleagues
        if self.words[j].islower() and self._inflected(self.lowers[j]) and not self.lex.info(self.words[j]).tier:
            return True  # "Kirsty confirmed", "Adebayo explains": an inflected common verb
        return self.lowers[j] in ("and", "&") and j + 1 < self.n and self.info(j + 1).shape == SHAPE_TITLE \
            and (self.info(j + 1).tier in (TIER_PLAIN, TIER_WORD) or self.info(j + 1).unknown)

    def decide(self, i: int, j: int) -> bool:
        """Whether the run [i, j) is a person."""
        words = [self.info(k) for k in range(i, j) if self.words[k] not in _HYPHENS and self.words[k] != ","
                 and not (self.lowers[k] in PARTICLES and self.words[k].islower())]
        if not words and j == i + 1 and self.cues.get(i, 0):
            words = [self.info(i)]  # a particle alone after a cue is a name: "rp is ben"
        if not words:
            return False
        cue = self.cues.get(i, 0)
        strength = cue_strength(cue)
        first, last = words[0], words[-1]
        prev_text = self.words[i - 1] if i > 0 else ""
        prev_lower = prev_text.lower()
        named = [w for w in words if w.tier != TIER_NONE or w.unknown]

        if strength == CUE_STRONG:
            if cue & CUE_AFTER_NUMBER and first.shape != SHAPE_LOWER:
                return True  # "PC 5011 KING"
            if first.shape == SHAPE_LOWER and cue & CUE_NAMING:
                return first.key not in _STOP and (first.tier != TIER_NONE or first.unknown)  # "my name is jay"
            if first.shape == SHAPE_LOWER:
                # "mr khan", "named kristina"; never "Inspector to speak", "Sister said".
                return first.tier in (TIER_PLAIN, TIER_WORD) and first.key not in _STOP and not first.common \
                    or first.unknown and not self.lex.looks_like_typo(first.key)
            if cue & CUE_WORD_TITLE and first.shape == SHAPE_UPPER and self.shouty(i) and first.common \
                    and first.tier != TIER_PLAIN:
                return False  # "INSPECTOR SPEAKS TO..."
            return bool(named) or any(w.shape == SHAPE_INITIAL for w in words)
        # -- places ----------------------------------------------------------------------------------
        shouty = first.shape == SHAPE_UPPER and self.shouty(i)
        person_cued = strength == CUE_MEDIUM and len(words) >= 2 and first.given and first.tier == TIER_PLAIN
        if cue & CUE_PLACE or prev_text in _PLACE_PREFIX_TEXT or self._place_follows(j, shouty) and not person_cued:
            return False  # ("NEPHEW JOHN JOE WARD": the cue and the given name outweigh "Ward")
        if not strength and prev_text == "," and i >= 3 and self.words[i - 2] == "]" \
                and self.words[i - 3] in ("ADDRESS", "POSTCODE"):
            return False  # "[ADDRESS], Walker": the town after a redacted address (as before redaction)
        if self._spells_place(i, j):
            return False  # "Milton Keynes", "St Helens", "Weston-super-Mare"
        if i > 0 and not strength and self._continues_proper_noun(i, shouty):
            return False  # "Merthyr Tydfil", "Lilac Lodge", "Stoke-on-Trent"
        if i > 1 and prev_text in _POSSESSIVE and (self.words[i - 2][:1].isupper() or self.words[i - 2] == "]"):
            return False  # "King's Lynn", "Bishop's Stortford" ("]": the same after a placeholder, for idempotence)
        if last.key in _TOPOGRAPHIC and len(words) >= 2 and not (strength and any(w.given for w in words[:-1])):
            # A person cue overrides this: "her mum Sarah Lane".
            if last.key in _STRICT_STREET or shouty or prev_lower in LOCATIVES and not strength \
                    or not any(w.tier == TIER_PLAIN and w.given for w in words[:-1]):
                return False  # "Elizabeth Lane", "Laurel Hill", "along Mary Park" (but "Laura Hill" is a person)
        next_lower = self.lowers[j] if j < self.n else ""
        if not strength and (prev_lower == "the" or len(words) == 1 and prev_lower in _DETERMINERS) \
                and next_lower not in _FAMILY_NOUNS:
            return False  # "the McDonald's", "by the Weir", "the Royal Derby" (but "the Mwangi family")
        if not strength and (next_lower in _VENUE_NOUNS or next_lower in ("and", "&") and j + 2 < self.n
                             and self.words[j + 1][:1].isupper() and self.lowers[j + 2] in _VENUE_NOUNS):
            return False  # "Rose pub", "Rose and Crown pub"
        if not strength and prev_lower in _COLOURS:
            return False  # "a grey Range Rover", "IN GREY MERCEDES"
        if len(words) == 1 and first.key in _EPONYMS and j < self.n and self.words[j].lower() in _EPONYM_NOUNS:
            return False
        if not named:
            return False

        lower = first.shape == SHAPE_LOWER
        tiers = [w.tier for w in words]
        n_plain = tiers.count(TIER_PLAIN)
        n_word = tiers.count(TIER_WORD)
        n_cue_tier = tiers.count(TIER_CUE)
        n_unknown = sum(w.unknown for w in words)
        n_initial = sum(w.shape == SHAPE_INITIAL for w in words)
        boundary = _is_boundary(self.words, i)
        single = len(words) == 1

        # -- lower case: a name only with a cue, or as "john smith" ------------------------------------
        if lower:
            if strength == CUE_MEDIUM:
                if first.tier == TIER_PLAIN:
                    return True
                if not cue & CUE_RELATION or cue & CUE_VIA_VERB:
                    return False
                # After a relationship word: "my mum nyan", "my dad christian"; never "a friend heard".
                if first.unknown:
                    return len(first.key) > 2 and not self.lex.looks_like_typo(first.key)
                if first.key in _STOP or first.tier not in (TIER_WORD, TIER_CUE):
                    return False
                # An ordinary word right after a relationship word is a name when what follows is what
                # follows a name ("my nan rose is 91", "her partner dale has gone"), not "her son rose to".
                if first.tier == TIER_WORD and not first.common:
                    return True
                # Not through a possessive: "her neighbour's house" is a house.
                return prev_text not in _POSSESSIVE and self._name_slot(j)
            if len(words) >= 2:
                return first.tier == TIER_PLAIN and first.given and (last.surname or last.unknown)
            # "josh has taken pills": an unambiguous name in lower case as the subject of a verb, in a
            # narrative written in lower case (elsewhere "bene called" is a misspelling).
            verb = j < self.n and self.lowers[j] in NAME_VERBS and self.lowers[j] not in _STOP_VERBS_AFTER_LOWER \
                or j + 1 < self.n and self.lowers[j] == "and" and self.lowers[j + 1] in ("his", "her", "their")
            return first.tier == TIER_PLAIN and verb and self._lower_case_register()

        # -- a medium cue: "her son Kunal", "RP: John Smith", "spoke to Darius" -----------------------
        # A misspelt word ("Theer is", "UNNABLE") is not a name; a capitalised word right after a cue is
        # given the benefit of the doubt ("Neighbour Ade").
        typo = single and first.unknown and not (strength and first.shape == SHAPE_TITLE) \
            and self.lex.looks_like_typo(first.key)
        if strength == CUE_MEDIUM and not typo:
            if shouty:
                # "RP STATES OFRS...": in capitals the word after a role is often a verb.
                ok = (n_plain or n_unknown and not cue & CUE_VIA_VERB) and not (first.common and first.tier != TIER_PLAIN) \
                    or self._listed_pair(words)
            else:
                ok = n_plain or n_word and first.shape == SHAPE_TITLE or n_unknown and not cue & CUE_VIA_VERB \
                    or n_initial and len(words) > 1
            if not ok and cue & CUE_RELATION and first.shape == SHAPE_TITLE and not shouty:
                ok = first.tier == TIER_CUE and first.key not in _STOP  # "his brother Son", "her mum May"
            if ok and not (single and first.place and first.tier != TIER_PLAIN and not cue & CUE_RELATION):
                return True
        if self._after_evidence(j):
            return True
        if n_initial and len(words) > n_initial and words[-1].shape != SHAPE_INITIAL:
            return True  # "J. Okafor", "J Smith"
        if single and first.place and first.tier != TIER_PLAIN:
            # A name that is also a place (Jordan, Preston): only as the subject of a verb.
            return not boundary and prev_lower not in LOCATIVES and self._verb_follows(j) and prev_text != ","
        if n_plain:
            if shouty and single and (first.common or self.lex.missing_letter(first.key)):
                return False  # "LOK", "WOLD": misspellings in capitals, not names
            return True
        if shouty:
            # In capitals only two-part listed names count: "MARK BROWN", not "WILL CALL".
            return len(words) >= 2 and n_unknown == 0 and n_cue_tier == 0 and first.given and last.surname
        if len(words) >= 2 and first.given and last.surname and n_word >= 1 and n_cue_tier < len(words):
            return True  # "Mark Brown", "Jack Black", "Peter Smith"
        if first.shape == SHAPE_UPPER:
            return False  # "HOPE", "BILL" in a normal sentence: emphasis or an acronym
        if n_word + n_unknown == len(words) - n_cue_tier and (n_word or n_unknown):
            if n_cue_tier and n_word + n_unknown < 2:
                return False
            if prev_lower in _DETERMINERS or prev_lower in LOCATIVES and any(w.place for w in words):
                return False
            if typo:
                return False  # "Theer is", "Staf have": a misspelt word, not a name
            if boundary or prev_text == ",":
                # A sentence start, or a town after a comma ("the car park, Ashington"): needs a verb, and
                # an ordinary word must be one that is mostly a name ("Rose is", not "Crew will").
                if single and first.tier == TIER_WORD and first.common and not first.listed_word:
                    return False
                return self._verb_follows(j)
            return True
        return False

    def _stop_word_given_name(self, i: int) -> bool:
        """A given name that is also a stop word ("MAY", "June"), right before an unambiguous surname."""
        if i + 1 >= self.n or i in self.blocked or i + 1 in self.blocked or not self.space[i]:
            return False
        w, nxt = self.info(i), self.info(i + 1)
        return w.given and w.shape in (SHAPE_TITLE, SHAPE_UPPER) and nxt.surname and nxt.tier == TIER_PLAIN \
            and nxt.shape == w.shape

    def _listed_pair(self, words: list[WordInfo]) -> bool:
        """A listed given name and a listed surname, neither a verb nor a little word: "MARK GREEN"."""
        if len(words) != 2:
            return False
        first, last = words
        return first.given and last.surname and all(
            w.key not in _STOP and w.key not in NAME_VERBS and not self._inflected(w.key) and not w.not_name
            for w in words)

    def _name_slot(self, j: int) -> bool:
        """Whether token ``j`` is what follows a person's name: an end, a comma, a clause verb."""
        if j >= self.n:
            return True
        return self.words[j] in _AFTER_NAME_PUNCT or self.lowers[j] in _AFTER_NAME_WORDS

    def _lower_case_register(self) -> bool:
        """Whether the narrative is written (almost) without capitals, like a text message."""
        if self._lower_register is None:
            text = self.text
            upper = len(text) - len(text.translate(_DROP_UPPER))
            lower = len(text) - len(text.translate(_DROP_LOWER))
            self._lower_register = lower > 0 and upper <= 0.02 * (upper + lower)
        return self._lower_register

    def _continues_proper_noun(self, i: int, shouty: bool) -> bool:
        """Whether the run is the second half of a longer proper noun: "Merthyr Tydfil", "Stoke-on-Trent"."""
        if i - 1 in self.blocked:
            return False  # the word before will be a placeholder: judge as if it already were one
        prev = self.words[i - 1]
        if prev in _HYPHENS and not self.space[i - 1]:
            return True
        if shouty or not self.space[i - 1] or not prev[:1].isupper() or _is_boundary(self.words, i - 1):
            return False
        w = self.info(i - 1)
        return (w.place or w.common or w.not_name) and w.tier == TIER_NONE

    # -- the whole search ---------------------------------------------------------------------------
    def find(self, seeds: Iterable[int]) -> list[tuple[int, int]]:
        runs: list[tuple[int, int]] = []
        rejected: set[int] = set()
        queue = sorted(set(seeds))
        self._sign_off(queue)
        k = 0
        while k < len(queue):
            i = queue[k]
            k += 1
            if i >= self.n or i in self.taken or i in self.blocked or (i in rejected and i not in self.cues):
                continue
            w = self.info(i)
            cue = self.cues.get(i, 0)
            if cue and self.lowers[i] in PARTICLES and self.words[i].islower():
                # "Mr de Souza", "Mr van der Berg", "Mr al-Hassan": the particle opens the name.
                q = i
                while q < self.n and self.lowers[q] in PARTICLES and self.words[q].islower() and q - i < 3:
                    q += 1
                if q < self.n and self.words[q] in _HYPHENS and not self.space[q - 1]:
                    q += 1
                if q < self.n and self._name_like(q, False) and self.info(q).shape == SHAPE_TITLE:
                    _, end = self.build_run(q)
                    self.cues.setdefault(q, cue)
                    if self.decide(q, end):
                        runs.append((i, end))
                        self.taken.update(range(i, end))
                    continue
            if w.shape == SHAPE_LOWER:
                if w.not_name or w.title or not (w.tier != TIER_NONE or w.unknown):
                    continue
                if not cue_strength(cue) and w.tier != TIER_PLAIN:
                    continue
            elif w.cue_word and not cue:
                continue  # "FRIEND DILAN": the relationship word is a cue, not a name
            elif not self._name_like(i, False, seed=True):
                if not (cue and self._stop_word_given_name(i)):
                    continue
                start, end = i, self.build_run(i + 1)[1]  # "RP MAY LEUNG": a given name that is also a little word
                if self.decide(start, end):
                    runs.append((start, end))
                    self.taken.update(range(start, end))
                continue
            elif not cue and w.tier == TIER_CUE and w.key in _STOP:
                continue  # "He", "The", "An" opening a sentence
            start, end = self.build_run(i)
            if self.decide(start, end):
                runs.append((start, end))
                self.taken.update(range(start, end))
                nxt = self._coordinated(start, end)
                if nxt is not None and nxt not in queue[k:]:
                    insort(queue, nxt, lo=k)
            else:
                # The tail of a rejected run ("Hill" of "Laurel Hill") is not tried again on its own.
                rejected.update(range(start + 1, end))
        return runs

    def _coordinated(self, start: int, end: int) -> int | None:
        """"lewis and tyler": a lower-case name after "and" or a comma inherits the first name's cue."""
        if end + 1 >= self.n or self.lowers[end] not in _COORDINATORS:
            return None
        first, nxt = self.info(start), self.info(end + 1)
        if first.shape == SHAPE_TITLE and self.lowers[end] in ("and", "&", "or") and nxt.shape == SHAPE_TITLE \
                and (nxt.tier == TIER_PLAIN or nxt.unknown) and not nxt.place and not nxt.common:
            self.cues.setdefault(end + 1, CUE_MEDIUM)  # "Olu and Tayo were seen"
            return end + 1
        if first.shape != SHAPE_LOWER or nxt.shape != SHAPE_LOWER:
            return None
        self.cues.setdefault(end + 1, CUE_MEDIUM | CUE_RELATION)
        return end + 1

    def _sign_off(self, queue: list[int]) -> None:
        """A lower-case unambiguous name signing off a message: "... im scared. nikki"."""
        k = self.n - 1
        while k > 0 and (not any(c.isalnum() for c in self.words[k]) or self.lowers[k] in {"x", "xx", "xxx"}):
            k -= 1
        w = self.info(k)
        before = self.words[k - 2] if k > 1 else ""
        after_contact = before[-1:].isdigit() or before == "]" and k > 2 and self.words[k - 3] in ("PHONE", "EMAIL") \
            or before.lower() in ("thanks", "regards", "cheers", "you", "wishes")
        if k > 1 and self.words[k - 1] == "," and w.shape == SHAPE_TITLE and w.given and not w.place and after_contact:
            self.cues.setdefault(k, CUE_MEDIUM)  # "... call me on [PHONE], Jade."
            if k not in queue:
                insort(queue, k)
            return
        if k > 0 and _is_boundary(self.words, k) and self.info(k).shape == SHAPE_LOWER and self.info(k).tier == TIER_PLAIN:
            self.cues.setdefault(k, CUE_MEDIUM)
            if k not in queue:
                insort(queue, k)

    def corefer(self, runs: list[tuple[int, int]], candidates: Iterable[int]) -> list[tuple[int, int]]:
        """Other mentions of words already found as names in this narrative ("Kwok came home")."""
        keys = set()
        ambiguous = set()  # words that are names only sometimes ("Long"): matched only mid-sentence
        for start, end in runs:
            for k in range(start, end):
                w = self.info(k)
                if w.shape not in (SHAPE_TITLE, SHAPE_UPPER, SHAPE_LOWER) or len(w.key) < 2 or w.key in _STOP or w.place:
                    continue
                if w.tier in (TIER_PLAIN, TIER_WORD) or w.unknown:
                    keys.add(w.key)
                elif w.tier == TIER_CUE and w.shape == SHAPE_TITLE and end - start >= 2:
                    ambiguous.add(w.key)
        keys |= ambiguous
        extra: list[tuple[int, int]] = []
        if not keys:
            return extra
        for i in candidates:
            if i in self.taken or i in self.blocked:
                continue
            w = self.info(i)
            if w.key not in keys:
                continue
            if w.shape == SHAPE_LOWER and w.tier != TIER_PLAIN and not w.unknown:
                continue  # "Mr Brown" does not make "brown hair" a name
            if w.key in ambiguous and (w.shape != SHAPE_TITLE or _is_boundary(self.words, i)):
                continue  # "Pui Man Long ... Long is sectioned", but not "Long history of..."
            if w.shape not in (SHAPE_TITLE, SHAPE_UPPER, SHAPE_LOWER):
                continue
            if i + 1 < self.n and self.lowers[i + 1] in PLACE_NOUNS and self.words[i + 1][:1].isupper():
                continue  # "Mr Rose ... Rose Ward": the ward keeps its name
            extra.append((i, i + 1))
            self.taken.add(i)
        return extra


def find_names(text: str, lexicon: Lexicon, candidates: list[int], cues: dict[int, int],
               blocked: set[int], tokens: TokenView) -> list[tuple[int, int]]:
    """Token ranges [start, end) of person names among ``tokens``, the tokens of ``text``.

    ``candidates`` are tokens that may start a name (capitalised, or an unambiguous lower-case name),
    ``cues`` maps a token index to the cue right before it (see ``CUE_*``), and ``blocked`` holds tokens
    already inside another span (an address, a placeholder...).
    """
    finder = _Finder(text, lexicon, cues, blocked, tokens)
    runs = finder.find([*candidates, *(i for i, c in cues.items() if cue_strength(c))])
    runs.extend(finder.corefer(runs, candidates))
    runs.sort()
    return runs
