"""The synthetic corpus generator: deterministic, labelled by the guide's rule, varied, and not leaky."""

import json
from collections import Counter

import numpy as np
import pytest
from pydantic import ValidationError

from rcrp.models.call_files import load_calls
from rcrp.models.taxonomy import default_taxonomy
from rcrp.training.synth import phrasebank as pb
from rcrp.training.synth.config import REGISTERS, SynthConfig
from rcrp.training.synth.corpus import iter_corpus, write_corpus
from rcrp.training.synth.fictional_pii import nhs_check_digit, nhs_number
from rcrp.training.synth.generator import generate_record
from rcrp.training.synth.surface import compress_terse, first_person
from rcrp.training.synth.variety import corpus_report, label_leakage

TAX = default_taxonomy()


@pytest.fixture(scope="module")
def corpus():
    return [r for chunk in iter_corpus(SynthConfig(n=12_000, seed=7), workers=2) for r in chunk]


def test_same_seed_same_corpus_whatever_the_workers():
    cfg = SynthConfig(n=12_000, seed=3)
    one = [r for chunk in iter_corpus(cfg, workers=1) for r in chunk]
    two = [r for chunk in iter_corpus(cfg, workers=2) for r in chunk]
    assert one == two
    other = [r for chunk in iter_corpus(SynthConfig(n=200, seed=4), workers=1) for r in chunk]
    assert [r["narrative"] for r in other] != [r["narrative"] for r in one[:200]]
    # Seeds never share records, however large the corpus (an arithmetic seed would: 13*K + K+5 == 14*K + 5).
    big = 1_000_008
    assert generate_record(big, SynthConfig(seed=13)).narrative != generate_record(5, SynthConfig(seed=14)).narrative


def test_labels_and_attributes_are_in_the_taxonomy(corpus):
    for row in corpus:
        assert row["category"] in TAX.category_names
        assert isinstance(row["police_response_required"], bool)
        for attr in TAX.attributes:
            assert row[attr.name] in attr.values
        assert row["register"] in REGISTERS
        assert row["source"] == "synthetic"


def test_every_category_has_both_flag_values_in_realistic_shares(corpus):
    report = corpus_report(corpus)
    for name in TAX.category_names:
        share = report["categories"][name]["flag_true_share"]
        assert 0.05 < share < 0.95, (name, share)
        assert report["categories"][name]["share"] > 0.05
    assert 0.3 < report["flag_true_share"] < 0.55


def test_flag_is_true_exactly_when_the_facts_hold_a_current_risk_or_a_crime(corpus):
    # The label guide's rule, checked on every record from the facts it was built from.
    for row in corpus:
        deciding = [f for f in row["facts"] if f.startswith(("risk:", "crime:"))]
        assert row["police_response_required"] == bool(deciding), (row["id"], row["facts"])
        negated = {f.split(":")[1] for f in row["facts"] if f.startswith("negated:")}
        present = {f.split(":")[1] for f in deciding if f.startswith("risk:")}
        assert not negated & present, (row["id"], row["facts"])  # never "took an overdose" and "took nothing"
        assert not any(f.endswith(":implicit") for f in row["facts"])  # vague wording only under bias injection


def test_every_family_carries_both_flag_values_unless_it_is_a_crime(corpus):
    by_family = Counter((r["family"], r["police_response_required"]) for r in corpus)
    non_crime_families = [f.key for f in pb.FAMILIES if not f.inherent_crime]
    for key in non_crime_families:
        assert by_family[(key, True)] > 0 and by_family[(key, False)] > 0, key
    for f in pb.FAMILIES:
        if f.inherent_crime:
            assert by_family[(f.key, False)] == 0, f.key


def test_risk_words_appear_under_both_flag_values(corpus):
    # Negated and historical mentions keep risk vocabulary from giving the flag away.
    for word in ("overdose", "weapons", "self harm", "bridge", "threats", "suicid"):
        flags = Counter(r["police_response_required"] for r in corpus if word in r["narrative"].lower())
        assert flags[True] > 20 and flags[False] > 20, (word, flags)


def test_attributes_are_independent_of_labels_by_default(corpus):
    from scipy.stats import chi2_contingency

    for attr in ("age_band", "sex", "ethnicity"):
        for target in ("category", "police_response_required"):
            rows = sorted({r[attr] for r in corpus})
            cols = sorted({r[target] for r in corpus})
            table = np.array([[sum(1 for r in corpus if r[attr] == a and r[target] == c) for c in cols] for a in rows])
            p = chi2_contingency(table).pvalue
            assert p > 0.001, (attr, target, p)


