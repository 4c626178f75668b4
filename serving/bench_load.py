"""Closed-loop HTTP load for the serving benchmark: ``clients`` connections, each sending one request and
waiting for its answer before the next.

``wrk`` (Debian's package, written in C) is used when it is installed: it costs the server's two cores far
less than a Python client, so the figures describe the server rather than the load generator. Without it
the load comes from this process (asyncio, httpx). The result says which one made it.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import httpx

__all__ = ["closed_loop", "load_generator"]


def load_generator() -> str:
    """``"wrk"`` when Debian's wrk is on the PATH, else ``"httpx"``."""
    return "wrk" if shutil.which("wrk") else "httpx"


def closed_loop(url: str, bodies: list[dict], headers: dict[str, str], clients: int, seconds: float) -> dict:
    """Requests (POST, JSON, ``bodies`` in turn) for ``seconds``; returns requests, errors, per_second and
    p50/p95/p99 latency in ms over the successful (HTTP 200) requests."""
    if load_generator() == "wrk":
        return _wrk(url, bodies, headers, clients, seconds)
    return asyncio.run(_httpx(url, lambda i: bodies[i % len(bodies)], headers, clients, seconds))


# -- wrk ----------------------------------------------------------------------------------------------

_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %d, "bad": %d, "seconds": %f, "p50": %d, "p95": %d, "p99": %d}\\n',
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def _lua_string(text: str) -> str:
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def _wrk(url: str, bodies: list[dict], headers: dict[str, str], clients: int, seconds: float) -> dict:
    lines = ["local bodies = {", *(f"  {_lua_string(json.dumps(b))}," for b in bodies), "}", "local n = 0",
             'wrk.method = "POST"', 'wrk.headers["Content-Type"] = "application/json"',
             *(f"wrk.headers[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in headers.items()),
             "request = function()", "  n = n + 1", "  return wrk.format(nil, nil, nil, bodies[(n % #bodies) + 1])",
             "end", _DONE]
    with tempfile.TemporaryDirectory(prefix="rcrp-wrk-") as scratch:
        script = Path(scratch) / "post.lua"
        script.write_text("\n".join(lines), encoding="utf-8")
        parts = urlsplit(url)
        out = subprocess.run(["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
                              "-s", str(script), f"{parts.scheme}://{parts.netloc}{parts.path}"],
                             capture_output=True, text=True, timeout=seconds + 120, check=True)
    line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None or out.stderr.strip():
        raise RuntimeError(f"wrk gave no result: {out.stderr.strip()[:500]}")
    r = json.loads(line.removeprefix("RESULT "))
    ok = r["requests"] - r["bad"]
    return {"requests": ok, "errors": r["bad"], "per_second": ok / r["seconds"],
            "p50_ms": r["p50"] / 1000, "p95_ms": r["p95"] / 1000, "p99_ms": r["p99"] / 1000}


# -- httpx (no wrk) -----------------------------------------------------------------------------------

async def _httpx(url: str, body: Callable[[int], dict], headers: dict, clients: int, seconds: float) -> dict:
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
