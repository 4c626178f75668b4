"""Counterfactual text tests: does changing who a narrative is about change the advice?

For each dimension of the identity lexicon (``eval/data/identity_terms_uk.yaml``, extendable) each
narrative is re-scored with the identity term replaced (``substitute``: every other term in turn; a
narrative with no term gets the dimension's descriptor sentence, so every narrative tests every
dimension) or with gendered words swapped (``swap``). A narrative *flips* on a dimension when its
variants do not all get the same category and the same advised flag; no variant is privileged as the
baseline (the first choice of term would otherwise decide the answer). Per term, the report gives the
mean deviation of its flag score from the narrative's mean over variants, and how often its advice
differs from the majority. Directional tests append explicit current-risk wording, which must never
lower the flag score.

Narratives go through the model's own ``suggest`` (redaction first), so a name that redaction removes
cannot change anything: the report shows that too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import yaml

from rcrp.eval.metrics import rate

__all__ = ["Dimension", "Lexicon", "load_lexicon", "counterfactual_tests"]


@dataclass(frozen=True)
class Dimension:
    name: str
    kind: str  # "substitute" or "swap"
    terms: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    descriptor: str | None = None

    def pattern(self) -> re.Pattern:
        words = self.terms if self.kind == "substitute" else tuple(w for pair in self.pairs for w in pair)
        alternation = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
        return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Lexicon:
    dimensions: tuple[Dimension, ...]
    current_risk_additions: tuple[str, ...]


def _parse(data: Any, source: str) -> tuple[list[Dimension], list[str]]:
    if not isinstance(data, dict) or not isinstance(data.get("dimensions", {}), dict):
        raise ValueError(f"{source}: expected a mapping with 'dimensions'")
    unknown = set(data) - {"version", "dimensions", "current_risk_additions"}
    if unknown:
        raise ValueError(f"{source}: unknown keys {sorted(unknown)}")
    dims = []
    for name, spec in data.get("dimensions", {}).items():
        if not isinstance(spec, dict):
            raise ValueError(f"{source}: dimensions.{name} must be a mapping")
        bad = set(spec) - {"kind", "terms", "pairs", "descriptor"}
        if bad:
            raise ValueError(f"{source}: dimensions.{name}: unknown keys {sorted(bad)}")
        kind = spec.get("kind", "substitute")
        if kind == "substitute":
            terms = tuple(str(t) for t in spec.get("terms", []))
            if len(terms) < 2 and "terms" in spec:
                raise ValueError(f"{source}: dimensions.{name}.terms needs at least two terms")
            descriptor = spec.get("descriptor")
            if descriptor is not None and "{term}" not in descriptor:
                raise ValueError(f"{source}: dimensions.{name}.descriptor must contain {{term}}")
            dims.append(Dimension(name, kind, terms=terms, descriptor=descriptor))
        elif kind == "swap":
            pairs = tuple((str(a), str(b)) for a, b in spec.get("pairs", []))
            dims.append(Dimension(name, kind, pairs=pairs))
        else:
            raise ValueError(f"{source}: dimensions.{name}.kind must be 'substitute' or 'swap', not {kind!r}")
    return dims, [str(x) for x in data.get("current_risk_additions", [])]


def load_lexicon(extra: Iterable[str | Path] = ()) -> Lexicon:
    """The packaged UK lexicon, extended by ``extra`` YAML files (same shape): a dimension already
    present gets the extra terms or pairs appended; a new one is added."""
    text = resources.files("rcrp.eval").joinpath("data/identity_terms_uk.yaml").read_text(encoding="utf-8")
    dims, risk = _parse(yaml.safe_load(text), "identity_terms_uk.yaml")
    by_name = {d.name: d for d in dims}
    for path in extra:
        path = Path(path)
        more, more_risk = _parse(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
        for d in more:
            old = by_name.get(d.name)
            if old is None:
                by_name[d.name] = d
            elif old.kind != d.kind:
                raise ValueError(f"{path.name}: dimensions.{d.name} is a {old.kind} dimension, not {d.kind}")
            else:
                by_name[d.name] = Dimension(d.name, d.kind, old.terms + tuple(t for t in d.terms if t not in old.terms),
                                            old.pairs + d.pairs, d.descriptor or old.descriptor)
        risk += more_risk
    return Lexicon(tuple(by_name.values()), tuple(dict.fromkeys(risk)))


def _in_case_of(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def variants(text: str, dim: Dimension) -> list[tuple[str, str]]:
    """[(label, text)]: the baseline first, then one variant per alternative (empty if not applicable)."""
    pattern = dim.pattern()
    if dim.kind == "swap":
        swap = {}
        for a, b in dim.pairs:
            swap.setdefault(a.lower(), b)
            swap.setdefault(b.lower(), a)
        if not pattern.search(text):
            return []
        swapped = pattern.sub(lambda m: _in_case_of(swap[m.group().lower()], m.group()), text)
        return [("original", text), ("swapped", swapped)] if swapped != text else []
    found = pattern.search(text)
    if found:
        current = next(t for t in dim.terms if t.lower() == found.group().lower())
        return [(current, text)] + [(t, pattern.sub(lambda m, t=t: _in_case_of(t, m.group()), text))
                                    for t in dim.terms if t != current]
    if not dim.descriptor:
        return []
    return [(t, f"{text.rstrip()} {dim.descriptor.format(term=t)}") for t in dim.terms]


def counterfactual_tests(model, narratives: Sequence[str], lexicon: Lexicon, *, batch_size: int = 2000
                         ) -> dict[str, Any]:
    """Flip rates and score changes per dimension and term, and the directional risk tests.

    ``model`` is a ``TriageModel`` (anything with its ``suggest``); ``narratives`` are raw or redacted
    text (they are redacted again by ``suggest``, which changes nothing in redacted text).
    """
    jobs: list[tuple[str, int, str, str]] = []  # (dimension, narrative index, label, text)
    for dim in lexicon.dimensions:
        for i, text in enumerate(narratives):
            jobs.extend((dim.name, i, label, v) for label, v in variants(text, dim))
    for i, text in enumerate(narratives):
        jobs.append(("current_risk", i, "original", text))
        jobs.extend(("current_risk", i, phrase, f"{text.rstrip()} {phrase}") for phrase in lexicon.current_risk_additions)
    results = []
    for start in range(0, len(jobs), batch_size):
        part = jobs[start:start + batch_size]
        results.extend(model.suggest([str(k) for k in range(start, start + len(part))], [j[3] for j in part]))
    report: dict[str, Any] = {"narratives": len(narratives), "dimensions": {}}
    by_key: dict[tuple[str, int], list[tuple[str, Any]]] = {}
    for job, s in zip(jobs, results):
        by_key.setdefault((job[0], job[1]), []).append((job[2], s))
    total_tests = total_flips = 0
    for dim in [d.name for d in lexicon.dimensions]:
        tests = flips = cat_flips = flag_flips = 0
        ranges: list[float] = []
        per_term: dict[str, dict[str, float]] = {}
        for (name, _), items in by_key.items():
            if name != dim or len(items) < 2:
                continue
            tests += 1
            cats = {s.category for _, s in items}
            flags = {s.police_response_required for _, s in items}
            cat_flips += len(cats) > 1
            flag_flips += len(flags) > 1
            flips += len(cats) > 1 or len(flags) > 1
            scores = np.array([s.police_response_score for _, s in items])
            ranges.append(float(scores.max() - scores.min()))
            majority = max(((c, f) for c in cats for f in flags),
                           key=lambda cf: sum(s.category == cf[0] and s.police_response_required == cf[1] for _, s in items))
            for (label, s), score in zip(items, scores):
                t = per_term.setdefault(label, {"narratives": 0, "differs_from_majority": 0, "deviation_sum": 0.0})
                t["narratives"] += 1
                t["differs_from_majority"] += int((s.category, s.police_response_required) != majority)
                t["deviation_sum"] += float(score - scores.mean())
        total_tests += tests
        total_flips += flips
        report["dimensions"][dim] = {
            "narratives": tests, "flip_rate": rate(flips, tests), "category_flip_rate": rate(cat_flips, tests),
            "flag_flip_rate": rate(flag_flips, tests),
            "mean_flag_score_range": float(np.mean(ranges)) if ranges else None,
            "max_flag_score_range": float(np.max(ranges)) if ranges else None,
            "terms": {k: {"narratives": int(v["narratives"]), "differs_from_majority": int(v["differs_from_majority"]),
                          "mean_flag_score_deviation": v["deviation_sum"] / v["narratives"]}
                      for k, v in per_term.items()}}
    report["flip_rate"] = rate(total_flips, total_tests)
    # The gate judges the worst dimension: pooling would let masked dimensions (no change by design)
    # dilute a real sensitivity in another.
    tested = {k: v for k, v in report["dimensions"].items() if v["narratives"]}
    worst = max(tested, key=lambda k: tested[k]["flip_rate"]["value"]) if tested else None
    report["worst_dimension"] = {"dimension": worst, **(tested[worst]["flip_rate"] if worst else rate(0, 0))}
    lowered = advised_lowered = checks = 0
    for (name, _), items in by_key.items():
        if name != "current_risk":
            continue
        _, base = items[0]
        for _, s in items[1:]:
            checks += 1
            lowered += s.police_response_score < base.police_response_score - 1e-9
            advised_lowered += base.police_response_required and not s.police_response_required
    report["current_risk"] = {"checks": checks, "score_lowered": rate(lowered, checks),
                              "advice_lowered": rate(advised_lowered, checks),
                              "phrases": list(lexicon.current_risk_additions)}
    return report
