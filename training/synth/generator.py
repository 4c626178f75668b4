"""Compositional generator of synthetic RCRP call narratives.

A record is built from latent facts (subject, situation family, risk and crime facts, distractors) and
then *rendered* in one of four registers. Labels follow the label guide's rule from the facts; the
register, caller and wording are drawn independently of the labels so that none of them gives a label
away. Personal data is fictional and its character spans are recorded as the text is assembled.

Every record has its own random stream seeded from ``(seed, index)``, so a corpus is identical whatever
the number of worker processes.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rcrp.training.synth import fictional_pii as pii
from rcrp.training.synth import phrasebank as pb
from rcrp.training.synth.config import SynthConfig
from rcrp.training.synth.lexicon import Community, Lexicon, Town, load_lexicon
from rcrp.training.synth.surface import compress_terse, first_person, typo

__all__ = ["generate_record", "SyntheticCall"]

_SLOT = re.compile(r"\{(\w+)\}")
_PLACEHOLDER = re.compile(r"\[[a-z_]+\]")

_DRUGS = ("paracetamol", "sertraline", "co-codamol", "diazepam", "ibuprofen", "amitriptyline", "quetiapine",
          "olanzapine", "citalopram", "mirtazapine", "his mum's diazepam", "codeine", "lithium",
          "pregabalin", "zopiclone", "tramadol", "fluoxetine")
_DX_ANY = ("depression", "anxiety", "autism", "ADHD", "a learning disability", "PTSD", "an eating disorder",
           "psychosis")
_DX_ADULT = _DX_ANY + ("schizophrenia", "bipolar disorder", "EUPD", "a personality disorder",
                       "schizoaffective disorder", "alcohol dependency")
_DX_BY_AGE = {"child": _DX_ANY, "adult": _DX_ADULT, "older": _DX_ADULT + ("dementia", "Alzheimer's", "dementia")}
_SECTIONS = ("s2", "s3", "section 3", "section 2", "s37/41", "s3 MHA", "section 2 of the MHA", "a s3",
             "section 37", "a CTO recall", "s.3", "Section 3 of the Mental Health Act")
_WEAPONS = ("a kitchen knife", "a Stanley knife", "a hammer", "a screwdriver", "a broken bottle",
            "a machete", "a razor blade", "scissors", "a baseball bat", "a large knife")
_WHEN = ("since Tuesday", "since yesterday", "for three days", "since this morning", "since last night",
         "over the weekend", "for a couple of days", "since Friday", "for over a week", "today",
         "since 0800", "for 48 hours", "since Sunday evening", "earlier today", "this afternoon")
_DUR = ("4 hours", "3hrs", "6 hours", "over an hour", "90 minutes", "5 hours", "2 hours", "8hrs",
        "several hours", "45 mins", "an hour and a half", "10 hours")
_PAST = ("in 2019", "last year", "two years ago", "a few months ago", "as a teenager", "in 2021",
         "several years ago", "last summer", "back in 2017", "some time ago")
_N = ("20", "30", "a dozen", "16", "about 40", "50", "28", "a handful of", "around 30", "15", "60")
_AGO = ("yesterday", "this morning", "on Friday", "last night", "two days ago", "earlier today", "at lunchtime",
        "about an hour ago", "at 0300", "on Sunday", "this afternoon", "late last night")

_FEMALE_REL = ("mum", "daughter", "sister", "partner", "wife", "ex-partner", "friend", "aunt", "niece",
               "grandmother", "girlfriend", "neighbour")
_MALE_REL = ("dad", "son", "brother", "partner", "husband", "ex-partner", "friend", "uncle", "nephew",
             "grandfather", "boyfriend", "neighbour")

_STAFF_CALLERS = {
    "walkout_healthcare": ("the nurse in charge", "the ED coordinator", "a staff nurse", "hospital security",
                           "the ward manager", "the duty doctor", "the UTC receptionist"),
    "awol_mental_health": ("the nurse in charge", "the ward manager", "a support worker on the unit",
                           "the site coordinator", "the duty doctor"),
    "conveyance": ("the bed manager", "a paramedic", "the AMHP", "the ward sister", "a care home manager",
                   "staff at the children's home", "the GP"),
    "mha_s136_handover": ("the HBPoS nurse", "the ED sister", "the AMHP", "officers on scene",
                          "the section 136 suite coordinator", "the duty sergeant"),
    "concern_for_welfare": ("a care worker", "the GP", "a housing officer", "the community mental health team",
                            "a social worker", "the school", "an ambulance clinician"),
    "police_matter": ("a shop worker", "a security guard", "a bus driver", "hospital staff", "a teacher"),
}
_ALL_STAFF_CALLERS = tuple(sorted({c for v in _STAFF_CALLERS.values() for c in v}))
_PUBLIC_CALLERS = ("a neighbour", "a friend", "a member of the public", "a passer-by", "a taxi driver",
                   "a shop worker", "a relative")
_ORGS = {
    "walkout_healthcare": ("{hosp} Emergency Department", "{hosp}", "{ward}, {hosp}"),
    "awol_mental_health": ("{unit}", "{ward}, {unit}"),
    "conveyance": ("{hosp}", "{amb} control", "{children_home}", "{care_home}"),
    "mha_s136_handover": ("the HBPoS at {unit}", "{hosp} ED", "the AMHP service"),
    "concern_for_welfare": ("{gp}", "the Community Mental Health Team", "Adult Social Care", "{care_home}",
                            "{school}", "{amb}"),
    "police_matter": ("{care_home}", "{school}", "{hosp}", "{gp}"),
}
_ALL_ORGS = tuple(sorted({o for v in _ORGS.values() for o in v}))
_NEUTRAL_CLOSINGS = ("Awaiting update.", "Log to remain open.", "For supervisor review.", "THRIVE completed.",
                     "RCRP considered.", "Caller will call back if anything changes.", "OIC informed.",
                     "Info passed to the control room supervisor.", "Caller has been given the log number.",
                     "Duty inspector informed.", "Officers have been updated.", "Handover noted on the log.")


@dataclass
class SyntheticCall:
    """One generated record; ``to_row`` gives the flat form written to files."""

    id: str
    narrative: str
    category: str
    police_response_required: bool
    age_band: str
    sex: str
    ethnicity: str
    register: str
    family: str
    pii_spans: list[dict[str, Any]]
    label_noise: bool = False
    bias_injected: bool = False

    def to_row(self) -> dict[str, Any]:
        return {
            "id": self.id, "narrative": self.narrative, "category": self.category,
            "police_response_required": self.police_response_required, "age_band": self.age_band,
            "sex": self.sex, "ethnicity": self.ethnicity, "register": self.register, "family": self.family,
            "has_pii": bool(self.pii_spans), "pii_spans": self.pii_spans, "label_noise": self.label_noise,
            "bias_injected": self.bias_injected, "source": "synthetic",
        }


@dataclass
class _Subject:
    sex: str
    age_band: str
    age: int
    ethnicity: str
    given: str
    surname: str
    community: str


@dataclass
class _Context:
    """Everything a template slot may need for one record; slot values are drawn lazily."""

    rng: random.Random
    lex: Lexicon
    subject: _Subject
    register: str
    category: str
    with_pii: bool
    town: Town
    caller: str
    fixed: dict[str, str] = field(default_factory=dict)
    subject_mentions: int = 0


class _Text:
    """Accumulates narrative pieces and the character spans of the personal data among them."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[dict[str, Any]] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def add_pii(self, text: str, kind: str) -> None:
        self.spans.append({"start": self.length, "end": self.length + len(text), "type": kind})
        self.add(text)

    def value(self) -> str:
        return "".join(self.parts)


