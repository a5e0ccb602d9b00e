"""Scoring an alert log against labelled events, as ``../shared/data/README.md`` describes.

- An incident's members are the post ids its alert records carry (their union).
- An incident is a hit when at least half of its members belong to one real event, else a false alarm.
- Events with fewer than ``min_event_posts`` posts are not demanded; an incident on one counts neither way.
- Recall: share of demanded events with a hit. Precision: share of counted incidents that are hits.
- Duplicate rate: extra hits on an already found event, over the number of hits.
- Latency: the first hit's ``raised`` time (event time) minus the event's ``onset_ts``.
- TDT detection cost: ``C_miss*P_miss*P_target + C_fa*P_fa*(1-P_target)``, normalised by the cost of the
  better trivial system, with ``P_miss = 1 - recall`` and ``P_fa = 1 - precision``.

>>> alerts = [{"incident_id": "a", "kind": "raised", "at": "2026-01-01T00:10:00Z", "post_ids": ["1", "2"]}]
>>> truth = {"1": "quake", "2": "quake"}
>>> events = [{"event_id": "quake", "onset_ts": "2026-01-01T00:00:00Z", "n_posts": 40}]
>>> report = score(alerts, truth, events)
>>> report["recall"], report["precision"], report["latency_median_s"]
(1.0, 1.0, 600.0)
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from schemas.post import parse_ts

C_MISS, C_FA, P_TARGET = 1.0, 0.1, 0.02


def score(
    alerts: Iterable[Mapping[str, Any]],
    truth: Mapping[str, str | None],
    events: Iterable[Mapping[str, Any]],
    min_event_posts: int = 20,
) -> dict[str, Any]:
    """Score alert records (dicts as written by the backtest) against post labels and events."""
    members: dict[str, set[str]] = {}
    raised_at: dict[str, float] = {}
    for alert in alerts:
        incident = alert["incident_id"]
        members.setdefault(incident, set()).update(alert["post_ids"])
        if alert["kind"] == "raised" or incident not in raised_at:
            raised_at.setdefault(incident, parse_ts(alert["at"]))
    event_list = list(events)
    demanded = {e["event_id"] for e in event_list if e["n_posts"] >= min_event_posts}
    onset = {e["event_id"]: parse_ts(e["onset_ts"]) for e in event_list}

    incidents: list[dict[str, Any]] = []
    hits_by_event: dict[str, list[str]] = {}
    false_alarms = 0
    for incident, ids in sorted(members.items(), key=lambda kv: (raised_at[kv[0]], kv[0])):
        votes = Counter(truth.get(pid) for pid in ids)
        top, top_n = max(
            ((e, n) for e, n in votes.items() if e is not None), key=lambda x: (x[1], x[0]), default=(None, 0)
        )
        verdict = "false_alarm"
        if top is not None and top_n * 2 >= len(ids):
            verdict = "hit" if top in demanded else "not_demanded"
        if verdict == "hit":
            hits_by_event.setdefault(top, []).append(incident)  # type: ignore[arg-type]
        elif verdict == "false_alarm":
            false_alarms += 1
        incidents.append(
            {
                "incident_id": incident,
                "raised": raised_at[incident],
                "members": len(ids),
                "event_id": top if verdict != "false_alarm" else None,
                "verdict": verdict,
            }
        )

    hits = sum(len(v) for v in hits_by_event.values())
    found = set(hits_by_event)
    latencies = {e: raised_at[hits_by_event[e][0]] - onset[e] for e in sorted(found)}
    recall = len(found & demanded) / len(demanded) if demanded else 0.0
    counted = hits + false_alarms
    precision = hits / counted if counted else 0.0
    duplicate_rate = (hits - len(found)) / hits if hits else 0.0
    cost = C_MISS * (1 - recall) * P_TARGET + C_FA * (1 - precision if counted else 0.0) * (1 - P_TARGET)
    lat = sorted(latencies.values())
    return {
        "events_demanded": len(demanded),
        "events_found": len(found & demanded),
        "incidents": len(incidents),
        "hits": hits,
        "false_alarms": false_alarms,
        "recall": round(recall, 4),
        "precision": round(precision, 4),
        "duplicate_rate": round(duplicate_rate, 4),
        "latency_median_s": round(statistics.median(lat), 1) if lat else None,
        "latency_p90_s": round(_quantile(lat, 0.9), 1) if lat else None,
        "tdt_cost_norm": round(cost / min(C_MISS * P_TARGET, C_FA * (1 - P_TARGET)), 4),
        "latency_by_event_s": {e: round(v, 1) for e, v in latencies.items()},
        "missed_events": sorted(demanded - found),
        "incident_verdicts": incidents,
    }


def _quantile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolation quantile (numpy's default), without numpy."""
    if len(sorted_values) == 1:
        return sorted_values[0]
    pos = q * (len(sorted_values) - 1)
    low = int(pos)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (pos - low)
