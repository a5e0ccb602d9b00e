"""The detect partition's ownership: taking it up (restore), checkpointing what it applied, and handing it over.

One worker at a time holds the internal topic's one partition, and with it the detection state
(``streams.state``). Taking it up loads the last checkpoint and reads back which alert records left since,
so that the replay does not send them twice. Both are blocking reads (a file of about 110 MB, and a
kafka-python consumer for up to a minute), so they run in a thread, with a bounded wait: the event loop keeps
serving heartbeats, ``/metrics`` and the other agents meanwhile.

Input is acknowledged to Kafka only once a checkpoint holds it (``unacked`` until then). A checkpoint is
snapshotted on the event loop, consistent with the state, and written (with its fsync) in a thread; the input
it holds is acknowledged once the file is on disk. A failed write keeps the previous checkpoint, and the input
waits for the next one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from faust.types import EventT

from schemas.alert import Alert
from streams.metrics import STEP_DETECT, PantauMetrics
from streams.state import CheckpointStore, DetectState, alert_key, sent_since

log = logging.getLogger(__name__)

# sent_since bounds its own read (streams.state); this bounds the wait for the thread, connection included.
READ_BACK_WAIT_S = 90.0


class DetectOwnership:
    """Whether this worker holds the detect partition, its state, and the input not yet in a checkpoint.

    Args:
        store: where checkpoints are written and read.
        state: the state to start from when no checkpoint is found.
        metrics: the service's metrics (checkpoint outcomes, sizes and times).
        bootstrap: the Kafka cluster, to read the alerts topic back on restore.
        alerts_topic: the topic alert records go to.
        checkpoint_interval_s: how often a checkpoint is due while input waits for one.
        client_options: kafka-python security options.
        read_back_wait_s: the longest wait for the read-back on restore; past it, replayed alerts may leave
            twice, and the log says so.
    """

    def __init__(
        self,
        store: CheckpointStore,
        state: DetectState,
        metrics: PantauMetrics,
        bootstrap: str,
        alerts_topic: str,
        checkpoint_interval_s: float,
        client_options: Mapping[str, Any] | None = None,
        read_back_wait_s: float = READ_BACK_WAIT_S,
    ) -> None:
        self.store = store
        self.state = state
        self.metrics = metrics
        self.bootstrap = bootstrap
        self.alerts_topic = alerts_topic
        self.checkpoint_interval_s = checkpoint_interval_s
        self.client_options = dict(client_options or {})
        self.read_back_wait_s = read_back_wait_s
        self.holds = False
        self.unacked: list[EventT[bytes]] = []  # detect input not yet held by a checkpoint
        self.sent_before_restore: set[str] = set()  # keys of records that left before the restore
        self.checkpoint_wall = 0.0  # wall time the state was last written (or taken up)
        self.detect_stream: Any = None  # the detect agent's manually acknowledged stream
        # Held while a batch is applied and its alerts sent: a checkpoint taken by a handover or shutdown never
        # holds a batch whose alerts have not left yet.
        self.lock = asyncio.Lock()
        self._taking_up = asyncio.Lock()  # one restore at a time; a handover waits for one in flight
        self._writing: asyncio.Future[None] | None = None

    # -- taking up and handing over --------------------------------------------------------------------------

    async def take_up(self, on_restored: Callable[[DetectState], None]) -> bool:
        """Hold the partition: resume from the last checkpoint, if any. ``on_restored`` sees the state taken
        up before any input is applied. Returns whether this call took it up (False: it was held already)."""
        async with self._taking_up:
            if self.holds:
                return False
            saved = await asyncio.to_thread(self.store.load)
            state = saved if saved is not None else self.state
            sent = await self._read_back(dict(state.alert_positions))
            # Only now is the state taken up, all at once: while the reads ran, the loop served the timers, and
            # none of them may see (or release) a restored state that is not yet held.
            self.state, self.sent_before_restore = state, sent
            if saved is not None:
                log.info(
                    "resumed detection from checkpoint: input offset %d, %d posts applied",
                    saved.input_offset,
                    saved.posts_applied,
                )
            if sent:
                log.info("%d alert records sent since the checkpoint will not be sent again", len(sent))
            on_restored(state)
            self.holds = True
            self.checkpoint_wall = time.time()
            return True

    async def _read_back(self, positions: dict[int, int]) -> set[str]:
        """What left since the checkpoint, as the alerts topic has it: the replay will compute it again."""
        read = asyncio.to_thread(
            sent_since, self.bootstrap, self.alerts_topic, positions, client_options=self.client_options
        )
        try:
            return await asyncio.wait_for(read, self.read_back_wait_s)
        except TimeoutError:  # the thread ends by itself (sent_since is bounded); its answer comes too late
            log.warning(
                "alerts topic not read back within %.0f s: some alerts may be sent twice", self.read_back_wait_s
            )
            return set()

    async def hand_over(self) -> None:
        """Let the partition go (a rebalance): checkpoint, so the next holder resumes with nothing to replay."""
        # The batch lock first, as the detect agent takes them (a batch may take the partition up): one order,
        # no deadlock. A restore in flight finishes first, and its state is what is handed over.
        async with self.lock, self._taking_up:
            if self.holds:
                await self.checkpoint()
                self.holds = False

    def drop_sent(self, alerts: list[Alert]) -> list[Alert]:
        """The alerts to send: those replayed after a restore that had left before it are dropped."""
        if not self.sent_before_restore:
            return alerts
        fresh = []
        for alert in alerts:
            key = alert_key(alert)
            if key in self.sent_before_restore:
                self.sent_before_restore.discard(key)
                self.metrics.alerts_suppressed.inc()
            else:
                fresh.append(alert)
        return fresh

    # -- checkpoints -----------------------------------------------------------------------------------------

    def checkpoint_due(self) -> bool:
        """Whether input waits for a checkpoint, and the last one is an interval old (or none was written)."""
        return bool(self.unacked) and time.monotonic() - self.store.saved_at >= self.checkpoint_interval_s

    async def checkpoint(self, background: bool = False) -> None:
        """Write the state; the input it holds is then acknowledged (committed) to Kafka.

        The snapshot is taken now, on the event loop, so it is consistent; in the background the write (and
        its fsync) runs in a thread while detection goes on, and only then is that input acknowledged.
        """
        if self._writing is not None:
            if background:
                return  # one write at a time; the next round takes a newer snapshot
            await self._writing  # a handover or shutdown waits: an older write must not land last
        started = time.perf_counter()
        data = self.store.snapshot(self.state)
        held, self.unacked = self.unacked, []
        self._writing = asyncio.ensure_future(self._write(data, held, started))
        if not background:
            await self._writing

    async def _write(self, data: bytes, held: list[EventT[bytes]], started: float) -> None:
        try:
            await asyncio.to_thread(self.store.write, data)
            if self.detect_stream is not None:
                for event in held:
                    await self.detect_stream.ack(event)
            self.metrics.checkpoint_seconds.observe(time.perf_counter() - started)
            self.metrics.checkpoint_bytes.set(len(data))
            self.metrics.checkpoints.labels(outcome="ok").inc()
            self.checkpoint_wall = time.time()
        except Exception:  # a failed write keeps the previous checkpoint; the input stays unacknowledged
            self.unacked[:0] = held  # and the next checkpoint holds it, so it is acknowledged then
            self.metrics.checkpoints.labels(outcome="failed").inc()
            self.metrics.step_errors.labels(step=STEP_DETECT).inc()
            log.exception("checkpoint write failed")
        finally:
            self._writing = None
