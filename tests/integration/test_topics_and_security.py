"""At start, against the embedded broker: the worker creates the service's topics with the configured
partitions, and a worker asked for TLS it cannot have stops with the reason instead of connecting in plaintext."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from kafka import KafkaAdminClient

from streams.broker import EmbeddedBroker
from streams.config import Settings
from streams.topics import ensure_topics, service_topics
from tests.conftest import ROOT


def test_the_service_topics_are_created_once_with_their_partitions(broker: EmbeddedBroker) -> None:
    tag = uuid.uuid4().hex[:8]
    settings = Settings(
        kafka_bootstrap=broker.bootstrap,
        posts_topic=f"posts-{tag}",
        alerts_topic=f"alerts-{tag}",
        deadletter_topic=f"deadletter-{tag}",
        feedback_topic=f"feedback-{tag}",
        delivery_deadletter_topic=f"delivery-dl-{tag}",
        topic_partitions=3,
    )
    created = ensure_topics(settings)
    assert sorted(created) == sorted(t.name for t in service_topics(settings))
    assert ensure_topics(settings) == [], "a second start leaves them as they are"
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:
        described = {t["name"]: len(t["partitions"]) for t in admin.describe_topics(created)}
    finally:
        admin.close()
    assert described == {
        f"posts-{tag}": 3,
        f"alerts-{tag}": 3,
        f"deadletter-{tag}": 3,
        f"feedback-{tag}": 1,
        f"delivery-dl-{tag}": 3,
    }


def test_a_worker_asked_for_tls_without_its_ca_stops_and_says_why(broker: EmbeddedBroker, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PANTAU_KAFKA_BOOTSTRAP": broker.bootstrap,
        "PANTAU_KAFKA_SECURITY_PROTOCOL": "SSL",
        "PANTAU_KAFKA_SSL_CAFILE": str(tmp_path / "missing-ca.pem"),
        "PANTAU_STATE_DIR": str(tmp_path / "state"),
        "PANTAU_DATA_DIR": str(tmp_path / "data"),
    }
    for command in ("worker", "notify"):
        run = subprocess.run(
            [sys.executable, "-m", "streams.cli", command],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        output = run.stdout + run.stderr
        assert run.returncode != 0, output
        assert "PANTAU_KAFKA_SSL_CAFILE" in output and "no such file" in output, output
        assert "Traceback" not in output, output
