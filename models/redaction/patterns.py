"""Regular expressions for personal data with a shape: e-mail, phone, NHS number, dates of birth,
postcodes, vehicle registrations, reference numbers and addresses.

Every pattern is compiled once at import. ``find_structured`` returns candidate spans with a priority;
overlaps are settled later (``resolve``), highest priority first, so that, for instance, the digits of a
phone number are never also read as a reference.

Dates: PII_TYPES has no DATE type. A full calendar date (day, month and year) in a call narrative is far
more often a date of birth than anything else, and when it is the date of an incident it adds nothing to
triage while narrowing down who the caller is. So every full date is redacted and typed DOB. Partial
dates ("12th March", "March 2023", "2023") stay in the text unless a birth cue (DOB, born, d.o.b.)
comes first. This rule uses no clock, so redaction stays the same from one year to the next.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from rcrp.models.redaction.cues import STREET_TYPES

__all__ = ["ADDRESS_PRIORITY", "Found", "PLACEHOLDER", "PERSON_PRIORITY", "cued_priority", "find_structured", "find_quoted_names",
           "resolve", "nhs_number_is_valid", "word_set"]

PLACEHOLDER = ""  # type of a placeholder already in the input: protected, never replaced


class Found(NamedTuple):
    start: int
    end: int
    type: str
    priority: int


# Priorities: higher wins an overlap.
_P_PLACEHOLDER, _P_EMAIL, _P_NHS_CUED, _P_POSTCODE, _P_PHONE, _P_DOB = 100, 95, 90, 85, 80, 75
_P_REG, _P_REF, _P_ADDRESS, _P_NHS_CHECKSUM, _P_PERSON, _P_REF_WEAK = 70, 65, 60, 55, 40, 20
PERSON_PRIORITY = _P_PERSON
ADDRESS_PRIORITY = _P_ADDRESS
_CUED_PRIORITY = {"REFERENCE": _P_REF, "DOB": _P_DOB, "VEHICLE_REG": _P_REG}


def cued_priority(pii_type: str) -> int:
    """The priority of a span found after a cue word (see ``cued``)."""
    return _CUED_PRIORITY[pii_type]

_ANY_DIGIT = re.compile(r"\d")

_PLACEHOLDER_RE = re.compile(r"\[[A-Z][A-Z0-9_ ]{0,30}\]")

_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

# UK numbers: 0 + 9 or 10 digits, or +44 (optionally "(0)") + 9 or 10 digits, with spaces, dashes, dots or
# brackets between groups. The digit count is checked after the match.
# Speed: a pattern that starts with a plain character class lets the regex engine skip quickly to places
# where a match can start, so "not preceded by a word character" is written as a look-behind placed after
# the first character ("0(?<![\w+]0)") rather than before it.
_PHONE_UK_RE = re.compile(
    r"(?:(?:\+(?<![\w+]\+)|00(?<![\w+]00))\s?44\s?(?:\(0\)\s?)?\d|\((?<![\w+]\()0\d{2,5}\)\s?\d|0(?<![\w+]0)\d)"
    r"(?:[ \-.]{0,2}\d){5,10}(?![\w])")
# "0116 496 0218 ext 204": the extension is part of the number.
_PHONE_EXT_RE = re.compile(r"\s?(?:,\s?)?(?:ext|EXT|Ext|extension|Extension|x|X)\.?\s?\d{1,5}(?![\w/])")
_PHONE_INTL_RE = re.compile(r"(?:\+(?<![\w+]\+)|00(?<![\w+]00))\s?(?!44)[1-9]\d{0,2}(?:[ \-.]{0,2}\(?\d\)?){6,12}(?![\w])")

_NHS_RE = re.compile(r"([1-9](?<![\w/.:-][1-9])\d{2})([ -]?)(\d{3})\2(\d{4})(?![\w/-]|\.\d)")
_NHS_CUE_RE = re.compile(r"(?i)(?:\bnhs|\bchi|\bh&c|health\s+and\s+care)\b[^.\n]{0,25}$")

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DATE_NUMERIC_RE = re.compile(r"(\d(?<![\w/.:-]\d)\d?)([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?![\w/]|[.\-]\d)")
_DATE_ISO_RE = re.compile(r"((?:1(?<![\w/.-]1)9|2(?<![\w/.-]2)0)\d{2})-(\d{2})-(\d{2})(?![\w/])")
_DATE_DAY_MONTH_RE = re.compile(
    rf"(?i)(\d(?<![\w/]\d)\d?)(?:st|nd|rd|th)?(?:\s+of)?[\s\-/]+{_MONTH}\.?,?[\s\-/]+((?:19|20)\d{{2}}|'\d{{2}}|\d{{2}})(?![\w/])")
_DATE_MONTH_DAY_RE = re.compile(
    rf"(?i)\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{{2}})(?![\w/])")
_POSTCODE_RE = re.compile(r"([A-Z](?<![\w/][A-Z])[A-Z]?\d[A-Z\d]?)\s?(\d[ABD-HJLNP-UW-Z]{2})(?![\w/])")
_POSTCODE_LOWER_RE = re.compile(r"([a-z](?<![\w/][a-z])[a-z]?\d[a-z\d]?)\s?(\d[abd-hjlnp-uw-z]{2})(?![\w/])")
# Gates, each one fast scan: a digit right after a lower-case (or capital) letter.
_LOWER_THEN_DIGIT = re.compile(r"\d(?<=[a-z]\d)")
_UPPER_THEN_DIGIT = re.compile(r"\d(?:(?<=[A-Z]\d)|(?<=[A-Z] \d))")
_DROP_DIGITS = str.maketrans("", "", "0123456789")
_ORDINALS = frozenset({"st", "nd", "rd", "th"})
_LOWER_WORDS = frozenset({"the", "and", "for", "not", "but", "was", "has", "her", "his", "him", "she", "you",
                          "are", "out", "off", "now", "any", "all", "can", "had", "one", "two", "six", "ten",
                          "min", "hrs", "yrs", "mins", "ago", "day", "way", "man", "old", "yet", "too"})

# One scan for the three plate formats: AB12 CDE (2001-), K123 ABC (1983-2001), ABC 123K (1963-1983).
_REG_RE = re.compile(
    r"[A-Z](?<![\w/][A-Z])(?:[A-Z]\s?\d{2}\s?[A-Z]{3}|\d{1,3}\s?[A-Z]{3}|[A-Z]{2}\s?\d{1,3}[A-HJ-NP-Y])(?![\w/])")
_PREFIX_PLATE_FIRST = frozenset("ABCDEFGHJKLMNPRSTVWXY")
# Northern Ireland plates ("ABZ 1234") look like many other codes: only near a vehicle word.
_NI_PLATE_RE = re.compile(r"[A-Z](?<![\w/][A-Z])[A-Z]{2}\s?\d{1,4}(?![\w/])")
_VEHICLE_WORDS_RE = re.compile(
    r"(?i)\b(?:car|van|vehicle|motorbike|motorcycle|moped|scooter|taxi|cab|lorry|truck|reg|registration|plate"
    r"|vrm|driving|drove|driven|parked)\b")
# Letter groups that are words or service names, not plates ("M1 JCT", "S136 LAS").
_NOT_PLATE_LETTERS = frozenset({
    "THE", "AND", "FOR", "NOT", "BUT", "WAS", "HAS", "HER", "HIS", "HIM", "SHE", "YOU", "ARE", "OUT", "OFF",
    "NOW", "ANY", "ALL", "CAN", "HAD", "ONE", "TWO", "SIX", "TEN", "MIN", "HRS", "YRS", "YOA", "JCT", "LAS",
    "MRN", "URN", "CRN", "RIO", "PNC", "LOG", "INC", "OCC", "DCI", "DSU", "BUS", "CCTV", "ROAD", "MPH", "KPH",
    "NHS", "CAD", "ETA", "ASB", "RTC", "AMP", "GPS", "DOB", "APP", "LOC", "ADV", "REF", "MHA", "NFA", "OOH",
    "SEC", "ESA", "PIP", "CID", "MOD", "RAF", "BTP", "UCC", "MIU", "UTC", "HTT", "ICU", "ITU", "HDU", "LAS",
    "AGE", "AGO", "DAY", "WAY", "MAN", "BOY", "CAR", "VAN", "BUS", "CCT", "TEL", "MOB", "EXT", "AMB", "POL",
})

_TWO_LETTER_WORDS = frozenset({"AT", "ON", "IN", "OF", "TO", "BY", "IS", "UP", "NO", "SO", "DO", "GO", "MY", "WE",
                               "BE", "HE", "ME", "OR", "AS", "AN", "IF", "IT", "US", "AM", "PM", "OK", "PC", "PS",
                               "DC", "DS", "SC", "CH", "ST", "RD", "ID", "RP", "IP", "YR", "WK", "NR", "SN", "TX"})
_MONTHS_UPPER = frozenset({"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"})
_CRIME_REF_RE = re.compile(r"\d(?<![\w/]\d)\d/\d{4,7}/\d{2,4}(?![\w/])")
# The way UK control rooms cite a log: "log 1234 of 12/03", "incident 0563 of 14/02/24" (the date is the
# log's, part of its reference, not a date of birth).
_LOG_OF_DATE_RE = re.compile(r"\d(?<![\w/.:]\d)\d{1,5}\s+(?:of|OF|Of)\s+\d{1,2}/\d{1,2}(?:/(?:\d{4}|\d{2}))?(?![\w/])")
# CRO ("123456/05X") and PNC ("12/345678X") numbers; local record numbers such as "MP/24/5573".
_CRO_PNC_RE = re.compile(r"\d(?<![\w/]\d)(?:\d{0,5}/\d{2}|\d/\d{5,7})[A-Z](?![\w/])")
_LETTERS_SLASH_RE = re.compile(r"[A-Z](?<![\w/][A-Z])[A-Z]{0,3}/\d{2,4}/\d{3,7}(?![\w/])")
_NI_NUMBER_RE = re.compile(r"[A-CEGHJ-PR-TW-Z](?<![\w/][A-Z])[A-CEGHJ-PR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D](?![\w/])")
_LETTERS_DIGITS_RE = re.compile(r"[A-Z](?<![\w/][A-Z])[A-Z]{0,3}\d{5,}[A-Z]?(?![\w/])")
_LONG_DIGITS_RE = re.compile(r"\d(?<![\w£$€.,:/-]\d)\d{5,}(?![\w]|[.,]\d)")

# Addresses: a house or flat number, one to four street words and a street type; or a house name and a
# street. A bare street ("lives on Mill Lane") is not an address of a specific premises, and stays.
# House-name words that also end a street name with a number before it ("1 The Beeches").
_ADDRESS_ONLY_TYPES = ("beeches", "firs", "oaks", "limes", "elms", "laurels", "willows", "pines", "hollies",
                       "poplars", "cedars", "gables", "maltings", "cloisters", "paddocks", "orchards", "spinney",
                       "coppice", "glebe", "moorings", "sidings", "stables", "esplanade", "ridge", "strand",
                       "quadrant", "leys", "ings", "holme", "side", "dell", "haven", "crest", "hey", "holt", "knoll",
                       "mead", "shaw", "slade", "steps", "walks", "drift", "edge", "link", "oval", "reach", "ride",
                       "ridgeway", "spur", "vista", "arcade", "precinct", "heath", "common", "corner", "cross",
                       "glen", "dale", "moor", "wood", "woods", "meadow")
# Street names that stand alone after a number ("12 Broadway", "4 The Crescent" has "The" before it anyway).
_STANDALONE = r"(?i:Broadway|Esplanade|Promenade|Boulevard|Strand|Embankment|Quadrant)"
_ALL_TYPES = sorted(STREET_TYPES | set(_ADDRESS_ONLY_TYPES), key=len, reverse=True)
# Street types in any case after capitalised street words ("12 Kings road"); all lower case is handled
# separately because lower-case street words need checking against stop words.
_TYPES_T = "(?i:" + "|".join(_ALL_TYPES) + ")"
_TYPES_L = "|".join(_ALL_TYPES)
_NUM = r"(?<![\w/.:£$,-])(?:[Nn]o\.?\s?|[Nn]umber\s)?[1-9]\d{0,3}[A-Za-z]?(?:\s?[-–/&]\s?[1-9]\d{0,3}[A-Za-z]?)?"
# The same, starting at the digit (fast to scan for); "No." and "Flat 2," before it are added afterwards.
_NUM_CORE = r"[1-9](?<![\w/.:£$,-][1-9])\d{0,3}[A-Za-z]?(?:\s?[-–/&]\s?[1-9]\d{0,3}[A-Za-z]?)?"
# "Flat 3", "Flat 2/1" (Scottish tenements), "Flat A", "Basement flat", "Top floor flat".
_FLAT = (r"(?:(?:(?:Flat|FLAT|flat|Apartment|APARTMENT|apartment|Apt|APT|apt|Flt|Room|ROOM|room|Maisonette|Bedsit"
         r"|Unit|UNIT|Block|BLOCK|block|Studio|STUDIO|studio|Suite|SUITE|Annexe|Annex|Caravan|CARAVAN|caravan|Plot"
         r"|Bungalow|Cottage|Chalet|Pitch|Berth|Mooring)\.?\s?(?:\d{1,4}(?:/\d{1,2})?[A-Za-z]?|[A-Z](?![a-z])"
         r"|(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve)\b)"
         r"|(?:(?:Basement|BASEMENT|basement|Ground|GROUND|ground|First|FIRST|first|Second|SECOND|second|Top|TOP|top"
         r"|Upper|UPPER|upper|Lower|LOWER|lower|Rear|REAR|rear|1st|2nd|3rd|4th|1ST|2ND|3RD|4TH)(?:[\s-](?:floor|Floor|FLOOR))?"
         r"(?:\s(?:flat|Flat|FLAT))?)"
         r"|\d[Ff]\d{1,2}|\d{1,2}/\d{1,2}(?=,))"  # Edinburgh "2F1, 15 Marchmont Road", Glasgow "2/1, 15 Otago Street"
         r"\s?,?\s+)")
_SW = r"(?:(?:St\.?|ST\.?|[A-Z][A-Za-z'’]*(?:-[A-Za-z'’]+)*)\s+)"
_HOUSE = (r"(?:Cottage|Cottages|House|Lodge|Farm|Farmhouse|Barn|Barns|Bungalow|Villa|Hall|Manor|Grange|Rectory"
          r"|Vicarage|Mill|Croft|Court|Mansions|Towers|Heights|Oast|Chalet|Forge|Stables|Granary|Bothy|Steading"
          r"|Byre|Mews|Orchard|Gables|Beeches|Firs|Oaks|Limes|Elms|Laurels|Willows|Pines|Hollies|Poplars|Cedars"
          r"|Retreat|Haven|Nook|Corner|Rest|View|End|Maltings|Coach\s+House|Old\s+School|Old\s+Chapel)")
_BLOCK = (r"(?i:House|Court|Tower|Towers|Heights|Mansions|Lodge|Point|Block|Building|Buildings|Apartments|Flats"
          r"|Place|Gardens|Close|Lofts|Quarter|Wharf|Works|Mill|Hall|Halls|Maltings|Cloisters|Granary|Exchange"
          r"|Works|Yard|Square|Studios|Residences|Chambers|Gate|Mews|Cottages|Villas|View|Park|Rise|Grange)")
# Welsh and other street names where the type comes first: "12 Heol y Felin", "3 Ffordd Glyndwr".
_TYPE_FIRST = (r"(?=[A-Z])(?i:Heol|Ffordd|Stryd|Lôn|Lon|Teras|Rhodfa|Clos|Cwrt|Maes|Cae|Llys|Plas|Ael|Rue|Glan|Bryn"
               r"|Pen[- ]y|Tan[- ]y|Taigh)")
# The full stop after "Rd." stays outside the span: it may end the sentence too.
# Greedy street words, so that "65 PARK VIEW ROAD" is not cut at "VIEW".
# One scan for numbered addresses in capitals or title case ("12 HIGH STREET", "57b Foundry Close"), type
# first ("12 Heol y Felin"), standalone ("12 Broadway") and in lower case ("12 high street", group ``lower``,
# checked against stop words afterwards).
_DIRECTION = r"(?:\s+(?:North|South|East|West|Upper|Lower|NORTH|SOUTH|EAST|WEST|UPPER|LOWER)\b)?"
# "12 Elm Road, Flat 3": the flat after the street.
_FLAT_AFTER = r"(?:,?\s+(?:Flat|FLAT|flat|Apartment|Apt|APT|Unit|UNIT|Room)\.?\s?(?:\d{1,4}[A-Za-z]?|[A-Z])\b)?"
_ADDRESS_RE = re.compile(
    rf"{_NUM_CORE},?\s+(?:{_SW}{{1,4}}{_TYPES_T}\b{_DIRECTION}{_FLAT_AFTER}|{_TYPE_FIRST}(?:\s+(?:[A-Z][A-Za-z'’-]+|(?i:y|yr|ap|du|de|la|na|nan|an))){{1,3}}"
    rf"|{_STANDALONE}|(?P<lower>(?:[a-z][a-z'’-]+\s+){{1,3}})(?:{_TYPES_L}))\b")
_BEFORE_NUMBER_RE = re.compile(rf"{_FLAT}?(?:[Nn]o\.?\s?|[Nn]umber\s)?$")
_BEFORE_GATE = re.compile(r"(?i)\df\d|\d/\d|flat|apart|apt|flt|room|maison|bedsit|unit|block|studio|suite|annex|caravan|plot"
                          r"|bungalow|cottage|chalet|pitch|berth|mooring|floor|basement|ground|upper|lower|rear|\bno\b|number")
_HOUSE_GATE = re.compile(rf"{_HOUSE}\s*$")
# A house name before a numbered address: "The Old Forge, 3 Mill Lane", "Ivy Cottage, 12 Elm Road".
_HOUSE_BEFORE_RE = re.compile(rf"(?:(?:The|THE|Ty)\s+)?(?:[A-Z][A-Za-z'’-]+\s+){{0,2}}{_HOUSE},?\s+$"
                              rf"|(?:The|THE|Ty)\s+(?:[A-Z][A-Za-z'’-]+\s+){{0,2}}[A-Z][A-Za-z'’-]+,\s+$")
_HOUSE_NAME_RE = re.compile(rf"\b(?:\d{{1,4}}[A-Za-z]?\s+)?(?:The\s+)?(?:[A-Z][A-Za-z'’-]+\s+){{1,3}}{_HOUSE},?\s+(?:{_NUM}\s+)?{_SW}{{1,4}}?{_TYPES_T}\b")
_FLAT_BLOCK_RE = re.compile(
    rf"{_FLAT}(?:The\s+)?(?:[A-Z][A-Za-z'’-]+\s+){{1,3}}{_BLOCK}\b(?:,?\s+(?:{_NUM},?\s+)?{_SW}{{1,4}}?{_TYPES_T}\b)?")
# "at The Firs, Hall Street", "The Beeches, Kings Croft": a house name, then a street. Public places ("at
# Castlemere Hospital, Foundry Road") are left alone.
_AT_HOUSE_RE = re.compile(
    rf"(?:\b(?:at|At|AT|address|Address|ADDRESS|addr|ADDR|lives|LIVES|attended|ATTENDED|visited|VISITED|outside"
    rf"|OUTSIDE)\b:?\s+(?P<addr>(?:The\s+|THE\s+|Ty\s+)?"
    rf"[A-Z][A-Za-z'’-]+(?:\s+[A-Z][A-Za-z'’-]+){{0,2}},\s+{_SW}{{1,4}}{_TYPES_T}\b)"
    rf"|\b(?P<the>(?:The|Ty)\s+[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){{0,2}},\s+(?:[A-Z][a-z'’]*\s+){{1,4}}{_TYPES_T}\b))")
_NEXT_WORD_RE = re.compile(r"\s+([A-Za-z]+)")
_PUBLIC_PLACE_WORDS = frozenset({
    "ward", "hospital", "infirmary", "unit", "ward", "centre", "center", "clinic", "surgery", "practice", "school",
    "academy", "college", "university", "station", "church", "mosque", "temple", "hotel", "inn", "pub",
    "bar", "club", "stadium", "prison", "airport", "market", "supermarket", "shop", "store", "library",
    "police", "tesco", "asda", "aldi", "lidl", "sainsbury's", "morrisons", "park",
})
_REG_LOWER_RE = re.compile(r"(?<![\w/])(?:[A-Za-z][a-z]\d{2}\s?[A-Za-z][a-z]{2}|[a-hj-np-y]\d{1,3}[a-z]{3})(?![\w/])")
_QUOTED_NAME_RE = re.compile(
    r"(?i)\b(?:aka|a\.k\.a\.?|also\s+known\s+as|known\s+(?:only\s+|locally\s+|to\s+\w+\s+)?as|nicknamed|goes\s+by"
    r"|(?:uses|using|used|gave|gives|giving)\s+the\s+name|(?:male|female|man|woman|lad|boy|girl|bloke|guy|fella|youth)"
    r"|(?:believed|thought|said|known|understood)\s+to\s+be|(?:name\s+)?given\s+as|(?:partner|boyfriend|girlfriend|husband|wife|ex|friend|mate"
    r"|son|daughter|brother|sister|cousin|neighbour|uncle|nephew|dad|mum)"
    r"|named(?:\s+by\s+[\w ]{1,20}?\s+as)?"
    r"|calls?\s+(?:him|her|them)sel(?:f|ves)|calling\s+(?:him|her|them)sel(?:f|ves)|name\s+(?:is|was|of))"
    r"\s*:?\s*['\"‘“](?P<name>[^'\"’”\n]{1,40}?)['\"’”]")
# An opening quote: not inside a word, so that "neighbour's" does not count.
_OPEN_QUOTE_RE = re.compile(r"['\"‘“](?<![\w]['\"‘“])(?=\w)")
_AND_QUOTED_RE = re.compile(r"\s*(?:,|and|&|or)\s*['\"‘“](?P<name>[^'\"’”\n]{1,40}?)['\"’”]")
_LOWER_STREET_STOP = frozenset({
    "the", "a", "an", "in", "on", "at", "of", "to", "and", "or", "is", "was", "for", "from", "with", "by",
    "into", "onto", "his", "her", "their", "my", "your", "our", "this", "that", "these", "those", "each",
    "more", "than", "about", "year", "years", "yrs", "old", "times", "mins", "minutes", "hours", "hrs",
    "days", "weeks", "months", "miles", "people", "males", "females", "men", "women", "officers", "cars",
    "units", "calls", "police", "other", "another", "same", "up", "down", "back", "off", "out", "over",
    "along", "across", "round", "around", "near", "past", "via", "towards", "toward", "it", "he", "she",
    "they", "we", "you", "i", "him", "them", "me", "us", "no", "not", "any", "some", "all", "both", "bus",
    "number",
})


# Cheap substring tests on the lower-cased text that decide whether a slower pattern needs to run at all.
_YEAR_RE = re.compile(r"(?:1(?<!\d1)9|2(?<!\d2)0)\d\d(?!\d)")
# Cheap gates: a slower pattern runs only when one of its key words is among the narrative's words (a
# set of lower-cased tokens, so each gate is one C-level set test).
_MONTH_KEYS = frozenset({"jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun",
                         "june", "jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october",
                         "nov", "november", "dec", "december"})
_QUOTED_KEYS = frozenset({"aka", "a.k.a", "a.k.a.", "known", "nicknamed", "goes", "named", "himself", "herself",
                          "themselves", "themself", "name", "male", "female", "man", "woman", "lad", "boy", "girl",
                          "bloke", "guy", "fella", "youth", "believed", "thought", "said", "understood",
                          "partner", "boyfriend", "girlfriend", "husband", "wife", "ex", "friend", "mate", "son",
                          "daughter", "brother", "sister", "cousin", "neighbour", "uncle", "nephew", "dad", "mum", "given"})
_HOUSE_KEYS = frozenset({"cottage", "cottages", "house", "lodge", "farm", "farmhouse", "barn", "barns", "bungalow",
                         "villa", "hall", "manor", "grange", "rectory", "vicarage", "mill", "croft", "court",
                         "mansions", "towers", "heights", "oast", "chalet"})
_FLAT_KEYS = frozenset({"flat", "apartment", "apt", "flt", "room", "maisonette", "bedsit", "unit"})
_AT_KEYS = frozenset({"at", "address", "addr", "lives", "attended", "visited", "outside"})
_VEHICLE_KEYS = frozenset({"car", "van", "vehicle", "motorbike", "motorcycle", "moped", "scooter", "taxi", "cab",
                           "lorry", "truck", "reg", "registration", "plate", "vrm", "driving", "drove", "driven",
                           "parked"})
_WORD_RE = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)*\.?")


def word_set(text: str) -> frozenset[str]:
    """The lower-cased words of ``text``, for the gates (the pipeline passes its tokens instead)."""
    return frozenset(_WORD_RE.findall(text.lower()))


def nhs_number_is_valid(digits: str) -> bool:
    """Modulus-11 check of a 10-digit NHS number."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _phone_ok(match: str) -> bool:
    digits = "".join(c for c in match if c.isdigit())
    if match.startswith("+") or match.startswith("0044") or match.startswith("00 44"):
        rest = digits[4:] if match.startswith("00") else digits[2:]
        if "(0)" in match.replace(" ", "") and rest.startswith("0"):
            rest = rest[1:]
        return 9 <= len(rest) <= 10
    return 10 <= len(digits) <= 11


