"""The tracker's register of stories: the open ones (candidates and raised incidents), the resolved ones that
may still come back, the candidates folded into others, and two indexes that find a post's stories without
scanning them all: by head word, and by trending key.

>>> from detectors.story import Incident
>>> book = StoryBook()
>>> story = book.open(Incident("inc-1", 0.0, 0.0, ()))
>>> story.term_df.update({"gempa": 3, "cianjur": 3})
>>> book.refresh(story)
>>> sorted(book.named_by(["cianjur"]))
['inc-1']
"""

from __future__ import annotations

import typing
from collections import OrderedDict
from collections.abc import Iterable, Mapping

from river import base

from detectors.story import Incident
from schemas.alert import MAX_POST_IDS


class StoryBook(base.Base):
    """Open and resolved stories, by id, with their indexes.

    Args:
        profile_terms: terms in a story's centroid.
        head_terms: the centroid's first real words, which name the story and index it.
        max_tracked_terms: terms a story remembers (half are forgotten beyond: bounded memory).
        max_tracked_keys: trending keys a story remembers (the strongest half kept beyond).
        max_samples: sample posts a story keeps for its alert.
    """

    def __init__(
        self,
        profile_terms: int = 50,
        head_terms: int = 8,
        max_tracked_terms: int = 400,
        max_tracked_keys: int = 200,
        max_samples: int = 3,
    ) -> None:
        self.profile_terms = profile_terms
        self.head_terms = head_terms
        self.max_tracked_terms = max_tracked_terms
        self.max_tracked_keys = max_tracked_keys
        self.max_samples = max_samples
        self.active: OrderedDict[str, Incident] = OrderedDict()
        self.resolved: OrderedDict[str, Incident] = OrderedDict()
        self._alias: dict[str, str] = {}  # absorbed candidate id -> the incident it was folded into
        self._index: dict[str, set[str]] = {}  # head word -> incident ids (active and resolved)
        self._bursts: dict[str, set[str]] = {}  # trending key -> ids of open incidents whose ``key_last`` holds it

    def get(self, incident_id: str) -> Incident | None:
        """An open or resolved story by its id, or by the id of a candidate folded into it."""
        incident_id = self.resolve_alias(incident_id)
        return self.active.get(incident_id) or self.resolved.get(incident_id)

    def resolve_alias(self, incident_id: str) -> str:
        while incident_id in self._alias:
            incident_id = self._alias[incident_id]
        return incident_id

    def named_by(self, terms: Iterable[str]) -> set[str]:
        """Ids of the stories whose head words are among ``terms``."""
        named_in: set[str] = set()
        index = self._index
        for term in terms:
            ids = index.get(term)
            if ids:
                named_in.update(ids)
        return named_in

    def bursting_with(self, keys: Iterable[str]) -> set[str]:
        """Ids of the open stories that these trending keys made burst."""
        found: set[str] = set()
        for key in keys:
            found.update(self._bursts.get(key, ()))
        return found

    def burst_index(self) -> dict[str, set[str]]:
        """A copy of the index of trending keys: key -> ids of the open stories that hold it."""
        return {key: set(ids) for key, ids in self._bursts.items()}

    def open(self, incident: Incident) -> Incident:
        """A new candidate. One of the same id (the same post sent again, trending alike: rare) is replaced."""
        replaced = self.active.get(incident.incident_id)
        if replaced is not None:
            self.forget_bursts(replaced, replaced.key_last)
        self.active[incident.incident_id] = incident
        return incident

    def close(self, incident: Incident) -> None:
        """Out of the open stories: resolved if it was raised, else forgotten."""
        del self.active[incident.incident_id]
        self.forget_bursts(incident, incident.key_last)
        if incident.raised:
            self.resolved[incident.incident_id] = incident
        else:
            self.unindex(incident)

    def forget_resolved(self, now: float, reopen_within_s: float, max_aliases: int) -> None:
        """Forget resolved stories that can no longer reopen, and aliases that point nowhere: bounded memory."""
        for incident_id in [k for k, v in self.resolved.items() if now - v.last_seen > reopen_within_s]:
            self.unindex(self.resolved.pop(incident_id))
        if len(self._alias) > max_aliases:
            # Aliases only matter while their posts are in the recent window; drop those that point nowhere.
            live = set(self.active) | set(self.resolved)
            self._alias = {k: v for k, v in self._alias.items() if self.resolve_alias(v) in live}

    def reopen(self, incident_id: str) -> None:
        """A resolved story takes posts again: open, and found by its trending keys again."""
        incident = self.active[incident_id] = self.resolved.pop(incident_id)
        for key in incident.key_last:
            self._bursts.setdefault(key, set()).add(incident_id)

    def note_keys(self, incident: Incident, trending: Mapping[str, float], ts: float) -> None:
        """The keys trending in a post the story takes: their strongest z, when they last trended in it."""
        for key, z in trending.items():
            incident.key_scores[key] = max(incident.key_scores.get(key, 0.0), z)
            last = incident.key_last.get(key)
            if last is None:
                self._bursts.setdefault(key, set()).add(incident.incident_id)
            incident.key_last[key] = ts if last is None else max(last, ts)
        if len(incident.key_scores) > self.max_tracked_keys:
            # Keep the strongest keys: they explain the alert; the rest would only grow with the story.
            scores = incident.key_scores
            keep = sorted(scores, key=lambda k: (-scores[k], k))[: self.max_tracked_keys // 2]
            incident.key_scores = {k: scores[k] for k in keep}
            self.forget_bursts(incident, [k for k in incident.key_last if k not in incident.key_scores])
            incident.key_last = {k: incident.key_last[k] for k in keep if k in incident.key_last}

    def refresh(self, incident: Incident) -> None:
        """Recompute the story's centroid and index it by its new head words."""
        self.unindex(incident)
        incident.refresh_profile(self.profile_terms, self.head_terms, self.max_tracked_terms)
        for term in incident.head:
            self._index.setdefault(term, set()).add(incident.incident_id)

    def forget_bursts(self, incident: Incident, keys: typing.Iterable[str]) -> None:
        """The incident no longer holds these trending keys (or is forgotten): out of the burst index."""
        for key in keys:
            ids = self._bursts.get(key)
            if ids is not None:
                ids.discard(incident.incident_id)
                if not ids:
                    del self._bursts[key]

    def unindex(self, incident: Incident) -> None:
        for term in incident.head:
            ids = self._index.get(term)
            if ids is not None:
                ids.discard(incident.incident_id)
                if not ids:
                    del self._index[term]

    def absorb(self, target: Incident, candidate: Incident) -> None:
        """Fold a candidate that turned out to be a raised story's continuation into that story."""
        self.unindex(candidate)
        del self.active[candidate.incident_id]
        self.forget_bursts(candidate, candidate.key_last)
        self._alias[candidate.incident_id] = target.incident_id
        if target.incident_id in self.resolved:
            self.reopen(target.incident_id)
        room = MAX_POST_IDS - len(target.post_ids)
        target.post_ids.extend(candidate.post_ids[: max(0, room)])
        target.n_posts += candidate.n_posts
        target.n_unique += candidate.n_unique
        target.n_news += candidate.n_news
        target.first_seen = min(target.first_seen, candidate.first_seen)
        target.last_seen = max(target.last_seen, candidate.last_seen)
        target.term_df.update(candidate.term_df)
        target.term_weight.update(candidate.term_weight)
        for key, z in candidate.key_scores.items():
            target.key_scores[key] = max(target.key_scores.get(key, 0.0), z)
        for key, ts in candidate.key_last.items():
            if key not in target.key_last:
                self._bursts.setdefault(key, set()).add(target.incident_id)
            target.key_last[key] = max(target.key_last.get(key, ts), ts)
        target.sources |= candidate.sources
        target.langs.update(candidate.langs)
        target.countries.update(candidate.countries)
        target.places.update(candidate.places)
        for code, votes in candidate.type_votes.items():
            target.type_votes[code] = target.type_votes.get(code, 0.0) + votes
        target.samples.extend(candidate.samples[: self.max_samples - len(target.samples)])
        self.refresh(target)
