"""An officer's judgement, sent on the feedback topic: acknowledged, relevant or not relevant to the desk.

Each button press in the console is one record: who (``by``), which incident (or an example ``text``), the
``label``, an optional ``comment`` and when (``at``, wall clock). The detect step reads the topic and the
relevance model learns from ``relevant`` and ``not_relevant``; ``acknowledged`` only tells the other
officers that someone has it. Version 1 records (``"relevant": true|false``, no label) are still read.

>>> fb = decode_feedback(b'{"incident_id": "inc-0123456789abcdef", "label": "not_relevant", "by": "duty-1",'
...                      b' "comment": "domestic politics", "at": "2026-12-03T09:00:00Z"}')
>>> fb.incident_id, fb.label, fb.relevant, fb.comment
('inc-0123456789abcdef', 'not_relevant', False, 'domestic politics')
>>> decode_feedback(b'{"incident_id": "inc-1", "relevant": true}').label
'relevant'
>>> decode_feedback(b'{"text": "a seminar", "label": "acknowledged"}')
Traceback (most recent call last):
...
schemas.errors.InvalidMessage: missing_field: an 'acknowledged' label needs an 'incident_id'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from schemas.errors import InvalidMessage, RejectReason
from schemas.fields import MAX_AUTHOR_CHARS, check_id, check_lang, check_short
from schemas.post import DEFAULT_MAX_MESSAGE_BYTES, format_ts, load_json, parse_ts

FEEDBACK_SCHEMA_VERSION = 2
ACKNOWLEDGED, RELEVANT, NOT_RELEVANT = "acknowledged", "relevant", "not_relevant"
FEEDBACK_LABELS = (ACKNOWLEDGED, RELEVANT, NOT_RELEVANT)
MAX_COMMENT_CHARS = 2000
MAX_TEXT_CHARS = 100_000


@dataclass(frozen=True, slots=True)
class Feedback:
    label: str  # one of FEEDBACK_LABELS
    incident_id: str | None = None  # label an incident: the model learns from its words
    text: str | None = None  # or label an example text
    lang: str | None = None
    by: str | None = None  # the officer, for the record and the console; never a metric label
    comment: str | None = None
    at: float | None = None  # when the officer gave it (wall clock, epoch seconds)

    @property
    def relevant(self) -> bool | None:
        """What the relevance model learns: True, False, or None for an acknowledgement."""
        return {RELEVANT: True, NOT_RELEVANT: False}.get(self.label)

    def to_json(self) -> bytes:
        return orjson.dumps(
            {
                "schema_version": FEEDBACK_SCHEMA_VERSION,
                "label": self.label,
                "incident_id": self.incident_id,
                "text": self.text,
                "lang": self.lang,
                "by": self.by,
                "comment": self.comment,
                "at": None if self.at is None else format_ts(self.at),
            }
        )


def _optional_str(obj: dict[str, Any], name: str) -> str | None:
    value = obj.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidMessage(RejectReason.WRONG_TYPE, f"field {name!r} must be a string")
    return value or None


def decode_feedback(raw: bytes, max_bytes: int = DEFAULT_MAX_MESSAGE_BYTES) -> Feedback:
    obj: Any = load_json(raw, max_bytes)
    if not isinstance(obj, dict):
        raise InvalidMessage(RejectReason.WRONG_TYPE, "feedback must be a JSON object")
    label = obj.get("label")
    if label is None:  # version 1: a boolean
        relevant = obj.get("relevant")
        if not isinstance(relevant, bool):
            raise InvalidMessage(
                RejectReason.MISSING_FIELD if relevant is None else RejectReason.WRONG_TYPE,
                "feedback needs a 'label' (acknowledged, relevant, not_relevant) or 'relevant': true|false",
            )
        label = RELEVANT if relevant else NOT_RELEVANT
    elif label not in FEEDBACK_LABELS:
        raise InvalidMessage(RejectReason.BAD_VALUE, f"field 'label' must be one of {FEEDBACK_LABELS}")
    incident_id, text = _optional_str(obj, "incident_id"), _optional_str(obj, "text")
    lang, by, comment = _optional_str(obj, "lang"), _optional_str(obj, "by"), _optional_str(obj, "comment")
    if not incident_id and not text:
        raise InvalidMessage(RejectReason.MISSING_FIELD, "feedback needs an 'incident_id' or a 'text'")
    if label == ACKNOWLEDGED and not incident_id:
        raise InvalidMessage(RejectReason.MISSING_FIELD, "an 'acknowledged' label needs an 'incident_id'")
    if text is not None and len(text) > MAX_TEXT_CHARS:
        raise InvalidMessage(RejectReason.BAD_VALUE, f"field 'text' is longer than {MAX_TEXT_CHARS} characters")
    if comment is not None and len(comment) > MAX_COMMENT_CHARS:
        raise InvalidMessage(RejectReason.BAD_VALUE, f"field 'comment' is longer than {MAX_COMMENT_CHARS} characters")
    at = obj.get("at")
    if at is not None and (isinstance(at, bool) or not isinstance(at, str | int | float)):
        raise InvalidMessage(RejectReason.WRONG_TYPE, "field 'at' must be an ISO-8601 string or epoch seconds")
    # The officer's name and the incident id reach logs and the console: the same rules as a post's fields.
    return Feedback(
        label=label,
        incident_id=check_id(incident_id, "incident_id") if incident_id else None,
        text=text,
        lang=check_lang(lang) if lang else None,
        by=check_short("by", by, MAX_AUTHOR_CHARS) if by else None,
        comment=comment,
        at=None if at is None else parse_ts(at),
    )
