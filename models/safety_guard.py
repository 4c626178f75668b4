"""The safety guard: explicit language of a current risk always raises the police-response flag.

A trained model can learn to discount any phrase, given enough training data that says so, so the words
that the label guide names as a real and immediate risk to life (a weapon, a ligature, an overdose
taken, someone on a bridge, railway or roof, a threat to kill) are checked by rules that no retraining
can change. A rule that fires raises the flag and shows its reason; it never lowers anything.

The guard must not fire on the same words when they are negated ("no weapons seen", "denies taking
anything") or historical ("history of overdoses", "threatened to kill him in 2019"), because a guard
that fires on every mention would flag most health calls and teach handlers to ignore it. Scope is the
clause: the stretch of text between sentence punctuation, ";", " but " and similar turns.

Rules run on the redacted narrative (what the model sees); placeholders such as ``[PERSON]`` are fine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["GuardHit", "SafetyGuard", "GUARD_RULES"]


@dataclass(frozen=True)
class GuardHit:
    """One rule that fired: ``rule`` is a stable id, ``reason`` the words a handler sees, ``start``/``end``
    the character offsets of the matched phrase in the redacted narrative."""

    rule: str
    reason: str
    start: int
    end: int


_PRON = r"(?:he|she|they|[Ii]|the\s+(?:male|female|man|woman|patient|subject|ip|caller)|\[PERSON\])"
_HAS = r"(?:has|have|had|'s|is|was|are|were)"
_SELF = r"(?:himself|herself|themselves|themself|myself)"

# (rule id, reason shown to the handler, pattern). Patterns are case-insensitive.
GUARD_RULES: tuple[tuple[str, str, str], ...] = (
    ("weapon", "a weapon is mentioned as present",
     r"\b(?:armed\s+(?:" + _SELF + r"\s+)?(?:with|w/)|brandishing|waving|holding|wielding|carrying|has\s+got|has|had|with|w/"
     r"|produced|pulled(?:\s+out)?|threatening\s+\w+\s+with|grabbed|picked\s+up)\s+(?:a|an|the|his|her|their|two|some)?\s*"
     r"(?:\w+\s+)?(?:knife|knives|machete|blade|gun|firearm|shotgun|rifle|pistol|axe|hatchet|crossbow|cleaver|sword"
     r"|screwdriver|hammer|baseball\s+bat|scissors|broken\s+bottle|razor|razor\s+blade)\b"
     r"|\b(?:knife|knives|machete|blade|gun|firearm|shotgun|weapon|bottle|razor)s?\s+(?:in\s+(?:his|her|their)\s+hands?|seen"
     r"|in\s+hand|drawn|out)\b"),
    ("ligature", "a ligature is mentioned",
     r"\b(?:ligature|noose)\b|\b(?:tied|tying|wrapped|put)\s+(?:a\s+|the\s+)?(?:\w+\s+){0,2}(?:around|round)\s+(?:his|her|their|my)\s+neck"
     r"|\b(?:belt|rope|cord|scarf|tie|wire|cable|lead|sheet)\s+(?:a?round)\s+(?:his|her|their|my)\s+neck"
     r"|\b(?:trying|going|tried|wants|about)\s+to\s+hang\s+" + _SELF + r"|\bhanging\s+" + _SELF
     + r"|\b(?:has|with|got)\s+(?:a|the)\s+(?:rope|cord|belt)\s+(?:and|to)\b"),
    ("overdose_taken", "an overdose is reported as taken",
     r"\b(?:taken|took|has\s+had|swallowed|consumed|ingested)\s+(?:an?\s+|the\s+)?(?:large\s+|significant\s+|deliberate\s+)?overdose"
     r"|\boverdosed\b|\b(?:taken|took|taking|swallowed|consumed|ingested)\s+(?:about\s+|around\s+|approx\.?\s+|up\s+to\s+)?"
     r"(?:\d+|a\s+handful\s+of|a\s+box\s+of|a\s+packet\s+of|all\s+(?:of\s+)?(?:her|his|their|my)|lots\s+of|loads\s+of|a\s+load\s+of"
     r"|several|a\s+bottle\s+of|an?\s+(?:unknown|large)\s+(?:quantity|amount|number)\s+of)\s+"
     r"(?:\w+\s+){0,2}(?:tablets|pills|paracetamol|co-codamol|sertraline|diazepam|insulin|tabs|capsules|medication|meds|\w+pam"
     r"|\w+ine|\w+ol)\b"
     r"|\b(?:ingested|taken|took|swallowed)\s+an?\s+(?:unknown|large)\s+(?:quantity|amount|number)"
     r"|\bempty\s+(?:blister\s+packs?|pill\s+bottles?|(?:medication|tablet|pill)\s+(?:packets?|boxes|bottles?))"
     r"|\badmits\s+(?:to\s+)?taking\s+(?:them\s+all|all\s+of\s+them|a\s+large|an\s+overdose)"),
    ("height_or_railway", "the person is at a height, on a bridge, or on a railway or road",
     r"\b(?:on|onto|over|climbing|climbed|standing\s+on|sat\s+on|sitting\s+on|stood\s+on|at\s+the\s+edge\s+of|edge\s+of"
     r"|along|walking\s+along|walking\s+on)\s+"
     r"(?:the\s+|a\s+)?(?:\w+\s+){0,2}(?:bridge|railway|railway\s+line|train\s+line|railway\s+track|tracks|roof|rooftop|parapet"
     r"|ledge|cliff|cliff\s+edge|balcony\s+railing|railings|motorway|carriageway|multi-storey|viaduct|pier)\b"
     r"(?!\s+(?:street|road|lane|circus|avenue|close|way|st|rd|place|terrace|house|court|estate|surgery|ward))"
     r"|\bwrong\s+side\s+of\s+the\s+(?:fence|railings?|barriers?|bridge|parapet)"
     r"|\bclimbed\s+(?:over|onto)\s+the\s+(?:barrier|railings?|fence|parapet|wall)"
     r"|\b(?:threatening|going|wants|intends|says\s+(?:he|she|they)\s+(?:will|is\s+going\s+to))\s+to\s+jump\b"),
    ("threat_to_kill", "a threat to kill or seriously harm someone is reported",
     r"\bthreat(?:s|ened|ening)?\s+to\s+(?:kill|stab|shoot)\b"
     r"|\b(?:will|going\s+to|gonna|is\s+going\s+to)\s+(?:kill|stab|shoot|strangle|burn|attack|hurt)\s+(?:him|her|them|you|me|us"
     r"|everyone|\[PERSON\]|the\s+\w+|his\s+\w+|her\s+\w+|their\s+\w+)(?!\w)"),
)

# Substrings at least one of which every match of a rule contains: a cheap test (in C, on the lower-cased
# text) that skips a rule's slower pattern on narratives that cannot match it.
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "weapon": ("knife", "knive", "machete", "blade", "gun", "firearm", "rifle", "pistol", "axe", "hatchet", "crossbow",
               "cleaver", "sword", "screwdriver", "hammer", "bat", "scissors", "bottle", "razor", "weapon"),
    "ligature": ("ligature", "noose", "neck", "hang", "rope", "cord", "belt"),
    "overdose_taken": ("overdose", "taken", "took", "taking", "swallowed", "consumed", "ingested", "empty", "admits"),
    "height_or_railway": ("bridge", "railway", "train", "track", "roof", "parapet", "ledge", "cliff", "balcony",
                          "railing", "motorway", "carriageway", "multi-storey", "viaduct", "pier", "jump", "fence",
                          "barrier", "wall"),
    "threat_to_kill": ("kill", "stab", "shoot", "strangle", "burn", "attack", "hurt", "threat"),
}

# Words that, earlier in the same clause, negate the risk: "no weapons seen", "denies taking anything".
_NEGATION_BEFORE = re.compile(
    r"\b(?:no|not|never|nil|none|without|denies|denied|deny|denying|negative\s+for|no\s+sign\s+of|no\s+evidence\s+of"
    r"|no\s+mention\s+of|no\s+reports?\s+of|no\s+indication|nothing\s+to\s+suggest|hasn't|has\s+not|hasnt|isn't|is\s+not"
    r"|wasn't|was\s+not|doesn't|does\s+not|didn't|did\s+not|n't|unlikely|ruled\s+out|not\s+believed|not\s+thought|nor)\b",
    re.IGNORECASE)
# Words that make it historical: "history of overdoses", "in 2019", "two years ago".
_HISTORICAL = re.compile(
    r"\b(?:history\s+of|hx\s+of|h/o|historic(?:al|ally)?|prev\w*|p\w{0,3}vi\w*ly|in\s+the\s+past|convictions?\s+for|arrested\s+for|charged\s+with|past\s+(?:history|episodes?|attempts?)|prior"
    r"|used\s+to|last\s+(?:year|month|week|time|summer|winter|spring|autumn|christmas)|before(?=\s*(?:[.,;!?]|$))|(?:years?|months?|weeks?)\s+ago|in\s+(?:19|20)\d\d|back\s+in|before\s+now"
    r"|on\s+a\s+previous|has\s+(?:a\s+)?(?:long\s+)?history|known\s+to\s+have|once\s+before|several\s+years|some\s+time\s+ago"
    r"|as\s+a\s+(?:child|teenager)|warning\s+marker|markers?\s+for|last\s+one|none\s+recently|not\s+recently|when\s+(?:he|she|they)\s+was"
    r"|(?:19|20)\d\d)\b",
    re.IGNORECASE)
# Where a clause ends: sentence punctuation, ";", and turns that start a new assertion.
_CLAUSE_BREAK = re.compile(r"[.!?;\n]|\b(?:but|however|although|though|whereas|update|now)\b|\s[-–]\s|//", re.IGNORECASE)


def _lower_case_regex(pattern: str) -> re.Pattern | None:
    """The pattern for lower-cased text, without IGNORECASE: the same matches at the same offsets, in less
    than half the time (case-blind matching defeats the regex engine's first-character skipping). Letters
    are lower-cased except in escapes; None for patterns where that is not safe to do (scoped flags,
    named characters)."""
    if "(?" in pattern.replace("(?:", "").replace("(?=", "").replace("(?!", "").replace("(?<", "") or "\\N" in pattern:
        return None
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i:i + 2])
            i += 2
        else:
            out.append(pattern[i].lower())
            i += 1
    return re.compile("".join(out))


_CONTEXT = (_CLAUSE_BREAK, _NEGATION_BEFORE, _HISTORICAL)
_CONTEXT_LOWER = tuple(_lower_case_regex(r.pattern) for r in _CONTEXT)


class SafetyGuard:
    """Rules for explicit current risk (see the module docstring).

    Parameters
    ----------
    rules : sequence of (rule id, reason, regex) triples; defaults to ``GUARD_RULES``.
    """

    def __init__(self, rules: tuple[tuple[str, str, str], ...] = GUARD_RULES) -> None:
        self.rules = rules
        self._compiled = [(rule, reason, re.compile(pattern, re.IGNORECASE), _lower_case_regex(pattern),
                           _TRIGGERS.get(rule)) for rule, reason, pattern in rules]

    def check(self, text: str) -> list[GuardHit]:
        """Rules that fire on ``text`` (a redacted narrative), at most one hit per rule, in rule order."""
        hits: list[GuardHit] = []
        lower = text.lower()
        same_offsets = len(lower) == len(text)  # false for the rare characters that change length ("İ")
        for rule, reason, regex, lower_regex, triggers in self._compiled:
            # ``in`` per trigger, mapped in C: half the time of one regex search for any of them.
            if triggers is not None and not any(map(lower.__contains__, triggers)):
                continue
            if lower_regex is not None and same_offsets:
                found, context, scope = lower_regex.finditer(lower), _CONTEXT_LOWER, lower
            else:
                found, context, scope = regex.finditer(text), _CONTEXT, text
            for m in found:
                if self._current(scope, m.start(), m.end(), context):
                    hits.append(GuardHit(rule, reason, m.start(), m.end()))
                    break
        return hits

    @staticmethod
    def _current(text: str, start: int, end: int, context: tuple[re.Pattern, re.Pattern, re.Pattern]) -> bool:
        """Whether the match is asserted as happening now: not negated, not historical, in its clause.
        ``context``: the clause-break, negation and historical patterns (``_CONTEXT``, or ``_CONTEXT_LOWER``
        when ``text`` is lower-cased)."""
        clause_break, negation, historical = context
        clause_start = 0
        for brk in clause_break.finditer(text, 0, start):
            clause_start = brk.end()
        clause_end = len(text)
        brk = clause_break.search(text, end)
        if brk:
            clause_end = brk.start()
        before = text[clause_start:start]
        after = text[end:clause_end]
        if negation.search(before):
            return False
        # Historical wording anywhere in the clause: "took an overdose in 2019", "history of carrying knives".
        return not (historical.search(before) or historical.search(after))
