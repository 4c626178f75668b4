"""Calibrated probabilities from raw scores, shared by every scorer and by training's validation.

Categories: ``softmax(logits / T)`` with a temperature ``T`` fitted on held-out scores. Flag:
``sigmoid(a * score + b)`` (Platt scaling). Shapes: logits (n, k), scores (n,).
"""

from __future__ import annotations

import numpy as np

__all__ = ["softmax", "sigmoid", "calibrated"]


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -50, 50)))


def calibrated(logits: np.ndarray, flag_raw: np.ndarray, temperature: float,
               platt: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Category probabilities (n, k), rows summing to 1, and flag probabilities (n,) in [0, 1]."""
    return softmax(logits / temperature), sigmoid(platt[0] * flag_raw + platt[1])
