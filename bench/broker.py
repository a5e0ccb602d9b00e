"""Benchmarks on the embedded broker (Tansu), all in one run against one broker. Called by ``bench.run``.

One backlog of the demo feed (consecutive simulated days, each with its own seed, all in the past: the worker
rejects posts dated more than a day ahead) is written once, in batch envelopes of 500 posts (the service
default, ``PANTAU_PRODUCE_BATCH_SIZE``), to a posts topic of 2 partitions. Every throughput below reads that
same topic from the beginning under its own consumer group, so all of them see the same bytes.

- ``raw_consume_per_s``: a plain ``aiokafka`` consumer (no group, ``getmany()``) decodes every message
  (orjson + ``decode_message``). Posts / (end of decoding the last message − arrival of the first batch).
- ``faust_passthrough_per_s``: ``bench.passthrough`` in a subprocess, a Faust agent that only decodes and
  counts. Posts / (end of its last message − arrival of its first), timed inside the agent.
- ``e2e_posts_per_s``: one real ``pantau worker`` process (as ``tests/conftest.py`` starts it) on the backlog;
  ``pantau_posts_consumed_total{step="detect"}`` polled on ``/metrics`` every 0.1 s. Rate = (posts − count at
  the first poll that saw any) / (time of the poll that saw all − time of that first poll): the posts counted
  at the first poll were processed before it, so posts / (last − first) would overstate the rate.
- ``workers_2_over_1``: the same with 2 workers in one group (same app id and topics, own ports and data
  dirs; counts summed, as only one holds the detect partition), over the 1-worker rate.
- ``latency_p50_s`` / ``latency_p99_s``: a fresh worker on fresh topics; the demo feed is sent at a steady
  half of ``e2e_posts_per_s`` (one envelope of 500 posts every 500/rate s) for ``latency_s`` seconds. Each
  post's send time is the wall time its envelope was handed to the producer (the service's own
  ``make_producer``, with its 20 ms linger). An aiokafka consumer reads the alerts topic throughout. For each
  alert record of kind ``raised`` or ``updated``: latency = its receive time − the latest send time among its
  ``post_ids`` (all were sent before it was received): how long after the newest evidence it carries was
  offered the officer sees the alert. Event times are kept, so the simulated days pass in seconds and the
  detector raises and grows its incidents within the run; the 1 s event-time tick of the detection core then
  costs milliseconds of wall time. Live, with event time ≈ wall time, a post also waits up to one tick (1 s)
  for later posts: add that to these numbers. The alert consumer fetches with ``fetch_max_wait_ms=10``:
  Tansu with aiokafka's default (500 ms) delivered about 77 ms late, which would be ours, not the service's.
  An incident of more than 5,000 posts carries only its first 5,000 ``post_ids``, so the post that made a
  later record may not be among them: for such a record the newest evidence is the post whose time is the
  record's ``at`` (the event time of the newest post applied when it was emitted), latest sent of those.

Also reported: ``produce_posts_per_s`` (writing the backlog), ``e2e_2_workers_posts_per_s``,
``latency_offered_posts_per_s`` (achieved), ``latency_alert_records`` (the sample size of the percentiles),
``latency_behind_at_end_posts`` (posts not yet through detect when sending ended: queueing in the latencies),
``latency_max_s`` and ``worker_log_problems`` (error lines in all the workers' logs).

Every subprocess and the broker are stopped in ``finally`` blocks, on errors, Ctrl-C and SIGTERM too.
"""

from __future__ import annotations

import asyncio
import math
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from prometheus_client.parser import text_string_to_metric_families

from demo.feed import generate
from schemas.alert import MAX_POST_IDS
from schemas.batch import decode_message, encode_batch
from streams.broker import EmbeddedBroker, free_port, terminate
from streams.config import Settings
from streams.producer import make_producer, produce

ROOT = Path(__file__).resolve().parents[1]
BATCH_SIZE = Settings().produce_batch_size  # the service default, PANTAU_PRODUCE_BATCH_SIZE
PARTITIONS = 2  # PANTAU_TOPIC_PARTITIONS of the workers, as in tests/conftest.py
POSTS_PER_DAY = 35_000  # a little under the demo feed's ~40k a day at 20 posts/min: never one day short
POLL_S = 0.1
STALL_S = 30.0  # no progress for this long: the run is broken, not slow
DETECT_METRIC = "pantau_posts_consumed_total"
ALERT_KINDS = ("raised", "updated")
# Lines in a worker's log that mean trouble (Faust's lost-message warning included, see the field notes).
LOG_PROBLEM = re.compile(r"\b(ERROR|CRITICAL|Traceback|DROPPED MESSAGE)\b")

