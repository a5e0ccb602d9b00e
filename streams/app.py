"""The Faust application: posts → normalise → detect → alerts, with dead letters for bad input.

Agents stay thin: decode, call a pure function from ``detectors/``, emit. Each step has a stable name,
used as its metric label. Topics carry raw bytes; validation is ours (``schemas/``), not Faust's codecs.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import faust
import orjson
from aiohttp import web
from faust.types import TP, EventT
from kafka import KafkaAdminClient
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from console.auth import Credentials
from console.feed import ConsoleFeed
from console.web import Console, ConsoleConfig
from detectors.core import STATE_VERSION, DetectionCore
from detectors.text import normalise, normalise_text
from schemas.alert import Alert
from schemas.batch import decode_message
from schemas.deadletter import DeadLetter
from schemas.errors import InvalidMessage, RejectReason
from schemas.feedback import decode_feedback
from schemas.normalised import decode_normalised_batch, encode_normalised_batch
from schemas.post import admission_horizon
from streams.config import Settings
from streams.diagnostics import consumer_state
from streams.lag import GroupLag, lag_by_partition
from streams.logs import RejectSummary
from streams.metrics import (
    STEP_DETECT,
    STEP_FEEDBACK,
    STEP_NORMALISE,
    PantauMetrics,
    add_process_collectors,
    build_info,
)
from streams.ownership import DetectOwnership
from streams.publisher import AlertPublisher
from streams.readiness import BrokerProbe, DetectionProgress
from streams.sinks import AlertSink, ConsoleAlertSink
from streams.state import CheckpointStore, DetectState
from streams.topics import max_record_bytes, normalised_topic_name
from streams.workarounds import bound_delivery_time, bound_fetch_wait, group_member_id, track_output_topics

log = logging.getLogger(__name__)

_SHUTDOWN_WAIT_S = 30.0
_LAG_INTERVAL_S = 15.0  # a scrape interval: the committed offsets are one request to the group coordinator
# All normalised posts meet in one partition: significance statistics are global, not per partition.
NORMALISED_KEY = b"global"


@dataclass
class Pantau:
    """The wired service: the Faust app, its topics, metrics, detection core and sinks."""

    settings: Settings
    app: faust.App
    metrics: PantauMetrics
    posts_topic: faust.TopicT
    normalised_topic: faust.TopicT
    alerts_topic: faust.TopicT
    deadletter_topic: faust.TopicT
    feedback_topic: faust.TopicT
    ownership: DetectOwnership  # the detect partition: its state, checkpoints, restore and handover
    publisher: AlertPublisher  # alert records leave through it, never twice (streams/publisher.py)
    probe: BrokerProbe  # whether the broker answers, for /readyz
    progress: DetectionProgress  # whether detection moves, for /readyz
    sinks: list[AlertSink] = field(default_factory=list)
    ready: bool = False
    newest_post_ts: float = 0.0
    newest_received: float = 0.0  # broker timestamp of the newest posts message detection took in
    lag: GroupLag | None = None
    last_input_wall: float = 0.0
    source_seen: dict[int, float] = field(default_factory=dict)  # posts partition -> wall time last seen
    late_counted: int = 0  # the core's late-post count already added to the metric
    suppressed_counted: int = 0  # ... and its count of incidents suppressed by officers' labels
    group_member_id: str | None = None  # this worker's member id in the consumer group, once it has joined
    # Rejects are logged as a summary per reason; each one's detail is in the dead-letter topic.
    rejects: RejectSummary = field(default_factory=lambda: RejectSummary(log))
    console: Console | None = None  # the officers' console, when credentials are configured

    @property
    def core(self) -> DetectionCore:
        return self.state.core

    @property
    def state(self) -> DetectState:
        return self.ownership.state

    @property
    def holds_detect(self) -> bool:
        return self.ownership.holds

    async def take_up_detect(self) -> None:
        """Take up the detect partition: resume from the last checkpoint, if any (a fresh core otherwise)."""
        await self.ownership.take_up(self._restored)

    def _restored(self, state: DetectState) -> None:
        # A counting threshold only (no result depends on it): the setting in force, not the checkpoint's.
        state.core.late_after_s = self.settings.late_after_s
        self.late_counted = state.core.late_posts
        self.suppressed_counted = state.core.suppressed
        sources = self.source_count()
        state.core.expect_sources(range(sources))
        log.info("detection holds event time until all %d posts partitions pass it", sources)
        self.source_seen = {}
        # The restored buffer waits for input, not for the idle flush: the input is on its way.
        self.last_input_wall = time.monotonic()
        if self.settings.audit_log:
            _truncate_audit(Path(self.settings.audit_log), state.input_offset)

    def source_count(self) -> int:
        """Partitions of the posts topic, as the cluster has it (it may predate our settings)."""
        try:
            known = self.app.consumer.topic_partitions(self.settings.posts_topic)
        except Exception:  # no metadata yet: the setting is the best guess
            known = None
        return int(known) if known else self.settings.topic_partitions

    async def dead_letter(self, event: EventT[bytes], exc: InvalidMessage, step: str, batch_index: int = -1) -> None:
        """The one policy for bad messages: count it, log it, and send it with its reason to dead letters."""
        message = event.message
        record = DeadLetter(
            reason=exc.reason.value,
            error=exc.detail,
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
            original=_kept_original(message.value, exc.reason),
            at=time.time(),
            batch_index=batch_index,
            step=step,
        )
        self.metrics.posts_rejected.labels(step=step, reason=exc.reason.value).inc()
        where = f"{message.topic}[{message.partition}]@{message.offset}"
        self.rejects.note(step, exc.reason.value, where if batch_index < 0 else f"{where}#{batch_index}", exc.detail)
        await self.deadletter_topic.send(value=record.to_json())

    async def step_failed(self, event: EventT[bytes], exc: Exception, step: str) -> None:
        """An unexpected error in a step: a bug of ours. Logged, counted, and the message kept for replay."""
        self.metrics.step_errors.labels(step=step).inc()
        log.error(
            "%s failed on %s[%d]@%d",
            step,
            event.message.topic,
            event.message.partition,
            event.message.offset,
            exc_info=exc,
        )
        await self.dead_letter(event, InvalidMessage(RejectReason.PROCESSING_ERROR, repr(exc)), step)

    async def emit(self, alerts: list[Alert]) -> None:
        # Replayed after a restore: records that left before the crash are not sent again.
        alerts = self.ownership.drop_sent(alerts)
        if alerts:
            # One at a time, each confirmed: where it landed goes into the checkpoint (after a crash, the
            # records from there on are read back), and a lost answer never writes a record twice.
            await self.publisher.publish(alerts, self.state.alert_positions, self.state.note_sent)
        written = time.time()
        for alert in alerts:
            self.metrics.alerts_emitted.labels(kind=alert.kind, severity=alert.severity).inc()
            if alert.kind != "resolved" and self.newest_received:
                # A resolve comes of silence, not of a post: it has no post-to-alert time.
                self.metrics.post_to_alert_seconds.labels(kind=alert.kind).observe(
                    max(0.0, written - self.newest_received)
                )
            for sink in self.sinks:
                sink.add(alert)
        if alerts:
            for sink in self.sinks:
                sink.flush()

    def gauges_at_scrape(self) -> None:
        """Gauges computed when scraped, from the state the event loop owns (scrapes run on that loop)."""
        m = self.metrics

        def raised() -> float:
            return float(sum(1 for i in self.core.tracker.active.values() if i.raised and not i.dismissed))

        def candidates() -> float:
            return float(sum(1 for i in self.core.tracker.active.values() if not i.raised and not i.dismissed))

        def event_lag() -> float:
            return time.time() - self.newest_post_ts if self.newest_post_ts else math.nan

        def checkpoint_age() -> float:
            own = self.ownership
            if not own.holds:
                return math.nan
            return time.time() - own.checkpoint_wall if own.unacked else 0.0

        m.observe_at_scrape(m.incidents_active, raised)
        m.observe_at_scrape(m.incident_candidates, candidates)
        m.observe_at_scrape(m.event_lag_seconds, event_lag)
        m.observe_at_scrape(m.checkpoint_age_seconds, checkpoint_age)

    async def refresh_consumer_lag(self) -> None:
        """The lag of each partition this worker is assigned (see ``streams.lag``)."""
        if self.lag is None:
            return
        steps = {
            self.settings.posts_topic: STEP_NORMALISE,
            self.normalised_topic.get_topic_name(): STEP_DETECT,
            self.settings.feedback_topic: STEP_FEEDBACK,
        }
        consumer = self.app.consumer
        assigned = [(tp.topic, tp.partition) for tp in consumer.assignment() if tp.topic in steps]
        highwaters: dict[tuple[str, int], int | None] = {}
        for topic, partition in assigned:
            try:
                highwaters[(topic, partition)] = consumer.highwater(TP(topic, partition))
            except Exception:  # no fetch from it yet
                highwaters[(topic, partition)] = None
        committed = await self.lag.committed(assigned)
        gauge = self.metrics.consumer_lag
        gauge.clear()  # partitions another worker took over are no longer ours to report
        for (topic, partition), lag in lag_by_partition(highwaters, committed).items():
            gauge.labels(step=steps[topic], partition=str(partition)).set(lag)


def build(
    settings: Settings,
    registry: CollectorRegistry | None = None,
    core: DetectionCore | None = None,
    sinks: list[AlertSink] | None = None,
) -> Pantau:
    """Build the app for ``settings``. Tests pass a fresh registry; the worker passes its own."""
    registry = registry if registry is not None else CollectorRegistry()
    metrics = PantauMetrics.create(registry)
    add_process_collectors(registry)
    build_info(registry, settings.app_id, STATE_VERSION)
    bound_fetch_wait(settings.fetch_max_wait_ms)
    bound_delivery_time(settings.delivery_timeout_s)
    # Room for a normalised batch and a dead letter of a message at the size limit (Faust's default is
    # 1,000,000 bytes); the topics the service creates take records this large (streams/topics.py).
    max_request_bytes = max_record_bytes(settings)
    security = settings.kafka_security()
    client_options = security.options()
    app = faust.App(
        settings.app_id,
        broker=[f"kafka://{h.strip()}" for h in settings.kafka_bootstrap.split(",")],
        store="memory://",
        datadir=settings.data_dir,
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_bind=settings.web_host,
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.topic_replication,
        broker_credentials=security.faust_credentials(),
        broker_session_timeout=settings.broker_session_timeout_s,
        broker_heartbeat_interval=1.0,
        # Faust's own web pages would expose table contents and internals: our endpoints only.
        web_tables_enabled=False,
        web_router_enabled=False,
        web_graph_enabled=False,
        web_stats_enabled=False,
        web_metrics_enabled=False,
        # Tansu's aiokafka path has no idempotent producer (field notes): at-least-once, plus dedup by id.
        producer_acks=-1,
        producer_request_timeout=settings.producer_request_timeout_s,
        producer_max_request_size=max_request_bytes,
        consumer_auto_offset_reset="earliest",
        # Detect input is acknowledged at checkpoints only; a rebalance must not wait for that.
        stream_wait_empty=False,
    )
    posts_topic = app.topic(settings.posts_topic, value_type=bytes, value_serializer="raw", key_serializer="raw")
    normalised_topic = app.topic(
        normalised_topic_name(settings),
        value_type=bytes,
        value_serializer="raw",
        key_serializer="raw",
        partitions=1,
        internal=True,
    )
    alerts_topic = app.topic(settings.alerts_topic, value_type=bytes, value_serializer="raw", key_serializer="raw")
    deadletter_topic = app.topic(
        settings.deadletter_topic, value_type=bytes, value_serializer="raw", key_serializer="raw"
    )
    # Officers' labels have one partition: applied in one order, on the worker that holds the detection state.
    # Faust assigns topics of the same partition count that the same agents read together (copartitioned), so
    # the holder of the internal topic's partition holds the feedback partition too.
    feedback_topic = app.topic(
        settings.feedback_topic, value_type=bytes, value_serializer="raw", key_serializer="raw", partitions=1
    )
    if sinks is None:
        sinks = [ConsoleAlertSink()] if settings.console_alerts else []
    pantau = Pantau(
        settings=settings,
        app=app,
        metrics=metrics,
        ownership=DetectOwnership(
            # One directory per service (app id): several services can share a volume.
            CheckpointStore(Path(settings.state_dir) / settings.app_id),
            DetectState(core=core if core is not None else DetectionCore(late_after_s=settings.late_after_s)),
            metrics,
            settings.kafka_bootstrap,
            settings.alerts_topic,
            settings.checkpoint_interval_s,
            client_options=client_options,
        ),
        publisher=AlertPublisher(
            settings.kafka_bootstrap,
            settings.alerts_topic,
            request_timeout_s=settings.producer_request_timeout_s,
            max_request_bytes=max_request_bytes,
            client_options=client_options,
        ),
        probe=BrokerProbe(settings.kafka_bootstrap, grace_s=settings.ready_broker_s, client_options=client_options),
        progress=DetectionProgress(stall_s=settings.ready_stall_s),
        posts_topic=posts_topic,
        normalised_topic=normalised_topic,
        alerts_topic=alerts_topic,
        deadletter_topic=deadletter_topic,
        feedback_topic=feedback_topic,
        sinks=sinks,
    )
    pantau.lag = GroupLag(
        lambda: KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, **client_options), settings.app_id
    )
    pantau.gauges_at_scrape()
    _wire_agents(pantau)
    _wire_web(pantau, registry)
    return pantau


_Job = Callable[[], Awaitable[None]]


def _timer(app: faust.App, interval: float) -> Callable[[_Job], _Job]:
    """``app.timer``, typed: Faust's decorators carry no annotations."""
    return cast(Callable[[_Job], _Job], app.timer(interval=interval))


