"""Compositional generator of synthetic RCRP call narratives.

A record is drawn as latent facts, then rendered: subject and recorded attributes first (so options that
change labels never change who a record is about); then the category and the flag, the flag at the
level of the category so that it cannot depend on the subject's age; then a situation family that fits
both; then the facts that make the flag what it is under the label guide (a current risk or a crime for
true; none for false) and distractors that fit either value (negated and historical risks, concerns,
partner context). Each record lists its facts, so the labelling rule can be checked.

Every record has its own random stream seeded from ``"seed:index"``: a corpus is the same whatever the
number of worker processes, and no two seeds share records.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

from rcrp.training.synth import framing
from rcrp.training.synth import phrasebank as pb
from rcrp.training.synth.config import SynthConfig
from rcrp.training.synth.lexicon import Community, Lexicon, load_lexicon
from rcrp.training.synth.mentions import (Context, Narrative, Subject, choose, clock, is_public_template,
                                          is_risk_template, render)
from rcrp.training.synth.surface import first_person

__all__ = ["generate_record", "SyntheticCall"]

_PLACEHOLDER = re.compile(r"\[[a-z_]+\]")
_AGE_BANDS = (("child", 0.14, (11, 17)), ("adult", 0.64, (18, 64)), ("older", 0.22, (65, 96)))
_ETHNICITY = (("white", 0.70), ("asian", 0.12), ("black", 0.07), ("mixed", 0.05), ("other", 0.06))
_INTRODUCTIONS = ("The person concerned is {S}.", "IP is {S}.", "Subject: {S}.", "This concerns {S}.")
_CRIME_CLASHES = frozenset({"violence", "threats", "weapon", "forensic_threat"})
_FAMILIES_BY_CATEGORY: dict[str, tuple[pb.Family, ...]] = {
    c: tuple(f for f in pb.FAMILIES if f.category == c) for c in dict.fromkeys(f.category for f in pb.FAMILIES)}
_SHARED_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    c: tuple(line for line, cats in pb.SHARED_DETAILS if c in cats) for c in _FAMILIES_BY_CATEGORY}


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
    facts: list[str]
    pii_spans: list[dict[str, Any]]
    label_noise: bool = False
    bias_injected: bool = False

    def to_row(self) -> dict[str, Any]:
        return {
            "id": self.id, "narrative": self.narrative, "category": self.category,
            "police_response_required": self.police_response_required, "age_band": self.age_band,
            "sex": self.sex, "ethnicity": self.ethnicity, "register": self.register, "family": self.family,
            "facts": self.facts, "has_pii": bool(self.pii_spans), "pii_spans": self.pii_spans,
            "label_noise": self.label_noise, "bias_injected": self.bias_injected, "source": "synthetic",
        }


def _weighted(rng: random.Random, items: tuple[tuple[Any, ...], ...] | list[tuple[Any, ...]]) -> tuple[Any, ...]:
    r = rng.random() * sum(i[1] for i in items)
    for item in items:
        r -= item[1]
        if r <= 0:
            return item
    return items[-1]


def _draw_subject(rng: random.Random, lex: Lexicon) -> Subject:
    sex = "female" if rng.random() < 0.5 else "male"
    band, _, (lo, hi) = _weighted(rng, _AGE_BANDS)
    ethnicity = _weighted(rng, _ETHNICITY)[0]
    if ethnicity == "mixed":
        first: Community = rng.choice(lex.communities)
        second: Community = rng.choice(lex.communities)
    else:
        pool = lex.by_ethnicity(ethnicity) or lex.communities
        first = second = rng.choice(pool)
    given = rng.choice(first.female if sex == "female" else first.male)
    return Subject(sex, band, rng.randint(lo, hi), ethnicity, given, rng.choice(second.surnames), first.key)


def _recorded_attributes(rng: random.Random, subject: Subject, unknown_rate: float) -> dict[str, str]:
    return {
        "age_band": "unknown" if rng.random() < unknown_rate else subject.age_band,
        "sex": "unknown" if rng.random() < unknown_rate else subject.sex,
        "ethnicity": "not_stated" if rng.random() < unknown_rate * 1.5 else subject.ethnicity,
    }


def _pick_family(rng: random.Random, category: str, flag: bool, age_band: str) -> pb.Family:
    """A family that fits the subject's age, weighted by how often it carries the drawn flag."""
    families = _FAMILIES_BY_CATEGORY[category]
    fitting = [f for f in families if age_band in f.ages] or list(families)
    weighted = [(f, f.p_true if flag else 1.0 - f.p_true) for f in fitting]
    if sum(w for _, w in weighted) <= 0:
        weighted = [(f, f.p_true if flag else 1.0 - f.p_true) for f in families]
    return _weighted(rng, weighted)[0]


