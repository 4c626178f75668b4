"""Agreement between annotators, per labelled field: Cohen's kappa for each pair, Krippendorff's alpha overall.

Input is ``{unit: {annotator: value}}`` for one field (a unit is a task; values are nominal; an annotator
who did not label a unit is simply absent). Results are tidy rows with the number of units behind each
figure; a figure that cannot be computed (fewer than two units in common, or no variation at all) is None
with the reason, never a made-up 1.0.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Any, Hashable, Mapping

__all__ = ["krippendorff_alpha", "pairwise_kappa", "agreement_table"]

Units = Mapping[Hashable, Mapping[str, Hashable]]


def krippendorff_alpha(units: Units) -> tuple[float | None, int]:
    """Nominal Krippendorff's alpha over units with at least two values, and the number of such units."""
    coincidence: dict[tuple[Hashable, Hashable], float] = defaultdict(float)
    pairable = 0
    for values in units.values():
        vals = list(values.values())
        m = len(vals)
        if m < 2:
            continue
        pairable += 1
        for i, a in enumerate(vals):
            for j, b in enumerate(vals):
                if i != j:
                    coincidence[(a, b)] += 1.0 / (m - 1)
    totals: Counter = Counter()
    for (a, _), w in coincidence.items():
        totals[a] += w
    n = sum(totals.values())
    if pairable == 0 or n <= 1:
        return None, pairable
    observed = sum(w for (a, b), w in coincidence.items() if a != b) / n
    expected = sum(totals[a] * totals[b] for a in totals for b in totals if a != b) / (n * (n - 1))
    if expected == 0:
        return None, pairable  # every value the same: agreement is not measurable
    return 1.0 - observed / expected, pairable


def pairwise_kappa(units: Units) -> list[dict[str, Any]]:
    """Cohen's kappa for every pair of annotators over the units both labelled."""
    from sklearn.metrics import cohen_kappa_score

    annotators = sorted({a for values in units.values() for a in values})
    rows = []
    for a, b in combinations(annotators, 2):
        shared = [(v[a], v[b]) for v in units.values() if a in v and b in v]
        kappa, note = None, None
        if len(shared) < 2:
            note = "fewer than two units labelled by both"
        elif len({x for pair in shared for x in pair}) < 2:
            note = "a single value throughout"
        else:
            kappa = float(cohen_kappa_score([str(x) for x, _ in shared], [str(y) for _, y in shared]))
        rows.append({"annotator_a": a, "annotator_b": b, "units": len(shared), "kappa": kappa,
                     "agreed": sum(x == y for x, y in shared), "note": note})
    return rows


def agreement_table(fields: Mapping[str, Units]) -> list[dict[str, Any]]:
    """One row per field and measure: Krippendorff's alpha overall, then Cohen's kappa per pair."""
    rows = []
    for name, units in fields.items():
        alpha, n = krippendorff_alpha(units)
        rows.append({"field": name, "measure": "krippendorff_alpha", "annotators": "all", "units": n, "value": alpha,
                     "note": None if alpha is not None else "not measurable (no units with two labels, or no variation)"})
        for r in pairwise_kappa(units):
            rows.append({"field": name, "measure": "cohen_kappa", "annotators": f"{r['annotator_a']} | {r['annotator_b']}",
                         "units": r["units"], "value": r["kappa"], "note": r["note"]})
    return rows
