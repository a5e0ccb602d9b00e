"""The console's view of the topics: reads the alerts and feedback topics from their start, then follows them.

No consumer group: every worker's console reads every partition itself, from the beginning, so a restart
(or any worker an officer reaches) shows the same incidents and labels. ``caught_up`` turns true once the
positions reach the ends the topics had when reading began: before that, the console says it is loading.
Listeners (the live pages' event streams) get the id of each incident that changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from console.state import ConsoleState
from schemas.alert import Alert
from schemas.errors import InvalidMessage
from schemas.feedback import Feedback, decode_feedback

log = logging.getLogger(__name__)

Listener = Callable[[str], None]
_RETRY_S = 1.0


class ConsoleFeed:
    """Folds the alerts and feedback topics into a :class:`ConsoleState` and writes officers' labels."""

    def __init__(
        self,
        bootstrap: str,
        alerts_topic: str,
        feedback_topic: str,
        state: ConsoleState | None = None,
        client_options: Mapping[str, Any] | None = None,
    ):
        self.bootstrap = bootstrap
        self.client_options = dict(client_options or {})  # TLS and SASL, as every client of the worker
        self.alerts_topic = alerts_topic
        self.feedback_topic = feedback_topic
        self.state = state if state is not None else ConsoleState()
        self.caught_up = False
        self.records_read = 0
        self.undecodable = 0
        self._listeners: set[Listener] = set()
        self._task: asyncio.Task[None] | None = None
        self._producer: AIOKafkaProducer | None = None
        self._end_at_start: dict[TopicPartition, int] = {}
        self._read_to: dict[TopicPartition, int] = {}  # next offset to read, kept across reconnections

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.add(listener)
        return lambda: self._listeners.discard(listener)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="console-feed")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._producer is not None:
            with contextlib.suppress(Exception):
                await self._producer.stop()

    async def send_feedback(self, feedback: Feedback, timeout_s: float = 10.0) -> None:
        """Write one label to the feedback topic; the console shows it once it reads it back (the topic rules)."""
        if self._producer is None:
            producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, acks="all", **self.client_options)
            await asyncio.wait_for(producer.start(), timeout_s)
            self._producer = producer
        key = (feedback.incident_id or "").encode()
        await asyncio.wait_for(
            self._producer.send_and_wait(self.feedback_topic, feedback.to_json(), key=key), timeout_s
        )

    async def _run(self) -> None:
        while True:
            consumer = AIOKafkaConsumer(
                bootstrap_servers=self.bootstrap,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                **self.client_options,
            )
            try:
                await consumer.start()
                await self._follow(consumer)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the broker away, a topic not created yet: try again, keep what is read
                log.warning("console feed: %r; retrying", exc)
            finally:
                with contextlib.suppress(Exception):
                    await consumer.stop()
            await asyncio.sleep(_RETRY_S)

    async def _partitions(self, consumer: AIOKafkaConsumer) -> list[TopicPartition]:
        while True:
            tps = []
            for topic in (self.alerts_topic, self.feedback_topic):
                found = consumer.partitions_for_topic(topic)
                if not found:
                    await consumer.topics()  # refreshes the metadata
                    found = consumer.partitions_for_topic(topic)
                tps += [TopicPartition(topic, p) for p in sorted(found or ())]
            if any(tp.topic == self.alerts_topic for tp in tps):
                return tps
            await asyncio.sleep(_RETRY_S)

    async def _follow(self, consumer: AIOKafkaConsumer) -> None:
        tps = await self._partitions(consumer)
        consumer.assign(tps)
        positions = self._read_to
        for tp in tps:
            if tp in positions:
                consumer.seek(tp, positions[tp])  # reconnected: go on from what was read
            else:
                await consumer.seek_to_beginning(tp)
        if not self._end_at_start:
            self._end_at_start = dict(await consumer.end_offsets(tps))
        while True:
            batches = await consumer.getmany(timeout_ms=500, max_records=500)
            for tp, records in batches.items():
                for record in records:
                    self._apply(tp.topic, record.value)
                    positions[tp] = record.offset + 1
            if not self.caught_up and all(positions.get(tp, 0) >= end for tp, end in self._end_at_start.items()):
                self.caught_up = True
                log.info("console: %d incidents rebuilt from %d records", len(self.state), self.records_read)
            if set(consumer.assignment()) != set(await self._partitions(consumer)):
                return  # partitions added: assign them afresh

    def _apply(self, topic: str, value: bytes | None) -> None:
        self.records_read += 1
        try:
            if topic == self.alerts_topic:
                alert = Alert.from_json(value or b"")
                changed = self.state.apply_alert(alert)
                incident_id = alert.incident_id
            else:
                feedback = decode_feedback(value or b"")
                changed = self.state.apply_feedback(feedback)
                incident_id = feedback.incident_id or ""
        except (InvalidMessage, ValueError, KeyError, TypeError) as exc:
            # Detection dead-letters bad feedback itself; the console only skips what it cannot show.
            self.undecodable += 1
            log.warning("console: skipped an unreadable record on %s: %s", topic, str(exc)[:200])
            return
        if changed:
            for listener in list(self._listeners):
                listener(incident_id)
