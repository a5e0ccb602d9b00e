"""The dead-letter record: what was rejected, why, and where it came from, so it can be fixed and replayed.

>>> record = DeadLetter(reason="invalid_json", error="message is not valid JSON", topic="pantau.posts",
...                     partition=0, offset=41, original=b"{oops", at=0.0)
>>> DeadLetter.from_json(record.to_json()) == record
True
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import orjson

from schemas.post import format_ts, parse_ts

DEADLETTER_SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class DeadLetter:
    reason: str
    error: str
    topic: str
    partition: int
    offset: int
    original: bytes
    at: float  # wall-clock time of rejection, epoch seconds
    batch_index: int = -1  # position inside a batch envelope, -1 for the whole message
    step: str = "decode"

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": DEADLETTER_SCHEMA_VERSION,
            "reason": self.reason,
            "error": self.error,
            "step": self.step,
            "source": {"topic": self.topic, "partition": self.partition, "offset": self.offset},
            "batch_index": self.batch_index,
            # base64 because the original may be neither UTF-8 nor JSON.
            "original_b64": base64.b64encode(self.original).decode("ascii"),
            "at": format_ts(self.at),
        }

    def to_json(self) -> bytes:
        return orjson.dumps(self.to_dict())

    @classmethod
    def from_json(cls, raw: bytes) -> DeadLetter:
        obj = orjson.loads(raw)
        return cls(
            reason=obj["reason"],
            error=obj["error"],
            step=obj["step"],
            topic=obj["source"]["topic"],
            partition=obj["source"]["partition"],
            offset=obj["source"]["offset"],
            batch_index=obj["batch_index"],
            original=base64.b64decode(obj["original_b64"]),
            at=parse_ts(obj["at"]),
        )