# --------------------------------------------------------------------------------------------- subject
_AGE_BANDS = (("child", 0.14, (11, 17)), ("adult", 0.64, (18, 64)), ("older", 0.22, (65, 96)))
_ETHNICITY = (("white", 0.70), ("asian", 0.12), ("black", 0.07), ("mixed", 0.05), ("other", 0.06))


def _weighted(rng: random.Random, items: tuple[tuple[Any, ...], ...]) -> tuple[Any, ...]:
    r = rng.random() * sum(i[1] for i in items)
    for item in items:
        r -= item[1]
        if r <= 0:
            return item
    return items[-1]


def _draw_subject(rng: random.Random, lex: Lexicon) -> _Subject:
    sex = "female" if rng.random() < 0.5 else "male"
    band, _, (lo, hi) = _weighted(rng, _AGE_BANDS)
    age = rng.randint(lo, hi)
    ethnicity = _weighted(rng, _ETHNICITY)[0]
    if ethnicity == "mixed":
        first: Community = rng.choice(lex.communities)
        second: Community = rng.choice(lex.communities)
    else:
        pool = lex.by_ethnicity(ethnicity) or lex.communities
        first = second = rng.choice(pool)
    given = rng.choice(first.female if sex == "female" else first.male)
    return _Subject(sex, band, age, ethnicity, given, rng.choice(second.surnames), first.key)