Say = Callable[[str], None]


def past_demo_posts(n: int, first_seed: int = 7) -> list[dict[str, Any]]:
    """``n`` posts of the demo feed: consecutive days, one seed each, ending at today's midnight (UTC)."""
    days = max(1, math.ceil(n / POSTS_PER_DAY))
    midnight = time.time() // 86400 * 86400
    posts: list[dict[str, Any]] = []
    for day in range(days):
        start = datetime.fromtimestamp(midnight - (days - day) * 86400, tz=UTC)
        posts.extend(generate(seed=first_seed + day, start=start, hours=24.0))
    if len(posts) < n:
        raise RuntimeError(f"demo feed gave {len(posts)} posts over {days} days, {n} wanted")
    return posts[:n]


def create_topics(bootstrap: str, names: list[str], partitions: int = PARTITIONS) -> None:
    # Created up front: an auto-created topic on Tansu gets 4 partitions, and a consumer started before the
    # topic exists would wait for its next metadata refresh.
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        admin.create_topics([NewTopic(name, partitions, 1) for name in names])
    finally:
        admin.close()


# --- raw consume ------------------------------------------------------------------------------------------


async def raw_consume(bootstrap: str, topic: str, expected: int) -> tuple[float, dict[int, int]]:
    """Posts/s of a plain aiokafka consumer decoding the backlog, and the posts found in each partition."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign([TopicPartition(topic, p) for p in range(PARTITIONS)])
        # From the beginning by seeking, not end offsets: Tansu's end_offsets is wrong (field notes).
        await consumer.seek_to_beginning()
        per_partition = dict.fromkeys(range(PARTITIONS), 0)
        posts, first, last_data = 0, 0.0, time.monotonic()
        while posts < expected:
            batches = await consumer.getmany(timeout_ms=1000)
            now = time.perf_counter()
            if not batches:
                if time.monotonic() - last_data > STALL_S:
                    raise RuntimeError(f"raw consumer stalled at {posts} of {expected} posts")
                continue
            last_data = time.monotonic()
            if not posts:
                first = now
            for tp, records in batches.items():
                for record in records:
                    assert record.value is not None
                    n = len(decode_message(record.value).posts)
                    posts += n
                    per_partition[tp.partition] += n
        return posts / (time.perf_counter() - first), per_partition
    finally:
        await consumer.stop()


# --- Faust passthrough ------------------------------------------------------------------------------------


def faust_passthrough(bootstrap: str, topic: str, expected: int, tmp: Path) -> float:
    result_path = tmp / "passthrough.json"
    log_path = tmp / "passthrough.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.passthrough", bootstrap, topic, str(expected), str(result_path), str(tmp)],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60 + expected / 1000
        while not result_path.exists():
            if process.poll() is not None:
                raise RuntimeError(f"passthrough exited with {process.returncode}:\n{_tail(log_path)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"passthrough did not finish in time:\n{_tail(log_path)}")
            time.sleep(POLL_S)
        result = orjson.loads(result_path.read_bytes())
        return float(result["posts"] / result["seconds"])
    finally:
        terminate(process, timeout_s=20)


# --- workers ----------------------------------------------------------------------------------------------


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    web: str
    log_path: Path

    def get(self, path: str, timeout_s: float = 5.0) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.web + path, timeout=timeout_s) as response:
                return int(response.status), bytes(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def posts_consumed(self) -> dict[str, float]:
        """``pantau_posts_consumed_total`` by step; no detect entry on a worker without the detect partition."""
        status, body = self.get("/metrics")
        if status != 200:
            raise OSError(f"/metrics answered {status}")
        counts: dict[str, float] = {}
        for family in text_string_to_metric_families(body.decode()):
            for sample in family.samples:
                if sample.name == DETECT_METRIC:
                    counts[sample.labels.get("step", "")] = float(sample.value)
        return counts

    def detect_count(self) -> float:
        return self.posts_consumed().get("detect", 0.0)


@dataclass
class Group:
    """Worker processes of one consumer group; ``stop()`` ends every one that was started."""

    app_id: str
    topics: dict[str, str]
    tmp: Path
    workers: list[Worker] = field(default_factory=list)

    def launch(self, bootstrap: str) -> Worker:
        # Exactly as tests/conftest.py::start_worker, so the bench measures what the tests run.
        index = len(self.workers)
        port = free_port()
        env = {
            **os.environ,
            "PANTAU_KAFKA_BOOTSTRAP": bootstrap,
            "PANTAU_APP_ID": self.app_id,
            **self.topics,
            "PANTAU_WEB_PORT": str(port),
            "PANTAU_DATA_DIR": str(self.tmp / f"data-{self.app_id}-{index}"),
            # Detection checkpoints: shared by the workers of one group, as by the workers of one service.
            "PANTAU_STATE_DIR": str(self.tmp / f"state-{self.app_id}"),
            "PANTAU_CONSOLE_ALERTS": "false",
            "PANTAU_TOPIC_PARTITIONS": str(PARTITIONS),
        }
        log_path = self.tmp / f"worker-{self.app_id}-{index}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "streams.cli", "worker"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        worker = Worker(process, f"http://127.0.0.1:{port}", log_path)
        self.workers.append(worker)
        return worker

    def wait_ready(self, timeout_s: float = 60.0) -> float:
        """Seconds until every worker answers /readyz 200 in the same round (one settled group)."""
        started = time.monotonic()
        while time.monotonic() < started + timeout_s:
            ready = 0
            for worker in self.workers:
                if worker.process.poll() is not None:
                    raise RuntimeError(f"worker exited early:\n{_tail(worker.log_path)}")
                with suppress(OSError):  # not listening yet
                    ready += worker.get("/readyz", timeout_s=2)[0] == 200
            if ready == len(self.workers):
                return time.monotonic() - started
            time.sleep(POLL_S)
        raise RuntimeError(f"workers not ready in {timeout_s:.0f} s:\n{_tail(self.workers[-1].log_path)}")

    def detect_count(self) -> float:
        return sum(worker.detect_count() for worker in self.workers)

    def stop(self) -> None:
        # SIGTERM to all first, so they leave the group together, then wait for each.
        for worker in self.workers:
            if worker.process.poll() is None:
                worker.process.terminate()
        for worker in self.workers:
            terminate(worker.process, timeout_s=20)

    def log_report(self) -> tuple[int, int]:
        """(problem lines, completed rebalances) over all the group's logs."""
        problems = rebalances = 0
        for worker in self.workers:
            text = worker.log_path.read_text(errors="replace")
            problems += sum(1 for line in text.splitlines() if LOG_PROBLEM.search(line))
            rebalances += text.count("worker ready: partitions assigned")
        return problems, rebalances


