"""Registers: who calls, how the call opens and closes, and how the situation is framed.

Callers, organisations and closings are drawn without looking at the flag, and mostly but not only from
those typical of the category, so that none of them gives a label away.
"""

from __future__ import annotations

import random

from rcrp.training.synth import fictional_pii as pii
from rcrp.training.synth import phrasebank as pb
from rcrp.training.synth.config import SynthConfig
from rcrp.training.synth.mentions import (FEMALE_RELATIONS, MALE_RELATIONS, Context, Narrative, Subject, clock,
                                          pronouns, render)

__all__ = ["pick_register", "pick_caller", "opening", "frame_situation", "request", "closing", "PUBLIC_FAMILIES"]

_STAFF_CALLERS = {
    "walkout_healthcare": ("the nurse in charge", "the ED coordinator", "a staff nurse", "hospital security",
                           "the ward manager", "the duty doctor", "the UTC receptionist"),
    "awol_mental_health": ("the nurse in charge", "the ward manager", "a support worker on the unit",
                           "the site coordinator", "the duty doctor"),
    "conveyance": ("the bed manager", "a paramedic", "the AMHP", "the ward sister", "a care home manager",
                   "staff at the children's home", "the GP"),
    "mha_s136_handover": ("the HBPoS nurse", "the ED sister", "the AMHP", "an officer at the scene",
                          "the section 136 suite coordinator", "the duty sergeant"),
    "concern_for_welfare": ("a care worker", "the GP", "a housing officer", "the community mental health team",
                            "a social worker", "the school", "an ambulance clinician"),
    "police_matter": ("a shop worker", "a security guard", "a bus driver", "hospital staff", "a teacher"),
}
# Professionals who may call about any kind of demand (not the police roles of s136 calls).
_ANY_STAFF = tuple(sorted({c for k, v in _STAFF_CALLERS.items() if k != "mha_s136_handover" for c in v}))
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
_ANY_ORG = tuple(sorted({o for v in _ORGS.values() for o in v}))
_NEUTRAL_CLOSINGS = ("Awaiting update.", "Log to remain open.", "For supervisor review.", "THRIVE completed.",
                     "RCRP considered.", "Caller will call back if anything changes.", "OIC informed.",
                     "Info passed to the control room supervisor.", "Caller has been given the log number.",
                     "Duty inspector informed.", "Officers have been updated.", "Handover noted on the log.")
# Families told from a member of the public's or a relative's side.
PUBLIC_FAMILIES = frozenset({"conv.family_asks_lift", "s136.seen_or_relative", "awol.family_reports",
                             "walk.seen_by_public"})
_REPORTED = {
    "handler_narrative": ("{caller} states that ", "The caller reports that ", "{caller} tells me that ",
                          "Caller advises that ", "{caller} has rung to say that ", "I am told that "),
    "partner_referral": ("We are concerned because ", "We are contacting police as ", "Staff report that ",
                         "We would like to make police aware that "),
    "terse_log": ("DETAILS: ", "Circs: ", "RP states ", "RP rpts ", "Informant states "),
    "public_report": ("I just wanted to say that ", "Basically ", "So "),
}


# Professionals' situations that relatives also report themselves ("we took him to A&E and he walked out").
_ALSO_PUBLIC = frozenset({"walk.ed_before_seen", "awol.failed_return_s17"})


def pick_register(rng: random.Random, config: SynthConfig, family: pb.Family) -> str:
    """No ward files a public online report; relatives and passers-by do."""
    public_ok = (family.category in ("concern_for_welfare", "police_matter") or family.key in PUBLIC_FAMILIES
                 or family.key in _ALSO_PUBLIC)
    allowed = [r for r in config.registers if r != "public_report" or public_ok]
    return rng.choice(allowed or list(config.registers))


def pick_caller(rng: random.Random, register: str, family: pb.Family, subject: Subject) -> str:
    if register == "public_report":
        return "I"
    category = family.category
    staff = family.key not in PUBLIC_FAMILIES and (
        register == "partner_referral" or category == "mha_s136_handover"
        or (category != "police_matter" and rng.random() < 0.55))
    if staff:
        typical = category == "mha_s136_handover" or rng.random() < 0.65
        who = rng.choice(_STAFF_CALLERS[category] if typical else _ANY_STAFF)
    elif rng.random() < 0.5:
        rel = rng.choice(FEMALE_RELATIONS if rng.random() < 0.5 else MALE_RELATIONS)
        who = f"{pronouns(subject.sex)['his']} {rel}"
    else:
        who = rng.choice(_PUBLIC_CALLERS)
    if register == "terse_log" and rng.random() < 0.6:
        return "RP"
    if register == "handler_narrative" and rng.random() < 0.4:
        return "the caller"
    return who