# ------------------------------------------------------------------------------------------- rendering
_PRONOUNS = {
    "female": {"he": "she", "him": "her", "his": "her", "He": "She", "His": "Her"},
    "male": {"he": "he", "him": "him", "his": "his", "He": "He", "His": "His"},
}


def _pronouns(sex: str) -> dict[str, str]:
    return _PRONOUNS[sex]


def _age_phrase(ctx: _Context) -> str:
    a, sex = ctx.subject.age, ctx.subject.sex
    noun = ("girl" if sex == "female" else "boy") if a < 18 else ("woman" if sex == "female" else "man")
    return ctx.rng.choice((f"{a}yo", f"aged {a}", f"{a} years old", f"a {a}-year-old {noun}", f"{a}"))


def _subject_first(ctx: _Context, out: _Text) -> None:
    rng, s = ctx.rng, ctx.subject
    sexw = "female" if s.sex == "female" else "male"
    if ctx.register == "public_report" and rng.random() < 0.7:
        rel = rng.choice(_FEMALE_REL if s.sex == "female" else _MALE_REL)
        out.add(f"my {rel}")
        if ctx.with_pii and rng.random() < 0.6:
            out.add(" ")
            out.add_pii(s.given, "PERSON")
        return
    if ctx.with_pii:
        style = rng.random()
        if style < 0.55:
            out.add_pii(f"{s.given} {s.surname}", "PERSON")
        elif style < 0.7 and ctx.register == "terse_log":
            out.add_pii(f"{s.surname.upper()}, {s.given}", "PERSON")
        elif style < 0.85:
            out.add(("Miss " if s.age < 18 else rng.choice(("Mrs ", "Ms "))) if s.sex == "female" else "Mr ")
            out.add_pii(s.surname, "PERSON")
        else:
            out.add_pii(s.given, "PERSON")
        if rng.random() < 0.3:
            cue = rng.choice((" (DOB ", " DOB ", ", born ", " ("))
            out.add(cue)
            out.add_pii(pii.date_of_birth(rng, s.age), "DOB")
            out.add(")" if "(" in cue else "")
        elif rng.random() < 0.3:
            out.add(f" ({s.age})" if rng.random() < 0.5 else f", {_age_phrase(ctx)},")
        return
    style = rng.random()
    if style < 0.35:
        out.add("[PERSON]")
    elif ctx.register == "public_report" and style < 0.55:
        out.add(rng.choice(("a woman", "a lady", "a girl")) if s.sex == "female" else rng.choice(("a man", "a lad", "a bloke")))
    elif style < 0.55:
        out.add(rng.choice(("the IP", "the subject", "the male" if sexw == "male" else "the female",
                            "the patient" if ctx.category != "police_matter" else "the victim")))
    elif style < 0.8:
        noun = {"child": ("girl" if s.sex == "female" else "boy"),
                "older": rng.choice(("elderly woman", "older lady")) if s.sex == "female"
                else rng.choice(("elderly man", "older gentleman"))}.get(s.age_band, "woman" if s.sex == "female" else "man")
        out.add(f"a {s.age}-year-old {noun}" if rng.random() < 0.5 else f"a {noun}")
    else:
        out.add(f"[PERSON] ({s.age})" if rng.random() < 0.5 else f"[PERSON], {_age_phrase(ctx)},")


def _subject_later(ctx: _Context, out: _Text) -> None:
    rng, s = ctx.rng, ctx.subject
    if ctx.with_pii and rng.random() < 0.7:
        out.add_pii(s.given if rng.random() < 0.7 else s.surname, "PERSON")
        return
    if not ctx.with_pii and rng.random() < 0.4:
        out.add("[PERSON]")
        return
    if ctx.register == "public_report":
        out.add(_pronouns(s.sex)["he"])
    else:
        out.add(rng.choice(("the IP", "the patient" if ctx.category != "police_matter" else "the victim", "the subject")))


def _address(ctx: _Context, out: _Text) -> None:
    rng = ctx.rng
    if not ctx.with_pii:
        out.add(rng.choice(("[ADDRESS]", "[ADDRESS]", "the home address", "the address", "their flat")))
        return
    places = ctx.lex.places
    street = f"{rng.choice(places['street_stems'])} {rng.choice(places['street_types'])}"
    number = rng.choice((str(rng.randint(1, 240)), f"Flat {rng.randint(1, 40)}, {rng.randint(1, 120)}",
                         f"{rng.randint(1, 90)}{rng.choice('ab')}"))
    if rng.random() < 0.08 and places.get("house_names"):
        out.add_pii(f"{rng.choice(places['house_names'])}, {street}", "ADDRESS")
    else:
        out.add_pii(f"{number} {street}", "ADDRESS")
    if rng.random() < 0.5:
        out.add(f", {ctx.town.town}")
        if rng.random() < 0.6:
            out.add(" ")
            out.add_pii(pii.postcode(rng, ctx.town.postcode_area, ctx.town.districts), "POSTCODE")


def _rel(ctx: _Context, out: _Text) -> None:
    rng = ctx.rng
    female = rng.random() < 0.5
    rel = rng.choice(_FEMALE_REL if female else _MALE_REL)
    out.add(f"{_pronouns(ctx.subject.sex)['his']} {rel}")
    if ctx.with_pii and rng.random() < 0.4:
        community = rng.choice(ctx.lex.communities)
        out.add(", " if rng.random() < 0.5 else " ")
        out.add_pii(rng.choice(community.female if female else community.male), "PERSON")


def _staff(ctx: _Context, out: _Text) -> None:
    rng = ctx.rng
    role = rng.choice(("Staff Nurse", "Nurse", "Dr", "Sister", "the nurse in charge", "ward manager"))
    if ctx.with_pii:
        community = rng.choice(ctx.lex.communities)
        female = rng.random() < 0.6
        name = rng.choice(community.female if female else community.male)
        out.add(f"{role} ")
        out.add_pii(name if rng.random() < 0.5 else f"{name} {rng.choice(community.surnames)}", "PERSON")
    else:
        out.add(rng.choice((f"{role} [PERSON]", "the nurse in charge", "a staff nurse")))


def _fill(ctx: _Context, slot: str, out: _Text) -> None:
    rng = ctx.rng
    pron = _pronouns(ctx.subject.sex)
    if slot in pron:
        if ctx.register == "terse_log" and slot == "He" and rng.random() < 0.25:
            out.add(rng.choice(("IP", "Male" if ctx.subject.sex == "male" else "Female")))
        else:
            out.add(pron[slot])
        return
    if slot == "S":
        ctx.subject_mentions += 1
        (_subject_first if ctx.subject_mentions == 1 else _subject_later)(ctx, out)
        return
    if slot == "s":
        _subject_later(ctx, out)
        return
    if slot == "caller":
        out.add(ctx.caller)
        return
    if slot == "addr":
        _address(ctx, out)
        return
    if slot == "rel":
        _rel(ctx, out)
        return
    if slot == "staff":
        _staff(ctx, out)
        return
    if slot == "phone":
        if ctx.with_pii:
            out.add_pii(pii.phone_number(rng), "PHONE")
        else:
            out.add(rng.choice(("[PHONE]", "the mobile number", "the number held")))
        return
    if slot == "vrm":
        if ctx.with_pii:
            out.add_pii(pii.vehicle_registration(rng), "VEHICLE_REG")
        else:
            out.add(rng.choice(("[VEHICLE_REG]", "a silver Corsa", "a white van", "a black BMW")))
        return
    if slot in ctx.fixed:
        out.add(ctx.fixed[slot])
        return
    draw = _SIMPLE_SLOTS.get(slot)
    if draw is None:
        raise KeyError(f"unknown slot {slot}")
    text = draw(ctx)
    # Within one record a hospital or unit stays the same place.
    if slot in _STABLE_SLOTS:
        ctx.fixed[slot] = text
    out.add(text)


def _place(kind: str) -> Callable[[_Context], str]:
    return lambda ctx: ctx.rng.choice(ctx.lex.places[kind])


def _pick(options: tuple[str, ...]) -> Callable[[_Context], str]:
    return lambda ctx: ctx.rng.choice(options)


