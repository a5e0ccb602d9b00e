"""streams.ownership: taking up the detect partition never blocks the event loop, and one restore runs at a time."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from detectors.core import DetectionCore
from streams.metrics import PantauMetrics
from streams.ownership import DetectOwnership
from streams.state import CheckpointStore, DetectState


class SilentBroker:
    """A listener that takes connections and never answers: a broker that hangs. ``close`` drops the
    connections too, which ends the hang, so the read-back thread ends before the loop waits for its threads."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.1)
        self._connections: list[socket.socket] = []
        self.open = True
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    @property
    def address(self) -> str:
        host, port = self._server.getsockname()[:2]
        return f"{host}:{port}"

    def _accept(self) -> None:
        while self.open:
            try:
                self._connections.append(self._server.accept()[0])
            except OSError:  # the accept timed out, or the listener closed
                continue

    def close(self) -> None:
        self.open = False
        self._accepting.join()
        for connection in self._connections:
            connection.close()
        self._server.close()


@pytest.fixture
def silent_broker() -> Iterator[SilentBroker]:
    broker = SilentBroker()
    try:
        yield broker
    finally:
        if broker.open:
            broker.close()


def _ownership(directory: Path, bootstrap: str, wait_s: float) -> DetectOwnership:
    return DetectOwnership(
        CheckpointStore(directory),
        DetectState(core=DetectionCore()),
        PantauMetrics.create(CollectorRegistry()),
        bootstrap,
        "pantau.alerts",
        checkpoint_interval_s=5.0,
        # The broker never answers: kafka-python gives up bootstrapping after this (30 s by default), so the
        # read-back thread ends soon after the test, which then need not wait for it.
        client_options={"bootstrap_timeout_ms": 2000},
        read_back_wait_s=wait_s,
    )


def test_a_restore_waits_for_a_hung_broker_in_a_thread_while_the_loop_runs(
    tmp_path: Path, silent_broker: SilentBroker
) -> None:
    saved = DetectState(core=DetectionCore(), input_offset=41, posts_applied=7)
    CheckpointStore(tmp_path).save(saved)
    ownership = _ownership(tmp_path, silent_broker.address, wait_s=1.5)
    restored: list[DetectState] = []

    async def scenario() -> tuple[bool, int]:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        beat = asyncio.ensure_future(ticker())
        took = await ownership.take_up(restored.append)
        beat.cancel()
        silent_broker.close()
        return took, ticks

    took, ticks = asyncio.run(scenario())
    assert took and ownership.holds
    assert restored == [ownership.state] and ownership.state.input_offset == 41 and ownership.state.posts_applied == 7
    assert ownership.sent_before_restore == set()  # not read back in time: said in the log, and detection goes on
    # The loop ran all along: a blocking read would have let the ticker run at most once in that wait.
    assert ticks >= 10


def test_two_take_ups_at_once_restore_once_and_a_handover_waits_for_it(
    tmp_path: Path, silent_broker: SilentBroker
) -> None:
    ownership = _ownership(tmp_path, silent_broker.address, wait_s=0.3)
    restores: list[DetectState] = []

    async def scenario() -> list[bool]:
        first = asyncio.ensure_future(ownership.take_up(restores.append))
        second = asyncio.ensure_future(ownership.take_up(restores.append))
        await asyncio.sleep(0)  # both are under way; the handover comes while the restore is in flight
        await ownership.hand_over()
        silent_broker.close()
        return [await first, await second]

    assert asyncio.run(scenario()) == [True, False]  # the second found the partition held
    assert len(restores) == 1
    assert not ownership.holds  # handed over after the restore, not before it
    assert CheckpointStore(tmp_path).load() is not None  # with a checkpoint of the state it took up
