"""A webhook signed per Standard Webhooks, with a CloudEvents 1.0 structured JSON body.

- The body is the CloudEvent (``cloudevents`` SDK): ``type`` ``id.pantau.incident.raised`` / ``.updated`` /
  ``.resolved``, ``id`` ``<incident_id>-<seq>`` (the same record always has the same id), ``time`` the
  record's event time, ``subject`` the incident id, ``data`` the alert record and its console link.
- The headers are signed with ``standardwebhooks``: ``webhook-id`` (the event id, also the receiver's
  de-duplication key), ``webhook-timestamp`` and ``webhook-signature``, HMAC-SHA256 over
  ``id.timestamp.body``, one ``v1,`` signature per active secret, so a receiver rotating its secret accepts
  either. Each attempt is signed afresh: a retry never carries a stale timestamp.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cloudevents.core.bindings.http import to_structured
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from standardwebhooks import Webhook

from notify.channels.base import Delivery, HttpChannel, idempotency_headers
from schemas.alert import Alert

EVENT_TYPE_PREFIX = "id.pantau.incident."


def event_id(alert: Alert) -> str:
    """The CloudEvent id and ``webhook-id`` of a record: deterministic from ``(incident_id, seq)``."""
    return f"{alert.incident_id}-{alert.seq}"


def cloud_event(alert: Alert, source: str, console_link: str = "") -> tuple[dict[str, str], bytes]:
    """The record as a structured-mode CloudEvent: its HTTP headers and body.

    >>> alert = Alert(incident_id="inc-1", seq=2, kind="updated", at=0.0, first_seen=0.0, title="t",
    ...               type_code="11", type_label="disapprove", severity="high", confidence=0.9)
    >>> headers, body = cloud_event(alert, "/pantau/pantau")
    >>> import orjson; event = orjson.loads(body)
    >>> headers["content-type"], event["type"], event["id"], event["subject"], event["time"]
    ('application/cloudevents+json', 'id.pantau.incident.updated', 'inc-1-2', 'inc-1', '1970-01-01T00:00:00Z')
    """
    data = alert.to_dict()
    if console_link:
        data["console_url"] = console_link
    event = CloudEvent(
        {
            "id": event_id(alert),
            "source": source,
            "type": EVENT_TYPE_PREFIX + alert.kind,
            "time": datetime.fromtimestamp(alert.at, tz=UTC),
            "subject": alert.incident_id,
            "datacontenttype": "application/json",
        },
        data,
    )
    message = to_structured(event, JSONFormat())
    return dict(message.headers), message.body


class WebhookChannel(HttpChannel):
    """POSTs each record as a signed CloudEvent to ``config.url``."""

    source = "/pantau"

    def signers(self) -> list[Webhook]:
        return [Webhook(secret) for secret in self.config.secrets]

    async def send(self, delivery: Delivery) -> None:
        alert = delivery.alert
        headers, body = cloud_event(alert, self.source, self.console_link(alert))
        msg_id = event_id(alert)
        now = datetime.now(tz=UTC)
        text = body.decode("utf-8")
        signatures = " ".join(signer.sign(msg_id, now, text) for signer in self.signers())
        headers.update(
            {
                "webhook-id": msg_id,
                "webhook-timestamp": str(int(now.timestamp())),
                "webhook-signature": signatures,
                **idempotency_headers(delivery),
            }
        )
        await self.post(body, headers)
