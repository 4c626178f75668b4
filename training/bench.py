"""Benchmarks for issue 3, written as a Markdown table (never timed tests):

    python -m rcrp.training.bench [--sizes 10000,100000] [--quality-rows 12000] [--out data/reports/bench_models.md]

1. Training time and peak memory of the linear model's final fit (vectorisers and both heads) on n
   generated narratives, each size in a fresh process (peak RSS of that process).
2. Batch prediction throughput including redaction, per model, with 1 and 2 worker processes.
3. Quality side by side, trained on the same rows and scored on the same held-out register and on the
   independent hand-written narratives: this project's models against plain peers (scikit-learn's
   default TF-IDF + LogisticRegression, spaCy's bag-of-words textcat, SetFit-style MiniLM + logistic head).

All data is SYNTHETIC except the independent narratives (hand-written, 160 in the test split).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _corpus(n: int, seed: int) -> list[dict]:
    from rcrp.training.synth.config import SynthConfig
    from rcrp.training.synth.corpus import iter_corpus

    return [r for chunk in iter_corpus(SynthConfig(n=n, seed=seed)) for r in chunk]


# -- 1. training time -------------------------------------------------------------------------------
def _train_child(n: int) -> None:
    from rcrp.models.taxonomy import default_taxonomy
    from rcrp.training.linear import LinearTriageEstimator

    rows = _corpus(n, 101)
    texts = [r["narrative"] for r in rows]
    start = time.perf_counter()
    LinearTriageEstimator(categories=default_taxonomy().category_names, c=4.0).fit(
        texts, [r["category"] for r in rows], [r["police_response_required"] for r in rows])
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": n, "seconds": took, "peak_mib": peak}))


def bench_training(sizes: list[int]) -> list[dict]:
    out = []
    for n in sizes:
        proc = subprocess.run([sys.executable, "-m", "rcrp.training.bench", "--train-child", str(n)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            out.append({"n": n, "error": proc.stderr.strip().splitlines()[-1:]})
            continue
        out.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return out


# -- 2. prediction throughput -----------------------------------------------------------------------
def bench_prediction(model_dirs: dict[str, Path], texts: list[str], workers: tuple[int, ...] = (1, 2),
                     repeats: int = 3) -> list[dict]:
    """Narratives per second through ``SuggestionPool`` (redaction, scoring, reasons, output rows), as
    ``rcrp predict --workers N`` runs. Every run uses fresh worker processes, loaded and warmed on one call
    before the clock starts, so each starts with the same cold caches; the median of ``repeats`` runs is
    reported with the slowest and fastest."""
    from rcrp.models.suggestion_pool import SuggestionPool
    from rcrp.models.triage_model import TriageModel

    rows = []
    for name, model_dir in model_dirs.items():
        model = TriageModel.load(model_dir)
        sample = texts if name == "linear" else texts[: max(200, len(texts) // 20)]
        batches = [([str(i) for i in range(len(sample[i:i + 500]))], sample[i:i + 500]) for i in range(0, len(sample), 500)]
        for w in workers:
            rates = []
            for _ in range(repeats):
                with SuggestionPool(model, workers=w, in_process=False) as pool:
                    start = time.perf_counter()
                    done = sum(len(r) for r in pool.rows(batches))
                    rates.append(done / (time.perf_counter() - start))
            rows.append({"model": name, "workers": w, "narratives": done, "per_second": float(np.median(rates)),
                         "slowest": min(rates), "fastest": max(rates), "runs": repeats})
    return rows


# -- 3. quality side by side ------------------------------------------------------------------------
def _flag_stats(y: np.ndarray, score: np.ndarray, threshold: float) -> dict:
    from rcrp.eval.metrics import flag_metrics, recall_at_precision

    m = flag_metrics(y, score >= threshold)
    return {"recall": m["recall"]["value"], "precision": m["precision"]["value"],
            "recall_at_p80": recall_at_precision(y, score, 0.8)}


def _peer_sklearn(train, test_sets, categories):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer()
    x = vec.fit_transform(train["texts"])
    cat = LogisticRegression(max_iter=1000).fit(x, train["cats"])
    flag = LogisticRegression(max_iter=1000).fit(x, train["flags"])
    out = {}
    for name, t in test_sets.items():
        xt = vec.transform(t["texts"])
        out[name] = (cat.predict(xt), flag.predict_proba(xt)[:, 1], 0.5)
    return out


def _peer_spacy(train, test_sets, categories, epochs: int = 4):
    import random

    import spacy
    from spacy.training import Example

    out = {}
    models = {}
    for target in ("cats", "flags"):
        nlp = spacy.blank("en")
        tc = nlp.add_pipe("textcat", config={"model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True,
                                                       "ngram_size": 2, "no_output_layer": False}})
        labels = list(categories) if target == "cats" else ["police", "partner"]
        for label in labels:
            tc.add_label(label)
        examples = []
        for text, y in zip(train["texts"], train[target]):
            gold = {l: 0.0 for l in labels}
            gold[y if target == "cats" else ("police" if y else "partner")] = 1.0
            examples.append(Example.from_dict(nlp.make_doc(text), {"cats": gold}))
        optimizer = nlp.initialize(lambda: examples)
        rng = random.Random(0)
        for _ in range(epochs):
            rng.shuffle(examples)
            for i in range(0, len(examples), 64):
                nlp.update(examples[i:i + 64], sgd=optimizer)
        models[target] = nlp
    for name, t in test_sets.items():
        docs_c = list(models["cats"].pipe(t["texts"]))
        docs_f = list(models["flags"].pipe(t["texts"]))
        out[name] = (np.array([max(d.cats, key=d.cats.get) for d in docs_c]),
                     np.array([d.cats["police"] for d in docs_f]), 0.5)
    return out


def _peer_setfit(train, test_sets, categories, emb_cache):
    from sklearn.linear_model import LogisticRegression

    cat = LogisticRegression(max_iter=2000).fit(emb_cache["train"], train["cats"])
    flag = LogisticRegression(max_iter=2000).fit(emb_cache["train"], train["flags"])
    return {name: (cat.predict(emb_cache[name]), flag.predict_proba(emb_cache[name])[:, 1], 0.5) for name in test_sets}


def bench_quality(n_rows: int, held_out_register: str, families: tuple[str, ...]) -> tuple[list[dict], dict]:
    from rcrp.eval.metrics import category_metrics
    from rcrp.models.settings import Settings
    from rcrp.models.taxonomy import default_taxonomy
    from rcrp.training.config import load_train_config
    from rcrp.training.train import TrainingData, load_eval_data, model_texts, train_model

    tax = default_taxonomy()
    categories = tax.category_names
    rows = _corpus(n_rows, 202)
    settings = Settings()
    # What every model reads, ours and the peers: masked, redacted, gender-neutralised, as in training.
    texts = model_texts(settings, [r["narrative"] for r in rows])
    reg = np.array([r["register"] for r in rows])
    tr, te = np.flatnonzero(reg != held_out_register), np.flatnonzero(reg == held_out_register)
    train = {"texts": [texts[i] for i in tr], "cats": [rows[i]["category"] for i in tr],
             "flags": np.array([rows[i]["police_response_required"] for i in tr]), "groups": [reg[i] for i in tr]}
    settings = Settings()
    independent = load_eval_data(settings, ROOT / "tests" / "data" / "independent_narratives.jsonl", split="test")
    test_sets = {
        f"held-out register ({held_out_register})": {"texts": [texts[i] for i in te], "cats": [rows[i]["category"] for i in te],
                                                     "flags": np.array([rows[i]["police_response_required"] for i in te])},
        "independent narratives (test)": {"texts": independent.texts, "cats": independent.categories,
                                          "flags": independent.flags},
    }
    results = {}
    timings = {}
    data = TrainingData([str(i) for i in tr], train["texts"], train["cats"], train["flags"], train["groups"],
                        {"source": "bench", "synthetic": True, "sha256": "-", "rows": len(tr), "group_by": "register"})
    emb_cache = None
    for kind in families:
        cfg = load_train_config(None, model=kind)
        start = time.perf_counter()
        res = train_model(settings, cfg, data, config_text="bench", log_to_mlflow=False,
                          progress=lambda m: print(f"  [{kind}] {m}", file=sys.stderr))
        timings[f"rcrp {kind}"] = time.perf_counter() - start
        label = f"rcrp {kind}" + ("" if res.report["model_kind"] in (kind, "minilm") else f" (kept {res.report['model_kind']})")
        results[label] = {name: (np.array([categories[i] for i in res.model.scorer.score(t["texts"])[0].argmax(1)]),
                                 res.model.scorer.score(t["texts"])[1], res.model.policy.threshold)
                          for name, t in test_sets.items()}
    start = time.perf_counter()
    results["sklearn TF-IDF + LogisticRegression (defaults)"] = _peer_sklearn(train, test_sets, categories)
    timings["sklearn TF-IDF + LogisticRegression (defaults)"] = time.perf_counter() - start
    start = time.perf_counter()
    results["spaCy textcat (bag of words, 4 epochs)"] = _peer_spacy(train, test_sets, categories)
    timings["spaCy textcat (bag of words, 4 epochs)"] = time.perf_counter() - start
    if "transformer" in families or "ensemble" in families:
        from rcrp.models.minilm_scorer import MiniLMEncoder

        enc = MiniLMEncoder()
        start = time.perf_counter()
        emb_cache = {"train": enc.embed(train["texts"]), **{name: enc.embed(t["texts"]) for name, t in test_sets.items()}}
        results["SetFit-style MiniLM + logistic head (no fine-tuning)"] = _peer_setfit(train, test_sets, categories, emb_cache)
        timings["SetFit-style MiniLM + logistic head (no fine-tuning)"] = time.perf_counter() - start
    table = []
    for model, per_set in results.items():
        for set_name, (pred, score, threshold) in per_set.items():
            t = test_sets[set_name]
            f1 = category_metrics(t["cats"], list(pred), categories, n_boot=0)["macro_f1"]["value"]
            table.append({"model": model, "evaluated_on": set_name, "n": len(t["texts"]), "macro_f1": f1,
                          "threshold": threshold, **_flag_stats(t["flags"], np.asarray(score), threshold),
                          "train_seconds": timings.get(model.split(" (kept")[0], float("nan"))})
    return table, {"train_rows": len(tr), "held_out_rows": len(te)}


def _fmt(v, digits=3):
    if v is None:
        return "-"
    if isinstance(v, float):
        return "-" if v != v else f"{v:.{digits}f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--predict-rows", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=3, help="Prediction runs per setting (median reported).")
    ap.add_argument("--quality-rows", type=int, default=12_000)
    ap.add_argument("--held-out-register", default="public_report")
    ap.add_argument("--families", default="linear,transformer,ensemble")
    ap.add_argument("--out", default="data/reports/bench_models.md")
    ap.add_argument("--parts", default="training,quality,prediction", help="Which parts to run (comma-separated).")
    ap.add_argument("--train-child", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.train_child:
        _train_child(args.train_child)
        return
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    command = "python -m rcrp.training.bench " + " ".join(a for a in (argv or sys.argv[1:]))
    lines = [f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
             f"Command: `{command.strip()}`. Data: SYNTHETIC except the independent narratives.", ""]
    parts = set(args.parts.split(","))
    sizes = [int(s) for s in args.sizes.split(",") if s] if "training" in parts else []
    print("training time...", file=sys.stderr)
    training = bench_training(sizes)
    lines += ["**Training (linear, final fit: vectorisers and both heads; generated narratives)**", "",
              "| rows | seconds | rows/s | peak RSS MiB |", "|---:|---:|---:|---:|"]
    for r in training:
        if "error" in r:
            lines.append(f"| {r['n']:,} | failed: {r['error']} | | |")
        else:
            lines.append(f"| {r['n']:,} | {r['seconds']:.1f} | {r['n'] / r['seconds']:,.0f} | {r['peak_mib']:.0f} |")
    families = tuple(f for f in args.families.split(",") if f)
    print("quality...", file=sys.stderr)
    table, sizes_info = bench_quality(args.quality_rows, args.held_out_register, families) if "quality" in parts \
        else ([], {"train_rows": 0})
    lines += ["", f"**Quality side by side** (trained on {sizes_info['train_rows']:,} generated rows of the other "
              f"registers; thresholds: ours chosen on training folds for 98% recall, peers 0.5 as shipped)", "",
              "| model | evaluated on | n | macro-F1 | flag recall | flag precision | recall at precision 0.8 | train s |",
              "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in table:
        lines.append(f"| {r['model']} | {r['evaluated_on']} | {r['n']:,} | {_fmt(r['macro_f1'])} | {_fmt(r['recall'])} | "
                     f"{_fmt(r['precision'])} | {_fmt(r['recall_at_p80'])} | {_fmt(r['train_seconds'], 0)} |")
    print("prediction throughput...", file=sys.stderr)
    from rcrp.models.settings import Settings
    from rcrp.training.config import load_train_config
    from rcrp.training.train import load_training_data, train_model

    model_dirs = {}
    tmp = Path(args.out).parent / "bench_models"  # small models trained for the throughput runs
    kinds = ("linear", "transformer") if "transformer" in families else ("linear",)
    for kind in kinds if "prediction" in parts else ():
        cfg = load_train_config(None, model=kind, data={"synthetic_rows": 3000, "synthetic_seed": 5},
                                linear={"c_grid": [4.0]}, transformer={"c_grid": [10.0]})
        settings = Settings()
        res = train_model(settings, cfg, load_training_data(settings, cfg), config_text="bench", log_to_mlflow=False,
                          model_dir=tmp / kind)
        model_dirs[kind] = res.model_dir
    texts = [r["narrative"] for r in _corpus(args.predict_rows, 303)] if model_dirs else []
    pred = bench_prediction(model_dirs, texts, repeats=args.repeats)
    lines += ["", "**Batch prediction including redaction** (suggestions with reasons; raw narratives in; fresh "
              "worker processes per run, median of the runs with the slowest and fastest)", "",
              "| model | worker processes | narratives | narratives/s (median) | slowest – fastest | runs |",
              "|---|---:|---:|---:|---:|---:|"]
    for r in pred:
        lines.append(f"| {r['model']} | {r['workers']} | {r['narratives']:,} | {r['per_second']:,.0f} | "
                     f"{r['slowest']:,.0f} – {r['fastest']:,.0f} | {r['runs']} |")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