_SIMPLE_SLOTS: dict[str, Callable[[_Context], str]] = {
    "age": _age_phrase,
    "town": lambda ctx: ctx.town.town,
    "amb": lambda ctx: ctx.town.ambulance,
    "street": lambda ctx: f"{ctx.rng.choice(ctx.lex.places['street_stems'])} {ctx.rng.choice(ctx.lex.places['street_types'])}",
    "hosp": _place("hospitals"),
    "unit": _place("mental_health_units"),
    "ward": _place("wards"),
    "care_home": _place("care_homes"),
    "children_home": _place("children_homes"),
    "school": _place("schools"),
    "gp": _place("gp_surgeries"),
    "danger": _place("dangerous_locations"),
    "place": _place("public_places"),
    "time": lambda ctx: _clock(ctx.rng),
    "when": _pick(_WHEN),
    "dur": _pick(_DUR),
    "past": _pick(_PAST),
    "drug": lambda ctx: ctx.rng.choice(_DRUGS).replace("his mum's", f"{_pronouns(ctx.subject.sex)['his']} mum's"),
    "n": _pick(_N),
    "dx": lambda ctx: ctx.rng.choice(_DX_BY_AGE[ctx.subject.age_band]),
    "ago": _pick(_AGO),
    "section": _pick(_SECTIONS),
    "weapon": _pick(_WEAPONS),
}
_STABLE_SLOTS = frozenset({"hosp", "unit", "ward", "town", "amb", "children_home", "care_home", "gp", "school", "danger"})


def _clock(rng: random.Random) -> str:
    h, m = rng.randint(0, 23), rng.randint(0, 59)
    return rng.choice((f"{h:02d}:{m:02d}", f"{h:02d}{m:02d}", f"{h:02d}{m:02d}hrs", f"{h:02d}:{m:02d}hrs"))


def _render(ctx: _Context, template: str, out: _Text, *, terse: bool, typo_rate: float,
            capitalise: bool = True) -> None:
    """Render one sentence template into ``out``: literal text is re-styled, personal data is not."""
    start_len = len(out.parts)
    pieces = _SLOT.split(template)
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            if not piece:
                continue
            text = compress_terse(piece, ctx.rng) if terse else piece
            if typo_rate:
                text = typo(text, ctx.rng, typo_rate)
            out.add(text)
        else:
            _fill(ctx, piece, out)
    # Capitalise the sentence start without touching a personal-data piece's text length.
    for j in range(start_len, len(out.parts) if capitalise else start_len):
        if out.parts[j].strip():
            p = out.parts[j]
            k = len(p) - len(p.lstrip())
            if p[k].islower():
                out.parts[j] = p[:k] + p[k].upper() + p[k + 1:]
            break


# --------------------------------------------------------------------------------------------- facts
@dataclass
class _Facts:
    flag: bool
    sentences: list[str]
    bias_injected: bool = False


def _choose_facts(rng: random.Random, family: pb.Family, flag: bool, implicit_rate: float) -> _Facts:
    sentences: list[str] = []
    injected = False
    crime_added = False
    main_risk = None
    if flag and not family.inherent_crime:
        if family.crimes and rng.random() < 0.15:
            sentences.append(rng.choice(pb.CRIMES[rng.choice(family.crimes)]))
            crime_added = True
        else:
            main_risk = rng.choice(family.risks)
            bank = pb.RISKS[main_risk]
            if rng.random() < implicit_rate:
                sentences.append(rng.choice(bank["implicit"]))
                injected = implicit_rate > 0.05
            else:
                sentences.append(rng.choice(bank["present"]))
            if rng.random() < 0.2:  # a second current risk sometimes
                other = rng.choice(family.risks)
                if other != main_risk:
                    sentences.append(rng.choice(pb.RISKS[other]["present"]))
    # Distractors drawn independently of the flag: negated and historical risks, concerns, partners.
    kinds = list(pb.RISKS)
    if rng.random() < 0.55:
        k = rng.choice([k for k in family.risks if k != main_risk] or kinds)
        sentences.append(rng.choice(pb.RISKS[k]["negated"]))
    if rng.random() < 0.2:
        k = rng.choice([k for k in kinds if k != main_risk])
        sentences.append(rng.choice(pb.RISKS[k]["negated"]))
    if rng.random() < 0.35:
        sentences.append(rng.choice(pb.RISKS[rng.choice(family.risks)]["historical"]))
    for _ in range(rng.choice((0, 1, 1, 2))):
        sentences.append(rng.choice(pb.CONCERNS))
    if rng.random() < 0.4:
        sentences.append(rng.choice(pb.PARTNER_CONTEXT))
    if not crime_added and not family.inherent_crime and rng.random() < 0.1:
        sentences.append(rng.choice(pb.CRIME_ABSENT))
    head, tail = sentences[:1], sentences[1:]
    rng.shuffle(tail)
    # The deciding fact is not always first: shuffle it into the distractors half the time.
    facts = head + tail
    if rng.random() < 0.5:
        rng.shuffle(facts)
    return _Facts(flag, facts, injected)


