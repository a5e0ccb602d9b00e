"""Backtests shared by the tests that read them, run once per session: the dev streams (``../shared``) and the
demo day as ``pantau demo --out`` writes it. Each is the list of alert records ``pantau backtest`` writes."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from demo.feed import generate
from evaluation.backtest import run_backtest
from schemas.alert import Alert
from streams.sinks import CollectingAlertSink
from tests.conftest import SHARED_DEV

DEV_STREAMS = ("pheme", "crisislex-t6")
# What `pantau demo --out FILE` writes: its defaults, on a fixed day.
DEMO_DAY_START = datetime(2026, 11, 28, tzinfo=UTC)


def shared_dev_file(name: str) -> Path:
    """A file of ``../shared/data/dev``. Missing, it skips the test on a developer's machine and fails it in CI
    (``CI=true``), where a skip would hide that the real-data checks did not run."""
    path = SHARED_DEV / name
    if not path.exists():
        message = f"{path} is not on this machine"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{message}, and CI must run the tests on real data")
        pytest.skip(message)
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open("rb") as handle:
        return [orjson.loads(line) for line in handle]


def demo_day_posts() -> Iterator[dict[str, Any]]:
    return generate(seed=7, start=DEMO_DAY_START, hours=24.0, background_per_min=20.0)


@functools.cache
def backtest(stream: str) -> tuple[Alert, ...]:
    """The alert records of ``pantau backtest`` on a dev stream (its name) or on ``"demo-day"``."""
    records = list(demo_day_posts()) if stream == "demo-day" else read_jsonl(shared_dev_file(f"{stream}.posts.jsonl"))
    sink = CollectingAlertSink()
    run_backtest(records, sink)
    return tuple(sink.alerts)


def backtest_bytes(stream: str) -> bytes:
    """The bytes of the file ``pantau backtest --out`` writes (streams.sinks.JsonlAlertSink)."""
    return b"".join(alert.to_json() + b"\n" for alert in backtest(stream))