def _task(app: faust.App) -> Callable[[_Job], _Job]:
    """``app.task``, typed."""
    return cast(Callable[[_Job], _Job], app.task)


def _wire_agents(p: Pantau) -> None:
    app, m = p.app, p.metrics

    # One shape for every step: count, handle, and on an unexpected error dead-letter instead of dying.
    app.agent(p.posts_topic, name=STEP_NORMALISE)(_step_agent(p, STEP_NORMALISE, _normalise_one))
    # The detect step reads its two inputs, normalised posts and officers' feedback, in one agent.
    detect_input = app.topic(
        p.normalised_topic.get_topic_name(),
        p.feedback_topic.get_topic_name(),
        value_type=bytes,
        value_serializer="raw",
        key_serializer="raw",
        partitions=1,
        # Declared (created, with one partition each) at start, before the consumer subscribes: a topic the
        # subscription finds missing is auto-created with the broker's default partition count instead.
        internal=True,
    )
    app.agent(detect_input, name=STEP_DETECT)(_detect_agent(p))

    @app.on_rebalance_complete.connect  # type: ignore[arg-type]  # Faust's stub misses the signal kwarg
    async def _on_ready(sender: object, **kwargs: object) -> None:
        p.ready = True
        p.group_member_id = group_member_id(app) or p.group_member_id
        log.info("worker ready: partitions assigned, agents running")

    normalised_tp = (p.normalised_topic.get_topic_name(), 0)

    @app.on_partitions_assigned.connect  # type: ignore[arg-type]
    async def _on_assigned(sender: object, assigned: set[object], **kwargs: object) -> None:
        if not p.holds_detect and any((tp.topic, tp.partition) == normalised_tp for tp in assigned):  # type: ignore[attr-defined]
            await p.take_up_detect()

    @app.on_partitions_revoked.connect  # type: ignore[arg-type]
    async def _on_revoked(sender: object, revoked: set[object], **kwargs: object) -> None:
        if any((tp.topic, tp.partition) == normalised_tp for tp in revoked):  # type: ignore[attr-defined]
            await p.ownership.hand_over()  # the next holder resumes from here, with nothing to replay

    @app.on_before_shutdown.connect  # type: ignore[arg-type]
    async def _on_shutdown(sender: object, **kwargs: object) -> None:
        try:
            # Kept to the end: after the last checkpoint no batch is applied (the rest is replayed on start).
            await asyncio.wait_for(p.ownership.lock.acquire(), _SHUTDOWN_WAIT_S)
        except TimeoutError:  # a batch whose alerts cannot leave (broker unreachable): the last checkpoint stands
            log.warning("detection still busy after %.0f s: no final checkpoint", _SHUTDOWN_WAIT_S)
        else:
            if p.holds_detect:
                await p.ownership.checkpoint()
        await p.publisher.stop()

    @_timer(app, 1.0)
    async def _idle_sources() -> None:
        # An empty or stalled posts partition must not hold event time back for ever.
        if not p.holds_detect or not p.source_seen:
            return  # before the first input nothing can be late
        now = time.monotonic()
        # A source never heard from counts as silent since the stalest one that was heard.
        stalest = min(p.source_seen.values())
        for source in range(p.source_count()):
            since = p.source_seen.get(source, stalest)
            if now - since >= p.settings.source_idle_s and p.core.mark_idle(source):
                log.info("posts partition %d silent for %.0f s: event time no longer waits for it", source, now - since)

    p.publisher.on_failure = lambda outcome: m.alert_send_failures.labels(outcome=outcome).inc()

    @_task(app)
    async def _track_output_topics() -> None:
        await track_output_topics(
            app, (t.get_topic_name() for t in (p.normalised_topic, p.alerts_topic, p.deadletter_topic))
        )
        try:
            await p.publisher.start()  # connected before the first alert
        except Exception as exc:  # the first alert tries again
            log.warning("alert publisher not started yet: %r", exc)

    @_timer(app, min(1.0, p.settings.checkpoint_interval_s / 2))
    async def _checkpoint_on_interval() -> None:
        # Input stops, but what came before it must still be checkpointed and acknowledged: else it is replayed
        # after a restart, and the consumer group's lag never reaches zero.
        own = p.ownership
        if own.holds and own.checkpoint_due():
            try:
                async with own.lock:
                    if own.checkpoint_due():
                        await own.checkpoint(background=True)
            except Exception:  # a timer that raises would crash the worker: count and log instead
                m.step_errors.labels(step=STEP_DETECT).inc()
                log.exception("interval checkpoint failed")

    @_task(app)
    async def _probe_broker() -> None:
        await p.probe.run()  # until the worker stops

    @_timer(app, _LAG_INTERVAL_S)
    async def _consumer_lag() -> None:
        try:
            await p.refresh_consumer_lag()
        except Exception as exc:  # the coordinator is away: the gauge keeps its last values, the next round tries
            log.warning("consumer lag not read: %r", exc)

    @_timer(app, 1.0)
    async def _readiness_gauge() -> None:
        m.ready.set(1 if readiness(p)[0] else 0)

    @_timer(app, p.rejects.interval_s)
    async def _reject_summary() -> None:
        p.rejects.flush()

    @_timer(app, min(1.0, p.settings.idle_flush_s / 2))
    async def _idle_flush() -> None:
        # With no new posts the last tick would wait forever; release what is complete by the wall clock.
        # Only while the partition is held: a worker that handed it over (or is still taking it up) must not
        # release, and send the alerts of, a state that is not its own.
        if p.holds_detect and p.core.buffered and time.monotonic() - p.last_input_wall >= p.settings.idle_flush_s:
            try:
                async with p.ownership.lock:
                    if p.holds_detect:  # still: a handover may have come while this waited for the lock
                        await p.emit(p.core.release_idle())
                await _dead_letter_failures(p, None)
                p.metrics.buffered_posts.set(p.core.buffered)
            except Exception:  # a timer that raises would crash the worker: count and log instead
                m.step_errors.labels(step=STEP_DETECT).inc()
                log.exception("idle flush failed")


