"""One story, one alert: before a candidate is raised, it is compared with the stories already raised, and
folded into one of them if it is the same story (a continuation, a sub-story, a side-thread or a twin report).
"""

from __future__ import annotations

from river import base

from detectors.assessment import IncidentAssessment
from detectors.entities import is_specific_place
from detectors.lexicon import classify, is_concept
from detectors.places import PlaceAreas
from detectors.story import Incident, compatible, most_common
from detectors.storybook import StoryBook


class StoryMerger(base.Base):
    """Finds the raised story a candidate continues, if any.

    Args:
        merge_similarity: cosine between two centroids at which a candidate is a raised story's continuation.
        signature_share: share of a candidate's posts that must carry two of a raised story's three head words
            for the candidate to be folded into that story as a sub-story.
        foreign_share: share of a story's posts that must name a country for it to be one of the story's.
        home_country: the ministry's own country, which does not make a story foreign.
        candidate_place_share: share of the candidate's posts that must name a place to place it there ...
        story_place_share: ... and of the raised story's posts.
        shadow_ratio: a running story this many times larger, in the same country, takes a candidate naming no
            other place as a side-thread of it.
        twin_within_s: a candidate of the same type that began this soon after the story is a twin report ...
        twin_cosine: ... and, beside an untyped story, shares this much of its words.
        name_share: a word in this share of a candidate's posts is the name it goes by ...
        name_story_share: ... and the story's name too when this share of the story's posts carry it ...
        names: ... and it is one of the story's this many most carried words.
    """

    def __init__(
        self,
        merge_similarity: float = 0.25,
        signature_share: float = 0.3,
        foreign_share: float = 0.2,
        home_country: str = "ID",
        candidate_place_share: float = 0.2,
        story_place_share: float = 0.04,
        shadow_ratio: int = 20,
        twin_within_s: float = 3 * 3600.0,
        twin_cosine: float = 0.1,
        name_share: float = 0.8,
        name_story_share: float = 0.4,
        names: int = 2,
    ) -> None:
        self.merge_similarity = merge_similarity
        self.signature_share = signature_share
        self.foreign_share = foreign_share
        self.home_country = home_country
        self.candidate_place_share = candidate_place_share
        self.story_place_share = story_place_share
        self.shadow_ratio = shadow_ratio
        self.twin_within_s = twin_within_s
        self.twin_cosine = twin_cosine
        self.name_share = name_share
        self.name_story_share = name_story_share
        self.names = names

    def target(
        self, candidate: Incident, book: StoryBook, assessment: IncidentAssessment, places: PlaceAreas
    ) -> Incident | None:
        """The raised story, open or resolved, that ``candidate`` is part of; None if it is a story of its own."""
        best: Incident | None = None
        best_score = 0.0
        for incident in [*book.active.values(), *book.resolved.values()]:
            if not incident.raised or incident is candidate:
                continue
            folds = self._folds(candidate, incident, incident.incident_id in book.active, assessment, places)
            if folds is None:
                continue  # a story somewhere else, whatever the words they share
            score = candidate.cosine(incident)
            if folds:
                score = max(score, self.merge_similarity)
            if score >= self.merge_similarity and score > best_score:
                best, best_score = incident, score
        return best

    def _folds(
        self, candidate: Incident, incident: Incident, active: bool, assessment: IncidentAssessment, places: PlaceAreas
    ) -> bool | None:
        """Whether the candidate is part of the story whatever their centroids' cosine; None if it cannot be:
        it happened somewhere else."""
        # Most of the candidate's posts carry two of the words that name the raised story: a sub-story.
        n = max(1, candidate.n_unique)
        carried = sum(candidate.term_df.get(t, 0) / n >= self.signature_share for t in incident.signature())
        # Folded in as a sub-story when it carries two of the story's head words; or names the story's
        # place with no conflicting act; or carries one head word of a much larger story that is still
        # running, from no other place. A country alone is not enough: a bombing in Boston and an
        # explosion in Texas are two incidents.
        here = places.where(candidate, self.candidate_place_share)
        there = places.where(incident, self.story_place_share)
        compatible_acts = not assessment.conflict(candidate, incident)
        same_place = places.same_place(here, there)
        other_place = bool(here) and bool(there) and not same_place
        if other_place and carried < 2:
            return None  # a story somewhere else is not a sub-story unless it carries the story's name
        # Nearly every post of the candidate and many of the story's (open, or resolved lately) carry
        # one word: the name the story goes by ("#Ferguson"), however common it has become since.
        named_alike = compatible_acts and self.named_alike(candidate, incident, active)
        running = active and incident.n_unique >= 2 * candidate.n_unique
        return (
            carried >= 2
            or (same_place and compatible_acts)
            or (carried == 1 and running and compatible_acts)
            or (active and compatible_acts and self._shadow(candidate, incident, here, assessment))
            or named_alike
        )

    def _shadow(
        self, candidate: Incident, incident: Incident, here: set[tuple[str, str]], assessment: IncidentAssessment
    ) -> bool:
        """A handful of posts in the shadow of a running story twenty times larger, in the same country and
        naming no other place, is a side-thread of it ("David Stern compares Sandy to Katrina"). So is a
        candidate of the same type, naming no place of its own, that began while the story was young ("shots
        fired on Parliament Hill" beside "Ottawa shooting"): two reports of one event."""
        mine, theirs = assessment.kind(candidate).code, assessment.kind(incident).code
        twin = (
            mine != "OTHER"
            # An expulsion is no twin of an earthquake; an untyped story must share words with the report.
            and (compatible(mine, theirs) if theirs != "OTHER" else candidate.cosine(incident) >= self.twin_cosine)
            and not any(is_specific_place(alias) for _, alias in here)
            and candidate.first_seen - incident.first_seen <= self.twin_within_s
        )
        same_countries = self.same_countries(candidate, incident)
        names_no_country = not any(c != self.home_country for c in candidate.countries)
        return (incident.n_unique >= self.shadow_ratio * candidate.n_unique and same_countries) or (
            twin and (same_countries or names_no_country)
        )

    def named_alike(self, candidate: Incident, incident: Incident, running: bool) -> bool:
        """One of the story's most carried words (not a country pseudo-term), in ``name_share`` of the
        candidate's posts and ``name_story_share`` of the story's."""
        n, m = max(1, candidate.n_unique), max(1, incident.n_unique)
        # The story's names: the words most of its posts carry, not any frequent word ("police"). A word that
        # says what happened ("hurricane") names only a story still running: an earthquake in Japan a day
        # after the one in Türkiye is another story.
        names = 0
        for term, df in sorted(incident.term_df.items(), key=lambda kv: (-kv[1], kv[0])):
            if df < self.name_story_share * m or names == self.names:
                return False  # the rest are carried by fewer posts still
            if term[0] == "@" or is_concept(term) or (not running and classify((term,))[0] is not None):
                continue
            if candidate.term_df.get(term, 0) >= self.name_share * n:
                return True
            names += 1
        return False

    def same_countries(self, candidate: Incident, incident: Incident) -> bool:
        """The candidate's main foreign country is among the story's main ones."""
        mine = [c for c, _ in most_common(candidate.countries, 2) if c != self.home_country][:1]
        # ... and named in a fifth of its posts at least: one post naming the Netherlands in a story about an
        # earthquake in Türkiye does not make it a Dutch story.
        theirs = {
            c
            for c, k in most_common(incident.countries, 3)
            if c != self.home_country and k >= self.foreign_share * incident.n_unique
        }
        return bool(mine) and mine[0] in theirs
