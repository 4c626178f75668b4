"""Fairness across groups: rates per group and intersection, intervals, and disparity screening.

Group rates come from fairlearn's ``MetricFrame`` (one frame per grouping: a single attribute or an
intersection such as ``sex x ethnicity``; empty intersections come back as rows with no calls). Each
metric is a rate ``count(numerator) / count(denominator)`` over the group's calls:

* flag false-negative rate: not raised among calls that needed police (a person who needed police and
  would not get them); flag false-positive rate: raised among calls that did not (police sent where a
  partner should lead); flag selection rate: raised among all calls;
* per category (one-vs-rest): recall, and selection rate (share of the group's calls suggested it).

Intervals are 95% percentile-bootstrap intervals (Wilson's for 0 of n and n of n) from resampling *within* the group, which is what the
uncertainty of a group's rate means (fairlearn's bootstrap resamples the whole frame, letting group
sizes vary, and recomputes every frame per resample; this is vectorised and takes a fraction of a
second). Each group is compared with a reference group (default: the largest) by ratio; a ratio outside
the screening band (default 0.8 to 1.25) is *screened out*, and it is *flagged* only when the difference
is also larger than sampling noise explains: Fisher's exact test, Holm-adjusted over every group and
intersection compared on the same measure, so that on unbiased data the chance of any false alarm on a
measure is at most ``alpha`` (the bootstrap interval of the difference is reported beside it).
Rates whose denominator is below ``min_group_size`` are shown but marked too small to judge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Mapping, Sequence

import numpy as np

from rcrp.eval.metrics import wilson_interval

__all__ = ["FairnessConfig", "RateSpec", "rate_specs", "group_rates", "screen_disparities", "fairness_summary"]

ATTRIBUTES: tuple[str, ...] = ("age_band", "sex", "ethnicity")


@dataclass(frozen=True)
class FairnessConfig:
    """Settings of the fairness evaluation.

    attributes : subject attributes to group by; intersections of every pair and of all three are added.
    band : (low, high) screening band for the ratio group rate / reference rate.
    min_group_size : smallest denominator (calls) a rate needs to be judged.
    reference : attribute or intersection name -> reference group (default: the largest group).
    alpha : family-wise false-alarm rate for "larger than sampling noise".
    n_boot : bootstrap resamples per group.
    """

    attributes: tuple[str, ...] = ATTRIBUTES
    band: tuple[float, float] = (0.8, 1.25)
    min_group_size: int = 30
    reference: Mapping[str, str] = field(default_factory=dict)
    alpha: float = 0.05
    n_boot: int = 1000
    seed: int = 0

    def __post_init__(self) -> None:
        low, high = self.band
        if not 0 < low < 1 < high:
            raise ValueError(f"band must satisfy 0 < low < 1 < high, got {self.band}")
        if self.min_group_size < 1 or self.n_boot < 50 or not 0 < self.alpha < 1:
            raise ValueError("min_group_size >= 1, n_boot >= 50 and 0 < alpha < 1 are required")

    def groupings(self) -> list[tuple[str, ...]]:
        single = [(a,) for a in self.attributes]
        pairs = list(combinations(self.attributes, 2))
        whole = [tuple(self.attributes)] if len(self.attributes) > 2 else []
        return single + pairs + whole


@dataclass(frozen=True)
class RateSpec:
    """A rate: ``numerator & denominator`` over ``denominator`` (boolean masks over calls)."""

    metric: str
    label: str
    numerator: np.ndarray
    denominator: np.ndarray
    higher_is_worse: bool


def rate_specs(y_category: Sequence[str], y_flag: Sequence[bool], suggested_category: Sequence[str],
               advised_flag: Sequence[bool], categories: Sequence[str]) -> list[RateSpec]:
    """The rates compared across groups (see the module docstring)."""
    y = np.asarray(y_flag, bool)
    p = np.asarray(advised_flag, bool)
    everyone = np.ones(len(y), bool)
    specs = [RateSpec("flag_false_negative_rate", "flag false-negative rate (needed police, flag not raised)",
                      ~p, y, True),
             RateSpec("flag_false_positive_rate", "flag false-positive rate (flag raised where a partner should lead)",
                      p, ~y, True),
             RateSpec("flag_selection_rate", "flag selection rate (share of calls with the flag raised)",
                      p, everyone, False)]
    yc, pc = np.asarray(y_category), np.asarray(suggested_category)
    for c in categories:
        specs.append(RateSpec(f"recall[{c}]", f"recall of {c} (one-vs-rest)", pc == c, yc == c, False))
        specs.append(RateSpec(f"selection_rate[{c}]", f"share of calls suggested {c}", pc == c, everyone, False))
    return specs


def _counts_matrix(specs: list[RateSpec]) -> np.ndarray:
    """(n, 2 * len(specs)) float32: for each rate, its numerator and denominator indicator per call."""
    cols = []
    for spec in specs:
        cols.append(spec.numerator & spec.denominator)
        cols.append(spec.denominator)
    return np.column_stack(cols).astype(np.float32)


def _frame(counts: np.ndarray, groups):
    """fairlearn MetricFrame whose one metric is the vector of every rate's counts for a group."""
    from fairlearn.metrics import MetricFrame

    def group_counts(rows_true, rows_pred):  # fairlearn passes the group's slice of y_true (row numbers)
        return counts[np.asarray(rows_true, dtype=np.int64)].sum(axis=0)

    rows = np.arange(counts.shape[0])
    return MetricFrame(metrics={"counts": group_counts}, y_true=rows, y_pred=rows, sensitive_features=groups)