def _step_agent(
    p: Pantau, step: str, handle: Callable[[Pantau, EventT[bytes]], Awaitable[None]]
) -> Callable[[faust.StreamT[bytes]], AsyncIterator[None]]:
    async def agent(stream: faust.StreamT[bytes]) -> AsyncIterator[None]:
        async for event in stream.events():
            p.metrics.messages_consumed.labels(step=step).inc()
            try:
                await handle(p, event)
            except Exception as exc:
                await p.step_failed(event, exc, step)
            _observe_latency(p.metrics, step, event)
            yield None

    agent.__name__ = f"{step}_step"
    return agent


def _detect_agent(p: Pantau) -> Callable[[faust.StreamT[bytes]], AsyncIterator[None]]:
    """The detect step: like every step, but its input is acknowledged only once a checkpoint holds it."""

    async def detect_step(stream: faust.StreamT[bytes]) -> AsyncIterator[None]:
        manual = stream.noack()  # type: ignore[attr-defined]  # Faust's StreamT stub lacks it
        own = p.ownership
        own.detect_stream = manual
        async for event in manual.events():
            feedback = event.message.topic == p.settings.feedback_topic
            p.metrics.messages_consumed.labels(step=STEP_FEEDBACK if feedback else STEP_DETECT).inc()
            async with own.lock:
                p.progress.started(time.monotonic())
                if not own.holds:
                    await p.take_up_detect()  # the assignment signal can come after the first message
                try:
                    await (_feedback_one(p, event) if feedback else _detect_one(p, event))
                except Exception as exc:
                    await p.step_failed(event, exc, STEP_FEEDBACK if feedback else STEP_DETECT)
                p.progress.finished(time.monotonic())
                _observe_latency(p.metrics, STEP_DETECT, event)
                own.unacked.append(event)
                if own.checkpoint_due():
                    await own.checkpoint(background=True)
            yield None

    return detect_step


