"""The safety guard (rcrp.models.safety_guard): explicit current risk fires; negated or historical does not."""

from __future__ import annotations

import pytest

from rcrp.models.safety_guard import GUARD_RULES, SafetyGuard

GUARD = SafetyGuard()

FIRES = [
    ("Male in the kitchen holding a large knife and shouting.", "weapon"),
    ("RP states her son is armed with a machete in the street.", "weapon"),
    ("IP has barricaded herself in w/ a Stanley knife.", "weapon"),
    ("He was seen with a broken bottle in his hand outside the pub.", "weapon"),
    ("Staff found her with a ligature in the bathroom.", "ligature"),
    ("She has tied a scarf around her neck and locked the door.", "ligature"),
    ("He says he has a rope and is going to hang himself tonight.", "ligature"),
    ("Caller says her daughter has taken an overdose of paracetamol.", "overdose_taken"),
    ("He has taken 30 sertraline tablets in the last hour.", "overdose_taken"),
    ("Empty blister packs were found next to him on the bed.", "overdose_taken"),
    ("Female sitting on the railings of the bridge over the A64.", "height_or_railway"),
    ("A man is walking along the railway line near the station.", "height_or_railway"),
    ("She is on the wrong side of the fence at the reservoir.", "height_or_railway"),
    ("He is threatening to jump from the multi-storey.", "height_or_railway"),
    ("Caller's ex-partner is threatening to kill her and the children.", "threat_to_kill"),
    ("FEMALE SAID SHE WILL STAB HER GIRLFRIEND IF SHE SEES THEM.", "threat_to_kill"),
    ("[PERSON] says he is going to kill [PERSON] when he gets out.", "threat_to_kill"),
]

SILENT = [
    "No weapons seen or mentioned.",
    "He denies having a knife and was searched by security.",
    "She has a history of carrying knives, none recently.",
    "He was previously found with a knife in 2019.",
    "IP has a hx of carrying knives.",
    "Warning marker for weapons at the address from a previous incident.",
    "No ligature found; she is calm and talking.",
    "She attempted to hang herself some time ago.",
    "She took an overdose last summer but nothing to suggest that today.",
    "He has not taken any tablets tonight.",
    "History of overdoses, the last one in 2017.",
    "She is not at any height and is away from the road.",
    "He was found on the motorway last summer.",
    "Loud music from a house on Bridge Street every night.",
    "He has been talked down from the edge of the dual carriageway before.",
    "She is on the line and engaging with the call handler.",
    "He has previous convictions for threats to kill.",
    "No threats to kill have been made.",
    "The kitchen knife drawer was locked by staff last week as a precaution.",
]


@pytest.mark.parametrize(("text", "rule"), FIRES)
def test_explicit_current_risk_fires_with_its_reason(text, rule):
    hits = GUARD.check(text)
    assert rule in {h.rule for h in hits}, text
    hit = next(h for h in hits if h.rule == rule)
    assert hit.reason and 0 <= hit.start < hit.end <= len(text)


@pytest.mark.parametrize("text", SILENT)
def test_negated_historical_and_unrelated_mentions_do_not_fire(text):
    assert GUARD.check(text) == [], text


def test_a_current_risk_after_a_negated_one_still_fires():
    text = "No weapons seen earlier. UPDATE 02:10 he now has a knife in his hand."
    assert [h.rule for h in GUARD.check(text)] == ["weapon"]


def test_rules_have_unique_ids_and_reasons():
    ids = [r[0] for r in GUARD_RULES]
    assert len(ids) == len(set(ids))
    assert all(reason for _, reason, _ in GUARD_RULES)


def test_guard_agrees_with_the_generators_facts():
    """On generated calls whose label is 'no police response', the guard almost never fires; on calls with a
    stated current risk of a kind it covers, it usually does. (The guard's phrases were not copied from the
    generator; this is a consistency check between two independent descriptions of the same rule.)"""
    from rcrp.training.synth.config import SynthConfig
    from rcrp.training.synth.corpus import iter_corpus

    rows = [r for chunk in iter_corpus(SynthConfig(n=4000, seed=2024), workers=1) for r in chunk]
    negatives = [r for r in rows if not r["police_response_required"]]
    fired = sum(bool(GUARD.check(r["narrative"])) for r in negatives)
    assert fired / len(negatives) < 0.005, fired
    covered = ("weapon", "ligature")
    present = [r for r in rows if any(f"risk:{k}:present" in r["facts"] for k in covered)]
    caught = sum(bool(GUARD.check(r["narrative"])) for r in present)
    assert caught / len(present) > 0.9, (caught, len(present))


def test_the_lower_case_patterns_fire_exactly_where_the_case_blind_ones_do():
    """The guard matches lower-cased text with lower-cased patterns (for speed); on generated calls in every
    casing it must fire at the same places as the case-blind patterns on the text as written."""
    import random
    import re

    from rcrp.models import safety_guard as sg
    from rcrp.training.synth.config import SynthConfig
    from rcrp.training.synth.corpus import iter_corpus

    class CaseBlindGuard(SafetyGuard):
        def __init__(self):
            super().__init__()
            self._compiled = [(rule, reason, regex, None, triggers) for rule, reason, regex, _, triggers in self._compiled]

    rng = random.Random(4)
    texts = [r["narrative"] for chunk in iter_corpus(SynthConfig(n=1500, seed=12), workers=1) for r in chunk]
    texts += [t.upper() for t in texts[:300]] + ["".join(c.swapcase() if rng.random() < .3 else c for c in t)
                                                 for t in texts[300:600]]
    fast, blind = SafetyGuard(), CaseBlindGuard()
    fired = 0
    for text in texts:
        assert fast.check(text) == blind.check(text), text
        fired += bool(fast.check(text))
    assert fired > 100
    assert all(isinstance(p, re.Pattern) for p in sg._CONTEXT_LOWER)
