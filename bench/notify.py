"""The delivery service (``pantau notify``) from the alerts topic to a signed webhook. Called by ``bench.run``.

A fresh embedded broker (Tansu), an alerts topic of the service's default partitions, one ``pantau notify``
process (as ``tests/integration/test_notify_service.py`` starts it) with one webhook channel, and in this
process the receiver ``pantau receive`` runs (``notify/receiver.py``: every Standard Webhooks signature
verified, 401 if not), with a middleware that notes each verified request's ``webhook-id`` and arrival.

The records are the detection core's own: the ``raised`` and ``updated`` records of one demo day (1-21 kB,
growing ``post_ids``), times shifted to end now, repeated under fresh incident ids (one per incident and
round, so every ``incident_id:seq`` is new and the seqs of an incident stay in order). Written keyed by
incident, as the detect step writes them.

- ``notify_records_per_s``: ``notify_records`` records are written first, then the service starts (its
  group join is not timed). Rate = (records − 1) / (arrival of the last − arrival of the first): the
  intervals between first and last.
- ``notify_p50_s`` / ``notify_p99_s``: the service keeps running; then records are written at a steady half
  of that rate (a schedule from the start: a late write does not push back the rest) for ``LATENCY_S``
  seconds or ``LATENCY_MAX_RECORDS`` records, whichever is fewer. Latency = arrival at the receiver (after its
  verification) − the time the record was handed to the producer (aiokafka, no linger), both taken on this
  process's clock, keyed by the event id ``<incident_id>-<seq>`` (the signed ``webhook-id``).

Every record must arrive exactly once and verified: a missing one fails as a stall (no arrival for
``STALL_S``), a copy or a refused signature fails after the numbers are kept. Also reported:
``notify_cpu_ms_per_record`` (the service process's user + system CPU over the backlog, per record
delivered after it was ready: on this shared machine the rate moves by 2-3x with the other load, this much
less), ``notify_latency_records``, ``notify_offered_per_s`` (achieved), ``notify_max_s``, and
``notify_log_problems`` (error lines in the service's log). The ledger (SQLite, one fsync'd mark per
delivery) is in a temporary directory on the machine's disk.

The service's consumer fetches with ``PANTAU_FETCH_MAX_WAIT_MS`` (100 ms), as the worker does. With
aiokafka's default of 500 ms, on Tansu, that wait alone set a latency floor of about 0.2 s median and 0.4 s
max here (2026-12-04); with 100 ms the same runs gave 0.05-0.07 s median and 0.10-0.20 s p99.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import math
import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import aiohttp
import numpy as np
from aiohttp import web
from aiokafka import AIOKafkaProducer

from bench.broker import LOG_PROBLEM, create_topics
from demo.feed import generate
from detectors.core import DetectionCore
from detectors.text import normalise
from notify.channels.webhook import event_id
from notify.receiver import receiver_app
from schemas.alert import Alert
from schemas.post import post_from_obj
from streams.broker import EmbeddedBroker, free_port, terminate
from streams.config import Settings

ROOT = Path(__file__).resolve().parents[1]
PARTITIONS = Settings().topic_partitions  # what the worker creates the alerts topic with
THROUGHPUT_RECORDS = 5000  # about 12 s of delivery here: long enough for a steady rate
LATENCY_S = 25.0
LATENCY_MAX_RECORDS = 2000
POLL_S = 0.1
STALL_S = 30.0  # no arrival for this long: the run is broken, not slow
ALERT_KINDS = ("raised", "updated")  # what a duty officer is sent; "resolved" records are few

Say = Callable[[str], None]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


# --- the records ----------------------------------------------------------------------------------------


def template_alerts() -> list[Alert]:
    """The raised and updated records the detection core emits on one demo day, in emission order."""
    posts = [post_from_obj(r) for r in generate(seed=7, start=datetime(2026, 11, 28, tzinfo=UTC), hours=24.0)]
    core = DetectionCore()
    alerts = [a for a in core.process([normalise(p) for p in posts]) + core.flush() if a.kind in ALERT_KINDS]
    if not alerts:
        raise RuntimeError("the demo day raised no incident")
    shift = time.time() - max(a.at for a in alerts)  # as if the day had just ended
    return [replace(a, at=a.at + shift, first_seen=a.first_seen + shift) for a in alerts]


def alert_records(templates: list[Alert], n: int, tag: str) -> list[Alert]:
    """``n`` records: rounds of the templates, each round under new incident ids (``tag`` keeps runs apart)."""
    records: list[Alert] = []
    for round_ in range(math.ceil(n / len(templates))):
        for alert in templates:
            digest = hashlib.blake2b(f"{tag}:{round_}:{alert.incident_id}".encode(), digest_size=8).hexdigest()
            records.append(replace(alert, incident_id=f"inc-{digest}"))
    return records[:n]


# --- the receiver ---------------------------------------------------------------------------------------


@dataclass
class Receiver:
    """``pantau receive``'s app on loopback in this event loop; notes each verified request as it arrives."""

    secret: str
    port: int = field(default_factory=free_port)
    arrived: dict[str, float] = field(default_factory=dict)  # webhook-id -> first arrival (monotonic)
    copies: int = 0  # verified requests for an id that had arrived already
    refused: int = 0  # answered other than 2xx: a signature that did not verify
    _runner: web.AppRunner | None = None
    _out: IO[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def start(self) -> None:
        self._out = open(os.devnull, "w")  # noqa: SIM115 -- closed in stop; the app prints a line per event
        app = receiver_app([self.secret], out=self._out)

        @web.middleware
        async def note(request: web.Request, handler: Handler) -> web.StreamResponse:
            response = await handler(request)
            now = time.monotonic()  # after the handler: once the signature has been verified
            if response.status >= 300:
                self.refused += 1
            elif (msg_id := request.headers["webhook-id"]) in self.arrived:
                self.copies += 1
            else:
                self.arrived[msg_id] = now
            return response

        app.middlewares.append(note)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._out is not None:
            self._out.close()


# --- the service ----------------------------------------------------------------------------------------


@dataclass
class NotifyProcess:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    def tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def problems(self) -> list[str]:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return [line for line in text.splitlines() if LOG_PROBLEM.search(line)]


def launch(bootstrap: str, alerts_topic: str, receiver: Receiver, tmp: Path) -> NotifyProcess:
    # One webhook channel, as deploy/notify.example.toml's first; the secret from the environment, as there.
    config = tmp / "notify.toml"
    config.write_text(
        f'[[channel]]\nname = "bench-webhook"\nkind = "webhook"\nurl = "{receiver.url}"\n'
        'secrets_env = ["PANTAU_WEBHOOK_SECRET"]\n'
    )
    port = free_port()
    tag = alerts_topic.rsplit("-", 1)[-1]
    env = {
        **os.environ,
        "PANTAU_KAFKA_BOOTSTRAP": bootstrap,
        "PANTAU_APP_ID": f"pantau-bench-notify-{tag}",
        "PANTAU_ALERTS_TOPIC": alerts_topic,
        "PANTAU_DELIVERY_DEADLETTER_TOPIC": f"bench-delivery-deadletter-{tag}",
        "PANTAU_NOTIFY_CONFIG": str(config),
        "PANTAU_NOTIFY_PORT": str(port),
        "PANTAU_NOTIFY_STATE_DIR": str(tmp / "notify-state"),
        "PANTAU_WEBHOOK_SECRET": receiver.secret,
    }
    log_path = tmp / "notify.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streams.cli", "notify"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
    return NotifyProcess(process, port, log_path)


async def wait_ready(service: NotifyProcess, timeout_s: float = 60.0) -> float:
    """Seconds until ``/readyz`` says 200: partitions assigned and the dead-letter producer started."""
    started = time.monotonic()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
        while time.monotonic() < started + timeout_s:
            if service.process.poll() is not None:
                raise RuntimeError(f"notify exited with {service.process.returncode}:\n{service.tail()}")
            try:
                async with session.get(f"http://127.0.0.1:{service.port}/readyz") as response:
                    if response.status == 200:
                        return time.monotonic() - started
            except (aiohttp.ClientError, TimeoutError):  # not listening yet
                pass
            await asyncio.sleep(POLL_S)
    raise RuntimeError(f"notify not ready in {timeout_s:.0f} s:\n{service.tail()}")


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far (``/proc/<pid>/stat``, fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def wait_arrived(receiver: Receiver, service: NotifyProcess, ids: list[str]) -> None:
    """Until every id has arrived; a stall (no arrival for ``STALL_S``) or a dead service raises."""
    count, last_change = -1, time.monotonic()
    while missing := sum(1 for i in ids if i not in receiver.arrived):
        if len(receiver.arrived) > count:
            count, last_change = len(receiver.arrived), time.monotonic()
        if service.process.poll() is not None:
            raise RuntimeError(f"notify exited with {service.process.returncode}:\n{service.tail()}")
        if time.monotonic() - last_change > STALL_S:
            raise RuntimeError(
                f"delivery stalled: {missing} of {len(ids)} records not arrived, {receiver.refused} refused; "
                f"the service's counters: {await service_counters(service)}\n{service.tail()}"
            )
        await asyncio.sleep(POLL_S)


async def service_counters(service: NotifyProcess) -> str:
    """What the service says it read, queued, delivered and retried (its /metrics), for a stall's report."""
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session,
            session.get(f"http://127.0.0.1:{service.port}/metrics") as response,
        ):
            text = await response.text()
    except (aiohttp.ClientError, TimeoutError) as exc:
        return f"/metrics did not answer ({exc!r})"
    wanted = ("pantau_notify_records_total", "pantau_deliveries_total", "pantau_delivery_retries_total")
    lines = [line for line in text.splitlines() if line.startswith((*wanted, "pantau_delivery_queued"))]
    return "; ".join(lines)


# --- all of it ------------------------------------------------------------------------------------------


def run(result: dict[str, object], say: Say) -> None:
    """Throughput, then latency at half of it, into ``result`` as each finishes (keys: module docstring)."""
    say("notify: the detection core's alert records of one demo day ...")
    templates = template_alerts()
    with tempfile.TemporaryDirectory(prefix="pantau-bench-notify-") as tmp_name:
        tmp = Path(tmp_name)
        with EmbeddedBroker(log_path=tmp / "tansu.log") as broker:
            tag = uuid.uuid4().hex[:8]
            alerts_topic = f"bench-alerts-notify-{tag}"
            create_topics(broker.bootstrap, [alerts_topic, f"bench-delivery-deadletter-{tag}"], PARTITIONS)
            receiver = Receiver("whsec_" + base64.b64encode(secrets.token_bytes(24)).decode())
            asyncio.run(_run(result, broker.bootstrap, alerts_topic, templates, receiver, tmp, say))


async def _run(
    result: dict[str, object],
    bootstrap: str,
    alerts_topic: str,
    templates: list[Alert],
    receiver: Receiver,
    tmp: Path,
    say: Say,
) -> None:
    records = alert_records(templates, THROUGHPUT_RECORDS + LATENCY_MAX_RECORDS, uuid.uuid4().hex[:8])
    backlog, live = records[:THROUGHPUT_RECORDS], records[THROUGHPUT_RECORDS:]
    service: NotifyProcess | None = None
    await receiver.start()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for alert in backlog:
            await producer.send(alerts_topic, alert.to_json(), key=alert.incident_id.encode())
        await producer.flush()
        result["notify_records"] = len(backlog)
        say(f"notify: {len(backlog):,} records written; pantau notify with one webhook channel ...")

        service = launch(bootstrap, alerts_topic, receiver, tmp)
        say(f"  ready after {await wait_ready(service):.1f} s")
        # Its CPU from here on is the delivering (start-up is behind it): a measure the noise moves less.
        cpu_before, arrived_before = cpu_s(service.process.pid), len(receiver.arrived)
        ids = [event_id(a) for a in backlog]
        await wait_arrived(receiver, service, ids)
        cpu_ms = 1000 * (cpu_s(service.process.pid) - cpu_before) / (len(ids) - arrived_before)
        times = sorted(receiver.arrived[i] for i in ids)
        rate = (len(times) - 1) / (times[-1] - times[0])
        result["notify_records_per_s"] = round(rate, 1)
        result["notify_cpu_ms_per_record"] = round(cpu_ms, 3)
        say(f"  {rate:,.0f} records/s delivered, signed and verified; the service's CPU {cpu_ms:.2f} ms a record")

        offered = rate / 2
        live = live[: min(len(live), math.ceil(offered * LATENCY_S))]
        say(f"notify: write-to-webhook latency at {offered:,.0f} records/s, {len(live):,} records ...")
        sent_at: dict[str, float] = {}
        begin = time.monotonic()
        for index, alert in enumerate(live):
            # A steady schedule from the start, not sleep-per-record: a late write does not push back the rest.
            delay = begin + index / offered - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            sent_at[event_id(alert)] = time.monotonic()
            await producer.send(alerts_topic, alert.to_json(), key=alert.incident_id.encode())
        send_s = time.monotonic() - begin
        await wait_arrived(receiver, service, list(sent_at))
        await asyncio.sleep(1.0)  # a copy sent behind the last record would arrive by now
        latencies = [receiver.arrived[i] - at for i, at in sent_at.items()]
        result["notify_offered_per_s"] = round(len(live) / send_s, 1)
        result["notify_latency_records"] = len(latencies)
        result["notify_p50_s"] = round(float(np.percentile(latencies, 50)), 4)
        result["notify_p99_s"] = round(float(np.percentile(latencies, 99)), 4)
        result["notify_max_s"] = round(max(latencies), 4)
        say(f"  p50 {result['notify_p50_s']} s, p99 {result['notify_p99_s']} s, max {result['notify_max_s']} s")

        expected = len(backlog) + len(live)
        if receiver.copies or receiver.refused or len(receiver.arrived) != expected:
            raise RuntimeError(
                f"not exactly once: {len(receiver.arrived)} ids for {expected} records, "
                f"{receiver.copies} copies, {receiver.refused} refused"
            )
    finally:
        if service is not None:
            # SIGTERM: it finishes the record in hand, commits and closes, as in production.
            await asyncio.to_thread(terminate, service.process, 20)
            problems = service.problems()
            result["notify_log_problems"] = len(problems)
            for line in problems[:5]:
                say(f"  notify.log: {line}")
        await producer.stop()
        await receiver.stop()