async def _feedback_one(p: Pantau, event: EventT[bytes]) -> None:
    """An officer's label, applied to the detection state once (its offset is checkpointed with the state)."""
    offset = event.message.offset
    if offset <= p.state.feedback_offset:
        p.metrics.redelivered.labels(step=STEP_FEEDBACK).inc()
        return  # already in the state we resumed from
    p.state.feedback_offset = offset
    try:
        feedback = decode_feedback(event.value, p.settings.max_message_bytes)
    except InvalidMessage as exc:
        await p.dead_letter(event, exc, STEP_FEEDBACK)
        return
    await p.emit(p.core.feedback(feedback))
    p.metrics.feedback_applied.labels(label=feedback.label).inc()


async def _normalise_one(p: Pantau, event: EventT[bytes]) -> None:
    # The same admission as the backtest's (schemas.post): a post dated too far ahead is rejected with the
    # other checks, as item i of a batch or as the whole message (batch_index -1).
    not_after = admission_horizon(time.time(), p.settings.max_future_s)
    try:
        decoded = decode_message(event.value, p.settings.max_message_bytes, not_after)
    except InvalidMessage as exc:
        await p.dead_letter(event, exc, STEP_NORMALISE)
        return
    for index, reject in decoded.rejects:
        await p.dead_letter(event, reject, STEP_NORMALISE, batch_index=index)
    posts = decoded.posts
    if not posts:
        return
    items = [normalise(post) for post in posts]
    p.metrics.posts_consumed.labels(step=STEP_NORMALISE).inc(len(items))
    origin = event.message
    await p.normalised_topic.send(
        key=NORMALISED_KEY,
        value=encode_normalised_batch(
            items, source=origin.partition, offset=origin.offset, received=origin.timestamp or 0.0
        ),
    )


