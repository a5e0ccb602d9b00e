"""`pantau rewind` against a real worker on the embedded broker: refused while the worker runs, a dry run that
changes nothing, and once the worker has stopped, the group's offsets moved to the first message of each
partition with a post at or after the time, the internal topic to its end and the checkpoint set aside; the
restarted worker then detects again every post from there, and only those."""

from __future__ import annotations

import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

from demo.feed import generate
from evaluation.rewind import RewindRefused
from schemas.post import format_ts, parse_ts
from streams import cli
from streams.app import read_audit
from streams.broker import EmbeddedBroker
from streams.producer import make_producer, produce
from tests.conftest import start_worker
from tests.integration.test_state import _detected, _service, _settled


def _committed(broker: EmbeddedBroker, group: str) -> dict[TopicPartition, int]:
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:
        return {tp: o.offset for tp, o in admin.list_group_offsets(group).get(group, {}).items()}
    finally:
        admin.close()


def _first_offsets_at_or_after(broker: EmbeddedBroker, topic: str, at: float) -> tuple[dict[int, int], int]:
    """Read back independently: per partition, the first message holding a post at or after ``at`` (or its
    end, where none does); and how many posts the messages from there on hold."""
    consumer = KafkaConsumer(
        topic, bootstrap_servers=broker.bootstrap, auto_offset_reset="earliest", consumer_timeout_ms=3000
    )
    first: dict[int, int] = {}
    messages: list[tuple[int, int, list[dict[str, Any]]]] = []
    for message in consumer:
        posts = orjson.loads(message.value)["posts"]
        messages.append((message.partition, message.offset, posts))
        if any(parse_ts(p["ts"]) >= at for p in posts):
            first[message.partition] = min(first.get(message.partition, message.offset), message.offset)
    consumer.close()
    ends: dict[int, int] = {}
    for partition, offset, _ in messages:
        ends[partition] = max(ends.get(partition, 0), offset + 1)
    first = {partition: first.get(partition, end) for partition, end in ends.items()}
    reread = sum(len(posts) for partition, offset, posts in messages if offset >= first.get(partition, 1 << 62))
    return first, reread


def test_rewind_refuses_a_running_worker_then_moves_the_stopped_service_back(
    broker: EmbeddedBroker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env = _service(tmp_path, PANTAU_CHECKPOINT_INTERVAL_S="1", PANTAU_AUDIT_LOG=str(tmp_path / "audit.log"))
    start = datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=7)
    posts = list(generate(seed=3, start=start, hours=6.0))
    producer = make_producer(broker.bootstrap)
    produce(producer, env["PANTAU_POSTS_TOPIC"], posts, batch_size=200)
    producer.close(timeout=10)
    for key, value in {**env, "PANTAU_KAFKA_BOOTSTRAP": broker.bootstrap, "PANTAU_TOPIC_PARTITIONS": "2"}.items():
        monkeypatch.setenv(key, value)
    group, posts_topic = env["PANTAU_APP_ID"], env["PANTAU_POSTS_TOPIC"]
    checkpoint = Path(env["PANTAU_STATE_DIR"]) / group / "detect.checkpoint"
    to = format_ts(start.timestamp() + 3 * 3600)

    worker = start_worker(broker, tmp_path, **env)
    try:
        _settled(broker, [worker], len(posts))
        deadline = time.monotonic() + 30
        while not checkpoint.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        before = {tp: o for tp, o in _committed(broker, group).items() if tp.topic == posts_topic}
        with pytest.raises(RewindRefused, match="active member"):
            cli.main(["rewind", "--to-datetime", to, "--execute"])
        # The posts are all read and committed: only a rewind could move them (the detect step's internal
        # topic commits at each checkpoint).
        assert {tp: o for tp, o in _committed(broker, group).items() if tp.topic == posts_topic} == before
        assert checkpoint.exists()
    finally:
        worker.stop()
    settled = _committed(broker, group)
    assert sum(o for tp, o in settled.items() if tp.topic == posts_topic) > 0

    assert cli.main(["rewind", "--to-datetime", to]) == 0
    plan = capsys.readouterr().out
    assert "dry run: nothing changed" in plan and f"{checkpoint} (" in plan and "is set aside" in plan
    assert _committed(broker, group) == settled and checkpoint.exists()

    assert cli.main(["rewind", "--to-datetime", to, "--execute"]) == 0
    done = capsys.readouterr().out
    assert "checkpoint set aside as" in done and not checkpoint.exists()
    assert list(checkpoint.parent.glob("detect.checkpoint.rewind.*"))
    first, reread = _first_offsets_at_or_after(broker, posts_topic, parse_ts(to))
    moved = _committed(broker, group)
    assert {tp.partition: o for tp, o in moved.items() if tp.topic == posts_topic} == first
    assert all(first[p] <= settled[TopicPartition(posts_topic, p)] for p in first)
    assert 0 < reread < len(posts)  # back, but not to the start
    internal = [tp for tp in moved if tp.topic == f"{group}.normalised"]
    assert internal and all(moved[tp] >= settled[tp] for tp in internal)  # its end

    # The restarted worker starts afresh and detects every post from the new offsets, and only those.
    (tmp_path / "audit.log").unlink()
    worker = start_worker(broker, tmp_path, **env)
    try:
        _settled(broker, [worker], reread)
        assert _detected([worker]) == reread
        assert len(read_audit(tmp_path / "audit.log")) == reread
        assert "resumed detection from checkpoint" not in worker.log_path.read_text()
    finally:
        # Killed, it does not leave the group: the embedded broker lists it until the next rebalance.
        worker.process.send_signal(signal.SIGKILL)
        worker.process.wait()
    later = format_ts(start.timestamp() + 4.5 * 3600)
    with pytest.raises(RewindRefused, match="add --force to remove it"):
        cli.main(["rewind", "--to-datetime", later, "--execute"])
    assert cli.main(["rewind", "--to-datetime", later, "--force", "--execute"]) == 0
    first_later, _ = _first_offsets_at_or_after(broker, posts_topic, parse_ts(later))
    moved = _committed(broker, group)
    assert {tp.partition: o for tp, o in moved.items() if tp.topic == posts_topic} == first_later != first
