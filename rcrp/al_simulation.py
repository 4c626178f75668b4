"""Active-learning simulation: how many labels each selection strategy needs to reach 95% of the macro-F1
that labelling the whole pool gives, against random sampling, over several seeds.

    python -m rcrp.al_simulation [--pool 2000] [--test 1500] [--start 50] [--batch 50] [--seeds 5]
                                 [--target 0.95] [--out DATA_DIR/reports/active_learning.md]

The pool and the test set are generated calls with known labels (SYNTHETIC; different generator seeds).
The learner is the linear model's category part: word and character n-gram TF-IDF (fitted once on the
pool's text, no labels) into a logistic regression, retrained after each batch; strategies come from
``rcrp.labelling.active_learning``. A run starts from ``--start`` random labels (the same for every strategy
with a given seed) and stops when it reaches the target. The table gives the median and mean labels needed
with a 95% t-interval over seeds, and the ratio of each strategy's mean to random's.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from rcrp.labelling.active_learning import STRATEGIES, select


def _corpus(n: int, seed: int) -> tuple[list[str], list[str]]:
    from rcrp.training.synth.config import SynthConfig
    from rcrp.training.synth.corpus import iter_corpus

    rows = [r for chunk in iter_corpus(SynthConfig(n=n, seed=seed), workers=1) for r in chunk]
    return [r["narrative"] for r in rows], [r["category"] for r in rows]


def _learner(seed: int):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=4.0, max_iter=2000, random_state=seed)


def _run(strategy: str, seed: int, x_pool, y_pool: np.ndarray, texts: list[str], x_test, y_test: np.ndarray,
         target: float, start: int, batch: int) -> tuple[int | None, list[tuple[int, float]]]:
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(seed)
    labelled = list(rng.permutation(len(y_pool))[:start])
    curve = []
    while True:
        model = _learner(seed).fit(x_pool[labelled], y_pool[labelled])
        f1 = f1_score(y_test, model.predict(x_test), average="macro")
        curve.append((len(labelled), float(f1)))
        if f1 >= target:
            return len(labelled), curve
        rest = np.setdiff1d(np.arange(len(y_pool)), labelled)
        if len(rest) == 0:
            return None, curve
        proba = np.zeros((len(rest), len(model.classes_)))
        proba[:] = model.predict_proba(x_pool[rest])
        chosen = select(proba, min(batch, len(rest)), strategy, texts=[texts[i] for i in rest], seed=seed + len(labelled))
        labelled += rest[chosen].tolist()


def _interval(values: list[float]) -> tuple[float, float]:
    from scipy import stats

    if len(values) < 2:
        return float("nan"), float("nan")
    mean, sd = statistics.mean(values), statistics.stdev(values)
    half = stats.t.ppf(0.975, len(values) - 1) * sd / math.sqrt(len(values))
    return mean - half, mean + half


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pool", type=int, default=2000)
    ap.add_argument("--test", type=int, default=1500)
    ap.add_argument("--start", type=int, default=50)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--target", type=float, default=0.95, help="Share of the full-pool macro-F1 to reach.")
    ap.add_argument("--strategies", default=",".join(STRATEGIES))
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    strategies = [x.strip() for x in args.strategies.split(",") if x.strip()]
    unknown = sorted(set(strategies) - set(STRATEGIES))
    if unknown or "random" not in strategies:
        ap.error(f"--strategies: {', '.join(unknown) or 'random'} " + ("unknown" if unknown else "is needed (the control)"))

    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import f1_score

    from rcrp.models.settings import Settings

    started = time.perf_counter()
    texts, labels = _corpus(args.pool, seed=1001)
    test_texts, test_labels = _corpus(args.test, seed=2002)
    word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2).fit(texts)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True, min_df=2).fit(texts)
    x_pool = hstack([word.transform(texts), char.transform(texts)], format="csr")
    x_test = hstack([word.transform(test_texts), char.transform(test_texts)], format="csr")
    y_pool, y_test = np.array(labels), np.array(test_labels)
    full = f1_score(y_test, _learner(0).fit(x_pool, y_pool).predict(x_test), average="macro")
    target = args.target * full
    results: dict[str, list[int | None]] = {}
    for strategy in strategies:
        results[strategy] = []
        for seed in range(args.seeds):
            needed, _ = _run(strategy, seed, x_pool, y_pool, texts, x_test, y_test, target, args.start, args.batch)
            results[strategy].append(needed)
            print(f"{strategy} seed {seed}: {needed} labels", file=sys.stderr)

    random_mean = statistics.mean(v if v is not None else args.pool for v in results["random"])
    lines = [f"Active-learning simulation (SYNTHETIC pool of {args.pool:,} and test set of {args.test:,} generated "
             f"calls). Command: `python -m rcrp.al_simulation {' '.join(argv if argv is not None else sys.argv[1:])}`. "
             f"{platform.machine()}, {os.cpu_count()} cores; {time.perf_counter() - started:.0f} s.",
             "", f"Full-pool macro-F1 {full:.3f}; target {args.target:.0%} of it = {target:.3f}. Runs start from "
             f"{args.start} random labels and add {args.batch} per round; {args.seeds} seeds.", "",
             "| strategy | labels needed (median) | mean | 95% CI of the mean | runs reaching the target | mean / random |",
             "|---|---:|---:|---|---:|---:|"]
    summary = {}
    for strategy, values in results.items():
        reached = [v for v in values if v is not None]
        filled = [v if v is not None else args.pool for v in values]  # a run that never got there needed the pool
        low, high = _interval([float(v) for v in filled])
        mean = statistics.mean(filled)
        summary[strategy] = {"median": statistics.median(filled), "mean": mean, "ci": [low, high],
                             "reached": len(reached), "runs": len(values), "ratio_to_random": mean / random_mean}
        lines.append(f"| {strategy} | {statistics.median(filled):,.0f} | {mean:,.0f} | [{low:,.0f}, {high:,.0f}] | "
                     f"{len(reached)}/{len(values)} | {mean / random_mean:.2f} |")
    out = args.out or Settings().data_dir / "reports" / "active_learning.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps({"full_macro_f1": full, "target": target, "results": results,
                                                    "summary": summary}, indent=2), encoding="utf-8")
    print("\n".join(lines))
    return summary


if __name__ == "__main__":
    main()
