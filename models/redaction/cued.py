"""Numbers and codes that only a cue word makes personal data: "CAD 1234", "MRN: RX12345", "PC 1234",
"DOB 1985", "reg AB12 CDE".

These are found on tokens, after the cue table (``tokens.PhraseTable``) has found the cue (a hash lookup per token), rather
than with one large case-insensitive regular expression over the whole text, which was the slowest part
of redaction.
"""

from __future__ import annotations

import re
from typing import Iterable

from rcrp.models.redaction.tokens import TokenView
from rcrp.models.redaction.patterns import Found, cued_priority

__all__ = ["REF_CUES", "DOB_CUES", "REG_CUES", "RANK_CUES", "cued_spans"]

# Reference cues: police and hospital numbers ("crime ref", "MRN", "collar number").
REF_CUES: frozenset[str] = frozenset({
    "cad", "c.a.d", "c.a.d.", "log", "incident", "inc", "occurrence", "occ", "ob", "crime", "crime ref",
    "crime reference", "crime number", "crime no", "crn", "cris", "urn", "ref", "reference", "case", "job",
    "mrn", "hospital number", "hospital no", "hospital id", "hosp no", "hosp number", "hosp", "rio", "pas",
    "pnc", "pnc id", "custody", "custody number", "custody record", "custody ref", "niche", "storm",
    "athena", "ticket", "claim", "patient number", "patient no", "patient id", "unit number", "ni number",
    "ni no", "passport", "passport number", "passport no", "national insurance", "national insurance number",
    "serial", "docket", "intel", "intelligence", "collar", "collar number", "collar no", "shoulder number",
    "shoulder no", "warrant number", "warrant no", "badge number", "badge no", "epaulette",
    "epaulette number", "call number", "call ref", "nhs trust number", "chi",
})
# Dates of birth given in part: "DOB 1985", "born March 1990", "d.o.b. 12/85".
DOB_CUES: frozenset[str] = frozenset({
    "dob", "d.o.b", "d.o.b.", "date of birth", "born", "b.", "birth date", "birthdate", "d o b",
})
REG_CUES: frozenset[str] = frozenset({
    "reg", "registration", "reg no", "reg number", "registration number", "registration mark", "reg mark",
    "vrm", "index", "number plate", "plate", "vehicle reg", "car reg",
})
# Ranks before a collar number ("PC 1234", "PCSO 118"); short ones count only in capitals.
RANK_CUES: frozenset[str] = frozenset({
    "pc", "ps", "dc", "ds", "di", "dci", "dsu", "pcso", "sc", "sgt", "insp", "inspector", "sergeant",
    "constable", "officer", "det", "detective", "special constable",
})
_CASE_SENSITIVE = frozenset({"pc", "ps", "dc", "ds", "di", "sc", "det"})

_REF_FILLERS = frozenset({"no", "no.", ".", "number", "num", "nr", "ref", "reference", "id", "#", ":", "-", "is", "of",
                          "="})
_DOB_FILLERS = frozenset({":", "-", "on", "in", "the", "is", "was", "=", "of"})
_REG_FILLERS = frozenset({"no", "no.", "number", ":", "-", "is", "was", "of", "mark", "="})

_REF_TOKEN = re.compile(r"^[A-Za-z]{0,4}[-/]?\d[\w/\-]*$|^[A-Za-z]{1,4}$")
_CODE_PART = re.compile(r"^[\w/\-]+$")
_YEAR = re.compile(r"^(?:(?:19|20)\d{2}|['’]\d{2})$")
_MONTH_YEAR_NUMERIC = re.compile(r"^\d{1,2}[/.\-](?:19|20)?\d{2}$")
_DAY = re.compile(r"^\d{1,2}(?:st|nd|rd|th)?$", re.IGNORECASE)
_MONTHS = frozenset({"jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june",
                     "jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov",
                     "november", "dec", "december"})
_PLATE_PART = re.compile(r"^[A-Za-z0-9]{1,7}$")
# "PC1234", "CAD1234": a cue glued to its number is one token, so a small pattern finds it.
_GLUED_GATE = re.compile(r"\d(?<=[CSDNOd]\d)")  # fast: scans for digits only
_GLUED_RE = re.compile(r"\b(?:PC|PS|DC|DS|PCSO|CAD|Cad|cad|MRN|URN|CRN)(\d{2,8})\b")


def _skip(tokens: TokenView, p: int, fillers: frozenset[str], most: int = 3) -> int:
    n = len(tokens.words)
    for _ in range(most):
        if p < n and tokens.lowers[p] in fillers:
            p += 1
    return p


def _span(tokens: TokenView, a: int, b: int) -> tuple[int, int]:
    return tokens.idx[a], tokens.idx[b - 1] + len(tokens.words[b - 1])


