"""Local receivers for the delivery tests: real HTTP and SMTP servers on loopback, each in a thread of its own.

- :class:`HttpReceiver` records every request; its ``mode`` makes it answer as a receiver in trouble would:
  ``ok``, ``error`` (500), ``slow`` (answers after ``delay_s``), ``throttle`` (429 with ``Retry-After``),
  ``reject`` (400), or ``down`` (the port closed: connections refused).
- :class:`WebhookVerifier` is what a webhook receiver does with a request: the ``standardwebhooks`` verifier,
  with any of its secrets.
- :class:`SmtpReceiver` is an ``aiosmtpd`` server that requires STARTTLS, with a certificate from a
  ``trustme`` CA made for the test.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from streams.broker import free_port


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    def json(self) -> Any:
        return orjson.loads(self.body)


class HttpReceiver:
    """An aiohttp server on 127.0.0.1 that records requests and answers by ``mode``."""

    def __init__(self, mode: str = "ok", delay_s: float = 10.0, retry_after_s: int = 2) -> None:
        self.port = free_port()
        self.mode = mode
        self.delay_s = delay_s
        self.retry_after_s = retry_after_s
        self.requests: list[Request] = []  # every request that reached the handler
        self.accepted: list[Request] = []  # those answered with 2xx
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        record = Request(request.path, dict(request.headers), body, time.time())
        with self._lock:
            self.requests.append(record)
        mode = self.mode
        if mode == "error":
            return web.Response(status=500, text="receiver broken")
        if mode == "reject":
            return web.Response(status=400, text="bad request")
        if mode == "throttle":
            return web.Response(status=429, headers={"Retry-After": str(self.retry_after_s)})
        if mode == "slow":
            await asyncio.sleep(self.delay_s)
        with self._lock:
            self.accepted.append(record)
        return web.Response(status=204)

    async def _start(self) -> None:
        app = web.Application(client_max_size=64 << 20)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def _stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def start(self) -> HttpReceiver:
        if not self._thread.is_alive():
            self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def go_down(self) -> None:
        """Close the port: connections are refused until :meth:`come_back`."""
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)

    def come_back(self) -> None:
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def __enter__(self) -> HttpReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class WebhookVerifier:
    """Verifies a request as a Standard Webhooks receiver does, with any of its active secrets."""

    secrets: list[str]
    failures: list[str] = field(default_factory=list)

    def verify(self, request: Request) -> bool:
        for secret in self.secrets:
            try:
                Webhook(secret).verify(request.body, request.headers)
                return True
            except (WebhookVerificationError, ValueError) as exc:
                last = str(exc)
        self.failures.append(last)
        return False


class SmtpReceiver:
    """An SMTP server on 127.0.0.1 requiring STARTTLS; ``messages`` holds what it received."""

    def __init__(self, directory: Path) -> None:
        import ssl

        import trustme
        from aiosmtpd.controller import Controller

        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        self.ca_file = directory / "smtp-ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_file))
        self.messages: list[EmailMessage] = []
        self.port = free_port()
        receiver = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's name
                receiver.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
                return "250 OK"

        self._controller = Controller(
            Handler(), hostname="127.0.0.1", port=self.port, tls_context=context, require_starttls=True
        )

    def __enter__(self) -> SmtpReceiver:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()
