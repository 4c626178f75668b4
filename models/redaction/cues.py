"""Cue words: the context that says "a name comes next" (or "this is a place, not a person").

Cues are matched case-insensitively on whole tokens, so each entry is lower case and is tokenised the
same way as the narrative ("staff nurse" is two tokens). A trailing full stop on a title ("Mr.") is
accepted wherever the bare title is.

These lists are small and hand-written on purpose: each entry changes what is redacted, so each should
be a word a reviewer can justify.
"""

from __future__ import annotations

__all__ = [
    "TITLES",
    "RELATIONS",
    "ROLES",
    "NAMING",
    "CONTACT",
    "FIELD_LABELS",
    "PLACE_LABELS",
    "RANKS",
    "CUE_GLUE",
    "AFTER_NAME",
    "NAME_VERBS",
    "LOCATIVES",
    "STREET_TYPES",
    "PLACE_NOUNS",
    "PLACE_PREFIXES",
    "PARTICLES",
    "BOUNDARY_TOKENS",
]

# Honorifics and ranks: whatever capitalised word follows is a name ("Mr Jaworski", "PC 1234 Smith"). The
# title itself is not personal data and stays in the text.
TITLES: frozenset[str] = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "mstr", "master", "dr", "doctor", "prof", "professor", "rev", "revd",
    "reverend", "fr", "father", "sr", "sister", "sir", "dame", "lord", "lady", "imam", "rabbi", "pastor",
    "nurse", "matron", "midwife", "sgt", "sergeant", "pc", "ps", "dc", "ds", "di", "dci", "dsu",
    "supt", "insp", "inspector", "constable", "pcso", "cllr", "councillor", "judge", "hhj", "det",
    "detective", "staff nurse", "charge nurse", "ward sister", "ch insp", "chief inspector", "sc",
    "officer", "mr and mrs", "mrs and mr", "do", "cso", "a/sgt", "t/sgt", "a/insp", "tdc", "ch supt",
    "supt", "dsupt", "rmn", "rgn", "hca", "anp", "sn", "detention officer", "custody officer", "cpn",
    "health care assistant", "healthcare assistant", "paramedic", "advanced nurse practitioner",
})

# Ranks whose number (collar/shoulder number) is a REFERENCE and may sit between rank and surname.
RANKS: frozenset[str] = frozenset({
    "pc", "ps", "dc", "ds", "di", "dci", "dsu", "sgt", "sergeant", "insp", "inspector", "constable", "pcso",
    "sc", "officer", "det", "detective",
})

# Relationship words: "her son Amir", "my mum, Doreen". Lower-case names count after these only when the
# word is an unambiguous name ("her son amir", but never "her son will").
RELATIONS: frozenset[str] = frozenset({
    "brother in law", "sister in law", "mother in law", "father in law", "son in law", "daughter in law",
    "brother-in-law", "sister-in-law", "mother-in-law", "father-in-law", "son-in-law", "daughter-in-law",
    "son", "daughter", "mother", "mum", "mom", "mam", "mummy", "father", "dad", "daddy", "brother",
    "sister", "husband", "wife", "partner", "boyfriend", "girlfriend", "bf", "gf", "ex", "ex-partner",
    "ex partner", "ex-husband", "ex husband", "ex-wife", "ex wife", "ex-boyfriend", "ex boyfriend",
    "ex-girlfriend", "ex girlfriend", "fiance", "fiancee", "fiancé", "fiancée", "friend", "best friend",
    "mate", "pal", "neighbour", "neighbor", "uncle", "aunt", "auntie", "aunty", "nephew", "niece", "cousin",
    "grandson", "granddaughter", "grandmother", "grandfather", "grandma", "grandpa", "nan", "nana",
    "nanna", "gran", "granny", "grandad", "granddad", "stepson", "stepdaughter", "stepfather",
    "stepmother", "stepdad", "stepmum", "step-son", "step-daughter", "step-father", "step-mother",
    "step-dad", "step-mum", "carer", "lodger", "flatmate", "housemate", "roommate", "colleague", "boss",
    "landlord", "landlady", "sibling", "child", "children", "kid", "kids", "baby", "twin", "guardian",
    "parent", "parents", "spouse", "widow", "widower", "godson", "goddaughter", "godmother", "godfather",
    "relative", "brother-in-law", "sister-in-law", "mother-in-law", "father-in-law", "son-in-law",
    "daughter-in-law", "foster carer", "foster mum", "foster dad", "associate", "acquaintance", "sons",
    "daughters", "brothers", "sisters", "grandchildren", "grandchild", "wife's", "husband's", "mates",
    "friends", "pals", "cousins", "nephews", "nieces",
})

