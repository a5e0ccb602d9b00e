"""Where the detect step's state lives: in memory while it runs, in checkpoints on disk between runs.

The detection core is deterministic, so its state after a given input is a pure function of that input.
The detect step keeps it in memory and, every ``checkpoint_interval_s``, writes a checkpoint: the core, the
offset of the last input message in it, and how far each source partition got. Input messages are
acknowledged to Kafka only once a checkpoint holds them, so after a crash the consumer resumes at or before
the checkpoint, and the messages the checkpoint already holds are skipped by their offset.

Alerts emitted after the last checkpoint are re-computed by the replay, identically (same ids and
sequence numbers). So that they are not sent twice, the checkpoint records where in the alerts topic our
records had got to; on restore, the records written since are read back, and replayed alerts among them are
dropped before they leave. The broker itself is the record of what was sent: nothing is lost or repeated in
the window between sending a record and noting it.

Faust tables are not used: the field notes saw them lose input on restart against Tansu.

>>> import tempfile
>>> from detectors.core import STATE_VERSION, DetectionCore
>>> store = CheckpointStore(Path(tempfile.mkdtemp()))
>>> store.load() is None
True
>>> state = DetectState(core=DetectionCore())
>>> state.admit(source=0, source_offset=5), state.admit(source=0, source_offset=5)
(True, False)
>>> state.note_sent(partition=1, offset=41)
>>> store.save(state)
>>> restored = store.load()
>>> restored.source_offsets, restored.alert_positions
({0: 5}, {1: 42})
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from kafka import KafkaConsumer, TopicPartition

from detectors.core import STATE_VERSION, DetectionCore
from schemas.alert import Alert

log = logging.getLogger(__name__)

_CHECKPOINT = "detect.checkpoint"
_KEEP_SET_ASIDE = 3  # checkpoints of other builds kept for inspection
_READ_BACK_TIMEOUT_S = 60.0  # a broker that cannot serve the alerts topic this long: go on, and say so


@dataclass
class DetectState:
    """Everything the detect step needs to resume exactly where it left off."""

    core: DetectionCore
    input_offset: int = -1  # offset of the last internal-topic message applied to the core
    feedback_offset: int = -1  # offset of the last feedback-topic message applied (one partition)
    source_offsets: dict[int, int] = field(default_factory=dict)  # posts partition -> last offset applied
    posts_applied: int = 0
    alert_positions: dict[int, int] = field(default_factory=dict)  # alerts partition -> offset after our last

    def note_sent(self, partition: int, offset: int) -> None:
        """An alert record of ours was written at this position of the alerts topic."""
        if offset + 1 > self.alert_positions.get(partition, 0):
            self.alert_positions[partition] = offset + 1

    def admit(self, source: int, source_offset: int) -> bool:
        """Whether a batch from this source partition and offset is new; a redelivered one is not.

        A normalise worker that dies re-reads its uncommitted input and sends those batches again; each
        source partition is read in order, so anything at or below the last offset applied is a copy.
        """
        if source < 0:
            return True  # no origin (an outside producer of normalised batches): cannot tell, take it
        if source_offset <= self.source_offsets.get(source, -1):
            return False
        self.source_offsets[source] = source_offset
        return True


def alert_key(alert: Alert) -> str:
    """The identity of one alert record: the same incident at the same sequence number is the same record."""
    return f"{alert.incident_id}:{alert.seq}"


class CheckpointStore:
    """The checkpoint of one service, in a directory (a persistent volume in production)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.saved_at = 0.0

    @property
    def checkpoint_path(self) -> Path:
        return self.directory / _CHECKPOINT

    def load(self) -> DetectState | None:
        """The last checkpoint, or None. One written by a build with another detection state layout (an
        upgrade, or a rollback to an older build), or one that cannot be read, is set aside with a warning,
        and detection starts afresh: resuming it would fail on every post."""
        try:
            raw = self.checkpoint_path.read_bytes()
        except FileNotFoundError:
            return None
        stream = io.BytesIO(raw)
        try:
            # Our own file, written by snapshot(): a header that names only built-in types, then the state.
            # The version is read before the state, so a state whose classes changed is never unpickled.
            header = pickle.load(stream)
        except Exception as exc:  # a class it names is gone or changed: a build far older than this one
            self.set_aside("unreadable", f"{type(exc).__name__}: {exc}")
            return None
        # Version 1 was the state alone; versions 2 and 3 held it inside the header: {"version", "state"}.
        version = header.get("version") if isinstance(header, dict) else 1
        if version != STATE_VERSION or not (isinstance(header, dict) and set(header) == {"version"}):
            self.set_aside(f"v{version}", f"detection state version {version}, this build reads {STATE_VERSION}")
            return None
        try:
            state = pickle.load(stream)
        except Exception as exc:
            self.set_aside("unreadable", f"{type(exc).__name__}: {exc}")
            return None
        if not isinstance(state, DetectState):
            self.set_aside("unreadable", "no detect state in it")
            return None
        return state

    def set_aside(self, tag: str, why: str) -> Path | None:
        """Move the checkpoint aside (kept for inspection): the next holder starts afresh. Returns where it was
        kept, or None if there was none."""
        # Unique per call (nanoseconds and pid), so a second one never overwrites the first; the oldest go
        # once more than _KEEP_SET_ASIDE are kept (each is about 110 MB).
        kept = self.checkpoint_path.with_name(f"{_CHECKPOINT}.{tag}.{time.time_ns()}.{os.getpid()}")
        try:
            os.replace(self.checkpoint_path, kept)
        except FileNotFoundError:
            return None  # another worker of the service set it aside first
        log.warning(
            "checkpoint not resumed (%s); kept as %s. Detection starts afresh from the committed input: "
            "baselines rebuild over the warm-up, and incidents still open get new ids",
            why,
            kept,
        )
        old = sorted(self.directory.glob(f"{_CHECKPOINT}.*.*.*"), key=lambda p: p.stat().st_mtime)
        for path in old[:-_KEEP_SET_ASIDE]:
            path.unlink(missing_ok=True)
        return kept

    def save(self, state: DetectState) -> None:
        """Snapshot and write at once (a handover, a shutdown)."""
        self.write(self.snapshot(state))

    def snapshot(self, state: DetectState) -> bytes:
        """The state as bytes, consistent as of now; writing them can then happen off the event loop."""
        state.core.compact()  # this runs on the event loop: what detection no longer reads is not written
        header = pickle.dumps({"version": STATE_VERSION}, protocol=pickle.HIGHEST_PROTOCOL)
        return header + pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)

    def write(self, data: bytes) -> None:
        """Write atomically (temporary file, fsync, rename): a crash mid-write leaves the previous checkpoint."""
        tmp = self.checkpoint_path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.checkpoint_path)
        self.saved_at = time.monotonic()


