"""Serving benchmark: latency and throughput of ``rcrp serve`` against ``mlflow models serve`` on the same
registered model version, with the in-process time per call as the floor, and a soak run.

    python -m rcrp.serving.bench [--data-dir data] [--workers 1,2] [--levels 1,8,32] [--seconds 10]
                                 [--repeats 3] [--soak-seconds 60]

Needs a registry with a champion (``make demo`` makes one). For each worker count, both servers run as
subprocesses on loopback with that many worker processes each; the load is closed-loop (``--levels``
clients at once, each sending one narrative per request and waiting for its answer), from Debian's wrk
when installed (``make bench`` installs it), else from this process (``bench_load``). Each level runs
``--repeats`` times, the two servers alternating, and the table gives the median of the repeats. Our
figures include the audit write (the service commits each suggestion before answering); the audit goes to
a temporary database, not the data folder's. Narratives: the demo's held-out generated calls (SYNTHETIC).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from rcrp.serving.bench_load import closed_loop, load_generator

_FALLBACK = ["Patient walked out of A&E before triage, staff worried about her.",
             "Mental health unit reports patient AWOL, failed to return from s17 leave.",
             "Neighbour has not seen the elderly man next door for three days, post piling up."]


def _narratives(data_dir: Path, n: int = 2000) -> list[str]:
    path = data_dir / "synthetic" / "corpus.held_out.jsonl"
    if not path.exists():
        return _FALLBACK
    with path.open(encoding="utf-8") as f:
        return [json.loads(line)["narrative"] for line, _ in zip(f, range(n))]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {url}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server not ready: {url}")


def _rss_mib(pid: int) -> float:
    """Resident memory of a server: the process and its worker processes."""
    total = 0.0
    for p in [pid, *_children(pid)]:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return total


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _in_process_floor(settings, narratives: list[str], n: int = 400) -> dict:
    from rcrp.models.registry import load_triage_model

    model = load_triage_model(settings.model_uri, settings)
    model.suggest_for_audit(["w"], ["warm up call"])
    times = []
    for i in range(n):
        start = time.perf_counter()
        model.suggest_for_audit([str(i)], [narratives[i % len(narratives)]])  # what the service runs per call
        times.append(time.perf_counter() - start)
    q = statistics.quantiles(times, n=100, method="inclusive")
    return {"p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000, "p99_ms": q[98] * 1000, "per_second": 1 / statistics.mean(times)}


def _start(workers: int, env: dict, model_uri: str) -> tuple[dict, list[subprocess.Popen]]:
    """Both servers with ``workers`` worker processes each; returns their targets and processes."""
    ours_port, mlflow_port = _free_port(), _free_port()
    ours = subprocess.Popen([sys.executable, "-m", "rcrp", "serve", "--port", str(ours_port), "--workers", str(workers)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    theirs = subprocess.Popen([str(Path(sys.executable).parent / "mlflow"), "models", "serve", "-m", model_uri,
                               "--env-manager", "local", "-p", str(mlflow_port), "-h", "127.0.0.1", "-w", str(workers)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait(f"http://127.0.0.1:{ours_port}/ready", ours)
    _wait(f"http://127.0.0.1:{mlflow_port}/ping", theirs)
    return {"rcrp serve": (f"http://127.0.0.1:{ours_port}/v1/suggestions", ours),
            "mlflow models serve": (f"http://127.0.0.1:{mlflow_port}/invocations", theirs)}, [ours, theirs]


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _median_row(runs: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in runs) for key in ("requests", "errors", "per_second", "p50_ms",
                                                                     "p95_ms", "p99_ms")}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=Path("data"))
    ap.add_argument("--workers", default="1,2", help="Worker processes per server, one table block each.")
    ap.add_argument("--levels", default="1,8,32")
    ap.add_argument("--seconds", type=float, default=10.0, help="Per run.")
    ap.add_argument("--repeats", type=int, default=3, help="Runs per level and server; the table shows medians.")
    ap.add_argument("--soak-seconds", type=float, default=60.0)
    ap.add_argument("--out", type=Path, default=None, help="Default: DATA_DIR/reports/bench_serving.md")
    args = ap.parse_args(argv)

    from rcrp.serving.api_keys import KeyRing
    from rcrp.serving.audit import AuditStore
    from rcrp.serving.settings import ServingSettings

    scratch = Path(tempfile.mkdtemp(prefix="rcrp-bench-serving-"))
    audit_url = f"sqlite:///{scratch / 'audit.db'}"
    settings = ServingSettings(data_dir=args.data_dir, audit_url=audit_url)
    key = KeyRing(AuditStore(audit_url).engine).create("handler", "bench")[1]
    narratives = _narratives(args.data_dir)
    bodies = {"rcrp serve": ([{"narrative": n} for n in narratives], {"X-API-Key": key}),
              "mlflow models serve": ([{"dataframe_split": {"columns": ["id", "narrative"], "data": [[str(i), n]]}}
                                       for i, n in enumerate(narratives)], {})}
    env = {**os.environ, "RCRP_DATA_DIR": str(args.data_dir), "RCRP_AUDIT_URL": audit_url,
           "MLFLOW_TRACKING_URI": settings.tracking_uri(), "MLFLOW_DISABLE_TELEMETRY": "true",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    rows, soak = [], None
    for workers in [int(x) for x in args.workers.split(",")]:
        targets, procs = _start(workers, env, settings.model_uri)
        try:
            for name, (url, _) in targets.items():  # warm both (first-seen words, connections, every worker)
                closed_loop(url, *bodies[name], 8, 5)
            for level in [int(x) for x in args.levels.split(",")]:
                runs: dict[str, list[dict]] = {name: [] for name in targets}
                for repeat in range(args.repeats):
                    for name, (url, _) in targets.items():
                        print(f"{workers} worker(s), {name}: {level} clients, run {repeat + 1}...", file=sys.stderr)
                        runs[name].append(closed_loop(url, *bodies[name], level, args.seconds))
                rows += [{"server": name, "workers": workers, "clients": level, **_median_row(r)}
                         for name, r in runs.items()]
            if args.soak_seconds > 0 and workers == max(int(x) for x in args.workers.split(",")):
                mine = [r for r in rows if r["server"] == "rcrp serve" and r["workers"] == workers]
                best = max(mine, key=lambda r: r["per_second"])
                url, proc = targets["rcrp serve"]
                closed_loop(url, *bodies["rcrp serve"], best["clients"], 5)
                before = _rss_mib(proc.pid)
                print(f"soak: {best['clients']} clients for {args.soak_seconds:.0f} s...", file=sys.stderr)
                soak = {"clients": best["clients"], "workers": workers,
                        **closed_loop(url, *bodies["rcrp serve"], best["clients"], args.soak_seconds),
                        "rss_before": before, "rss_after": _rss_mib(proc.pid)}
        finally:
            _stop(procs)
    floor = _in_process_floor(settings, narratives)

    command = " ".join(argv if argv is not None else sys.argv[1:])
    lines = [f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. Command: "
             f"`python -m rcrp.serving.bench {command}`. Model {settings.model_uri} trained on SYNTHETIC data; "
             f"narratives SYNTHETIC. Load generator: {load_generator()}, closed loop, on the same machine. "
             f"Each row: median of {args.repeats} runs of {args.seconds:.0f} s, the two servers alternating.", "",
             "| server | workers | concurrent clients | requests | errors | requests/s | p50 ms | p95 ms | p99 ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        name = "rcrp serve (with audit write)" if r["server"] == "rcrp serve" else r["server"]
        lines.append(f"| {name} | {r['workers']} | {r['clients']} | {r['requests']:,.0f} | {r['errors']:.0f} | "
                     f"{r['per_second']:,.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} |")
    lines.append(f"| in-process `suggest_for_audit` (floor, no HTTP, no audit) | 1 | 1 | 400 | 0 | "
                 f"{floor['per_second']:,.0f} | {floor['p50_ms']:.1f} | {floor['p95_ms']:.1f} | {floor['p99_ms']:.1f} |")
    lines.append("")
    for workers in sorted({r["workers"] for r in rows}):
        for level in sorted({r["clients"] for r in rows}):
            ours_r = next(r for r in rows if (r["workers"], r["clients"], r["server"]) == (workers, level, "rcrp serve"))
            theirs_r = next(r for r in rows
                            if (r["workers"], r["clients"], r["server"]) == (workers, level, "mlflow models serve"))
            lines.append(f"- {workers} worker(s), {level} clients: rcrp serve / mlflow models serve throughput "
                         f"{ours_r['per_second'] / theirs_r['per_second']:.2f}x.")
    if soak:
        growth = (soak["rss_after"] - soak["rss_before"]) / soak["rss_before"]
        lines += ["", f"Soak: {soak['clients']} clients for {args.soak_seconds:.0f} s on rcrp serve with "
                      f"{soak['workers']} worker(s): {soak['requests']:,} requests, {soak['errors']} errors, "
                      f"{soak['per_second']:,.0f}/s, p99 {soak['p99_ms']:.1f} ms; server memory "
                      f"{soak['rss_before']:.0f} -> {soak['rss_after']:.0f} MiB ({growth:+.1%})."]
    out = args.out or args.data_dir / "reports" / "bench_serving.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
