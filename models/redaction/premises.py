"""Homes that are not "number, street, type": a room in a care home, a caravan plot, a pitch on a site,
a numbered house in a street with no street type ("9 Meadowbank", "3 Glan yr Afon"), a farm or cottage
named on its own, a Welsh house name ("Ty Gwyn").

These shapes are common in calls about older people, Gypsy, Roma and Traveller sites, holiday parks,
hostels and rural Wales and Scotland, so missing them would leave some communities less protected than
others. A hospital, hotel or school named on its own stays: only a numbered unit in it locates a person.
"""

from __future__ import annotations

import re

from rcrp.models.redaction.cues import STREET_TYPES
from rcrp.models.redaction.patterns import _POSTCODE_RE, ADDRESS_PRIORITY, Found

__all__ = ["find_premises"]

_STREET_TYPES_L = "|".join(sorted((t for t in STREET_TYPES if t.isalpha() and len(t) > 2), key=len, reverse=True))
_UNIT = (r"(?i:room|rm|flat|plot|pitch|static|caravan|chalet|unit|bedsit|lodge|berth|mooring|apartment|apt)"
         r"\.?\s?\d{1,4}[A-Za-z]?")
_CAP = r"[A-Z][A-Za-z'’-]+"
# What a numbered unit sits in.
_SITE = (r"(?i:care\s+home|nursing\s+home|residential\s+home|rest\s+home|home|hotel|hostel|house|lodge|court"
         r"|mansions|holiday\s+park|caravan\s+park|caravan\s+site|park|site|camp|marina|halls?|residence|b&b"
         r"|guest\s*house|refuge|supported\s+living|flats|apartments|tower|towers|heights)")
_SUBUNIT = r"(?:(?i:block|wing|floor|stair|building)\s?[A-Z0-9]{1,3},?\s+)?"
_UNIT_IN_SITE_RE = re.compile(
    rf"\b{_UNIT}(?:,\s*|\s+(?:at|on|in|of)\s+(?:the\s+)?|\s+){_SUBUNIT}(?:the\s+|The\s+|THE\s+)?"
    rf"(?:{_CAP}\s+){{0,3}}(?:{_CAP}\s+)?{_SITE}\b")
# A unit, then a number and one street word without a type: "Flat 4, 18 Kingsway".
_UNIT_NUMBER_WORD_RE = re.compile(rf"\b{_UNIT},?\s+\d{{1,4}}[A-Za-z]?,?\s+{_CAP}(?:\s+{_CAP})?\b")
# A number and capitalised words after a cue that says a home follows: "lives at 9 Meadowbank",
# "his house is 3 Taigh na Mara", "the address, 9 Meadowbank".
_HOME_CUE = (r"(?i:lives\s+at|living\s+at|resides\s+at|residing\s+at|staying\s+at|stays\s+at|address(?:\s+is|\s+of)?"
             r"|house\s+is|home\s+is|flat\s+is|home\s+address|moved\s+to|at\s+his\s+house|at\s+her\s+house"
             r"|from|at)")
_PARTICLE = r"(?:y|yr|na|nan|an|ap|a'|am|of|on|the|le|la|de)"
# Starts at the digit (fast to scan for); the cue before it is checked afterwards.
_CUED_NUMBER_RE = re.compile(
    rf"\d(?<![\w/.:£$,-]\d)\d{{0,3}}[A-Za-z]?,?\s+{_CAP}(?:[ -](?:{_PARTICLE}|{_CAP})){{0,3}}"
    rf"(?=\s*(?:,|\.|;|\)|$|\n|\s+[A-Z]{{1,2}}\d|\s+(?:on|and|with|in|at|for|to|where|who|which|-)\b))")
_HOME_CUE_BEFORE_RE = re.compile(rf"\b{_HOME_CUE}[:,]?\s+(?:the\s+address,?\s+)?$")
# Words after a number that measure or count, not streets: "at 3 PM", "from 2 Hours", "at 10 Mins".
_NOT_STREET = frozenset({"am", "pm", "hrs", "hours", "hour", "mins", "minutes", "min", "years", "yrs", "days",
                         "weeks", "months", "miles", "mph", "am.", "pm.", "o'clock", "oclock", "times", "ward",
                         "bay", "bed", "units", "officers", "people", "males", "females", "cars", "patients",
                         "staff", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct",
                         "nov", "dec", "january", "february", "march", "april", "june", "july", "august",
                         "september", "october", "november", "december", "floor", "metres", "meters", "feet",
                         "storeys", "kg", "stone", "pills", "tablets", "mg", "year", "month", "week", "day",
                         "minute", "second", "seconds", "cat", "category", "calls", "counts"})
