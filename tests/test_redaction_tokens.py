"""The redaction rules read spaCy's English tokens; ``Tokenizer`` and ``PhraseTable`` must give exactly what
spaCy's tokenizer and ``PhraseMatcher(attr="LOWER")`` give, on every narrative set the project has and on
text with unusual whitespace."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import spacy
from spacy.matcher import PhraseMatcher

from rcrp.models.redaction.tokens import PhraseTable, Tokenizer
from rcrp.training.synth.config import SynthConfig
from rcrp.training.synth.corpus import iter_corpus

DATA = Path(__file__).parent / "data"
LISTS = Path(__file__).parents[1] / "models" / "redaction" / "data"
WHITESPACE = [" ", "  ", "\n", "\t", "\xa0", "\r\n", " \n ", "   ", "\n\n", "\u2028"]


def _texts() -> list[str]:
    texts = [r["narrative"] for chunk in iter_corpus(SynthConfig(n=3000, seed=17)) for r in chunk]
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts.extend(row[k] for k in ("narrative", "text") if isinstance(row.get(k), str))
    rng = random.Random(3)
    texts += ["".join(w + rng.choice(WHITESPACE) for w in t.split(" ")) for t in texts[:1500]]
    texts += [rng.choice(WHITESPACE) + t + rng.choice(WHITESPACE) for t in texts[:500]]
    texts += ["", " ", "  ", "\n", "a", " a", "a ", "a  b", ": )", "e.g. this", "Mr. Smith", "don't", "(e.g.", "U.K.",
              "10am", ":-)", "HBPoS.", "J. Smith", "ABC.", "abc.", "1990.", "Café.", "naïve, ok"]
    return texts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def test_tokens_equal_spacy_on_every_narrative_set(texts, nlp):
    ours = Tokenizer()
    for text in texts:
        doc = nlp.tokenizer(text)
        view = ours(text)
        expected = ([t.idx for t in doc], [t.text for t in doc], [t.text.lower() for t in doc],
                    [1 if t.whitespace_ else 0 for t in doc])
        assert (view.idx, view.words, view.lowers, view.space) == expected, repr(text[:120])
    # A second pass answers from the cache: still the same.
    assert [ours(t).words for t in texts[:200]] == [[x.text for x in nlp.tokenizer(t)] for t in texts[:200]]


def test_plain_stretch_shortcut_equals_spacy_on_the_word_lists(nlp):
    """The shortcut that skips spaCy for plain words, numbers and word + closing mark, on a sample of every
    packaged word in four casings with each closing mark (the full set, 3.3 million, was checked once)."""
    words = {w for path in LISTS.glob("*.txt") for line in path.read_text(encoding="utf-8").splitlines()
             for w in line.split() if w.isascii() and w.isalnum()}
    words |= {k.rstrip(".,;:!?") for k in nlp.tokenizer.rules if k.isascii()}
    rng = random.Random(11)
    sample = rng.sample(sorted(words), 4000) + [k.rstrip(".,;:!?") for k in nlp.tokenizer.rules if k.isascii()]
    ours = Tokenizer()
    checked = 0
    for word in sample:
        mixed = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in word)
        for variant in {word, word.lower(), word.upper(), word.capitalize(), mixed}:
            for stretch in (variant, *(variant + mark for mark in ",.;:!?")):
                got = ours._plain_stretch(stretch) if stretch else None
                if got is not None:
                    checked += 1
                    assert got == [t.text for t in nlp.tokenizer(stretch)], stretch
    assert checked > 50_000


def test_phrase_table_equals_spacy_phrase_matcher(texts, nlp):
    phrases = {"TITLE": ["mr", "mrs.", "staff nurse", "dr"], "RELATION": ["son", "sister in law", "mother-in-law"],
               "ROLE": ["rp", "ip", "patient"], "REF": ["cad", "crime ref", "c.a.d"], "SISTER": ["sister"]}
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for label, group in phrases.items():
        matcher.add(label, list(nlp.tokenizer.pipe(group)))
    table = PhraseTable((label, [t.text for t in nlp.tokenizer(p)]) for label, group in phrases.items() for p in group)
    ours = Tokenizer()
    found = 0
    for text in texts[:4000] + ["Her sister in law and her SISTER-IN-LAW; Mother-in-law; mr. MR Mrs. CAD c.a.d crime REF"]:
        doc = nlp.tokenizer(text)
        expected = sorted((nlp.vocab.strings[m], s, e) for m, s, e in matcher(doc))
        got = table(ours(text))
        assert sorted(got) == expected
        found += len(got)
    assert found > 1000


def test_the_spacy_tokenizer_is_renewed_so_memory_stays_flat(monkeypatch, nlp):
    from rcrp.models.redaction import tokens

    monkeypatch.setattr(tokens, "_SPACY_REBUILD", 5)
    ours = Tokenizer()
    first = ours.spacy_tokenizer()
    for i in range(8):
        ours(f"odd-stretch-{i}'s")
    assert ours.spacy_tokenizer() is not first
    assert ours("odd-stretch-1's and 2x3's").words == [t.text for t in nlp.tokenizer("odd-stretch-1's and 2x3's")]
