"""A trained triage model as served: redaction, a scorer, the decision policy and the safety guard.

The policy turns calibrated scores into advice, fail-safe:

* the flag is raised when its probability reaches the threshold chosen in training for the target
  recall, when a safety rule fires, or when the model is uncertain;
* uncertain means the flag probability is within the band around the threshold (a half-width in
  log-odds, so the band is narrow near 0 or 1 and wider in the middle), or the top two
  categories are closer than the margin; uncertainty is shown as "handler judgement required" and
  never lowers the flag.

A model directory holds ``triage_model.json`` (policy, labels, lineage) and one sub-directory per
scorer; nothing in it is pickled.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Protocol, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from rcrp.models.errors import ErrorCode, RcrpError
from rcrp.models.safety_guard import SafetyGuard
from rcrp.models.suggestion import HANDLER_JUDGEMENT, Reason, Suggestion, reason_text

__all__ = ["DecisionPolicy", "Scorer", "TriageModel", "load_scorer"]

_FORMAT = "rcrp-triage-model/1"


class DecisionPolicy(BaseModel):
    """How scores become advice. Probabilities in [0, 1]."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: float = Field(ge=0.0, le=1.0, description="Flag probability at or above which the flag is raised.")
    flag_band: float = Field(default=0.5, ge=0.0, le=5.0,
                             description="Half-width, in log-odds, of the uncertain band around the threshold.")
    category_margin: float = Field(default=0.15, ge=0.0, le=1.0,
                                   description="Top-two category probability gap below which the category is uncertain.")
    target_recall: float = Field(default=0.98, gt=0.0, le=1.0, description="Flag recall the threshold was chosen for.")


    def flag_band_limits(self) -> tuple[float, float]:
        """The flag probabilities between which the model counts as uncertain."""
        t = min(max(self.threshold, 1e-6), 1 - 1e-6)
        logit = math.log(t / (1 - t))
        lo, hi = logit - self.flag_band, logit + self.flag_band
        return 1 / (1 + math.exp(-lo)), 1 / (1 + math.exp(-hi))

    def flag_uncertain(self, p_flag: float) -> bool:
        lo, hi = self.flag_band_limits()
        return lo <= p_flag < hi


class Scorer(Protocol):
    kind: str
    categories: tuple[str, ...]

    def score(self, texts: Sequence[str], *, explain_top: int = 0
              ) -> tuple[np.ndarray, np.ndarray, list | None]: ...

    def save(self, path: str | Path) -> Path: ...


def load_scorer(path: Path, kind: str) -> Scorer:
    """Load a scorer sub-directory by kind; heavy dependencies are imported only for the kind asked."""
    if kind == "linear":
        from rcrp.models.linear_scorer import LinearScorer

        return LinearScorer.load(path)
    if kind in ("minilm", "ensemble"):
        from rcrp.models.minilm_scorer import EnsembleScorer, MiniLMScorer

        return MiniLMScorer.load(path) if kind == "minilm" else EnsembleScorer.load(path)
    raise ValueError(f"unknown scorer kind: {kind}")


