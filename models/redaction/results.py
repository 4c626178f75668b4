"""What a redaction returns: the redacted text and where each redacted span sat in the original."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RedactedSpan", "Redaction"]


@dataclass(frozen=True)
class RedactedSpan:
    """Personal data of ``type`` at ``original[start:end]`` (offsets into the ORIGINAL text)."""

    start: int
    end: int
    type: str


@dataclass(frozen=True)
class Redaction:
    """``text`` is the redacted text: each span replaced by ``[TYPE]``; ``spans`` are sorted by ``start``."""

    text: str
    spans: tuple[RedactedSpan, ...]
