"""Every metric Pantau exports, with the labels it may carry and the values each may take: bounded sets only.

No post text, id, author or incident id can ever be a label value: a value that is not listed here (or does not
match its pattern, for the few open-ended but bounded ones: partitions, channel names from the operator's
config) fails the check. ``problems(text)`` checks a ``/metrics`` exposition: the unit test checks fresh
containers, and the integration tests the ``/metrics`` of real processes after hostile input.
"""

from __future__ import annotations

import re

from prometheus_client.parser import text_string_to_metric_families

from schemas.alert import ALERT_KINDS, SEVERITIES
from schemas.errors import RejectReason
from schemas.feedback import FEEDBACK_LABELS
from streams.metrics import STEPS

Allowed = frozenset[str] | re.Pattern[str]

_STEP = frozenset(STEPS)
_REASON = frozenset(r.value for r in RejectReason)
_KIND = frozenset(ALERT_KINDS)
_SEVERITY = frozenset(SEVERITIES)
_PARTITION = re.compile(r"[0-9]{1,4}")
# A channel's name from the operator's TOML (notify/config.py accepts letters, digits, '-', '_').
_CHANNEL = re.compile(r"[A-Za-z0-9_-]{1,64}")
_VERSION = re.compile(r"[0-9A-Za-z.+!_-]{1,40}|unknown")
_APP_ID = re.compile(r"[A-Za-z0-9._-]{1,100}")
_OUTCOME_DELIVERY = frozenset({"delivered", "dead_lettered", "duplicate", "filtered"})

# family name (as the exposition parser names it: counters without `_total`) -> label -> allowed values
ALLOWLIST: dict[str, dict[str, Allowed]] = {
    # the worker
    "pantau_messages_consumed": {"step": _STEP},
    "pantau_posts_consumed": {"step": _STEP},
    "pantau_posts_rejected": {"step": _STEP, "reason": _REASON},
    "pantau_alerts": {"kind": _KIND, "severity": _SEVERITY},
    "pantau_incidents_active": {},
    "pantau_incident_candidates": {},
    "pantau_processing_seconds": {"step": _STEP},
    "pantau_post_to_alert_seconds": {"kind": frozenset({"raised", "updated"})},
    "pantau_event_time_lag_seconds": {},
    "pantau_consumer_lag_messages": {"step": _STEP, "partition": _PARTITION},
    "pantau_step_errors": {"step": _STEP},
    "pantau_feedback_applied": {"label": frozenset(FEEDBACK_LABELS)},
    "pantau_redelivered": {"step": _STEP},
    "pantau_late_posts": {},
    "pantau_suppressed_incidents": {},
    "pantau_buffered_posts": {},
    "pantau_alerts_suppressed": {},
    "pantau_checkpoint_seconds": {},
    "pantau_checkpoint_bytes": {},
    "pantau_checkpoint_age_seconds": {},
    "pantau_checkpoints": {"outcome": frozenset({"ok", "failed"})},
    "pantau_alert_send_failures": {"outcome": frozenset({"written", "missing"})},
    "pantau_ready": {},
    "pantau_build_info": {"version": _VERSION, "state_version": re.compile(r"[0-9]{0,4}"), "app_id": _APP_ID},
    # the delivery service
    "pantau_notify_records": {},
    "pantau_notify_undecodable_records": {},
    "pantau_deliveries": {"channel": _CHANNEL, "outcome": _OUTCOME_DELIVERY},
    "pantau_delivery_retries": {"channel": _CHANNEL},
    "pantau_delivery_deadletters": {"channel": _CHANNEL},
    "pantau_delivery_seconds": {"channel": _CHANNEL},
    "pantau_record_to_delivery_seconds": {"channel": _CHANNEL},
    "pantau_delivery_queued": {"channel": _CHANNEL},
    "pantau_delivery_deadletter_topic_messages": {},
    # prometheus_client's process, GC and platform collectors
    "process_virtual_memory_bytes": {},
    "process_resident_memory_bytes": {},
    "process_start_time_seconds": {},
    "process_cpu_seconds": {},
    "process_open_fds": {},
    "process_max_fds": {},
    "python_gc_objects_collected": {"generation": frozenset({"0", "1", "2"})},
    "python_gc_objects_uncollectable": {"generation": frozenset({"0", "1", "2"})},
    "python_gc_collections": {"generation": frozenset({"0", "1", "2"})},
    "python_info": {
        "implementation": frozenset({"CPython", "PyPy"}),
        "major": re.compile(r"[0-9]"),
        "minor": re.compile(r"[0-9]{1,2}"),
        "patchlevel": re.compile(r"[0-9]{1,2}"),
        "version": re.compile(r"[0-9]\.[0-9]{1,2}\.[0-9]{1,2}"),
    },
}
_HISTOGRAM_LABELS = {"le"}


def _allows(allowed: Allowed, value: str) -> bool:
    return value in allowed if isinstance(allowed, frozenset) else allowed.fullmatch(value) is not None


def problems(exposition: str) -> list[str]:
    """What in a ``/metrics`` text is not on the allowlist: a family, a label, or a label's value."""
    found = []
    for family in text_string_to_metric_families(exposition):
        labels = ALLOWLIST.get(family.name)
        if labels is None:
            found.append(f"{family.name}: not on the allowlist")
            continue
        for sample in family.samples:
            for label, value in sample.labels.items():
                if family.type == "histogram" and label in _HISTOGRAM_LABELS:
                    continue
                allowed = labels.get(label)
                if allowed is None:
                    found.append(f"{sample.name}: label {label!r} not allowed")
                elif not _allows(allowed, value):
                    found.append(f"{sample.name}: {label}={value[:80]!r} not an allowed value")
    return sorted(set(found))


def family_names(exposition: str) -> set[str]:
    return {family.name for family in text_string_to_metric_families(exposition)}
