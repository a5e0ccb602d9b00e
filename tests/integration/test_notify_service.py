"""The delivery service as a process (``pantau notify``) on the embedded broker, with real receivers.

Alert records are written to an alerts topic directly (as the detect step writes them: keyed by incident), so
each scenario controls exactly what must arrive.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path

from kafka import KafkaProducer

from schemas.alert import Alert
from schemas.delivery import DeliveryDeadLetter
from streams.broker import EmbeddedBroker, free_port
from tests import metrics_allowlist
from tests.conftest import ROOT
from tests.integration.test_delivery_channels import NEW_SECRET, OLD_SECRET, _alert
from tests.integration.test_pipeline import consume_until
from tests.receivers import HttpReceiver, WebhookVerifier

OUTAGE_S = 60.0


class NotifyProcess:
    def __init__(self, broker: EmbeddedBroker, tmp_path: Path, config: str, tag: str) -> None:
        self.port = free_port()
        config_path = tmp_path / "notify.toml"
        config_path.write_text(config)
        self.env = {
            **os.environ,
            "PANTAU_KAFKA_BOOTSTRAP": broker.bootstrap,
            "PANTAU_APP_ID": f"notify-test-{tag}",
            "PANTAU_ALERTS_TOPIC": f"alerts-{tag}",
            "PANTAU_DELIVERY_DEADLETTER_TOPIC": f"delivery-dl-{tag}",
            "PANTAU_NOTIFY_CONFIG": str(config_path),
            "PANTAU_NOTIFY_PORT": str(self.port),
            "PANTAU_NOTIFY_STATE_DIR": str(tmp_path / "notify-state"),
            "PANTAU_WEBHOOK_SECRET": NEW_SECRET,
            "PANTAU_WEBHOOK_SECRET_PREVIOUS": OLD_SECRET,
        }
        self.log_path = tmp_path / f"notify-{tag}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> NotifyProcess:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "streams.cli", "notify"], env=self.env, cwd=ROOT, stdout=log, stderr=log
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log_path.read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"notify not ready:\n{self.log_path.read_text()[-3000:]}")

    def metrics(self) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as response:
            return str(response.read().decode())

    def kill(self, sig: int = signal.SIGKILL) -> None:
        assert self.process is not None
        self.process.send_signal(sig)
        self.process.wait(timeout=30)


def _produce(broker: EmbeddedBroker, topic: str, alerts: list[Alert]) -> None:
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap)
    for alert in alerts:
        producer.send(topic, alert.to_json(), key=alert.incident_id.encode())
    producer.flush()
    producer.close()


def _records(incidents: int, seqs: range) -> list[Alert]:
    return [
        _alert(seq, "raised" if seq == 0 else "updated", incident=f"inc-{i:04d}aaaa")
        for seq in seqs
        for i in range(incidents)
    ]


def _wait(condition: object, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return bool(condition())  # type: ignore[operator]


def test_an_outage_a_dead_channel_and_a_crash_lose_nothing_and_deliver_nothing_twice(
    broker: EmbeddedBroker, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    hook, broken, critical_only = HttpReceiver().start(), HttpReceiver(mode="error").start(), HttpReceiver().start()
    config = f"""
console_url = "http://127.0.0.1:6066/console"

[[channel]]
name = "duty-webhook"
kind = "webhook"
url = "{hook.url}/hook"
secrets_env = ["PANTAU_WEBHOOK_SECRET", "PANTAU_WEBHOOK_SECRET_PREVIOUS"]
deadline_s = 300
max_backoff_s = 5

[[channel]]
name = "broken-webhook"
kind = "webhook"
url = "{broken.url}/hook"
secrets_env = ["PANTAU_WEBHOOK_SECRET"]
deadline_s = 4
max_backoff_s = 1

