"""Filling template slots: who the subject is, where, when, and the fictional personal data among them.

Personal data goes through ``Narrative.add_pii`` so its character span is recorded as the text is built;
literal template text may be re-styled (log shorthand, typos), personal-data values never are.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rcrp.training.synth import fictional_pii as pii
from rcrp.training.synth.lexicon import Lexicon, Town
from rcrp.training.synth.surface import compress_terse, typo

__all__ = ["Subject", "Context", "Narrative", "render", "eligible", "choose", "is_public_template", "pronouns", "clock", "article",
           "FEMALE_RELATIONS", "MALE_RELATIONS"]

SLOT = re.compile(r"\{(\w+)\}")

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

FEMALE_RELATIONS = ("mum", "daughter", "sister", "partner", "wife", "ex-partner", "friend", "aunt", "niece",
                    "grandmother", "girlfriend", "neighbour")
MALE_RELATIONS = ("dad", "son", "brother", "partner", "husband", "ex-partner", "friend", "uncle", "nephew",
                  "grandfather", "boyfriend", "neighbour")
_CHILD_RELATIONS = {"female": ("daughter", "niece", "granddaughter", "sister"), "male": ("son", "nephew", "grandson", "brother")}
_PRONOUNS = {
    "female": {"he": "she", "him": "her", "his": "her", "He": "She", "His": "Her"},
    "male": {"he": "he", "him": "him", "his": "his", "He": "He", "His": "His"},
}


@dataclass
class Subject:
    """The person the call is about (latent: the recorded attributes may say "unknown")."""

    sex: str
    age_band: str
    age: int
    ethnicity: str
    given: str
    surname: str
    community: str


@dataclass
class Context:
    """Everything a slot may need for one record; values are drawn lazily and some stay fixed."""

    rng: random.Random
    lex: Lexicon
    subject: Subject
    register: str
    category: str
    with_pii: bool
    town: Town
    caller: str
    fixed: dict[str, str] = field(default_factory=dict)
    subject_mentions: int = 0


class Narrative:
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


# ----------------------------------------------------------------------------------------- template tags
# A template may start with "@tag[,tag] ": risk (the situation itself is a current risk: only with a true
# flag), calm (reassurance: never with a true flag), adult / child (who it can be about), public (a member
# of the public's own words: only in public reports).
def _split_tags(template: str) -> tuple[frozenset[str], str]:
    if template.startswith("@"):
        tags, text = template[1:].split(" ", 1)
        return frozenset(tags.split(",")), text
    return frozenset(), template


def eligible(template: str, *, flag: bool, age_band: str, register: str | None = None) -> bool:
    tags, _ = _split_tags(template)
    if ("risk" in tags and not flag) or ("calm" in tags and flag):
        return False
    if "public" in tags and register != "public_report":
        return False
    if "adult" in tags and age_band == "child":
        return False
    return not ("child" in tags and age_band != "child")


def choose(rng: random.Random, options: tuple[str, ...] | list[str], *, flag: bool, age_band: str,
           k: int | None = None, register: str | None = None) -> Any:
    """Pick one eligible template (or ``k`` distinct ones); tags are stripped from what is returned."""
    pool = [_split_tags(t)[1] for t in options if eligible(t, flag=flag, age_band=age_band, register=register)]
    if k is None:
        return rng.choice(pool) if pool else None
    return rng.sample(pool, k=min(k, len(pool)))


def is_risk_template(template: str) -> bool:
    return "risk" in _split_tags(template)[0]


def is_public_template(template: str) -> bool:
    return "public" in _split_tags(template)[0]


# --------------------------------------------------------------------------------------------- mentions
def pronouns(sex: str) -> dict[str, str]:
    return _PRONOUNS[sex]


def article(phrase: str) -> str:
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def clock(rng: random.Random) -> str:
    h, m = rng.randint(0, 23), rng.randint(0, 59)
    return rng.choice((f"{h:02d}:{m:02d}", f"{h:02d}{m:02d}", f"{h:02d}{m:02d}hrs", f"{h:02d}:{m:02d}hrs"))


def _age_phrase(ctx: Context) -> str:
    a, sex = ctx.subject.age, ctx.subject.sex
    noun = ("girl" if sex == "female" else "boy") if a < 18 else ("woman" if sex == "female" else "man")
    return ctx.rng.choice((f"{a}yo", f"aged {a}", f"{a} years old", f"a {a}-year-old {noun}", f"{a}"))


def _my_relation(ctx: Context) -> str:
    s = ctx.subject
    if s.age_band == "child":
        return ctx.rng.choice(_CHILD_RELATIONS[s.sex])
    return ctx.rng.choice(FEMALE_RELATIONS if s.sex == "female" else MALE_RELATIONS)


def _noun(ctx: Context) -> str:
    s, rng = ctx.subject, ctx.rng
    if s.age_band == "child":
        return "girl" if s.sex == "female" else "boy"
    if s.age_band == "older":
        return rng.choice(("elderly woman", "older lady")) if s.sex == "female" else rng.choice(("elderly man", "older gentleman"))
    return "woman" if s.sex == "female" else "man"


def _subject_first(ctx: Context, out: Narrative) -> None:
    rng, s = ctx.rng, ctx.subject
    if ctx.register == "public_report" and rng.random() < 0.7:
        out.add(f"my {_my_relation(ctx)}")
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
            cue = rng.choice((" (DOB ", " DOB ", " born ", " ("))
            out.add(cue)
            out.add_pii(pii.date_of_birth(rng, s.age), "DOB")
            out.add(")" if "(" in cue else "")
        elif rng.random() < 0.3:
            out.add(f" ({s.age})" if rng.random() < 0.5 else f" ({_age_phrase(ctx)})")
        return
    style = rng.random()
    if style < 0.35:
        out.add("[PERSON]")
    elif ctx.register == "public_report" and style < 0.55:
        out.add(article(_noun(ctx)))
    elif style < 0.55:
        out.add(rng.choice(("the IP", "the subject", "the male" if s.sex == "male" else "the female",
                            "the patient" if ctx.category != "police_matter" else "the victim")))
    elif style < 0.8:
        out.add(f"a {s.age}-year-old {_noun(ctx)}" if rng.random() < 0.5 else article(_noun(ctx)))
    else:
        out.add(f"[PERSON] ({s.age})" if rng.random() < 0.5 else f"[PERSON] ({_age_phrase(ctx)})")


def _subject_later(ctx: Context, out: Narrative) -> None:
    rng, s = ctx.rng, ctx.subject
    if ctx.with_pii and rng.random() < 0.7:
        nick = ctx.lex.nicknames.get(s.given)
        name = rng.choice(nick) if nick and rng.random() < 0.2 else s.given if rng.random() < 0.7 else s.surname
        out.add_pii(name, "PERSON")
    elif not ctx.with_pii and rng.random() < 0.4:
        out.add("[PERSON]")
    elif ctx.register == "public_report":
        out.add(pronouns(s.sex)["he"])
    else:
        out.add(rng.choice(("the IP", "the patient" if ctx.category != "police_matter" else "the victim", "the subject")))


def _address(ctx: Context, out: Narrative) -> None:
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


def _relative(ctx: Context, out: Narrative) -> None:
    rng = ctx.rng
    female = rng.random() < 0.5
    rel = rng.choice(FEMALE_RELATIONS if female else MALE_RELATIONS)
    out.add(f"{pronouns(ctx.subject.sex)['his']} {rel}")
    if ctx.with_pii and rng.random() < 0.4:
        community = rng.choice(ctx.lex.communities)
        out.add(", " if rng.random() < 0.5 else " ")
        out.add_pii(rng.choice(community.female if female else community.male), "PERSON")


def _staff(ctx: Context, out: Narrative) -> None:
    rng = ctx.rng
    role = rng.choice(("Staff Nurse", "Nurse", "Dr", "Sister", "the nurse in charge", "ward manager"))
    if ctx.with_pii:
        community = rng.choice(ctx.lex.communities)
        name = rng.choice(community.female if rng.random() < 0.6 else community.male)
        out.add(f"{role} ")
        out.add_pii(name if rng.random() < 0.5 else f"{name} {rng.choice(community.surnames)}", "PERSON")
    else:
        out.add(rng.choice((f"{role} [PERSON]", "the nurse in charge", "a staff nurse")))


def _phone(ctx: Context, out: Narrative) -> None:
    if ctx.with_pii:
        out.add_pii(pii.phone_number(ctx.rng), "PHONE")
    else:
        out.add(ctx.rng.choice(("[PHONE]", "the mobile number", "the number held")))


def _vehicle(ctx: Context, out: Narrative) -> None:
    if ctx.with_pii:
        out.add_pii(pii.vehicle_registration(ctx.rng), "VEHICLE_REG")
    else:
        out.add(ctx.rng.choice(("[VEHICLE_REG]", "a silver Corsa", "a white van", "a black BMW")))


def _subject(ctx: Context, out: Narrative) -> None:
    ctx.subject_mentions += 1
    (_subject_first if ctx.subject_mentions == 1 else _subject_later)(ctx, out)


_WRITERS: dict[str, Callable[[Context, Narrative], None]] = {
    "S": _subject, "s": _subject_later, "addr": _address, "rel": _relative, "staff": _staff,
    "phone": _phone, "vrm": _vehicle,
}


def _place(kind: str) -> Callable[[Context], str]:
    return lambda ctx: ctx.rng.choice(ctx.lex.places[kind])


def _pick(options: tuple[str, ...]) -> Callable[[Context], str]:
    return lambda ctx: ctx.rng.choice(options)


_VALUES: dict[str, Callable[[Context], str]] = {
    "age": _age_phrase,
    "caller": lambda ctx: ctx.caller,
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
    "time": lambda ctx: clock(ctx.rng),
    "when": _pick(_WHEN),
    "dur": _pick(_DUR),
    "past": _pick(_PAST),
    "drug": lambda ctx: ctx.rng.choice(_DRUGS).replace("his mum's", f"{pronouns(ctx.subject.sex)['his']} mum's"),
    "n": _pick(_N),
    "dx": lambda ctx: ctx.rng.choice(_DX_BY_AGE[ctx.subject.age_band]),
    "ago": _pick(_AGO),
    "section": _pick(_SECTIONS),
    "weapon": _pick(_WEAPONS),
}
# Within one record a hospital, unit or town stays the same place.
_STABLE = frozenset({"hosp", "unit", "ward", "town", "amb", "children_home", "care_home", "gp", "school", "danger"})


def _fill(ctx: Context, slot: str, out: Narrative) -> None:
    pron = pronouns(ctx.subject.sex)
    if slot in pron:
        if ctx.register == "terse_log" and slot == "He" and ctx.rng.random() < 0.25:
            out.add(ctx.rng.choice(("IP", "Male" if ctx.subject.sex == "male" else "Female")))
        else:
            out.add(pron[slot])
        return
    writer = _WRITERS.get(slot)
    if writer is not None:
        writer(ctx, out)
        return
    if slot in ctx.fixed:
        out.add(ctx.fixed[slot])
        return
    text = _VALUES[slot](ctx)
    if slot in _STABLE:
        ctx.fixed[slot] = text
    out.add(text)


def render(ctx: Context, template: str, out: Narrative, *, terse: bool = False, typo_rate: float = 0.0,
           capitalise: bool = True) -> None:
    """Render one template into ``out``: literal text is re-styled, personal data is not."""
    start = len(out.parts)
    for i, piece in enumerate(SLOT.split(template)):
        if i % 2:
            _fill(ctx, piece, out)
        elif piece:
            text = compress_terse(piece, ctx.rng) if terse else piece
            out.add(typo(text, ctx.rng, typo_rate) if typo_rate else text)
    if not capitalise:
        return
    # Capitalise the sentence start; a personal-data piece keeps its length, so spans stay exact.
    for j in range(start, len(out.parts)):
        p = out.parts[j]
        if p.strip():
            k = len(p) - len(p.lstrip())
            if p[k].islower():
                out.parts[j] = p[:k] + p[k].upper() + p[k + 1:]
            break
