"""Figures for the evaluation and the EIA report, as PNG bytes (embedded in HTML, logged to MLflow).

Every figure says in its title that the data are synthetic when they are, and shows counts or
intervals beside each rate, as the tables do.
"""

from __future__ import annotations

import io
from typing import Any

__all__ = ["reliability_png", "group_rates_png", "counterfactual_png", "confusion_png"]

_COLOURS = {"ok": "#1f6f8b", "flagged": "#b3261e", "small": "#9aa0a6", "band": "#e8f0f2"}


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt, plt.figure(figsize=(width, height), dpi=110)


def _png(plt, fig) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _note(synthetic: bool) -> str:
    return " (SYNTHETIC data)" if synthetic else ""


def reliability_png(bins: list[dict[str, Any]], ece: float | None, *, synthetic: bool) -> bytes:
    """Observed share of calls that needed police against the mean flag score, per score bin."""
    plt, fig = _figure(5.2, 4.2)
    ax = fig.add_subplot(1, 1, 1)
    ax.plot([0, 1], [0, 1], ls="--", color="#666", lw=1, label="perfect calibration")
    xs = [b["mean_score"] for b in bins]
    ys = [b["observed_rate"] for b in bins]
    sizes = [max(12, min(200, b["n"] / 5)) for b in bins]
    ax.scatter(xs, ys, s=sizes, color=_COLOURS["ok"], label="score bin (area ~ calls)", zorder=3)
    ax.plot(xs, ys, color=_COLOURS["ok"], lw=1)
    ax.set_xlabel("mean flag score in bin")
    ax.set_ylabel("share that needed police")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title(f"Flag calibration, ECE {ece:.3f}{_note(synthetic)}" if ece is not None else "Flag calibration")
    ax.legend(loc="upper left", fontsize=8)
    return _png(plt, fig)


def group_rates_png(rows: list[dict[str, Any]], metric_label: str, *, band: tuple[float, float], synthetic: bool) -> bytes:
    """One rate for each group of each single attribute: point, 95% interval, the reference group's
    value and the screening band around it. ``rows`` are records of the fairness table."""
    groupings = list(dict.fromkeys(r["grouping"] for r in rows))
    xmax = max([0.05] + [r["ci_high"] * 1.1 for r in rows if r.get("ci_high") is not None]
               + [r["reference_value"] * band[1] * 1.1 for r in rows if r.get("reference_value")])
    plt, fig = _figure(9.5, 1.2 + 0.42 * len(rows))
    axes = fig.subplots(len(groupings), 1, squeeze=False, sharex=True,
                        gridspec_kw={"height_ratios": [max(1, sum(r["grouping"] == g for r in rows)) for g in groupings]})
    for ax, grouping in zip(axes[:, 0], groupings):
        mine = [r for r in rows if r["grouping"] == grouping]
        ref = next((r["reference_value"] for r in mine if r.get("reference_value") is not None), None)
        if ref is not None:
            ax.axvspan(ref * band[0], ref * band[1], color=_COLOURS["band"], zorder=0)
            ax.axvline(ref, color="#444", lw=1, ls=":")
        for y, r in enumerate(mine):
            colour = _COLOURS["small"] if r["too_small"] else _COLOURS["flagged"] if r.get("flagged") else _COLOURS["ok"]
            if r["value"] is not None:
                lo, hi = r["ci_low"], r["ci_high"]
                ax.errorbar([r["value"]], [y], xerr=[[max(0.0, r["value"] - lo)], [max(0.0, hi - r["value"])]] if lo is not None else None,
                            fmt="o", color=colour, capsize=3)
            ax.text(1.005, y, f"n={r['denominator']}" + (" too small" if r["too_small"] else ""),
                    transform=ax.get_yaxis_transform(), va="center", fontsize=7, color="#444")
        ax.set_xlim(0, xmax)
        ax.set_yticks(range(len(mine)), [r["group"] for r in mine], fontsize=8)
        ax.set_ylim(-0.6, len(mine) - 0.4)
        ax.invert_yaxis()
        ax.set_ylabel(grouping, fontsize=8)
    axes[-1, 0].set_xlabel("rate: point and 95% interval; shaded: screening band around the reference group (dotted)",
                           fontsize=8)
    fig.suptitle(f"{metric_label} by group{_note(synthetic)}", fontsize=10)
    return _png(plt, fig)


def counterfactual_png(dimensions: dict[str, Any], *, synthetic: bool) -> bytes:
    """Share of narratives whose advice changed when identity words changed, per dimension, with intervals."""
    names = list(dimensions)
    plt, fig = _figure(7.5, 1.0 + 0.45 * len(names))
    ax = fig.add_subplot(1, 1, 1)
    for y, name in enumerate(names):
        r = dimensions[name]["flip_rate"]
        if r["value"] is None:
            continue
        ax.errorbar([r["value"]], [y], xerr=[[max(0.0, r["value"] - r["ci_low"])], [max(0.0, r["ci_high"] - r["value"])]], fmt="o",
                    color=_COLOURS["ok"], capsize=3)
        ax.text(1.005, y, f"{r['successes']}/{r['trials']}", transform=ax.get_yaxis_transform(), va="center", fontsize=7)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, max(0.05, max((d["flip_rate"]["ci_high"] or 0) for d in dimensions.values()) * 1.2))
    ax.set_xlabel("share of narratives whose category or flag changed (95% interval)")
    ax.set_title(f"Counterfactual identity tests{_note(synthetic)}", fontsize=10)
    return _png(plt, fig)


def confusion_png(labels: list[str], matrix: list[list[int]], *, synthetic: bool) -> bytes:
    """Confusion matrix, rows true category, columns suggested, counts in cells."""
    plt, fig = _figure(6.5, 5.5)
    ax = fig.add_subplot(1, 1, 1)
    ax.imshow(matrix, cmap="Blues")
    for i, row in enumerate(matrix):
        for j, v in enumerate(row):
            ax.text(j, i, str(v), ha="center", va="center", fontsize=8,
                    color="white" if v > max(map(max, matrix)) / 2 else "black")
    ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("suggested")
    ax.set_ylabel("true")
    ax.set_title(f"Categories{_note(synthetic)}", fontsize=10)
    return _png(plt, fig)