def _valid_day_month(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def _dates(text: str, words: frozenset[str], out: list[Found]) -> None:
    for m in _DATE_NUMERIC_RE.finditer(text):
        a, b = int(m.group(1)), int(m.group(3))
        # UK order first; a US-order date (month > 12 in second place) is still a date.
        if _valid_day_month(a, b) or _valid_day_month(b, a):
            out.append(Found(m.start(), m.end(), "DOB", _P_DOB))
    if "-" in text:
        for m in _DATE_ISO_RE.finditer(text):
            if _valid_day_month(int(m.group(3)), int(m.group(2))):
                out.append(Found(m.start(), m.end(), "DOB", _P_DOB))
    if not _MONTH_KEYS.isdisjoint(words):
        for m in _DATE_DAY_MONTH_RE.finditer(text):
            out.append(Found(m.start(), m.end(), "DOB", _P_DOB))
        # "March 3rd, 1990" starts with letters (slow to scan for): only worth it when a year is present.
        if _YEAR_RE.search(text):
            for m in _DATE_MONTH_DAY_RE.finditer(text):
                out.append(Found(m.start(), m.end(), "DOB", _P_DOB))


def _references(text: str, out: list[Found], upper_digit: bool, digits: int) -> None:
    # Cued references ("CAD 1234", "PC 1234") are found on tokens: see ``cued``. These need 5+ digits;
    # the National Insurance and letters-then-digits shapes need a capital letter before a digit.
    if "/" in text:
        out.extend(Found(m.start(), m.end(), "REFERENCE", _P_REF) for m in _CRIME_REF_RE.finditer(text))
        out.extend(Found(m.start(), m.end(), "REFERENCE", _P_REF) for m in _CRO_PNC_RE.finditer(text))
        out.extend(Found(m.start(), m.end(), "REFERENCE", _P_REF) for m in _LETTERS_SLASH_RE.finditer(text))
    if upper_digit:
        out.extend(Found(m.start(), m.end(), "REFERENCE", _P_REF) for m in _NI_NUMBER_RE.finditer(text))
        out.extend(Found(m.start(), m.end(), "REFERENCE", _P_REF_WEAK) for m in _LETTERS_DIGITS_RE.finditer(text))
    for regex in (_LONG_DIGITS_RE,) if digits >= 6 else ():
        for m in regex.finditer(text):
            out.append(Found(m.start(), m.end(), "REFERENCE", _P_REF_WEAK))


def _address_start(text: str, start: int) -> int:
    """Move an address's start back over "No.", "Flat 2," or a house name written before the house number."""
    window = text[max(0, start - 40):start]
    # The look-back patterns are slow to try at every position: only when a word they need is there.
    if _BEFORE_GATE.search(window):
        m = _BEFORE_NUMBER_RE.search(text, max(0, start - 40), start)
        if m and m.end() == start:
            start = m.start()
    before = text[max(0, start - 3):start]
    if "," in before or _HOUSE_GATE.search(text[max(0, start - 14):start]):
        house = _HOUSE_BEFORE_RE.search(text, max(0, start - 45), start)
        if house and house.end() == start and not _public_place(house.group()):
            start = house.start()
    return start


def _public_place(name: str) -> bool:
    return any(w.strip(",").lower() in _PUBLIC_PLACE_WORDS for w in name.split())


# A number after these words is a ward, bed or bus, not a house: "Ward 42, Kestrel Vale Hospital".
_NOT_HOUSE_WORDS = frozenset({"ward", "bay", "bed", "theatre", "cell", "platform", "gate", "junction", "jct", "exit",
                              "bus", "route", "section", "level", "floor", "page", "box", "age", "aged", "s", "pc",
                              "ps", "cad", "log", "incident", "room", "unit", "suite", "block"})


def _word_before(text: str, start: int) -> str:
    words = text[max(0, start - 20):start].split()
    return words[-1].lower().rstrip(".:,") if words else ""


def _addresses(text: str, words: frozenset[str], out: list[Found]) -> None:
    for m in _ADDRESS_RE.finditer(text):
        lower = m.group("lower")
        if lower is not None and any(w in _LOWER_STREET_STOP for w in lower.split()):
            continue
        if _word_before(text, m.start()) in _NOT_HOUSE_WORDS and _address_start(text, m.start()) == m.start():
            continue  # "Ward 42, ..." (but "Flat 2, 42 Elm Road" and "Room 4, 12 Elm Road" stay addresses)
        after = _NEXT_WORD_RE.match(text, m.end())
        if after and after.group(1).lower() in _PUBLIC_PLACE_WORDS:
            continue  # "12 Kestrel Vale Hospital": a hospital, not a home
        out.append(Found(_address_start(text, m.start()), m.end(), "ADDRESS", _P_ADDRESS))
    if not _FLAT_KEYS.isdisjoint(words):
        for m in _FLAT_BLOCK_RE.finditer(text):
            out.append(Found(m.start(), m.end(), "ADDRESS", _P_ADDRESS))


def find_quoted_names(text: str, words: frozenset[str] | None = None) -> list[Found]:
    """Nicknames in quotes after a naming cue: AKA 'DANNY BOY', named by staff as 'Bartek'."""
    words = word_set(text) if words is None else words
    if _QUOTED_KEYS.isdisjoint(words) or not _OPEN_QUOTE_RE.search(text):
        return []
    found = []
    for m in _QUOTED_NAME_RE.finditer(text):
        found.append(Found(m.start("name"), m.end("name"), "PERSON", _P_PERSON + 1))
        more = _AND_QUOTED_RE.match(text, m.end())
        while more:  # "known as 'Big Tony' and 'Smudge'"
            found.append(Found(more.start("name"), more.end("name"), "PERSON", _P_PERSON + 1))
            more = _AND_QUOTED_RE.match(text, more.end())
    return found


def find_structured(text: str, words: frozenset[str] | None = None) -> list[Found]:
    """Candidate spans of every shaped type (overlapping; see ``resolve``).

    ``words``: the lower-cased words of ``text`` if the caller has them (from its tokens).
    """
    out: list[Found] = []
    if "[" in text:
        out.extend(Found(m.start(), m.end(), PLACEHOLDER, _P_PLACEHOLDER) for m in _PLACEHOLDER_RE.finditer(text))
    if "@" in text:
        out.extend(Found(m.start(), m.end(), "EMAIL", _P_EMAIL) for m in _EMAIL_RE.finditer(text))
    words = word_set(text) if words is None else words
    out.extend(find_quoted_names(text, words))
    if "," in text:
        if not _HOUSE_KEYS.isdisjoint(words):
            out.extend(Found(m.start(), m.end(), "ADDRESS", _P_ADDRESS) for m in _HOUSE_NAME_RE.finditer(text))
        gate = not _AT_KEYS.isdisjoint(words) or "The " in text or "Ty " in text
        for m in _AT_HOUSE_RE.finditer(text) if gate else ():
            group = "addr" if m.group("addr") else "the"
            if not _public_place(m.group(group).split(",")[0]):
                out.append(Found(m.start(group), m.end(group), "ADDRESS", _P_ADDRESS))
    # Most patterns need a number of digits: count them once (in C) and skip what cannot match.
    digits = len(text) - len(text.translate(_DROP_DIGITS))
    if not digits:
        return out
    if digits >= 8:
        for regex in (_PHONE_UK_RE, _PHONE_INTL_RE) if "+" in text or "00" in text else (_PHONE_UK_RE,):
            for m in regex.finditer(text):
                if _phone_ok(m.group()):
                    ext = _PHONE_EXT_RE.match(text, m.end())
                    out.append(Found(m.start(), ext.end() if ext else m.end(), "PHONE", _P_PHONE))
    if digits >= 10:
        for m in _NHS_RE.finditer(text):
            if _NHS_CUE_RE.search(text, max(0, m.start() - 40), m.start()):
                out.append(Found(m.start(), m.end(), "NHS_NUMBER", _P_NHS_CUED))
            elif nhs_number_is_valid(m.group(1) + m.group(3) + m.group(4)):
                out.append(Found(m.start(), m.end(), "NHS_NUMBER", _P_NHS_CHECKSUM))
            else:
                out.append(Found(m.start(), m.end(), "REFERENCE", _P_REF_WEAK))
    if digits >= 3:
        _dates(text, words, out)
    upper_digit = _UPPER_THEN_DIGIT.search(text) is not None
    if upper_digit:
        for m in _POSTCODE_RE.finditer(text):
            out.append(Found(m.start(), m.end(), "POSTCODE", _P_POSTCODE))
        for m in _NI_PLATE_RE.finditer(text) if not _VEHICLE_KEYS.isdisjoint(words) else ():
            if m.group()[:3] not in _NOT_PLATE_LETTERS and _VEHICLE_WORDS_RE.search(text, max(0, m.start() - 40), m.start()):
                out.append(Found(m.start(), m.end(), "VEHICLE_REG", _P_REG - 1))
        for m in _REG_RE.finditer(text):
            plate = m.group()
            if plate[1].isdigit() and plate[0] not in _PREFIX_PLATE_FIRST:
                continue  # prefix plates never start with I, O, Q, U or Z
            letters = "".join(c for c in plate if c.isalpha())
            if plate[2] == " " and (plate[:2] in _TWO_LETTER_WORDS or letters[-3:] in _MONTHS_UPPER):
                continue  # "ON 24 MAY", "AT 10 THE": words around a number, not a plate
            if letters[-3:] not in _NOT_PLATE_LETTERS and letters[:3] not in _NOT_PLATE_LETTERS \
                    or plate[2:4].isdigit() and _VEHICLE_WORDS_RE.search(text, max(0, m.start() - 40), m.start()):
                out.append(Found(m.start(), m.end(), "VEHICLE_REG", _P_REG))
    if _LOWER_THEN_DIGIT.search(text) is not None:
        for m in _POSTCODE_LOWER_RE.finditer(text):
            if m.group(2)[1:] not in _ORDINALS:
                out.append(Found(m.start(), m.end(), "POSTCODE", _P_POSTCODE))
        for m in _REG_LOWER_RE.finditer(text):
            letters = "".join(c for c in m.group() if c.isalpha())
            # Lower case needs the letters to be no word: "ab12 cde" yes, "at12 the" no.
            if letters[-3:] not in _LOWER_WORDS and letters[-3:].upper() not in _NOT_PLATE_LETTERS:
                out.append(Found(m.start(), m.end(), "VEHICLE_REG", _P_REG))
    if digits >= 5 and "/" in text:
        # Above a date of birth: the date is part of the log's reference.
        out.extend(Found(m.start(), m.end(), "REFERENCE", _P_DOB + 1) for m in _LOG_OF_DATE_RE.finditer(text))
    if digits >= 5:
        _references(text, out, upper_digit, digits)
    _addresses(text, words, out)
    return out


def resolve(found: list[Found]) -> list[Found]:
    """Keep the highest-priority span of each overlap (then the longer one); return them by position."""
    kept: list[Found] = []
    for f in sorted(found, key=lambda f: (-f.priority, f.start - f.end, f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    kept.sort()
    return kept