def _glued_end(tokens: TokenView, p: int) -> int:
    """The end of a code spaCy split at "-" or "/" ("23-114567" is three tokens)."""
    words, space, n = tokens.words, tokens.space, len(tokens.words)
    q = p + 1
    while q < n and not space[q - 1] and _CODE_PART.match(words[q]):
        q += 1
    while q - 1 > p and words[q - 1] in ("-", "/"):
        q -= 1
    return q


def _reference(tokens: TokenView, end: int, out: list[Found]) -> None:
    p = _skip(tokens, end, _REF_FILLERS)
    if p < len(tokens.words) and _REF_TOKEN.match(tokens.words[p]):
        stop = _glued_end(tokens, p)
        code = "".join(tokens.words[p:stop])
        # At least three digits: "incident 2 days ago" and "log 1 of 3" are not references.
        if sum(c.isdigit() for c in code) >= 3:
            out.append(Found(*_span(tokens, p, stop), "REFERENCE", cued_priority("REFERENCE")))


def _date_of_birth(tokens: TokenView, end: int, out: list[Found]) -> None:
    words, lowers, n = tokens.words, tokens.lowers, len(tokens.words)
    p = _skip(tokens, end, _DOB_FILLERS)
    if p >= n:
        return
    stop = None
    if _YEAR.match(words[p]) or _MONTH_YEAR_NUMERIC.match(words[p]):
        stop = p + 1
    elif lowers[p].rstrip(".") in _MONTHS and p + 1 < n and _YEAR.match(words[p + 1]):
        stop = p + 2
    elif _DAY.match(words[p]):
        q = p + 1
        if q < n and lowers[q] == "of":
            q += 1
        if q < n and lowers[q].rstrip(".") in _MONTHS:
            stop = q + 1
            if stop < n and _YEAR.match(words[stop]):
                stop += 1
    if stop is not None:
        out.append(Found(*_span(tokens, p, stop), "DOB", cued_priority("DOB")))


def _registration(tokens: TokenView, end: int, out: list[Found]) -> None:
    words, n = tokens.words, len(tokens.words)
    p = _skip(tokens, end, _REG_FILLERS)
    if p >= n or not _PLATE_PART.match(words[p]):
        return
    stop = p + 1
    if stop < n and tokens.space[p] and _PLATE_PART.match(words[stop]) and len(words[p]) + len(words[stop]) <= 8:
        stop += 1  # "AB12 CDE"
    plate = "".join(words[p:stop])
    if not (any(c.isdigit() for c in plate) and any(c.isalpha() for c in plate) and 4 <= len(plate) <= 8):
        if stop - p == 2:  # maybe only the first part is a plate ("reg K123ABC seen")
            plate, stop = words[p], p + 1
            if not (any(c.isdigit() for c in plate) and any(c.isalpha() for c in plate) and len(plate) >= 4):
                return
        else:
            return
    out.append(Found(*_span(tokens, p, stop), "VEHICLE_REG", cued_priority("VEHICLE_REG")))


def _rank(tokens: TokenView, phrase: str, end: int, out: list[Found]) -> None:
    words, n = tokens.words, len(tokens.words)
    if phrase.lower().rstrip(".") in _CASE_SENSITIVE and not phrase[:1].isupper():
        return
    p = _skip(tokens, end, frozenset({"no", "no.", "#", "number"}), most=1)
    if p < n and words[p][:1].isdigit() and 2 <= sum(c.isdigit() for c in words[p]) <= 6 and words[p].isalnum():
        out.append(Found(*_span(tokens, p, p + 1), "REFERENCE", cued_priority("REFERENCE")))
    elif p + 1 < n and words[p][:1].isupper() and words[p + 1].isdigit() and 3 <= len(words[p + 1]) <= 6:
        out.append(Found(*_span(tokens, p + 1, p + 2), "REFERENCE", cued_priority("REFERENCE")))  # "PC Smith 1234"


def cued_spans(text: str, tokens: TokenView, matches: Iterable[tuple[str, int, int]]) -> list[Found]:
    """Spans announced by cue matches ``(label, start, end)`` with labels REF, DOB, REG and RANK_NUMBER."""
    out: list[Found] = []
    for label, start, end in matches:
        if label == "REF":
            _reference(tokens, end, out)
        elif label == "DOB":
            _date_of_birth(tokens, end, out)
        elif label == "REG":
            _registration(tokens, end, out)
        elif label == "RANK_NUMBER":
            phrase = tokens.words[start] if end - start == 1 else text[tokens.idx[start]:tokens.idx[end - 1] + len(tokens.words[end - 1])]
            _rank(tokens, phrase, end, out)
    if _GLUED_GATE.search(text):
        out.extend(Found(m.start(1), m.end(1), "REFERENCE", cued_priority("REFERENCE")) for m in _GLUED_RE.finditer(text))
    return out