# A number and a named block: "7 Grosvenor Mansions", "12 Kestrel House".
_NUMBER_BLOCK_RE = re.compile(
    rf"\d(?<![\w/.:£$,-]\d)\d{{0,3}}[A-Za-z]?,?\s+(?:{_CAP}\s+){{1,3}}(?i:mansions|house|court|lodge|towers|tower|heights|buildings"
    rf"|cottages|villas|flats|apartments)\b(?!\s+(?i:hospital|surgery|clinic|hotel|school|station|ward|unit|centre))")
# "5 the green", "12 The Crescent" in any case: a number and "the" and a street word.
_NUMBER_THE_RE = re.compile(
    r"\d(?<![\w/.:£$,-]\d)\d{0,3}[A-Za-z]?,?\s+(?i:the\s+(?:green|crescent|avenue|drive|close|grove|square|parade|terrace|meadows"
    r"|paddock|orchard|willows|beeches|firs|oaks|limes|laurels|hollies|spinney|mews|rise|glebe|chase|maltings"
    r"|sidings|copse|dell|ridgeway|strand|esplanade|promenade|broadway|causeway|circus|avenues|boulevard|hawthorns"
    r"|elms|poplars|cedars|pines|larches|birches|chestnuts|brambles|paddocks|pastures|uplands|ridings|coppice))\b")
# A home named after "lives at" and no number: "he lives at Sunnyside", "staying at Ravenscroft".
_LIVES_AT_NAME_RE = re.compile(
    rf"\b(?i:lives|living|resides|residing|stays|staying)\s+(?i:at)\s+(?P<addr>{_CAP}(?:\s+{_CAP})?)\b"
    rf"(?!\s+(?i:hospital|hotel|inn|hostel|ward|unit|centre|house\s+hostel|lodge\s+hotel|prison|station))")
_PUBLIC_OR_TOWN = frozenset({"the", "home", "hospital", "hotel", "inn", "hostel", "prison", "her", "his", "their",
                             "a", "an", "my", "your", "our", "premier", "travelodge", "hmp"})
# A bare room or flat number where the narrative is about a care home or supported housing: "Resident
# Mrs X, Room 7, has left"; elsewhere "Room 7" is as often a side room on a ward.
_CARE_SETTING_RE = re.compile(r"(?i)care\s+home|nursing\s+home|residential\s+home|supported\s+(?:housing|living)"
                              r"|sheltered\s+housing|hostel|extra\s+care")
_BARE_UNIT_RE = re.compile(r"\b(?:Room|ROOM|room|Flat|FLAT|flat)\s?\d{1,3}[A-Za-z]?\b")
# Welsh street names written as one hyphenated word: "6 TAN-Y-BRYN", "12 Pen-y-Maes".
_WELSH_HYPHEN_RE = re.compile(r"\d(?<![\w/.:£$,-]\d)\d{0,3}[A-Za-z]?,?\s+(?i:tan|pen|bryn|glan|maes|heol|cae|ty|coed|pant|nant|cwm)"
                              r"-(?i:y|yr|r|ar|uwch|is)-[A-Za-z]+\b")
# Lower case after "address is": "address is the old forge, mill lane".
_LOWER_ADDRESS_AFTER_CUE_RE = re.compile(
    rf"\b(?i:address\s+is|address:|addr:|lives\s+at)\s+(?P<addr>[a-z][a-z' -]{{2,40}},\s+(?:\d{{1,4}}\s+)?[a-z][a-z' -]{{1,30}}?\s"
    rf"(?:{_STREET_TYPES_L}))\b")
# Named homes that are rarely anything but a home.
_HOUSE_NAME_RE = re.compile(
    rf"\b(?:(?:{_CAP}|[A-Z]{{2,}})\s+){{1,3}}(?i:farm|farmhouse|cottage|bothy|rectory|vicarage|bungalow|farmstead)\b"
    rf"(?!\s+(?i:hospital|surgery|clinic|pub|inn|shop|cafe|café|park|lane|road|street|way|estate|industrial|kitchen|pie))")
_WELSH_HOUSE_RE = re.compile(
    rf"\b(?:Ty|TY|Tŷ)\s+{_CAP}(?:,\s+(?:Heol|Ffordd|Stryd|Lôn|Lon|Maes|Cwrt)(?:\s+(?:y|yr|{_CAP})){{1,3}})?\b")
# In lower case: "flat 9 brixton hill court".
_LOWER_UNIT_RE = re.compile(
    r"\b(?:flat|room|plot|pitch|static|caravan)\s?\d{1,4}[a-z]?,?\s+(?P<words>(?:[a-z'’-]+\s+){1,3})"
    r"(?:court|house|lodge|mansions|towers|tower|heights|park|site|close|gardens|place|home)\b")
_LOWER_STOP = frozenset({"the", "a", "an", "in", "on", "at", "of", "to", "and", "is", "was", "with", "for", "from",
                         "his", "her", "their", "my", "your", "our", "this", "that", "by", "into", "up", "down"})
