"""Why a message was rejected. The reason is a bounded set: it is a metric label and a dead-letter field."""

from __future__ import annotations

from enum import StrEnum


class RejectReason(StrEnum):
    NOT_UTF8 = "not_utf8"
    INVALID_JSON = "invalid_json"
    TOO_LARGE = "too_large"
    MISSING_FIELD = "missing_field"
    WRONG_TYPE = "wrong_type"
    BAD_VALUE = "bad_value"
    # An id that is empty, too long, or holds a control or bidirectional character (schemas/fields.py).
    BAD_ID = "bad_id"
    # A message that decoded but made a processing step fail: a bug of ours, kept for replay after the fix.
    PROCESSING_ERROR = "processing_error"


class InvalidMessage(ValueError):
    """A message that cannot be accepted, with a reason from :class:`RejectReason` and a readable detail."""

    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail
