"""Which story a post belongs to: by similarity to a story's centroid, by the keys a story made burst, by the
same typed event between the same countries in any language, or through its nearest neighbour."""

from __future__ import annotations

import math

from river import base

from detectors.assessment import IncidentAssessment
from detectors.lexicon import CONCEPT_MARK
from detectors.places import PlaceAreas
from detectors.story import DEFAULT_WEIGHT, Incident, Member, compatible, key_terms, most_common
from detectors.storybook import StoryBook
from detectors.threads import PostThreader


class StoryMatcher(base.Base):
    """Finds the open or resolved story a post joins, if any (a resolved one is reopened).

    Args:
        attach_similarity: tf-idf cosine between a post and a story's centroid for the post to join it.
        min_posts: from this many independent posts a story is formed: two of its name words take a post.
        burst_memory_s: how long a key that trended in a story still pulls posts that carry it into the story.
        home_country: the ministry's own country, which does not make a story foreign.
        young: a story this small has no reliable head yet: its bursting keys alone say what belongs to it.
        head_shared: words of a story's head a post must share to join by similarity ...
        head_mass: ... whose rarity weights add up to this (two words each rarer than 1 post in ~300).
        rare_key_weight: a bursting word this rare (1 post in 1,000 before) names a young story by itself.
        burst_bonus: similarity added for a key the story made burst, when the post shares no head.
        resolved_margin: similarity beyond ``attach_similarity`` for a resolved story to come back.
        novel_margin: ... and for a story to take a post bursting with words it never had.
    """

    def __init__(
        self,
        attach_similarity: float = 0.3,
        min_posts: int = 5,
        burst_memory_s: float = 2 * 3600.0,
        home_country: str = "ID",
        young: int = 20,
        head_shared: int = 2,
        head_mass: float = 5.0,
        rare_key_weight: float = 3.0,
        burst_bonus: float = 0.1,
        resolved_margin: float = 0.15,
        novel_margin: float = 0.2,
    ) -> None:
        self.attach_similarity = attach_similarity
        self.min_posts = min_posts
        self.burst_memory_s = burst_memory_s
        self.home_country = home_country
        self.young = young
        self.head_shared = head_shared
        self.head_mass = head_mass
        self.rare_key_weight = rare_key_weight
        self.burst_bonus = burst_bonus
        self.resolved_margin = resolved_margin
        self.novel_margin = novel_margin

    def similarity(self, member: Member, incident: Incident) -> float:
        """Cosine of the post and the story's centroid, both weighted by rarity.

        The story's own words keep the rarity they had when it began, in the post as in the centroid:
        by the third hour of a story its words are common, yet they are still what says "this story".
        """
        profile, weights, own = incident.profile, incident.term_weight, member.weights
        dot = 0.0
        norm = 0.0
        for term in member.terms:
            if term in profile:
                w = weights.get(term, DEFAULT_WEIGHT)
                dot += w * profile[term]
            else:
                w = own.get(term, DEFAULT_WEIGHT)
            norm += w * w
        score = dot / (math.sqrt(norm) * incident.profile_norm) if norm else 0.0
        if incident.n_unique >= self.min_posts and score < self.attach_similarity:
            # Two of the words that name a formed story ("queensland" + "flood"): the story, whatever else.
            terms = member.term_set
            if sum(t in terms for t in incident.signature()) >= 2:
                score = self.attach_similarity
        return score

    def match(
        self,
        member: Member,
        trending: dict[str, float],
        named_in: set[str],
        book: StoryBook,
        assessment: IncidentAssessment,
        places: PlaceAreas,
    ) -> Incident | None:
        """The story the post joins by its words, keys or typed event (``named_in``: stories it names)."""
        # Only stories whose head words the post carries, or whose bursting keys it carries, can take it.
        candidates = named_in | book.bursting_with(trending)
        best: Incident | None = None
        best_score = 0.0
        reports = self.reports_event(member)
        for incident_id in sorted(candidates):
            incident = book.active.get(incident_id) or book.resolved.get(incident_id)
            if incident is None or (reports and assessment.chatter(incident)):
                continue
            score = self._score(member, trending, incident, assessment)
            # A resolved story comes back only on stronger evidence than an open one.
            active = incident_id in book.active
            needed = self.attach_similarity if active else self.attach_similarity + self.resolved_margin
            if self.novel_burst(member, incident):
                # New words are bursting that this story never had: likely a new story that shares a generic
                # word ("explosion") with an old one. It joins only on strong similarity.
                needed += self.novel_margin
            # The place is read last, for a story the post would join: it costs more than the rest.
            if score >= needed and score > best_score and not places.elsewhere(member, incident):
                best, best_score = incident, score
        if best is None and self.typed(member):
            for incident in book.active.values():  # entity match needs no shared word: English vs Indonesian
                if self.same_story(member, incident, assessment) and not places.elsewhere(member, incident):
                    best = incident
                    break
        if best is not None and best.incident_id in book.resolved:
            book.reopen(best.incident_id)
        return best

    def _score(
        self, member: Member, trending: dict[str, float], incident: Incident, assessment: IncidentAssessment
    ) -> float:
        score = self.similarity(member, incident)
        ts = member.post.ts
        joined_by = [k for k in trending if ts - incident.key_last.get(k, -math.inf) <= self.burst_memory_s]
        if joined_by:
            # It carries a key that is bursting now and that this story made burst lately: SigniTrend's join.
            # A key bursting again days later ("explosion") is a new story's, not the old one's.
            young = incident.n_unique < self.young and self.anchored(member, incident, joined_by)
            if young or self.shares_head(member, incident):
                score = max(score, self.attach_similarity)
            else:
                score = score + self.burst_bonus
        elif score >= self.attach_similarity and not self.shares_head(member, incident):
            # One shared word, however heavy, is not a story: "explosion" alone is not Boston. (Below the bar
            # the score joins nothing either way: the head is not read.)
            score = 0.0
        if score < self.attach_similarity and self.same_story(member, incident, assessment):
            score = self.attach_similarity
        return score

    def thread(
        self,
        member: Member,
        book: StoryBook,
        assessment: IncidentAssessment,
        places: PlaceAreas,
        threader: PostThreader,
    ) -> Incident | None:
        """The story of the post's nearest recent neighbour, if it may take the post."""
        best, best_cos = threader.nearest(member)
        if best is None or best.incident_id is None:
            return None
        incident_id = book.resolve_alias(best.incident_id)
        incident = book.active.get(incident_id) or book.resolved.get(incident_id)
        if incident is None or places.elsewhere(member, incident):
            return None
        if self.reports_event(member) and assessment.chatter(incident):
            return None
        if self.novel_burst(member, incident) and best_cos < threader.thread_similarity + self.novel_margin:
            return None
        head = incident.head
        if not any(t in head for t in member.terms):
            return None  # anchored chains only: a neighbour's neighbour must still speak of the story
        if incident_id in book.resolved:
            book.reopen(incident_id)
        return incident

    def anchored(self, member: Member, incident: Incident, joined_by: list[str]) -> bool:
        """A young story's bursting keys take a post that shares a bursting pair with it, a rare bursting word
        ("gurlitt"), or a second word: one everyday word ("tim", a negotiating team) that a story made trend is
        no story ("tim" of a football team)."""
        if any("+" in k or member.weight(key_terms(k)[0]) >= self.rare_key_weight for k in joined_by):
            return True
        seen = incident.term_df
        return sum(t in seen for t in member.terms if t[0] != CONCEPT_MARK) >= 2

    def shares_head(self, member: Member, incident: Incident) -> bool:
        # Country pseudo-terms do not count: "@AU" always comes with "australia", one concept, not two.
        head = incident.head
        terms = member.term_set
        shared = [t for t in head if t in terms]
        # ... and the words shared must be rare enough together: "embassy" + "diplomatic" name no story.
        mass = sum(incident.term_weight.get(t, DEFAULT_WEIGHT) for t in shared)
        return len(shared) >= self.head_shared and mass >= self.head_mass

    @staticmethod
    def novel_burst(member: Member, incident: Incident) -> bool:
        if not member.bursting:
            return False
        known = incident.profile
        return sum(t not in known for t in member.bursting) >= 2

    @staticmethod
    def reports_event(member: Member) -> bool:
        """The post names an event of some type, however weakly ("explosion in Boston")."""
        return member.kind is not None and member.kind.code != "OTHER"

    @staticmethod
    def typed(member: Member) -> bool:
        """The post reports a typed incident, with confidence: what an entity match needs."""
        return member.kind is not None and member.kind_confidence >= 0.5 and member.kind.code != "OTHER"

    def same_story(self, member: Member, incident: Incident, assessment: IncidentAssessment) -> bool:
        """The same typed event between the same foreign countries, in whatever words."""
        if member.kind is None or not self.typed(member):
            return False
        if not compatible(member.kind.code, assessment.kind(incident).code):
            return False
        foreign = {c for c in member.countries if c != self.home_country}
        top = {c for c, _ in most_common(incident.countries, 3) if c != self.home_country}
        return bool(foreign & top)