def _resample_weights(m: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """(n_boot, m) multiplicities: how often each of a group's m calls is drawn in each resample."""
    draws = rng.integers(0, m, size=(n_boot, m)) + (np.arange(n_boot) * m)[:, None]
    return np.bincount(draws.ravel(), minlength=n_boot * m).reshape(n_boot, m).astype(np.float32)


def group_rates(attributes: Mapping[str, Sequence[str]], specs: list[RateSpec], config: FairnessConfig):
    """Tidy table (pandas DataFrame), one row per grouping x group x metric: value, numerator,
    denominator, ci_low, ci_high, too_small. Groups are labelled ``a / b`` for intersections."""
    import pandas as pd

    counts = _counts_matrix(specs)
    n = counts.shape[0]
    frame = pd.DataFrame({a: [str(v) if v not in (None, "") else "unknown" for v in attributes[a]]
                          for a in config.attributes})
    if len(frame) != n:
        raise ValueError("subject attributes must have one value per call")
    rng = np.random.default_rng(config.seed)
    records = []
    for grouping in config.groupings():
        by_group = _frame(counts, frame[list(grouping)]).by_group["counts"]
        index: dict[str, list[int]] = {}
        for i, key in enumerate(" / ".join(t) for t in zip(*(frame[a].tolist() for a in grouping))):
            index.setdefault(key, []).append(i)
        for key_tuple, group_counts in by_group.items():
            key = " / ".join(map(str, key_tuple if isinstance(key_tuple, tuple) else (key_tuple,)))
            members = np.asarray(index.get(key, []), dtype=np.int64)
            point = np.zeros(counts.shape[1]) if not len(members) else np.asarray(group_counts, dtype=float)
            boot = _resample_weights(len(members), config.n_boot, rng) @ counts[members] if len(members) else None
            for j, spec in enumerate(specs):
                num, den = int(point[2 * j]), int(point[2 * j + 1])
                rates = None
                if boot is not None and den:
                    rates = np.full(config.n_boot, np.nan)
                    np.divide(boot[:, 2 * j], boot[:, 2 * j + 1], out=rates, where=boot[:, 2 * j + 1] > 0)
                lo = hi = None
                if rates is not None:
                    lo, hi = (wilson_interval(num, den) if num in (0, den)  # a degenerate bootstrap (see eval.bootstrap)
                              else (float(np.nanquantile(rates, 0.025)), float(np.nanquantile(rates, 0.975))))
                records.append({
                    "grouping": " x ".join(grouping), "group": key, "metric": spec.metric, "label": spec.label,
                    "value": num / den if den else None, "numerator": num, "denominator": den,
                    "ci_low": lo, "ci_high": hi,
                    "too_small": den < config.min_group_size, "_boot": rates})
    return pd.DataFrame.from_records(records)


def screen_disparities(table, specs: list[RateSpec], config: FairnessConfig):
    """Add the comparison with each grouping's reference group to ``group_rates``' table: reference,
    reference_value, ratio, difference (with interval), p_value, p_adjusted (Holm), outside_band,
    beyond_noise, flagged. Returns a new table without the bootstrap column."""
    import pandas as pd

    table = table.copy()
    worse = {s.metric: s.higher_is_worse for s in specs}
    for col in ("reference", "reference_value", "ratio", "difference", "difference_ci_low", "difference_ci_high",
                "p_value"):
        table[col] = None
    sizes = table[table.metric == specs[-1].metric].set_index(["grouping", "group"])["denominator"]
    for grouping in table.grouping.unique():
        in_grouping = table.grouping == grouping
        ref = config.reference.get(grouping) or str(sizes.loc[grouping].idxmax())
        ref_rows = table[in_grouping & (table.group == ref)].set_index("metric")
        for i in table.index[in_grouping]:
            row = table.loc[i]
            table.at[i, "reference"] = ref
            if row.metric not in ref_rows.index:
                continue
            r = ref_rows.loc[row.metric]
            table.at[i, "reference_value"] = r.value
            if row.group == ref or row.value is None or r.value is None or row.too_small or r.too_small:
                continue
            table.at[i, "difference"] = row.value - r.value
            table.at[i, "ratio"] = (row.value / r.value) if r.value > 0 else (math.inf if row.value > 0 else 1.0)
            table.at[i, "p_value"] = _exact_p(int(row.numerator), int(row.denominator), int(r.numerator), int(r.denominator))
            diffs = row._boot - r._boot
            diffs = diffs[~np.isnan(diffs)]
            if len(diffs) >= 20:
                table.at[i, "difference_ci_low"], table.at[i, "difference_ci_high"] = map(
                    float, np.quantile(diffs, (0.025, 0.975)))
    table["p_adjusted"] = None
    for metric in table.metric.unique():  # one family per measure, across all groups and intersections
        rows = table.index[table.metric == metric]
        table.loc[rows, "p_adjusted"] = pd.Series(_holm(list(table.loc[rows, "p_value"])), index=rows, dtype=object)
    low, high = config.band
    ratio = pd.to_numeric(table["ratio"], errors="coerce")
    table["outside_band"] = (ratio < low) | (ratio > high)
    table["beyond_noise"] = pd.to_numeric(table["p_adjusted"], errors="coerce") < config.alpha
    table["flagged"] = table["outside_band"] & table["beyond_noise"]
    table["higher_is_worse"] = table.metric.map(worse)
    return table.drop(columns=["_boot"])


def _exact_p(x1: int, n1: int, x2: int, n2: int) -> float:
    """Two-sided p-value of Fisher's exact test that the rates x1/n1 and x2/n2 are equal.

    Exact rather than bootstrapped or normal: a group with 0 of 33 has no bootstrap variance at all, and
    normal approximations promise too much with a handful of events, which is where group rates live.
    """
    from scipy.stats import fisher_exact

    return float(fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).pvalue)


