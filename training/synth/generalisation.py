"""Does a plain classifier trained on the synthetic corpus work on narratives written by other people?

The check trains TF-IDF + logistic regression (a deliberately simple baseline, not the project's model) on
a generated corpus, picks the flag threshold on *generated* validation data to reach a target recall, and
scores independent, hand-written narratives (``tests/data/independent_narratives.jsonl``). It measures the
corpus, not a model: a generator that only teaches its own templates scores badly here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from rcrp.training.synth.config import SynthConfig
from rcrp.training.synth.corpus import iter_corpus

__all__ = ["independent_check"]


def _threshold_for_recall(scores: np.ndarray, truth: np.ndarray, target: float) -> float:
    positives = np.sort(scores[truth])
    k = int(np.floor((1 - target) * len(positives)))
    return float(positives[k]) if len(positives) else 0.5


def independent_check(
    narratives: str | Path, *, split: str = "test", n: int = 30_000, seed: int = 101, target_recall: float = 0.98,
) -> dict[str, Any]:
    """Train the baseline on ``n`` generated records and score the independent file's ``split``."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, precision_score, recall_score
    from sklearn.pipeline import make_union

    rows = [r for chunk in iter_corpus(SynthConfig(n=n, seed=seed), workers=None) for r in chunk]
    cut = int(0.85 * len(rows))
    train, valid = rows[:cut], rows[cut:]
    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=3, sublinear_tf=True, max_features=200_000),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=5, sublinear_tf=True, max_features=200_000),
    )
    x_train = features.fit_transform([r["narrative"] for r in train])
    category = LogisticRegression(max_iter=3000, C=2).fit(x_train, [r["category"] for r in train])
    flag = LogisticRegression(max_iter=3000, C=2, class_weight="balanced").fit(
        x_train, [r["police_response_required"] for r in train])
    valid_scores = flag.predict_proba(features.transform([r["narrative"] for r in valid]))[:, 1]
    threshold = _threshold_for_recall(valid_scores, np.array([r["police_response_required"] for r in valid]),
                                      target_recall)

    items = [json.loads(line) for line in Path(narratives).read_text(encoding="utf-8").splitlines() if line.strip()]
    items = [i for i in items if i.get("split") == split]
    x = features.transform([i["narrative"] for i in items])
    gold_cat = [i["category"] for i in items]
    gold_flag = np.array([bool(i["police_response_required"]) for i in items])
    predicted_flag = flag.predict_proba(x)[:, 1] >= threshold
    by_style: dict[str, dict[str, float]] = {}
    predicted_cat = category.predict(x)
    for style in sorted({i["style"] for i in items}):
        idx = [k for k, i in enumerate(items) if i["style"] == style]
        by_style[style] = {
            "n": len(idx),
            "category_accuracy": round(float(np.mean([predicted_cat[k] == gold_cat[k] for k in idx])), 3),
        }
    return {
        "data": "baseline trained on SYNTHETIC data; scored on independent hand-written narratives",
        "split": split, "n": len(items), "train_rows": len(train), "seed": seed,
        "category_macro_f1": round(float(f1_score(gold_cat, predicted_cat, average="macro")), 3),
        "category_accuracy": round(float(np.mean(predicted_cat == np.array(gold_cat))), 3),
        "flag_threshold": round(threshold, 4), "flag_target_recall_on_synthetic": target_recall,
        "flag_recall": round(float(recall_score(gold_flag, predicted_flag)), 3),
        "flag_precision": round(float(precision_score(gold_flag, predicted_flag, zero_division=0)), 3),
        "flag_positives": int(gold_flag.sum()),
        "by_style": by_style,
    }