def new_group(tmp: Path, kind: str, posts_topic: str | None = None) -> Group:
    tag = uuid.uuid4().hex[:8]
    topics = {
        "PANTAU_POSTS_TOPIC": posts_topic or f"bench-posts-{kind}-{tag}",
        "PANTAU_ALERTS_TOPIC": f"bench-alerts-{kind}-{tag}",
        "PANTAU_DEADLETTER_TOPIC": f"bench-deadletter-{kind}-{tag}",
        "PANTAU_FEEDBACK_TOPIC": f"bench-feedback-{kind}-{tag}",
    }
    return Group(f"pantau-bench-{kind}-{tag}", topics, tmp)


@contextmanager
def running(group: Group, bootstrap: str, n_workers: int, say: Say) -> Iterator[Group]:
    """Start ``n_workers`` at once (so they join one generation), wait until ready; always stop them."""
    try:
        for _ in range(n_workers):
            group.launch(bootstrap)
        ready_s = group.wait_ready()
        say(f"  {n_workers} worker(s) ready after {ready_s:.1f} s")
        yield group
    finally:
        group.stop()
        problems, rebalances = group.log_report()
        if problems or rebalances > n_workers:
            say(f"  worker logs: {problems} problem line(s), {rebalances} rebalance(s) for {n_workers} worker(s)")
            for worker in group.workers:
                for line in _problem_lines(worker.log_path)[:5]:
                    say(f"    {worker.log_path.name}: {line}")


def wait_processed(group: Group, expected: int) -> tuple[float, float, float, float]:
    """Poll until the detect step has counted ``expected`` posts: (first time, first count, last time, count)."""
    first: tuple[float, float] | None = None
    last_count, last_change = -1.0, time.monotonic()
    while True:
        before = time.monotonic()
        try:
            count: float | None = group.detect_count()
        except OSError:  # a busy worker may answer late; skip this round
            count = None
        at = (before + time.monotonic()) / 2  # when the counters were most likely read
        if count is not None:
            if first is None and count > 0:
                first = (at, count)
            if count >= expected and first is not None:
                return first[0], first[1], at, count
            if count > last_count:
                last_count, last_change = count, at
        if time.monotonic() - last_change > STALL_S:
            logs = "\n".join(_tail(w.log_path, 1500) for w in group.workers)
            raise RuntimeError(f"detect stalled at {last_count:.0f} of {expected} posts:\n{logs}")
        time.sleep(max(0.0, POLL_S - (time.monotonic() - before)))


