"""rcrp-triage: advisory triage of health-related police calls under Right Care, Right Person."""

__version__ = "0.1.0"
