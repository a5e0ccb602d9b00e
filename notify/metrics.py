"""The delivery service's metrics, in one container on a given registry (tests pass a fresh one).

``channel`` is a channel's configured name and ``outcome`` a fixed set: both bounded, never an id or text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

OUTCOMES = ("delivered", "dead_lettered", "duplicate", "filtered")
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


@dataclass(frozen=True)
class NotifyMetrics:
    records: Counter
    deliveries: Counter
    retries: Counter
    deadletters: Counter
    delivery_seconds: Histogram
    record_to_delivery_seconds: Histogram
    queued: Gauge
    undecodable: Counter
    deadletter_topic_messages: Gauge

    @classmethod
    def create(cls, registry: CollectorRegistry, prefix: str = "pantau") -> NotifyMetrics:
        return cls(
            records=Counter(f"{prefix}_notify_records", "Alert records read from the alerts topic.", registry=registry),
            deliveries=Counter(
                f"{prefix}_deliveries",
                "Alert records handled per channel, by outcome: delivered, dead_lettered (after the deadline or "
                "refused for good), duplicate (delivered before a restart), filtered (not routed to it).",
                ["channel", "outcome"],
                registry=registry,
            ),
            retries=Counter(f"{prefix}_delivery_retries", "Delivery attempts retried.", ["channel"], registry=registry),
            deadletters=Counter(
                f"{prefix}_delivery_deadletters",
                "Records written to the delivery dead-letter topic.",
                ["channel"],
                registry=registry,
            ),
            delivery_seconds=Histogram(
                f"{prefix}_delivery_seconds",
                "Wall time from the first attempt to a successful delivery, retries included.",
                ["channel"],
                buckets=_BUCKETS,
                registry=registry,
            ),
            record_to_delivery_seconds=Histogram(
                f"{prefix}_record_to_delivery_seconds",
                "Wall time from the alert record's broker timestamp to its delivery.",
                ["channel"],
                buckets=_BUCKETS,
                registry=registry,
            ),
            queued=Gauge(f"{prefix}_delivery_queued", "Records waiting for a channel.", ["channel"], registry=registry),
            undecodable=Counter(
                f"{prefix}_notify_undecodable_records",
                "Records on the alerts topic that are no alert record (dead-lettered for every channel).",
                registry=registry,
            ),
            deadletter_topic_messages=Gauge(
                f"{prefix}_delivery_deadletter_topic_messages",
                "Messages on the delivery dead-letter topic (end minus start offsets, all partitions): above 0, "
                "records wait for an operator. On Tansu the end offset is the last batch's start, so the count "
                "can be low, but it is above 0 whenever the topic holds a record.",
                registry=registry,
            ),
        )

    def initialise(self, channels: Iterable[str]) -> None:
        """Every channel's series at 0 from the start: a panel or a rule sees them before the first record."""
        for channel in channels:
            for outcome in OUTCOMES:
                self.deliveries.labels(channel=channel, outcome=outcome)
            self.retries.labels(channel=channel)
            self.deadletters.labels(channel=channel)
            self.delivery_seconds.labels(channel=channel)
            self.record_to_delivery_seconds.labels(channel=channel)
            self.queued.labels(channel=channel).set(0)
