"""Service metrics in Prometheus' text format: requests and latencies per route, and the suggestion mix.

Kept in-process and small (counters and fixed-bucket histograms under one lock) rather than a client
library: the service exposes a handful of series and must start fast.
"""

from __future__ import annotations

import threading
from collections import defaultdict

__all__ = ["ServiceMetrics"]

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)  # seconds


def _labels(**labels: str) -> str:
    return "{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"


class ServiceMetrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self._latency: dict[tuple[str, str], list[float]] = {}  # per route: bucket counts + [sum, count]
        self._suggestions: dict[tuple[str, str, str], int] = defaultdict(int)

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self._requests[(method, route, status)] += 1
            hist = self._latency.setdefault((method, route), [0.0] * (len(BUCKETS) + 2))
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    hist[i] += 1
            hist[-2] += seconds
            hist[-1] += 1

    def observe_suggestion(self, category: str, raised: bool, uncertain: bool) -> None:
        with self._lock:
            self._suggestions[(category, str(raised).lower(), str(uncertain).lower())] += 1

    def render(self) -> str:
        lines = ["# HELP rcrp_requests_total HTTP requests by method, route and status.",
                 "# TYPE rcrp_requests_total counter"]
        with self._lock:
            for (method, route, status), n in sorted(self._requests.items()):
                lines.append(f"rcrp_requests_total{_labels(method=method, route=route, status=str(status))} {n}")
            lines += ["# HELP rcrp_request_seconds Request latency in seconds.", "# TYPE rcrp_request_seconds histogram"]
            for (method, route), hist in sorted(self._latency.items()):
                for bound, n in zip(BUCKETS, hist):
                    lines.append(f"rcrp_request_seconds_bucket{_labels(method=method, route=route, le=str(bound))} {n:g}")
                lines.append(f"rcrp_request_seconds_bucket{_labels(method=method, route=route, le='+Inf')} {hist[-1]:g}")
                lines.append(f"rcrp_request_seconds_sum{_labels(method=method, route=route)} {hist[-2]:.6f}")
                lines.append(f"rcrp_request_seconds_count{_labels(method=method, route=route)} {hist[-1]:g}")
            lines += ["# HELP rcrp_suggestions_total Suggestions returned, by category, flag raised and uncertainty.",
                      "# TYPE rcrp_suggestions_total counter"]
            for (category, raised, uncertain), n in sorted(self._suggestions.items()):
                lines.append(f"rcrp_suggestions_total{_labels(category=category, flag_raised=raised, uncertain=uncertain)} {n}")
        return "\n".join(lines) + "\n"
