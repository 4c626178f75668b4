"""The public redaction entry points: ``Redactor``, ``default_redactor`` and ``redact_narrative``."""

from __future__ import annotations

import threading
from functools import lru_cache
from itertools import islice
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from rcrp.models.redaction.lexicon import normalise_extras
from rcrp.models.redaction.patterns import PLACEHOLDER
from rcrp.models.redaction.pipeline import build_pipeline, found_spans
from rcrp.models.redaction.results import RedactedSpan, Redaction

__all__ = ["Redactor", "default_redactor", "redact_narrative"]

# spaCy keeps every distinct string it has seen. Over millions of narratives (numbers, misspellings,
# names) that grows without bound, so past this many strings the pipeline is rebuilt; the rebuilt
# pipeline behaves identically.
_MAX_STRINGS = 2_000_000
_CHUNK = 10_000


def _render(text: str, doc: Doc) -> Redaction:
    spans = tuple(RedactedSpan(f.start, f.end, f.type) for f in found_spans(doc) if f.type != PLACEHOLDER)
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
    nothing. One instance can be shared: components keep no per-call state outside the Doc, and the
    occasional rebuild (see ``_MAX_STRINGS``) is locked.
    """

    def __init__(self, *, extra_given_names: Iterable[str] = (), extra_surnames: Iterable[str] = ()) -> None:
        self._extra_given = normalise_extras(extra_given_names)
        self._extra_surnames = normalise_extras(extra_surnames)
        self._lock = threading.Lock()
        self._nlp = self._build()

    def _build(self) -> Language:
        return build_pipeline(extra_given_names=self._extra_given, extra_surnames=self._extra_surnames)

    def _pipeline(self) -> Language:
        nlp = self._nlp
        if len(nlp.vocab.strings) > _MAX_STRINGS:
            with self._lock:
                if self._nlp is nlp:
                    self._nlp = self._build()
                nlp = self._nlp
        return nlp

    def redact(self, text: str) -> Redaction:
        """Redact one narrative. Span offsets refer to ``text``; the result's ``text`` is redacted."""
        if not isinstance(text, str):
            raise TypeError("redact() takes a str")
        if not text:
            return Redaction(text="", spans=())
        return _render(text, self._pipeline()(text))

    def redact_many(self, texts: Iterable[str], *, batch_size: int = 256) -> Iterator[Redaction]:
        """Redact narratives lazily, in order, in batches (same results as ``redact`` one at a time)."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        items = iter(texts)
        # Chunks let a long stream pick up a rebuilt pipeline (see _MAX_STRINGS) between chunks.
        while chunk := list(islice(items, _CHUNK)):
            for text in chunk:
                if not isinstance(text, str):
                    raise TypeError("redact_many() takes str items")
            nlp = self._pipeline()
            for text, doc in zip(chunk, nlp.pipe(chunk, batch_size=batch_size)):
                yield _render(text, doc)


@lru_cache(maxsize=1)
def default_redactor() -> Redactor:
    """The process-wide redactor with the packaged word lists, built on first use."""
    return Redactor()


def redact_narrative(text: str) -> str:
    """``default_redactor().redact(text).text``."""
    return default_redactor().redact(text).text
