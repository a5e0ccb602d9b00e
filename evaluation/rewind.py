"""``pantau rewind``: move the live service to an event time, so that it detects again from there.

It changes three things, with the workers stopped, and nothing else:

- **The posts topic:** the group's committed offset of each partition goes to the first message that holds a
  post at or after the time. That is found by reading the posts' own event time, as a replay does. The
  broker's record timestamps only say where to start reading: a post is written after it happens, give or
  take the clock skew the service admits (``max_future_s``). On Tansu, which matches its write time and
  answers 0 for a future time, reading starts at the partition's beginning. A partition with no post at or
  after the time goes to its end.
- **The internal topic** of normalised batches goes to its end: what is in it was derived from posts that are
  read again.
- **The detection checkpoint** is set aside (kept beside it for inspection), so the state is rebuilt from the
  new position. Kept, it would skip the posts it had already applied.

The feedback topic keeps its offset. Labels already applied were part of the state, and they go with it.

It refuses while the group has members: a running worker would commit its own position over the new one, and
Kafka refuses the change anyway. The checkpoint is set aside before the offsets move. If the offsets cannot be
moved after that, the service starts afresh at its old position, which loses no input.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kafka import KafkaAdminClient, OffsetAndMetadata, TopicPartition
from kafka.admin import MemberToRemove
from kafka.errors import NoError

from evaluation.reading import PartitionReader, own_consumer
from schemas.batch import decode_message
from schemas.errors import InvalidMessage
from schemas.post import admission_horizon, format_ts
from streams.config import Settings
from streams.state import CheckpointStore
from streams.topics import max_record_bytes, normalised_topic_name
from streams.workarounds import GroupAdmin


class RewindRefused(SystemExit):
    """A rewind that cannot be done safely now: nothing was changed."""


@dataclass(frozen=True)
class PartitionMove:
    topic: str
    partition: int
    committed: int | None  # None: the group has committed nothing there
    target: int
    how: str

    @property
    def reread(self) -> int | None:
        """Messages read again (negative: skipped), from the committed offset."""
        return None if self.committed is None else self.committed - self.target


@dataclass(frozen=True)
class RewindPlan:
    group: str
    to_time: float
    moves: list[PartitionMove]
    checkpoint: Path
    members: list[str]

    def describe(self) -> list[str]:
        lines = [
            f"rewind group {self.group} to event time {format_ts(self.to_time)}",
            f"{'topic':>28}  {'partition':>9}  {'committed':>9}  {'new offset':>10}  {'re-read':>8}  how",
        ]
        for m in self.moves:
            committed = "-" if m.committed is None else str(m.committed)
            reread = "-" if m.reread is None else str(m.reread)
            lines.append(f"{m.topic:>28}  {m.partition:>9}  {committed:>9}  {m.target:>10}  {reread:>8}  {m.how}")
        if self.checkpoint.exists():
            size = self.checkpoint.stat().st_size
            written = format_ts(self.checkpoint.stat().st_mtime)
            lines.append(f"checkpoint: {self.checkpoint} ({size / 1e6:.1f} MB, written {written}) is set aside")
        else:
            lines.append(f"checkpoint: none at {self.checkpoint}; detection starts afresh anyway")
        lines.append("feedback topic: unchanged")
        if self.members:
            listed = ", ".join(self.members)
            lines.append(f"members still listed in {self.group}, removed on --execute (--force): {listed}")
        else:
            lines.append(f"members of {self.group}: none")
        return lines


def group_members(admin: KafkaAdminClient, group: str) -> dict[str, str]:
    """The group's members as the broker lists them: member id -> ``client id@host``."""
    described = admin.describe_groups([group])[group]
    if described.get("error"):
        raise SystemExit(f"pantau rewind: cannot describe group {group}: {described['error']}")
    return {
        m["member_id"]: f"{m.get('client_id') or m['member_id']}@{m.get('client_host') or '?'}"
        for m in described.get("members", [])
    }


def live_members(admin: KafkaAdminClient, settings: Settings, force: bool = False, wait: bool = True) -> list[str]:
    """The members left in the group: none once every worker has stopped.

    A worker that stops leaves the group. One killed without leaving stays listed until its session times
    out, so a listed member is given that long to go (unless ``wait`` is false: the plan has waited already).
    On Tansu it stays until the next rebalance: ``force`` then removes the members still listed, as
    ``kafka-streams-application-reset --force`` does. It is for workers known to be stopped; a live one
    removed rejoins at once, and is listed again.
    """
    group = settings.app_id
    deadline = time.monotonic() + (settings.broker_session_timeout_s + 2.0 if wait else 0.0)
    members = group_members(admin, group)
    while members and time.monotonic() < deadline:
        time.sleep(0.5)
        members = group_members(admin, group)
    if members and force:
        admin.remove_group_members(group, [MemberToRemove(member_id=m) for m in members])
        time.sleep(1.0)  # a live member rejoins within a heartbeat
        members = group_members(admin, group)
    return sorted(members.values())


def _refuse_if_running(members: list[str], group: str, force: bool) -> None:
    if members:
        hint = (
            ""
            if force
            else (
                "; a worker killed without leaving stays listed until its session times out (on the embedded broker, "
                "until the next rebalance): once you know every worker is stopped, add --force to remove it"
            )
        )
        raise RewindRefused(
            f"pantau rewind: group {group} has {len(members)} active member(s) ({', '.join(members)}): stop every "
            f"worker first{hint}"
        )


def _admin(settings: Settings) -> KafkaAdminClient:
    return GroupAdmin(bootstrap_servers=settings.kafka_bootstrap, **settings.kafka_security().options())