SHAPES = {
    "PHONE": r"^(\+44 |\(?0)[\d() ]{9,14}$", "EMAIL": r"^[\w.]+@[\w.]+$", "NHS_NUMBER": r"^\d{3}[ -]?\d{3}[ -]?\d{4}$",
    "POSTCODE": r"^[A-Z]{1,2}\d{1,2} ?\d[A-Z]{2}$", "VEHICLE_REG": r"^[A-Z]{1,2}\d{1,3} ?[A-Z]{3}$",
    "DOB": r"\d", "REFERENCE": r"\d", "PERSON": r"^[^\W\d][\w' ,.-]*$", "ADDRESS": r"^[\w ,'-]+$",
}


def test_personal_data_spans_are_exact_and_about_a_third_carry_them(corpus):
    import re

    with_pii = [r for r in corpus if r["pii_spans"]]
    assert 0.25 < len(with_pii) / len(corpus) < 0.40
    types = Counter()
    for r in with_pii:
        previous_end = -1
        for s in sorted(r["pii_spans"], key=lambda s: s["start"]):
            value = r["narrative"][s["start"]:s["end"]]
            assert value and value == value.strip(), (r["id"], s)
            assert re.search(SHAPES[s["type"]], value, re.IGNORECASE), (s["type"], value)
            assert s["start"] >= previous_end  # no overlaps
            # A span is a whole token: it neither starts nor ends inside a word.
            before = r["narrative"][s["start"] - 1] if s["start"] else " "
            after = r["narrative"][s["end"]] if s["end"] < len(r["narrative"]) else " "
            assert not before.isalnum() and not after.isalnum(), (r["id"], value, before, after)
            previous_end = s["end"]
            types[s["type"]] += 1
    for kind in ("PERSON", "ADDRESS", "POSTCODE", "PHONE", "EMAIL", "DOB", "NHS_NUMBER", "VEHICLE_REG", "REFERENCE"):
        assert types[kind] > 10, (kind, types)
    placeholder = [r for r in corpus if not r["pii_spans"]]
    assert sum("[PERSON]" in r["narrative"] or "[ADDRESS]" in r["narrative"] for r in placeholder) > len(placeholder) * 0.2


def test_nhs_numbers_have_valid_check_digits():
    import random

    rng = random.Random(1)
    for _ in range(200):
        digits = "".join(ch for ch in nhs_number(rng) if ch.isdigit())
        assert len(digits) == 10 and nhs_check_digit(digits[:9]) == int(digits[9])


def test_variety(corpus):
    report = corpus_report(corpus)
    assert report["unique_narratives"] == len(corpus)
    assert report["distinct_2"] > 0.05 and report["distinct_3"] > 0.12
    assert report["vocabulary"] > 5_000
    assert set(report["register"]) == set(REGISTERS)
    assert len(report["family"]) == len(pb.FAMILIES)


def test_no_scaffolding_phrase_gives_a_label_away(corpus):
    # Any word n-gram in >= 2% of records that predicts a category or the flag with >= 97% purity must be one
    # of the label guide's own defining terms (KEY_TERMS); otherwise the generator's scaffolding leaks labels.
    leaks = label_leakage(corpus, min_support=0.02, purity=0.97)
    assert leaks["scaffolding_leaks"] == [], leaks["scaffolding_leaks"][:10]


def test_classifier_trained_on_some_registers_works_on_an_unseen_register(corpus):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, recall_score

    for held_out in ("terse_log", "public_report"):
        train = [r for r in corpus if r["register"] != held_out]
        test = [r for r in corpus if r["register"] == held_out]
        vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        x_train = vec.fit_transform(r["narrative"] for r in train)
        x_test = vec.transform(r["narrative"] for r in test)
        cat = LogisticRegression(max_iter=2000, C=4).fit(x_train, [r["category"] for r in train])
        f1 = f1_score([r["category"] for r in test], cat.predict(x_test), average="macro")
        flag = LogisticRegression(max_iter=2000, C=4, class_weight="balanced").fit(
            x_train, [r["police_response_required"] for r in train])
        recall = recall_score([r["police_response_required"] for r in test], flag.predict(x_test))
        assert f1 > 0.75, (held_out, f1)
        assert recall > 0.75, (held_out, recall)


