"""Alert records leave through a producer of their own, so that a lost broker answer never writes one twice.

A producer that gets no answer to a request cannot tell whether the broker wrote it. Faust's producer then
sends the request again, which is right for the internal topic (a copy is dropped by its source offset) but
would put an alert record in the alerts topic twice: without an idempotent producer (Tansu offers aiokafka
none) the broker cannot drop the copy. Here a record whose send fails is not retried blindly: the records
written since our last confirmed position are read back, and only a record that is not there is sent again.
Records go one at a time, each confirmed before the next, so a retry never overtakes a later record.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from schemas.alert import Alert
from streams.state import alert_key, sent_since

log = logging.getLogger(__name__)

_MAX_ATTEMPTS = 5


class AlertPublisher:
    """Sends alert records to ``topic`` at most once each, at least once while the broker can be reached."""

    def __init__(self, bootstrap: str, topic: str, request_timeout_s: float, max_request_bytes: int) -> None:
        self.bootstrap = bootstrap
        self.topic = topic
        self.request_timeout_s = request_timeout_s
        self.max_request_bytes = max_request_bytes
        # Called with "written" (the read-back found the record: only the answer was lost) or "missing".
        self.on_failure: Callable[[str], None] = lambda outcome: None
        self._producer: AIOKafkaProducer | None = None

    @property
    def started(self) -> bool:
        return self._producer is not None

    async def start(self) -> None:
        if self._producer is not None:
            return
        producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap,
            acks=-1,
            request_timeout_ms=int(self.request_timeout_s * 1000),
            max_request_size=self.max_request_bytes,
            linger_ms=0,
        )
        await producer.start()
        # A batch lives as long as one request: a request that timed out is never sent again by aiokafka
        # (its answer may only have been lost); we decide, after reading the topic back.
        producer._message_accumulator._batch_ttl = self.request_timeout_s
        self._producer = producer

    async def stop(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def publish(
        self, alerts: list[Alert], positions: dict[int, int], on_written: Callable[[int, int], None]
    ) -> None:
        """Send each record; ``on_written(partition, offset)`` for each confirmed write. ``positions`` are the
        alerts topic's positions after our last confirmed records: where a read-back starts."""
        if self._producer is None:
            raise RuntimeError("alert publisher not started")
        for alert in alerts:
            await self._publish_one(self._producer, alert, positions, on_written)

    async def _publish_one(
        self,
        producer: AIOKafkaProducer,
        alert: Alert,
        positions: dict[int, int],
        on_written: Callable[[int, int], None],
    ) -> None:
        key = alert_key(alert)
        send = True
        for attempt in range(1, _MAX_ATTEMPTS + 1):
            if send:
                try:
                    written: Any = await (
                        await producer.send(self.topic, alert.to_json(), key=alert.incident_id.encode())
                    )
                except KafkaError as exc:
                    log.warning("alert record %s: send failed (%r), reading the topic back", key, exc)
                else:
                    on_written(written.partition, written.offset)
                    return
            try:
                landed = await asyncio.get_running_loop().run_in_executor(
                    None, sent_since, self.bootstrap, self.topic, dict(positions)
                )
            except Exception as exc:  # cannot tell whether it was written: look again before sending again
                log.warning("alert record %s: cannot read the topic back (%r)", key, exc)
                send = False
            else:
                if key in landed:
                    self.on_failure("written")
                    return  # written, only the answer was lost
                self.on_failure("missing")
                send = True
            await asyncio.sleep(min(2.0**attempt / 4, 5.0))
        raise KafkaError(f"alert record {key} not written after {_MAX_ATTEMPTS} attempts")
