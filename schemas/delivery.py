"""The delivery dead letter: an alert record a channel could not take by its deadline, kept to send again.

>>> record = DeliveryDeadLetter(channel="duty-webhook", kind="webhook", error="HTTP 503", attempts=7,
...                             key="inc-1:0", alert=b'{"incident_id":"inc-1"}', at=0.0,
...                             source_partition=0, source_offset=12)
>>> DeliveryDeadLetter.from_json(record.to_json()) == record
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from schemas.post import format_ts, parse_ts

DELIVERY_DEADLETTER_SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class DeliveryDeadLetter:
    channel: str  # the channel's name in the notify configuration
    kind: str  # webhook, alertmanager, slack, email
    error: str  # the last error, readable
    attempts: int
    key: str  # "<incident_id>:<seq>", the idempotency key
    alert: bytes  # the alert record as it was on the alerts topic
    at: float  # wall-clock time it was given up, epoch seconds
    source_partition: int = -1
    source_offset: int = -1

    def to_json(self) -> bytes:
        alert: Any
        try:
            alert = orjson.loads(self.alert)
        except orjson.JSONDecodeError:
            alert = self.alert.decode("utf-8", "replace")
        return orjson.dumps(
            {
                "schema_version": DELIVERY_DEADLETTER_SCHEMA_VERSION,
                "channel": self.channel,
                "kind": self.kind,
                "error": self.error,
                "attempts": self.attempts,
                "key": self.key,
                "alert": alert,
                "source": {"partition": self.source_partition, "offset": self.source_offset},
                "at": format_ts(self.at),
            }
        )

    @classmethod
    def from_json(cls, raw: bytes) -> DeliveryDeadLetter:
        obj = orjson.loads(raw)
        alert = obj["alert"]
        return cls(
            channel=obj["channel"],
            kind=obj["kind"],
            error=obj["error"],
            attempts=obj["attempts"],
            key=obj["key"],
            alert=alert.encode() if isinstance(alert, str) else orjson.dumps(alert),
            at=parse_ts(obj["at"]),
            source_partition=obj["source"]["partition"],
            source_offset=obj["source"]["offset"],
        )
