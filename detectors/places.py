"""Where a story happened, as its posts name it, and which places lie together, learned from the stream.

>>> areas = PlaceAreas(near_after=2, near_share=0.5)
>>> for _ in range(2):
...     areas.learn_one(frozenset({"waco", "texas"}))
>>> areas.learn_one(frozenset({"boston"}))
>>> areas.same_area({"waco"}, {"texas"}), areas.same_area({"boston"}, {"texas"})
(True, False)
"""

from __future__ import annotations

import itertools
from collections.abc import Set as AbstractSet

from river import base

from detectors.entities import is_specific_place
from detectors.story import Incident, Member, most_common


class PlaceAreas(base.Base):
    """Places named together in one post are near each other ("waco" and "texas", "watertown" and "boston"):
    learned from the stream, no gazetteer of regions needed.

    Args:
        near_after: posts naming two places together before they count as one area ...
        near_share: ... and the share of the posts naming the rarer of the two that name both.
        max_pairs: bound on the pairs (and places) remembered; the oldest go first.
        story_share: share of a story's posts that must name a place for the story to be placed there, when a
            post is compared with it (the bar is at least two posts).
    """

    def __init__(
        self, near_after: int = 3, near_share: float = 0.15, max_pairs: int = 20_000, story_share: float = 0.04
    ) -> None:
        self.near_after = near_after
        self.near_share = near_share
        self.max_pairs = max_pairs
        self.story_share = story_share
        self._co_named: dict[tuple[str, str], int] = {}  # pairs of places named in one post -> posts
        self._named_posts: dict[str, int] = {}  # place -> posts naming it

    def learn_one(self, x: frozenset[str]) -> None:
        """The specific places one independent post names. Bounded, oldest pairs first."""
        for place in x:
            self._named_posts[place] = self._named_posts.pop(place, 0) + 1
        for pair in itertools.combinations(sorted(x), 2):
            self._co_named[pair] = self._co_named.pop(pair, 0) + 1
        for table in (self._co_named, self._named_posts):
            while len(table) > self.max_pairs:
                del table[next(iter(table))]  # type: ignore[arg-type]

    def same_area(self, here: AbstractSet[str], there: AbstractSet[str]) -> bool:
        """One place in common, or two that posts keep naming together: most posts naming "waco" name
        "texas" too, while few of those naming "boston" or "texas" name both ("first Boston, now Texas")."""
        if here & there:
            return True
        for a in here:
            for b in there:
                together = self._co_named.get((a, b) if a < b else (b, a), 0)
                rarer = min(self._named_posts.get(a, 0), self._named_posts.get(b, 0))
                if together >= self.near_after and together >= self.near_share * rarer:
                    return True
        return False

    def elsewhere(self, member: Member, incident: Incident) -> bool:
        """The post names a specific foreign place ("texas") and the story has its own ("boston"), none shared:
        it happened somewhere else, whatever words they share."""
        named = member.named
        if not named:
            return False
        story = self.specific_where(incident, self.story_share)
        return bool(story) and not self.same_area(named, story)

    def same_place(self, here: set[tuple[str, str]], there: set[tuple[str, str]]) -> bool:
        """Named alike, or one side names only countries ("australian") and the other a place in one of them
        ("sydney"). When both name specific places, one must be shared: Boston and Texas are two places."""
        specific_here = {alias for _, alias in here if is_specific_place(alias)}
        specific_there = {alias for _, alias in there if is_specific_place(alias)}
        if specific_here and specific_there:
            return self.same_area(specific_here, specific_there)
        return bool({code for code, _ in here} & {code for code, _ in there})

    @staticmethod
    def where(incident: Incident, share: float) -> set[tuple[str, str]]:
        """The foreign places a story is about, as its posts name them: ("AU", "sydney"), ("US", "west texas")."""
        return _where_cached(incident, share)[1]

    @staticmethod
    def specific_where(incident: Incident, share: float) -> frozenset[str]:
        """The specific places among :meth:`where`, by alias: "west texas", not "australian"."""
        return _where_cached(incident, share)[2]


def _where_cached(incident: Incident, share: float) -> tuple[int, set[tuple[str, str]], frozenset[str]]:
    # Read for every post a story may take, so cached until it gains an independent post: its places
    # change only then (a copy adds none), and so does the bar of ``share`` of its posts.
    cached = incident.where_cache.get(share)
    if cached is not None and cached[0] == incident.n_unique:
        return cached
    n = max(1, incident.n_unique)
    where = {p for p, k in most_common(incident.places, 3) if k >= max(2, share * n)}
    entry = (incident.n_unique, where, frozenset(alias for _, alias in where if is_specific_place(alias)))
    incident.where_cache[share] = entry
    return entry
