"""One sink protocol (streams.sinks.AlertSink): every sink the service and the tools write through follows it, and
the backtest runs without kafka-python (the sinks module imports it only for type checking)."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from streams import sinks
from tests.backtests import backtest
from tests.conftest import ROOT


@pytest.mark.parametrize(
    "sink", [sinks.ConsoleAlertSink, sinks.JsonlAlertSink, sinks.CollectingAlertSink, sinks.KafkaTopicAlertSink]
)
def test_every_sink_has_the_protocol_s_methods(sink: type) -> None:
    for name in ("add", "flush"):
        method = getattr(sink, name)
        assert list(inspect.signature(method).parameters) == list(
            inspect.signature(getattr(sinks.AlertSink, name)).parameters
        )


def test_the_collecting_sink_keeps_and_writes_the_records_in_order(tmp_path: Path) -> None:
    records = backtest("demo-day")[:5]
    sink = sinks.CollectingAlertSink(tmp_path / "alerts.jsonl")
    for alert in records:
        sink.add(alert)
    sink.flush()
    sink.close()
    assert sink.alerts == list(records)
    assert (tmp_path / "alerts.jsonl").read_bytes() == b"".join(a.to_json() + b"\n" for a in records)


def test_the_backtest_and_its_sinks_do_without_kafka_python() -> None:
    probe = "import sys, evaluation.backtest, streams.sinks; print('kafka' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False", result.stderr
