"""The dashboard and the rules against a real Prometheus (Debian ``prometheus``) and Alertmanager, on loopback.

Prometheus scrapes a worker on the embedded broker and the delivery service (webhook channel to a local
receiver) while the demo feed runs. Every PromQL expression of deploy/grafana/pantau.json must parse and
return data. Then the feed stops, the shipped no-input rule fires in Prometheus, and Alertmanager's receiver
gets it. Only that rule's window is shortened (10 m and 5 m to 20 s and 5 s), so the test takes a minute.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from kafka import KafkaProducer

from demo.feed import generate
from observability.dashboard import expressions
from schemas import encode_batch
from streams.broker import EmbeddedBroker, free_port
from tests.conftest import ROOT, WorkerProcess, start_worker
from tests.e2e.test_alertmanager import Alertmanager
from tests.integration.test_notify_service import NotifyProcess
from tests.officer import wait_for
from tests.receivers import HttpReceiver

PROMETHEUS = "/usr/bin/prometheus"  # `make system-deps` installs it
RULES = ROOT / "deploy" / "prometheus" / "rules.yml"
DASHBOARD = ROOT / "deploy" / "grafana" / "pantau.json"
FEED_S = 45.0
# The dashboard's variables as Grafana fills them with "All", and its rate interval for a 1 s scrape.
VARIABLES = {'"$instance"': '".*"', '"$app_id"': '".*"', "$__rate_interval": "30s"}


class Prometheus:
    def __init__(self, directory: Path, targets: dict[str, str], alertmanager: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        rules = shortened_rules(directory / "rules.yml")
        config = {
            "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
            "rule_files": [str(rules)],
            "alerting": {"alertmanagers": [{"static_configs": [{"targets": [alertmanager]}]}]},
            "scrape_configs": [
                {"job_name": job, "static_configs": [{"targets": [target]}]} for job, target in targets.items()
            ],
        }
        (directory / "prometheus.yml").write_text(yaml.safe_dump(config))
        self.process = subprocess.Popen(
            [
                PROMETHEUS,
                f"--config.file={directory / 'prometheus.yml'}",
                f"--storage.tsdb.path={directory / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{self.port}",
                "--log.level=warn",
            ],
            stdout=(directory / "prometheus.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        if not wait_for(lambda: self._ready(), 30):
            self.stop()
            raise RuntimeError(f"prometheus did not start:\n{(directory / 'prometheus.log').read_text()[-2000:]}")

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/-/ready", timeout=1):
                return True
        except OSError:
            return False

    def api(self, path: str, **params: str) -> Any:
        query = urllib.parse.urlencode(params)
        with urllib.request.urlopen(f"{self.url}/api/v1/{path}?{query}", timeout=10) as response:
            body = json.loads(response.read())
        assert body["status"] == "success", body
        return body["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        return list(self.api("query", query=expr)["result"])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


def shortened_rules(path: Path) -> Path:
    """The shipped rules, with PantauNoInput's 10 m window and 5 m hold cut to 20 s and 5 s."""
    data = yaml.safe_load(RULES.read_text())
    rule = next(r for g in data["groups"] for r in g["rules"] if r.get("alert") == "PantauNoInput")
    assert "[10m]" in rule["expr"] and rule["for"] == "5m"
    rule["expr"], rule["for"] = rule["expr"].replace("[10m]", "[20s]"), "5s"
    path.write_text(yaml.safe_dump(data))
    return path


