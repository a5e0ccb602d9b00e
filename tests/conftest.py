"""Shared fixtures. Integration tests run against the real embedded broker (Tansu), never a mock."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from streams.broker import EmbeddedBroker, free_port

ROOT = Path(__file__).resolve().parents[1]
SHARED_DEV = ROOT.parent / "shared" / "data" / "dev"


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    # The broker's own log (warnings and errors), for reports of a test that stalls.
    with EmbeddedBroker(log_path=tmp_path_factory.mktemp("broker") / "tansu.log") as running:
        yield running


@dataclass
class WorkerProcess:
    process: subprocess.Popen[bytes]
    env: dict[str, str]
    web: str
    ready_after_s: float
    log_path: Path

    @property
    def posts_topic(self) -> str:
        return self.env["PANTAU_POSTS_TOPIC"]

    @property
    def alerts_topic(self) -> str:
        return self.env["PANTAU_ALERTS_TOPIC"]

    @property
    def deadletter_topic(self) -> str:
        return self.env["PANTAU_DEADLETTER_TOPIC"]

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.web + path, timeout=5) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_worker(broker: EmbeddedBroker, tmp_path: Path, **overrides: str) -> WorkerProcess:
    """A real worker process (``pantau worker``) on its own topics and port, waited on until ready."""
    tag = uuid.uuid4().hex[:8]
    port = free_port()
    env = {
        **os.environ,
        "PANTAU_KAFKA_BOOTSTRAP": broker.bootstrap,
        "PANTAU_APP_ID": f"pantau-test-{tag}",
        "PANTAU_POSTS_TOPIC": f"posts-{tag}",
        "PANTAU_ALERTS_TOPIC": f"alerts-{tag}",
        "PANTAU_DEADLETTER_TOPIC": f"deadletter-{tag}",
        "PANTAU_FEEDBACK_TOPIC": f"feedback-{tag}",
        "PANTAU_WEB_PORT": str(port),
        "PANTAU_DATA_DIR": str(tmp_path / f"data-{tag}"),
        # Shared by the workers of one test, as by the workers of one service.
        "PANTAU_STATE_DIR": str(tmp_path / "state"),
        "PANTAU_CONSOLE_ALERTS": "false",
        "PANTAU_TOPIC_PARTITIONS": "2",
        **overrides,
    }
    log_path = tmp_path / f"worker-{tag}.log"
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "worker"],
        env=env,
        cwd=ROOT,
        stdout=log_path.open("wb"),
        stderr=subprocess.STDOUT,
    )
    worker = WorkerProcess(process, env, f"http://127.0.0.1:{port}", 0.0, log_path)
    deadline = started + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"worker exited early:\n{log_path.read_text()[-3000:]}")
        try:
            if worker.get("/readyz")[0] == 200:
                worker.ready_after_s = time.monotonic() - started
                return worker
        except OSError:
            pass
        time.sleep(0.1)
    try:
        last = worker.get("/readyz")[1].decode(errors="replace")
    except OSError as exc:
        last = repr(exc)
    worker.stop()
    raise RuntimeError(f"worker not ready in 60 s (/readyz: {last}):\n{log_path.read_text()[-3000:]}")


@pytest.fixture
def worker(broker: EmbeddedBroker, tmp_path: Path) -> Iterator[WorkerProcess]:
    running = start_worker(broker, tmp_path)
    yield running
    running.stop()


@pytest.fixture
def strict_worker(broker: EmbeddedBroker, tmp_path: Path) -> Iterator[WorkerProcess]:
    """A worker with a 4 KiB message limit, so the size check is cheap to hit."""
    running = start_worker(broker, tmp_path, PANTAU_MAX_MESSAGE_BYTES="4096")
    yield running
    running.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tiers by folder, so `-m integration` and `-m "not e2e"` select what a run can afford.
    for item in items:
        path = str(item.fspath)
        if "/tests/integration/" in path:
            item.add_marker(pytest.mark.integration)
        elif "/tests/e2e/" in path:
            item.add_marker(pytest.mark.e2e)
