"""First-story-detection threading: a post joins the story of its nearest recent neighbour.

Stories drift ("plane crashed" hours later is "pilot locked out of the cockpit"); a chain of near neighbours
follows the drift where a centroid cannot. The posts that stories took are indexed by their rare terms, and a
new post's rarest terms find its neighbours among them.
"""

from __future__ import annotations

import typing
from collections import deque

from river import base

from detectors.lexicon import CONCEPT_MARK
from detectors.story import DEFAULT_WEIGHT, Member


class PostThreader(base.Base):
    """The recent posts, and the index of stories' posts by rare term.

    Args:
        recent_posts: posts kept to backfill a candidate's earliest members, and the reach of threading.
        thread_similarity: tf-idf cosine to its nearest recent post for a post to join that post's story.
        thread_min_weight: rarity from which a term is indexed for threading (common words link nothing).
        thread_terms: rarest terms of a post used to find its neighbours (all of a typical post).
        thread_scan: recent posts scanned per rare term: bounds the cost of threading per post.
        max_thread_terms: terms indexed; the oldest quarter goes beyond.
        min_shared: words a neighbour must share with the post (concepts repeat a word: they do not count).
    """

    def __init__(
        self,
        recent_posts: int = 2000,
        thread_similarity: float = 0.3,
        thread_min_weight: float = 1.5,
        thread_terms: int = 40,
        thread_scan: int = 16,
        max_thread_terms: int = 100_000,
        min_shared: int = 2,
    ) -> None:
        self.recent_posts = recent_posts
        self.thread_similarity = thread_similarity
        self.thread_min_weight = thread_min_weight
        self.thread_terms = thread_terms
        self.thread_scan = thread_scan
        self.max_thread_terms = max_thread_terms
        self.min_shared = min_shared
        self.recent: deque[Member] = deque()
        # rare term -> the latest posts of stories carrying it, as (arrival number, the term's weight, post)
        self._members_by_term: dict[str, deque[tuple[int, float, Member]]] = {}
        self._seq = 0

    def remember(self, member: Member) -> None:
        """Keep the post in the recent window, for backfilling the first posts of a new candidate."""
        self._seq += 1
        member.seq = self._seq
        self.recent.append(member)
        while len(self.recent) > self.recent_posts:
            self.recent.popleft()

    def index(self, member: Member) -> None:
        """Index a story's post by its rare terms: the posts that threading may link to."""
        weights, index, seq, least = member.weights, self._members_by_term, member.seq, self.thread_min_weight
        for term in member.terms:
            weight = weights.get(term, DEFAULT_WEIGHT)
            if weight >= least:
                posts = index.get(term)
                if posts is None:
                    posts = index[term] = deque(maxlen=self.thread_scan)
                posts.append((seq, weight, member))
        if len(self._members_by_term) > self.max_thread_terms:
            # Oldest terms first (insertion order): bounded memory, whatever the vocabulary.
            for term in list(self._members_by_term)[: self.max_thread_terms // 4]:
                del self._members_by_term[term]

    def indexed_posts(self) -> int:
        """Entries in the index of stories' posts by rare term (a post counts once per term)."""
        return sum(len(posts) for posts in self._members_by_term.values())

    def compact(self) -> None:
        """Drop index entries older than the recent window: :meth:`nearest` stops at the first of them and
        never reads them again. The terms stay, empty: which terms are indexed (and so which are read and which
        are evicted first) does not change. Most of a checkpoint's posts were such entries."""
        oldest = self._seq - self.recent_posts
        for posts in self._members_by_term.values():
            while posts and posts[0][0] < oldest:
                posts.popleft()

    def nearest(self, member: Member) -> tuple[Member | None, float]:
        """The recent story post nearest to ``member`` above ``thread_similarity``, and its cosine."""
        if not member.norm:
            return None, 0.0
        oldest = self._seq - self.recent_posts
        index = self._members_by_term
        weights = member.weights
        rare = [(weights.get(t, DEFAULT_WEIGHT), t) for t in member.terms if t in index]
        # The rarest few words find the neighbours; common ones would only add cost.
        rare = sorted((wt for wt in rare if wt[0] >= self.thread_min_weight), reverse=True)[: self.thread_terms]
        # Per neighbour, by arrival number: [dot product, words shared, the post]. One dict: this loop is the
        # tracker's hottest.
        neighbours: dict[int, list[typing.Any]] = {}
        for w, term in rare:
            word = term[0] != CONCEPT_MARK  # a concept adds to the similarity, but repeats a word: not a second one
            for seq, weight, other in reversed(index[term]):  # newest first: stop at the first out of the window
                if seq < oldest:
                    break
                if other.threaded:
                    # A post that joined by a neighbour itself is no neighbour: chains of those drift from the
                    # story into everyday talk on its topic (a rice export ban into rice prices). One step
                    # follows a story's drift; the centroid, refreshed, takes it on from there.
                    continue
                hit = neighbours.get(seq)
                if hit is None:
                    neighbours[seq] = [w * weight, word, other]
                else:
                    hit[0] += w * weight
                    hit[1] += word
        best: Member | None = None
        best_cos = self.thread_similarity
        for dot, shared, other in neighbours.values():
            if shared < self.min_shared:  # linked by one word only: no story
                continue
            cos = dot / (member.norm * other.norm)
            if cos > best_cos or (cos == best_cos and best is not None and other.post.id < best.post.id):
                best, best_cos = other, cos
        return best, best_cos
