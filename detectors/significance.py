"""SigniTrend-style significance of terms and term pairs, in fixed memory.

Each key (a term or a pair, prefixed by its language) hashes into ``n_hashes`` buckets of fixed tables.
One table counts the current slot (a count-min sketch); the others keep an exponentially weighted mean and
variance of each bucket's *frequency* per slot: the share of that language's posts in the slot that carry
the key. Reading takes the row with the smallest mean, since collisions can only add. Frequencies rather
than counts make the daily rhythm and a shift in the language mix neutral. Memory is the tables, fixed at
construction, whatever the vocabulary.

Time is the posts' own time. A slot only counts when posts arrive in it: a gap of a week in a sparse stream
does not wipe the baseline.

>>> sig = HashedSignificance(n_buckets=1 << 12, slot_s=60.0, warmup_slots=2)
>>> for minute in range(30):  # a quiet baseline: "weather" in every post, "embassy" never
...     for i in range(10):
...         _ = sig.observe(["en:weather", "en:traffic" if i % 2 else "en:lunch"], "en", minute * 60.0 + i)
>>> scores = [sig.observe(["en:embassy", "en:weather"], "en", 30 * 60.0 + i) for i in range(6)]
>>> [round(float(z), 2) for z in scores[-1].z], [int(c) for c in scores[-1].counts]
([5.0, 0.0], [6, 6])
>>> sig.score_one({"keys": ["en:embassy"], "lang": "en"}) > 4  # River shape: score without learning
True
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from river import base

_GOLDEN = 0x9E3779B97F4A7C15
_MAX_LANGS = 64  # language ids are small ints; rare extra languages share the last id

FloatArray = npt.NDArray[np.float64]


class Scores(NamedTuple):
    z: FloatArray  # significance of each key in the current slot
    frequency: FloatArray  # its baseline: expected share of posts carrying it
    counts: FloatArray  # posts carrying it in the current slot (count-min estimate)


class HashedSignificance(base.Base):
    """z-scores ``(count - max(expected, beta)) / (std + beta)`` for keys in the current slot.

    Args:
        n_buckets: buckets per hash row; memory is about ``n_hashes * n_buckets * 30`` bytes, fixed.
        n_hashes: independent rows; a key reads the row with the least collision noise.
        slot_s: length of a time slot in seconds of event time.
        half_life_slots: how many active slots a baseline takes to halve its weight.
        beta: noise floor in posts; keeps rare keys from scoring on a single post.
        warmup_slots: active slots over which the prior gives way to the learned baselines.
        prior_frequency: the share of posts any key is assumed to reach before baselines exist. A story
            already running when the stream starts still stands out, and everyday words do not.
    """

    def __init__(
        self,
        n_buckets: int = 1 << 20,
        n_hashes: int = 4,
        slot_s: float = 3600.0,
        half_life_slots: float = 24.0,
        beta: float = 1.0,
        warmup_slots: int = 3,
        prior_frequency: float = 0.06,
    ) -> None:
        self.n_buckets = n_buckets
        self.n_hashes = n_hashes
        self.slot_s = slot_s
        self.half_life_slots = half_life_slots
        self.beta = beta
        self.warmup_slots = warmup_slots
        self.prior_frequency = prior_frequency
        self._alpha = 1.0 - 0.5 ** (1.0 / half_life_slots)
        shape = (n_hashes, n_buckets)
        # np.full writes every page now, so resident memory is the same at 10^4 or 10^6 distinct keys.
        self._mean = np.full(shape, 0.0, dtype=np.float64)
        self._var = np.full(shape, 0.0, dtype=np.float64)
        self._last = np.full(shape, -1, dtype=np.int32)
        self._count = np.full(shape, 0, dtype=np.int32)  # current slot
        self._count_lang = np.full(shape, 0, dtype=np.int8)  # language of the key last counted in the bucket
        self._touched = np.full(shape, False, dtype=np.bool_)
        # Buckets counted in the current slot. A list while the slot is small (scanning the whole mask costs
        # milliseconds), the mask once it is large.
        self._touched_list: list[npt.NDArray[np.int64]] | None = []
        self._touched_size = 0
        self._rows = np.arange(n_hashes)[:, None]
        self._lang_ids: dict[str, int] = {}
        self._slot_docs = np.zeros(_MAX_LANGS, dtype=np.int64)
        self.slot: int | None = None  # index of the current slot (event time // slot_s)
        self.active_slots = 0  # slots closed that had posts

    # -- River shape ------------------------------------------------------------------------------------------

    def learn_one(self, x: Mapping[str, Any]) -> None:
        """Count one post: ``x = {"keys": [...], "lang": "en", "ts": epoch seconds}``."""
        self.observe(x["keys"], x["lang"], float(x["ts"]))

    def score_one(self, x: Mapping[str, Any]) -> float:
        """The highest significance among the post's keys in the current slot, without counting it."""
        scores = self.score(x["keys"], x["lang"])
        return float(scores.z.max()) if len(scores.z) else 0.0

    # -- learning and scoring -----------------------------------------------------------------------------

    def observe(self, keys: Sequence[str], lang: str, ts: float) -> Scores:
        """Count one post carrying ``keys`` at event time ``ts``; return its keys' scores after counting."""
        return self.observe_many([keys], [lang], [True], [ts])[0]

    def observe_many(
        self, keys: Sequence[Sequence[str]], langs: Sequence[str], counted: Sequence[bool], ts: Sequence[float]
    ) -> list[Scores]:
        """:meth:`observe` (or :meth:`score`, where ``counted`` is false) for many posts in order, vectorised.

        Each post's scores are exactly those the one-by-one calls would give: counts run in post order, and a
        post sees its own keys counted. Posts are grouped by the slot they count in; within a slot the
        baselines do not move, so they are read once for the whole group.
        """
        out: list[Scores] = []
        start = 0
        n = len(keys)
        while start < n:
            # The slot a post counts in: its own, or the current one if it is late (the past is not rewritten).
            self._roll_to(int(ts[start] // self.slot_s))
            end = start + 1
            while end < n and int(ts[end] // self.slot_s) <= (self.slot if self.slot is not None else 0):
                end += 1
            out.extend(self._observe_group(keys[start:end], langs[start:end], counted[start:end]))
            start = end
        return out

    def _observe_group(
        self, keys: Sequence[Sequence[str]], langs: Sequence[str], counted: Sequence[bool]
    ) -> list[Scores]:
        n_posts = len(keys)
        sizes = np.fromiter((len(k) for k in keys), dtype=np.int64, count=n_posts)
        owner = np.repeat(np.arange(n_posts), sizes)  # post of each key occurrence
        flat = [k for post_keys in keys for k in post_keys]
        lang_ids = np.fromiter((self._lang_id(lang) for lang in langs), dtype=np.int64, count=n_posts)
        inc_post = np.fromiter(counted, dtype=np.int64, count=n_posts)
        # Documents per language seen so far, each post included if counted: running per language.
        docs_post = np.empty(n_posts, dtype=np.int64)
        for lang_id in np.unique(lang_ids):
            mine = lang_ids == lang_id
            docs_post[mine] = self._slot_docs[lang_id] + np.cumsum(inc_post[mine])
            self._slot_docs[lang_id] += int(inc_post[mine].sum())
        if not flat:
            empty = np.zeros(0)
            return [Scores(empty, empty, empty) for _ in range(n_posts)]
        idx = self._buckets(flat)  # (rows, occurrences)
        inc = inc_post[owner]
        counts = np.empty(idx.shape, dtype=np.int64)
        for row in range(self.n_hashes):
            buckets = idx[row]
            # Running count per bucket in post order, a post seeing all of its own increments.
            group = buckets * n_posts + owner
            uniq, inverse = np.unique(group, return_inverse=True)
            per_group = np.bincount(inverse, weights=inc).astype(np.int64)
            running = np.cumsum(per_group)
            bucket_of_group = uniq // n_posts
            first = np.r_[True, bucket_of_group[1:] != bucket_of_group[:-1]]
            start_index = np.maximum.accumulate(np.where(first, np.arange(len(uniq)), 0))
            before_group = np.where(start_index > 0, running[start_index - 1], 0)
            counts[row] = self._count[row, buckets] + (running - before_group)[inverse]
            touched_buckets = bucket_of_group[per_group > 0]
            np.add.at(self._count[row], buckets, inc)
            if touched_buckets.size:
                self._count_lang[row, buckets[inc > 0]] = lang_ids[owner[inc > 0]]
        counted_idx = idx[:, inc > 0]
        if counted_idx.size:
            self._mark_touched(counted_idx)
        count = counts.min(axis=0).astype(np.float64)
        z, mean = self._z(idx, count, docs_post[owner].astype(np.float64))
        bounds = np.r_[0, np.cumsum(sizes)]
        return [
            Scores(z[bounds[i] : bounds[i + 1]], mean[bounds[i] : bounds[i + 1]], count[bounds[i] : bounds[i + 1]])
            for i in range(n_posts)
        ]

    def score(self, keys: Sequence[str], lang: str) -> Scores:
        """Scores of keys in the current slot, without counting anything."""
        return self._scores(self._buckets(keys), int(self._slot_docs[self._lang_id(lang)]))

    def _scores(self, idx: npt.NDArray[np.int64], docs: int) -> Scores:
        if idx.shape[1] == 0:
            empty = np.zeros(0)
            return Scores(empty, empty, empty)
        count = self._count[self._rows, idx].min(axis=0).astype(np.float64)
        z, mean = self._z(idx, count, np.full(idx.shape[1], float(docs)))
        return Scores(z, mean, count)

    def _z(self, idx: npt.NDArray[np.int64], count: FloatArray, docs: FloatArray) -> tuple[FloatArray, FloatArray]:
        """z-scores of keys seen ``count`` times among ``docs`` posts of their language, and their baselines."""
        mean, var = self._read(idx)
        if self.active_slots < self.warmup_slots:
            # Cold start: a fading prior instead of silence, so an event in progress at the start is seen.
            mean = np.maximum(mean, self.prior_frequency * (1.0 - self.active_slots / self.warmup_slots))
        expected = np.maximum(mean * docs, self.beta)
        std = np.sqrt(np.maximum(var, 0.0)) * docs  # EW variance can dip below zero by rounding
        return (count - expected) / (std + self.beta), mean

    def _mark_touched(self, idx: npt.NDArray[np.int64]) -> None:
        """Remember the buckets counted in this slot, for closing it."""
        if self._touched_list is not None:
            self._touched_list.append(idx)
            self._touched_size += idx.size
            if self._touched_size > self.n_buckets:
                # A huge slot: mark a mask instead, so this list stays bounded.
                for earlier in self._touched_list:
                    self._touched[self._rows, earlier] = True
                self._touched_list = None
        else:
            self._touched[self._rows, idx] = True

    def _read(self, idx: npt.NDArray[np.int64]) -> tuple[FloatArray, FloatArray]:
        rows = self._rows
        # Slots that passed since a bucket's last update carried zero for it: decay on read.
        idle = np.maximum(self.active_slots - 1 - self._last[rows, idx], 0)
        decay = (1.0 - self._alpha) ** idle
        mean = self._mean[rows, idx] * decay
        var = self._var[rows, idx] * decay
        best = np.argmin(mean, axis=0)
        cols = np.arange(idx.shape[1])
        # Correct the early mean, which starts from zero, as Adam does: otherwise warm-up reads too low.
        correction = 1.0 - (1.0 - self._alpha) ** max(self.active_slots, 1)
        return mean[best, cols] / correction, var[best, cols] / correction

    def _buckets(self, keys: Sequence[str]) -> npt.NDArray[np.int64]:
        h1 = np.fromiter((zlib.crc32(k.encode()) for k in keys), dtype=np.uint64, count=len(keys))
        # The second hash is mixed from the first (Fibonacci hashing): one CRC per key, the hot path's main cost.
        h2 = (((h1 * np.uint64(_GOLDEN)) >> np.uint64(11)) & np.uint64(0xFFFFFFFF)) | np.uint64(1)
        # Double hashing: row i uses h1 + i*h2, as good as independent hashes for count-min (Kirsch-Mitzenmacher).
        rows = self._rows.astype(np.uint64)
        return ((h1[None, :] + rows * h2[None, :]) % np.uint64(self.n_buckets)).astype(np.int64)

    def _lang_id(self, lang: str) -> int:
        lang_id = self._lang_ids.get(lang)
        if lang_id is None:
            lang_id = min(len(self._lang_ids), _MAX_LANGS - 1)
            if len(self._lang_ids) < _MAX_LANGS:
                self._lang_ids[lang] = lang_id
        return lang_id

    # -- slots ------------------------------------------------------------------------------------------------

    def _roll_to(self, slot: int) -> None:
        if self.slot is None:
            self.slot = slot
            return
        if slot <= self.slot:
            return  # a late post counts in the current slot: the past is never rewritten
        self._close_slot()
        self.slot = slot

    def _close_slot(self) -> None:
        if self._touched_list is not None:
            if self._touched_list:
                flat = np.unique(
                    np.concatenate([(self._rows * self.n_buckets + i).ravel() for i in self._touched_list])
                )
                rows, buckets = np.divmod(flat, self.n_buckets)
            else:
                rows = buckets = np.zeros(0, dtype=np.int64)
        else:
            rows, buckets = np.nonzero(self._touched)
            self._touched[rows, buckets] = False
        self._touched_list, self._touched_size = [], 0
        if len(rows) == 0:
            self._slot_docs[:] = 0
            return
        docs = np.maximum(self._slot_docs[self._count_lang[rows, buckets]], 1)
        x = self._count[rows, buckets] / docs
        seq = self.active_slots
        idle = np.maximum(seq - 1 - self._last[rows, buckets], 0)
        decay = (1.0 - self._alpha) ** idle
        mean = self._mean[rows, buckets] * decay
        var = self._var[rows, buckets] * decay
        diff = x - mean
        incr = self._alpha * diff
        self._mean[rows, buckets] = mean + incr
        self._var[rows, buckets] = (1.0 - self._alpha) * (var + diff * incr)
        self._last[rows, buckets] = seq
        self._count[rows, buckets] = 0
        self._slot_docs[:] = 0
        self.active_slots += 1
