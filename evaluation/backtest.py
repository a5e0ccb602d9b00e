"""The backtest: the detection core over a file of posts, on their own time, with no broker.

It validates each post exactly as the service does, so a file and a topic give the same alerts: the same
checks, including the one wall-clock rule (no post dated more than ``max_future_s`` ahead of ``now``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from detectors.core import DetectionCore
from schemas.alert import Alert
from schemas.errors import InvalidMessage
from schemas.post import DEFAULT_MAX_FUTURE_S, admission_horizon, post_from_obj
from streams.sinks import AlertSink


@dataclass
class BacktestStats:
    posts: int = 0
    rejected: int = 0
    alerts: int = 0
    incidents: int = 0


def run_backtest(
    records: Iterable[dict[str, Any]],
    sink: AlertSink,
    core: DetectionCore | None = None,
    chunk: int = 1000,
    on_progress: Callable[[int], None] | None = None,
    max_future_s: float = DEFAULT_MAX_FUTURE_S,
    now: float | None = None,
) -> BacktestStats:
    core = core if core is not None else DetectionCore()
    # Admission only: detection itself never reads the wall clock, so a file of past posts is deterministic.
    not_after = admission_horizon(time.time() if now is None else now, max_future_s)
    stats = BacktestStats()
    incidents: set[str] = set()
    pending = []

    def emit(alerts: list[Alert]) -> None:
        for alert in alerts:
            sink.add(alert)
            stats.alerts += 1
            incidents.add(alert.incident_id)

    for record in records:
        try:
            pending.append(post_from_obj(record, not_after))
        except InvalidMessage:
            stats.rejected += 1
            continue
        stats.posts += 1
        if len(pending) >= chunk:
            emit(core.process_posts(pending))
            pending = []
            if on_progress is not None:
                on_progress(stats.posts + stats.rejected)
    emit(core.process_posts(pending))
    emit(core.flush())
    sink.flush()
    stats.incidents = len(incidents)
    return stats
