"""What a story is, and how much it matters: its type (CAMEO class, consular or other), its severity, the
confidence of its alert, and whether a foreign ministry should hear of it at all.

>>> from detectors.story import Incident
>>> story = Incident("inc-1", 0.0, 0.0, ())
>>> story.n_unique, story.type_votes = 6, {"114": 4.5}
>>> assess = IncidentAssessment()
>>> assess.kind(story).code, assess.severity(story, assess.kind(story)), assess.posts_needed(story)
('114', 'low', 5)
>>> story.type_votes = {"CONSULAR": 4.5}
>>> story.type_cache = None  # the votes changed without a new post: read them again
>>> assess.kind(story).code, assess.severity(story, assess.kind(story)), assess.posts_needed(story)
('CONSULAR', 'high', 4)
"""

from __future__ import annotations

import math

from river import base

from detectors.lexicon import TYPES, IncidentType
from detectors.story import OTHER, Incident, compatible


class IncidentAssessment(base.Base):
    """Type, severity, confidence and relevance of a story, read from its members' votes and counts.

    Args:
        home_country: the ministry's own country, which does not make a story foreign.
        min_posts: independent posts a story needs before it is raised ...
        min_posts_severe: ... if lives are at stake in it (``life_at_stake``): a late alert costs most there.
        foreign_share: share of posts naming one foreign country that makes an untyped story relevant.
        relevance_threshold: mean P(relevant) an untyped story needs to be raised.
        vote_share: share of a story's posts whose typed votes it takes to call the whole story typed.
        life_at_stake: types where lives may be at stake (a crisis abroad, an embassy or diplomat assaulted, an
            armed clash, mass violence): raised on ``min_posts_severe``, and never silenced by labels.
    """

    def __init__(
        self,
        home_country: str = "ID",
        min_posts: int = 5,
        min_posts_severe: int = 4,
        foreign_share: float = 0.2,
        relevance_threshold: float = 0.4,
        vote_share: float = 0.15,
        life_at_stake: tuple[str, ...] = ("CONSULAR", "18", "19", "20"),
    ) -> None:
        self.home_country = home_country
        self.min_posts = min_posts
        self.min_posts_severe = min_posts_severe
        self.foreign_share = foreign_share
        self.relevance_threshold = relevance_threshold
        self.vote_share = vote_share
        self.life_at_stake = life_at_stake
        self._at_stake = frozenset(life_at_stake)

    def kind(self, incident: Incident) -> IncidentType:
        """The story's type. Read several times per post; the votes change only with the independent posts."""
        cached = incident.type_cache
        if cached is not None and cached[0] == incident.n_unique:
            return cached[1]
        kind = self._vote(incident)
        incident.type_cache = (incident.n_unique, kind)
        return kind

    def _vote(self, incident: Incident) -> IncidentType:
        if incident.type_votes:
            code = max(sorted(incident.type_votes), key=lambda c: incident.type_votes[c])
            # A handful of typed posts among many untyped ones is not enough to call the whole story typed.
            if incident.type_votes[code] >= max(1.0, self.vote_share * incident.n_unique) or incident.news_trigger:
                return TYPES[code]
        if incident.news_trigger is not None:
            return incident.news_trigger
        return OTHER

    def at_stake(self, incident: Incident) -> bool:
        """Lives may be at stake: nationals caught in a disaster, violence."""
        return self.kind(incident).code in self._at_stake

    def posts_needed(self, incident: Incident) -> int:
        if self.at_stake(incident):
            return min(self.min_posts, self.min_posts_severe)
        return self.min_posts

    def chatter(self, incident: Incident) -> bool:
        """A candidate judged already: large enough to have a type and raised for none, so talk, not an event.
        A post reporting an event does not vanish into it ("explosion at the marathon" into marathon-day
        chatter): it joins or starts a story of its own."""
        return not incident.raised and incident.n_unique >= 2 * self.min_posts and self.kind(incident).code == "OTHER"

    def conflict(self, a: Incident, b: Incident) -> bool:
        """Two different diplomatic acts (an expulsion and a sanction) are two incidents, even between the same
        countries; an untyped or consular story can be a part of either."""
        ta, tb = self.kind(a).code, self.kind(b).code
        return ta[:1].isdigit() and tb[:1].isdigit() and not compatible(ta, tb)

    def relevant(self, incident: Incident) -> bool:
        """Whether a foreign ministry should hear of the story."""
        if incident.news_trigger is not None:
            return True
        foreign = max((n for c, n in incident.countries.items() if c != self.home_country), default=0)
        if self.kind(incident).code != "OTHER":
            # A typed story placed at home, by its words or by where its posters are, that names no foreign
            # country at all, nor the ministry's own abroad, is domestic ("transit in Tangerang is a war every
            # morning", or in a suburb no gazetteer knows). One that nothing places may be anywhere.
            at_home = incident.home_named > 0 or incident.countries.get(self.home_country, 0) > 0
            return foreign > 0 or not at_home or incident.abroad_cues > 0
        # An untyped story must be about a foreign country and read like an incident, not routine diplomacy.
        # One country, in a share of its posts: a template naming a different country in each post
        # ("the ambassador of X tries batik") is about none of them.
        relevance = incident.relevance_sum / max(1, incident.n_unique)
        # ... and in two posts at least: one mention in five posts is a coincidence, not what the story is about.
        return foreign >= max(2.0, self.foreign_share * incident.n_unique) and relevance >= self.relevance_threshold

    @staticmethod
    def severity(incident: Incident, kind: IncidentType) -> str:
        score = -kind.goldstein / 10.0  # 0 (neutral) .. 1 (most hostile)
        if kind.code == "CONSULAR":
            score = 0.6
        score += min(0.3, math.log10(1 + incident.n_unique) / 10) + min(0.2, 0.05 * incident.n_news)
        if kind.code == "OTHER":
            score = min(score, 0.3)
        if score >= 0.9:
            return "critical"
        if score >= 0.65:
            return "high"
        if score >= 0.4:
            return "medium"
        return "low"

    @staticmethod
    def confidence(incident: Incident) -> float:
        """How sure the alert is, from volume and corroboration (before officers' labels rank it)."""
        volume = 1.0 - math.exp(-incident.n_unique / 10.0)
        corroboration = min(1.0, 0.25 * incident.n_news + 0.1 * len(incident.sources))
        base = max(volume, corroboration)
        if incident.news_trigger is not None:
            base = max(base, 0.5)  # one credible report: worth an officer's look, to be confirmed by volume
        return round(min(1.0, base), 4)
