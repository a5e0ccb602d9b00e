"""The Alertmanager channel against a real Alertmanager (Debian ``prometheus-alertmanager``) on loopback.

Alertmanager lists only alerts that are active: a resolved one leaves ``GET /api/v2/alerts`` and is announced
to its receivers as resolved. So the test gives it a webhook receiver (``send_resolved``) and reads both.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from notify.channels import build_channel
from notify.config import ChannelConfig
from notify.ledger import DeliveryLedger
from streams.broker import free_port
from tests.integration.test_delivery_channels import Outcomes, _alert, _delivery
from tests.receivers import HttpReceiver

ALERTMANAGER = "/usr/bin/prometheus-alertmanager"  # `make system-deps` installs it


class Alertmanager:
    def __init__(self, directory: Path, receiver_url: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = directory / "alertmanager.yml"
        config.write_text(
            "route:\n  receiver: hook\n  group_by: [incident_id]\n  group_wait: 1s\n  group_interval: 1s\n"
            "  repeat_interval: 1h\nreceivers:\n  - name: hook\n    webhook_configs:\n"
            f"      - url: {receiver_url}/am\n        send_resolved: true\n"
        )
        self.process = subprocess.Popen(
            [
                ALERTMANAGER,
                f"--config.file={config}",
                f"--storage.path={directory / 'data'}",
                f"--web.listen-address=127.0.0.1:{self.port}",
                "--cluster.listen-address=",
                "--log.level=warn",
            ],
            stdout=(directory / "alertmanager.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/-/ready", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("alertmanager did not start")

    def alerts(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(self.url + "/api/v2/alerts", timeout=5) as response:
            return list(orjson.loads(response.read()))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


@pytest.fixture
def alertmanager(tmp_path: Path) -> Iterator[tuple[Alertmanager, HttpReceiver]]:
    with HttpReceiver() as notifications:
        manager = Alertmanager(tmp_path, notifications.url)
        yield manager, notifications
        manager.stop()


def _wait(condition: Any, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return bool(condition())


def test_an_incident_shows_in_alertmanager_is_resent_while_active_and_resolves(
    alertmanager: tuple[Alertmanager, HttpReceiver], tmp_path: Path
) -> None:
    manager, notifications = alertmanager
    outcomes = Outcomes()
    ledger = DeliveryLedger(tmp_path / "ledger.sqlite")
    channel = build_channel(
        ChannelConfig(name="am", kind="alertmanager", url=manager.url, resend_s=1.0, deadline_s=10.0),
        outcomes.on_error,
        on_delivered=outcomes.on_delivered,
        console_url="http://127.0.0.1:6066/console",
        ledger=ledger,
    )

    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        channel.start()  # type: ignore[attr-defined]
        channel.add(_delivery(_alert(0)))
        await channel.flush()
        await asyncio.sleep(0.5)
        firing = manager.alerts()
        await asyncio.sleep(2.5)  # re-sent by now, at least twice
        resent = manager.alerts()
        channel.add(_delivery(_alert(1, "resolved")))
        await channel.flush()
        await channel.close()
        return firing, resent

    firing, resent = asyncio.run(scenario())
    assert len(firing) == 1
    labels, annotations = firing[0]["labels"], firing[0]["annotations"]
    assert labels == {
        "alertname": "PantauIncident",
        "incident_id": "inc-0a1b2c3d",
        "type": "141",
        "severity": "high",
        "countries": "AU,ID",
    }
    assert annotations["summary"] == "Protest at the Australian embassy in Jakarta"
    assert annotations["console"] == "http://127.0.0.1:6066/console/incidents/inc-0a1b2c3d"
    assert firing[0]["status"]["state"] == "active"
    assert resent[0]["updatedAt"] > firing[0]["updatedAt"], "re-sent while active"
    # Resolved: gone from the active list, and announced as resolved to Alertmanager's receiver.
    assert _wait(lambda: manager.alerts() == [], 10)

    def statuses() -> list[str]:
        return [r.json()["status"] for r in notifications.accepted if r.path == "/am"]

    assert _wait(lambda: "resolved" in statuses(), 15), statuses()
    assert statuses()[0] == "firing"
    resolved = next(r.json() for r in notifications.accepted if r.json()["status"] == "resolved")
    assert resolved["alerts"][0]["labels"]["incident_id"] == "inc-0a1b2c3d"
    assert ledger.active("am") == {}, "no longer re-sent"
    assert outcomes.delivered == ["inc-0a1b2c3d:0", "inc-0a1b2c3d:1"] and not outcomes.errors
