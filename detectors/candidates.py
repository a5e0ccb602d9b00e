"""Candidates and raising: when a post opens a new candidate story, which earlier posts it takes with it, and
when a story is ready to be raised or due an update."""

from __future__ import annotations

import hashlib
import math

from river import base

from detectors.assessment import IncidentAssessment
from detectors.matching import StoryMatcher
from detectors.story import Incident, Member, distinct_signals, key_terms
from detectors.threads import PostThreader


class CandidateStage(base.Base):
    """Opens candidates and says when they are raised.

    Args:
        candidate_ttl_s: event-time silence after which a candidate that was never raised is dropped; also how
            far back a new candidate takes its first posts from the recent window.
        update_growth: an update is emitted when the post count has grown by this factor.
        home_country: the ministry's own country, which does not make a story foreign.
        seed_keys: strongest trending keys that name a candidate (its id and its seed).
    """

    def __init__(
        self,
        candidate_ttl_s: float = 2 * 3600.0,
        update_growth: float = 2.0,
        home_country: str = "ID",
        seed_keys: int = 6,
    ) -> None:
        self.candidate_ttl_s = candidate_ttl_s
        self.update_growth = update_growth
        self.home_country = home_country
        self.seed_keys = seed_keys

    def open(self, member: Member, trending: dict[str, float], now: float, matcher: StoryMatcher) -> Incident | None:
        """A new candidate opened by the post, if its trending keys (a pair, or two terms) or one typed news
        report of an incident abroad can open one."""
        if member.duplicate:
            return None
        is_news = member.post.source_kind == "news"
        news_type = member.news_trigger if is_news else None
        pairs, singles = distinct_signals(trending)
        # Sparse news: a report of a typed diplomatic incident abroad opens a candidate by itself, to be
        # raised when a second outlet reports it, even hours later and without any volume.
        news_lead = is_news and matcher.typed(member) and any(c != self.home_country for c in member.countries)
        if news_type is None and not news_lead and not pairs and len(singles) < 2:
            return None
        seed = tuple(sorted(trending, key=lambda k: (-trending[k], k))[: self.seed_keys])
        digest = hashlib.sha1(f"{member.post.id}|{'|'.join(seed)}".encode()).hexdigest()[:16]
        incident = Incident(incident_id=f"inc-{digest}", first_seen=member.post.ts, last_seen=now, seed_keys=seed)
        incident.news_trigger = news_type
        incident.news_lead = news_lead and not pairs and len(singles) < 2
        return incident

    def backfill(
        self, incident: Incident, member: Member, threader: PostThreader, matcher: StoryMatcher
    ) -> list[Member]:
        """The recent posts a new candidate takes: its first posts came before its terms trended. None for a
        candidate opened by one news report: the report is its first post."""
        seed = incident.seed_keys
        if not seed:
            return []
        seed_terms = list(dict.fromkeys(t for k in seed for t in key_terms(k)))  # ordered: deterministic sums
        seed_profile = Incident("", 0.0, 0.0, ())
        seed_profile.term_weight = {t: member.weight(t) for t in seed_terms}
        seed_profile.profile = dict(seed_profile.term_weight)
        seed_profile.profile_norm = math.sqrt(sum(v * v for v in seed_profile.profile.values())) or 1.0
        seed_set = frozenset(seed_terms)
        # ... but not posts from before a candidate could have lived: on a sparse stream the recent window
        # reaches back weeks, and "show" then was no part of a story now.
        horizon = member.post.ts - self.candidate_ttl_s
        taken = []
        for earlier in threader.recent:
            # A post that shares no seed word has no similarity to the seed: skip the full cosine.
            # ... nor posts another story has taken already: a post is a member of one story.
            if (
                earlier.duplicate
                or earlier.incident_id is not None
                or earlier.post.ts < horizon
                or seed_set.isdisjoint(earlier.terms)
            ):
                continue
            if matcher.similarity(earlier, seed_profile) >= matcher.attach_similarity:
                taken.append(earlier)
        return taken

    @staticmethod
    def ready(incident: Incident, assessment: IncidentAssessment) -> bool:
        """A candidate is raised (or merged) once it has enough independent posts, or two outlets' reports,
        and is relevant; one credible news report of a severe event is enough by itself."""
        if incident.news_trigger is not None:
            return True
        corroborated = incident.n_news >= 2 and len(incident.sources) >= 2  # two outlets, same story
        enough = incident.n_unique >= assessment.posts_needed(incident) or corroborated
        return enough and assessment.relevant(incident)

    def update_due(self, incident: Incident, assessment: IncidentAssessment) -> bool:
        """A raised story's record is sent again when it has grown, or changed type or severity."""
        kind = assessment.kind(incident)
        severity = assessment.severity(incident, kind)
        grew = incident.n_posts >= incident.last_emitted_posts * self.update_growth
        return grew or kind.code != incident.last_type or severity != incident.last_severity