# ------------------------------------------------------------------------------------------ registers
# Who plausibly calls about what: no neighbour reports an s136 handover, no ward files a public report.
_STAFF_ONLY = ("mha_s136_handover",)
_PUBLIC_REGISTER_OK = ("concern_for_welfare", "police_matter", "walkout_healthcare", "awol_mental_health",
                       "conveyance", "mha_s136_handover")
# Families told from a member of the public's or a relative's side; others are professionals' calls.
_PUBLIC_FAMILIES = {"conv.family_asks_lift", "s136.seen_or_relative", "awol.family_reports", "walk.seen_by_public"}


def _pick_register(rng: random.Random, config: SynthConfig, family: pb.Family) -> str:
    public_ok = family.category in ("concern_for_welfare", "police_matter") or family.key in _PUBLIC_FAMILIES
    allowed = [r for r in config.registers if r != "public_report" or public_ok]
    return rng.choice(allowed or list(config.registers))


def _pick_caller(rng: random.Random, register: str, category: str, subject: _Subject, family_key: str) -> str:
    if register == "public_report":
        return "I"
    staff = (rng.random() < 0.55 and category != "police_matter" or register == "partner_referral"
             or category in _STAFF_ONLY) and family_key not in _PUBLIC_FAMILIES
    if staff:
        # Mostly a caller typical of the category, but any professional may call about anything.
        pool = _STAFF_CALLERS[category] if rng.random() < 0.65 else _ALL_STAFF_CALLERS
        who = rng.choice(pool)
    elif rng.random() < 0.5:
        rel = rng.choice(_FEMALE_REL if rng.random() < 0.5 else _MALE_REL)
        who = f"{_pronouns(subject.sex)['his']} {rel}"
    else:
        who = rng.choice(_PUBLIC_CALLERS)
    if register == "terse_log" and rng.random() < 0.6:
        return "RP"
    if register == "handler_narrative" and rng.random() < 0.4:
        return "the caller"
    return who


def _opening(ctx: _Context, out: _Text) -> None:
    rng = ctx.rng
    if ctx.register == "terse_log":
        if rng.random() < 0.5:
            cue, number = pii.reference_number(rng) if ctx.with_pii else ("CAD", "[REFERENCE]")
            if ctx.with_pii and cue in ("CAD", "log", "Log", "incident"):
                out.add(f"{cue} ")
                out.add_pii(number, "REFERENCE")
                out.add(f" {_clock(rng)}. ")
            elif not ctx.with_pii:
                out.add(f"{_clock(rng)} ")
        if rng.random() < 0.6:
            out.add(rng.choice(("RP is ", "RP = ", "Call from ", "RP: ", "Caller: ", "INFORMANT: ")))
            out.add(_describe_caller(ctx) + rng.choice((". ", " // ", "\n")))
        if rng.random() < 0.3:
            out.add("LOC: " + rng.choice((ctx.town.town, f"{rng.choice(ctx.lex.places['public_places'])}, {ctx.town.town}",
                                           f"{rng.choice(ctx.lex.places['street_stems'])} {rng.choice(ctx.lex.places['street_types'])}, {ctx.town.town}"))
                    + rng.choice((". ", " // ", "\n")))
    elif ctx.register == "handler_narrative":
        if rng.random() < 0.6:
            out.add(rng.choice(("The caller is ", "Call received from ", "I have taken a call from ",
                                "Caller identifies as ")))
            out.add(_describe_caller(ctx))
            out.add(rng.choice((". ", f" in {ctx.town.town}. ", ", calling from a mobile. ")))
    elif ctx.register == "partner_referral":
        org = rng.choice(_ORGS[ctx.category] if rng.random() < 0.65 else _ALL_ORGS)
        out.add(rng.choice(("Referral from ", "Call from ", "Request for assistance from ", "Contact from ")))
        _render(ctx, org, out, terse=False, typo_rate=0.0, capitalise=False)
        out.add(". ")
        if rng.random() < 0.4:
            out.add(rng.choice(("This is ", "Caller is ", "Spoke to ")))
            _render(ctx, "{staff}", out, terse=False, typo_rate=0.0, capitalise=False)
            out.add(". ")
        if ctx.with_pii and rng.random() < 0.35:
            out.add(rng.choice(("Patient: ", "Service user: ", "Re: ")))
            ctx.subject_mentions += 1
            out.add_pii(f"{ctx.subject.given} {ctx.subject.surname}", "PERSON")
            if rng.random() < 0.7:
                out.add(", DOB ")
                out.add_pii(pii.date_of_birth(rng, ctx.subject.age), "DOB")
            if rng.random() < 0.6:
                out.add(", NHS no. " if rng.random() < 0.5 else ", NHS number ")
                out.add_pii(pii.nhs_number(rng), "NHS_NUMBER")
            out.add(". ")
    else:  # public_report
        out.add(rng.choice(("Hi, ", "Hello. ", "", "", "To whom it may concern. ", "Hi there. ")))
        out.add(rng.choice(("I want to report a concern. ", "I'm worried and didn't know who else to contact. ",
                            "Not sure if this is the right place but ", "I'm reporting this online. ", "",
                            "Sorry to bother you. ")))


