"""An officer's label, sent on the feedback topic: is this incident (or this text) relevant to the desk?

>>> fb = decode_feedback(b'{"incident_id": "inc-0123456789abcdef", "relevant": false, "by": "duty-1"}')
>>> fb.incident_id, fb.relevant, fb.text
('inc-0123456789abcdef', False, None)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from schemas.errors import InvalidMessage, RejectReason
from schemas.fields import MAX_AUTHOR_CHARS, check_id, check_lang, check_short
from schemas.post import DEFAULT_MAX_MESSAGE_BYTES, load_json

FEEDBACK_SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Feedback:
    relevant: bool
    incident_id: str | None = None  # label an incident: the model learns from its words
    text: str | None = None  # or label an example text
    lang: str | None = None
    by: str | None = None  # who labelled it, for the audit trail; never a metric label

    def to_json(self) -> bytes:
        return orjson.dumps(
            {
                "schema_version": FEEDBACK_SCHEMA_VERSION,
                "incident_id": self.incident_id,
                "text": self.text,
                "lang": self.lang,
                "relevant": self.relevant,
                "by": self.by,
            }
        )


def decode_feedback(raw: bytes, max_bytes: int = DEFAULT_MAX_MESSAGE_BYTES) -> Feedback:
    obj: Any = load_json(raw, max_bytes)
    if not isinstance(obj, dict):
        raise InvalidMessage(RejectReason.WRONG_TYPE, "feedback must be a JSON object")
    relevant = obj.get("relevant")
    if not isinstance(relevant, bool):
        raise InvalidMessage(
            RejectReason.MISSING_FIELD if relevant is None else RejectReason.WRONG_TYPE,
            "field 'relevant' must be true or false",
        )
    incident_id, text = obj.get("incident_id"), obj.get("text")
    if not isinstance(incident_id, str | None) or not isinstance(text, str | None):
        raise InvalidMessage(RejectReason.WRONG_TYPE, "fields 'incident_id' and 'text' must be strings")
    if not incident_id and not text:
        raise InvalidMessage(RejectReason.MISSING_FIELD, "feedback needs an 'incident_id' or a 'text'")
    lang, by = obj.get("lang"), obj.get("by")
    if not isinstance(lang, str | None) or not isinstance(by, str | None):
        raise InvalidMessage(RejectReason.WRONG_TYPE, "fields 'lang' and 'by' must be strings")
    # The officer's name and the incident id reach logs and the console: the same rules as a post's fields.
    return Feedback(
        relevant=relevant,
        incident_id=check_id(incident_id, "incident_id") if incident_id else None,
        text=text or None,
        lang=check_lang(lang) if lang else None,
        by=check_short("by", by, MAX_AUTHOR_CHARS) if by else None,
    )
