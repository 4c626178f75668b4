"""Serving benchmark: latency and throughput of ``rcrp serve`` against ``mlflow models serve`` on the same
registered model version, with the in-process ``suggest`` time as the floor, and a soak run.

    python -m rcrp.serving.bench [--data-dir data] [--levels 1,8,32] [--seconds 10] [--soak-seconds 60]

Needs a registry with a champion (``make demo`` makes one). Both servers run as subprocesses on loopback
with one worker process each; the load comes from this process (asyncio, httpx), ``--levels`` clients at
once, each sending one narrative per request and waiting for its answer. Levels alternate between the two
servers so that both see the same machine. Our figures include the audit write (the service commits each
suggestion before answering); the audit goes to a temporary database, not the data folder's.
Narratives: the demo's held-out generated calls (SYNTHETIC).
"""

from __future__ import annotations

import argparse
import asyncio
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
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _load(url: str, body, headers: dict, clients: int, seconds: float) -> dict:
    """``clients`` closed-loop clients for ``seconds``; ``body(i)`` is the JSON of request i."""
    latencies: list[float] = []
    errors = 0
    counter = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(headers=headers, timeout=30, limits=limits) as client:
        async def one_client() -> None:
            nonlocal errors, counter
            while time.perf_counter() < deadline:
                counter += 1
                start = time.perf_counter()
                try:
                    r = await client.post(url, json=body(counter))
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - start)
                else:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        took = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [float("nan")] * 99
    return {"requests": len(latencies), "errors": errors, "per_second": len(latencies) / took,
            "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000, "p99_ms": q[98] * 1000}


def _in_process_floor(settings, narratives: list[str], n: int = 400) -> dict:
    from rcrp.models.registry import load_triage_model

    model = load_triage_model(settings.model_uri, settings)
    model.suggest(["w"], ["warm up call"])
    times = []
    for i in range(n):
        start = time.perf_counter()
        model.suggest([str(i)], [narratives[i % len(narratives)]])
        times.append(time.perf_counter() - start)
    q = statistics.quantiles(times, n=100, method="inclusive")
    return {"p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000, "p99_ms": q[98] * 1000, "per_second": 1 / statistics.mean(times)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=Path("data"))
    ap.add_argument("--levels", default="1,8,32")
    ap.add_argument("--seconds", type=float, default=10.0, help="Per level and server.")
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
    env = {**os.environ, "RCRP_DATA_DIR": str(args.data_dir), "RCRP_AUDIT_URL": audit_url,
           "MLFLOW_TRACKING_URI": settings.tracking_uri(), "MLFLOW_DISABLE_TELEMETRY": "true",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    ours_port, mlflow_port = _free_port(), _free_port()
    ours = subprocess.Popen([sys.executable, "-m", "rcrp", "serve", "--port", str(ours_port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    theirs = subprocess.Popen([str(Path(sys.executable).parent / "mlflow"), "models", "serve", "-m", settings.model_uri,
                               "--env-manager", "local", "-p", str(mlflow_port), "-h", "127.0.0.1"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(f"http://127.0.0.1:{ours_port}/ready", ours)
        _wait(f"http://127.0.0.1:{mlflow_port}/ping", theirs)
        targets = {
            "rcrp serve (with audit write)": (f"http://127.0.0.1:{ours_port}/v1/suggestions", {"X-API-Key": key},
                                              lambda i: {"narrative": narratives[i % len(narratives)]}),
            "mlflow models serve": (f"http://127.0.0.1:{mlflow_port}/invocations", {},
                                    lambda i: {"dataframe_split": {"columns": ["id", "narrative"],
                                                                   "data": [[str(i), narratives[i % len(narratives)]]]}}),
        }
        for url, headers, body in targets.values():  # warm both (first-seen words, connection set-up)
            asyncio.run(_load(url, body, headers, 4, 3))
        rows = []
        for level in [int(x) for x in args.levels.split(",")]:
            for name, (url, headers, body) in targets.items():
                print(f"{name}: {level} clients...", file=sys.stderr)
                rows.append({"server": name, "clients": level, **asyncio.run(_load(url, body, headers, level, args.seconds))})
        floor = _in_process_floor(settings, narratives)
        soak = None
        if args.soak_seconds > 0:
            best = max((r for r in rows if r["server"].startswith("rcrp")), key=lambda r: r["per_second"])
            url, headers, body = targets["rcrp serve (with audit write)"]
            asyncio.run(_load(url, body, headers, best["clients"], 5))
            before = _rss_mib(ours.pid)
            print(f"soak: {best['clients']} clients for {args.soak_seconds:.0f} s...", file=sys.stderr)
            soak = {"clients": best["clients"], **asyncio.run(_load(url, body, headers, best["clients"], args.soak_seconds)),
                    "rss_before": before, "rss_after": _rss_mib(ours.pid)}
    finally:
        for proc in (ours, theirs):
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()

    lines = [f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. Command: "
             f"`python -m rcrp.serving.bench {' '.join(argv if argv is not None else sys.argv[1:])}`. Model "
             f"{settings.model_uri} trained on SYNTHETIC data; narratives SYNTHETIC. One worker process per server; "
             f"the load generator runs on the same machine.", "",
             "| server | concurrent clients | requests | errors | requests/s | p50 ms | p95 ms | p99 ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['server']} | {r['clients']} | {r['requests']:,} | {r['errors']} | {r['per_second']:,.0f} | "
                     f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} |")
    lines.append(f"| in-process `suggest` (floor, no HTTP, no audit) | 1 | 400 | 0 | {floor['per_second']:,.0f} | "
                 f"{floor['p50_ms']:.1f} | {floor['p95_ms']:.1f} | {floor['p99_ms']:.1f} |")
    for level in sorted({r["clients"] for r in rows}):
        ours_r = next(r for r in rows if r["clients"] == level and r["server"].startswith("rcrp"))
        theirs_r = next(r for r in rows if r["clients"] == level and r["server"].startswith("mlflow"))
        lines.append(f"\nAt {level} clients: rcrp serve / mlflow models serve throughput "
                     f"{ours_r['per_second'] / theirs_r['per_second']:.2f}x.")
    if soak:
        growth = (soak["rss_after"] - soak["rss_before"]) / soak["rss_before"]
        lines += ["", f"Soak: {soak['clients']} clients for {args.soak_seconds:.0f} s on rcrp serve: "
                      f"{soak['requests']:,} requests, {soak['errors']} errors, {soak['per_second']:,.0f}/s, p99 "
                      f"{soak['p99_ms']:.1f} ms; server memory {soak['rss_before']:.0f} -> {soak['rss_after']:.0f} MiB "
                      f"({growth:+.1%})."]
    out = args.out or args.data_dir / "reports" / "bench_serving.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
