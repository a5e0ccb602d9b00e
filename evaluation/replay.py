"""``pantau replay``: a topic of posts, or a range of it, through the detection core, never touching the live
service.

- **Its own consumer, no group:** nothing is committed, so the live group's offsets never move.
- **A plan first:** partitions, start and end offsets, the messages expected, the output and the detector
  settings. Only ``--execute`` reads.
- **The end of a range** is decided while reading. An offset range ends at its ``--to-offset`` (exclusive);
  otherwise each partition ends at the high watermark its first fetch reports. Tansu's ``end_offsets``
  answers the last batch's start instead (the field notes), so it is only shown as a hint in the plan. A time
  range keeps the posts whose event time lies in it, wherever they sit in the partition.
- **Deterministic:** the same detection core as the live service, holding event time until every partition
  has passed it (``DetectionCore.expect_sources``), so how the partitions interleave does not matter. The
  same range read twice gives byte-identical alert records, and a topic loaded by ``pantau produce FILE``
  gives what ``pantau backtest FILE`` gives.
- **Output** to a JSONL file or a shadow topic, never the live alerts topic and never a delivery channel.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kafka import TopicPartition

from detectors.core import DetectionCore
from detectors.text import normalise
from evaluation.ranges import ReplayRange
from evaluation.reading import PartitionReader, own_consumer
from schemas.alert import Alert
from schemas.batch import decode_message
from schemas.errors import InvalidMessage
from schemas.post import admission_horizon, format_ts
from streams.sinks import AlertSink


class ReplayRefused(SystemExit):
    """A replay that would touch the live service: refused before anything is read."""


@dataclass(frozen=True)
class PartitionPlan:
    partition: int
    start: int  # first offset read
    end: int | None  # exclusive; None: the high watermark of the first fetch
    end_hint: int  # end_offsets' answer (a lower bound on Tansu)

    @property
    def expected(self) -> int:
        return max(0, (self.end if self.end is not None else self.end_hint) - self.start)


@dataclass(frozen=True)
class ReplayPlan:
    topic: str
    partitions: list[PartitionPlan]
    range: ReplayRange
    output: str
    detector: str

    def describe(self) -> list[str]:
        lines = [
            f"replay {self.topic}: {self.range.describe()}",
            f"output: {self.output}",
            f"detector: {self.detector}",
            f"{'partition':>9}  {'start':>10}  {'end':>22}  {'expected':>9}",
        ]
        for p in self.partitions:
            end = str(p.end) if p.end is not None else f"high watermark (>= {p.end_hint})"
            lines.append(f"{p.partition:>9}  {p.start:>10}  {end:>22}  {p.expected:>9}")
        total = sum(p.expected for p in self.partitions)
        lines.append(f"messages expected: {total} (at least, where the end is the high watermark)")
        return lines


@dataclass
class ReplaySummary:
    messages: int = 0
    posts_read: int = 0
    posts_in_range: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    alerts: Counter[str] = field(default_factory=Counter)
    incidents: set[str] = field(default_factory=set)
    ends: dict[int, str] = field(default_factory=dict)  # partition -> how its end was decided
    newest_event: float = 0.0

    def describe(self) -> list[str]:
        lines = [
            f"messages read: {self.messages}; posts read: {self.posts_read}, in the range: {self.posts_in_range}",
            "rejected: " + (", ".join(f"{r} {n}" for r, n in sorted(self.rejected.items())) or "none"),
            "alert records: " + (", ".join(f"{k} {n}" for k, n in sorted(self.alerts.items())) or "none"),
            f"incidents: {len(self.incidents)}",
        ]
        lines += [f"partition {p}: ended at {how}" for p, how in sorted(self.ends.items())]
        return lines


def check_output_topic(target: str, live_alerts_topic: str, source_topic: str) -> None:
    """A shadow topic only: never the live alerts topic (delivery reads it), never the topic read."""
    if target == live_alerts_topic:
        raise ReplayRefused(
            f"pantau replay: {target} is the live alerts topic (officers' delivery reads it): name a shadow topic"
        )
    if target == source_topic:
        raise ReplayRefused(f"pantau replay: {target} is the topic being replayed")


def plan_replay(
    bootstrap: str,
    topic: str,
    replay_range: ReplayRange,
    output: str,
    detector: str,
    client_options: Mapping[str, Any] | None = None,
    max_fetch_bytes: int = 8 << 20,
) -> ReplayPlan:
    """Where each partition starts and ends (see the module docstring)."""
    consumer = own_consumer(bootstrap, client_options or {}, max_fetch_bytes)
    try:
        known = consumer.partitions_for_topic(topic)
        if not known:
            raise SystemExit(f"pantau replay: topic {topic} does not exist (or has no partitions)")
        tps = [TopicPartition(topic, p) for p in sorted(known)]
        beginnings, ends = consumer.beginning_offsets(tps), consumer.end_offsets(tps)
        unknown = set(replay_range.from_offsets) - set(known)
        if unknown:
            raise SystemExit(f"pantau replay: {topic} has no partition {sorted(unknown)}")
        partitions = []
        for tp in tps:
            start = replay_range.from_offsets.get(tp.partition, beginnings[tp])
            if replay_range.from_offsets and tp.partition not in replay_range.from_offsets:
                continue  # an offset range reads the partitions it names
            end = replay_range.to_offsets.get(tp.partition)
            partitions.append(PartitionPlan(tp.partition, max(start, beginnings[tp]), end, ends[tp]))
        return ReplayPlan(topic, partitions, replay_range, output, detector)
    finally:
        consumer.close()


def execute_replay(
    plan: ReplayPlan,
    bootstrap: str,
    sink: AlertSink,
    core: DetectionCore,
    client_options: Mapping[str, Any] | None = None,
    max_message_bytes: int = 1 << 20,
    max_future_s: float = 86400.0,
    on_progress: Callable[[ReplaySummary], None] | None = None,
    max_fetch_bytes: int = 8 << 20,
) -> ReplaySummary:
    """Read the plan's partitions to their ends, detect, and write every alert record to ``sink``."""
    summary = ReplaySummary()
    not_after = admission_horizon(time.time(), max_future_s)  # the live service's one wall-clock rule
    consumer = own_consumer(bootstrap, client_options or {}, max_fetch_bytes)
    core.expect_sources(p.partition for p in plan.partitions)
    try:
        reader = PartitionReader(
            consumer,
            plan.topic,
            {p.partition: p.start for p in plan.partitions},
            {p.partition: p.end for p in plan.partitions},
        )
        summary.ends = reader.ended  # filled in as each partition ends

        def emit(alerts: list[Alert]) -> None:
            for alert in alerts:
                sink.add(alert)
                summary.alerts[alert.kind] += 1
                summary.incidents.add(alert.incident_id)

        for fetched in reader.polls():
            for partition, records in fetched:
                items = []
                for record in records:
                    summary.messages += 1
                    items += _posts(record.value, max_message_bytes, not_after, plan.range, summary)
                emit(core.process([normalise(p) for p in items], source=partition))
            if on_progress is not None:
                on_progress(summary)
        emit(core.flush())
        sink.flush()
        return summary
    finally:
        consumer.close()


def _posts(
    raw: bytes, max_bytes: int, not_after: float, replay_range: ReplayRange, summary: ReplaySummary
) -> list[Any]:
    """A message's posts in the range, validated as the live service validates them; rejects are counted."""
    try:
        decoded = decode_message(raw, max_bytes, not_after)
    except InvalidMessage as exc:
        summary.rejected[exc.reason.value] += 1
        return []
    for _, reject in decoded.rejects:
        summary.rejected[reject.reason.value] += 1
    summary.posts_read += len(decoded.posts)
    kept = [p for p in decoded.posts if replay_range.takes(p.ts)]
    summary.posts_in_range += len(kept)
    if kept:
        summary.newest_event = max(summary.newest_event, max(p.ts for p in kept))
    return kept


def event_time(ts: float) -> str:
    return format_ts(ts) if ts else "-"