# Roles a control-room log puts before a name: "RP John Smith", "MISPER: Amir", "patient Davie Innes".
ROLES: frozenset[str] = frozenset({
    "rp", "ip", "misper", "mfh", "missing person", "patient", "pt", "caller", "subject", "subj", "suspect",
    "susp", "victim", "informant", "witness", "wit", "client", "service user", "su", "resident",
    "occupant", "tenant", "driver", "keeper", "owner", "male", "female", "man", "woman", "lady",
    "gentleman", "gent", "boy", "girl", "youth", "juvenile", "teenager", "teen", "young person", "yp",
    "adult", "person", "individual", "detained person", "dp", "injured party", "ap", "ppoi", "poi",
    "offender", "perpetrator", "gp", "social worker", "amhp", "cpn", "care coordinator", "key worker",
    "keyworker", "support worker", "mental health nurse", "triage nurse", "paramedic", "consultant",
    "psychiatrist", "registrar", "duty worker", "duty doctor", "worker", "manager", "warden", "teacher",
    "headteacher", "head teacher", "police officer", "staff member", "member of staff", "security guard",
    "care worker", "health visitor", "probation officer", "housing officer", "crisis worker",
    "practitioner", "clinician", "psychologist", "therapist", "counsellor", "sw", "nok", "next of kin",
    "deceased", "casualty", "mp", "missing", "absconder", "detainee", "prisoner", "inpatient",
})

# Words that name someone: "a male known as Smudge", "her name is Grace". As strong as a title.
NAMING: frozenset[str] = frozenset({
    "named", "known as", "aka", "a.k.a", "a.k.a.", "also known as", "goes by", "nicknamed", "name is",
    "name's", "names are", "name was", "name of", "by the name of", "nee", "née", "calling himself",
    "calling herself", "calls himself", "calls herself", "calling themselves", "calls themselves",
    # "a lad called taz": "called" after a word for a person names them (elsewhere it is a contact verb).
    "first name", "first name only", "name given as", "name given", "given name", "gave his name as",
    "gave her name as", "gave name as", "gave their name as", "gave the name", "surname", "forename",
    "lad called", "man called", "woman called", "girl called", "boy called", "bloke called", "guy called",
    "fella called", "someone called", "somebody called", "male called", "female called", "person called",
    "friend called", "mate called", "lady called", "kid called", "youth called", "lad named",
})

# Verbs that often take a person but also ordinary objects ("called Amir" / "called back"): as strong as
# a relationship word.
CONTACT: frozenset[str] = frozenset({
    "called", "spoke to", "speaking to", "spoken to", "speak to", "talked to", "talking to", "talk to",
    "spoke with", "speaking with", "asked for", "asking for", "ask for", "told", "rang", "phoned",
    "contacted", "attended by", "seen by", "assessed by", "looked after by", "cared for by",
    "assaulted by", "attacked by", "threatened by", "hit by", "punched by", "stabbed by", "reported by",
    "passed to", "handed to", "transferred to", "married to", "engaged to", "living with", "lives with",
    "staying with", "stays with", "visited by", "accompanied by", "this is", "it's", "it’s", "i'm", "i’m",
    "im", "i am", "dear", "hi", "hello", "hiya", "thanks", "thank you", "regards", "kind regards", "cheers",
    "best wishes", "signed", "its", "sent by", "asked", "asking", "texted", "messaged", "emailed", "met",
    "visited", "saw", "seen", "helped", "picked up", "collected",
})

