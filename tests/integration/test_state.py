"""Where the detector's state lives, proven on the real embedded broker: two workers find what one finds,
and a worker killed with SIGKILL three times loses no post and sends no alert twice."""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from demo.feed import generate
from detectors.core import DetectionCore
from schemas import Alert
from schemas.post import post_from_obj
from streams.app import read_audit
from streams.broker import EmbeddedBroker
from streams.producer import make_producer, produce
from tests.conftest import WorkerProcess, start_worker
from tests.integration.test_pipeline import consume_until, metric_samples

DETECTED = ("pantau_posts_consumed_total", (("step", "detect"),))


def _demo_day() -> list[dict[str, Any]]:
    # A simulated day that ended an hour ago: recent, never in the future.
    start = datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=25)
    return list(generate(seed=7, start=start, hours=24))


def _service(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Environment of one service (app id, topics, shared state), for several workers to join."""
    tag = uuid.uuid4().hex[:8]
    return {
        "PANTAU_APP_ID": f"pantau-state-{tag}",
        "PANTAU_POSTS_TOPIC": f"posts-{tag}",
        "PANTAU_ALERTS_TOPIC": f"alerts-{tag}",
        "PANTAU_DEADLETTER_TOPIC": f"deadletter-{tag}",
        "PANTAU_FEEDBACK_TOPIC": f"feedback-{tag}",
        "PANTAU_STATE_DIR": str(tmp_path / f"state-{tag}"),
        **extra,
    }


def _produce(broker: EmbeddedBroker, topic: str, posts: list[dict[str, Any]]) -> None:
    producer = make_producer(broker.bootstrap)
    try:
        produce(producer, topic, posts, batch_size=200)
    finally:
        producer.close(timeout=10)


def _detected(workers: list[WorkerProcess]) -> float:
    total = 0.0
    for worker in workers:
        with contextlib.suppress(OSError):
            total += metric_samples(worker).get(DETECTED, 0.0)
    return total


def _settled(broker: EmbeddedBroker, workers: list[WorkerProcess], n_posts: int, timeout_s: float = 180) -> None:
    """Every post applied and none held back: the last ticks were released (idle sources, idle flush)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        samples = [metric_samples(w) for w in workers]
        detected = sum(s.get(DETECTED, 0.0) for s in samples)
        buffered = sum(s.get(("pantau_buffered_posts", ()), 0.0) for s in samples)
        if detected >= n_posts and buffered == 0:
            return
        time.sleep(0.5)
    # Enough to diagnose a stall from CI's output alone: each worker's counters by step, and its log's tail.
    report = []
    for worker, sample in zip(workers, samples, strict=True):
        steps = {
            f"{name.removeprefix('pantau_')}[{dict(labels).get('step')}]": v
            for (name, labels), v in sample.items()
            if name.endswith("consumed_total")
        }
        try:
            consumer = json.loads(worker.get("/debug/consumer")[1])
        except (OSError, ValueError) as exc:
            consumer = {"error": repr(exc)}
        report.append(
            f"{worker.log_path.name}: {steps}\nconsumer: {json.dumps(consumer, indent=1)}\n"
            f"{worker.log_path.read_text()[-1500:]}"
        )
    if broker.log_path is not None and broker.log_path.exists():
        report.append(f"broker log: {broker.log_path.read_text(errors='replace')[-3000:]}")
    raise AssertionError(
        f"not settled in {timeout_s} s: {detected} of {n_posts} posts, {buffered} held\n" + "\n".join(report)
    )


def _alerts(broker: EmbeddedBroker, topic: str, quiet_s: float = 3.0) -> list[Alert]:
    """Every alert record in the topic, read until nothing new came for ``quiet_s``."""
    seen: list[bytes] = []
    last_change = time.monotonic()

    def settled(values: list[bytes]) -> bool:
        nonlocal last_change
        if len(values) != len(seen):
            seen[:] = values
            last_change = time.monotonic()
        return time.monotonic() - last_change >= quiet_s

    return [Alert.from_json(v) for v in consume_until(broker.bootstrap, topic, settled, timeout_s=120)]


def _raised(alerts: list[Alert]) -> set[str]:
    return {a.incident_id for a in alerts if a.kind == "raised"}


def test_two_workers_find_the_same_incidents_as_one(broker: EmbeddedBroker, tmp_path: Path) -> None:
    posts = _demo_day()
    results = []
    for n_workers in (1, 2):
        env = _service(tmp_path)
        workers = [start_worker(broker, tmp_path, **env) for _ in range(n_workers)]
        try:
            if n_workers == 2:
                time.sleep(8)  # the group settles on both members before input arrives
            _produce(broker, env["PANTAU_POSTS_TOPIC"], posts)
            _settled(broker, workers, len(posts))
            assert _detected(workers) == len(posts)
            results.append(_alerts(broker, env["PANTAU_ALERTS_TOPIC"]))
        finally:
            for worker in workers:
                worker.stop()
    one, two = results
    assert len(_raised(one)) >= 8, "the demo day's scripted incidents"
    assert _raised(two) == _raised(one)
    # Not only the same incidents: the same records, from whichever worker held detection. (The alerts topic
    # is keyed by incident, so records are ordered within an incident, not across them.)
    assert sorted((a.incident_id, a.seq, a.kind) for a in two) == sorted((a.incident_id, a.seq, a.kind) for a in one)


def test_kill_9_three_times_loses_no_post_and_sends_no_alert_twice(broker: EmbeddedBroker, tmp_path: Path) -> None:
    posts = _demo_day()
    ids = [str(p["id"]) for p in posts]
    assert len(set(ids)) == len(ids), "posts are numbered uniquely"
    audit = tmp_path / "audit.log"
    env = _service(tmp_path, PANTAU_AUDIT_LOG=str(audit), PANTAU_CHECKPOINT_INTERVAL_S="1.0")
    _produce(broker, env["PANTAU_POSTS_TOPIC"], posts)

    def applied() -> int:
        try:
            with audit.open("rb") as handle:
                return sum(1 for _ in handle)
        except FileNotFoundError:
            return 0

    worker = start_worker(broker, tmp_path, **env)
    kills: list[int] = []
    try:
        for _k in (1, 2, 3):
            # Mid-stream, and each time further on: a fifth of the stream past the previous kill.
            target = min(len(posts) - 1, max([applied(), *kills]) + len(posts) // 5)
            deadline = time.monotonic() + 120
            while applied() < target and time.monotonic() < deadline:
                time.sleep(0.02)
            kills.append(applied())
            worker.process.kill()  # SIGKILL: no shutdown hook, no last checkpoint
            worker.process.wait()
            worker = start_worker(broker, tmp_path, **env)
        deadline = time.monotonic() + 180
        while applied() < len(posts) and time.monotonic() < deadline:
            time.sleep(0.5)
        _settled(broker, [worker], 0)
        alerts = _alerts(broker, env["PANTAU_ALERTS_TOPIC"])
    finally:
        worker.stop()

    lines = [post_id for _, post_id in read_audit(audit)]
    counts = Counter(lines)
    lost = sorted(set(ids) - counts.keys())
    duplicated = sorted(i for i, n in counts.items() if n > 1)
    print(f"killed at {kills} posts applied; lost {len(lost)}, duplicated {len(duplicated)} of {len(ids)}")
    assert all(0 < k < len(posts) for k in kills), "each kill came mid-stream"
    assert not lost, f"lost posts: {lost[:10]}"
    assert not duplicated, f"posts applied twice: {duplicated[:10]}"

    keys = Counter((a.incident_id, a.seq) for a in alerts)
    repeated = [k for k, n in keys.items() if n > 1]
    assert not repeated, f"alert records sent twice: {repeated[:10]}"

    # Detection matches an uninterrupted run over the same input (the backtest runs the same core).
    reference = DetectionCore()
    reference_alerts = reference.process_posts([post_from_obj(p) for p in posts]) + reference.flush()
    expected = _raised(reference_alerts)
    got = _raised(alerts)
    for a in reference_alerts:
        if a.kind == "raised" and a.incident_id not in got:
            print("missing", a.incident_id, a.at, a.title)
    for a in alerts:
        if a.kind == "raised" and a.incident_id not in expected:
            print("extra", a.incident_id, a.at, a.title)
    same = len(expected & got) / max(len(expected), len(got))
    print(f"raised {len(got)} incidents, uninterrupted {len(expected)}, same {same:.2f}")
    assert same >= 0.95
