"""``pantau replay`` from a topic of the embedded broker to alert records, beside ``pantau backtest`` of the same
posts, in one run. Called by ``bench.run``.

The demo day is written to a fresh 4-partition topic as ``pantau produce`` writes it (batches of 500). Then,
in interleaved pairs (backtest, replay, backtest, replay), the same posts go through a fresh detection core
each time; each side keeps its best of the pairs (the machine is shared: the best is the least disturbed).
The backtest reads the posts from memory (as from a parsed file); the replay reads them from the broker,
decodes and validates them, and holds event time for every partition.

- ``replay_posts_per_s``: posts replayed per second, topic to alert records (to a sink in memory).
- ``replay_backtest_posts_per_s``: the backtest of the same posts, in the same run.
- ``replay_over_backtest``: their ratio (target: at least 0.8).
"""

from __future__ import annotations

import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from kafka import KafkaAdminClient
from kafka.admin import NewTopic

from demo.feed import generate
from detectors.core import DetectionCore
from evaluation.backtest import run_backtest
from evaluation.ranges import parse_range
from evaluation.replay import execute_replay, plan_replay
from schemas.alert import Alert
from streams.broker import EmbeddedBroker
from streams.producer import make_producer, produce

Say = Callable[[str], None]
PAIRS = 2


class _Count:
    def __init__(self) -> None:
        self.records = 0

    def add(self, alert: Alert) -> None:
        self.records += 1

    def flush(self) -> None:
        pass


def run(result: dict[str, object], say: Say) -> None:
    posts = list(generate(seed=7, start=datetime(2026, 11, 28, tzinfo=UTC), hours=24.0))
    with (
        tempfile.TemporaryDirectory(prefix="pantau-bench-replay-") as tmp,
        EmbeddedBroker(log_path=Path(tmp) / "tansu.log") as broker,
    ):
        topic = f"bench-replay-{uuid.uuid4().hex[:8]}"
        admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
        admin.create_topics([NewTopic(topic, 4, 1)])
        admin.close()
        producer = make_producer(broker.bootstrap)
        produce(producer, topic, posts, batch_size=500)
        producer.flush()
        producer.close()
        say(f"replay: {len(posts):,} demo posts on a 4-partition topic; backtest and replay in {PAIRS} pairs ...")
        backtest_rates, replay_rates, records = [], [], set()
        for _ in range(PAIRS):
            sink = _Count()
            started = time.perf_counter()
            run_backtest(posts, sink, DetectionCore())
            backtest_rates.append(len(posts) / (time.perf_counter() - started))
            records.add(sink.records)
            sink = _Count()
            started = time.perf_counter()
            plan = plan_replay(broker.bootstrap, topic, parse_range(replay_all=True, topic=topic), "memory", "default")
            summary = execute_replay(plan, broker.bootstrap, sink, DetectionCore())
            replay_rates.append(summary.posts_read / (time.perf_counter() - started))
            records.add(sink.records)
            if summary.posts_read != len(posts):
                raise RuntimeError(f"replay read {summary.posts_read} posts of {len(posts)}")
        if len(records) != 1:
            raise RuntimeError(f"backtest and replay gave different numbers of alert records: {sorted(records)}")
    result["replay_posts"] = len(posts)
    result["replay_posts_per_s"] = round(max(replay_rates), 1)
    result["replay_backtest_posts_per_s"] = round(max(backtest_rates), 1)
    result["replay_over_backtest"] = round(max(replay_rates) / max(backtest_rates), 3)
    say(
        f"  replay {result['replay_posts_per_s']:,} posts/s, backtest {result['replay_backtest_posts_per_s']:,} "
        f"posts/s: {result['replay_over_backtest']}"
    )