# Form-style labels: "Name: John Smith", "Surname - KHAN".
FIELD_LABELS: frozenset[str] = frozenset({
    "name", "names", "full name", "first name", "forename", "forenames", "surname", "last name",
    "given name", "family name", "maiden name", "alias", "aliases", "nickname",
})

# Location labels: what follows is a place even when it looks like a name ("LOC: Elizabeth Lane").
PLACE_LABELS: frozenset[str] = frozenset({
    "loc", "location", "address", "addr", "venue", "scene", "lives at", "living at", "resides at",
    "residing at", "located at", "home address", "current address", "last seen at", "last seen in",
    "last seen near", "heading to", "heading towards", "walking towards", "en route to", "lives in",
    "living in", "town", "area",
})

# Tokens allowed between a cue and the name it announces ("her son, Kunal", "caller is Grace").
CUE_GLUE: frozenset[str] = frozenset({":", ",", "-", "–", "=", "is", "was", "'s", "’s", "(", "as"})

# Words right after a name that confirm it: "Rosa Tavares, born 22/03/1961", "Kwok (DOB ...)".
AFTER_NAME: frozenset[str] = frozenset({
    "dob", "d.o.b", "d.o.b.", "born", "b.", "aged", "age", "nee", "née", "(dob", "yo", "yrs", "years", "who",
    "whose",
})

# Verbs that follow a sentence-initial name ("Rose is on the line", "Mark has left"): they let an
# ordinary-word name open a sentence.
NAME_VERBS: frozenset[str] = frozenset({
    "is", "was", "has", "had", "says", "said", "states", "stated", "reports", "reported", "called", "rang",
    "phoned", "left", "went", "told", "wants", "wanted", "lives", "lived", "needs", "believes",
    "thinks", "feels", "refuses", "refused", "agreed", "agrees", "admits", "admitted", "denies", "denied",
    "claims", "claimed", "returned", "arrived", "attended", "walked", "ran", "took", "tried",
    "threatened", "assaulted", "punched", "hit", "kicked", "stabbed", "took", "appears", "seems",
    "sounds", "isn't", "wasn't", "hasn't", "doesn't", "didn't", "won't", "can't", "cannot", "will",
    "would", "could", "should", "may", "might", "must", "does", "did", "who", "'s", "’s", "came", "got",
    "made", "became", "remains", "continues", "works", "worked", "stays", "stayed", "answered", "opened",
    "shouted", "screamed", "threw", "fell", "collapsed", "absconded", "disclosed", "texted", "messaged",
    "posted", "asked", "asks", "tells", "knows", "knew", "saw", "sees", "heard", "hears", "lost", "found",
    "keeps", "kept", "tends", "seemed", "looked", "looks", "sat", "sits", "stood", "stands", "lay", "lies",
    "drove", "drives", "smashed", "broke", "damaged", "self-harmed", "overdosed", "attempted", "jumped",
    "cut", "hanged", "has", "gets", "goes", "comes", "uses", "used", "drinks", "drank", "takes", "owes",
})

# Prepositions before a place: "in Preston", "towards Jordan Hill". A name that is also a place needs more
# evidence after one of these.
LOCATIVES: frozenset[str] = frozenset({
    "in", "at", "from", "to", "into", "near", "towards", "toward", "around", "via", "through", "outside",
    "inside", "past", "across", "off", "within", "onto", "of", "along", "up", "down", "over", "behind",
    "opposite", "beside", "on",
})

