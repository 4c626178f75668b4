"""The model the service answers with: loaded once at start, swapped when a new champion appears.

A background thread asks the registry every ``model_refresh_seconds`` which version the alias points to and,
when it changed, loads the new version *before* swapping it in: a request in flight keeps the model it
started with, and none is dropped. If no model can be loaded the service still runs; ``/ready`` says why
and suggestion requests get 503, never a default answer.
"""

from __future__ import annotations

import gc
import logging
import threading
from dataclasses import dataclass

from rcrp.models.errors import RcrpError
from rcrp.models.triage_model import TriageModel

__all__ = ["LiveModel", "Loaded"]

log = logging.getLogger("rcrp.serving")


@dataclass(frozen=True)
class Loaded:
    model: TriageModel
    label: str  # e.g. "rcrp-triage/3@champion" or "local:dir"
    alias: str | None


def _settle_garbage_collector() -> None:
    """Collect what the last model left behind, then move every object alive now out of the collector's way.

    A model with its redaction tables is a few hundred thousand objects. Python's full collection walks all of
    them (about 0.2 s on the benchmark machine) while every request waits, and it ran every few thousand
    requests: that was the service's worst latency. They live as long as the model, so they are frozen
    (``gc.freeze``); the collection here, once per model loaded, is the only such pause left.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class LiveModel:
    """Holds the current model; ``current`` is None until one loads.

    Parameters
    ----------
    uri : ``models:/NAME@ALIAS``, ``models:/NAME/VERSION`` or a local model directory.
    settings : the service settings (registry location, cache folder).
    """

    def __init__(self, uri: str, settings) -> None:
        self.uri = uri
        self.settings = settings
        self.current: Loaded | None = None
        self.reason = "not loaded yet"
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def load(self) -> bool:
        """Load the model the URI names now, if it is not the one loaded; returns whether one is loaded."""
        from rcrp.models.registry import load_triage_model, resolve_model

        with self._lock:
            try:
                if self.uri.startswith("models:/"):
                    ref = resolve_model(self.uri, self.settings)
                    if self.current is not None and self.current.label == ref.label:
                        return True
                model = load_triage_model(self.uri, self.settings, cache_dir=self.settings.model_cache_dir)
                model.suggest(["warm-up"], ["warm up call"])  # builds the redactor before the first request
            except RcrpError as exc:
                if self.current is None:
                    self.reason = exc.message + (f" ({exc.detail})" if exc.detail else "")
                log.warning("model not loaded: %s", exc.code)
                return self.current is not None
            except Exception as exc:  # a registry that cannot be reached must not stop the service starting
                if self.current is None:
                    self.reason = ("No model could be loaded; no suggestion is available and standard procedure "
                                   f"applies ({type(exc).__name__} from the model registry).")
                log.error("model not loaded: %s", type(exc).__name__)
                return self.current is not None
            previous = self.current.label if self.current else None
            self.current = Loaded(model, model.version, ref.alias if self.uri.startswith("models:/") else None)
            self.reason = ""
            _settle_garbage_collector()
        log.info("model live: %s (was %s)", model.version, previous)
        return True

    def start_refresh(self, every_seconds: float) -> None:
        if every_seconds <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._refresh, args=(every_seconds,), name="rcrp-model-refresh",
                                        daemon=True)
        self._thread.start()

    def _refresh(self, every_seconds: float) -> None:
        while not self._stop.wait(every_seconds):
            try:
                self.load()
            except Exception as exc:  # keep serving the model already loaded
                log.error("model refresh failed: %s", type(exc).__name__)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
