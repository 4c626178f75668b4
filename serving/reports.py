"""Governance exports from the audit trail: disputed calls, override rates by group, RCRP demand figures.

Inputs are the rows of ``AuditStore.calls`` (a suggestion joined with its decision). Every rate comes with
its counts and a 95% Wilson interval. Only redacted text is ever in these rows.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable

from rcrp.models.proportions import rate
from rcrp.models.taxonomy import Taxonomy

__all__ = ["disputed_calls", "override_rates", "demand_figures", "as_csv"]

_DISPUTED_FIELDS = ("created_at", "call_ref", "narrative_redacted", "model_version", "category",
                    "police_response_required", "police_response_score", "uncertain", "decided_at",
                    "decided_category", "police_attend", "reason_redacted")


def disputed_calls(calls: Iterable[dict[str, Any]], *, with_subject: bool) -> list[dict[str, Any]]:
    """One row per disputed call. Subject attributes only ``with_subject`` (governance): analysts label
    without them, so that they cannot sway a label."""
    rows = []
    for call in calls:
        if not call.get("disputed"):
            continue
        row = {"suggestion_id": call["id"], **{k: call.get(k) for k in _DISPUTED_FIELDS}}
        if with_subject:
            row.update({f"subject_{k}": v for k, v in (call.get("subject") or {}).items()})
        rows.append(row)
    return rows


def override_rates(calls: Iterable[dict[str, Any]], taxonomy: Taxonomy) -> list[dict[str, Any]]:
    """Share of decided calls where the handler's decision differed from the suggestion: overall, by suggested
    category and by each subject attribute value (unknown where not given)."""
    decided = [c for c in calls if c.get("decided_at")]
    groups: dict[tuple[str, str], list[bool]] = {("all", "all"): [bool(c["disputed"]) for c in decided]}
    for name in taxonomy.category_names:
        groups[("category", name)] = [bool(c["disputed"]) for c in decided if c["category"] == name]
    for attr in taxonomy.attributes:
        for value in attr.values:
            groups[(attr.name, value)] = [bool(c["disputed"]) for c in decided
                                          if (c.get("subject") or {}).get(attr.name, attr.unknown_value) == value]
    out = []
    for (grouping, group), flags in groups.items():
        r = rate(sum(flags), len(flags))
        out.append({"grouping": grouping, "group": group, "decided": r["trials"], "overridden": r["successes"],
                    "override_rate": r["value"], "ci_low": r["ci_low"], "ci_high": r["ci_high"]})
    return out


def demand_figures(calls: Iterable[dict[str, Any]], taxonomy: Taxonomy) -> list[dict[str, Any]]:
    """RCRP demand by the category the handler decided: calls, the share police attended (the threshold was
    judged met) and the share routed to a partner; a row for all calls, and a count of calls not yet decided."""
    calls = list(calls)
    decided = [c for c in calls if c.get("decided_at")]
    out = []
    for name in ("all", *taxonomy.category_names):
        rows = decided if name == "all" else [c for c in decided if c["decided_category"] == name]
        attend = rate(sum(bool(c["police_attend"]) for c in rows), len(rows))
        partner = rate(sum(not c["police_attend"] for c in rows), len(rows))
        out.append({"category": name, "calls": len(rows), "police_attend": attend["successes"],
                    "police_attend_share": attend["value"], "police_attend_ci_low": attend["ci_low"],
                    "police_attend_ci_high": attend["ci_high"], "routed_to_partner": partner["successes"],
                    "routed_to_partner_share": partner["value"]})
    out.append({"category": "not_yet_decided", "calls": len(calls) - len(decided)})
    return out


def as_csv(rows: list[dict[str, Any]]) -> str:
    fields: list[str] = []
    for row in rows:
        fields.extend(k for k in row if k not in fields)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
