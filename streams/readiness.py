"""Whether a worker can make progress now: the answer ``/readyz`` gives (``/healthz`` is liveness only).

Three checks, each with its own reason in the answer, so an operator sees which one failed:

- **broker**: a metadata request answered within the last ``broker_grace_s``. A broker that is frozen (or a
  network that drops packets) still accepts TCP connections, so an open port proves nothing; an answer does.
  The probe has its own client, so a stuck request of the worker's never hides, or delays, the probe's.
- **assigned**: the consumer group gave this worker its partitions, and no rebalance is under way.
- **detection**: where this worker holds the detect partition, detection is not stalled: no batch has been
  in work for longer than ``stall_s`` (its alerts cannot leave, say), and input waiting on the internal
  topic does not go unread for that long.

>>> check = DetectionProgress(stall_s=30.0)
>>> check.stalled(now=100.0, backlog=False)
>>> check.started(now=100.0); check.stalled(now=140.0, backlog=False)
'a batch has been in work for 40 s'
>>> check.finished(now=140.0); check.stalled(now=200.0, backlog=True)
'input waiting, none processed for 60 s'
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class DetectionProgress:
    """When the detect step last finished a batch, and whether one is in work."""

    stall_s: float = 30.0
    busy_since: float | None = None
    last_done: float | None = None

    def started(self, now: float) -> None:
        self.busy_since = now

    def finished(self, now: float) -> None:
        self.busy_since = None
        self.last_done = now

    def stalled(self, now: float, backlog: bool) -> str | None:
        """Why detection is stalled, or None. ``backlog``: input is waiting on the internal topic."""
        if self.busy_since is not None and now - self.busy_since > self.stall_s:
            return f"a batch has been in work for {now - self.busy_since:.0f} s"
        if backlog and self.busy_since is None:
            idle = now - (self.last_done if self.last_done is not None else now)
            if idle > self.stall_s:
                return f"input waiting, none processed for {idle:.0f} s"
        return None


class BrokerProbe:
    """Asks the brokers for metadata every ``interval_s``, on a client of its own, and remembers the last answer.

    Args:
        bootstrap: the brokers, ``host:port,...``.
        interval_s: seconds between requests.
        timeout_s: how long one request may take before it counts as unanswered.
        grace_s: the broker counts as reachable while the last answer is at most this old.
    """

    def __init__(
        self,
        bootstrap: str,
        interval_s: float = 1.0,
        timeout_s: float = 3.0,
        grace_s: float = 5.0,
        client_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.bootstrap = bootstrap
        self.client_options = dict(client_options or {})  # TLS and SASL, as every client of the worker
        self.interval_s = interval_s
        self.timeout_s = timeout_s
        self.grace_s = grace_s
        self.last_answer: float | None = None
        self.last_error = "no answer yet"
        self._client: Any = None

    def reachable(self, now: float) -> bool:
        return self.last_answer is not None and now - self.last_answer <= self.grace_s

    async def ask_once(self) -> None:
        """One metadata round trip; a failure closes the client, so the next try starts on a new connection."""
        from aiokafka.client import AIOKafkaClient

        try:
            if self._client is None:
                self._client = AIOKafkaClient(
                    bootstrap_servers=self.bootstrap,
                    request_timeout_ms=int(self.timeout_s * 1000),
                    **self.client_options,
                )
                await asyncio.wait_for(self._client.bootstrap(), self.timeout_s)
            else:
                await asyncio.wait_for(self._client.fetch_all_metadata(), self.timeout_s)
            self.last_answer = time.monotonic()
        except Exception as exc:  # every failure means the same here: no answer
            self.last_error = "timed out" if isinstance(exc, TimeoutError) else f"{type(exc).__name__}: {exc}"
            await self.close()

    async def run(self) -> None:
        """Probe until cancelled."""
        try:
            while True:
                await self.ask_once()
                await asyncio.sleep(self.interval_s)
        finally:
            await self.close()

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                await asyncio.wait_for(client.close(), self.timeout_s)
            except Exception as exc:  # closing a client of a frozen broker: nothing more to do
                log.debug("broker probe client did not close cleanly: %r", exc)
