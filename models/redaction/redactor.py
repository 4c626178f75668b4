"""The public redaction entry points: ``Redactor``, ``default_redactor`` and ``redact_narrative``."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

from rcrp.models.redaction.lexicon import normalise_extras
from rcrp.models.redaction.patterns import PLACEHOLDER, Found
from rcrp.models.redaction.pipeline import PiiFinder
from rcrp.models.redaction.results import RedactedSpan, Redaction

__all__ = ["Redactor", "default_redactor", "redact_narrative"]


def _render(text: str, found: list[Found]) -> Redaction:
    spans = tuple(RedactedSpan(f.start, f.end, f.type) for f in found if f.type != PLACEHOLDER)
    if not spans:
        return Redaction(text=text, spans=())
    parts: list[str] = []
    last = 0
    for span in spans:
        parts.append(text[last:span.start])
        parts.append(f"[{span.type}]")
        last = span.end
    parts.append(text[last:])
    return Redaction(text="".join(parts), spans=spans)


class Redactor:
    """Replaces UK personal data in narratives with typed placeholders such as ``[PERSON]``.

    Rules only, offline, deterministic: the same text always gives the same result, at training and at
    serving time. Placeholders already in the text pass through untouched, so redacting twice changes
    nothing. One instance can be shared between threads: it keeps no per-call state, only caches of
    answers that depend on one word or one whitespace-separated stretch.

    Parameters
    ----------
    extra_given_names, extra_surnames : names to count as unambiguous, beside the packaged lists.
    """

    def __init__(self, *, extra_given_names: Iterable[str] = (), extra_surnames: Iterable[str] = ()) -> None:
        self._finder = PiiFinder(extra_given_names=normalise_extras(extra_given_names),
                                 extra_surnames=normalise_extras(extra_surnames))

    def redact(self, text: str) -> Redaction:
        """Redact one narrative. Span offsets refer to ``text``; the result's ``text`` is redacted."""
        if not isinstance(text, str):
            raise TypeError("redact() takes a str")
        return _render(text, self._finder(text))

    def redact_many(self, texts: Iterable[str], *, batch_size: int = 256) -> Iterator[Redaction]:
        """Redact narratives lazily, in order (same results as ``redact`` one at a time). ``batch_size`` is
        accepted for compatibility and has no effect: narratives are independent."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        find = self._finder
        for text in texts:
            if not isinstance(text, str):
                raise TypeError("redact_many() takes str items")
            yield _render(text, find(text))


@lru_cache(maxsize=1)
def default_redactor() -> Redactor:
    """The process-wide redactor with the packaged word lists, built on first use."""
    return Redactor()


def redact_narrative(text: str) -> str:
    """``default_redactor().redact(text).text``."""
    return default_redactor().redact(text).text