def e2e_throughput(group: Group, bootstrap: str, expected: int, n_workers: int, say: Say) -> float:
    with running(group, bootstrap, n_workers, say):
        t_first, c_first, t_last, c_last = wait_processed(group, expected)
        # Which worker did what: with 2, each should normalise one partition and one of them detect all.
        for index, worker in enumerate(group.workers):
            counts = {step: int(n) for step, n in sorted(worker.posts_consumed().items())}
            say(f"  worker {index}: posts by step {counts}")
    if t_last <= t_first:  # everything within one poll: the rate is only bounded below
        return c_last / POLL_S
    return (c_last - c_first) / (t_last - t_first)


# --- latency ----------------------------------------------------------------------------------------------


@dataclass
class LatencyResult:
    latencies: list[float]
    sent: int
    send_s: float
    records: int
    behind_at_end: int | None  # posts sent but not yet through detect when sending ended


async def _latency_run(
    bootstrap: str, group: Group, posts: list[dict[str, Any]], rate: float, say: Say
) -> LatencyResult:
    posts_topic, alerts_topic = group.topics["PANTAU_POSTS_TOPIC"], group.topics["PANTAU_ALERTS_TOPIC"]
    sent_at: dict[str, float] = {}
    sent_by_time: dict[str, float] = {}  # post time as written -> when the last post of that time was sent
    latencies: list[float] = []
    records = 0
    stop = asyncio.Event()
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, fetch_max_wait_ms=10
    )
    await consumer.start()
    producer = make_producer(bootstrap)
    receiver: asyncio.Task[None] | None = None
    try:
        consumer.assign([TopicPartition(alerts_topic, p) for p in range(PARTITIONS)])
        await consumer.seek_to_beginning()

        async def receive() -> None:
            nonlocal records
            while not stop.is_set():
                batches = await consumer.getmany(timeout_ms=100)
                received = time.monotonic()
                for batch in batches.values():
                    for record in batch:
                        assert record.value is not None
                        alert = orjson.loads(record.value)
                        records += 1
                        if alert["kind"] not in ALERT_KINDS:
                            continue
                        times = [sent_at[i] for i in alert["post_ids"] if sent_at.get(i, math.inf) <= received]
                        if (
                            len(alert["post_ids"]) >= MAX_POST_IDS
                            and sent_by_time.get(alert["at"], math.inf) <= received
                        ):
                            times.append(sent_by_time[alert["at"]])  # the list is capped: see the docstring
                        if times:
                            latencies.append(received - max(times))

        receiver = asyncio.create_task(receive())
        started = time.monotonic()
        for index in range(0, len(posts), BATCH_SIZE):
            # A steady schedule from the start, not sleep-per-batch: a late batch does not push back the rest.
            delay = started + index / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            batch = posts[index : index + BATCH_SIZE]
            now = time.monotonic()
            for post in batch:
                sent_at[post["id"]] = now
                sent_by_time[post["ts"]] = now
            producer.send(posts_topic, encode_batch(batch))
        await asyncio.to_thread(producer.flush)
        send_s = time.monotonic() - started
        behind: int | None = None
        with suppress(OSError):  # a busy worker may not answer in time: then it is unknown
            behind = len(posts) - int(await asyncio.to_thread(group.detect_count))
        say(f"  sent {len(posts):,} posts in {send_s:.1f} s; the worker was {behind} posts behind at the end")
        await asyncio.to_thread(wait_processed, group, len(posts))
        await asyncio.sleep(3.0)  # the last alerts of the last tick
        stop.set()
        await receiver
        return LatencyResult(latencies, len(posts), send_s, records, behind)
    finally:
        stop.set()
        if receiver is not None and not receiver.done():
            receiver.cancel()  # an error while sending: do not leave it reading from a stopped consumer
            with suppress(asyncio.CancelledError):
                await receiver
        producer.close(timeout=5)
        await consumer.stop()


def latency(group: Group, bootstrap: str, posts: list[dict[str, Any]], rate: float, say: Say) -> LatencyResult:
    create_topics(bootstrap, [group.topics["PANTAU_POSTS_TOPIC"], group.topics["PANTAU_ALERTS_TOPIC"]])
    with running(group, bootstrap, 1, say):
        return asyncio.run(_latency_run(bootstrap, group, posts, rate, say))