async def _detect_one(p: Pantau, event: EventT[bytes]) -> None:
    state = p.state
    offset = event.message.offset
    # Input is flowing, even if it is a replay the state already holds: the idle flush must wait.
    p.last_input_wall = time.monotonic()
    if offset <= state.input_offset:
        p.metrics.redelivered.labels(step=STEP_DETECT).inc()
        return  # already in the state we resumed from
    state.input_offset = offset
    batch = decode_normalised_batch(event.value)
    p.source_seen[batch.source] = p.last_input_wall
    if not state.admit(batch.source, batch.offset):
        p.metrics.redelivered.labels(step=STEP_NORMALISE).inc()
        return  # a normalise worker sent this input again after a crash
    items = batch.items
    alerts = p.core.process(items, source=batch.source if batch.source >= 0 else None)
    state.posts_applied += len(items)
    if p.settings.audit_log:
        with open(p.settings.audit_log, "ab") as audit:
            audit.write(b"".join(audit_line(offset, item.post.id) for item in items))
    p.metrics.posts_consumed.labels(step=STEP_DETECT).inc(len(items))
    if p.core.late_posts > p.late_counted:
        p.metrics.late_posts.inc(p.core.late_posts - p.late_counted)
        p.late_counted = p.core.late_posts
    if p.core.suppressed > p.suppressed_counted:
        p.metrics.suppressed_incidents.inc(p.core.suppressed - p.suppressed_counted)
        p.suppressed_counted = p.core.suppressed
    p.metrics.buffered_posts.set(p.core.buffered)
    if items:
        p.newest_post_ts = max(p.newest_post_ts, max(i.post.ts for i in items))
    p.newest_received = max(p.newest_received, batch.received)
    await p.emit(alerts)
    await _dead_letter_failures(p, event)