[[channel]]
name = "critical-only"
kind = "webhook"
url = "{critical_only.url}/hook"
secrets_env = ["PANTAU_WEBHOOK_SECRET"]
[channel.route]
min_severity = "critical"
"""
    service = NotifyProcess(broker, tmp_path, config, tag).start()
    topic = service.env["PANTAU_ALERTS_TOPIC"]
    try:
        _produce(broker, topic, _records(3, range(0, 4)))
        assert _wait(lambda: len(hook.accepted) >= 12, 60), len(hook.accepted)

        # The receiver goes down for a minute while records keep coming; then it is back.
        hook.go_down()
        down_at = time.monotonic()
        _produce(broker, topic, _records(3, range(4, 8)))
        time.sleep(OUTAGE_S)
        hook.come_back()
        assert _wait(lambda: len(hook.accepted) >= 24, 90), len(hook.accepted)
        recovered_after = time.monotonic() - down_at - OUTAGE_S

        # A crash (SIGKILL) and a restart: the records read again are not delivered again.
        time.sleep(2.0)  # a commit round, so the restart does not begin from zero
        service.kill()
        service.start()
        _produce(broker, topic, _records(3, range(8, 9)))
        assert _wait(lambda: len(hook.accepted) >= 27, 60), len(hook.accepted)
        time.sleep(3.0)  # anything sent twice would arrive by now
        metrics = service.metrics()
        letters = consume_until(
            broker.bootstrap, service.env["PANTAU_DELIVERY_DEADLETTER_TOPIC"], lambda v: len(v) >= 27, timeout_s=60
        )
        log_text = service.log_path.read_text()
    finally:
        if service.process is not None and service.process.poll() is None:
            service.kill(signal.SIGTERM)
        for receiver in (hook, broken, critical_only):
            receiver.close()

    # Every record exactly once per id, in order per incident, each verified.
    ids = [r.headers["webhook-id"] for r in hook.accepted]
    assert len(ids) == 27 and len(set(ids)) == 27, sorted(i for i in ids if ids.count(i) > 1)
    verifier = WebhookVerifier([OLD_SECRET])
    assert all(verifier.verify(r) for r in hook.accepted), verifier.failures
    by_incident: dict[str, list[int]] = defaultdict(list)
    for request in hook.accepted:
        data = request.json()["data"]
        by_incident[data["incident_id"]].append(data["seq"])
    assert all(seqs == list(range(9)) for seqs in by_incident.values()), dict(by_incident)
    # The broken channel dead-lettered each record after its deadline; it held nobody else up.
    dead = [DeliveryDeadLetter.from_json(v) for v in letters]
    assert sorted(d.key for d in dead) == sorted(f"inc-{i:04d}aaaa:{s}" for i in range(3) for s in range(9))
    assert {d.channel for d in dead} == {"broken-webhook"} and all("HTTP 500" in d.error for d in dead)
    assert all(d.attempts >= 2 and Alert.from_json(d.alert).incident_id in d.key for d in dead)
    # The route took nothing below critical.
    assert critical_only.requests == []
    assert 'pantau_deliveries_total{channel="critical-only",outcome="filtered"}' in metrics
    # The broken channel lags (4 s a record), so the committed position, the lowest of all lanes, was behind the
    # webhook's at the crash: the webhook read those records again, and the ledger skipped them.
    duplicates = [
        line
        for line in metrics.splitlines()
        if line.startswith('pantau_deliveries_total{channel="duty-webhook",outcome="duplicate"}')
    ]
    assert duplicates and float(duplicates[0].split()[-1]) > 0, duplicates
    # No secret in the log or the metrics, and no label off the allowlist (no id or text).
    assert metrics_allowlist.problems(metrics) == []
    for secret in (NEW_SECRET, OLD_SECRET, NEW_SECRET.removeprefix("whsec_")):
        assert secret not in log_text and secret not in metrics
    print(
        f"notify: 27 records once each, outage of {OUTAGE_S:.0f} s recovered {recovered_after:.1f} s after, "
        f"{len(dead)} dead letters from the broken channel"
    )
