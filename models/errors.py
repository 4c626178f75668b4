"""Coded errors with constant messages.

Messages never interpolate narrative text: ``detail`` may carry a file name, row number or field name,
never the content of a call.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ErrorCode", "RcrpError", "MESSAGES"]


class ErrorCode(StrEnum):
    TAXONOMY_INVALID = "taxonomy_invalid"
    SETTINGS_INVALID = "settings_invalid"
    INPUT_UNREADABLE = "input_unreadable"
    INPUT_FORMAT_UNSUPPORTED = "input_format_unsupported"
    COLUMN_MISSING = "column_missing"
    # Row-level rejections (data loading); each names the field.
    ID_MISSING = "id_missing"
    ID_DUPLICATE = "id_duplicate"
    NARRATIVE_MISSING = "narrative_missing"
    NARRATIVE_EMPTY = "narrative_empty"
    NARRATIVE_TOO_LONG = "narrative_too_long"
    UNDECODABLE_BYTES = "undecodable_bytes"
    MALFORMED_ROW = "malformed_row"
    LABEL_MISSING = "label_missing"
    LABEL_UNKNOWN = "label_unknown"
    FLAG_INVALID = "flag_invalid"
    ATTRIBUTE_INVALID = "attribute_invalid"
    SPANS_INVALID = "spans_invalid"
    SYNTH_CONFIG_INVALID = "synth_config_invalid"
    TRAIN_CONFIG_INVALID = "train_config_invalid"
    TRAINING_DATA_INVALID = "training_data_invalid"
    MODEL_UNAVAILABLE = "model_unavailable"
    MODEL_INVALID = "model_invalid"
    PROMOTION_REFUSED = "promotion_refused"
    LABEL_STUDIO_UNAVAILABLE = "label_studio_unavailable"
    LABEL_STUDIO_REFUSED = "label_studio_refused"
    DISPUTED_CALLS_UNAVAILABLE = "disputed_calls_unavailable"


MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.TAXONOMY_INVALID: "The taxonomy file is not valid.",
    ErrorCode.SETTINGS_INVALID: "A setting is not valid.",
    ErrorCode.INPUT_UNREADABLE: "The input file cannot be read.",
    ErrorCode.INPUT_FORMAT_UNSUPPORTED: "The input format is not supported; use .csv, .jsonl or .parquet.",
    ErrorCode.COLUMN_MISSING: "A required column is missing from the input.",
    ErrorCode.ID_MISSING: "The row has no id.",
    ErrorCode.ID_DUPLICATE: "The row's id was already used by an earlier row.",
    ErrorCode.NARRATIVE_MISSING: "The row has no narrative.",
    ErrorCode.NARRATIVE_EMPTY: "The narrative is empty or only whitespace.",
    ErrorCode.NARRATIVE_TOO_LONG: "The narrative is longer than the configured limit.",
    ErrorCode.UNDECODABLE_BYTES: "The row contains bytes that are not valid UTF-8.",
    ErrorCode.MALFORMED_ROW: "The row cannot be parsed.",
    ErrorCode.LABEL_MISSING: "The row has no label but labels are required.",
    ErrorCode.LABEL_UNKNOWN: "The label is not in the taxonomy.",
    ErrorCode.FLAG_INVALID: "The threshold flag must be true or false.",
    ErrorCode.ATTRIBUTE_INVALID: "The subject attribute value is not allowed by the taxonomy.",
    ErrorCode.SPANS_INVALID: "The personal-data spans are not valid.",
    ErrorCode.SYNTH_CONFIG_INVALID: "The corpus generator configuration is not valid.",
    ErrorCode.TRAIN_CONFIG_INVALID: "The training configuration is not valid.",
    ErrorCode.TRAINING_DATA_INVALID: "The training data cannot be used.",
    ErrorCode.MODEL_UNAVAILABLE: "No model could be loaded; no suggestion is available and standard procedure applies.",
    ErrorCode.MODEL_INVALID: "The model files are not valid.",
    ErrorCode.PROMOTION_REFUSED: "The model version did not pass the promotion gate.",
    ErrorCode.LABEL_STUDIO_UNAVAILABLE: "Label Studio cannot be reached; nothing was lost, run the command again later.",
    ErrorCode.LABEL_STUDIO_REFUSED: "Label Studio refused the request.",
    ErrorCode.DISPUTED_CALLS_UNAVAILABLE: "The disputed calls cannot be read from the suggestion service.",
}


class RcrpError(Exception):
    """An error with a stable code, a constant message and an optional safe detail."""

    def __init__(self, code: ErrorCode, *, detail: str | None = None) -> None:
        self.code = ErrorCode(code)
        self.message = MESSAGES[self.code]
        self.detail = detail
        super().__init__(f"[{self.code}] {self.message}" + (f" ({detail})" if detail else ""))
