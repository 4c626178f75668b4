"""Surface styling applied to literal template text (never to personal-data values).

These turn one set of situation templates into several registers: a terse incident log, a member of the
public's first-person report, and text with typing errors.
"""

from __future__ import annotations

import random
import re

__all__ = ["compress_terse", "first_person", "typo"]

# Control-room shorthand; each is applied with some probability so logs are not uniformly compressed.
_ABBREVIATIONS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(rf"\b{src}\b", re.IGNORECASE), dst) for src, dst in (
        ("approximately", ("approx",)), ("hospital", ("hosp", "hospital")), ("ambulance", ("amb", "ambo")),
        ("police", ("pol", "police")), ("officers", ("ofrs", "officers", "units")), ("information", ("info",)),
        ("with", ("w/", "with")), ("without", ("w/o",)), ("minutes", ("mins",)), ("hours", ("hrs",)),
        ("mental health", ("MH",)), ("self harm", ("SH", "self harm")), ("self-harm", ("SH",)),
        ("address", ("addr", "address")), ("patient", ("pt", "patient")), ("because", ("as",)),
        ("years old", ("yo",)), ("vehicle", ("veh",)), ("previous", ("prev",)), ("history", ("hx", "history")),
        ("medication", ("meds", "medication")), ("request", ("req",)), ("requesting", ("req",)),
        ("and", ("&", "and", "+")), ("believed", ("believed", "bel")), ("suicidal", ("suicidal", "S/I")),
        ("telephone", ("tel",)), ("located", ("loc",)), ("towards", ("twds",)), ("message", ("msg",)),
        ("messages", ("msgs",)), ("overdose", ("OD", "overdose")), ("emergency department", ("ED",)),
        ("between", ("btwn",)), ("regarding", ("re",)), ("months", ("mths",)), ("years", ("yrs",)),
    )
)
# "There are no ..." keeps its verb: "There no ..." reads as a typo, not as log shorthand.
_DROPPABLE = re.compile(r"(?<!there )(?<!There )(?<!THERE )\b(the|a|an|has been|that|is|are|was)\s+", re.IGNORECASE)


def compress_terse(text: str, rng: random.Random) -> str:
    """Telegraphic log style: shorthand and dropped function words."""
    for pattern, options in _ABBREVIATIONS:
        if rng.random() < 0.6:
            text = pattern.sub(lambda m: rng.choice(options), text)
    drop = rng.random() * 0.8
    return _DROPPABLE.sub(lambda m: "" if rng.random() < drop else m.group(0), text)


_IRREGULAR = {"has": "have", "is": "am", "was": "was", "can": "can", "last": "last", "received": "received",
              "found": "found", "heard": "heard", "does": "do", "fears": "fear", "cannot": "cannot"}
_CALLER_VERB = re.compile(r"\{caller\} (\w+)")
_CALLER_OBJECT = re.compile(r"\b(told|to|about|with|for|asked|messaged|called|texted) \{caller\}")


def _verb(match: re.Match[str]) -> str:
    verb = match.group(1)
    if verb in _IRREGULAR:
        return f"I {_IRREGULAR[verb]}"
    if verb.endswith("ies"):
        return f"I {verb[:-3]}y"
    if verb.endswith(("ses", "shes", "ches")):
        return f"I {verb[:-2]}"
    if verb.endswith("s") and not verb.endswith("ss"):
        return f"I {verb[:-1]}"
    return f"I {verb}"


def first_person(template: str) -> str:
    """Rewrite a template about "{caller}" as the caller's own words: "{caller} has" -> "I have"."""
    template = re.sub(r"(?<!\{)\b(?:the caller|caller)\b(?!\})", "{caller}", template, flags=re.IGNORECASE)
    template = template.replace("{caller}'s", "my")
    template = _CALLER_OBJECT.sub(lambda m: f"{m.group(1)} me", template)
    template = _CALLER_VERB.sub(_verb, template)
    return template.replace("{caller}", "I")


def typo(text: str, rng: random.Random, rate: float) -> str:
    """Introduce keyboard slips (swap, drop or double a letter) in words longer than three letters."""
    if rate <= 0:
        return text
    words = text.split(" ")
    for i, w in enumerate(words):
        if len(w) > 3 and w.isalpha() and rng.random() < rate:
            j = rng.randrange(1, len(w) - 1)
            kind = rng.random()
            if kind < 0.4:
                w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
            elif kind < 0.7:
                w = w[:j] + w[j + 1:]
            else:
                w = w[:j] + w[j] + w[j:]
            words[i] = w
    return " ".join(words)
