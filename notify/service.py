"""The delivery service: one consumer group on the alerts topic, one lane per channel.

- **Its own consumer group** (``<app id>.notify``), in a process of its own (``pantau notify``; ``pantau run``
  starts one): a channel that fails, hangs or floods never reaches detection, whose alerts topic is the only
  thing the two share.
- **One lane per channel.** Each record read goes into every channel's queue; a channel takes the records its
  route matches, in the order read (so in order per incident: records are keyed by incident), and a slow
  channel holds only its own lane. When a lane's queue is full, reading pauses: backpressure, not loss.
- **A durable position.** The offset committed for a partition is the lowest that every lane has finished:
  below it each record was delivered, dead-lettered, filtered out, or found delivered already, on every
  channel. A crash or an outage of any channel loses nothing.
- **Each record once per channel.** The ledger (SQLite, ``notify/ledger.py``) notes each ``incident_id:seq``
  a channel has finished, so the records read again after a restart are skipped; every request carries the
  same key (``webhook-id``, ``Idempotency-Key``, ``Message-ID``) for the receiver to drop a copy the ledger
  could not know of (a crash between the delivery and its note).
- **Dead letters.** A record a channel could not deliver by its deadline, or that was refused for good, goes
  to the delivery dead-letter topic with the channel, the error and the record; the lane goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from kafka import KafkaConsumer
from kafka.structs import TopicPartition as SyncTopicPartition
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from notify.channels import DeliveringChannel, Delivery, build_channel
from notify.channels.alertmanager import AlertmanagerChannel
from notify.config import NotifyConfig
from notify.ledger import DeliveryLedger
from notify.metrics import NotifyMetrics
from schemas.alert import Alert
from schemas.delivery import DeliveryDeadLetter
from streams.config import Settings
from streams.logs import escape
from streams.metrics import add_process_collectors, build_info
from streams.topics import max_record_bytes

log = logging.getLogger(__name__)

_QUEUE_SIZE = 1000  # records a lane holds before reading pauses
_COMMIT_EVERY_S = 1.0
_DEADLETTER_RETRY_S = 5.0
_DEADLETTER_WATCH_S = 15.0  # a scrape interval


@dataclass
class Lane:
    """One channel's queue and how far it got, per partition (the offset after its last finished record)."""

    channel: DeliveringChannel
    queue: asyncio.Queue[tuple[TopicPartition, int, Delivery | None]] = field(
        default_factory=lambda: asyncio.Queue(_QUEUE_SIZE)
    )
    done: dict[TopicPartition, int] = field(default_factory=dict)
    task: asyncio.Task[None] | None = None


class _Rebalance(ConsumerRebalanceListener):  # type: ignore[misc]  # kafka-python ships no type information
    def __init__(self, service: NotifyService) -> None:
        self.service = service

    async def on_partitions_revoked(self, revoked: Any) -> None:
        await self.service.commit()  # what every lane finished; the new owner resumes there

    async def on_partitions_assigned(self, assigned: Any) -> None:
        self.service.assigned = True
        log.info("notify: assigned %s", sorted(f"{tp.topic}[{tp.partition}]" for tp in assigned))


