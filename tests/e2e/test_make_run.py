"""`pantau run` as a user runs it: broker, worker and demo feed; an alert within 2 minutes; Ctrl-C leaves nothing."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from streams.broker import free_port
from tests.conftest import ROOT
from tests.officer import Officer


def _children(pid: int) -> set[int]:
    """All descendants of ``pid``, read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_run_prints_an_alert_serves_metrics_and_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PANTAU_WEB_PORT": str(port),
        "PANTAU_NOTIFY_PORT": str(free_port()),
        "PANTAU_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("PANTAU_NOTIFY_CONFIG", None)  # the local webhook receiver
    env.pop("PANTAU_KAFKA_BOOTSTRAP", None)  # the embedded default
    started = time.monotonic()
    run = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    lines: list[str] = []
    first_alert: list[float] = []

    def read() -> None:
        assert run.stdout is not None
        for raw in run.stdout:
            line = raw.decode(errors="replace")
            lines.append(line)
            if line.startswith("[ALERT") and not first_alert:
                first_alert.append(time.monotonic() - started)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = started + 120
        while time.monotonic() < deadline and not first_alert and run.poll() is None:
            time.sleep(0.5)
        assert first_alert, "no alert within 2 minutes:\n" + "".join(lines[-40:])
        output = "".join(lines)
        assert f"http://127.0.0.1:{port}/metrics" in output, "the URLs are printed"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            metrics = response.read().decode()
        consumed = [ln for ln in metrics.splitlines() if ln.startswith('pantau_posts_consumed_total{step="detect"}')]
        assert consumed and float(consumed[0].split()[-1]) > 0
        assert any(ln.startswith("pantau_alerts_total{") and float(ln.split()[-1]) > 0 for ln in metrics.splitlines())
        # The delivery service carries it, signed, to the local receiver, which verifies it and prints it.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(ln.startswith("webhook: raised") for ln in lines):
            time.sleep(0.5)
        assert any(ln.startswith("webhook: raised") for ln in lines), "".join(lines[-40:])
        # The console's URL and this run's demo login are printed, and the incident is on the console.
        console = next(ln for ln in lines if ln.startswith("pantau: console "))
        match = re.search(r"console (\S+) · demo login (\S+) / (\S+)", console)
        assert match and match[1] == f"http://127.0.0.1:{port}/console/", console
        officer = Officer(f"http://127.0.0.1:{port}")
        officer.name, officer.password = match[2], match[3]
        assert officer.login()[0] == 200
        listing = officer.get_json("/console/api/incidents")
        assert listing["incidents"], listing
        assert time.monotonic() - started < 150, "incidents on the console within about 2 minutes"
        descendants = _children(run.pid)
        assert descendants, "broker, worker, delivery, receiver and feed run as child processes"
    finally:
        run.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            code = run.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            raise
        reader.join(timeout=5)
    assert code == 0, "".join(lines[-30:])
    time.sleep(0.5)
    left = [pid for pid in descendants if _alive(pid)]
    assert not left, f"processes left running after Ctrl-C: {left}"
    assert "pantau: stopped" in "".join(lines)


def test_broker_command_stops_its_broker_on_sigterm() -> None:
    broker = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "broker"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert broker.stdout is not None
        line = broker.stdout.readline().decode()
        assert line.startswith("PANTAU_KAFKA_BOOTSTRAP=127.0.0.1:")
        descendants = _children(broker.pid)
        assert descendants, "tansu runs as a child"
        broker.send_signal(signal.SIGTERM)
        assert broker.wait(timeout=10) == 0
    finally:
        if broker.poll() is None:
            os.killpg(broker.pid, signal.SIGKILL)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and any(_alive(pid) for pid in descendants):
        time.sleep(0.1)
    assert not [pid for pid in descendants if _alive(pid)], "the broker outlived pantau broker"
