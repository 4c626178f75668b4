"""Scoring redaction against gold personal-data spans.

Definitions (per PII type and overall):

* gold strings: gold spans; a gold string is *removed* when every alphanumeric character of it lies inside
  some redacted span, of any type (punctuation and spaces around a name do not matter);
* recall: removed / gold strings;
* char-level recall: gold alphanumeric characters inside a redacted span / gold alphanumeric characters;
* over-redaction rate: non-PII characters removed / non-PII characters, where non-PII characters are the
  non-whitespace characters outside every gold span. Per type, the numerator counts only characters
  removed by spans of that (predicted) type, so the per-type rates add up to the overall rate;
* type accuracy: among removed gold strings, the share whose redacted span (the one covering most of
  the string) has the gold type.

Scores hold counts and rates only, never text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from pydantic import ValidationError

from rcrp.models.errors import ErrorCode, RcrpError
from rcrp.models.records import PII_TYPES, PiiSpan
from rcrp.models.redaction.redactor import Redactor, default_redactor

__all__ = ["TypeScores", "RedactionScores", "evaluate_redaction"]

ALL = "ALL"


@dataclass(frozen=True)
class TypeScores:
    """Scores of one PII type (or ``ALL``). Rates are None when their denominator is zero."""

    type: str
    gold: int
    removed: int
    recall: float | None
    char_recall: float | None
    over_redaction: float | None
    type_accuracy: float | None

    def to_row(self) -> dict[str, Any]:
        return {"type": self.type, "gold": self.gold, "removed": self.removed, "missed": self.gold - self.removed,
                "recall": self.recall, "char_recall": self.char_recall, "over_redaction": self.over_redaction,
                "type_accuracy": self.type_accuracy}


@dataclass(frozen=True)
class RedactionScores:
    """Per-type and overall scores over ``examples`` narratives."""

    examples: int
    non_pii_chars: int
    overall: TypeScores
    by_type: tuple[TypeScores, ...]  # one per PII type, in PII_TYPES order

    @property
    def recall(self) -> float | None:
        return self.overall.recall

    @property
    def over_redaction(self) -> float | None:
        return self.overall.over_redaction

    def for_type(self, pii_type: str) -> TypeScores:
        for scores in self.by_type:
            if scores.type == pii_type:
                return scores
        raise KeyError(pii_type)

    def to_rows(self) -> list[dict[str, Any]]:
        """A tidy table: one dict per PII type, then the ``ALL`` row; each row also names the example count."""
        return [{**s.to_row(), "examples": self.examples} for s in (*self.by_type, self.overall)]


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _gold_spans(index: int, text: str, spans: Sequence[PiiSpan | dict]) -> list[PiiSpan]:
    out = []
    try:
        for span in spans:
            if isinstance(span, PiiSpan):
                out.append(span)
            else:
                out.append(PiiSpan(start=span["start"], end=span["end"], type=span["type"]))
    except (ValidationError, KeyError, TypeError) as exc:
        raise RcrpError(ErrorCode.SPANS_INVALID, detail=f"example {index}") from exc
    for span in out:
        if span.end > len(text) or span.start >= span.end:
            raise RcrpError(ErrorCode.SPANS_INVALID, detail=f"example {index}")
    return out


def evaluate_redaction(examples: Iterable[tuple[str, Sequence[PiiSpan | dict]]],
                       redactor: Redactor | None = None) -> RedactionScores:
    """Redact each text and score the result against its gold spans (see the module docstring)."""
    redactor = redactor or default_redactor()
    texts: list[str] = []
    golds: list[list[PiiSpan]] = []
    for i, (text, spans) in enumerate(examples):
        if not isinstance(text, str):
            raise RcrpError(ErrorCode.SPANS_INVALID, detail=f"example {i}")
        texts.append(text)
        golds.append(_gold_spans(i, text, spans))

    types = list(PII_TYPES)
    gold_n = dict.fromkeys(types, 0)
    removed_n = dict.fromkeys(types, 0)
    typed_ok = dict.fromkeys(types, 0)
    gold_chars = dict.fromkeys(types, 0)
    covered_chars = dict.fromkeys(types, 0)
    over_chars = dict.fromkeys(types, 0)
    non_pii = 0

    for text, gold, result in zip(texts, golds, redactor.redact_many(texts)):
        # Which predicted type covers each character (None: not redacted).
        predicted: list[str | None] = [None] * len(text)
        for span in result.spans:
            predicted[span.start:span.end] = [span.type] * (span.end - span.start)
        in_gold = [False] * len(text)
        for span in gold:
            in_gold[span.start:span.end] = [True] * (span.end - span.start)
            alnum = [k for k in range(span.start, span.end) if text[k].isalnum()]
            hits = [predicted[k] for k in alnum if predicted[k] is not None]
            gold_n[span.type] += 1
            gold_chars[span.type] += len(alnum)
            covered_chars[span.type] += len(hits)
            if len(hits) == len(alnum):
                removed_n[span.type] += 1
                if hits and max(set(hits), key=hits.count) == span.type:
                    typed_ok[span.type] += 1
        for k, ch in enumerate(text):
            if not in_gold[k] and not ch.isspace():
                non_pii += 1
                if predicted[k] is not None:
                    over_chars[predicted[k]] = over_chars.get(predicted[k], 0) + 1

    by_type = tuple(
        TypeScores(t, gold_n[t], removed_n[t], _ratio(removed_n[t], gold_n[t]), _ratio(covered_chars[t], gold_chars[t]),
                   _ratio(over_chars.get(t, 0), non_pii), _ratio(typed_ok[t], removed_n[t]))
        for t in types)
    tot = sum(gold_n.values())
    rem = sum(removed_n.values())
    overall = TypeScores(ALL, tot, rem, _ratio(rem, tot), _ratio(sum(covered_chars.values()), sum(gold_chars.values())),
                         _ratio(sum(over_chars.values()), non_pii), _ratio(sum(typed_ok.values()), rem))
    return RedactionScores(examples=len(texts), non_pii_chars=non_pii, overall=overall, by_type=by_type)