# --- all of it --------------------------------------------------------------------------------------------


def run(result: dict[str, object], n_posts: int, latency_s: float, say: Say) -> None:
    """Every broker benchmark against one embedded broker, into ``result`` as each finishes (a failure later
    keeps the earlier numbers). The keys are described in the module docstring."""
    if n_posts < 10 * BATCH_SIZE:
        raise ValueError(f"--posts {n_posts}: at least {10 * BATCH_SIZE} for a measurable run")
    result["broker_posts"] = n_posts
    say(f"broker: demo feed, {n_posts:,} posts over past days ...")
    backlog = past_demo_posts(n_posts)
    groups: list[Group] = []
    with tempfile.TemporaryDirectory(prefix="pantau-bench-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            with EmbeddedBroker(log_path=tmp / "tansu.log") as broker:
                _run(result, broker.bootstrap, backlog, latency_s, tmp, groups, say)
        finally:
            problems = sum(group.log_report()[0] for group in groups)
            result["worker_log_problems"] = problems


def _run(
    result: dict[str, object],
    bootstrap: str,
    backlog: list[dict[str, Any]],
    latency_s: float,
    tmp: Path,
    groups: list[Group],
    say: Say,
) -> None:
    n_posts = len(backlog)
    posts_topic = f"bench-posts-{uuid.uuid4().hex[:8]}"
    create_topics(bootstrap, [posts_topic])
    producer = make_producer(bootstrap)
    try:
        started = time.perf_counter()
        produce(producer, posts_topic, backlog, batch_size=BATCH_SIZE, speed=None)
        result["produce_posts_per_s"] = round(n_posts / (time.perf_counter() - started), 1)
    finally:
        producer.close(timeout=5)
    say(f"broker: backlog written ({result['produce_posts_per_s']:,} posts/s); raw aiokafka consumer ...")

    rate, per_partition = asyncio.run(raw_consume(bootstrap, posts_topic, n_posts))
    result["raw_consume_per_s"] = round(rate, 1)
    say(f"  {rate:,.0f} posts/s; posts per partition {per_partition}")

    say("broker: Faust passthrough agent (decode and count) ...")
    rate = faust_passthrough(bootstrap, posts_topic, n_posts, tmp)
    result["faust_passthrough_per_s"] = round(rate, 1)
    say(f"  {rate:,.0f} posts/s")

    say("broker: end to end, 1 worker ...")
    groups.append(new_group(tmp, "e2e1", posts_topic))
    one = e2e_throughput(groups[-1], bootstrap, n_posts, 1, say)
    result["e2e_posts_per_s"] = round(one, 1)
    say(f"  {one:,.0f} posts/s")

    say("broker: end to end, 2 workers in one group ...")
    groups.append(new_group(tmp, "e2e2", posts_topic))
    two = e2e_throughput(groups[-1], bootstrap, n_posts, 2, say)
    result["e2e_2_workers_posts_per_s"] = round(two, 1)
    result["workers_2_over_1"] = round(two / one, 3)
    say(f"  {two:,.0f} posts/s")

    offered = one / 2
    n_latency = max(BATCH_SIZE, math.ceil(offered * latency_s))
    say(f"broker: post-to-alert latency at {offered:,.0f} posts/s for {latency_s:.0f} s ...")
    feed = backlog[:n_latency] if n_latency <= len(backlog) else past_demo_posts(n_latency)
    groups.append(new_group(tmp, "latency"))
    lat = latency(groups[-1], bootstrap, feed, offered, say)
    if not lat.latencies:
        raise RuntimeError(f"no raised/updated alert received ({lat.records} alert records)")
    result["latency_offered_posts_per_s"] = round(lat.sent / lat.send_s, 1)
    result["latency_alert_records"] = len(lat.latencies)
    # Qualifies the latencies: a worker that could not keep up at the offered rate adds queueing to them.
    result["latency_behind_at_end_posts"] = lat.behind_at_end
    result["latency_p50_s"] = round(float(np.percentile(lat.latencies, 50)), 4)
    result["latency_p99_s"] = round(float(np.percentile(lat.latencies, 99)), 4)
    result["latency_max_s"] = round(max(lat.latencies), 4)


def _tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


def _problem_lines(path: Path) -> list[str]:
    return [line for line in _tail(path, 1 << 30).splitlines() if LOG_PROBLEM.search(line)]
