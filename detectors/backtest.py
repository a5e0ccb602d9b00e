"""The backtest: the detection core over a file of posts, on their own time, with no broker.

It validates each post exactly as the service does, so a file and a topic give the same alerts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from detectors.core import DetectionCore
from schemas.alert import Alert
from schemas.errors import InvalidMessage
from schemas.post import post_from_obj


class _Sink(Protocol):
    def add(self, alert: Alert) -> None: ...

    def flush(self) -> None: ...


@dataclass
class BacktestStats:
    posts: int = 0
    rejected: int = 0
    alerts: int = 0
    incidents: int = 0


def run_backtest(
    records: Iterable[dict[str, Any]],
    sink: _Sink,
    core: DetectionCore | None = None,
    chunk: int = 1000,
    on_progress: Callable[[int], None] | None = None,
) -> BacktestStats:
    core = core if core is not None else DetectionCore()
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
            pending.append(post_from_obj(record))
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