def plan_rewind(settings: Settings, to_time: float, now: float | None = None, force: bool = False) -> RewindPlan:
    """Where every partition goes (see the module docstring). Reads, changes nothing."""
    group = settings.app_id
    directory = Path(settings.state_dir) / settings.app_id
    if not directory.is_dir():
        raise RewindRefused(
            f"pantau rewind: no state directory at {directory}: run it where the workers' state volume is "
            "mounted (PANTAU_STATE_DIR), or its checkpoint would be resumed and skip the posts read again"
        )
    admin = _admin(settings)
    try:
        members = live_members(admin, settings)  # a dry run removes nothing, even with force
        if not force:
            _refuse_if_running(members, group, force)
        committed = admin.list_group_offsets(group).get(group, {})
    finally:
        admin.close()
    options = settings.kafka_security().options()
    consumer = own_consumer(settings.kafka_bootstrap, options, max_record_bytes(settings))
    try:
        moves = _posts_moves(consumer, settings, to_time, committed, now)
        internal = normalised_topic_name(settings)
        for partition in sorted(consumer.partitions_for_topic(internal) or ()):
            tp = TopicPartition(internal, partition)
            end = _high_watermark(consumer, tp)
            moves.append(PartitionMove(internal, partition, _offset(committed, tp), end, "its end: re-derived"))
    finally:
        consumer.close()
    return RewindPlan(group, to_time, moves, CheckpointStore(directory).checkpoint_path, members)


def execute_rewind(plan: RewindPlan, settings: Settings, force: bool = False) -> Path | None:
    """Check again that no worker runs, set the checkpoint aside, then move the offsets. Returns where the
    checkpoint was kept (None: there was none)."""
    admin = _admin(settings)
    try:
        _refuse_if_running(live_members(admin, settings, force, wait=False), plan.group, force)
        kept = CheckpointStore(plan.checkpoint.parent).set_aside("rewind", f"rewound to {format_ts(plan.to_time)}")
        offsets = {TopicPartition(m.topic, m.partition): OffsetAndMetadata(m.target, "", -1) for m in plan.moves}
        answers = admin.alter_group_offsets(plan.group, offsets)
        errors = {tp: error for tp, error in answers.items() if error is not NoError}
    finally:
        admin.close()
    if errors:
        failed = ", ".join(f"{tp.topic}:{tp.partition} {error.__name__}" for tp, error in sorted(errors.items()))
        raise SystemExit(
            f"pantau rewind: the broker refused some offsets ({failed}). The checkpoint was set aside, so the "
            "service starts afresh at its old position; run rewind again once the cause is fixed"
        )
    return kept


def _offset(committed: Mapping[TopicPartition, Any], tp: TopicPartition) -> int | None:
    found = committed.get(tp)
    return None if found is None or found.offset < 0 else int(found.offset)


def _high_watermark(consumer: Any, tp: TopicPartition, timeout_s: float = 15.0) -> int:
    """The true end of one partition: the high watermark a fetch reports (``end_offsets`` is a hint on Tansu)."""
    hint = consumer.end_offsets([tp])[tp]
    consumer.assign([tp])
    consumer.seek(tp, hint)
    deadline = time.monotonic() + timeout_s
    while consumer.highwater(tp) is None and time.monotonic() < deadline:
        consumer.poll(timeout_ms=200, max_records=1)
    highwater = consumer.highwater(tp)
    if highwater is None:
        raise SystemExit(f"pantau rewind: {tp.topic}:{tp.partition} answered no fetch in {timeout_s:.0f} s")
    return int(highwater)


def _posts_moves(
    consumer: Any, settings: Settings, to_time: float, committed: Mapping[TopicPartition, Any], now: float | None
) -> list[PartitionMove]:
    topic = settings.posts_topic
    partitions = sorted(consumer.partitions_for_topic(topic) or ())
    if not partitions:
        raise SystemExit(f"pantau rewind: topic {topic} does not exist (or has no partitions)")
    tps = {p: TopicPartition(topic, p) for p in partitions}
    beginnings = consumer.beginning_offsets(list(tps.values()))
    # Where to start reading: no post at or after to_time was written before to_time - max_future_s.
    # No record written before that holds one: where there is none since, nothing at or after to_time was
    # written yet, and the reading starts at the end (which end_offsets gives as a lower bound).
    since = max(0, int((to_time - settings.max_future_s) * 1000))
    hints = consumer.offsets_for_times({tp: since for tp in tps.values()})
    ends = consumer.end_offsets(list(tps.values()))
    starts = {
        p: max(beginnings[tp], hints[tp].offset if hints.get(tp) is not None else ends[tp]) for p, tp in tps.items()
    }
    not_after = admission_horizon(time.time() if now is None else now, settings.max_future_s)
    reader = PartitionReader(consumer, topic, starts, {p: None for p in partitions})
    found: dict[int, int] = {}
    for fetched in reader.polls():
        for partition, records in fetched:
            if partition in found:
                continue
            for record in records:
                if _holds_post_at_or_after(record.value, to_time, settings, not_after):
                    found[partition] = record.offset
                    reader.close(partition, "found")
                    break
    moves = []
    for partition, tp in tps.items():
        if partition in found:
            target, how = found[partition], f"the first message with a post at or after {format_ts(to_time)}"
        else:
            target = reader.final[partition]
            how = f"its end: no post at or after {format_ts(to_time)}"
        moves.append(PartitionMove(topic, partition, _offset(committed, tp), target, how))
    return moves


def _holds_post_at_or_after(raw: bytes, to_time: float, settings: Settings, not_after: float) -> bool:
    """Whether a message holds a post the live service would take, of this event time or later."""
    try:
        decoded = decode_message(raw, settings.max_message_bytes, not_after)
    except InvalidMessage:
        return False  # a dead letter either way: it holds no post
    return any(post.ts >= to_time for post in decoded.posts)