# Street types, used both for addresses ("57b Foundry Close") and to say that "John Street" is a street.
STREET_TYPES: frozenset[str] = frozenset({
    "road", "rd", "street", "st", "avenue", "ave", "av", "lane", "ln", "close", "cl", "drive", "dr", "way",
    "crescent", "cres", "court", "ct", "place", "pl", "gardens", "gdns", "grove", "gr", "terrace", "terr",
    "ter", "square", "sq", "walk", "hill", "rise", "row", "mews", "view", "park", "parade", "pde", "green",
    "vale", "mount", "boulevard", "blvd", "croft", "fold", "wynd", "brae", "gate", "yard", "end", "meadow",
    "meadows", "chase", "path", "embankment", "quay", "wharf", "circus", "approach", "bank", "heights",
    "hollow", "dene", "garth", "lea", "ley", "nook", "causeway", "broadway", "circle", "glade", "market",
    "passage", "promenade", "villas", "copse", "orchard", "paddock", "pastures", "fields", "field",
    "grange", "drove", "loke", "twitten", "vennel", "loan", "brow", "parkway", "cottages", "buildings",
})

# Nouns after a capitalised run that make it a place or organisation ("Wrenfield Children's Hospital",
# "Harbourlight Unit", "Rose Ward"). "Police", "Team" and "Service" are left out on purpose: "told Sarah
# Police would attend" happens, while "Sarah Police" as a force name does not.
PLACE_NOUNS: frozenset[str] = STREET_TYPES | frozenset({
    "hospital", "infirmary", "unit", "ward", "centre", "center", "clinic", "surgery", "practice", "a&e",
    "school", "academy", "college", "university", "nursery", "house", "lodge", "manor", "hall", "home",
    "homes", "station", "church", "mosque", "temple", "gurdwara", "synagogue", "chapel", "cathedral",
    "abbey", "hotel", "inn", "arms", "tavern", "pub", "bar", "club", "stadium", "prison", "barracks",
    "airport", "estate", "tower", "towers", "bridge", "bay", "beach", "wood", "woods", "forest", "common",
    "heath", "moor", "reservoir", "river", "canal", "pier", "marina", "cafe", "café", "restaurant", "shop",
    "store", "stores", "supermarket", "pharmacy", "chemist", "library", "museum", "theatre", "cinema",
    "gallery", "campus", "hostel", "shelter", "refuge", "foundation", "society", "association", "ltd",
    "limited", "plc", "building", "works", "retail", "village", "cottage", "farm", "barn", "bungalow",
    "villa", "rectory", "vicarage", "mill", "mansions", "point", "plaza", "mall", "junction",
    "interchange", "roundabout", "bypass", "motorway", "island", "lake", "loch", "suite", "wing", "block",
    "department", "dept", "centre's", "court's", "park's", "county", "city", "town", "borough", "district",
    "valley", "trust", "nhs", "uni", "primary", "secondary", "grammar", "infants", "juniors", "sports",
    "leisure", "medical", "health", "care", "court", "crown", "magistrates", "magistrates'", "fc", "afc",
    "united", "rovers", "wanderers", "athletic", "doctors", "partnership", "group", "family", "surgeries",
    "hospice", "services",
})

# Words before a capitalised run that make it a place: "St Helens", "HMP Wandsworth", "Mount Pleasant".
PLACE_PREFIXES: frozenset[str] = frozenset({
    "st", "st.", "saint", "hmp", "hmyoi", "hms", "raf", "mount", "port", "fort", "lake", "loch", "glen",
    "cape", "ward", "villa", "camp", "the", "royal", "north", "south", "east", "west", "upper", "lower",
    "great", "little", "new", "old", "greater", "central",
})

# Lower-case particles inside a name: "Mohammed bin Salman", "Ludwig van Beethoven", "Ana de la Cruz".
PARTICLES: frozenset[str] = frozenset({
    "bin", "bint", "ibn", "al", "el", "van", "von", "de", "da", "di", "du", "del", "della", "der", "den",
    "le", "la", "ul", "ur", "abu", "ben", "dos", "das", "do", "y", "ter", "te", "op", "mac", "ni", "nic",
    "ó", "o", "ap", "ab", "bat", "binti", "bte", "s/o", "d/o",
})

# Tokens after which a new sentence (or field) starts: a capital letter there is no evidence.
BOUNDARY_TOKENS: frozenset[str] = frozenset({
    ".", "!", "?", ";", ":", "...", "…", "•", "*", "-", "–", "—", '"', "“", "”", "(", ")", "[", "|",
    "/", "//", ">", ">>",
})