def _holm(p_values) -> list[float | None]:
    """Holm's step-down adjustment over the non-missing p-values (family-wise error control)."""
    values = [(i, float(p)) for i, p in enumerate(p_values) if p is not None and not (isinstance(p, float) and math.isnan(p))]
    m = len(values)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (i, p) in enumerate(sorted(values, key=lambda t: t[1])):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted


def fairness_summary(table, config: FairnessConfig) -> dict[str, Any]:
    """Headline figures for the gate and the report: comparisons judged, flagged rows, the worst flag
    false-negative-rate ratio among groups large enough to judge."""
    judged = table[table.p_value.notna()]
    flagged = table[table.flagged]
    fnr = table[(table.metric == "flag_false_negative_rate") & table.p_value.notna()]
    fnr_ratios = [float(r) for r in fnr.ratio if r is not None]
    # An attribute with fewer than two groups large enough to judge cannot show any difference at all.
    large = table[(table.metric == "flag_selection_rate") & ~table.too_small]
    unjudgeable = [a for a in config.attributes if (large.grouping == a).sum() < 2]
    return {"comparisons": int(len(judged)), "flagged": int(len(flagged)), "alpha": config.alpha,
            "band": list(config.band), "min_group_size": config.min_group_size,
            "groups_too_small": int(table[table.too_small].groupby(["grouping", "group"]).ngroups),
            "flag_fnr_flagged_groups": sorted({f"{g}={v}" for g, v in
                                               zip(flagged[flagged.metric == "flag_false_negative_rate"].grouping,
                                                   flagged[flagged.metric == "flag_false_negative_rate"].group)}),
            "flag_fnr_max_ratio": max(fnr_ratios) if fnr_ratios else None,
            "attributes_not_judged": unjudgeable}