async def _dead_letter_failures(p: Pantau, event: EventT[bytes] | None) -> None:
    """Posts that made the detection core fail (a bug of ours) go to dead letters one by one, as posts."""
    for post, error in p.core.take_failures():
        p.metrics.step_errors.labels(step=STEP_DETECT).inc()
        record = DeadLetter(
            reason=RejectReason.PROCESSING_ERROR.value,
            error=error,
            topic=p.settings.posts_topic if event is None else event.message.topic,
            partition=-1 if event is None else event.message.partition,
            offset=-1 if event is None else event.message.offset,
            original=post.to_json(),
            at=time.time(),
            step=STEP_DETECT,
        )
        p.metrics.posts_rejected.labels(step=STEP_DETECT, reason=record.reason).inc()
        await p.deadletter_topic.send(value=record.to_json())


def audit_line(offset: int, post_id: str) -> bytes:
    """One audit line, ``[offset, "post id"]``: JSON, so no id can break a line or forge one."""
    return orjson.dumps([offset, post_id]) + b"\n"


def read_audit(path: Path) -> list[tuple[int, str]]:
    """The audit log's ``(offset, post id)`` entries, in the order applied. A last line cut short by a kill
    (no newline yet) was never complete: it is left out, and that input is applied again."""
    lines = path.read_bytes().split(b"\n")[:-1]  # whatever follows the last newline is torn
    return [(int(o), str(i)) for o, i in map(orjson.loads, lines)]


