"""Alertmanager v2: each incident is one alert, identified by its labels, sent again while it is active.

Alertmanager resolves an alert it has not heard of for ``resolve_timeout`` (5 minutes by default), so an
active incident is sent again every ``resend_s`` (60 s), from the ledger, which survives a restart. When the
incident resolves, the alert is sent once more with ``endsAt``, and no longer re-sent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import orjson

from notify.channels.base import Delivery, HttpChannel, idempotency_headers
from notify.ledger import DeliveryLedger
from schemas.alert import Alert
from schemas.post import format_ts

log = logging.getLogger(__name__)

ALERT_NAME = "PantauIncident"


def alertmanager_alert(alert: Alert, console_link: str = "", now: float | None = None) -> dict[str, Any]:
    """The Alertmanager v2 alert for a record (``POST /api/v2/alerts`` takes a list of them).

    >>> record = Alert(incident_id="inc-1", seq=3, kind="resolved", at=100.0, first_seen=0.0, title="t",
    ...                type_code="114", type_label="complain", severity="high", confidence=0.9,
    ...                countries=("AU", "ID"), reason="quiet for 12 h")
    >>> am = alertmanager_alert(record, now=200.0)
    >>> am["labels"]["incident_id"], am["labels"]["countries"], am["startsAt"], am["endsAt"]
    ('inc-1', 'AU,ID', '1970-01-01T00:00:00Z', '1970-01-01T00:01:40Z')
    """
    body: dict[str, Any] = {
        "labels": {
            "alertname": ALERT_NAME,
            "incident_id": alert.incident_id,
            "type": alert.type_code,
            "severity": alert.severity,
            "countries": ",".join(alert.countries),
        },
        "annotations": {
            "summary": alert.title,
            "description": alert.reason,
            "type_label": alert.type_label,
            "console": console_link,
        },
        "startsAt": format_ts(alert.first_seen),
    }
    if console_link:
        body["generatorURL"] = console_link
    if alert.kind == "resolved":
        # Event time, but never in the future for Alertmanager's clock: it would stay firing until then.
        body["endsAt"] = format_ts(min(alert.at, time.time() if now is None else now))
    return body


class AlertmanagerChannel(HttpChannel):
    """``config.url`` is Alertmanager's base URL (``http://alertmanager:9093``)."""

    def __init__(self, *args: Any, ledger: DeliveryLedger | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ledger = ledger
        self._resender: asyncio.Task[None] | None = None
        # A re-send read from the ledger before a resolve and posted after it would re-open the alert in
        # Alertmanager for resolve_timeout: sends and re-sends take turns.
        self._turn = asyncio.Lock()

    @property
    def endpoint(self) -> str:
        return self.config.url.rstrip("/") + "/api/v2/alerts"

    async def send(self, delivery: Delivery) -> None:
        alert = delivery.alert
        body = alertmanager_alert(alert, self.console_link(alert))
        async with self._turn:
            await self.post(
                orjson.dumps([body]),
                {"Content-Type": "application/json", **idempotency_headers(delivery)},
                url=self.endpoint,
            )
            if self.ledger is not None:
                if alert.kind == "resolved":
                    self.ledger.clear_active(self.config.name, alert.incident_id)
                else:
                    self.ledger.set_active(self.config.name, alert.incident_id, orjson.dumps(body))

    def start(self) -> None:
        """Begin re-sending the active incidents (call once, on the service's event loop)."""
        if self._resender is None:
            self._resender = asyncio.ensure_future(self._resend_forever())

    async def _resend_forever(self) -> None:
        while True:
            await asyncio.sleep(self.config.resend_s)
            async with self._turn:
                await self._resend_active()

    async def _resend_active(self) -> None:
        active = self.ledger.active(self.config.name) if self.ledger is not None else {}
        if not active:
            return
        try:
            await self.post(
                b"[" + b",".join(active.values()) + b"]", {"Content-Type": "application/json"}, url=self.endpoint
            )
        except Exception as exc:  # the next round tries again; Alertmanager keeps them for resolve_timeout
            log.warning(
                "alertmanager %s: re-sending %d active incidents failed: %s", self.config.name, len(active), exc
            )

    async def close(self) -> None:
        if self._resender is not None:
            self._resender.cancel()
        await super().close()
