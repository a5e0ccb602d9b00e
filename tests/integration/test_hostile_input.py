"""Hostile input and faults on a real worker and the real embedded broker (issue 20).

- Thousands of generated hostile messages (``tests/hostile.py``): every one is processed or dead-lettered
  once, with its reason; the counters match the dead letters; no forged line reaches the audit log; the log
  carries a summary per reason, not a line per reject.
- A checkpoint is taken on the interval while input is idle, so all input is acknowledged.
- ``/readyz`` fails while the broker is frozen (SIGSTOP of the Tansu process) and recovers after SIGCONT.
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from pathlib import Path

import orjson
from kafka import KafkaAdminClient, KafkaProducer, TopicPartition

from schemas import DeadLetter
from streams.app import read_audit
from streams.broker import EmbeddedBroker
from tests import metrics_allowlist
from tests.conftest import WorkerProcess, start_worker
from tests.hostile import hostile_messages
from tests.integration.test_pipeline import consume_until, metric_samples

N_MESSAGES = 3000


def _wait_for(condition: object, timeout_s: float, every_s: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(every_s)
    return bool(condition())  # type: ignore[operator]


def _counter(worker: WorkerProcess, name: str, **labels: str) -> float:
    return metric_samples(worker).get((name, tuple(sorted(labels.items()))), 0.0)


def test_thousands_of_hostile_messages_are_each_processed_or_dead_lettered_once(
    broker: EmbeddedBroker, tmp_path: Path
) -> None:
    audit = tmp_path / "audit.log"
    worker = start_worker(broker, tmp_path, PANTAU_AUDIT_LOG=str(audit))
    try:
        messages = hostile_messages(N_MESSAGES, now=time.time())
        producer = KafkaProducer(
            bootstrap_servers=broker.bootstrap,
            max_request_size=64 << 20,
            linger_ms=5,
        )
        futures = [
            # A tombstone needs a key to be sent at all (kafka-python, like the Java client's users, refuses one
            # without); every other message goes without, spread over both partitions.
            producer.send(worker.posts_topic, m.value, key=b"t" if m.value is None else None, partition=i % 2)
            for i, m in enumerate(messages)
        ]
        producer.flush(timeout=120)
        where = {
            (f.get(timeout=60).partition, f.get(timeout=60).offset): m for f, m in zip(futures, messages, strict=True)
        }
        producer.close()
        assert len(where) == N_MESSAGES

        accepted = [pid for m in messages for pid in m.expected.accepted]
        rejects = {(p, o, i): r for (p, o), m in where.items() for i, r in m.expected.rejects.items()}
        assert len(accepted) > 1000 and len(rejects) > 1500, (len(accepted), len(rejects))

        def consumed() -> bool:
            return _counter(worker, "pantau_messages_consumed_total", step="normalise") >= N_MESSAGES and (
                _counter(worker, "pantau_posts_consumed_total", step="detect") >= len(accepted)
            )

        assert _wait_for(consumed, 240), metric_samples(worker)
        letters = consume_until(
            broker.bootstrap, worker.deadletter_topic, lambda v: len(v) >= len(rejects), timeout_s=120
        )
        assert _wait_for(lambda: len(read_audit(audit)) >= len(accepted), 30)
        time.sleep(1.0)  # anything extra that would still arrive: a duplicate must show
        letters += consume_until(broker.bootstrap, worker.deadletter_topic, lambda v: False, timeout_s=2)[
            len(letters) :
        ]
        samples = metric_samples(worker)
        exposition = worker.get("/metrics")[1].decode()
        applied = read_audit(audit)
        log_text = worker.log_path.read_text(errors="replace")
    finally:
        worker.stop()

    # Every valid post applied exactly once, and nothing else.
    applied_ids = Counter(post_id for _, post_id in applied)
    assert sorted(applied_ids) == sorted(accepted)
    assert max(applied_ids.values()) == 1
    assert not any("forged" in post_id for post_id in applied_ids)
    # Every reject dead-lettered once, with its reason, its source offset and its batch index.
    records = [DeadLetter.from_json(v) for v in letters]
    got = Counter((r.partition, r.offset, r.batch_index) for r in records)
    assert max(got.values()) == 1, [k for k, n in got.items() if n > 1][:5]
    assert {(r.partition, r.offset, r.batch_index): r.reason for r in records} == rejects
    assert all(r.topic == worker.posts_topic and r.step == "normalise" and r.error for r in records)
    # The counters say what the dead-letter topic holds, reason by reason.
    by_reason = Counter(r.reason for r in records)
    for reason, count in by_reason.items():
        assert samples[("pantau_posts_rejected_total", (("reason", reason), ("step", "normalise")))] == count
    assert samples[("pantau_messages_consumed_total", (("step", "normalise"),))] == N_MESSAGES
    assert samples[("pantau_posts_consumed_total", (("step", "detect"),))] == len(accepted)
    assert samples.get(("pantau_step_errors_total", (("step", "normalise"),)), 0) == 0
    # Whatever the input held, no label took a value off the allowlist (no id, text or author in a label).
    assert metrics_allowlist.problems(exposition) == []
    # A summary per reason, not a line per reject; and no log line was forged.
    warnings = [line for line in log_text.splitlines() if " WARNING " in line and "rejected" in line]
    assert len(warnings) < 100, len(warnings)
    assert "forged-id" not in "".join(line for line in log_text.splitlines() if line.startswith("999999"))
    print(
        f"hostile: {N_MESSAGES} messages, {len(accepted)} posts applied once, {len(records)} dead letters "
        f"({dict(by_reason)}), {len(warnings)} reject log lines"
    )


def test_a_checkpoint_is_taken_on_the_interval_while_input_is_idle(broker: EmbeddedBroker, tmp_path: Path) -> None:
    worker = start_worker(broker, tmp_path, PANTAU_CHECKPOINT_INTERVAL_S="2.0")
    group, internal = worker.env["PANTAU_APP_ID"], worker.env["PANTAU_APP_ID"] + ".normalised"
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap)
        now = time.time()
        for i in range(5):  # the first is checkpointed at once; the rest come within the interval
            post = {"id": f"idle-{i}", "ts": now - 60 + i, "text": "an ordinary post"}
            producer.send(worker.posts_topic, orjson.dumps(post), partition=0).get(timeout=30)
            time.sleep(0.2)
        producer.close()
        assert _wait_for(lambda: _counter(worker, "pantau_posts_consumed_total", step="detect") >= 5, 30)

        def committed() -> int:
            tp = TopicPartition(internal, 0)
            meta = admin.list_group_offsets({group: [tp]}).get(group, {}).get(tp)
            return -1 if meta is None else meta.offset

        # No more input: before the fix the last four stayed unacknowledged (committed 1) until the next post.
        assert _wait_for(lambda: committed() == 5, 20), committed()
        assert _counter(worker, "pantau_checkpoint_seconds_count") >= 2
    finally:
        admin.close()
        worker.stop()


def test_readiness_fails_while_the_broker_is_frozen_and_recovers(tmp_path: Path) -> None:
    # A broker of its own: freezing the session's broker would stall the other tests' workers.
    with EmbeddedBroker(log_path=tmp_path / "tansu.log") as own:
        worker = start_worker(own, tmp_path, PANTAU_READY_BROKER_S="4.0")
        try:
            assert worker.get("/readyz")[0] == 200 or _wait_for(lambda: worker.get("/readyz")[0] == 200, 15)
            assert own.pid is not None
            os.kill(own.pid, signal.SIGSTOP)  # the Tansu process itself, not a wrapper
            frozen_at = time.monotonic()
            try:
                assert _wait_for(lambda: worker.get("/readyz")[0] == 503, 20, every_s=0.25)
                unready_after = time.monotonic() - frozen_at
                status, body = worker.get("/readyz")
                answer = orjson.loads(body)
                assert status == 503 and answer["ready"] is False
                assert answer["checks"]["broker"]["ok"] is False and answer["checks"]["broker"]["error"]
                assert worker.get("/healthz")[0] == 200, "liveness stays: the process is fine"
                assert _wait_for(lambda: _counter(worker, "pantau_ready") == 0, 5)
            finally:
                os.kill(own.pid, signal.SIGCONT)
            thawed_at = time.monotonic()
            assert _wait_for(lambda: worker.get("/readyz")[0] == 200, 30, every_s=0.25)
            print(
                f"readyz: 503 {unready_after:.1f} s after SIGSTOP, "
                f"200 {time.monotonic() - thawed_at:.1f} s after SIGCONT"
            )
            assert worker.process.poll() is None
        finally:
            worker.stop()