def _truncate_audit(path: Path, upto_offset: int) -> None:
    """Keep the audit lines of input the checkpoint holds: what comes after will be applied again."""
    if not path.exists():
        return
    kept = [audit_line(o, i) for o, i in read_audit(path) if o <= upto_offset]
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(b"".join(kept))
    os.replace(tmp, path)


_MAX_ORIGINAL = 64 * 1024


def _kept_original(value: object, reason: RejectReason) -> bytes:
    """The rejected bytes, whole when they can be; a message rejected for its size keeps its head only."""
    raw = value if isinstance(value, bytes) else b""
    if reason is RejectReason.TOO_LARGE and len(raw) > _MAX_ORIGINAL:
        return raw[:_MAX_ORIGINAL]
    return raw


def _observe_latency(m: PantauMetrics, step: str, event: EventT[bytes]) -> None:
    ts = event.message.timestamp
    if ts:
        m.processing_seconds.labels(step=step).observe(max(0.0, time.time() - ts))


def readiness(p: Pantau) -> tuple[bool, dict[str, dict[str, Any]]]:
    """Whether the worker can make progress, and each check's finding (streams/readiness.py)."""
    now = time.monotonic()
    answered = p.probe.last_answer
    broker: dict[str, Any] = {
        "ok": p.probe.reachable(now),
        "last_answer_s_ago": None if answered is None else round(now - answered, 1),
    }
    if not broker["ok"]:
        broker["error"] = p.probe.last_error
    assigned = {"ok": p.ready and not p.app.rebalancing, "rebalancing": bool(p.app.rebalancing)}
    stalled = p.progress.stalled(now, _detect_backlog(p)) if p.holds_detect else None
    detection: dict[str, Any] = {"ok": stalled is None, "holds_detect": p.holds_detect}
    if stalled is not None:
        detection["error"] = stalled
    checks = {"broker": broker, "assigned": assigned, "detection": detection}
    return all(check["ok"] for check in checks.values()), checks


