"""The alert record: one incident, raised once, updated as it grows and resolved when it fades.

``incident_id`` is stable for the life of the incident and derived from its first evidence, so a replay of
the same input gives the same ids, and a downstream consumer can drop duplicates by ``(incident_id, seq)``.

>>> alert = Alert(incident_id="inc-1a2b", seq=0, kind="raised", at=0.0, first_seen=0.0, title="t",
...               type_code="11", type_label="disapprove", severity="high", confidence=0.9)
>>> Alert.from_json(alert.to_json()) == alert
True

Where officers' labels of similar incidents moved its rank, the record says how (and only then):

>>> from dataclasses import replace
>>> ranked = replace(alert, confidence=0.62, feedback=FeedbackEffect(net=-0.413, similar=("inc-9f8e",)))
>>> ranked.to_dict()["feedback"], "feedback" in alert.to_dict()
({'net': -0.413, 'similar': ['inc-9f8e']}, False)
>>> Alert.from_json(ranked.to_json()) == ranked
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from schemas.post import format_ts, parse_ts

ALERT_SCHEMA_VERSION = 1
ALERT_KINDS = ("raised", "updated", "resolved")
SEVERITIES = ("low", "medium", "high", "critical")
MAX_POST_IDS = 5000


@dataclass(frozen=True, slots=True)
class TermScore:
    term: str
    score: float


@dataclass(frozen=True, slots=True)
class SamplePost:
    id: str
    ts: float
    text: str
    source: str | None
    source_kind: str
    lang: str | None


@dataclass(frozen=True, slots=True)
class FeedbackEffect:
    """How officers' labels of similar incidents moved an incident's rank (``detectors.labels``)."""

    net: float  # net label weight: above 0 like incidents labelled relevant, below 0 like those labelled not
    similar: tuple[str, ...] = ()  # the most similar labelled incidents, most similar first


@dataclass(frozen=True, slots=True)
class Alert:
    incident_id: str
    seq: int  # 0 for "raised", then 1, 2, ... for each update and the resolution
    kind: str  # one of ALERT_KINDS
    at: float  # event time the record was emitted, epoch seconds
    first_seen: float  # event time of the incident's first member post
    title: str
    type_code: str  # CAMEO code, or CONSULAR / OTHER
    type_label: str
    severity: str  # one of SEVERITIES
    confidence: float  # 0..1
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    terms: tuple[TermScore, ...] = ()
    n_posts: int = 0
    n_news: int = 0
    n_sources: int = 0
    samples: tuple[SamplePost, ...] = ()
    post_ids: tuple[str, ...] = field(default_factory=tuple)
    reason: str = ""  # why it was raised, in one readable line
    # Set only where labels of similar incidents moved the confidence; absent from the record otherwise, so
    # records without labels stay byte for byte what they were.
    feedback: FeedbackEffect | None = None

    @property
    def dedup_key(self) -> str:
        return f"{self.incident_id}:{self.seq}"

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "schema_version": ALERT_SCHEMA_VERSION,
            "incident_id": self.incident_id,
            "seq": self.seq,
            "kind": self.kind,
            "at": format_ts(self.at),
            "first_seen": format_ts(self.first_seen),
            "title": self.title,
            "type": {"code": self.type_code, "label": self.type_label},
            "severity": self.severity,
            "confidence": round(self.confidence, 4),
            "countries": list(self.countries),
            "languages": list(self.languages),
            "terms": [{"term": t.term, "score": round(t.score, 3)} for t in self.terms],
            "counts": {"posts": self.n_posts, "news": self.n_news, "sources": self.n_sources},
            "samples": [
                {
                    "id": s.id,
                    "ts": format_ts(s.ts),
                    "text": s.text,
                    "source": s.source,
                    "source_kind": s.source_kind,
                    "lang": s.lang,
                }
                for s in self.samples
            ],
            "post_ids": list(self.post_ids[:MAX_POST_IDS]),
            "reason": self.reason,
        }
        if self.feedback is not None:
            record["feedback"] = {"net": round(self.feedback.net, 3), "similar": list(self.feedback.similar)}
        return record

    def to_json(self) -> bytes:
        # Sorted keys: the same alert always gives the same bytes, which replays and backtests compare.
        return orjson.dumps(self.to_dict(), option=orjson.OPT_SORT_KEYS)

    @classmethod
    def from_dict(cls, obj: dict[str, Any]) -> Alert:
        return cls(
            incident_id=obj["incident_id"],
            seq=obj["seq"],
            kind=obj["kind"],
            at=parse_ts(obj["at"]),
            first_seen=parse_ts(obj["first_seen"]),
            title=obj["title"],
            type_code=obj["type"]["code"],
            type_label=obj["type"]["label"],
            severity=obj["severity"],
            confidence=obj["confidence"],
            countries=tuple(obj["countries"]),
            languages=tuple(obj["languages"]),
            terms=tuple(TermScore(t["term"], t["score"]) for t in obj["terms"]),
            n_posts=obj["counts"]["posts"],
            n_news=obj["counts"]["news"],
            n_sources=obj["counts"]["sources"],
            samples=tuple(
                SamplePost(s["id"], parse_ts(s["ts"]), s["text"], s["source"], s["source_kind"], s["lang"])
                for s in obj["samples"]
            ),
            post_ids=tuple(obj["post_ids"]),
            reason=obj.get("reason", ""),
            feedback=_feedback(obj.get("feedback")),
        )

    @classmethod
    def from_json(cls, raw: bytes) -> Alert:
        return cls.from_dict(orjson.loads(raw))


def _feedback(obj: dict[str, Any] | None) -> FeedbackEffect | None:
    if obj is None:
        return None
    return FeedbackEffect(net=obj["net"], similar=tuple(obj.get("similar", ())))