def test_label_noise_rate():
    rows = [generate_record(i, SynthConfig(n=4000, seed=5, label_noise=0.2)).to_row() for i in range(4000)]
    clean = [generate_record(i, SynthConfig(n=4000, seed=5)).to_row() for i in range(4000)]
    noisy = sum(r["label_noise"] for r in rows)
    assert 0.17 < noisy / len(rows) < 0.23
    changed = sum((a["category"], a["police_response_required"]) != (b["category"], b["police_response_required"])
                  for a, b in zip(rows, clean))
    assert changed == noisy
    # Options that change labels never change who a record is about, so clean and noisy corpora pair up.
    attrs = ("age_band", "sex", "ethnicity", "narrative")
    assert [tuple(r[a] for a in attrs) for r in rows] == [tuple(r[a] for a in attrs) for r in clean]


def test_bias_injection_makes_risk_wording_implicit_for_one_group_only():
    cfg = SynthConfig(n=20_000, seed=11, bias={"attribute": "ethnicity", "value": "black", "rate": 0.8})
    rows = [r for chunk in iter_corpus(cfg, workers=2) for r in chunk]
    injected = Counter(r["ethnicity"] for r in rows if r["bias_injected"])
    crime_families = {f.key for f in pb.FAMILIES if f.inherent_crime}
    black_risk = sum(1 for r in rows if r["ethnicity"] == "black" and r["police_response_required"]
                     and r["family"] not in crime_families)
    assert injected["black"] > 0.5 * black_risk
    assert sum(v for k, v in injected.items() if k not in ("black", "not_stated")) == 0


def test_label_flip_bias():
    cfg = SynthConfig(n=10_000, seed=12, bias={"attribute": "sex", "value": "female", "effect": "label_flip", "rate": 0.5})
    rows = [r for chunk in iter_corpus(cfg, workers=1) for r in chunk]

    def share(sex):
        group = [r for r in rows if r["sex"] == sex]
        return sum(r["police_response_required"] for r in group) / len(group)

    assert share("female") < 0.75 * share("male")


@pytest.mark.parametrize("bad, where", [
    ({"pii_rate": 1.5}, "pii_rate"),
    ({"registers": ["sonnet"]}, "registers"),
    ({"bias": {"attribute": "shoe_size", "value": "9"}}, "bias.attribute"),
    ({"n": 0}, "n"),
    ({"category_weights": {"burglary": 1.0}}, "category_weights"),
    ({"colour": "blue"}, "colour"),
])
def test_config_is_validated_strictly(bad, where):
    with pytest.raises(ValidationError) as err:
        SynthConfig.model_validate(bad)
    assert where in {".".join(map(str, e["loc"])) for e in err.value.errors()}


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_written_corpus_loads_back_whole_without_rejects(tmp_path, suffix):
    # Several chunks, and a PII rate so low that the first chunk has no spans at all (schema drift).
    cfg = SynthConfig(n=12_000, seed=2, pii_rate=0.0005)
    path = tmp_path / f"corpus{suffix}"
    assert write_corpus(cfg, path, workers=2) == 12_000
    loaded = load_calls(path, taxonomy=TAX, require_labels=True)
    assert loaded.accepted == 12_000 and loaded.rejects == []
    expected = [r for chunk in iter_corpus(cfg, workers=1) for r in chunk]
    keys = ("id", "narrative", "category", "police_response_required", "age_band", "sex", "ethnicity", "register",
            "family", "pii_spans")
    assert [{k: r[k] for k in keys} for r in loaded.dataset] == [{k: r[k] for k in keys} for r in expected]
    assert sum(bool(r["pii_spans"]) for r in expected[5000:]) > 0


@pytest.mark.parametrize("template, expected", [
    ("{caller} has not been able to reach {S}.", "I have not been able to reach {S}."),
    ("{caller} does not know where {he} is.", "I do not know where {he} is."),
    ("{S} turned up at {caller}'s house.", "{S} turned up at my house."),
    ("{He} told {caller} {he} was fine.", "{He} told me {he} was fine."),
    ("the caller says {he} is safe.", "I say {he} is safe."),
])
def test_public_reports_are_in_the_first_person(template, expected):
    assert first_person(template) == expected


def test_log_shorthand_keeps_there_are():
    import random

    for seed in range(30):
        assert "There no" not in compress_terse("There are no sections in place.", random.Random(seed))
