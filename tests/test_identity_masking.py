"""Protected-characteristic words are taken out of what a model reads, and a model keeps its list."""

from __future__ import annotations

import pytest

from rcrp.models.identity_masking import IdentityMasker, load_descriptors, model_input, neutralise_gender
from rcrp.models.taxonomy import default_taxonomy
from rcrp.models.triage_model import DecisionPolicy, TriageModel
from rcrp.training.linear import LinearTriageEstimator
from rcrp.training.synth.config import SynthConfig
from rcrp.training.synth.corpus import iter_corpus

MASK = IdentityMasker(load_descriptors())


@pytest.mark.parametrize("text,expected", [
    ("Caller says the man is Polish and drunk.", "Caller says the man is and drunk."),
    ("WHITE BRITISH MALE, IC1", " MALE, "),
    ("Black-British woman, Muslim", " woman, "),
    ("a black man in a black jacket near the white van", "a man in a black jacket near the white van"),
    ("British Transport Police and Welsh Ambulance Service attending", None),
    ("Jehovah's Witness family; Irish Traveller site", " family; site"),
    ("Sikhism", None),  # whole words only
    ("Christian Smith, a Christian", "Christian Smith, a "),  # a capitalised word next: a name, left to redaction
])
def test_descriptors_are_masked_and_nothing_else(text, expected):
    assert MASK.mask(text) == (expected if expected is not None else text)


def test_masking_is_idempotent_and_extendable(tmp_path):
    once = MASK.mask("He is Somali, his partner is Irish.")
    assert MASK.mask(once) == once == "He is , his partner is ."
    extra = tmp_path / "extra.txt"
    extra.write_text("# local communities\nshetlander\n", encoding="utf-8")
    assert IdentityMasker(load_descriptors(extra)).mask("A Shetlander") == "A "
    with pytest.raises(FileNotFoundError, match="identity descriptors file not found"):
        load_descriptors(tmp_path / "missing.txt")


def test_gendered_words_are_neutralised_after_redaction_keeps_its_cues():
    assert neutralise_gender("She told her son that his Wife was with him.") == (
        "they told their child that their spouse was with their.")
    swapped = [model_input([t], MASK, lambda x: x)[0] for t in ("He hit her.", "She hit him.")]
    assert swapped[0] == swapped[1]
    # The redactor sees the original words (its cue "her son" finds the name), the model the neutral ones.
    seen = []
    out = model_input(["Her Polish son John is missing"], MASK, lambda x: seen.extend(x) or ["Her son [PERSON] is missing"])
    assert seen == ["Her son John is missing"] and out == ["their child [PERSON] is missing"]


def test_a_model_keeps_its_list_and_scores_identity_variants_identically(tmp_path):
    tax = default_taxonomy()
    rows = [r for chunk in iter_corpus(SynthConfig(n=600, seed=5), workers=1) for r in chunk]
    texts = MASK.mask_many(r["narrative"] for r in rows)
    est = LinearTriageEstimator(categories=tax.category_names, max_word_features=5000, max_char_features=5000).fit(
        texts, [r["category"] for r in rows], [r["police_response_required"] for r in rows])
    model = TriageModel(est.scorer_, DecisionPolicy(threshold=0.3), taxonomy_id=tax.label_id, flag_name=tax.flag_name,
                        identity_terms=MASK.terms)
    again = TriageModel.load(model.save(tmp_path / "m"))
    assert again.masker is not None and again.masker.terms == MASK.terms
    base = "Neighbour reports the man upstairs, who is {}, has not been seen for three days."
    scores = {s.police_response_score for s in again.suggest(["1", "2", "3"], [base.format(t) for t in
                                                                              ("Polish", "Somali", "White British")])}
    assert len(scores) == 1


def test_the_safety_guard_reads_the_narrative_before_gendered_words_are_neutralised(tmp_path):
    from rcrp.models.safety_guard import SafetyGuard

    rows = [r for chunk in iter_corpus(SynthConfig(n=300, seed=6), workers=1) for r in chunk]
    tax = default_taxonomy()
    est = LinearTriageEstimator(categories=tax.category_names, max_word_features=3000, max_char_features=3000).fit(
        [r["narrative"] for r in rows], [r["category"] for r in rows], [r["police_response_required"] for r in rows])
    model = TriageModel(est.scorer_, DecisionPolicy(threshold=0.99), taxonomy_id=tax.label_id,
                        flag_name=tax.flag_name, identity_terms=MASK.terms)
    text = "Her husband says she has taken an overdose of her tablets tonight."
    rules = {h.reason for h in SafetyGuard().check(model.redact([text])[0])}
    shown = {r.text for r in model.suggest(["1"], [text])[0].reasons if r.kind == "safety_rule"}
    assert rules and shown == rules


def test_the_quick_no_descriptor_test_never_skips_a_narrative_the_full_patterns_would_change():
    """``mask`` skips the patterns when no descriptor's key word is a word of the text; on generated calls with
    descriptors inserted in every casing, the result equals running every pattern on every text."""
    import random

    from rcrp.models import identity_masking as im

    def every_pattern(text):
        out = im._IC_CODE.sub("", im._COLOUR_PHRASE.sub("", MASK._terms.sub("", text)))
        return text if out == text else im._SPACES.sub(" ", out)

    rng = random.Random(2)
    texts = [r["narrative"] for chunk in iter_corpus(SynthConfig(n=800, seed=9), workers=1) for r in chunk]
    for text in texts[:600]:
        words = text.split()
        for _ in range(2):
            term = rng.choice(MASK.terms + ["black male", "white-woman", "ic3", "ic 1", "not religious"])
            words.insert(rng.randrange(len(words) + 1), rng.choice([term, term.title(), term.upper()]))
        texts.append(" ".join(words))
    changed = 0
    for text in texts:
        assert MASK.mask(text) == every_pattern(text), text
        changed += MASK.mask(text) != text
    assert changed >= 500
