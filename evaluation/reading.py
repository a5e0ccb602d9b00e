"""Reading partitions of a topic to their ends with a consumer of our own (no group, nothing committed), where
the broker's ``end_offsets`` cannot be trusted: Tansu answers the last batch's start (the field notes).

A partition ends at the end it was given (exclusive), or else at the high watermark of its first fetch: that
bounds the read even while producers go on writing, and it is the true end, which ``end_offsets`` is not. A
partition whose fetches bring nothing, with its position at the high watermark, is empty or read to its end.
``pantau replay`` reads its range this way and ``pantau rewind`` looks for where to rewind to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from kafka import KafkaConsumer, TopicPartition

_POLL_MS = 500
_IDLE_POLLS = 6  # polls with nothing new on a partition whose end is not known yet: it is empty
_MAX_RECORDS = 2000


def own_consumer(bootstrap: str, client_options: Mapping[str, Any], max_fetch_bytes: int) -> KafkaConsumer:
    """A consumer with no group: nothing it reads is committed, so no group's offsets move."""
    return KafkaConsumer(
        bootstrap_servers=bootstrap.split(","),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=max_fetch_bytes,
        fetch_max_bytes=max(max_fetch_bytes, 50 << 20),
        **dict(client_options),
    )


class PartitionReader:
    """Reads ``topic``'s partitions from ``starts`` to their ends, one poll at a time.

    ``ends`` gives a partition's end (exclusive), or None for the high watermark of its first fetch.
    ``ended`` says, per partition, at which offset it ended and how that was decided; ``final`` holds the
    offset at which each partition ended (its position when closed early).
    """

    def __init__(
        self, consumer: KafkaConsumer, topic: str, starts: Mapping[int, int], ends: Mapping[int, int | None]
    ) -> None:
        self.consumer = consumer
        self.partitions = {p: TopicPartition(topic, p) for p in starts}
        self.ends: dict[int, int | None] = {p: ends.get(p) for p in starts}
        self.ended: dict[int, str] = {}
        self.final: dict[int, int] = {}
        self.open: set[int] = set()
        self._idle: Counter[int] = Counter()
        consumer.assign(list(self.partitions.values()))
        for partition, start in starts.items():
            end = self.ends[partition]
            if end is not None and start >= end:
                self.ended[partition] = f"offset {end} (--to-offset)"
                self.final[partition] = end
                continue
            consumer.seek(self.partitions[partition], start)
            self.open.add(partition)

    def close(self, partition: int, how: str) -> None:
        """Stop reading a partition (its reader has what it wanted)."""
        if partition in self.open:
            self.open.discard(partition)
            self.consumer.pause(self.partitions[partition])
            self.ended[partition] = how
            self.final[partition] = self.consumer.position(self.partitions[partition])

    def polls(self) -> Iterator[list[tuple[int, list[Any]]]]:
        """Each poll's records below their partition's end, by partition, until every partition has ended.
        A poll may bring nothing (the caller can still show progress)."""
        consumer = self.consumer
        while self.open:
            fetched = consumer.poll(timeout_ms=_POLL_MS, max_records=_MAX_RECORDS)
            batch: list[tuple[int, list[Any]]] = []
            got = set()
            for tp, records in fetched.items():
                partition = tp.partition
                if partition not in self.open:
                    continue
                got.add(partition)
                end = self.ends[partition]
                if end is None:
                    highwater = consumer.highwater(tp)
                    if highwater is not None:
                        end = self.ends[partition] = highwater  # fixed at the first fetch: new input does not extend it
                        self.ended[partition] = f"offset {highwater} (the high watermark of its first fetch)"
                kept = records if end is None else [r for r in records if r.offset < end]
                batch.append((partition, kept))
                if end is not None and consumer.position(tp) >= end:
                    self._finish(partition, f"offset {end} (--to-offset)")
            for partition in self.open - got:
                self._check_idle(partition)
            yield batch

    def _finish(self, partition: int, how: str) -> None:
        self.open.discard(partition)
        self.consumer.pause(self.partitions[partition])
        self.ended.setdefault(partition, how)
        end = self.ends[partition]
        self.final[partition] = end if end is not None else self.consumer.position(self.partitions[partition])

    def _check_idle(self, partition: int) -> None:
        tp = self.partitions[partition]
        end = self.ends[partition]
        position = self.consumer.position(tp)
        if end is not None and position >= end:
            self._finish(partition, f"offset {end} (--to-offset)")
            return
        self._idle[partition] += 1
        highwater = self.consumer.highwater(tp)
        if end is None and highwater is not None and position >= highwater and self._idle[partition] >= _IDLE_POLLS:
            self.open.discard(partition)  # nothing to read: empty, or read to its end
            self.ended[partition] = f"offset {position} (the high watermark; nothing more came)"
            self.final[partition] = position
