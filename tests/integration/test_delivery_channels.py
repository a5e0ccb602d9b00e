"""Each delivery channel against a real local receiver (HTTP or SMTP on loopback), no broker needed."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from notify.channels import Delivery, build_channel
from notify.channels.base import DeliveringChannel
from notify.config import ChannelConfig, Route
from notify.ledger import DeliveryLedger
from schemas.alert import Alert, SamplePost, TermScore
from tests.receivers import HttpReceiver, Request, SmtpReceiver, WebhookVerifier

OLD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
NEW_SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"


def _alert(seq: int = 0, kind: str = "raised", incident: str = "inc-0a1b2c3d", **extra: Any) -> Alert:
    sample = SamplePost("p1", 0.0, "<script>alert(1)</script> Kedubes didemo", "x.com", "social", "id")
    return Alert(
        incident_id=incident,
        seq=seq,
        kind=kind,
        at=time.time(),
        first_seen=time.time() - 600,
        title="Protest at the Australian embassy in Jakarta",
        type_code="141",
        type_label="demonstrate",
        severity="high",
        confidence=0.8,
        countries=("AU", "ID"),
        languages=("id",),
        terms=(TermScore("kedubes", 6.1), TermScore("demo", 4.2)),
        samples=(sample, sample),
        reason="5 posts",
        **extra,
    )


def _delivery(alert: Alert) -> Delivery:
    return Delivery(alert, alert.to_json(), 0, alert.seq)


class Outcomes:
    def __init__(self) -> None:
        self.errors: list[tuple[str, BaseException, int]] = []
        self.delivered: list[str] = []
        self.retries = 0

    async def on_error(self, channel: Any, delivery: Delivery, error: BaseException, attempts: int) -> None:
        self.errors.append((delivery.key, error, attempts))

    def on_delivered(self, channel: Any, delivery: Delivery, seconds: float) -> None:
        self.delivered.append(delivery.key)

    def on_retry(self, channel: Any, error: BaseException) -> None:
        self.retries += 1


def _channel(kind: str, outcomes: Outcomes, **config: Any) -> DeliveringChannel:
    defaults: dict[str, Any] = {"deadline_s": 20.0, "timeout_s": 2.0, "max_backoff_s": 1.0}
    return build_channel(
        ChannelConfig(name=f"test-{kind}", kind=kind, **{**defaults, **config}),
        outcomes.on_error,
        on_delivered=outcomes.on_delivered,
        on_retry=outcomes.on_retry,
        console_url="http://127.0.0.1:6066/console",
    )


async def _deliver(channel: DeliveringChannel, *alerts: Alert) -> None:
    for alert in alerts:
        channel.add(_delivery(alert))
    await channel.flush()
    await channel.close()


def test_webhook_sends_a_signed_cloudevent_that_a_receiver_verifies() -> None:
    outcomes = Outcomes()
    with HttpReceiver() as receiver:
        channel = _channel("webhook", outcomes, url=receiver.url + "/hook", secrets=(NEW_SECRET, OLD_SECRET))
        asyncio.run(_deliver(channel, _alert(0), _alert(1, "updated")))
    assert outcomes.delivered == ["inc-0a1b2c3d:0", "inc-0a1b2c3d:1"] and not outcomes.errors
    first = receiver.accepted[0]
    event = first.json()
    assert first.headers["Content-Type"] == "application/cloudevents+json"
    assert (event["specversion"], event["type"], event["id"], event["subject"]) == (
        "1.0",
        "id.pantau.incident.raised",
        "inc-0a1b2c3d-0",
        "inc-0a1b2c3d",
    )
    assert event["data"]["incident_id"] == "inc-0a1b2c3d" and event["data"]["console_url"].endswith("/inc-0a1b2c3d")
    assert first.headers["webhook-id"] == event["id"] == first.headers["Idempotency-Key"].replace(":", "-")
    # During a rotation both secrets sign: a receiver holding either one verifies every request.
    assert len(first.headers["webhook-signature"].split(" ")) == 2
    for secrets in ([OLD_SECRET], [NEW_SECRET]):
        verifier = WebhookVerifier(secrets)
        assert all(verifier.verify(r) for r in receiver.accepted), verifier.failures
    assert not WebhookVerifier(["whsec_" + "A" * 32]).verify(first), "a receiver with another secret refuses it"


def test_a_tampered_body_and_a_stale_timestamp_are_refused() -> None:
    outcomes = Outcomes()
    with HttpReceiver() as receiver:
        asyncio.run(_deliver(_channel("webhook", outcomes, url=receiver.url, secrets=(NEW_SECRET,)), _alert()))
    request = receiver.accepted[0]
    tampered = Request(request.path, request.headers, request.body.replace(b"Jakarta", b"Jakart4"), request.at)
    assert not WebhookVerifier([NEW_SECRET]).verify(tampered)
    # The same event signed ten minutes ago: outside the receivers' five-minute window.
    stale_at = datetime.now(tz=UTC) - timedelta(minutes=10)
    stale_headers = {
        **request.headers,
        "webhook-timestamp": str(int(stale_at.timestamp())),
        "webhook-signature": Webhook(NEW_SECRET).sign(request.headers["webhook-id"], stale_at, request.body.decode()),
    }
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(NEW_SECRET).verify(request.body, stale_headers)


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers() -> None:
    outcomes = Outcomes()
    with HttpReceiver(mode="error") as receiver:

        async def scenario() -> None:
            channel = _channel("webhook", outcomes, url=receiver.url, secrets=(NEW_SECRET,))
            task = asyncio.ensure_future(_deliver(channel, _alert()))
            await asyncio.sleep(2.5)
            receiver.mode = "ok"
            await task

        asyncio.run(scenario())
    assert outcomes.delivered == ["inc-0a1b2c3d:0"] and outcomes.retries >= 2
    assert len(receiver.accepted) == 1 and len(receiver.requests) == outcomes.retries + 1
    ids = {r.headers["webhook-id"] for r in receiver.requests}
    assert ids == {"inc-0a1b2c3d-0"}, "every retry carries the same idempotency key"


def test_a_receiver_that_times_out_is_retried() -> None:
    outcomes = Outcomes()
    with HttpReceiver(mode="slow", delay_s=4.0) as receiver:

        async def scenario() -> None:
            channel = _channel("webhook", outcomes, url=receiver.url, secrets=(NEW_SECRET,), timeout_s=1.0)
            task = asyncio.ensure_future(_deliver(channel, _alert()))
            await asyncio.sleep(2.5)
            receiver.mode = "ok"
            await task

        asyncio.run(scenario())
    assert outcomes.delivered == ["inc-0a1b2c3d:0"] and outcomes.retries >= 1


def test_429_retry_after_is_honoured() -> None:
    outcomes = Outcomes()
    with HttpReceiver(mode="throttle", retry_after_s=2) as receiver:

        async def scenario() -> None:
            channel = _channel("webhook", outcomes, url=receiver.url, secrets=(NEW_SECRET,), max_backoff_s=0.1)
            task = asyncio.ensure_future(_deliver(channel, _alert()))
            while not receiver.requests:
                await asyncio.sleep(0.05)
            receiver.mode = "ok"
            await task

        asyncio.run(scenario())
    first, second = receiver.requests[0], receiver.requests[1]
    assert second.at - first.at >= 1.9, "waited as long as Retry-After said, not the 0.1 s backoff"
    assert outcomes.delivered == ["inc-0a1b2c3d:0"]


def test_past_its_deadline_or_refused_for_good_a_record_goes_to_the_error_callback() -> None:
    outcomes = Outcomes()
    with HttpReceiver(mode="error") as receiver:
        started = time.monotonic()
        asyncio.run(
            _deliver(
                _channel("webhook", outcomes, url=receiver.url, secrets=(NEW_SECRET,), deadline_s=3.0),
                _alert(0),
                _alert(1, "updated"),
            )
        )
        elapsed = time.monotonic() - started
        receiver.mode = "reject"
        refused = Outcomes()
        asyncio.run(_deliver(_channel("webhook", refused, url=receiver.url, secrets=(NEW_SECRET,)), _alert(2)))
    assert [(key, attempts > 1) for key, _, attempts in outcomes.errors] == [
        ("inc-0a1b2c3d:0", True),
        ("inc-0a1b2c3d:1", True),
    ]
    assert "HTTP 500" in str(outcomes.errors[0][1]) and elapsed < 3.0 * 2 + 4, elapsed
    assert [(key, attempts) for key, _, attempts in refused.errors] == [("inc-0a1b2c3d:2", 1)], "400: no retry"


def test_slack_gets_a_block_kit_message_with_the_incident() -> None:
    outcomes = Outcomes()
    with HttpReceiver() as receiver:
        asyncio.run(_deliver(_channel("slack", outcomes, url=receiver.url + "/services/T/B/X"), _alert()))
    message = receiver.accepted[0].json()
    blocks = message["blocks"]
    assert message["text"].startswith("New incident: Protest at the Australian embassy")
    assert blocks[0] == {
        "type": "header",
        "text": {
            "type": "plain_text",
            "emoji": False,
            "text": "New incident: Protest at the Australian embassy in Jakarta",
        },
    }
    fields = {f["text"].split("\n")[0]: f["text"].split("\n")[1] for f in blocks[1]["fields"]}
    assert fields == {
        "*Type*": "141 demonstrate",
        "*Severity*": ":large_orange_circle: high",
        "*Countries*": "AU, ID",
        "*Terms*": "kedubes, demo",
    }
    quotes = blocks[2]["text"]["text"].split("\n")
    assert len(quotes) == 2 and quotes[0] == "> &lt;script&gt;alert(1)&lt;/script&gt; Kedubes didemo"
    assert blocks[3]["elements"][0]["url"].endswith("/console/incidents/inc-0a1b2c3d")
    assert blocks[4]["elements"][0]["text"] == "inc-0a1b2c3d #0"


def test_email_over_starttls_threads_one_incident(tmp_path: Path) -> None:
    outcomes = Outcomes()
    with SmtpReceiver(tmp_path) as smtp:
        config = {
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp.port,
            "sender": "pantau@example.org",
            "recipients": ("duty@example.org",),
            "ca_file": str(smtp.ca_file),
        }
        asyncio.run(
            _deliver(_channel("email", outcomes, **config), _alert(0), _alert(1, "updated"), _alert(2, "resolved"))
        )
        plain = Outcomes()  # the server requires STARTTLS: without it, refused for good
        asyncio.run(_deliver(_channel("email", plain, **config, starttls=False), _alert(3, "updated")))
    assert outcomes.delivered == ["inc-0a1b2c3d:0", "inc-0a1b2c3d:1", "inc-0a1b2c3d:2"]
    ids = [m["Message-ID"] for m in smtp.messages]
    assert ids == ["<inc-0a1b2c3d.0@pantau>", "<inc-0a1b2c3d.1@pantau>", "<inc-0a1b2c3d.2@pantau>"]
    assert smtp.messages[0]["In-Reply-To"] is None
    assert [m["In-Reply-To"] for m in smtp.messages[1:]] == ["<inc-0a1b2c3d.0@pantau>"] * 2
    assert smtp.messages[2]["References"] == "<inc-0a1b2c3d.0@pantau> <inc-0a1b2c3d.1@pantau>"
    body = smtp.messages[0]
    html_part = body.get_body(("html",))
    assert body.get_body(("plain",)) is not None and html_part is not None
    html = html_part.get_content()
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert len(smtp.messages) == 3 and [(k, n) for k, _, n in plain.errors] == [("inc-0a1b2c3d:3", 1)]


def test_routes_pick_the_records_a_channel_takes() -> None:
    alert = _alert()
    assert Route(min_severity="high", types=("14",), countries=("AU",), languages=("id",)).matches(alert)
    assert not Route(min_severity="critical").matches(alert)
    assert not Route(types=("16", "CONSULAR")).matches(alert)
    assert not Route(countries=("MY",)).matches(alert)
    assert not Route(languages=("en",)).matches(alert)
    assert orjson.loads(alert.to_json())["severity"] == "high"


def test_alertmanager_resends_and_a_resolve_take_turns(tmp_path: Path) -> None:
    """A re-send read from the ledger before the resolve but posted after it would re-open the alert."""
    outcomes = Outcomes()
    with HttpReceiver(mode="slow", delay_s=0.3) as receiver:
        channel = build_channel(
            ChannelConfig(name="am", kind="alertmanager", url=receiver.url, resend_s=0.05, deadline_s=10.0),
            outcomes.on_error,
            on_delivered=outcomes.on_delivered,
            ledger=DeliveryLedger(tmp_path / "ledger.sqlite"),
        )

        async def scenario() -> None:
            channel.start()  # type: ignore[attr-defined]
            channel.add(_delivery(_alert(0)))
            await channel.flush()
            await asyncio.sleep(0.1)  # a re-send is in flight now
            channel.add(_delivery(_alert(1, "resolved")))
            await channel.flush()
            await asyncio.sleep(0.4)  # any re-send would have started by now
            await channel.close()

        asyncio.run(scenario())
    posts = [r for r in receiver.requests if r.path == "/api/v2/alerts"]
    assert len(posts) >= 3, "raised, at least one re-send, resolved"
    assert all(later.at - earlier.at >= 0.29 for earlier, later in itertools.pairwise(posts)), "one at a time"
    assert "endsAt" in posts[-1].json()[0], "the resolve is the last word"
    assert outcomes.delivered == ["inc-0a1b2c3d:0", "inc-0a1b2c3d:1"] and not outcomes.errors