_REPORTED = {
    "handler_narrative": ("{caller} states that ", "The caller reports that ", "{caller} tells me that ",
                          "Caller advises that ", "{caller} has rung to say that ", "I am told that "),
    "partner_referral": ("We are concerned because ", "We are contacting police as ", "Staff report that ",
                         "We would like to make police aware that "),
    "terse_log": ("DETAILS: ", "Circs: ", "RP states ", "RP rpts ", "Informant states "),
    "public_report": ("I just wanted to say that ", "Basically ", "So "),
}


def _frame_situation(rng: random.Random, register: str, template: str) -> str:
    """Reported speech and log fields around the opening situation, without changing what it says."""
    if rng.random() < 0.45 and not template.startswith("{caller}"):
        prefix = rng.choice(_REPORTED[register])
        if template.startswith(("{", "A ", "An ", "The ", "Neighbours", "Officers", "Staff", "Ambulance",
                                "Door", "Patrol", "Foster", "Reports", "NHS", "There", "No ")):
            first = template[0].lower() + template[1:] if not template.startswith(("{", "NHS")) else template
            return prefix + first
    return template


def _describe_caller(ctx: _Context) -> str:
    rng = ctx.rng
    if ctx.caller in ("RP", "the caller", "I"):
        options = _STAFF_CALLERS[ctx.category] + _PUBLIC_CALLERS
        return rng.choice(options)
    return ctx.caller


def _request(ctx: _Context, family: pb.Family) -> str | None:
    if not family.requests or ctx.rng.random() < 0.3:
        return None
    text = ctx.rng.choice(family.requests)
    if ctx.register == "partner_referral" and ctx.rng.random() < 0.5:
        text = ctx.rng.choice(("We are requesting police assistance. ", "We would be grateful for police help. ",
                               "Please can police assist. ")) + text
    return text


def _closing(ctx: _Context, out: _Text) -> None:
    rng = ctx.rng
    if ctx.register == "public_report":
        if rng.random() < 0.4:
            email = ctx.with_pii and rng.random() < 0.3
            out.add(rng.choice((" You can email me at ", " My email is ")) if email else
                    rng.choice((" You can contact me on ", " My number is ", " Please ring me on ")))
            if ctx.with_pii:
                if email:
                    community = rng.choice(ctx.lex.communities)
                    out.add_pii(pii.email_address(rng, rng.choice(community.female + community.male),
                                                  rng.choice(community.surnames)), "EMAIL")
                else:
                    out.add_pii(pii.phone_number(rng), "PHONE")
            else:
                out.add("[PHONE]")
            out.add(rng.choice((".", "", " thanks", ". Thank you.")))
        return
    if rng.random() < 0.35:
        out.add(" " + rng.choice(_NEUTRAL_CLOSINGS))
    if ctx.with_pii and rng.random() < 0.2:
        cue, number = pii.reference_number(rng)
        out.add(f" {cue} ")
        out.add_pii(number, "REFERENCE")
        out.add(".")


# ---------------------------------------------------------------------------------------------- record
_FAMILIES_BY_CATEGORY: dict[str, tuple[pb.Family, ...]] = {}
for _f in pb.FAMILIES:
    _FAMILIES_BY_CATEGORY.setdefault(_f.category, ())
    _FAMILIES_BY_CATEGORY[_f.category] += (_f,)


_SHARED_BY_CATEGORY: dict[str, list[str]] = {
    c: [line for line, cats in pb.SHARED_DETAILS if c in cats] for c in _FAMILIES_BY_CATEGORY}


