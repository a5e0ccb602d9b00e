"""Incidents, not words: co-trending keys and the posts that carry them become one incident.

An incident is born from a post that carries trending keys (a trending term pair, or two trending terms),
or from one credible news report of a severe diplomatic event. Later posts attach to it while they share its
core terms, even after those stop trending. It is raised once it has enough independent posts, updated as it
grows, and resolved when no post has joined it for ``resolve_after_s`` of event time. A resolved incident
whose terms come back within ``reopen_within_s`` is reopened under the same id, so one story is one alert.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass, field

from detectors.entities import country_name, find_countries
from detectors.lexicon import TYPES, IncidentType, classify, severe_news_trigger
from schemas.alert import MAX_POST_IDS, Alert, SamplePost, TermScore
from schemas.post import Post

OTHER = IncidentType("OTHER", "trending story", 0.0)
_MAX_SAMPLES = 3
_PROFILE_TERMS = 12


@dataclass(slots=True)
class Member:
    post: Post
    lang: str
    terms: tuple[str, ...]
    tokens: tuple[str, ...]
    duplicate: bool
    countries: tuple[str, ...] = ()
    kind: IncidentType | None = None
    kind_confidence: float = 0.0


@dataclass(slots=True)
class Incident:
    incident_id: str
    first_seen: float
    last_seen: float
    seed_keys: tuple[str, ...]
    term_counts: Counter[str] = field(default_factory=Counter)
    key_scores: dict[str, float] = field(default_factory=dict)
    post_ids: list[str] = field(default_factory=list)
    n_posts: int = 0
    n_unique: int = 0
    n_news: int = 0
    sources: set[str] = field(default_factory=set)
    langs: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)
    type_votes: Counter[str] = field(default_factory=Counter)
    samples: list[SamplePost] = field(default_factory=list)
    news_trigger: IncidentType | None = None
    raised: bool = False
    seq: int = -1
    last_emitted_posts: int = 0
    last_emitted_at: float = 0.0
    last_type: str = ""
    last_severity: str = ""

    def core_terms(self) -> list[str]:
        return [t for t, _ in self.term_counts.most_common(_PROFILE_TERMS)]


class IncidentTracker:
    """Groups trending posts into incidents and emits their alert records.

    Args:
        min_posts: independent (non-duplicate) posts an incident needs before it is raised.
        attach_min_shared: core terms a post must share with an incident to join it.
        resolve_after_s: event-time silence after which an incident is resolved.
        reopen_within_s: how long a resolved incident can come back under the same id.
        update_growth: an update is emitted when the post count has grown by this factor.
        max_active: bound on open incidents; the stalest is resolved first.
        recent_posts: posts kept to backfill an incident's earliest members when it is born.
    """

    def __init__(
        self,
        min_posts: int = 5,
        attach_min_shared: int = 2,
        resolve_after_s: float = 6 * 3600.0,
        reopen_within_s: float = 3 * 86400.0,
        update_growth: float = 2.0,
        max_active: int = 500,
        recent_posts: int = 2000,
        home_country: str = "ID",
    ) -> None:
        self.min_posts = min_posts
        self.attach_min_shared = attach_min_shared
        self.resolve_after_s = resolve_after_s
        self.reopen_within_s = reopen_within_s
        self.update_growth = update_growth
        self.max_active = max_active
        self.recent_posts = recent_posts
        self.home_country = home_country
        self.active: OrderedDict[str, Incident] = OrderedDict()
        self.resolved: OrderedDict[str, Incident] = OrderedDict()
        self._recent: deque[Member] = deque(maxlen=recent_posts)

    # -- per post --------------------------------------------------------------------------------------------

    def add(self, member: Member, trending: dict[str, float], now: float) -> list[Alert]:
        """Route one post, with its trending keys and their z-scores, to an incident; return alert records."""
        alerts = self.expire(now)
        member.countries = tuple(dict.fromkeys([*find_countries(member.tokens), *member.post.country_hints]))
        member.kind, member.kind_confidence = classify(member.tokens)
        incident = self._match(member, trending)
        if incident is None:
            incident = self._maybe_reopen(member, trending, now)
        if incident is None:
            incident = self._maybe_create(member, trending, now)
        if incident is None:
            self._recent.append(member)
            return alerts
        self._attach(incident, member, trending)
        self._recent.append(member)
        alert = self._maybe_emit(incident, now)
        if alert is not None:
            alerts.append(alert)
        return alerts

    def expire(self, now: float) -> list[Alert]:
        alerts: list[Alert] = []
        stale = [i for i in self.active.values() if now - i.last_seen >= self.resolve_after_s]
        while len(self.active) - len(stale) > self.max_active:
            oldest = min((i for i in self.active.values() if i not in stale), key=lambda i: i.last_seen)
            stale.append(oldest)
        for incident in stale:
            del self.active[incident.incident_id]
            if incident.raised:
                alerts.append(self._alert(incident, "resolved", now))
                self.resolved[incident.incident_id] = incident
        # Forget resolved incidents that can no longer reopen: bounded memory.
        for incident_id in [k for k, v in self.resolved.items() if now - v.last_seen > self.reopen_within_s]:
            del self.resolved[incident_id]
        return alerts

    # -- matching --------------------------------------------------------------------------------------------

    def _match(self, member: Member, trending: dict[str, float]) -> Incident | None:
        best: Incident | None = None
        best_shared = 0
        terms = set(member.terms)
        for incident in self.active.values():
            shared = len(terms.intersection(incident.core_terms()))
            if any(k in incident.key_scores for k in trending):
                shared += 1
            if shared < self.attach_min_shared and self._same_story(member, incident):
                # Same type of event between the same foreign countries: the same story, in any language.
                shared = self.attach_min_shared
            if shared >= self.attach_min_shared and shared > best_shared:
                best, best_shared = incident, shared
        return best

    def _same_story(self, member: Member, incident: Incident) -> bool:
        if member.kind is None or member.kind_confidence < 0.5 or member.kind.code == "OTHER":
            return False
        if _type_family(member.kind.code) != _type_family(self._type(incident).code):
            return False
        foreign = {c for c in member.countries if c != self.home_country}
        top = {c for c, _ in incident.countries.most_common(3) if c != self.home_country}
        return bool(foreign & top)

    def _maybe_reopen(self, member: Member, trending: dict[str, float], now: float) -> Incident | None:
        if not trending:
            return None
        terms = set(member.terms)
        for incident_id, incident in self.resolved.items():
            shared = len(terms.intersection(incident.core_terms()))
            if shared >= self.attach_min_shared + 1:
                del self.resolved[incident_id]
                self.active[incident_id] = incident
                return incident
        return None

    def _maybe_create(self, member: Member, trending: dict[str, float], now: float) -> Incident | None:
        news_type = severe_news_trigger(member.tokens) if member.post.source_kind == "news" else None
        pairs = [k for k in trending if "+" in k]
        singles = [k for k in trending if "+" not in k]
        if news_type is None and not pairs and len(singles) < 2:
            return None
        seed = tuple(sorted(trending, key=lambda k: (-trending[k], k))[:6])
        digest = hashlib.sha1(f"{member.post.id}|{'|'.join(seed)}".encode()).hexdigest()[:16]
        incident = Incident(incident_id=f"inc-{digest}", first_seen=member.post.ts, last_seen=now, seed_keys=seed)
        incident.news_trigger = news_type
        self.active[incident.incident_id] = incident
        # The first posts of a story come before its terms trend: take them from the recent window.
        seed_terms = {t for k in seed for t in _key_terms(k)} or set(member.terms)
        need = min(2, len(seed_terms)) if trending else min(3, len(seed_terms))
        if need:
            for earlier in self._recent:
                if len(seed_terms.intersection(earlier.terms)) >= need:
                    self._attach(incident, earlier, {})
        return incident

    def _attach(self, incident: Incident, member: Member, trending: dict[str, float]) -> None:
        post = member.post
        if len(incident.post_ids) < MAX_POST_IDS:
            incident.post_ids.append(post.id)
        incident.n_posts += 1
        incident.first_seen = min(incident.first_seen, post.ts)
        incident.last_seen = max(incident.last_seen, post.ts)
        for key, z in trending.items():
            incident.key_scores[key] = max(incident.key_scores.get(key, 0.0), z)
        if member.duplicate:
            return  # a copy is a member, but not a new voice: it adds no weight to the incident's profile
        incident.n_unique += 1
        incident.term_counts.update(member.terms)
        incident.langs[member.lang] += 1
        incident.countries.update(member.countries)
        if member.kind is not None:
            incident.type_votes[member.kind.code] += member.kind_confidence
        if post.source_kind == "news":
            incident.n_news += 1
        if post.source:
            incident.sources.add(post.source)
        if len(incident.samples) < _MAX_SAMPLES:
            incident.samples.append(
                SamplePost(post.id, post.ts, post.text[:280], post.source, post.source_kind, member.lang)
            )

    # -- emitting --------------------------------------------------------------------------------------------

    def _maybe_emit(self, incident: Incident, now: float) -> Alert | None:
        if not incident.raised:
            if incident.n_unique >= self.min_posts or incident.news_trigger is not None:
                incident.raised = True
                return self._alert(incident, "raised", now)
            return None
        kind = self._type(incident)
        severity = self._severity(incident, kind)
        grew = incident.n_posts >= incident.last_emitted_posts * self.update_growth
        changed = kind.code != incident.last_type or severity != incident.last_severity
        if grew or changed:
            return self._alert(incident, "updated", now)
        return None

    def _type(self, incident: Incident) -> IncidentType:
        if incident.type_votes:
            code = max(sorted(incident.type_votes), key=lambda c: incident.type_votes[c])
            # A handful of typed posts among many untyped ones is not enough to call the whole story typed.
            if incident.type_votes[code] >= max(1.0, 0.15 * incident.n_unique) or incident.news_trigger:
                return TYPES[code]
        if incident.news_trigger is not None:
            return incident.news_trigger
        return OTHER

    def _severity(self, incident: Incident, kind: IncidentType) -> str:
        score = -kind.goldstein / 10.0  # 0 (neutral) .. 1 (most hostile)
        if kind.code == "CONSULAR":
            score = 0.6
        score += min(0.3, math.log10(1 + incident.n_unique) / 10) + min(0.2, 0.05 * incident.n_news)
        if kind is OTHER:
            score = min(score, 0.3)
        if score >= 0.9:
            return "critical"
        if score >= 0.65:
            return "high"
        if score >= 0.4:
            return "medium"
        return "low"

    def _confidence(self, incident: Incident) -> float:
        volume = 1.0 - math.exp(-incident.n_unique / 10.0)
        corroboration = min(1.0, 0.25 * incident.n_news + 0.1 * len(incident.sources))
        base = max(volume, corroboration)
        if incident.news_trigger is not None:
            base = max(base, 0.5)  # one credible report: worth an officer's look, to be confirmed by volume
        return round(min(1.0, base), 4)

    def _alert(self, incident: Incident, kind: str, now: float) -> Alert:
        itype = self._type(incident)
        severity = self._severity(incident, itype)
        incident.seq += 1
        incident.last_emitted_posts = incident.n_posts
        incident.last_emitted_at = now
        incident.last_type = itype.code
        incident.last_severity = severity
        countries = tuple(
            c
            for c, n in sorted(incident.countries.items(), key=lambda x: (-x[1], x[0]))
            if n >= max(1, 0.2 * incident.n_unique)
        )[:4]
        top = sorted(incident.key_scores.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
        terms = tuple(TermScore(_display_key(k), z) for k, z in top)
        if not terms:
            # Raised on one news report, before anything trends: its main words, with no significance yet.
            terms = tuple(TermScore(t, 0.0) for t in incident.core_terms()[:6])
        languages = tuple(lang for lang, _ in sorted(incident.langs.items(), key=lambda x: (-x[1], x[0])))
        headline = _headline(incident)
        where = ", ".join(country_name(c) for c in countries[:3])
        title = f"{itype.label.capitalize()}" + (f" · {where}" if where else "") + f" · {headline}"
        reason = _reason(incident, itype, terms)
        return Alert(
            incident_id=incident.incident_id,
            seq=incident.seq,
            kind=kind,
            at=now,
            first_seen=incident.first_seen,
            title=title,
            type_code=itype.code,
            type_label=itype.label,
            severity=severity,
            confidence=self._confidence(incident),
            countries=countries,
            languages=languages,
            terms=terms,
            n_posts=incident.n_posts,
            n_news=incident.n_news,
            n_sources=len(incident.sources),
            samples=tuple(incident.samples),
            post_ids=tuple(incident.post_ids),
            reason=reason,
        )


def _type_family(code: str) -> str:
    # CAMEO codes nest: 114 (complain officially) is a kind of 11 (disapprove).
    return code if not code[:1].isdigit() else code[:2]


def _key_terms(key: str) -> list[str]:
    return key.split(":", 1)[1].split("+")


def _display_key(key: str) -> str:
    return " + ".join(_key_terms(key))


def _headline(incident: Incident) -> str:
    news = [s for s in incident.samples if s.source_kind == "news"]
    text = (news or incident.samples)[0].text if incident.samples else " ".join(incident.core_terms()[:5])
    text = " ".join(text.split())
    return text if len(text) <= 100 else text[:99] + "…"


def _reason(incident: Incident, itype: IncidentType, terms: tuple[TermScore, ...]) -> str:
    if incident.news_trigger is not None and incident.n_unique <= 2:
        return f"one credible news report of a severe event ({incident.news_trigger.label}); awaiting confirmation"
    lead = ", ".join(f"{t.term} (z={t.score:.1f})" for t in terms[:3])
    return f"{incident.n_unique} independent posts from {len(incident.sources)} sources; trending: {lead}"
