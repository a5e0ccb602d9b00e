"""`pantau replay` on the embedded broker: a topic loaded with the demo day replays to what `pantau backtest`
gives for the same file, byte for byte, and twice alike; a time range takes exactly the posts inside it; the
live group's offsets do not move; and the live alerts topic is refused as a target."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, OffsetAndMetadata, TopicPartition

from demo.feed import generate
from detectors.core import DetectionCore
from detectors.settings import DetectorSettings
from evaluation.backtest import run_backtest
from evaluation.ranges import parse_range
from evaluation.replay import ReplayRefused, check_output_topic, execute_replay, plan_replay
from schemas.alert import Alert
from schemas.post import parse_ts
from streams import cli
from streams.broker import EmbeddedBroker
from streams.producer import make_producer, produce

START = datetime(2026, 11, 28, tzinfo=UTC)


class _Records:
    def __init__(self) -> None:
        self.records: list[Alert] = []

    def add(self, alert: Alert) -> None:
        self.records.append(alert)

    def flush(self) -> None:
        pass


@pytest.fixture(scope="module")
def loaded(broker: EmbeddedBroker) -> tuple[str, list[dict[str, object]]]:
    """The demo day on a fresh 4-partition topic, as `pantau produce` writes it; and the posts."""
    topic = f"replay-posts-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    from kafka.admin import NewTopic

    admin.create_topics([NewTopic(topic, 4, 1)])
    admin.close()
    posts = list(generate(seed=7, start=START, hours=24.0))
    producer = make_producer(broker.bootstrap)
    produce(producer, topic, posts, batch_size=500)
    producer.flush()
    producer.close()
    return topic, posts


def _replay(broker: EmbeddedBroker, topic: str, **options: object) -> list[Alert]:
    plan = plan_replay(broker.bootstrap, topic, parse_range(topic=topic, **options), "memory", "default")  # type: ignore[arg-type]
    sink = _Records()
    execute_replay(plan, broker.bootstrap, sink, DetectionCore())
    return sink.records


def test_a_replay_of_the_whole_topic_is_the_backtest_of_the_file_byte_for_byte(
    broker: EmbeddedBroker, loaded: tuple[str, list[dict[str, object]]], tmp_path: Path
) -> None:
    topic, posts = loaded
    backtest = _Records()
    run_backtest(posts, backtest, DetectionCore())
    first = _replay(broker, topic, replay_all=True)
    second = _replay(broker, topic, replay_all=True)
    assert len(backtest.records) > 10
    assert [a.to_json() for a in first] == [a.to_json() for a in backtest.records]
    assert [a.to_json() for a in second] == [a.to_json() for a in first]


def test_a_time_range_takes_exactly_the_posts_inside_it(
    broker: EmbeddedBroker, loaded: tuple[str, list[dict[str, object]]]
) -> None:
    topic, posts = loaded
    start, end = "2026-11-28T06:00:00Z", "2026-11-28T12:00:00Z"
    inside = [p for p in posts if parse_ts(start) <= parse_ts(p["ts"]) < parse_ts(end)]  # type: ignore[arg-type]
    plan = plan_replay(
        broker.bootstrap, topic, parse_range(from_datetime=start, to_datetime=end, topic=topic), "m", "d"
    )
    sink = _Records()
    summary = execute_replay(plan, broker.bootstrap, sink, DetectionCore())
    assert summary.posts_read == len(posts) and summary.posts_in_range == len(inside)
    backtest = _Records()
    run_backtest(inside, backtest, DetectionCore())
    assert [a.to_json() for a in sink.records] == [a.to_json() for a in backtest.records]
    assert all("high watermark" in how for how in summary.ends.values()) and len(summary.ends) == 4


def test_the_live_alerts_topic_is_refused_and_no_group_offset_moves(
    broker: EmbeddedBroker, loaded: tuple[str, list[dict[str, object]]]
) -> None:
    topic, _ = loaded
    with pytest.raises(ReplayRefused, match="live alerts topic"):
        check_output_topic("pantau.alerts", "pantau.alerts", topic)
    with pytest.raises(ReplayRefused, match="being replayed"):
        check_output_topic(topic, "pantau.alerts", topic)
    # A live group that has committed its position: a replay leaves it where it was.
    group = f"live-{uuid.uuid4().hex[:6]}"
    live = KafkaConsumer(bootstrap_servers=broker.bootstrap, group_id=group, enable_auto_commit=False)
    tp = TopicPartition(topic, 0)
    live.assign([tp])
    live.commit({tp: OffsetAndMetadata(3, "", -1)})
    _replay(broker, topic, from_offsets=[f"{topic}:0:0"], to_offsets=[f"{topic}:0:5"])
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    committed = admin.list_group_offsets({group: [tp]})[group]
    admin.close()
    live.close()
    assert committed[tp].offset == 3


def test_the_command_plans_by_default_and_executes_on_request(
    broker: EmbeddedBroker,
    loaded: tuple[str, list[dict[str, object]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    topic, posts = loaded
    monkeypatch.setenv("PANTAU_KAFKA_BOOTSTRAP", broker.bootstrap)
    out = tmp_path / "replayed.jsonl"
    assert cli.main(["replay", "--topic", topic, "--all", "--out", str(out)]) == 0
    plan = capsys.readouterr().out
    assert "dry run: nothing read, nothing written" in plan and "high watermark" in plan and not out.exists()
    with pytest.raises(ReplayRefused, match="live alerts topic"):
        cli.main(["replay", "--topic", topic, "--all", "--to-topic", "pantau.alerts"])
    assert cli.main(["replay", "--topic", topic, "--all", "--out", str(out), "--execute"]) == 0
    summary = capsys.readouterr().out
    assert f"posts read: {len(posts)}" in summary and "incidents:" in summary
    backtest = _Records()
    run_backtest(posts, backtest, DetectionCore())
    assert out.read_bytes() == b"".join(a.to_json() + b"\n" for a in backtest.records)


def test_a_candidate_model_replays_to_a_shadow_topic_that_only_the_execution_creates(
    broker: EmbeddedBroker,
    loaded: tuple[str, list[dict[str, object]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    topic, _ = loaded
    monkeypatch.setenv("PANTAU_KAFKA_BOOTSTRAP", broker.bootstrap)
    shadow = f"shadow-{uuid.uuid4().hex[:8]}"
    config = tmp_path / "candidate.toml"
    # Raised at 2 posts, not 5: whichever posts the range holds, an incident the default raises is raised
    # earlier, so the two outputs differ (which posts partition 0 holds depends on the producer).
    config.write_text("[tracker]\nmin_posts = 2\nmin_posts_severe = 2\nmerge_similarity = 0.3\n", encoding="utf-8")
    command = ["replay", "--topic", topic, "--from-offset", f"{topic}:0:0", "--to-offset", f"{topic}:0:12"]
    command += ["--to-topic", shadow, "--config", str(config)]
    assert cli.main(command) == 0
    plan = capsys.readouterr().out
    assert f"detector: {config}: tracker.min_posts=2, tracker.min_posts_severe=2, tracker.merge_similarity=0.3" in plan
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    assert shadow not in admin.list_topics()  # the dry run created nothing

    assert cli.main([*command, "--execute"]) == 0
    assert f"created the shadow topic {shadow}" in capsys.readouterr().out
    assert shadow in admin.list_topics()
    admin.close()
    # What the shadow topic holds is what the same candidate gives in memory, in order per incident.
    settings = DetectorSettings.from_toml(config)
    offsets_plan = plan_replay(
        broker.bootstrap,
        topic,
        parse_range(from_offsets=[f"{topic}:0:0"], to_offsets=[f"{topic}:0:12"], topic=topic),
        "m",
        "d",
    )
    expected = _Records()
    execute_replay(offsets_plan, broker.bootstrap, expected, settings.build())
    default = _Records()
    execute_replay(offsets_plan, broker.bootstrap, default, DetectionCore())
    assert expected.records and [a.to_json() for a in expected.records] != [a.to_json() for a in default.records]
    consumer = KafkaConsumer(
        shadow,
        bootstrap_servers=broker.bootstrap,
        auto_offset_reset="earliest",
        consumer_timeout_ms=3000,
        group_id=None,
    )
    written = [(m.key, m.value) for m in consumer]
    consumer.close()
    assert len(written) == len(expected.records)
    by_incident: dict[bytes, list[bytes]] = {}
    for key, value in written:
        by_incident.setdefault(key, []).append(value)
    wanted: dict[bytes, list[bytes]] = {}
    for alert in expected.records:
        wanted.setdefault(alert.incident_id.encode(), []).append(alert.to_json())
    assert by_incident == wanted