# Lower case, with a Welsh street type first: "11 heol-y-coed", "4 ffordd glyndwr".
_LOWER_WELSH_RE = re.compile(r"\d(?<![\w/.:£$,-]\d)\d{0,3}[a-z]?\s+(?:heol|ffordd|stryd|lon|lôn|maes|cwrt|clos|rhodfa)[ -][a-z'’-]+(?:[ -][a-z'’-]+){0,2}")


_DIGIT = re.compile(r"\d")
_UNIT_KEYS = frozenset({"room", "rm", "flat", "plot", "pitch", "static", "caravan", "chalet", "unit", "bedsit",
                        "lodge", "berth", "mooring", "apartment", "apt"})
_BLOCK_KEYS = frozenset({"mansions", "house", "court", "lodge", "towers", "tower", "heights", "buildings",
                         "cottages", "villas", "flats", "apartments"})
_THE_KEYS = frozenset({"the"})
_WELSH_KEYS = frozenset({"heol", "ffordd", "stryd", "lon", "lôn", "maes", "cwrt", "clos", "rhodfa"})
_HOUSE_KEYS = frozenset({"farm", "farmhouse", "cottage", "bothy", "rectory", "vicarage", "bungalow", "farmstead"})
_TY_KEYS = frozenset({"ty", "tŷ"})
_LIVES_KEYS = frozenset({"lives", "living", "resides", "residing", "stays", "staying"})


def _unit_then_number(text: str, units: set[str]) -> bool:
    """Whether one of ``units`` is followed by a number ("Room 14", "plot 7"), found with str.find (fast)."""
    low = text.lower()
    for unit in units:
        at = low.find(unit)
        while at != -1:
            rest = low[at + len(unit):at + len(unit) + 3].lstrip(". ")
            if rest[:1].isdigit():
                return True
            at = low.find(unit, at + 1)
    return False


def find_premises(text: str, words: frozenset[str]) -> list[Found]:
    """Candidate ADDRESS spans of the shapes above (overlaps are settled by the caller).

    ``words``: the lower-cased tokens of ``text``; each pattern runs only when a word it needs is there.
    """
    out: list[Found] = []

    def add(regex: re.Pattern) -> None:
        out.extend(Found(m.start(), m.end(), "ADDRESS", ADDRESS_PRIORITY) for m in regex.finditer(text))

    if _DIGIT.search(text):
        units = _UNIT_KEYS.intersection(words)
        if units and _unit_then_number(text, units):
            add(_UNIT_IN_SITE_RE)
            add(_UNIT_NUMBER_WORD_RE)
            for m in _LOWER_UNIT_RE.finditer(text):
                if not _LOWER_STOP.intersection(m.group("words").split()):
                    out.append(Found(m.start(), m.end(), "ADDRESS", ADDRESS_PRIORITY))
        if not _BLOCK_KEYS.isdisjoint(words):
            add(_NUMBER_BLOCK_RE)
        if "the" in words:
            add(_NUMBER_THE_RE)
        if not _WELSH_KEYS.isdisjoint(words):
            add(_LOWER_WELSH_RE)
        if "-" in text:
            add(_WELSH_HYPHEN_RE)
        for m in _CUED_NUMBER_RE.finditer(text):
            parts = m.group().replace(",", " ").split()
            if parts[1].lower() in _NOT_STREET or parts[1].lower() == "the":  # "the" ones: _NUMBER_THE_RE
                continue
            # A home cue before it, or a town and postcode after it ("5 Ashgrove, Keighley BD21 4AA").
            if _HOME_CUE_BEFORE_RE.search(text, max(0, m.start() - 40), m.start()) \
                    or _POSTCODE_RE.search(text, m.end(), m.end() + 30):
                out.append(Found(m.start(), m.end(), "ADDRESS", ADDRESS_PRIORITY))
        if units and _CARE_SETTING_RE.search(text):
            add(_BARE_UNIT_RE)
    if "address" in words or "addr" in words or "lives" in words:
        for m in _LOWER_ADDRESS_AFTER_CUE_RE.finditer(text):
            out.append(Found(m.start("addr"), m.end("addr"), "ADDRESS", ADDRESS_PRIORITY))
    if not _LIVES_KEYS.isdisjoint(words):
        for m in _LIVES_AT_NAME_RE.finditer(text):
            if m.group("addr").split()[0].lower() not in _PUBLIC_OR_TOWN:
                out.append(Found(m.start("addr"), m.end("addr"), "ADDRESS", ADDRESS_PRIORITY))
    if not _HOUSE_KEYS.isdisjoint(words):
        add(_HOUSE_NAME_RE)
    if not _TY_KEYS.isdisjoint(words):
        add(_WELSH_HOUSE_RE)
    return out
