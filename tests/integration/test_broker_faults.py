"""A broker that stops answering, on the real embedded broker behind a fault-injecting proxy.

A produce request whose answer is lost must cost a retry, not records and not duplicates: Faust's producer
gives the request up after ``PANTAU_PRODUCER_REQUEST_TIMEOUT_S`` and sends it again (with Faust's default,
1,200 s, every send of the worker waited 20 minutes), and the alert publisher reads the topic back before it
sends a record again. The proxy also shifts timings enough that, before the producer tracked its output
topics from the start, this test reliably hit the CI stall: see ``streams.app.track_output_topics``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import struct
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from schemas.alert import Alert
from streams.broker import EmbeddedBroker, free_port
from streams.publisher import AlertPublisher, PublisherClosed
from tests.conftest import start_worker
from tests.integration.test_pipeline import consume_until, metric_samples
from tests.integration.test_state import DETECTED, _alerts, _demo_day, _produce, _raised, _service, _settled

PRODUCE = 0  # Kafka API key of a produce request


class SilencingProxy:
    """A TCP proxy for the Kafka protocol that goes silent on one connection: once the n-th produce request
    naming ``topic`` has passed, nothing more the broker sends on that connection reaches the client. The
    request itself is delivered, so its records are written and only the answer is lost (the worst case:
    a retry writes them twice)."""

    def __init__(self, upstream_port: int, topic: str, silence_at_produce: int, deliver: bool = True) -> None:
        self.port = free_port()
        self.upstream_port = upstream_port
        self.topic = topic.encode()
        # False: the request that goes unanswered never reaches the broker either (its records are lost).
        self.deliver = deliver
        self.silence_at_produce = silence_at_produce
        self.produces_seen = 0
        self.silenced_connections = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> SilencingProxy:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    async def _listen(self) -> None:
        await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def _serve(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        broker_in, broker_out = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        silent = asyncio.Event()

        async def requests() -> None:
            while True:
                size = struct.unpack(">i", await client_in.readexactly(4))[0]
                body = await client_in.readexactly(size)
                api_key = struct.unpack(">h", body[:2])[0]
                if api_key == PRODUCE and self.topic in body and not silent.is_set():
                    self.produces_seen += 1
                    if self.produces_seen == self.silence_at_produce:
                        silent.set()
                        self.silenced_connections += 1
                if self.deliver or not silent.is_set():
                    broker_out.write(struct.pack(">i", size) + body)
                    await broker_out.drain()

        async def answers() -> None:
            while True:
                chunk = await broker_in.read(65536)
                if not chunk:
                    return
                if not silent.is_set():
                    client_out.write(chunk)
                    await client_out.drain()

        with contextlib.suppress(Exception):
            await asyncio.gather(requests(), answers())
        for writer in (client_out, broker_out):
            with contextlib.suppress(Exception):
                writer.close()


@pytest.mark.parametrize(
    ("silenced", "delivered"), [("normalised", True), ("alerts", True), ("alerts", False)], ids=str
)
def test_a_produce_request_the_broker_never_answers_loses_nothing_and_writes_nothing_twice(
    tmp_path: Path, silenced: str, delivered: bool
) -> None:
    """``normalised``: Faust's producer sends the batch again; the copy the broker wrote is dropped by its
    source offset. ``alerts``: the alert publisher reads the topic back; it finds the record written (the
    request was delivered, only its answer lost) or not (the request was lost too), and sends it again only
    then."""
    posts = _demo_day()
    env = _service(tmp_path, PANTAU_PRODUCER_REQUEST_TIMEOUT_S="3")
    topic = f"{env['PANTAU_APP_ID']}.normalised" if silenced == "normalised" else env["PANTAU_ALERTS_TOPIC"]
    broker_port = free_port()
    with (
        SilencingProxy(broker_port, topic, silence_at_produce=20, deliver=delivered) as proxy,
        EmbeddedBroker(port=broker_port, advertised_port=proxy.port) as broker,
    ):
        worker = start_worker(broker, tmp_path, PANTAU_KAFKA_BOOTSTRAP=f"127.0.0.1:{proxy.port}", **env)
        try:
            _produce(broker, env["PANTAU_POSTS_TOPIC"], posts)
            started = time.monotonic()
            _settled(broker, [worker], len(posts), timeout_s=120)
            settled_after_s = time.monotonic() - started
            samples = metric_samples(worker)
            alerts = _alerts(broker, env["PANTAU_ALERTS_TOPIC"])
        finally:
            worker.stop()
    assert proxy.silenced_connections == 1, "the fault was injected"
    # Every post applied exactly once: a batch written twice (request delivered, answer lost) is dropped.
    detected = samples.get(DETECTED, 0.0)
    assert detected == len(posts), f"{detected} of {len(posts)} posts applied"
    assert len(_raised(alerts)) >= 8, "the demo day's scripted incidents"
    keys = Counter((a.incident_id, a.seq) for a in alerts)
    assert not [k for k, n in keys.items() if n > 1], "no alert record sent twice"
    # None lost either: each incident's records are numbered 0, 1, 2, ... without a gap.
    by_incident: dict[str, list[int]] = {}
    for incident_id, seq in sorted(keys):
        by_incident.setdefault(incident_id, []).append(seq)
    gaps = {i: seqs for i, seqs in by_incident.items() if seqs != list(range(len(seqs)))}
    assert not gaps, f"alert records missing: {gaps}"
    if silenced == "alerts":
        outcome = "written" if delivered else "missing"
        failures = samples.get(("pantau_alert_send_failures_total", (("outcome", outcome),)), 0.0)
        assert failures == 1, f"the failed send was noticed, and the read-back found the record {outcome}"
    assert settled_after_s < 100, f"recovered within a few request timeouts, took {settled_after_s:.0f} s"


def test_alert_publisher_starts_once_keeps_each_incidents_order_and_stays_stopped(broker: EmbeddedBroker) -> None:
    topic = f"alerts-publisher-{uuid.uuid4().hex[:8]}"
    written: list[tuple[int, int]] = []

    def alert(incident_id: str, seq: int) -> Alert:
        return Alert(
            incident_id=incident_id,
            seq=seq,
            kind="raised" if seq == 0 else "updated",
            at=float(seq),
            first_seen=0.0,
            title="t",
            type_code="11",
            type_label="disapprove",
            severity="low",
            confidence=0.5,
        )

    async def run() -> tuple[int, AlertPublisher]:
        reports: list[dict[str, object]] = []
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: reports.append(context))
        publisher = AlertPublisher(broker.bootstrap, topic, request_timeout_s=5.0, max_request_bytes=1 << 21)
        await asyncio.gather(publisher.start(), publisher.start())  # the startup task and a first alert race
        producers = 1 if publisher.started else 0
        positions: dict[int, int] = {}

        def note(partition: int, offset: int) -> None:
            written.append((partition, offset))
            positions[partition] = max(positions.get(partition, 0), offset + 1)

        # Two callers at once (the detect step and the idle flush): neither interleaves with the other.
        await asyncio.gather(
            publisher.publish([alert("inc-a", s) for s in range(5)], positions, note),
            publisher.publish([alert("inc-b", s) for s in range(5)], positions, note),
        )
        await publisher.stop()
        with pytest.raises(PublisherClosed):
            await publisher.start()
        # No second producer was made by the race and dropped unclosed (aiokafka reports that to the loop).
        gc.collect()
        assert not [c for c in reports if "producer" in c], "a producer was left unclosed"
        return producers, publisher

    producers, publisher = asyncio.run(run())
    assert producers == 1 and not publisher.started
    assert len(written) == len(set(written)) == 10
    records = [Alert.from_json(v) for v in consume_until(broker.bootstrap, topic, lambda v: len(v) >= 10)]
    for incident_id in ("inc-a", "inc-b"):
        assert [a.seq for a in records if a.incident_id == incident_id] == list(range(5))
