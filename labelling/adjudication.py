"""From annotators' labels to one label per call, by a stated rule, or to the senior-review list.

Rules (``RULES``):

* ``unanimous``: every annotation gives the same category and flag, and nobody marked "unsure";
* ``majority``: one (category, flag) pair has more than half of the task's annotations ("unsure" counts as
  a vote for nothing, so it can prevent a majority but never make one);
* ``senior``: the label of a senior annotator (``seniors``) decides; without one, as ``unanimous``.

Anything else is a conflict, listed with its reason for senior review: never guessed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

from rcrp.labelling.interface import CATEGORY, FLAG, FLAG_NO, FLAG_YES, RATIONALE, REVIEW, UNSURE

__all__ = ["RULES", "Annotation", "Verdict", "parse_annotation", "adjudicate"]

RULES = ("unanimous", "majority", "senior")


@dataclass(frozen=True)
class Annotation:
    annotator: str
    category: str | None
    flag: bool | None
    unsure: bool
    rationale: str | None = None

    @property
    def label(self) -> tuple[str, bool] | None:
        """(category, flag) when both are given and the annotator was sure."""
        if self.unsure or self.category is None or self.flag is None:
            return None
        return self.category, self.flag


@dataclass(frozen=True)
class Verdict:
    category: str | None
    flag: bool | None
    conflict: str | None  # why it goes to senior review; None when decided

    @property
    def decided(self) -> bool:
        return self.conflict is None


def parse_annotation(result: Sequence[dict[str, Any]], annotator: str, categories: Sequence[str]) -> Annotation:
    """An annotation from Label Studio's ``result`` list; a category outside the taxonomy counts as none."""
    picked: dict[str, list[str]] = {}
    rationale = None
    for item in result:
        value = item.get("value") or {}
        if item.get("from_name") == RATIONALE:
            rationale = " ".join(value.get("text") or []) or None
        elif "choices" in value:
            picked[item.get("from_name")] = list(value["choices"])
    category = (picked.get(CATEGORY) or [None])[0]
    flag_choice = (picked.get(FLAG) or [None])[0]
    return Annotation(annotator=annotator, category=category if category in categories else None,
                      flag={FLAG_YES: True, FLAG_NO: False}.get(flag_choice),
                      unsure=UNSURE in (picked.get(REVIEW) or []), rationale=rationale)


def adjudicate(annotations: Sequence[Annotation], rule: str, *, seniors: Sequence[str] = ()) -> Verdict:
    """One verdict for one task's annotations."""
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(RULES)}, not {rule!r}")
    if not annotations:
        return Verdict(None, None, "no annotations")
    if rule == "senior":
        senior_labels = {a.label for a in annotations if a.annotator in seniors and a.label is not None}
        if len(senior_labels) == 1:
            (category, flag), = senior_labels
            return Verdict(category, flag, None)
        if len(senior_labels) > 1:
            return Verdict(None, None, "senior annotators disagree")
        rule = "unanimous"
    labels = [a.label for a in annotations]
    if rule == "unanimous":
        if any(a.unsure for a in annotations):
            return Verdict(None, None, "marked unsure: needs senior review")
        if any(label is None for label in labels):
            return Verdict(None, None, "incomplete annotation")
        if len(set(labels)) > 1:
            return Verdict(None, None, _disagreement(labels))
        category, flag = labels[0]
        return Verdict(category, flag, None)
    counts = Counter(label for label in labels if label is not None)
    if counts:
        (category, flag), top = counts.most_common(1)[0]
        if top * 2 > len(annotations):
            return Verdict(category, flag, None)
    return Verdict(None, None, "no majority: " + _disagreement(labels))


def _disagreement(labels: Sequence[tuple[str, bool] | None]) -> str:
    given = [x for x in labels if x is not None]
    fields = []
    if len({c for c, _ in given}) > 1:
        fields.append("category")
    if len({f for _, f in given}) > 1:
        fields.append("police response")
    return ("annotators disagree on " + " and ".join(fields)) if fields else "unsure or incomplete annotations"
