"""Benchmark corpus generation and redaction; writes a Markdown results table.

    python -m rcrp.training.synth.bench [--sizes 10000,100000,1000000] [--out data/reports/bench_synth.md]

Each size is generated in a fresh process tree with all cores; peak memory is the largest resident set
of the parent or any worker (from ``resource.getrusage``). Medians over ``--repeats`` runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["main"]


def _one_run(n: int, fmt: str, workers: int) -> tuple[float, float]:
    code = (
        "import resource, time, sys\n"
        "from rcrp.training.synth.config import SynthConfig\n"
        "from rcrp.training.synth.corpus import write_corpus\n"
        f"t = time.perf_counter(); write_corpus(SynthConfig(n={n}, seed=1), sys.argv[1], workers={workers})\n"
        "took = time.perf_counter() - t\n"
        "rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(took, rss / 1024)\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", code, str(Path(tmp) / f"corpus.{fmt}")],
                             capture_output=True, text=True, check=True)
    took, mib = out.stdout.split()
    return float(took), float(mib)


def _redaction_rate(n: int) -> float:
    from rcrp.models.redaction import default_redactor
    from rcrp.training.synth.config import SynthConfig
    from rcrp.training.synth.corpus import iter_corpus

    texts = [r["narrative"] for chunk in iter_corpus(SynthConfig(n=n, seed=3), workers=1) for r in chunk]
    redactor = default_redactor()
    list(redactor.redact_many(texts[:200]))  # warm up
    t = time.perf_counter()
    for _ in redactor.redact_many(texts):
        pass
    return n / (time.perf_counter() - t)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--format", default="parquet", choices=("jsonl", "csv", "parquet"))
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--redaction-sample", type=int, default=5000)
    parser.add_argument("--out", default="data/reports/bench_synth.md")
    args = parser.parse_args(argv)
    workers = os.cpu_count() or 1
    lines = [
        "| what | records | median seconds | records/s | peak RSS MiB |",
        "|---|---:|---:|---:|---:|",
    ]
    for n in (int(s) for s in args.sizes.split(",")):
        runs = [_one_run(n, args.format, workers) for _ in range(args.repeats)]
        took = statistics.median(r[0] for r in runs)
        mib = max(r[1] for r in runs)
        lines.append(f"| synth -> {args.format}, {workers} workers | {n:,} | {took:.1f} | {n / took:,.0f} | {mib:,.0f} |")
        print(lines[-1], flush=True)
    rates = [_redaction_rate(args.redaction_sample) for _ in range(max(1, args.repeats))]
    lines.append(f"| redaction, 1 process | {args.redaction_sample:,} | - | {statistics.median(rates):,.0f} | - |")
    header = (f"Machine: {platform.processor() or platform.machine()}, {workers} cores, Python "
              f"{platform.python_version()}. Command: `python -m rcrp.training.synth.bench --sizes {args.sizes}`. "
              "Data: SYNTHETIC.\n\n")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
