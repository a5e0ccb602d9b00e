from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry, generate_latest

from streams.config import SETTINGS_DOC, Settings
from streams.metrics import PantauMetrics


def test_metrics_live_on_the_given_registry_only() -> None:
    first, second = CollectorRegistry(), CollectorRegistry()
    m1 = PantauMetrics.create(first)
    PantauMetrics.create(second)  # a second container on another registry: no duplicate-name error
    m1.posts_rejected.labels(step="normalise", reason="invalid_json").inc(2)
    m1.processing_seconds.labels(step="detect").observe(0.02)
    assert first.get_sample_value("pantau_posts_rejected_total", {"step": "normalise", "reason": "invalid_json"}) == 2
    # Known label values start at 0, each on its own registry.
    assert second.get_sample_value("pantau_posts_rejected_total", {"step": "normalise", "reason": "invalid_json"}) == 0
    assert first.get_sample_value("pantau_processing_seconds_count", {"step": "detect"}) == 1
    text = generate_latest(first).decode()
    assert "# TYPE pantau_processing_seconds histogram" in text


def test_settings_from_prefixed_environment() -> None:
    settings = Settings.from_env(
        {
            "PANTAU_KAFKA_BOOTSTRAP": "k1:9092",
            "PANTAU_WEB_PORT": "7000",
            "PANTAU_CONSOLE_ALERTS": "false",
            "WEB_PORT": "1",
        }
    )
    assert settings.kafka_bootstrap == "k1:9092" and not settings.uses_embedded_broker
    assert settings.web_port == 7000 and settings.console_alerts is False
    assert Settings.from_env({}).uses_embedded_broker
    with pytest.raises(SystemExit, match="PANTAU_WEB_PORT"):
        Settings.from_env({"PANTAU_WEB_PORT": "eighty"})
    with pytest.raises(SystemExit, match="DELIVERY_TIMEOUT_S=20 is shorter than PANTAU_PRODUCER_REQUEST_TIMEOUT_S=30"):
        Settings.from_env({"PANTAU_DELIVERY_TIMEOUT_S": "20"})
    with pytest.raises(SystemExit, match=r"PANTAU_IDLE_FLUSH_S=0: must be 0\.1 or more"):
        Settings.from_env({"PANTAU_IDLE_FLUSH_S": "0"})


def test_every_setting_is_documented_in_the_readme() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    fields = set(Settings.__dataclass_fields__)
    assert fields == set(SETTINGS_DOC)
    for name in fields:
        assert f"`PANTAU_{name.upper()}`" in readme, name


def test_deploy_env_example_lists_every_setting() -> None:
    from pathlib import Path

    example = (Path(__file__).resolve().parents[2] / "deploy" / "pantau.env.example").read_text()
    for name in Settings.__dataclass_fields__:
        assert f"PANTAU_{name.upper()}=" in example, name