@dataclass
class _Facts:
    sentences: list[str]
    labels: list[str]
    implicit: bool


def _choose_facts(rng: random.Random, family: pb.Family, flag: bool, situation_is_risk: bool,
                  implicit_rate: float, age_band: str) -> _Facts:
    sentences: list[str] = []
    labels: list[str] = []
    implicit = False
    crime = family.inherent_crime
    present: set[str] = set()
    if flag and not family.inherent_crime and not (situation_is_risk and rng.random() < 0.5):
        if family.crimes and rng.random() < 0.15:
            kind = rng.choice(family.crimes)
            sentences.append(rng.choice(pb.CRIMES[kind]))
            labels.append(f"crime:{kind}")
            crime = True
        else:
            kind = rng.choice(family.risks)
            present.add(kind)
            implicit = rng.random() < implicit_rate
            polarity = "implicit" if implicit else "present"
            sentences.append(rng.choice(pb.RISKS[kind][polarity]))
            labels.append(f"risk:{kind}:{polarity}")
    # Distractors that fit either flag value; none may contradict a present risk or crime.
    excluded = present | (_CRIME_CLASHES if crime else set())
    negatable = [k for k in family.risks if k not in excluded] or [k for k in pb.RISKS if k not in excluded]
    if rng.random() < 0.55:
        kind = rng.choice(negatable)
        sentences.append(choose(rng, pb.RISKS[kind]["negated"], flag=flag, age_band=age_band))
        labels.append(f"negated:{kind}")
    if rng.random() < 0.35:
        kind = rng.choice(family.risks)
        line = choose(rng, pb.RISKS[kind]["historical"], flag=flag, age_band=age_band)
        if line:
            sentences.append(line)
            labels.append(f"historical:{kind}")
    sentences += choose(rng, pb.CONCERNS, flag=flag, age_band=age_band, k=rng.choice((0, 1, 1, 2)))
    if rng.random() < 0.4:
        sentences.append(rng.choice(pb.PARTNER_CONTEXT))
    if not crime and rng.random() < 0.1:
        sentences.append(rng.choice(pb.CRIME_ABSENT))
        labels.append("no_crime_stated")
    deciding, rest = sentences[:1], sentences[1:]
    rng.shuffle(rest)
    ordered = deciding + rest
    if rng.random() < 0.5:  # the deciding fact is not always first
        rng.shuffle(ordered)
    return _Facts(ordered, labels, implicit)


def _pick_situation(rng: random.Random, family: pb.Family, flag: bool, age_band: str, register: str) -> str:
    """In a public report, mostly the member of the public's own words where the family has them."""
    if register == "public_report" and rng.random() < 0.7:
        own = [t for t in family.situation if is_public_template(t)]
        picked = choose(rng, own, flag=flag, age_band=age_band, register=register)
        if picked:
            return picked
    return choose(rng, family.situation, flag=flag, age_band=age_band)


