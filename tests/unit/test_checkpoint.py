"""Detection checkpoints across builds: the same layout resumes; another is set aside, never half-restored."""

from __future__ import annotations

import logging
import pickle
from pathlib import Path
from typing import Protocol, cast

import pytest

from detectors.core import DetectionCore
from detectors.significance import HashedSignificance
from schemas.post import Post
from streams.state import CheckpointStore, DetectState


class _SetState(Protocol):
    """What ``schemas.slots.pickled_by_slots`` adds to a class at runtime (its type says the class is unchanged)."""

    def __setstate__(self, state: object) -> None: ...


def _state() -> DetectState:
    core = DetectionCore(significance=HashedSignificance(n_buckets=1 << 10))
    core.process_posts([Post(id="1", ts=0.0, text="Kemlu panggil Dubes Australia")])
    return DetectState(core=core, input_offset=41, source_offsets={0: 7}, posts_applied=1)


def test_a_checkpoint_of_this_build_resumes(tmp_path: Path) -> None:
    store = CheckpointStore(tmp_path)
    store.save(_state())
    restored = store.load()
    assert restored is not None
    assert (restored.input_offset, restored.source_offsets, restored.posts_applied) == (41, {0: 7}, 1)
    assert restored.core.significance.n_buckets == 1 << 10


@pytest.mark.parametrize(
    ("content", "tag"),
    [
        (pickle.dumps(_state()), "v1"),  # the first layout: no version envelope
        (pickle.dumps({"version": 999, "state": None}), "v999"),  # a newer build's, after a rollback
        (pickle.dumps({"version": 3, "state": _state()}), "v3"),  # the envelope of versions 2 and 3
        (pickle.dumps({"version": 999}) + b"\x80\x05any state at all", "v999"),  # read no further than its header
        (b"\x80\x05not a pickle", "unreadable"),
    ],
    ids=["older", "newer", "version-3-envelope", "newer-header", "unreadable"],
)
def test_a_checkpoint_of_another_layout_is_set_aside_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes, tag: str
) -> None:
    store = CheckpointStore(tmp_path)
    store.checkpoint_path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="streams.state"):
        assert store.load() is None
    assert not store.checkpoint_path.exists()
    kept = list(tmp_path.glob(f"detect.checkpoint.{tag}.*"))
    assert len(kept) == 1 and kept[0].read_bytes() == content, "the old file is kept, not deleted"
    assert "checkpoint not resumed" in caplog.text and "starts afresh" in caplog.text
    # The next checkpoint is written as usual and resumes.
    store.save(_state())
    assert store.load() is not None


def test_the_embedded_broker_s_service_starts_from_no_checkpoint(tmp_path: Path) -> None:
    """The embedded broker's log is in memory: a checkpoint from its last start names offsets of a log that
    is gone, and would make the new messages look applied already. A service still running on its own
    embedded broker keeps its directory."""
    import dataclasses
    import subprocess
    import sys

    from streams.cli import fresh_embedded_state_dir
    from streams.config import Settings

    settings = dataclasses.replace(Settings.from_env(), state_dir=str(tmp_path))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / "embedded" / gone.stdout.strip() / "pantau"
    CheckpointStore(stale).save(_state())
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        live = tmp_path / "embedded" / str(running.pid) / "pantau"
        CheckpointStore(live).save(_state())
        path = fresh_embedded_state_dir(settings)
        assert not stale.exists(), "the state of a process that is gone is removed"
        assert CheckpointStore(live).load() is not None, "a running service's state is left alone"
        assert CheckpointStore(Path(path) / "pantau").load() is None
    finally:
        running.kill()
        running.wait()


def test_only_the_last_checkpoints_set_aside_are_kept(tmp_path: Path) -> None:
    store = CheckpointStore(tmp_path)
    for version in range(5):
        store.checkpoint_path.write_bytes(pickle.dumps({"version": 100 + version, "state": None}))
        assert store.load() is None
    kept = sorted(p.name.split(".")[2] for p in tmp_path.glob("detect.checkpoint.*.*.*"))
    assert kept == ["v102", "v103", "v104"]


def test_posts_and_members_pickled_before_fast_pickling_still_load() -> None:
    # Older checkpoints hold Python's own pickle forms: a field list (frozen) or (None, {slot: value}).
    from detectors.story import Member
    from schemas.post import Post

    post = Post("p1", 1.0, "Dubes dipanggil", lang="id")
    older_post = Post.__new__(Post)
    cast(_SetState, older_post).__setstate__(["p1", 1.0, "Dubes dipanggil", "id", "social", None, None, None, ()])
    assert older_post == post
    member = Member(post=post, lang="id", terms=("dubes", "panggil"), tokens=(), duplicate=False)
    older_member = Member.__new__(Member)
    cast(_SetState, older_member).__setstate__((None, {name: getattr(member, name) for name in Member.__slots__}))
    assert older_member == member
    assert pickle.loads(pickle.dumps(member)) == member
