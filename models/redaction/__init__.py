"""Rule-based redaction of UK personal data in call narratives: rules on spaCy's English tokens, offline,
no statistical model.

    from rcrp.models.redaction import redact_narrative
    redact_narrative("Spoke to Mr Jaworski on 07700 900123")  # 'Spoke to Mr [PERSON] on [PHONE]'
"""

from rcrp.models.redaction.redactor import Redactor, default_redactor, redact_narrative
from rcrp.models.redaction.results import RedactedSpan, Redaction
from rcrp.models.redaction.scoring import RedactionScores, TypeScores, evaluate_redaction

__all__ = [
    "RedactedSpan",
    "Redaction",
    "Redactor",
    "default_redactor",
    "redact_narrative",
    "RedactionScores",
    "TypeScores",
    "evaluate_redaction",
]
