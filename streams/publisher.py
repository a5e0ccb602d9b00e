"""Alert records leave through a producer of their own, so that a lost broker answer never writes one twice.

A producer that gets no answer to a request cannot tell whether the broker wrote it. Faust's producer then
sends the request again, which is right for the internal topic (a copy is dropped by its source offset) but
would put an alert record in the alerts topic twice: without an idempotent producer (Tansu offers aiokafka
none) the broker cannot drop the copy. Here aiokafka never retries an alert record itself. When a send fails,
the records written since our last confirmed position are read back, and only a record that is certainly
not there is sent again. Records go one at a time, each confirmed before the next, under one lock, so a
retry never overtakes a later record and two callers never interleave.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from schemas.alert import Alert
from streams.state import alert_key, sent_since
from streams.workarounds import expire_batches_at_once

log = logging.getLogger(__name__)

_MAX_BACKOFF_S = 5.0


class PublisherClosed(RuntimeError):
    """The publisher was stopped (the worker is shutting down): nothing more is sent."""


class AlertPublisher:
    """Sends alert records to ``topic``: each at most once, and retried while the broker cannot be reached.

    A broker that stays unreachable holds the caller (detection) until it answers: backpressure, not loss.
    """

    def __init__(
        self,
        bootstrap: str,
        topic: str,
        request_timeout_s: float,
        max_request_bytes: int,
        client_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.bootstrap = bootstrap
        self.client_options = dict(client_options or {})  # TLS and SASL (streams/kafka_security.py)
        self.topic = topic
        self.request_timeout_s = request_timeout_s
        self.max_request_bytes = max_request_bytes
        # Called with "written" (the read-back found the record: only the answer was lost) or "missing".
        self.on_failure: Callable[[str], None] = lambda outcome: None
        self._producer: AIOKafkaProducer | None = None
        self._closed = False
        self._lock = asyncio.Lock()  # one publish (send, read-back, resend) at a time
        self._start_lock = asyncio.Lock()

    @property
    def started(self) -> bool:
        return self._producer is not None

    async def start(self) -> None:
        async with self._start_lock:
            if self._closed:
                raise PublisherClosed("alert publisher stopped")
            if self._producer is not None:
                return
            producer = AIOKafkaProducer(
                bootstrap_servers=self.bootstrap,
                **self.client_options,
                acks=-1,
                request_timeout_ms=int(self.request_timeout_s * 1000),
                max_request_size=self.max_request_bytes,
                linger_ms=0,
            )
            try:
                await producer.start()
            except BaseException:
                await producer.stop()
                raise
            expire_batches_at_once(producer)  # a failure comes to us, and we read back before sending again
            self._producer = producer

    async def stop(self, wait_s: float = 10.0) -> None:
        """Stop for good, and refuse to start again. A publish in progress may finish first, for ``wait_s``:
        one stuck on an unreachable broker must not hold the worker's shutdown."""
        try:
            await asyncio.wait_for(self._lock.acquire(), wait_s)
            locked = True
        except TimeoutError:
            log.warning("alert publisher: a send still in progress after %.0f s is abandoned", wait_s)
            locked = False
        try:
            async with self._start_lock:
                self._closed = True
                if self._producer is not None:
                    await self._producer.stop()
                    self._producer = None
        finally:
            if locked:
                self._lock.release()

    async def publish(
        self, alerts: list[Alert], positions: dict[int, int], on_written: Callable[[int, int], None]
    ) -> None:
        """Send each record; ``on_written(partition, offset)`` for each confirmed write. ``positions`` are the
        alerts topic's positions after our last confirmed records: where a read-back starts."""
        async with self._lock:
            for alert in alerts:
                await self._publish_one(alert, positions, on_written)

    async def _publish_one(
        self, alert: Alert, positions: dict[int, int], on_written: Callable[[int, int], None]
    ) -> None:
        key = alert_key(alert)
        send = True
        attempt = 0
        while True:
            attempt += 1
            if send:
                try:
                    await self.start()
                    assert self._producer is not None
                    future = await self._producer.send(self.topic, alert.to_json(), key=alert.incident_id.encode())
                    written: Any = await future
                except KafkaError as exc:
                    log.warning("alert record %s: send failed (%r), reading the topic back", key, exc)
                else:
                    on_written(written.partition, written.offset)
                    return
            try:
                landed = await asyncio.get_running_loop().run_in_executor(
                    None,
                    lambda: sent_since(
                        self.bootstrap, self.topic, dict(positions), strict=True, client_options=self.client_options
                    ),
                )
            except Exception as exc:  # cannot tell whether it was written: look again before sending again
                log.error("alert record %s: cannot read the alerts topic back (%r); trying again", key, exc)
                send = False
            else:
                if key in landed:
                    self.on_failure("written")
                    return  # written, only the answer was lost
                self.on_failure("missing")
                send = True
            await asyncio.sleep(min(2.0 ** min(attempt, 6) / 8, _MAX_BACKOFF_S))