def generate_record(index: int, config: SynthConfig, lex: Lexicon | None = None) -> SyntheticCall:
    """Generate record number ``index`` of the corpus described by ``config`` (deterministic)."""
    lex = lex or load_lexicon()
    rng = random.Random(config.seed * 1_000_003 + index)
    subject = _draw_subject(rng, lex)
    categories = tuple(config.category_weights.items())
    category = _weighted(rng, categories)[0]
    families = [f for f in _FAMILIES_BY_CATEGORY[category] if subject.age_band in f.ages]
    family = rng.choice(families or list(_FAMILIES_BY_CATEGORY[category]))
    flag = True if family.inherent_crime else rng.random() < family.p_true

    in_group = bool(config.bias) and _attr(subject, config.bias.attribute) == config.bias.value
    implicit_rate = 0.05
    if in_group and config.bias.effect == "implicit_risk":
        implicit_rate = config.bias.rate
    facts = _choose_facts(rng, family, flag, implicit_rate)

    register = _pick_register(rng, config, family)
    with_pii = rng.random() < config.pii_rate
    town = rng.choice(lex.towns)
    caller = _pick_caller(rng, register, category, subject, family.key)
    ctx = _Context(rng, lex, subject, register, category, with_pii, town, caller)
    terse = register == "terse_log"
    typo_rate = config.typo_rate * (3 if register == "public_report" else 1)

    out = _Text()
    _opening(ctx, out)
    body = [_frame_situation(rng, register, rng.choice(family.situation))]
    body += rng.sample(family.details, k=min(len(family.details), rng.choice((0, 1, 1, 2))))
    body += facts.sentences
    shared = _SHARED_BY_CATEGORY[category]
    body += rng.sample(shared, k=rng.choice((0, 1, 1, 2)))
    request = _request(ctx, family)
    if request:
        body.insert(rng.randint(1, len(body)), request)
    # Logs and handler narratives often add facts as timed updates.
    updates = register in ("terse_log", "handler_narrative") and len(body) > 2 and rng.random() < 0.5
    split = rng.randint(2, len(body) - 1) if updates else len(body)
    for i, sentence in enumerate(body):
        if i == split:
            out.add(rng.choice((" UPDATE ", "\nUPDATE ", " Update ", " UPDATE: ")) + _clock(rng) + (" - " if rng.random() < 0.5 else " "))
        elif i:
            out.add(" ")
        if register == "public_report":
            sentence = first_person(sentence)
        _render(ctx, sentence, out, terse=terse, typo_rate=typo_rate)
    _closing(ctx, out)
    text = out.value()
    if terse and rng.random() < 0.25:
        text = _upper_keep_spans(text)
    elif register == "public_report" and rng.random() < 0.2:
        # People type in lower case; placeholders stay as the redaction step writes them.
        text = _PLACEHOLDER.sub(lambda m: m.group(0).upper(), text.lower())

    category_label, flag_label, noisy = category, flag, False
    if config.label_noise and rng.random() < config.label_noise:
        noisy = True
        if rng.random() < 0.5:
            category_label = rng.choice([c for c in config.category_weights if c != category])
        else:
            flag_label = not flag
    bias_injected = facts.bias_injected
    if in_group and config.bias.effect == "label_flip" and flag_label and rng.random() < config.bias.rate:
        flag_label, bias_injected = False, True

    attrs = _recorded_attributes(rng, subject, config.unknown_attribute_rate)
    return SyntheticCall(
        id=f"syn-{config.seed}-{index:08d}", narrative=text.strip(), category=category_label,
        police_response_required=flag_label, register=register, family=family.key,
        pii_spans=_shift_spans(out.spans, text), label_noise=noisy, bias_injected=bias_injected, **attrs,
    )


def _attr(subject: _Subject, name: str) -> str:
    return {"age_band": subject.age_band, "sex": subject.sex, "ethnicity": subject.ethnicity}[name]


def _recorded_attributes(rng: random.Random, subject: _Subject, unknown_rate: float) -> dict[str, str]:
    return {
        "age_band": "unknown" if rng.random() < unknown_rate else subject.age_band,
        "sex": "unknown" if rng.random() < unknown_rate else subject.sex,
        "ethnicity": "not_stated" if rng.random() < unknown_rate * 1.5 else subject.ethnicity,
    }


def _upper_keep_spans(text: str) -> str:
    upper = text.upper()
    return upper if len(upper) == len(text) else text


def _shift_spans(spans: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    # Leading whitespace is stripped from the narrative, so offsets move with it.
    lead = len(text) - len(text.lstrip())
    return [{"start": s["start"] - lead, "end": s["end"] - lead, "type": s["type"]} for s in spans]
