"""Where the detect step's state lives: in memory while it runs, in checkpoints on disk between runs.

The detection core is deterministic, so its state after a given input is a pure function of that input.
The detect step keeps it in memory and, every ``checkpoint_interval_s``, writes a checkpoint: the core, the
offset of the last input message in it, and how far each source partition got. Input messages are
acknowledged to Kafka only once a checkpoint holds them, so after a crash the consumer resumes at or before
the checkpoint, and the messages the checkpoint already holds are skipped by their offset.

Alerts emitted after the last checkpoint are re-computed by the replay, identically (same ids and
sequence numbers). So that they are not sent twice, every alert's key is appended to a journal before the
next checkpoint truncates it; on restore, alerts whose key is in the journal are dropped before they leave.

Faust tables are not used: the field notes saw them lose input on restart against Tansu.

>>> import tempfile
>>> from detectors.core import DetectionCore
>>> store = CheckpointStore(Path(tempfile.mkdtemp()))
>>> store.load() is None
True
>>> state = DetectState(core=DetectionCore())
>>> state.admit(source=0, source_offset=5), state.admit(source=0, source_offset=5)
(True, False)
>>> store.save(state)
>>> store.record_emitted(["inc-1:0"])
>>> restored = store.load()
>>> restored.source_offsets, store.emitted()
({0: 5}, {'inc-1:0'})
"""

from __future__ import annotations

import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path

from detectors.core import DetectionCore
from schemas.alert import Alert

_CHECKPOINT = "detect.checkpoint"
_JOURNAL = "emitted.journal"


@dataclass
class DetectState:
    """Everything the detect step needs to resume exactly where it left off."""

    core: DetectionCore
    input_offset: int = -1  # offset of the last internal-topic message applied to the core
    source_offsets: dict[int, int] = field(default_factory=dict)  # posts partition -> last offset applied
    posts_applied: int = 0

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
    """Checkpoints and the emitted-alert journal in one directory (a persistent volume in production)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.saved_at = 0.0
        self.saves = 0

    @property
    def checkpoint_path(self) -> Path:
        return self.directory / _CHECKPOINT

    @property
    def journal_path(self) -> Path:
        return self.directory / _JOURNAL

    def load(self) -> DetectState | None:
        try:
            raw = self.checkpoint_path.read_bytes()
        except FileNotFoundError:
            return None
        state = pickle.loads(raw)  # our own file, written by save() below
        if not isinstance(state, DetectState):
            raise ValueError(f"{self.checkpoint_path} holds no detect state")
        return state

    def save(self, state: DetectState) -> None:
        """Write atomically (temporary file, fsync, rename): a crash mid-write leaves the previous one."""
        tmp = self.checkpoint_path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.checkpoint_path)
        # The checkpoint now holds every alert emitted so far: the journal starts afresh.
        with self.journal_path.open("wb"):
            pass
        self.saved_at = time.monotonic()
        self.saves += 1

    def record_emitted(self, keys: list[str]) -> None:
        """Append alert keys once they are sent; flushed to the OS, so a killed process keeps them."""
        if keys:
            with self.journal_path.open("a", encoding="utf-8") as handle:
                handle.write("".join(f"{k}\n" for k in keys))

    def emitted(self) -> set[str]:
        """Keys of alerts sent since the last checkpoint."""
        try:
            return {line for line in self.journal_path.read_text(encoding="utf-8").splitlines() if line}
        except FileNotFoundError:
            return set()
