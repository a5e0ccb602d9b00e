"""The detection core: posts in, alert records out, on the posts' own time. No Kafka, no wall clock.

The same object runs inside the Faust agent, in ``pantau backtest`` and in a replay, so one input gives the
same alerts everywhere. Posts are released in event-time ticks: within a tick they are processed sorted by
``(ts, id)``, so the order in which a broker interleaves partitions does not change the result, as long as
posts are no later than ``lateness_s``. A post whose tick was already released is processed on arrival, out
of order; it counts as *late* when it is more than ``late_after_s`` behind (a live feed's posts arrive out of
order by seconds, which is no news to an operator).

>>> from schemas.post import Post
>>> core = DetectionCore()
>>> core.process_posts([Post(id="1", ts=0.0, text="hello")]), core.flush()
([], [])
"""

from __future__ import annotations

import heapq
import itertools
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from river import base

from detectors.incidents import IncidentTracker, Sighting
from detectors.lexicon import TYPES
from detectors.significance import HashedSignificance, pair_hashes, term_hashes
from detectors.text import normalise, normalise_text
from schemas.alert import Alert
from schemas.feedback import Feedback
from schemas.normalised import NormalisedPost
from schemas.post import Post

# The layout of the detection state, as checkpoints hold it. Bump it whenever a detector's attributes change:
# a checkpoint of another version is set aside, never half-restored.
STATE_VERSION = 11  # 11: the incident tracker split into stages (detectors.storybook, ...)
_MIN_FREQUENCY = 1e-4  # caps a term's rarity weight at 4: a never-seen term is rare, not infinitely so
_PAIR_TERMS = 8  # pairs among a post's first terms only: 28 pairs, not hundreds, for a long article
_RELEASE_BLOCK = 16384  # posts a release processes at a time