class ReadBackIncomplete(RuntimeError):
    """The alerts topic could not be read to its end: what is missing from the answer may still be there."""


def sent_since(
    bootstrap: str,
    topic: str,
    positions: dict[int, int],
    quiet_ms: int = 1000,
    strict: bool = False,
    client_options: Mapping[str, Any] | None = None,
) -> set[str]:
    """Keys of the alert records in ``topic`` from ``positions`` on (partitions not listed: from the start).

    ``strict``: raise :class:`ReadBackIncomplete` rather than answer from a partial read (no partitions known,
    or the time limit hit), for callers that would otherwise take "not found" for "not written".

    Read at least up to the end offsets the broker reports, then until the topic stays quiet for ``quiet_ms``:
    Tansu reports the last batch's start as the end (field notes), so its end is only a lower bound, while
    quiet alone can end before a slow first fetch has returned anything.
    """
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, **dict(client_options or {})
    )
    keys: set[str] = set()
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
        if not assigned:
            if strict:
                raise ReadBackIncomplete(f"no partitions known for {topic}")
            return keys
        consumer.assign(assigned)
        for tp in assigned:
            if tp.partition in positions:
                consumer.seek(tp, positions[tp.partition])
            else:
                consumer.seek_to_beginning(tp)
        ends = consumer.end_offsets(assigned)
        deadline = time.monotonic() + _READ_BACK_TIMEOUT_S
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            behind = any(consumer.position(tp) < ends[tp] for tp in assigned)
            if not behind and (time.monotonic() - quiet_since) * 1000 >= quiet_ms:
                break
            batches = consumer.poll(timeout_ms=200)
            for records in batches.values():
                for record in records:
                    obj = orjson.loads(record.value)
                    keys.add(f"{obj['incident_id']}:{obj['seq']}")
            if batches:
                quiet_since = time.monotonic()
        else:
            if strict:
                raise ReadBackIncomplete(f"{topic} not read back within {_READ_BACK_TIMEOUT_S:.0f} s")
            log.warning("alerts topic not read back within %.0f s: some alerts may be sent twice", _READ_BACK_TIMEOUT_S)
    finally:
        consumer.close()
    return keys
