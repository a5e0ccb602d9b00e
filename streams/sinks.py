"""Where alert records go besides the alerts topic: the one sink protocol, :class:`AlertSink`, and its sinks.

A sink takes records with ``add(alert)`` and makes them durable (or visible) with ``flush()``; a failed flush
raises, so the caller does not count as written what was not. The worker, ``pantau backtest``, ``pantau eval``
and ``pantau replay`` all write through it. (The delivery service's channels are another matter: they deliver
to officers' tools, asynchronously, with retries and a ledger; see ``notify``.)"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from schemas.alert import Alert
from schemas.post import format_ts
from streams.logs import escape

if TYPE_CHECKING:  # kafka-python only where a shadow topic is written: the backtest imports this module too
    from kafka import KafkaProducer

_KIND_MARK = {"raised": "ALERT", "updated": "UPDATE", "resolved": "RESOLVED"}
_SEVERITY_COLOUR = {"critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m"}


class AlertSink(Protocol):
    def add(self, alert: Alert) -> None:
        """Take one record, in emission order."""

    def flush(self) -> None:
        """Make what was added durable or visible; raise if any of it could not be."""


class CollectingAlertSink:
    """Records kept in memory, in emission order (``alerts``), and written as JSON lines to ``path`` if given:
    what ``pantau eval`` scores, and what tests read."""

    def __init__(self, path: Path | None = None) -> None:
        self.alerts: list[Alert] = []
        self._file = path.open("wb") if path is not None else None

    def add(self, alert: Alert) -> None:
        self.alerts.append(alert)
        if self._file is not None:
            self._file.write(alert.to_json() + b"\n")

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


class ConsoleAlertSink:
    """Readable alerts for the duty officer's terminal: one headline line, then why and what."""

    def __init__(self, stream: IO[str] | None = None, colour: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self.colour = self.stream.isatty() if colour is None else colour

    def add(self, alert: Alert) -> None:
        """Print one record. The colour codes are ours; what quotes posts (title, reason, samples) is escaped,
        so no post can move the cursor or recolour the officer's terminal."""
        mark = _KIND_MARK.get(alert.kind, alert.kind.upper())
        start, end = (_SEVERITY_COLOUR.get(alert.severity, ""), "\033[0m") if self.colour else ("", "")
        lines = [
            f"{start}[{mark} {alert.severity.upper()}] {escape(alert.title)}{end}",
            f"    incident {alert.incident_id} #{alert.seq} at {format_ts(alert.at)} (first post "
            f"{format_ts(alert.first_seen)}) · type {alert.type_code} {alert.type_label} · "
            f"confidence {alert.confidence:.2f}",
            f"    {alert.n_posts} posts, {alert.n_news} news, {alert.n_sources} sources · countries "
            f"{', '.join(alert.countries) or '-'} · languages {', '.join(alert.languages) or '-'}",
            f"    why: {escape(alert.reason)}",
        ]
        if alert.kind == "raised":
            lines.extend(f"    > {escape(' '.join(s.text.split())[:140])}" for s in alert.samples[:2])
        self.stream.write("\n".join(lines) + "\n")

    def flush(self) -> None:
        self.stream.flush()


class JsonlAlertSink:
    """Alert records as JSON lines, in emission order: the backtest's output."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = path.open("wb")

    def add(self, alert: Alert) -> None:
        self._file.write(alert.to_json() + b"\n")

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()


class KafkaTopicAlertSink:
    """Alert records to a topic, keyed by incident (its records stay in order on one partition): a replay's
    shadow topic. ``flush()`` waits for every record the broker has not acknowledged and raises on the first
    that failed, so a replay never reports records it did not write."""

    def __init__(self, producer: KafkaProducer, topic: str) -> None:
        self.producer = producer
        self.topic = topic
        self._pending: list[Any] = []

    def add(self, alert: Alert) -> None:
        self._pending.append(self.producer.send(self.topic, alert.to_json(), key=alert.incident_id.encode()))

    def flush(self) -> None:
        self.producer.flush()
        pending, self._pending = self._pending, []
        for future in pending:
            future.get(timeout=0)  # raises the send's error

    def close(self) -> None:
        self.producer.close()
