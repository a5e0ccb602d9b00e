"""Consumer lag per step: each partition's high watermark minus what the consumer group committed there.

The high watermark comes from the worker's own fetches (``consumer.highwater``), not from ``end_offsets``:
Tansu answers that one wrongly (the field notes), and the fetch responses carry the right one. The committed
offsets are the group's, read from its coordinator (kafka-python's admin ``list_group_offsets``, which Tansu
answers correctly), so the lag says what a crash would read again. Each worker reports the partitions it is
assigned; ``sum by (step)`` over workers is the service's lag.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kafka import KafkaAdminClient
from kafka.structs import TopicPartition

log = logging.getLogger(__name__)


def lag_by_partition(
    highwaters: Mapping[tuple[str, int], int | None], committed: Mapping[tuple[str, int], int | None]
) -> dict[tuple[str, int], int]:
    """Lag of each partition whose high watermark is known: a partition never committed lags by all of it.

    >>> lag_by_partition({("posts", 0): 30, ("posts", 1): None, ("posts", 2): 5}, {("posts", 0): 12})
    {('posts', 0): 18, ('posts', 2): 5}
    """
    lags = {}
    for tp, highwater in highwaters.items():
        if highwater is None:
            continue  # nothing fetched from it yet: unknown, not zero
        offset = committed.get(tp)
        lags[tp] = max(0, highwater - (offset if offset is not None and offset >= 0 else 0))
    return lags


class GroupLag:
    """Reads the group's committed offsets for the partitions a worker is assigned, off the event loop."""

    def __init__(self, admin_factory: Callable[[], KafkaAdminClient], group_id: str) -> None:
        self._admin_factory = admin_factory
        self._admin: KafkaAdminClient | None = None
        self.group_id = group_id

    def _committed(self, partitions: list[tuple[str, int]]) -> dict[tuple[str, int], int | None]:
        if self._admin is None:
            self._admin = self._admin_factory()
        answer: Any = self._admin.list_group_offsets({self.group_id: [TopicPartition(t, p) for t, p in partitions]})
        offsets = answer.get(self.group_id, {})
        return {(tp.topic, tp.partition): (meta.offset if meta is not None else None) for tp, meta in offsets.items()}

    async def committed(self, partitions: Iterable[tuple[str, int]]) -> dict[tuple[str, int], int | None]:
        wanted = sorted(set(partitions))
        if not wanted:
            return {}
        try:
            return await asyncio.to_thread(self._committed, wanted)
        except Exception:
            self.close()  # a broken connection is rebuilt on the next round
            raise

    def close(self) -> None:
        if self._admin is not None:
            try:
                self._admin.close()
            except Exception as exc:  # closing a client whose broker is gone
                log.debug("lag admin client close: %r", exc)
            self._admin = None