def generate_record(index: int, config: SynthConfig, lex: Lexicon | None = None) -> SyntheticCall:
    """Generate record number ``index`` of the corpus described by ``config`` (deterministic)."""
    lex = lex or load_lexicon()
    rng = random.Random(f"{config.seed}:{index}")
    subject = _draw_subject(rng, lex)
    attrs = _recorded_attributes(rng, subject, config.unknown_attribute_rate)
    category = _weighted(rng, tuple(config.category_weights.items()))[0]
    flag = rng.random() < pb.CATEGORY_FLAG_RATE[category]
    family = _pick_family(rng, category, flag, subject.age_band)
    flag = flag or family.inherent_crime

    bias = config.bias
    in_group = bias is not None and {"age_band": subject.age_band, "sex": subject.sex,
                                     "ethnicity": subject.ethnicity}[bias.attribute] == bias.value
    implicit_rate = bias.rate if in_group and bias.effect == "implicit_risk" else 0.0
    register = framing.pick_register(rng, config, family)
    situation = _pick_situation(rng, family, flag, subject.age_band, register)
    situation_is_risk = any(is_risk_template(t) and t.endswith(situation) for t in family.situation)
    facts = _choose_facts(rng, family, flag, situation_is_risk, implicit_rate, subject.age_band)
    if situation_is_risk:
        facts.labels.append("risk:situation:present")
    if family.inherent_crime:
        facts.labels.append("crime:situation")

    caller = framing.pick_caller(rng, register, family, subject)
    ctx = Context(rng, lex, subject, register, category, rng.random() < config.pii_rate, rng.choice(lex.towns), caller)
    text, spans = _render_record(ctx, family, situation, facts, flag, config)

    category_label, flag_label, noisy = category, flag, False
    if config.label_noise and rng.random() < config.label_noise:
        noisy = True
        if rng.random() < 0.5:
            category_label = rng.choice([c for c in config.category_weights if c != category])
        else:
            flag_label = not flag
    bias_injected = facts.implicit
    if in_group and bias.effect == "label_flip" and flag_label and rng.random() < bias.rate:
        flag_label, bias_injected = False, True
    return SyntheticCall(
        id=f"syn-{config.seed}-{index:08d}", narrative=text, category=category_label,
        police_response_required=flag_label, register=register, family=family.key, facts=facts.labels,
        pii_spans=spans, label_noise=noisy, bias_injected=bias_injected, **attrs,
    )


def _render_record(ctx: Context, family: pb.Family, situation: str, facts: _Facts, flag: bool,
                   config: SynthConfig) -> tuple[str, list[dict[str, Any]]]:
    rng, register, age = ctx.rng, ctx.register, ctx.subject.age_band
    body = [framing.frame_situation(rng, register, situation)]
    if "{S}" not in situation:  # give later pronouns someone to refer to
        body.insert(rng.randint(0, 1), rng.choice(_INTRODUCTIONS))
    body += choose(rng, family.details, flag=flag, age_band=age, k=rng.choice((0, 1, 1, 2)))
    body += facts.sentences
    body += choose(rng, _SHARED_BY_CATEGORY[family.category], flag=flag, age_band=age, k=rng.choice((0, 1, 1, 2)))
    ask = framing.request(ctx, family)
    if ask:
        body.insert(rng.randint(1, len(body)), ask)
    body = list(dict.fromkeys(body))  # no sentence twice

    out = Narrative()
    framing.opening(ctx, out)
    terse = register == "terse_log"
    typo_rate = config.typo_rate * (3 if register == "public_report" else 1)
    # Logs and handler narratives often add facts as timed updates.
    updates = register in ("terse_log", "handler_narrative") and len(body) > 2 and rng.random() < 0.5
    split = rng.randint(2, len(body) - 1) if updates else len(body)
    for i, sentence in enumerate(body):
        if i == split:
            out.add(rng.choice((" UPDATE ", "\nUPDATE ", " Update ", " UPDATE: ")) + clock(rng)
                    + (" - " if rng.random() < 0.5 else " "))
        elif i:
            out.add(" ")
        if register == "public_report":
            sentence = first_person(sentence)
        render(ctx, sentence, out, terse=terse, typo_rate=typo_rate)
    framing.closing(ctx, out)
    text = out.value()
    if terse and rng.random() < 0.25:
        text = _same_length(text, text.upper())
    elif register == "public_report" and rng.random() < 0.2:
        # People type in lower case; placeholders stay as the redaction step writes them.
        text = _same_length(text, _PLACEHOLDER.sub(lambda m: m.group(0).upper(), text.lower()))
    lead = len(text) - len(text.lstrip())
    spans = [{"start": s["start"] - lead, "end": s["end"] - lead, "type": s["type"]} for s in out.spans]
    return text.strip(), spans


def _same_length(original: str, restyled: str) -> str:
    # Case changes can change the length of some letters (e.g. "İ"); spans must stay exact.
    return restyled if len(restyled) == len(original) else original