class TriageModel:
    """Redacts, scores and applies the decision policy.

    Parameters
    ----------
    scorer : the fitted scorer (``LinearScorer`` or another with the same ``score`` method).
    policy : the decision policy (threshold from training).
    taxonomy_id : the taxonomy the labels come from, e.g. ``rcrp-default@1``.
    flag_name : the threshold flag's name.
    info : lineage and headline metrics stored with the model (JSON-serialisable).
    identity_terms : identity descriptors removed before the model reads a narrative, with gendered words
        neutralised (``models.identity_masking``); the list the model was trained with, saved with it.
        None: neither (models trained without them).
    """

    def __init__(self, scorer: Scorer, policy: DecisionPolicy, *, taxonomy_id: str, flag_name: str,
                 info: dict[str, Any] | None = None, version: str = "local",
                 identity_terms: Sequence[str] | None = None) -> None:
        self.scorer = scorer
        self.policy = policy
        self.taxonomy_id = taxonomy_id
        self.flag_name = flag_name
        self.info = dict(info or {})
        self.version = version
        self.guard = SafetyGuard()
        self.source_dir: Path | None = None  # where it was loaded from (worker processes load it again)
        self._redactor = None
        self.masker = None
        if identity_terms is not None:
            from rcrp.models.identity_masking import IdentityMasker

            self.masker = IdentityMasker(identity_terms)

    @property
    def categories(self) -> tuple[str, ...]:
        return self.scorer.categories

    def redact(self, narratives: Sequence[str]) -> list[str]:
        if self._redactor is None:
            from rcrp.models.redaction import default_redactor

            self._redactor = default_redactor()
        return [r.text for r in self._redactor.redact_many(narratives)]

    def suggest(self, ids: Sequence[str], narratives: Sequence[str], *, redacted: bool = False,
                explain_top: int = 5) -> list[Suggestion]:
        """One suggestion per narrative. Narratives are redacted first unless ``redacted`` says they are."""
        return [Suggestion(**{**fields, "reasons": [Reason(kind=k, text=t, target=g, weight=w) for k, t, g, w in reasons]})
                for fields, reasons in self._advise(ids, narratives, redacted, explain_top)]

    def suggest_rows(self, ids: Sequence[str], narratives: Sequence[str], *, redacted: bool = False,
                     explain_top: int = 5) -> list[dict]:
        """``[s.to_row() for s in self.suggest(...)]``, built directly: the rows ``rcrp predict`` writes,
        without a validated object per call (a third of the batch time)."""
        rows = []
        for fields, reasons in self._advise(ids, narratives, redacted, explain_top):
            del fields["threshold"]
            fields["reasons"] = [reason_text(k, t, g) for k, t, g, _ in reasons]
            rows.append(fields)
        return rows

    def suggest_for_audit(self, ids: Sequence[str], narratives: Sequence[str], *, explain_top: int = 5
                          ) -> tuple[list[dict[str, Any]], list[str]]:
        """Suggestions as plain dicts (the fields of ``Suggestion``, reasons as dicts), and each narrative as
        written, redacted: what an audit trail keeps. For a service answering one call at a time.

        A narrative the identity masking leaves unchanged (most of them) is redacted once for both; the
        others are redacted again as written, so the audit never holds the model's masked wording.
        """
        self._check_lengths(ids, narratives)
        masked = self.masker.mask_many(narratives) if self.masker is not None else list(narratives)
        plain = self.redact(masked)  # model_input's order: identity words out, then redaction
        as_written = [p if m is n else None for p, m, n in zip(plain, masked, narratives)]
        changed = [i for i, text in enumerate(as_written) if text is None]
        for i, text in zip(changed, self.redact([narratives[i] for i in changed])):
            as_written[i] = text
        out = []
        for fields, reasons in self._advise_plain(ids, plain, explain_top):
            fields["reasons"] = [{"kind": k, "text": t, "target": g, "weight": w} for k, t, g, w in reasons]
            out.append(fields)
        return out, as_written

    @staticmethod
    def _check_lengths(ids: Sequence[str], narratives: Sequence[str]) -> None:
        if len(ids) != len(narratives):
            raise ValueError("ids and narratives differ in length")

    def _advise(self, ids: Sequence[str], narratives: Sequence[str], redacted: bool, explain_top: int
                ) -> list[tuple[dict[str, Any], list[tuple[str, str, str, float | None]]]]:
        """Per narrative: the suggestion's fields and its reasons as (kind, text, target, weight)."""
        self._check_lengths(ids, narratives)
        if not narratives:
            return []
        from rcrp.models.identity_masking import model_input

        plain = model_input(narratives, self.masker, None if redacted else self.redact, neutralise=False)
        return self._advise_plain(ids, plain, explain_top)

    def _advise_plain(self, ids: Sequence[str], plain: list[str], explain_top: int
                      ) -> list[tuple[dict[str, Any], list[tuple[str, str, str, float | None]]]]:
        """``_advise`` from the redacted, identity-masked text (gendered words not yet neutral)."""
        if not plain:
            return []
        from rcrp.models.identity_masking import neutralise_gender

        # The scorer reads the model input (identity words out, redacted, gendered words neutral); the safety
        # guard reads the redacted text before neutralisation, the wording its rules were written and tested on.
        texts = [neutralise_gender(t) for t in plain] if self.masker is not None else plain
        p_cat, p_flag, explanations = self.scorer.score(texts, explain_top=explain_top)
        if not (np.isfinite(p_cat).all() and np.isfinite(p_flag).all()):
            # Every comparison with NaN is false: unchecked, a broken score would read as "no police needed".
            raise RcrpError(ErrorCode.MODEL_UNAVAILABLE, detail="the model gave a score that is not a number")
        pol = self.policy
        cats, flag_name = self.categories, self.flag_name
        # The policy for the whole batch at once: top two categories, margins, band, flag.
        order = np.argsort(-p_cat, axis=1, kind="stable")[:, :2]
        top = np.take_along_axis(p_cat, order, axis=1)
        margin = top[:, 0] - top[:, 1] if p_cat.shape[1] > 1 else np.ones(len(texts))
        lo, hi = pol.flag_band_limits()
        flag_unsure = ((p_flag >= lo) & (p_flag < hi)).tolist()
        cat_unsure = (margin < pol.category_margin).tolist()
        above = (p_flag >= pol.threshold).tolist()
        scores = p_cat.tolist()
        out = []
        for i, (first, second) in enumerate(order.tolist()):
            best = cats[first]
            score = float(p_flag[i])
            reasons = [("phrase", c.phrase, c.target, c.weight) for c in explanations[i]] if explanations else []
            hits = self.guard.check(plain[i])
            reasons.extend(("safety_rule", h.reason, flag_name, None) for h in hits)
            if flag_unsure[i]:
                reasons.append(("uncertainty", f"flag score {score:.2f} is close to the threshold {pol.threshold:.2f}; "
                                               f"{HANDLER_JUDGEMENT}", flag_name, None))
            if cat_unsure[i]:
                reasons.append(("uncertainty", f"{best} and {cats[second]} are close ({margin[i]:.2f} apart); "
                                               f"{HANDLER_JUDGEMENT}", best, None))
            uncertain = flag_unsure[i] or cat_unsure[i]
            out.append(({"id": str(ids[i]), "category": best,
                         "category_scores": {c: round(v, 4) for c, v in zip(cats, scores[i])},
                         "police_response_required": above[i] or bool(hits) or uncertain,
                         "police_response_score": round(score, 4), "threshold": pol.threshold,
                         "uncertain": uncertain, "model_version": self.version}, reasons))
        return out

    # -- persistence --------------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.scorer.save(path / "scorer")
        meta = {"format": _FORMAT, "scorer_kind": self.scorer.kind, "taxonomy_id": self.taxonomy_id,
                "flag_name": self.flag_name, "categories": list(self.categories),
                "policy": self.policy.model_dump(), "info": self.info,
                "identity_masking": self.masker is not None}
        if self.masker is not None:
            (path / "identity_descriptors.txt").write_text("\n".join(self.masker.terms) + "\n", encoding="utf-8")
        (path / "triage_model.json").write_text(json.dumps(meta, indent=2, default=str), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path, *, version: str = "local") -> TriageModel:
        path = Path(path)
        meta_path = path / "triage_model.json"
        if not meta_path.exists():
            raise FileNotFoundError(f"no triage_model.json in {path}")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != _FORMAT:
            raise ValueError(f"unsupported model format in {path}")
        scorer = load_scorer(path / "scorer", meta["scorer_kind"])
        terms = None
        if meta.get("identity_masking"):
            terms = (path / "identity_descriptors.txt").read_text(encoding="utf-8").splitlines()
        model = cls(scorer, DecisionPolicy(**meta["policy"]), taxonomy_id=meta["taxonomy_id"],
                    flag_name=meta["flag_name"], info=meta.get("info", {}), version=version, identity_terms=terms)
        model.source_dir = path.resolve()
        return model