def _describe_caller(ctx: Context) -> str:
    if ctx.caller in ("RP", "the caller", "I"):
        pool = _STAFF_CALLERS[ctx.category] + (_PUBLIC_CALLERS if ctx.category != "mha_s136_handover" else ())
        return ctx.rng.choice(pool)
    return ctx.caller


def opening(ctx: Context, out: Narrative) -> None:
    rng = ctx.rng
    if ctx.register == "terse_log":
        if rng.random() < 0.5:
            if ctx.with_pii:
                out.add(rng.choice(("CAD ", "Log ", "Incident ")))
                out.add_pii(f"{rng.randint(1, 2999):04d}", "REFERENCE")
                out.add(f" {clock(rng)}. ")
            else:
                out.add(f"{clock(rng)} ")
        if rng.random() < 0.6:
            out.add(rng.choice(("RP is ", "RP = ", "Call from ", "RP: ", "Caller: ", "INFORMANT: ")))
            out.add(_describe_caller(ctx) + rng.choice((". ", " // ", "\n")))
        if rng.random() < 0.3:
            render(ctx, rng.choice(("LOC: {town}", "LOC: {place}, {town}", "LOC: {street}, {town}")), out,
                   capitalise=False)
            out.add(rng.choice((". ", " // ", "\n")))
    elif ctx.register == "handler_narrative":
        if rng.random() < 0.6:
            out.add(rng.choice(("The caller is ", "Call received from ", "I have taken a call from ",
                                "Caller identifies as ")))
            out.add(_describe_caller(ctx))
            out.add(rng.choice((". ", f" in {ctx.town.town}. ", ", calling from a mobile. ")))
    elif ctx.register == "partner_referral":
        org = rng.choice(_ORGS[ctx.category] if rng.random() < 0.65 else _ANY_ORG)
        out.add(rng.choice(("Referral from ", "Call from ", "Request for assistance from ", "Contact from ")))
        render(ctx, org, out, capitalise=False)
        out.add(". ")
        if rng.random() < 0.4:
            out.add(rng.choice(("This is ", "Caller is ", "Spoke to ")))
            render(ctx, "{staff}", out, capitalise=False)
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
    else:
        out.add(rng.choice(("Hi, ", "Hello. ", "", "", "To whom it may concern. ", "Hi there. ")))
        out.add(rng.choice(("I want to report a concern. ", "I'm worried and didn't know who else to contact. ",
                            "I'm reporting this online. ", "", "Sorry to bother you. ")))


def frame_situation(rng: random.Random, register: str, template: str) -> str:
    """Reported speech or a log field around the opening situation, without changing what it says."""
    if rng.random() < 0.45 and not template.startswith("{caller}"):
        prefix = rng.choice(_REPORTED[register])
        first_word = template.split(" ", 1)[0]
        # Lower-case an ordinary first word ("A", "The", "Staff"); keep slots, acronyms and names as they are.
        if first_word.startswith("{") or first_word.isupper():
            return prefix + template
        return prefix + template[0].lower() + template[1:]
    return template


def request(ctx: Context, family: pb.Family) -> str | None:
    if not family.requests or ctx.rng.random() < 0.3:
        return None
    text = ctx.rng.choice(family.requests)
    if ctx.register == "partner_referral" and ctx.rng.random() < 0.5:
        text = ctx.rng.choice(("We are requesting police assistance. ", "We would be grateful for police help. ",
                               "Please can police assist. ")) + text
    return text


def closing(ctx: Context, out: Narrative) -> None:
    rng = ctx.rng
    if ctx.register == "public_report":
        if rng.random() < 0.4:
            email = ctx.with_pii and rng.random() < 0.3
            out.add(rng.choice((" You can email me at ", " My email is ")) if email else
                    rng.choice((" You can contact me on ", " My number is ", " Please ring me on ")))
            if email:
                community = rng.choice(ctx.lex.communities)
                out.add_pii(pii.email_address(rng, rng.choice(community.female + community.male),
                                              rng.choice(community.surnames)), "EMAIL")
            elif ctx.with_pii:
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
