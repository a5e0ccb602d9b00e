"""Every metric a worker and the delivery service export is on the allowlist (tests/metrics_allowlist.py), with
bounded label values only; and the allowlist names nothing that is not exported."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, generate_latest

from detectors.core import STATE_VERSION
from notify.metrics import NotifyMetrics
from streams.metrics import PantauMetrics, add_process_collectors, build_info
from tests.metrics_allowlist import ALLOWLIST, family_names, problems


def _exposition() -> str:
    worker, service = CollectorRegistry(), CollectorRegistry()
    metrics = PantauMetrics.create(worker)
    add_process_collectors(worker)
    build_info(worker, "pantau", STATE_VERSION)
    metrics.consumer_lag.labels(step="normalise", partition="3").set(12)
    notify = NotifyMetrics.create(service)
    notify.initialise(["duty-webhook", "am"])
    add_process_collectors(service)
    build_info(service, "pantau")
    return generate_latest(worker).decode() + generate_latest(service).decode()


def test_every_exported_metric_is_allowlisted_and_every_allowlisted_one_is_exported() -> None:
    text = _exposition()
    assert problems(text) == []
    assert family_names(text) == set(ALLOWLIST)
    assert "_created" not in text, "no creation-time series: they double the storage and nothing reads them"


def test_ids_text_and_unknown_labels_are_caught() -> None:
    registry = CollectorRegistry()
    metrics = PantauMetrics.create(registry)
    metrics.posts_rejected.labels(step="normalise", reason="<script>alert(1)</script>").inc()
    metrics.alerts_emitted.labels(kind="raised", severity="inc-0a1b2c3d").inc()
    metrics.consumer_lag.labels(step="detect", partition="post-123").set(1)
    found = problems(generate_latest(registry).decode())
    assert any("reason='<script>alert(1)</script>'" in p for p in found), found
    assert any("severity='inc-0a1b2c3d'" in p for p in found), found
    assert any("partition='post-123'" in p for p in found), found
    assert problems("# TYPE pantau_new_thing gauge\npantau_new_thing 1\n") == ["pantau_new_thing: not on the allowlist"]


def test_known_label_values_start_at_zero() -> None:
    registry = CollectorRegistry()
    PantauMetrics.create(registry)
    for reason in ("invalid_json", "too_large", "processing_error"):
        assert registry.get_sample_value("pantau_posts_rejected_total", {"step": "normalise", "reason": reason}) == 0
    assert registry.get_sample_value("pantau_alerts_total", {"kind": "raised", "severity": "critical"}) == 0
    assert registry.get_sample_value("pantau_checkpoints_total", {"outcome": "failed"}) == 0