class DemoFeed(threading.Thread):
    """The demo day's posts (its last 8 hours, ending now), sent in batches for ``FEED_S`` seconds."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        super().__init__(daemon=True)
        start = datetime.now(tz=UTC) - timedelta(hours=8)
        self.posts = list(generate(seed=3, start=start, hours=8.0))
        self.bootstrap, self.topic = bootstrap, topic
        self.sent = 0

    def run(self) -> None:
        producer = KafkaProducer(bootstrap_servers=self.bootstrap, linger_ms=5)
        batches = [self.posts[i : i + 100] for i in range(0, len(self.posts), 100)]
        pause = FEED_S / len(batches)
        for batch in batches:
            producer.send(self.topic, encode_batch(batch))
            self.sent += len(batch)
            time.sleep(pause)
        producer.flush()
        producer.close()


@pytest.fixture
def stack(broker: EmbeddedBroker, tmp_path: Path) -> Iterator[tuple[WorkerProcess, Prometheus, HttpReceiver]]:
    with HttpReceiver() as hook, HttpReceiver() as paged:
        worker = start_worker(broker, tmp_path)
        config = f'[[channel]]\nname = "duty-webhook"\nkind = "webhook"\nurl = "{hook.url}/hook"\n'
        config += 'secrets_env = ["PANTAU_WEBHOOK_SECRET"]\n'
        notify = NotifyProcess(broker, tmp_path, config, worker.env["PANTAU_APP_ID"][-8:])
        notify.env["PANTAU_ALERTS_TOPIC"] = worker.alerts_topic
        notify.start()
        manager = Alertmanager(tmp_path, paged.url)
        prometheus = Prometheus(
            tmp_path,
            {"pantau": worker.web.removeprefix("http://"), "pantau-notify": f"127.0.0.1:{notify.port}"},
            manager.url.removeprefix("http://"),
        )
        try:
            yield worker, prometheus, paged
        finally:
            prometheus.stop()
            manager.stop()
            if notify.process is not None and notify.process.poll() is None:
                notify.process.terminate()
                notify.process.wait(timeout=30)
            worker.stop()


def test_every_dashboard_query_returns_data_and_silence_pages_through_alertmanager(
    stack: tuple[WorkerProcess, Prometheus, HttpReceiver],
) -> None:
    worker, prometheus, paged = stack
    feed = DemoFeed(worker.env["PANTAU_KAFKA_BOOTSTRAP"], worker.posts_topic)
    feed.start()
    # Both targets scraped, and the worker's consumer lag read once (every 15 s) while the feed runs.
    assert wait_for(lambda: len(prometheus.query('up{job=~"pantau|pantau-notify"} == 1')) == 2, 30)
    assert wait_for(lambda: prometheus.query("pantau_consumer_lag_messages"), 40), "no consumer lag scraped"
    assert wait_for(lambda: prometheus.query('pantau_deliveries_total{outcome="delivered"} > 0'), 40), "no delivery"
    assert feed.is_alive(), "the feed ended before the queries: lengthen FEED_S"

    rendered = DASHBOARD.read_text()
    empty, queried = [], 0
    for expr in expressions(rendered):
        if expr.startswith("label_values("):
            # A Grafana function, not PromQL: the series it lists values of.
            selector = expr.removeprefix("label_values(").rsplit(",", 1)[0]
            for variable, value in VARIABLES.items():
                selector = selector.replace(variable, value)
            found = prometheus.api("series", **{"match[]": selector})
        else:
            promql = expr
            for variable, value in VARIABLES.items():
                promql = promql.replace(variable, value)
            found = prometheus.query(promql)  # a parse error fails the API call
        queried += 1
        if not found:
            empty.append(expr)
    assert queried == len(expressions(rendered)) >= 30
    assert empty == [], "queries with no data:\n" + "\n".join(empty)

    # The feed stops: no input for the (shortened) window, the rule fires, and Alertmanager pages.
    feed.join(timeout=FEED_S + 30)
    assert not feed.is_alive()

    def firing() -> list[dict[str, Any]]:
        alerts = prometheus.api("alerts")["alerts"]
        return [a for a in alerts if a["labels"]["alertname"] == "PantauNoInput" and a["state"] == "firing"]

    assert wait_for(firing, 90), prometheus.api("alerts")

    # All read and committed by now (detect at its checkpoint): the lag read from the group drains to 0.
    def lag() -> dict[str, float]:
        result = prometheus.query("sum by (step) (pantau_consumer_lag_messages)")
        return {r["metric"]["step"]: float(r["value"][1]) for r in result}

    assert wait_for(
        lambda: (found := lag()) and set(found) >= {"normalise", "detect"} and not any(found.values()), 60
    ), lag()
    alert = firing()[0]
    assert alert["labels"]["severity"] == "critical" and alert["labels"]["job"] == "pantau"
    assert alert["annotations"]["runbook_url"] == "deploy/RUNBOOK.md#pantaunoinput"

    def paged_names() -> set[str]:
        return {a["labels"]["alertname"] for r in paged.accepted for a in r.json()["alerts"]}

    assert wait_for(lambda: "PantauNoInput" in paged_names(), 60), [r.json() for r in paged.accepted]
    # Nothing else paged: the worker was up, ready, checkpointing and delivering all along.
    assert paged_names() == {"PantauNoInput"}, paged_names()
