"""The whole path on the embedded broker: posts in, alerts and dead letters out, counts on /metrics."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from kafka import KafkaConsumer, KafkaProducer
from prometheus_client.parser import text_string_to_metric_families

from demo.feed import generate
from detectors.core import STATE_VERSION
from schemas import Alert, DeadLetter, decode_message, encode_batch, parse_ts
from streams.metrics import package_version
from tests.conftest import WorkerProcess


def consume_until(
    bootstrap: str, topic: str, done: Callable[[list[bytes]], bool], timeout_s: float = 60
) -> list[bytes]:
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
        consumer_timeout_ms=1000,
    )
    values: list[bytes] = []
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline and not done(values):
            for batch in consumer.poll(timeout_ms=500).values():
                values.extend(record.value for record in batch)
    finally:
        consumer.close()
    return values


def metric_samples(worker: WorkerProcess) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    status, body = worker.get("/metrics")
    assert status == 200
    samples = {}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_worker_is_ready_fast_and_healthy(worker: WorkerProcess) -> None:
    # Group joins on Tansu wait on the session timeout; with ours a worker is ready well within 15 s.
    assert worker.ready_after_s < 15, f"ready after {worker.ready_after_s:.1f}s"
    status, body = worker.get("/healthz")
    assert status == 200 and orjson.loads(body)["status"] == "ok"
    assert orjson.loads(worker.get("/readyz")[1])["ready"] is True


def test_producer_tracks_every_output_topic_from_the_start(worker: WorkerProcess) -> None:
    # If one were missing, the first send to another topic would drop it from the producer's metadata and its
    # batches would wait for a leader until they expire (the CI stall; see streams.app.track_output_topics).
    deadline = time.monotonic() + 10
    while True:
        tracked = set(orjson.loads(worker.get("/debug/consumer")[1])["producer"]["metadata_topics"])
        if len(tracked) >= 3 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    normalised = worker.env["PANTAU_APP_ID"] + ".normalised"
    assert tracked == {normalised, worker.alerts_topic, worker.deadletter_topic}


def test_every_kind_of_bad_input_lands_in_dead_letters(strict_worker: WorkerProcess) -> None:
    worker = strict_worker
    good: dict[str, object] = {"id": "ok-1", "ts": "2026-11-28T08:00:00Z", "text": "fine"}
    bad = {
        "not_utf8": b"\xff\xfe\x00garbage",
        "invalid_json": b'{"id": "x", "ts": ',
        "too_large": orjson.dumps({**good, "id": "big", "text": "x" * 8000}),  # worker limit: 4096 bytes
        "missing_field": orjson.dumps({"id": "no-text", "ts": "2026-11-28T08:00:00Z"}),
        "wrong_type": orjson.dumps({"id": "t", "ts": "2026-11-28T08:00:00Z", "text": 42}),
    }
    producer = KafkaProducer(bootstrap_servers=worker.env["PANTAU_KAFKA_BOOTSTRAP"])
    for value in bad.values():
        producer.send(worker.posts_topic, value, partition=0)
    # A batch with one bad item: the item goes to dead letters with its index, the rest is processed.
    producer.send(worker.posts_topic, encode_batch([good, {"id": "in-batch", "ts": 5, "text": None}]), partition=0)
    producer.flush()
    producer.close()

    values = consume_until(worker.env["PANTAU_KAFKA_BOOTSTRAP"], worker.deadletter_topic, lambda v: len(v) >= 6)
    records = [DeadLetter.from_json(v) for v in values]
    by_reason = {r.reason: r for r in records if r.batch_index == -1}
    assert set(by_reason) == set(bad)
    for reason, original in bad.items():
        record = by_reason[reason]
        assert record.original == original, reason
        assert record.topic == worker.posts_topic and record.partition == 0
        assert record.error
    offsets = sorted(r.offset for r in records)
    assert offsets == list(range(6)), "each dead letter names its source offset"
    in_batch = [r for r in records if r.batch_index != -1]
    assert [(r.reason, r.batch_index, r.offset) for r in in_batch] == [("missing_field", 1, 5)]

    samples = metric_samples(worker)
    for reason in bad:
        # missing_field twice: the whole message, and the bad item inside the batch
        expected = 2 if reason == "missing_field" else 1
        assert samples[("pantau_posts_rejected_total", (("reason", reason), ("step", "normalise")))] == expected
    assert worker.process.poll() is None, "bad input never crashes the worker"


def test_scripted_incident_raises_an_alert_and_feedback_dismisses_it(worker: WorkerProcess) -> None:
    start = datetime(2026, 11, 28, tzinfo=UTC)
    posts = list(generate(seed=3, start=start, hours=8.0))
    producer = KafkaProducer(bootstrap_servers=worker.env["PANTAU_KAFKA_BOOTSTRAP"], linger_ms=10)
    for i in range(0, len(posts), 200):
        producer.send(worker.posts_topic, encode_batch(posts[i : i + 200]))
    producer.flush()
    producer.close()

    incident_posts = {p["id"]: p["truth"]["event_id"] for p in posts if p["truth"]["event_id"]}

    def about_scripted(alert: Alert) -> bool:
        members = [incident_posts.get(pid) for pid in alert.post_ids]
        return alert.kind == "raised" and sum(m is not None for m in members) >= len(members) / 2

    values = consume_until(
        worker.env["PANTAU_KAFKA_BOOTSTRAP"],
        worker.alerts_topic,
        lambda v: any(about_scripted(Alert.from_json(x)) for x in v),
        timeout_s=90,
    )
    hits = [a for a in map(Alert.from_json, values) if about_scripted(a)]
    assert hits, "no alert for the scripted incidents"
    first = hits[0]
    assert first.title and first.reason and first.samples and first.countries

    # The record lands in the topic just before the worker counts it (it counts delivered records): poll.
    raised = ("pantau_alerts_total", (("kind", "raised"), ("severity", first.severity)))
    deadline = time.monotonic() + 10
    samples = metric_samples(worker)
    while samples.get(raised, 0.0) < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
        samples = metric_samples(worker)
    # The alert can arrive before the rest of the feed is consumed: the counters need only be moving.
    assert samples[("pantau_posts_consumed_total", (("step", "normalise"),))] > 0
    assert samples.get(raised, 0.0) >= 1
    assert samples[("pantau_processing_seconds_count", (("step", "detect"),))] > 0
    # Post to alert: from the posts message's broker timestamp to the record written (the feed was sent at once,
    # so the raise came seconds after its last post was written).
    assert samples[("pantau_post_to_alert_seconds_count", (("kind", "raised"),))] >= 1
    assert (
        0
        < samples[("pantau_post_to_alert_seconds_sum", (("kind", "raised"),))]
        < 90 * samples[("pantau_post_to_alert_seconds_count", (("kind", "raised"),))]
    )
    assert samples[("pantau_incidents_active", ())] >= 1
    build = (("app_id", worker.env["PANTAU_APP_ID"]), ("state_version", str(STATE_VERSION)))
    assert samples[("pantau_build_info", (*build, ("version", package_version())))] == 1

    # An officer dismisses the incident: it is resolved at once, and a malformed label is dead-lettered.
    producer = KafkaProducer(bootstrap_servers=worker.env["PANTAU_KAFKA_BOOTSTRAP"])
    feedback_topic = worker.env["PANTAU_FEEDBACK_TOPIC"]
    producer.send(feedback_topic, orjson.dumps({"incident_id": first.incident_id, "relevant": False, "by": "t"}))
    producer.send(feedback_topic, b'{"incident_id": "inc-x"}')
    producer.flush()
    producer.close()

    def dismissed(values: list[bytes]) -> bool:
        return any(
            a.incident_id == first.incident_id and a.kind == "resolved" and "dismissed" in a.reason
            for a in map(Alert.from_json, values)
        )

    assert dismissed(consume_until(worker.env["PANTAU_KAFKA_BOOTSTRAP"], worker.alerts_topic, dismissed))
    letters = consume_until(
        worker.env["PANTAU_KAFKA_BOOTSTRAP"],
        worker.deadletter_topic,
        lambda v: any(DeadLetter.from_json(x).step == "feedback" for x in v),
    )
    bad = [d for d in map(DeadLetter.from_json, letters) if d.step == "feedback"]
    assert [(d.reason, d.topic) for d in bad] == [("missing_field", feedback_topic)]
    assert metric_samples(worker)[("pantau_feedback_applied_total", (("label", "not_relevant"),))] == 1


def test_produce_loads_a_jsonl_file_keeping_each_posts_time(worker: WorkerProcess, tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    posts: list[dict[str, Any]] = [
        {
            "id": f"f{i}",
            "ts": f"2014-08-09T22:{i:02d}:00Z",
            "text": f"post number {i}",
            "lang": "en",
            "source": "PHEME",
            "truth": {"event_id": None, "relevant": False},
        }
        for i in range(50)
    ]
    lines = [orjson.dumps(p) for p in posts]
    lines.insert(20, b"{this line is broken")  # sent as it is, so that the worker dead-letters it
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    env = {**worker.env, "PANTAU_PRODUCE_BATCH_SIZE": "7"}
    done = subprocess.run(
        [sys.executable, "-m", "streams.cli", "produce", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "sent 51 posts" in done.stdout

    consumer = KafkaConsumer(
        worker.posts_topic,
        bootstrap_servers=worker.env["PANTAU_KAFKA_BOOTSTRAP"],
        auto_offset_reset="earliest",
        group_id=None,
        consumer_timeout_ms=3000,
    )
    values = [record.value for record in consumer]
    consumer.close()
    assert b"{this line is broken" in values
    sent = [decode_message(v) for v in values if v != b"{this line is broken"]
    got = sorted((p for m in sent for p in m.posts), key=lambda p: p.id)
    assert len(sent) == 8, "batches of at most 7 posts, cut by the broken line: 7+7+6 and 7+7+7+7+2"
    assert [(p.id, p.ts) for p in got] == sorted((p["id"], parse_ts(p["ts"])) for p in posts)

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        value = metric_samples(worker).get(("pantau_posts_consumed_total", (("step", "detect"),)), 0)
        if value >= 50:
            break
        time.sleep(0.5)
    assert value == 50
    letters = consume_until(worker.env["PANTAU_KAFKA_BOOTSTRAP"], worker.deadletter_topic, lambda v: len(v) >= 1)
    assert [DeadLetter.from_json(v).reason for v in letters] == ["invalid_json"]