class DetectionCore(base.Base):
    """Normalise, de-duplicate, score significance and track incidents.

    Args:
        tick_s: event-time granularity at which buffered posts are released, sorted.
        lateness_s: how long to wait for late posts before a tick is released.
        late_after_s: how far behind the released event time a post must arrive to count in ``late_posts``
            (it changes no result: every post is processed either way).
        z_threshold: significance above which a key trends.
        min_count: posts in the current slot a key needs, besides its z-score, to trend.
        dedup_window: recent fingerprints remembered for near-duplicate and retweet suppression.
        significance: the term and pair significance model.
        tracker: the incident tracker.
    """

    def __init__(
        self,
        tick_s: float = 1.0,
        lateness_s: float = 0.0,
        late_after_s: float = 60.0,
        z_threshold: float = 3.0,
        min_count: int = 3,
        dedup_window: int = 50_000,
        significance: HashedSignificance | None = None,
        tracker: IncidentTracker | None = None,
    ) -> None:
        self.tick_s = tick_s
        self.lateness_s = lateness_s
        self.late_after_s = late_after_s
        self.z_threshold = z_threshold
        self.min_count = min_count
        self.dedup_window = dedup_window
        self.significance = significance if significance is not None else HashedSignificance()
        self.tracker = tracker if tracker is not None else IncidentTracker()
        # Posts waiting for their tick, as a heap in release order: (ts, id, arrival, post). A release pops
        # what is ready, so a post waits in the heap without being scanned again at every batch.
        self._buffer: list[tuple[float, str, int, NormalisedPost]] = []
        self._buffer_newest = float("-inf")
        self._arrivals = 0
        self._clock = float("-inf")
        self._watermark = float("-inf")
        self._released_until = float("-inf")
        self._seen: OrderedDict[int, None] = OrderedDict()
        # Sources (the posts topic's partitions) whose event time the release waits for, and how far each got.
        self._sources: frozenset[int] = frozenset()
        self._source_time: dict[int, float] = {}
        self._idle_sources: set[int] = set()
        self.posts_processed = 0
        self.late_posts = 0
        self._outbox: list[Alert] = []
        self._failures: list[tuple[Post, str]] = []

    def process_posts(self, posts: Iterable[Post]) -> list[Alert]:
        """Normalise and process raw posts: the backtest's entry point."""
        return self.process(normalise(p) for p in posts)

    def expect_sources(self, sources: Iterable[int]) -> None:
        """Hold each tick until every one of ``sources`` has passed it.

        Posts come from several partitions, read by one or more workers at their own pace. A tick released
        as soon as the fastest source passed it would treat the slower sources' posts as late, and the result
        would depend on how the partitions were interleaved. Waiting for the slowest source makes it depend
        on the posts only: two workers find what one finds.
        """
        self._sources = frozenset(sources)

    def mark_idle(self, source: int) -> bool:
        """Stop waiting for a source that has gone quiet (an empty partition); it counts again when it sends.
        Returns whether it was awaited until now."""
        if source in self._idle_sources or source not in self._sources:
            return False
        self._idle_sources.add(source)
        return True

    def process(self, items: Iterable[NormalisedPost], source: int | None = None) -> list[Alert]:
        """Buffer normalised posts and process every complete tick; return the alert records emitted."""
        newest = float("-inf")
        late_before = self._released_until - self.late_after_s
        buffer = self._buffer
        arrivals = self._arrivals
        for item in items:
            ts = item.post.ts
            arrivals += 1
            heapq.heappush(buffer, (ts, item.post.id, arrivals, item))
            if ts > newest:
                newest = ts
            if ts < late_before:
                self.late_posts += 1  # its tick is long gone: it is processed now, out of order
        self._arrivals = arrivals
        self._buffer_newest = max(self._buffer_newest, newest)
        self._watermark = max(self._watermark, newest)
        if source is not None:
            self._source_time[source] = max(self._source_time.get(source, float("-inf")), newest)
            self._idle_sources.discard(source)
        horizon = (self._event_time() - self.lateness_s) // self.tick_s * self.tick_s
        if horizon > self._released_until:
            self._released_until = horizon
        # Also the posts of ticks released already (after an idle release, or late ones): on arrival.
        return self._release(self._released_until)

    def _event_time(self) -> float:
        """How far event time has surely got: the slowest awaited source, or the newest post without sources."""
        waiting = self._sources - self._idle_sources
        if not waiting:
            return self._watermark
        return min(self._source_time.get(s, float("-inf")) for s in waiting)

    @property
    def suppressed(self) -> int:
        """Incidents not raised because enough similar ones were labelled not relevant lately (a counter)."""
        return self.tracker.suppressed

    @property
    def buffered(self) -> int:
        """Posts waiting for their tick to complete."""
        return len(self._buffer)

    def flush(self) -> list[Alert]:
        """Process everything buffered, as at the end of a backtest."""
        return self._release(float("inf"))

    def release_idle(self) -> list[Alert]:
        """Process everything buffered now, as a live service does when input pauses: event time is taken to
        have reached the newest of these posts, so a post of their ticks that arrives later is processed on
        arrival, out of order (and counted late if it is more than ``late_after_s`` behind).

        >>> from schemas.post import Post
        >>> core = DetectionCore(late_after_s=30.0)
        >>> _ = core.process_posts([Post(id="a", ts=100.0, text="x")]); _ = core.release_idle()
        >>> _ = core.process_posts([Post(id="b", ts=90.0, text="x"), Post(id="c", ts=50.0, text="x")])
        >>> core.buffered, core.late_posts
        (0, 1)
        """
        if not self._buffer:
            return []
        newest = self._buffer_newest
        alerts = self._release(float("inf"))
        self._released_until = max(self._released_until, (newest // self.tick_s + 1) * self.tick_s)
        return alerts

    def _release(self, horizon: float) -> list[Alert]:
        """Process the buffered posts older than ``horizon``, in ``(ts, id)`` order, ties in arrival order."""
        buffer = self._buffer
        if not buffer or buffer[0][0] >= horizon:
            return []
        if self._buffer_newest < horizon:  # all of it (a backtest's one call): one sort beats popping one by one
            buffer.sort()
            now_ready = [entry[3] for entry in buffer]
            self._buffer = []
            self._buffer_newest = float("-inf")
        else:
            now_ready = []
            while buffer and buffer[0][0] < horizon:
                now_ready.append(heapq.heappop(buffer)[3])
        alerts: list[Alert] = []
        # A backtest releases its whole file at once: in blocks, the arrays of a release stay small enough to
        # reuse the same memory, block after block, instead of faulting in hundreds of megabytes afresh.
        for start in range(0, len(now_ready), _RELEASE_BLOCK):
            alerts.extend(self._release_block(now_ready[start : start + _RELEASE_BLOCK]))
        return alerts

    def _release_block(self, now_ready: list[NormalisedPost]) -> list[Alert]:
        """Process released posts, in order: exactly what processing them one by one would do."""
        duplicates = [self._is_copy(item) for item in now_ready]
        keys = _ReleaseKeys(now_ready)
        # Significance for the whole release at once (vectorised); exactly the one-by-one scores.
        # A copy is scored against the trend but not counted in it: 1,000 retweets are one message.
        z, frequency, counts = self.significance.observe_hashed(
            keys.hashes,
            keys.owner,
            [item.lang for item in now_ready],
            [not d for d in duplicates],
            [item.post.ts for item in now_ready],
        )
        # Rarity weights of the terms (the first keys): idf from the baselines, capped.
        rarity = (-np.log10(np.maximum(frequency[: keys.n_terms], _MIN_FREQUENCY))).tolist()
        trending: list[dict[str, float]] = [{} for _ in now_ready]
        hot = np.flatnonzero((z >= self.z_threshold) & (counts >= self.min_count))
        for (post_index, key), z_hot in zip(keys.keys(hot), z[hot].tolist(), strict=True):
            trending[post_index][key] = z_hot
        alerts: list[Alert] = []
        offsets = keys.term_offsets
        for i, item in enumerate(now_ready):
            if item.automated:  # counted as processed, and part of no story
                self.posts_processed += 1
                continue
            try:
                weights = dict(zip(item.terms, rarity[offsets[i] : offsets[i + 1]], strict=True))
                # A retweet is no independent poster, even the first copy of its message that counted above.
                alerts.extend(self._track(item, duplicates[i] or item.is_retweet, weights, trending[i]))
            except Exception as exc:
                self._failures.append((item.post, f"{type(exc).__name__}: {exc}"))
        return alerts

    def compact(self) -> None:
        """Let go of what detection will never read again, before the state is saved. Changes no result."""
        self.tracker.compact()

    def take_failures(self) -> list[tuple[Post, str]]:
        """Posts whose processing raised (a bug of ours), with the error, since the last call."""
        out, self._failures = self._failures, []
        return out

    def _is_copy(self, norm: NormalisedPost) -> bool:
        """Whether the post's message was counted already (or is a service's, never counted). The first copy
        of a message counts, retweet or not: a sampled or filtered stream often lacks the original, and then
        that copy is the only sighting of a message that is spreading. Every later copy is a duplicate."""
        if norm.automated:
            return True  # a job ad or a trend report speaks for nobody
        duplicate = norm.fingerprint in self._seen
        if not duplicate:
            self._seen[norm.fingerprint] = None
            if len(self._seen) > self.dedup_window:
                self._seen.popitem(last=False)
        return duplicate

    def _track(
        self, norm: NormalisedPost, duplicate: bool, weights: dict[str, float], trending: dict[str, float]
    ) -> list[Alert]:
        self.posts_processed += 1
        post = norm.post
        self._clock = max(self._clock, post.ts)
        return self.tracker.process_one(
            Sighting(
                post=post,
                lang=norm.lang,
                terms=norm.terms,
                tokens=norm.tokens,
                duplicate=duplicate,
                weights=weights,
                mentions=norm.mentions,
                news_trigger=TYPES[norm.news_trigger] if norm.news_trigger else None,
                kind=TYPES[norm.kind] if norm.kind else None,
                kind_confidence=norm.kind_confidence,
                trending=trending,
                now=self._clock,
            )
        )

    # -- River shape: the core as an online detector of single posts -------------------------------------------

    def learn_one(self, x: Post) -> None:
        """Process one post; its alert records, if any, come out of :meth:`process` callers' flow."""
        self._outbox.extend(self.process_posts([x]))

    def score_one(self, x: Post) -> float:
        """How significant the post's words are right now (highest z of its keys), without learning it."""
        keys = _ReleaseKeys([normalise(x)])
        z, _, _ = self.significance.score_hashed(keys.hashes, keys.langs[0])
        return float(z.max()) if len(z) else 0.0

    def drain(self) -> list[Alert]:
        """Alert records produced by :meth:`learn_one` since the last drain."""
        out, self._outbox = self._outbox, []
        return out

    def feedback(self, feedback: Feedback) -> list[Alert]:
        """Learn from an officer's label; a dismissed incident is resolved at once (its record is returned).
        A labelled incident also ranks the similar ones raised after it (``detectors.labels``). An
        acknowledgement teaches nothing: it is the console's business."""
        relevant = feedback.relevant
        if relevant is None:
            return []
        if feedback.incident_id is not None:
            return self.tracker.feedback(feedback.incident_id, relevant, now=self._clock)
        if feedback.text is not None:
            self.tracker.learn_text(normalise_text(feedback.text, feedback.lang).terms, relevant)
        return []


_TRIU = [np.triu_indices(m, 1) for m in range(_PAIR_TERMS + 1)]


class _ReleaseKeys:
    """The significance keys of a release of posts, as hashes: each post's terms, then pairs of its first terms.

    Key strings ("en:embassy", "en:embassy+protest") are only built for the few keys that trend.
    """

    __slots__ = ("hashes", "langs", "n_terms", "owner", "pair_first", "pair_second", "posts", "term_offsets")

    def __init__(self, posts: list[NormalisedPost]) -> None:
        self.posts = posts
        self.langs = [p.lang for p in posts]
        sizes = [len(p.terms) for p in posts]
        self.term_offsets = [0, *itertools.accumulate(sizes)]
        self.n_terms = self.term_offsets[-1]
        term_hash = term_hashes([(p.lang, p.terms) for p in posts], self.n_terms)
        # Pairs among each post's first terms, built per pair count (at most _PAIR_TERMS + 1 passes, not one
        # per post). Occurrences then come grouped by size, each post's pairs together and in order: the
        # significance model takes occurrences in any order, and a post's trending keys keep theirs.
        pair_terms = np.minimum(np.asarray(sizes, dtype=np.int64), _PAIR_TERMS)
        starts = np.asarray(self.term_offsets[:-1], dtype=np.int64)
        first_parts: list[npt.NDArray[np.int64]] = []
        second_parts: list[npt.NDArray[np.int64]] = []
        owner_parts: list[npt.NDArray[np.int64]] = []
        for size in range(2, _PAIR_TERMS + 1):
            with_size = np.flatnonzero(pair_terms == size)
            if not len(with_size):
                continue
            first, second = _TRIU[size]
            base_offsets = starts[with_size][:, None]
            first_parts.append((base_offsets + first).ravel())
            second_parts.append((base_offsets + second).ravel())
            owner_parts.append(np.repeat(with_size, len(first)))
        empty = np.zeros(0, dtype=np.int64)
        self.pair_first = np.concatenate(first_parts) if first_parts else empty  # global term index
        self.pair_second = np.concatenate(second_parts) if second_parts else empty
        pair_owner = np.concatenate(owner_parts) if owner_parts else empty
        pair_hash = pair_hashes(term_hash[self.pair_first], term_hash[self.pair_second])
        self.hashes = np.concatenate([term_hash, pair_hash])
        term_owner = np.repeat(np.arange(len(posts), dtype=np.int64), sizes)
        self.owner = np.concatenate([term_owner, pair_owner])

    def keys(self, occurrences: npt.NDArray[np.int64]) -> list[tuple[int, str]]:
        """The post and the readable key of each key occurrence: ``"en:embassy"`` or ``"en:embassy+protest"``.
        The arrays are read once for all of them: a busy release has thousands of trending occurrences."""
        owners = self.owner[occurrences].tolist()
        if len(self.pair_first):
            pairs = np.maximum(occurrences - self.n_terms, 0)  # a term's own row is read, never used
            firsts, seconds = self.pair_first[pairs].tolist(), self.pair_second[pairs].tolist()
        else:
            firsts = seconds = [0] * len(owners)
        n_terms, offsets, posts = self.n_terms, self.term_offsets, self.posts
        out: list[tuple[int, str]] = []
        for occurrence, owner, first, second in zip(occurrences.tolist(), owners, firsts, seconds, strict=True):
            post = posts[owner]
            offset = offsets[owner]
            if occurrence < n_terms:
                out.append((owner, f"{post.lang}:{post.terms[occurrence - offset]}"))
            else:
                a, b = post.terms[first - offset], post.terms[second - offset]
                out.append((owner, f"{post.lang}:{a}+{b}" if a < b else f"{post.lang}:{b}+{a}"))
        return out
