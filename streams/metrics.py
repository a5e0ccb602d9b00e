"""All Prometheus metrics of a worker, in one container built on a given registry.

Nothing registers on the global registry at import time: the worker builds one ``PantauMetrics`` on its
registry, and each test builds its own on a fresh ``CollectorRegistry``. Names follow Prometheus conventions
(base units, ``_total`` for counters). Label values are bounded sets (step names, reject reasons, alert kinds,
severities, partitions), never ids or text, and every value known in advance is exported from the start at 0:
a panel or a rule sees the series before the first event, and ``rate()`` sees the first one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from schemas.alert import ALERT_KINDS, SEVERITIES
from schemas.errors import RejectReason
from schemas.feedback import FEEDBACK_LABELS

# Each step's stable name: its agent's name, its log name and its metric label.
STEP_NORMALISE = "normalise"  # reads the posts topic
STEP_DETECT = "detect"  # reads the internal normalised topic
STEP_FEEDBACK = "feedback"  # reads the feedback topic (in the detect agent)
STEPS = (STEP_NORMALISE, STEP_DETECT, STEP_FEEDBACK)
# Where a step can reject input: what is malformed as a post, and what is malformed as a label.
_REJECTING_STEPS = (STEP_NORMALISE, STEP_DETECT, STEP_FEEDBACK)
SEND_FAILURE_OUTCOMES = ("written", "missing")

# Post-to-alert and per-message processing latencies: from milliseconds to minutes.
LATENCY_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
# Post to alert: a story needs several posts, minutes apart; what matters is whether it is seconds or hours.
POST_TO_ALERT_BUCKETS = (0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)
CHECKPOINT_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)


def package_version() -> str:
    try:
        return metadata.version("pantau")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def add_process_collectors(registry: CollectorRegistry) -> None:
    """The process's RSS, CPU and open files, Python's GC and version, on this registry. (The global registry
    has them from prometheus_client's import; ours is a registry of its own.)

    Also drops the ``_created`` series of every counter and histogram from this process's exposition: a
    timestamp per series, which doubles what Prometheus stores and which no panel or rule here reads.
    """
    disable_created_metrics()
    ProcessCollector(registry=registry)
    GCCollector(registry=registry)
    PlatformCollector(registry=registry)


def build_info(
    registry: CollectorRegistry, app_id: str, state_version: int | None = None, prefix: str = "pantau"
) -> Gauge:
    """``<prefix>_build_info{version,state_version,app_id} 1``: what runs where, and the dashboard's variables.
    A process that holds no detection state (the delivery service) has no ``state_version``."""
    info = Gauge(
        f"{prefix}_build_info",
        "Always 1: the build (package version, detection state version) and the service (app id) of this process.",
        ["version", "state_version", "app_id"],
        registry=registry,
    )
    state = "" if state_version is None else str(state_version)
    info.labels(version=package_version(), state_version=state, app_id=app_id).set(1)
    return info


@dataclass(frozen=True)
class PantauMetrics:
    registry: CollectorRegistry
    messages_consumed: Counter
    posts_consumed: Counter
    posts_rejected: Counter
    alerts_emitted: Counter
    incidents_active: Gauge
    incident_candidates: Gauge
    processing_seconds: Histogram
    post_to_alert_seconds: Histogram
    event_lag_seconds: Gauge
    consumer_lag: Gauge
    step_errors: Counter
    feedback_applied: Counter
    redelivered: Counter
    late_posts: Counter
    suppressed_incidents: Counter
    buffered_posts: Gauge
    alerts_suppressed: Counter
    checkpoint_seconds: Histogram
    checkpoint_bytes: Gauge
    checkpoint_age_seconds: Gauge
    checkpoints: Counter
    alert_send_failures: Counter
    ready: Gauge

    @classmethod
    def create(cls, registry: CollectorRegistry, prefix: str = "pantau") -> PantauMetrics:
        def name(n: str) -> str:
            return f"{prefix}_{n}"

        metrics = cls(
            registry=registry,
            messages_consumed=Counter(
                name("messages_consumed"),
                "Kafka messages read by each step from its input topic: normalise from the posts topic, detect "
                "from the internal normalised topic, feedback from the feedback topic.",
                ["step"],
                registry=registry,
            ),
            posts_consumed=Counter(
                name("posts_consumed"),
                "Posts accepted after validation: by normalise from the posts topic, by detect from the "
                "normalised topic.",
                ["step"],
                registry=registry,
            ),
            posts_rejected=Counter(
                name("posts_rejected"),
                "Posts, labels or messages rejected and sent to the dead-letter topic, by step and reason.",
                ["step", "reason"],
                registry=registry,
            ),
            alerts_emitted=Counter(
                name("alerts"), "Alert records written, by kind and severity.", ["kind", "severity"], registry=registry
            ),
            incidents_active=Gauge(
                name("incidents_active"),
                "Incidents raised and not yet resolved, in the detection state this worker holds.",
                registry=registry,
            ),
            incident_candidates=Gauge(
                name("incident_candidates"),
                "Stories followed but not raised (yet), in the detection state this worker holds.",
                registry=registry,
            ),
            processing_seconds=Histogram(
                name("processing_seconds"),
                "Wall time from a message's broker timestamp to the end of its processing, by step.",
                ["step"],
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            post_to_alert_seconds=Histogram(
                name("post_to_alert_seconds"),
                "Wall time from the broker timestamp of the newest posts message an alert record's release took "
                "in, to the record written, for raised and updated records.",
                ["kind"],
                buckets=POST_TO_ALERT_BUCKETS,
                registry=registry,
            ),
            event_lag_seconds=Gauge(
                name("event_time_lag_seconds"),
                "Wall clock minus the newest post time this worker's detection has seen: how far behind real time "
                "the stream is (it grows while no post arrives).",
                registry=registry,
            ),
            consumer_lag=Gauge(
                name("consumer_lag_messages"),
                "Messages on each partition this worker reads that its consumer group has not committed: the "
                "partition's high watermark minus the group's committed offset (detect commits at checkpoints).",
                ["step", "partition"],
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
                "Wall time to snapshot and write one detection checkpoint (fsync included).",
                buckets=CHECKPOINT_BUCKETS,
                registry=registry,
            ),
            checkpoint_bytes=Gauge(
                name("checkpoint_bytes"), "Size of the last detection checkpoint written.", registry=registry
            ),
            checkpoint_age_seconds=Gauge(
                name("checkpoint_age_seconds"),
                "While applied input waits for a checkpoint: seconds since the detection state was last written "
                "(or taken up). 0 when every input applied is held by a checkpoint; NaN on a worker that does not "
                "hold the detection state.",
                registry=registry,
            ),
            checkpoints=Counter(
                name("checkpoints"),
                "Detection checkpoint writes, by outcome (ok, failed: the previous checkpoint stays).",
                ["outcome"],
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
        metrics._initialise()
        return metrics

    def _initialise(self) -> None:
        """Every label value known in advance, at 0 (see the module docstring)."""
        for step in STEPS:
            self.messages_consumed.labels(step=step)
            self.step_errors.labels(step=step)
            self.redelivered.labels(step=step)
        for step in (STEP_NORMALISE, STEP_DETECT):
            self.posts_consumed.labels(step=step)
            self.processing_seconds.labels(step=step)
        for step in _REJECTING_STEPS:
            for reason in RejectReason:
                self.posts_rejected.labels(step=step, reason=reason.value)
        for kind in ALERT_KINDS:
            for severity in SEVERITIES:
                self.alerts_emitted.labels(kind=kind, severity=severity)
        for kind in ("raised", "updated"):
            self.post_to_alert_seconds.labels(kind=kind)
        for label in FEEDBACK_LABELS:
            self.feedback_applied.labels(label=label)
        for outcome in ("ok", "failed"):
            self.checkpoints.labels(outcome=outcome)
        for outcome in SEND_FAILURE_OUTCOMES:
            self.alert_send_failures.labels(outcome=outcome)
        self.checkpoint_age_seconds.set(math.nan)
        self.event_lag_seconds.set(math.nan)

    def observe_at_scrape(self, gauge: Gauge, value: Callable[[], float]) -> None:
        """Compute ``gauge`` when scraped (from state the event loop owns: scrapes run on that loop)."""
        gauge.set_function(value)