def _detect_backlog(p: Pantau) -> bool:
    """Whether the internal topic holds input past what detection applied (as of the last fetch)."""
    try:
        highwater = p.app.consumer.highwater(TP(p.normalised_topic.get_topic_name(), 0))
    except Exception:  # not assigned, or no fetch yet
        return False
    return highwater is not None and highwater - 1 > p.state.input_offset


def _wire_web(p: Pantau, registry: CollectorRegistry) -> None:
    app = p.app
    _wire_console(p)

    @app.page("/metrics")
    async def metrics_view(self: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        return self.bytes(generate_latest(registry), content_type=CONTENT_TYPE_LATEST.split(";")[0])

    @app.page("/healthz")
    async def healthz_view(self: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        # Alive: the event loop answers. Crashed agents are restarted by Faust; a dead loop answers nothing.
        return self.json({"status": "ok"})

    @app.page("/readyz")
    async def readyz_view(self: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        ok, checks = readiness(p)
        return self.json({"ready": ok, "checks": checks}, status=200 if ok else 503)

    @app.page("/debug/consumer")
    async def consumer_view(self: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        # For ops and the tests' stall reports: where each partition stands between broker and agent.
        return self.json(consumer_state(app))


def model_view(p: Pantau, text: str, lang: str | None) -> dict[str, Any] | None:
    """What the live model makes of a text, for the console: None on a worker not holding detection."""
    if not p.holds_detect:
        return None
    norm = normalise_text(text, lang)
    return {
        "lang": norm.lang,
        "terms": list(norm.terms),
        "relevance": round(p.core.tracker.relevance.score_one(norm.terms), 6),
        "posts_applied": p.state.posts_applied,
        "feedback_offset": p.state.feedback_offset,
    }


def _wire_console(p: Pantau) -> None:
    """The officers' console at /console (console/), on the worker's own aiohttp server."""
    settings, web_app = p.settings, p.app.web.web_app  # type: ignore[attr-defined]  # the aiohttp driver's app
    if not settings.console_credentials:

        async def disabled(request: web.Request) -> web.Response:
            return web.json_response(
                {"error": "the console is off: set PANTAU_CONSOLE_CREDENTIALS (see pantau console-user)"}, status=503
            )

        web_app.router.add_route("*", "/console{tail:.*}", disabled)
        return
    feed = ConsoleFeed(
        settings.kafka_bootstrap,
        settings.alerts_topic,
        settings.feedback_topic,
        client_options=settings.kafka_security().options(),
    )
    console = Console(
        feed=feed,
        config=ConsoleConfig(
            credentials=Credentials(Path(settings.console_credentials)), secure_cookie=settings.console_secure_cookie
        ),
        score=lambda text, lang: model_view(p, text, lang),
    )
    web_app.add_subapp("/console", console.application())
    p.console = console

    @_task(p.app)
    async def _console_feed() -> None:
        await feed.start()

    @p.app.on_before_shutdown.connect  # type: ignore[arg-type]
    async def _close_console(sender: object, **kwargs: object) -> None:
        console.close()
        await feed.stop()
