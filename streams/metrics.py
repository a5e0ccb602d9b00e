"""All Prometheus metrics of a worker, in one container built on a given registry.

Nothing registers on the global registry at import time: the worker builds one ``PantauMetrics`` on its
registry, and each test builds its own on a fresh ``CollectorRegistry``. Label values are bounded sets
(step names, reject reasons, alert kinds, severities), never ids or text.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Post-to-alert and per-message processing latencies: from milliseconds to minutes.
LATENCY_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)


@dataclass(frozen=True)
class PantauMetrics:
    registry: CollectorRegistry
    messages_consumed: Counter
    posts_consumed: Counter
    posts_rejected: Counter
    alerts_emitted: Counter
    incidents_active: Gauge
    processing_seconds: Histogram
    event_lag_seconds: Gauge
    step_errors: Counter
    feedback_applied: Counter
    redelivered: Counter
    late_posts: Counter
    suppressed_incidents: Counter
    buffered_posts: Gauge
    alerts_suppressed: Counter
    checkpoint_seconds: Histogram
    alert_send_failures: Counter
    ready: Gauge

    @classmethod
    def create(cls, registry: CollectorRegistry, prefix: str = "pantau") -> PantauMetrics:
        def name(n: str) -> str:
            return f"{prefix}_{n}"

        return cls(
            registry=registry,
            messages_consumed=Counter(
                name("messages_consumed"), "Kafka messages read from the posts topic.", ["step"], registry=registry
            ),
            posts_consumed=Counter(
                name("posts_consumed"), "Posts accepted after validation.", ["step"], registry=registry
            ),
            posts_rejected=Counter(
                name("posts_rejected"),
                "Posts or messages rejected and sent to the dead-letter topic.",
                ["step", "reason"],
                registry=registry,
            ),
            alerts_emitted=Counter(
                name("alerts"), "Alert records written, by kind and severity.", ["kind", "severity"], registry=registry
            ),
            incidents_active=Gauge(
                name("incidents_active"), "Incidents currently open in this worker.", registry=registry
            ),
            processing_seconds=Histogram(
                name("processing_seconds"),
                "Wall time from a message's broker timestamp to the end of its processing.",
                ["step"],
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            event_lag_seconds=Gauge(
                name("event_time_lag_seconds"),
                "Wall clock minus the newest post time seen: how far behind real time the stream is.",
                registry=registry,
            ),
            step_errors=Counter(
                name("step_errors"),
                "Unexpected errors caught in a step (the message went to dead letters).",
                ["step"],
                registry=registry,
            ),
            feedback_applied=Counter(
                name("feedback_applied"),
                "Officers' feedback records applied by the detect step, by label.",
                ["label"],
                registry=registry,
            ),
            redelivered=Counter(
                name("redelivered"),
                "Input messages skipped because the detection state already holds them (replays after a crash).",
                ["step"],
                registry=registry,
            ),
            late_posts=Counter(
                name("late_posts"),
                "Posts that arrived more than PANTAU_LATE_AFTER_S behind the event time detection had released "
                "(processed on arrival, out of order).",
                registry=registry,
            ),
            suppressed_incidents=Counter(
                name("suppressed_incidents"),
                "Incidents not raised because officers labelled enough similar ones not relevant.",
                registry=registry,
            ),
            buffered_posts=Gauge(
                name("buffered_posts"),
                "Posts held until every posts partition has passed their event-time tick.",
                registry=registry,
            ),
            alerts_suppressed=Counter(
                name("alerts_suppressed"),
                "Alert records not sent again after a restore: they had left before the crash.",
                registry=registry,
            ),
            checkpoint_seconds=Histogram(
                name("checkpoint_seconds"),
                "Wall time to write one detection checkpoint.",
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            alert_send_failures=Counter(
                name("alert_send_failures"),
                "Alert record sends that failed, by what the read-back of the topic found: "
                "written (only the answer was lost) or missing (sent again).",
                ["outcome"],
                registry=registry,
            ),
            ready=Gauge(name("ready"), "1 when the worker is ready to process posts.", registry=registry),
        )