class NotifyService:
    """Reads alert records and delivers them on every configured channel."""

    def __init__(
        self,
        settings: Settings,
        config: NotifyConfig,
        registry: CollectorRegistry | None = None,
        state_dir: Path | None = None,
    ) -> None:
        self.settings = settings
        self.config = config
        self.registry = registry if registry is not None else CollectorRegistry()
        self.metrics = NotifyMetrics.create(self.registry)
        add_process_collectors(self.registry)
        build_info(self.registry, settings.app_id)
        directory = state_dir if state_dir is not None else Path(settings.notify_state_dir) / settings.app_id
        self.ledger = DeliveryLedger(directory / "ledger.sqlite")
        self.group_id = f"{settings.app_id}.notify"
        self.lanes = [Lane(self._channel(c)) for c in config.channels]
        self.metrics.initialise(c.name for c in config.channels)
        self._deadletter_reader: KafkaConsumer | None = None
        self.assigned = False
        self._consumer: AIOKafkaConsumer | None = None
        self._producer: AIOKafkaProducer | None = None
        self._committed: dict[TopicPartition, int] = {}
        self._stopping = asyncio.Event()
        self._web: web.AppRunner | None = None

    def _channel(self, channel_config: Any) -> DeliveringChannel:
        extra: dict[str, Any] = {"ledger": self.ledger} if channel_config.kind == "alertmanager" else {}
        return build_channel(
            channel_config,
            self._dead_letter,
            on_delivered=self._delivered,
            on_retry=lambda channel, error: self.metrics.retries.labels(channel=channel.config.name).inc(),
            console_url=self.config.console_url,
            **extra,
        )

    # -- the lanes ---------------------------------------------------------------------------------------------

    def _delivered(self, channel: Any, delivery: Delivery, seconds: float) -> None:
        name = channel.config.name
        self.ledger.mark(name, delivery.key, time.time())
        self.metrics.deliveries.labels(channel=name, outcome="delivered").inc()
        self.metrics.delivery_seconds.labels(channel=name).observe(seconds)
        if delivery.written_at:
            self.metrics.record_to_delivery_seconds.labels(channel=name).observe(
                max(0.0, time.time() - delivery.written_at)
            )

    async def _dead_letter(self, channel: Any, delivery: Delivery, error: BaseException, attempts: int) -> None:
        """The one policy for a record a channel cannot take: the delivery dead-letter topic. Raises when that
        topic cannot be written either: the lane then keeps the record, and its position does not move."""
        name = channel.config.name
        record = DeliveryDeadLetter(
            channel=name,
            kind=channel.config.kind,
            error=str(error)[:1000] or type(error).__name__,
            attempts=attempts,
            key=delivery.key,
            alert=delivery.raw,
            at=time.time(),
            source_partition=delivery.partition,
            source_offset=delivery.offset,
        )
        assert self._producer is not None
        await self._producer.send_and_wait(
            self.settings.delivery_deadletter_topic, record.to_json(), key=delivery.alert.incident_id.encode()
        )
        self.ledger.mark(name, delivery.key, time.time())
        self.metrics.deadletters.labels(channel=name).inc()
        self.metrics.deliveries.labels(channel=name, outcome="dead_lettered").inc()
        log.warning(
            "notify %s: %s dead-lettered after %d attempts: %s", name, delivery.key, attempts, escape(str(error))
        )

    async def _run_lane(self, lane: Lane) -> None:
        channel = lane.channel
        name = channel.config.name
        while True:
            tp, offset, delivery = await lane.queue.get()
            self.metrics.queued.labels(channel=name).set(lane.queue.qsize())
            if delivery is not None:
                if not channel.config.route.matches(delivery.alert):
                    self.metrics.deliveries.labels(channel=name, outcome="filtered").inc()
                elif self.ledger.delivered(name, delivery.key):
                    self.metrics.deliveries.labels(channel=name, outcome="duplicate").inc()
                else:
                    channel.add(delivery)
                    while True:
                        try:
                            await channel.flush()
                            break
                        except asyncio.CancelledError:
                            raise
                        except Exception as exc:  # the dead-letter topic itself failed: keep the record, retry
                            log.error("notify %s: cannot dead-letter %s (%r); position held", name, delivery.key, exc)
                            await asyncio.sleep(_DEADLETTER_RETRY_S)
            lane.done[tp] = offset + 1

    # -- reading and committing -----------------------------------------------------------------------------------

    async def commit(self) -> None:
        """Commit, per partition, the lowest position every lane has finished."""
        if self._consumer is None or not self.lanes:
            return
        offsets: dict[TopicPartition, int] = {}
        for tp in {tp for lane in self.lanes for tp in lane.done}:
            positions = [lane.done.get(tp) for lane in self.lanes]
            if None in positions:
                continue
            position = min(p for p in positions if p is not None)
            if position > self._committed.get(tp, -1):
                offsets[tp] = position
        if offsets:
            await self._consumer.commit(offsets)
            self._committed.update(offsets)

    async def _read(self) -> None:
        assert self._consumer is not None
        while not self._stopping.is_set():
            batches = await self._consumer.getmany(timeout_ms=200, max_records=200)
            for tp, records in batches.items():
                for record in records:
                    self.metrics.records.inc()
                    delivery = self._decode(tp, record)
                    for lane in self.lanes:
                        await lane.queue.put((tp, record.offset, delivery))

    def _decode(self, tp: TopicPartition, record: Any) -> Delivery | None:
        try:
            alert = Alert.from_json(record.value)
        except Exception as exc:  # not ours, or a future schema: counted and logged, never delivered half-read
            self.metrics.undecodable.inc()
            log.warning(
                "notify: %s[%d]@%d is no alert record: %s", tp.topic, tp.partition, record.offset, escape(repr(exc))
            )
            return None
        return Delivery(alert, record.value, tp.partition, record.offset, (record.timestamp or 0) / 1000)

    def _deadletter_messages(self) -> int:
        """Messages on the delivery dead-letter topic (blocking: run in a thread)."""
        if self._deadletter_reader is None:
            self._deadletter_reader = KafkaConsumer(
                bootstrap_servers=self.settings.kafka_bootstrap, **self.settings.kafka_security().options()
            )
        reader = self._deadletter_reader
        topic = self.settings.delivery_deadletter_topic
        partitions = reader.partitions_for_topic(topic)
        if not partitions:
            return 0  # never written: the topic does not exist yet
        tps = [SyncTopicPartition(topic, p) for p in sorted(partitions)]
        ends, starts = reader.end_offsets(tps), reader.beginning_offsets(tps)
        return sum(max(0, ends[tp] - starts[tp]) for tp in tps)

    async def _watch_deadletter_topic(self) -> None:
        while True:
            try:
                count = await asyncio.to_thread(self._deadletter_messages)
                self.metrics.deadletter_topic_messages.set(count)
            except Exception as exc:  # the broker is away: the gauge keeps its last value
                log.warning("notify: delivery dead-letter topic not read: %r", exc)
                self._close_deadletter_reader()
            await asyncio.sleep(_DEADLETTER_WATCH_S)

    def _close_deadletter_reader(self) -> None:
        if self._deadletter_reader is not None:
            with contextlib.suppress(Exception):
                self._deadletter_reader.close()
            self._deadletter_reader = None

    async def _commit_forever(self) -> None:
        last_prune = 0.0
        while True:
            await asyncio.sleep(_COMMIT_EVERY_S)
            try:
                await self.commit()
            except Exception as exc:  # a rebalance or a broker pause: the next round commits
                log.warning("notify: commit failed: %r", exc)
            if time.time() - last_prune > 3600:
                last_prune = time.time()
                self.ledger.prune(last_prune)

    # -- the web endpoints ----------------------------------------------------------------------------------------

    async def _start_web(self) -> None:
        app = web.Application()

        async def metrics(request: web.Request) -> web.Response:
            return web.Response(body=generate_latest(self.registry), content_type=CONTENT_TYPE_LATEST.split(";")[0])

        async def healthz(request: web.Request) -> web.Response:
            return web.json_response({"status": "ok"})

        async def readyz(request: web.Request) -> web.Response:
            ready = self.assigned and self._producer is not None
            return web.json_response({"ready": ready, "assigned": self.assigned}, status=200 if ready else 503)

        app.router.add_get("/metrics", metrics)
        app.router.add_get("/healthz", healthz)
        app.router.add_get("/readyz", readyz)
        self._web = web.AppRunner(app)
        await self._web.setup()
        await web.TCPSite(self._web, self.settings.web_host, self.settings.notify_port).start()

    # -- life cycle ---------------------------------------------------------------------------------------------

    async def run(self) -> None:
        """Deliver until :meth:`stop`; then finish the record each lane is on, commit, and close."""
        settings = self.settings
        await self._start_web()
        client_options = settings.kafka_security().options()  # TLS and SASL, refused at start if impossible
        self._producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all", **client_options)
        await self._producer.start()
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=settings.kafka_bootstrap,
            group_id=self.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            session_timeout_ms=int(settings.broker_session_timeout_s * 1000),
            heartbeat_interval_ms=1000,
            max_partition_fetch_bytes=max_record_bytes(settings),
            fetch_max_wait_ms=settings.fetch_max_wait_ms,  # as the worker; 500 ms (aiokafka) set the latency floor
            **client_options,
        )
        self._consumer.subscribe([settings.alerts_topic], listener=_Rebalance(self))
        await self._consumer.start()
        for lane in self.lanes:
            lane.task = asyncio.ensure_future(self._run_lane(lane))
            if isinstance(lane.channel, AlertmanagerChannel):
                lane.channel.start()
        committer = asyncio.ensure_future(self._commit_forever())
        watcher = asyncio.ensure_future(self._watch_deadletter_topic())
        names = ", ".join(f"{lane.channel.config.name} ({lane.channel.config.kind})" for lane in self.lanes)
        log.info("notify: delivering %s to %s as group %s", settings.alerts_topic, names or "no channel", self.group_id)
        try:
            reader = asyncio.ensure_future(self._read())
            stopping = asyncio.ensure_future(self._stopping.wait())
            done, _ = await asyncio.wait({reader, stopping}, return_when=asyncio.FIRST_COMPLETED)
            reader.cancel()
            stopping.cancel()
            for task in done:
                if task is reader and task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
        finally:
            committer.cancel()
            watcher.cancel()
            await self._close()
            self._close_deadletter_reader()

    async def _close(self) -> None:
        for lane in self.lanes:
            if lane.task is not None:
                lane.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await lane.task
        with contextlib.suppress(Exception):
            await self.commit()
        for lane in self.lanes:
            await lane.channel.close()
        if self._consumer is not None:
            await self._consumer.stop()
        if self._producer is not None:
            await self._producer.stop()
        if self._web is not None:
            await self._web.cleanup()
        self.ledger.close()

    def stop(self) -> None:
        self._stopping.set()


def channel_summary(config: NotifyConfig) -> str:
    """The channels and their routes, for the log and ``pantau notify --check`` (no secret in it)."""
    return orjson.dumps(
        [
            {"name": c.name, "kind": c.kind, "deadline_s": c.deadline_s, "route": c.route.__dict__}
            for c in config.channels
        ],
        option=orjson.OPT_INDENT_2,
    ).decode()
