"""What the officers' console shows, rebuilt from the alerts and feedback topics (no Kafka here).

The topics are the source of truth: the console folds their records, in topic order, into one view per
incident. Alert records are delivered at least once, so a record is applied once per ``(incident_id, seq)``.
A label can arrive before the incident's first record is read (two topics, two positions): it waits.

>>> from schemas.alert import Alert
>>> state = ConsoleState()
>>> raised = Alert(incident_id="inc-1", seq=0, kind="raised", at=100.0, first_seen=40.0, title="Protest",
...                type_code="14", type_label="protest", severity="medium", confidence=0.7, n_posts=6)
>>> state.apply_alert(raised), state.apply_alert(raised)  # the copy of a record changes nothing
(True, False)
>>> state.apply_feedback(Feedback(label="acknowledged", incident_id="inc-1", by="duty-1", at=130.0))
True
>>> [(i.incident_id, i.state, i.acknowledged_by) for i in state.incidents()]
[('inc-1', 'acknowledged', ('duty-1',))]
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from schemas.alert import SEVERITIES, Alert
from schemas.feedback import ACKNOWLEDGED, Feedback
from schemas.post import format_ts

OPEN, ACKNOWLEDGED_STATE, RESOLVED = "open", "acknowledged", "resolved"
STATES = (OPEN, ACKNOWLEDGED_STATE, RESOLVED)
_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
# Labels held for incidents not seen yet; more than this are unlikely to be ours (another deployment's ids).
_MAX_WAITING = 10_000


@dataclass(frozen=True, slots=True)
class Judgement:
    """One officer's button press, as the feedback topic has it."""

    label: str
    by: str
    at: float | None
    comment: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "by": self.by,
            "at": None if self.at is None else format_ts(self.at),
            "comment": self.comment,
        }


@dataclass(slots=True)
class IncidentView:
    latest: Alert
    history: list[Alert] = field(default_factory=list)  # every record, in seq order
    judgements: list[Judgement] = field(default_factory=list)
    seen_seqs: set[int] = field(default_factory=set)

    @property
    def incident_id(self) -> str:
        return self.latest.incident_id

    @property
    def state(self) -> str:
        if self.latest.kind == "resolved":
            return RESOLVED
        return ACKNOWLEDGED_STATE if self.judgements else OPEN

    @property
    def acknowledged_by(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(j.by for j in self.judgements))

    @property
    def label(self) -> str | None:
        """The latest relevance label an officer gave, if any."""
        labels = [j.label for j in self.judgements if j.label != ACKNOWLEDGED]
        return labels[-1] if labels else None

    def sort_key(self) -> tuple[int, float, str]:
        # Most severe first, then the newest record; the id makes the order total (a stable list).
        return (-_SEVERITY_RANK.get(self.latest.severity, 0), -self.latest.at, self.incident_id)

    def summary(self) -> dict[str, Any]:
        a = self.latest
        return {
            "incident_id": a.incident_id,
            "title": a.title,
            "type": {"code": a.type_code, "label": a.type_label},
            "severity": a.severity,
            "confidence": a.confidence,
            "countries": list(a.countries),
            "languages": list(a.languages),
            "state": self.state,
            "label": self.label,
            "acknowledged_by": list(self.acknowledged_by),
            "first_seen": format_ts(a.first_seen),
            "updated": format_ts(a.at),
            "posts": a.n_posts,
            "seq": a.seq,
        }

    def detail(self) -> dict[str, Any]:
        a = self.latest
        # The volume timeline: posts counted at each record (the records are the incident's own checkpoints).
        timeline = [{"at": format_ts(r.at), "posts": r.n_posts} for r in self.history]
        return {
            **self.summary(),
            "reason": a.reason,
            "counts": {"posts": a.n_posts, "news": a.n_news, "sources": a.n_sources},
            "terms": [{"term": t.term, "score": round(t.score, 3)} for t in a.terms],
            "samples": a.to_dict()["samples"],
            "timeline": timeline,
            "history": [
                {
                    "seq": r.seq,
                    "kind": r.kind,
                    "at": format_ts(r.at),
                    "severity": r.severity,
                    "confidence": r.confidence,
                    "posts": r.n_posts,
                    "reason": r.reason,
                }
                for r in self.history
            ],
            "judgements": [j.to_dict() for j in self.judgements],
        }


@dataclass(frozen=True, slots=True)
class Filters:
    """The list's filters; an empty set lets everything through."""

    severities: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()

    def admit(self, view: IncidentView) -> bool:
        a = self.severities, self.types, self.countries, self.states
        latest = view.latest
        return (
            (not a[0] or latest.severity in a[0])
            and (not a[1] or latest.type_code in a[1])
            and (not a[2] or bool(a[2].intersection(latest.countries)))
            and (not a[3] or view.state in a[3])
        )


class ConsoleState:
    """Every incident the alerts topic holds, with the officers' judgements from the feedback topic.

    Args:
        max_incidents: bound on incidents kept; past it the oldest resolved ones go first, then the oldest.
    """

    def __init__(self, max_incidents: int = 5000) -> None:
        self.max_incidents = max_incidents
        self._views: OrderedDict[str, IncidentView] = OrderedDict()  # in order of their latest record
        self._waiting: OrderedDict[str, list[Judgement]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._views)

    def apply_alert(self, alert: Alert) -> bool:
        """Fold in one alert record; False for a copy already applied."""
        view = self._views.get(alert.incident_id)
        if view is None:
            view = IncidentView(latest=alert, judgements=self._waiting.pop(alert.incident_id, []))
            self._views[alert.incident_id] = view
        elif alert.seq in view.seen_seqs:
            return False
        view.seen_seqs.add(alert.seq)
        view.history.append(alert)
        view.history.sort(key=lambda r: r.seq)
        if alert.seq >= view.latest.seq:
            view.latest = alert
        self._views.move_to_end(alert.incident_id)
        self._bound()
        return True

    def apply_feedback(self, feedback: Feedback) -> bool:
        """Fold in one officer's label; False when it names no incident (an example text)."""
        if feedback.incident_id is None:
            return False
        judgement = Judgement(feedback.label, feedback.by or "unknown", feedback.at, feedback.comment)
        view = self._views.get(feedback.incident_id)
        if view is not None:
            view.judgements.append(judgement)
            return True
        self._waiting.setdefault(feedback.incident_id, []).append(judgement)
        while len(self._waiting) > _MAX_WAITING:
            self._waiting.popitem(last=False)
        return True

    def get(self, incident_id: str) -> IncidentView | None:
        return self._views.get(incident_id)

    def incidents(self, filters: Filters | None = None, limit: int | None = None) -> list[IncidentView]:
        chosen: Iterable[IncidentView] = self._views.values()
        if filters is not None:
            chosen = (v for v in chosen if filters.admit(v))
        ordered = sorted(chosen, key=IncidentView.sort_key)
        return ordered if limit is None else ordered[:limit]

    def facets(self) -> dict[str, list[str]]:
        """The values the filters can take, as the incidents have them."""
        views = self._views.values()
        return {
            "severities": list(reversed(SEVERITIES)),
            "types": sorted({v.latest.type_code for v in views}),
            "countries": sorted({c for v in views for c in v.latest.countries}),
            "states": list(STATES),
        }

    def _bound(self) -> None:
        excess = len(self._views) - self.max_incidents
        if excess <= 0:
            return
        resolved = [i for i, v in self._views.items() if v.state == RESOLVED][:excess]
        for incident_id in resolved:
            del self._views[incident_id]
        while len(self._views) > self.max_incidents:
            self._views.popitem(last=False)
