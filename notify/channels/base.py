"""What every channel shares: the ``add`` / ``flush`` protocol, retries with backoff, and HTTP delivery.

A channel takes the records routed to it with ``add`` and delivers them, in order, on ``flush``. Each
record is retried with exponential backoff and jitter (tenacity) until the channel's deadline; a
``Retry-After`` from the receiver is honoured. A record that is still refused at the deadline, or refused
for good (a 4xx other than 408, 425 and 429), goes to the error callback, which dead-letters it; ``flush``
then goes on with the next. Only if the callback itself fails does ``flush`` raise: the delivery position
then does not move, and nothing is lost.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import aiohttp
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_before_delay, wait_exponential_jitter

from notify.config import ChannelConfig
from schemas.alert import Alert

# Answers that may succeed if asked again: timeout, too early, too many requests, and server errors.
_RETRYABLE_STATUS = frozenset({408, 425, 429})


class DeliveryError(Exception):
    """A delivery attempt failed. ``retryable``: asking again may succeed; ``retry_after``: when, if said."""

    def __init__(self, message: str, retryable: bool = True, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


@dataclass(frozen=True)
class Delivery:
    """One record for one channel, with where it came from on the alerts topic."""

    alert: Alert
    raw: bytes  # the record as it was on the topic
    partition: int = -1
    offset: int = -1
    written_at: float = 0.0  # the record's broker timestamp, epoch seconds (0: unknown)

    @property
    def key(self) -> str:
        """The idempotency key: the same incident at the same sequence number is the same record."""
        return f"{self.alert.incident_id}:{self.alert.seq}"


class ErrorCallback(Protocol):
    def __call__(
        self, channel: Channel, delivery: Delivery, error: BaseException, attempts: int
    ) -> Awaitable[None]: ...


class Channel(Protocol):
    """The protocol of every channel: ``add`` routed records, ``flush`` delivers them."""

    config: ChannelConfig

    def add(self, delivery: Delivery) -> None: ...

    async def flush(self) -> None: ...

    async def close(self) -> None: ...


class _RetryAfterOrBackoff:
    """Tenacity wait: the receiver's ``Retry-After`` when it gave one, else exponential backoff with jitter."""

    def __init__(self, max_backoff_s: float) -> None:
        self.backoff = wait_exponential_jitter(multiplier=0.5, max=max_backoff_s, jitter=0.5)
        self.max_backoff_s = max_backoff_s

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        error = outcome.exception() if outcome is not None else None
        if isinstance(error, DeliveryError) and error.retry_after is not None:
            return min(max(error.retry_after, 0.0), max(self.max_backoff_s, 60.0))
        return float(self.backoff(retry_state))


def _retryable(error: BaseException) -> bool:
    return not isinstance(error, DeliveryError) or error.retryable


class DeliveringChannel:
    """Base of the channels: queues ``add``-ed deliveries and sends them on ``flush`` with retries.

    Subclasses implement :meth:`send`, one attempt that raises :class:`DeliveryError` (or any error, which
    counts as retryable). ``on_error`` dead-letters what cannot be delivered; ``on_delivered`` and
    ``on_retry`` let the service count and record.
    """

    def __init__(
        self,
        config: ChannelConfig,
        on_error: ErrorCallback,
        on_delivered: Callable[[Channel, Delivery, float], None] = lambda channel, delivery, seconds: None,
        on_retry: Callable[[Channel, BaseException], None] = lambda channel, error: None,
        console_url: str = "",
    ) -> None:
        self.config = config
        self.on_error = on_error
        self.on_delivered = on_delivered
        self.on_retry = on_retry
        self.console_url = console_url
        self._pending: list[Delivery] = []

    def console_link(self, alert: Alert) -> str:
        return f"{self.console_url}/incidents/{alert.incident_id}" if self.console_url else ""

    def add(self, delivery: Delivery) -> None:
        self._pending.append(delivery)

    async def flush(self) -> None:
        while self._pending:
            delivery = self._pending[0]
            await self._deliver(delivery)
            self._pending.pop(0)  # only once delivered or dead-lettered: a failed callback keeps it

    async def _deliver(self, delivery: Delivery) -> None:
        started = time.monotonic()
        attempts = 0

        def before_sleep(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome is not None else None
            if error is not None:
                self.on_retry(self, error)

        retrying = AsyncRetrying(
            stop=stop_before_delay(self.config.deadline_s),
            wait=_RetryAfterOrBackoff(self.config.max_backoff_s),
            retry=retry_if_exception(_retryable),
            before_sleep=before_sleep,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    attempts += 1
                    await self.send(delivery)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            await self.on_error(self, delivery, error, attempts)
            return
        self.on_delivered(self, delivery, time.monotonic() - started)

    async def send(self, delivery: Delivery) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        """Release what the channel holds open (HTTP sessions)."""


class HttpChannel(DeliveringChannel):
    """A channel that POSTs to ``config.url``, on one aiohttp session."""

    _session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.config.timeout_s))
        return self._session

    async def post(self, body: bytes, headers: dict[str, str], url: str | None = None) -> None:
        """One POST; a refusal or a network failure raises :class:`DeliveryError` with what it means."""
        try:
            async with self.session().post(url or self.config.url, data=body, headers=headers) as response:
                if response.status < 300:
                    await response.read()
                    return
                detail = (await response.text(errors="replace"))[:200]
                raise DeliveryError(
                    f"HTTP {response.status}: {detail}".strip(),
                    retryable=response.status in _RETRYABLE_STATUS or response.status >= 500,
                    retry_after=_retry_after(response.headers.get("Retry-After")),
                )
        except aiohttp.ClientError as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from None
        except TimeoutError:
            raise DeliveryError(f"no answer in {self.config.timeout_s:g} s") from None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds, from delay-seconds or an HTTP date (RFC 9110, 10.2.3).

    >>> _retry_after("7"), _retry_after(None), _retry_after("soon")
    (7.0, None, None)
    """
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError):
        return None


def idempotency_headers(delivery: Delivery) -> dict[str, Any]:
    """The idempotency key every HTTP request carries (IETF ``Idempotency-Key``)."""
    return {"Idempotency-Key": delivery.key}
