# cython: boundscheck=False, wraparound=False
# Read by Cython alone, for the compiled core: its typed loops (significance.pxd) index within their arrays by
# construction, and a test holds them to the vectorised path's bits. No index in this module is negative.
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
>>> [round(float(z), 2) + 0.0 for z in scores[-1].z], [int(c) for c in scores[-1].counts]
([5.0, 0.0], [6, 6])

On a quiet stream a slot runs on until it holds ``min_slot_posts`` posts: three posts an hour make one
closed slot in ten hours, not ten slots of three.

>>> quiet = HashedSignificance(n_buckets=1 << 12, slot_s=3600.0, min_slot_posts=20)
>>> for hour in range(10):
...     for i in range(3):
...         _ = quiet.observe(["en:weather"], "en", hour * 3600.0 + i)
>>> quiet.active_slots
1
>>> sig.score_one({"keys": ["en:embassy"], "lang": "en"}) > 4  # River shape: score without learning
True
"""

from __future__ import annotations

import importlib.machinery
import math
import zlib
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from river import base

_GOLDEN = 0x9E3779B97F4A7C15
_MAX_LANGS = 64  # language ids are small ints; rare extra languages share the last id

FloatArray = npt.NDArray[np.float64]
# Whether this module runs compiled (see detectors.compiled): the slot groups then take the one-pass loop.
_COMPILED = __file__.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))


class Scores(NamedTuple):
    z: FloatArray  # significance of each key in the current slot
    frequency: FloatArray  # its baseline: expected share of posts carrying it
    counts: FloatArray  # posts carrying it in the current slot (count-min estimate)


class TouchedBuckets:
    """The buckets counted in the current slot, each listed once: those closing the slot folds into the baselines.
    A list of sorted arrays while the slot is small (scanning the whole mask costs milliseconds), the mask once
    the list would hold more entries than a table row has buckets."""

    def __init__(self, shape: tuple[int, int]) -> None:
        self.mask = np.full(shape, False, dtype=np.bool_)
        self.listed: list[npt.NDArray[np.int64]] | None = []
        self.size = 0

    def mark(self, flat: npt.NDArray[np.int64]) -> None:
        """Remember buckets counted in this slot (unique within ``flat``)."""
        if self.listed is not None:
            self.listed.append(flat)
            self.size += flat.size
            if self.size > self.mask.shape[1]:
                # A huge slot: mark a mask instead, so this list stays bounded.
                mask = self.mask.reshape(-1)
                for earlier in self.listed:
                    mask[earlier] = True
                self.listed = None
        else:
            self.mask.reshape(-1)[flat] = True

    def mark_new(self, flat: npt.NDArray[np.int64]) -> None:
        """:meth:`mark` for buckets the compiled loop has set in the mask already, to list each once."""
        if self.listed is not None:
            self.mask.reshape(-1)[flat] = False  # the mask only served to list each bucket once
        self.mark(flat)

    def take(self) -> npt.NDArray[np.int64]:
        """The buckets counted in the slot now closing, each once; the next slot starts with none."""
        if self.listed is not None:
            # Each group's buckets are unique already: one group (the usual case) needs no merge.
            if len(self.listed) == 1:
                flat = self.listed[0]
            else:
                flat = np.unique(np.concatenate(self.listed)) if self.listed else np.zeros(0, np.int64)
        else:
            mask = self.mask.reshape(-1)
            flat = np.flatnonzero(mask)
            mask[flat] = False
        self.listed, self.size = [], 0
        return flat


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
        min_slot_posts: posts a slot needs before it may close; a quieter slot runs on into the next ones.
            On a stream of 30 posts an hour, an hourly count of 2 says nothing, while 8 in four hours does.
        max_slot_span: the most slots (of ``slot_s``) one extended slot may span, so a baseline still moves.
    """

    def __init__(
        self,
        n_buckets: int = 1 << 21,
        n_hashes: int = 2,
        slot_s: float = 3600.0,
        half_life_slots: float = 24.0,
        beta: float = 1.0,
        warmup_slots: int = 3,
        prior_frequency: float = 0.06,
        min_slot_posts: int = 150,
        max_slot_span: int = 24,
    ) -> None:
        self.n_buckets = n_buckets
        self.n_hashes = n_hashes
        self.slot_s = slot_s
        self.half_life_slots = half_life_slots
        self.beta = beta
        self.warmup_slots = warmup_slots
        self.prior_frequency = prior_frequency
        self.min_slot_posts = min_slot_posts
        self.max_slot_span = max_slot_span
        if not (math.isfinite(half_life_slots) and half_life_slots > 0):
            raise ValueError(f"half_life_slots must be a positive number, not {half_life_slots!r}")
        self._alpha = 1.0 - 0.5 ** (1.0 / half_life_slots)
        shape = (n_hashes, n_buckets)
        # np.full writes every page now, so resident memory is the same at 10^4 or 10^6 distinct keys.
        self._mean = np.full(shape, 0.0, dtype=np.float64)
        self._var = np.full(shape, 0.0, dtype=np.float64)
        self._last = np.full(shape, -1, dtype=np.int32)
        self._count = np.full(shape, 0, dtype=np.int32)  # current slot
        self._count_lang = np.full(shape, 0, dtype=np.int8)  # language of the key last counted in the bucket
        self._touched = TouchedBuckets(shape)
        self._lang_ids: dict[str, int] = {}
        self._slot_docs = np.zeros(_MAX_LANGS, dtype=np.int64)
        self.slot: int | None = None  # index of the current slot (event time // slot_s)
        self._slot_start = 0  # where the current slot began, if it has run on for lack of posts
        self.active_slots = 0  # slots closed that had posts
        self._decay_table = np.ones(1)

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
        post sees its own keys counted.
        """
        sizes = [len(k) for k in keys]
        owner = np.repeat(np.arange(len(keys)), sizes)
        z, mean, count = self.observe_hashed(hash_keys([k for post in keys for k in post]), owner, langs, counted, ts)
        bounds = np.r_[0, np.cumsum(sizes)]
        return [
            Scores(z[bounds[i] : bounds[i + 1]], mean[bounds[i] : bounds[i + 1]], count[bounds[i] : bounds[i + 1]])
            for i in range(len(keys))
        ]

    def observe_hashed(
        self,
        hashes: npt.NDArray[np.uint64],
        owner: npt.NDArray[np.int64],
        langs: Sequence[str],
        counted: Sequence[bool],
        ts: Sequence[float],
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """The hot path: key hashes (see :func:`hash_keys`, :func:`pair_hashes`) and the post owning each.

        Posts are in order; key occurrences may come in any order. Returns ``(z, frequency, counts)`` aligned
        with ``hashes``. Posts are grouped by the slot they count in; within a slot the baselines do not move,
        so they are read once for the whole group.
        """
        n = len(langs)
        # The compiled pass reads these as C arrays of exactly these types.
        hashes, owner = np.asarray(hashes, dtype=np.uint64), np.asarray(owner, dtype=np.int64)
        order = np.argsort(owner, kind="stable")
        sorted_owner = owner[order]
        z_out = np.empty(len(hashes))
        mean_out = np.empty(len(hashes))
        count_out = np.empty(len(hashes))
        sorted_hashes = hashes[order]
        known = self._lang_ids
        lang_ids = np.array(
            [known[lang] if lang in known else _lang_id_in(known, lang) for lang in langs], dtype=np.int64
        )
        increments = [1 if c else 0 for c in counted]
        inc_post = np.array(increments, dtype=np.int64)
        slot_s = self.slot_s
        start = 0
        while start < n:
            # The slot a post counts in: its own, or the current one if it is late (the past is not rewritten).
            self._roll_to(int(ts[start] // slot_s))
            current = self.slot if self.slot is not None else 0
            # The group runs on while the slot does: a slot that runs on for lack of posts moves no baseline,
            # so a quiet stream's hours are one group, not one numpy pass each.
            docs = int(self._slot_docs.sum()) + increments[start]
            end = start + 1
            while end < n:
                slot = int(ts[end] // slot_s)
                if slot > current:
                    if not self._runs_on(slot, docs):
                        break
                    current = self.slot = slot
                docs += increments[end]
                end += 1
            lo, hi = np.searchsorted(sorted_owner, [start, end])
            z, mean, count = self._observe_group(
                sorted_hashes[lo:hi], sorted_owner[lo:hi] - start, lang_ids[start:end], inc_post[start:end]
            )
            where = order[lo:hi]
            z_out[where], mean_out[where], count_out[where] = z, mean, count
            start = end
        return z_out, mean_out, count_out

    def _observe_group(
        self,
        hashes: npt.NDArray[np.uint64],
        owner: npt.NDArray[np.int64],
        lang_ids: npt.NDArray[np.int64],
        inc_post: npt.NDArray[np.int64],
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Count a group of posts in one slot and score their keys (occurrences sorted by ``owner``).

        Compiled, in one pass over the keys (:func:`_count_and_read`); from source, vectorised
        (:meth:`_observe_group_vectorised`). The numbers are the same.
        """
        if not _COMPILED:
            return self._observe_group_vectorised(
                bucket_indices(hashes, self.n_hashes, self.n_buckets), owner, lang_ids, inc_post
            )
        count, docs, mean, var = (np.empty(len(hashes)) for _ in range(4))
        idx = np.empty((self.n_hashes, len(hashes)), dtype=np.int64)
        new_touched = np.empty(idx.size, dtype=np.int64)
        n_new = 0  # assigned in the block, which C compilers cannot tell
        with np.errstate(over="ignore"):  # interpreted, the hashing's numpy scalars wrap (as in C) and would warn
            n_new = _count_and_read(
                hashes,
                self.n_buckets,
                idx,
                owner,
                lang_ids,
                inc_post,
                self._slot_docs,
                self._count.reshape(-1),
                self._count_lang.reshape(-1),
                self._touched.mask.reshape(-1).view(np.uint8),
                self._mean.reshape(-1),
                self._var.reshape(-1),
                self._last.reshape(-1),
                self._decays(),
                self.active_slots,
                self._correction(),
                count,
                docs,
                mean,
                var,
                new_touched,
            )
        if n_new:
            # Sorted, as the vectorised path lists them; and a copy, not a view that would keep the whole buffer.
            self._touched.mark_new(np.sort(new_touched[:n_new]))
        return self._z_of(count, docs, mean, var), mean, count

    def _observe_group_vectorised(
        self,
        idx: npt.NDArray[np.int64],
        owner: npt.NDArray[np.int64],
        lang_ids: npt.NDArray[np.int64],
        inc_post: npt.NDArray[np.int64],
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        counted = _count_vectorised(
            idx, owner, lang_ids, inc_post, self._slot_docs, self._count.reshape(-1), self._count_lang.reshape(-1)
        )
        if counted is None:
            empty = np.zeros(0)
            return empty, empty, empty
        count, docs, touched = counted
        if len(touched):
            self._touched.mark(touched)
        mean, var = self._read(idx)
        return self._z_of(count, docs, mean, var), mean, count

    def score(self, keys: Sequence[str], lang: str) -> Scores:
        """Scores of keys in the current slot, without counting anything."""
        return Scores(*self.score_hashed(hash_keys(keys), lang))

    def score_hashed(self, hashes: npt.NDArray[np.uint64], lang: str) -> tuple[FloatArray, FloatArray, FloatArray]:
        """:meth:`score` for key hashes."""
        if len(hashes) == 0:
            empty = np.zeros(0)
            return empty, empty, empty
        idx = bucket_indices(hashes, self.n_hashes, self.n_buckets)
        docs = float(self._slot_docs[_lang_id_in(self._lang_ids, lang)])
        count = self._count.reshape(-1)[idx].min(axis=0).astype(np.float64)
        mean, var = self._read(idx)
        return self._z_of(count, np.full(idx.shape[1], docs), mean, var), mean, count

    def _z_of(self, count: FloatArray, docs: FloatArray, learned: FloatArray, var: FloatArray) -> FloatArray:
        """z-scores of keys seen ``count`` times among ``docs`` posts of their language, from the baselines read
        for them (mean ``learned``, variance ``var``)."""
        mean = learned
        if self.active_slots < self.warmup_slots:
            # Cold start: a fading prior instead of silence, so an event in progress at the start is seen.
            # It sets the bar for trending only; rarity is read from what was learned.
            mean = np.maximum(mean, self.prior_frequency * (1.0 - self.active_slots / self.warmup_slots))
        expected = np.maximum(mean * docs, self.beta)
        std = np.sqrt(np.maximum(var, 0.0)) * docs  # EW variance can dip below zero by rounding
        return (count - expected) / (std + self.beta)

    def _read(self, idx: npt.NDArray[np.int64]) -> tuple[FloatArray, FloatArray]:
        # Slots that passed since a bucket's last update carried zero for it: decay on read.
        idle = np.maximum(self.active_slots - 1 - self._last.reshape(-1)[idx], 0)
        decay = self._decays()[idle]
        mean = self._mean.reshape(-1)[idx] * decay
        best = np.argmin(mean, axis=0)
        cols = np.arange(idx.shape[1])
        # The variance of the chosen row only: one gather fewer over every key occurrence.
        var = self._var.reshape(-1)[idx[best, cols]] * decay[best, cols]
        correction = self._correction()
        return mean[best, cols] / correction, var / correction

    def _correction(self) -> float:
        # Correct the early mean, which starts from zero, as Adam does: otherwise warm-up reads too low.
        return float(1.0 - (1.0 - self._alpha) ** max(self.active_slots, 1))

    def _decays(self) -> FloatArray:
        """The table ``(1 - alpha) ** i``, long enough for any bucket's idle span now."""
        need = self.active_slots + 1
        if len(self._decay_table) < need:
            self._decay_table = np.power(1.0 - self._alpha, np.arange(max(need, 2 * len(self._decay_table))))
        return self._decay_table

    # -- slots ------------------------------------------------------------------------------------------------

    def _roll_to(self, slot: int) -> None:
        if self.slot is None:
            self.slot = self._slot_start = slot
            return
        if slot <= self.slot:
            return  # a late post counts in the current slot: the past is never rewritten
        if self._runs_on(slot, int(self._slot_docs.sum())):
            self.slot = slot  # too few posts yet to read a baseline against: the slot runs on
            return
        self._close_slot()
        self.slot = self._slot_start = slot

    def _runs_on(self, slot: int, docs: int) -> bool:
        """Whether the current slot, holding ``docs`` posts, runs on into ``slot`` rather than closing."""
        return slot - self._slot_start < self.max_slot_span and docs < self.min_slot_posts

    def _close_slot(self) -> None:
        flat = self._touched.take()
        if len(flat) == 0:
            self._slot_docs[:] = 0
            return
        count, count_lang, last = self._count.reshape(-1), self._count_lang.reshape(-1), self._last.reshape(-1)
        mean_t, var_t = self._mean.reshape(-1), self._var.reshape(-1)
        seq = self.active_slots
        if _COMPILED:
            _close_buckets(
                flat, self._slot_docs, count, count_lang, mean_t, var_t, last, self._decays(), seq, self._alpha
            )
        else:
            _close_buckets_vectorised(
                flat, self._slot_docs, count, count_lang, mean_t, var_t, last, self._decays(), seq, self._alpha
            )
        self._slot_docs[:] = 0
        self.active_slots += 1


def _lang_id_in(known: dict[str, int], lang: str) -> int:
    """A language's small-int id, given the next free one when it is new; rare extra languages share the last."""
    lang_id = known.get(lang)
    if lang_id is None:
        lang_id = min(len(known), _MAX_LANGS - 1)
        if len(known) < _MAX_LANGS:
            known[lang] = lang_id
    return lang_id


def _count_vectorised(
    idx: npt.NDArray[np.int64],
    owner: npt.NDArray[np.int64],
    lang_ids: npt.NDArray[np.int64],
    inc_post: npt.NDArray[np.int64],
    slot_docs: npt.NDArray[np.int64],
    table: npt.NDArray[np.int32],
    count_lang: npt.NDArray[np.int8],
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.int64]] | None:
    """Count a slot group's posts (key occurrences' buckets ``idx``, sorted by ``owner``), vectorised: each key's
    count-min estimate after its post counted, its language's posts so far, and the buckets first counted here
    (sorted). None when the posts carry no keys (their posts are counted all the same)."""
    n_posts = len(lang_ids)
    # Documents per language seen so far, each post included if counted: running per language.
    docs_post = np.empty(n_posts, dtype=np.int64)
    for lang_id in np.unique(lang_ids).tolist():
        mine = lang_ids == lang_id
        docs_post[mine] = slot_docs[lang_id] + np.cumsum(inc_post[mine])
        slot_docs[lang_id] += int(inc_post[mine].sum())
    if idx.shape[1] == 0:
        return None
    inc = np.broadcast_to(inc_post[owner], idx.shape).ravel()
    flat = idx.ravel()
    # Running count per bucket in post order, a post seeing all of its own increments: one sort for all rows.
    group = flat * n_posts + np.broadcast_to(owner, idx.shape).ravel()
    uniq, inverse = np.unique(group, return_inverse=True)
    per_group = np.bincount(inverse, weights=inc).astype(np.int64)
    running = np.cumsum(per_group)
    bucket_of_group = uniq // n_posts
    first = np.r_[True, np.diff(bucket_of_group) != 0]
    start_index = np.maximum.accumulate(np.where(first, np.arange(len(uniq)), 0))
    before_group = np.where(start_index > 0, running[start_index - 1], 0)
    counts = (table[flat] + (running - before_group)[inverse]).reshape(idx.shape)
    counting = per_group > 0
    touched = np.zeros(0, dtype=np.int64)
    if counting.any():
        # Per bucket: its total increment and the language of its last counting post. Buckets are unique
        # here, so plain fancy writes do (np.add.at is many times slower).
        buckets = bucket_of_group[counting]
        last = np.r_[np.diff(buckets) != 0, True]
        touched = buckets[last]
        totals = np.diff(np.r_[0, np.cumsum(per_group[counting])[last]])
        table[touched] += totals
        count_lang[touched] = lang_ids[uniq[counting][last] % n_posts]
    return counts.min(axis=0).astype(np.float64), docs_post[owner].astype(np.float64), touched


def _count_and_read(
    hashes: npt.NDArray[np.uint64],
    n_buckets: int,
    idx: npt.NDArray[np.int64],
    owner: npt.NDArray[np.int64],
    lang_ids: npt.NDArray[np.int64],
    inc_post: npt.NDArray[np.int64],
    slot_docs: npt.NDArray[np.int64],
    count: npt.NDArray[np.int32],
    count_lang: npt.NDArray[np.int8],
    touched: npt.NDArray[np.uint8],
    mean_table: FloatArray,
    var_table: FloatArray,
    last: npt.NDArray[np.int32],
    decay: FloatArray,
    active_slots: int,
    correction: float,
    count_out: FloatArray,
    docs_out: FloatArray,
    mean_out: FloatArray,
    var_out: FloatArray,
    new_touched: npt.NDArray[np.int64],
) -> int:
    """Count a slot group's posts and read their keys' counts and baselines, post by post: the numbers of
    :meth:`HashedSignificance._observe_group_vectorised`, in the same floating-point operations, without its
    sorts. Compiled (``significance.pxd`` types it), this loop is C; interpreted, it is far slower than the
    vectorised path, which runs instead.

    ``hashes`` are the key occurrences, sorted by ``owner`` (the post, from 0); their buckets, as
    :func:`bucket_indices` finds them, go to ``idx`` (rows, occurrences). Each bucket first
    counted in this group (``touched`` unset) is set there and listed in ``new_touched``; the number listed is
    returned.
    """
    n_posts = lang_ids.shape[0]
    occurrences = owner.shape[0]
    rows = idx.shape[0]
    _bucket_rows(hashes, n_buckets, idx)
    n_new = 0
    k = 0
    for post in range(n_posts):
        lang = lang_ids[post]
        inc = inc_post[post]
        slot_docs[lang] += inc
        docs = float(slot_docs[lang])
        first = k
        while k < occurrences and owner[k] == post:
            k += 1
        if inc:
            # All of the post's increments first: a post sees its own keys counted, colliding ones included.
            for key in range(first, k):
                for row in range(rows):
                    bucket = idx[row, key]
                    count[bucket] += inc
                    count_lang[bucket] = lang
                    if not touched[bucket]:
                        touched[bucket] = 1
                        new_touched[n_new] = bucket
                        n_new += 1
        for key in range(first, k):
            # The row with the smallest decayed mean (the first, on a tie) has the least collision noise.
            bucket = idx[0, key]
            least = count[bucket]
            best = bucket
            best_decay = decay[max(active_slots - 1 - last[bucket], 0)]
            best_mean = mean_table[bucket] * best_decay
            for row in range(1, rows):
                bucket = idx[row, key]
                least = min(least, count[bucket])
                row_decay = decay[max(active_slots - 1 - last[bucket], 0)]
                row_mean = mean_table[bucket] * row_decay
                if row_mean < best_mean:
                    best, best_decay, best_mean = bucket, row_decay, row_mean
            count_out[key] = least
            docs_out[key] = docs
            mean_out[key] = best_mean / correction
            var_out[key] = var_table[best] * best_decay / correction
    return n_new


def _bucket_rows(hashes: npt.NDArray[np.uint64], n_buckets: int, idx: npt.NDArray[np.int64]) -> None:
    """:func:`bucket_indices` into ``idx``, one key at a time, for :func:`_count_and_read`: unsigned 64-bit
    arithmetic that wraps (numpy's and C's alike)."""
    golden, shift, low32, one = np.uint64(_GOLDEN), np.uint64(11), np.uint64(0xFFFFFFFF), np.uint64(1)
    size, low_bits = np.uint64(n_buckets), np.uint64(n_buckets - 1)
    power_of_two = n_buckets & (n_buckets - 1) == 0
    for k in range(hashes.shape[0]):
        h1 = hashes[k]
        h2 = (((h1 * golden) >> shift) & low32) | one
        mixed = h1
        for row in range(idx.shape[0]):
            if row:
                mixed += h2
            idx[row, k] = (mixed & low_bits if power_of_two else mixed % size) + row * n_buckets


def _close_buckets(
    flat: npt.NDArray[np.int64],
    slot_docs: npt.NDArray[np.int64],
    count: npt.NDArray[np.int32],
    count_lang: npt.NDArray[np.int8],
    mean_table: FloatArray,
    var_table: FloatArray,
    last: npt.NDArray[np.int32],
    decay: FloatArray,
    seq: int,
    alpha: float,
) -> None:
    """Fold the closing slot's count of each bucket in ``flat`` into its baseline: the vectorised close's
    numbers, in the same floating-point operations, one bucket at a time (compiled, see :func:`_count_and_read`).
    """
    keep = 1.0 - alpha
    for i in range(flat.shape[0]):
        bucket = flat[i]
        x = count[bucket] / max(slot_docs[count_lang[bucket]], 1)
        bucket_decay = decay[max(seq - 1 - last[bucket], 0)]
        mean = mean_table[bucket] * bucket_decay
        var = var_table[bucket] * bucket_decay
        diff = x - mean
        incr = alpha * diff
        mean_table[bucket] = mean + incr
        var_table[bucket] = keep * (var + diff * incr)
        last[bucket] = seq
        count[bucket] = 0


def _close_buckets_vectorised(
    flat: npt.NDArray[np.int64],
    slot_docs: npt.NDArray[np.int64],
    count: npt.NDArray[np.int32],
    count_lang: npt.NDArray[np.int8],
    mean_table: FloatArray,
    var_table: FloatArray,
    last: npt.NDArray[np.int32],
    decay: FloatArray,
    seq: int,
    alpha: float,
) -> None:
    """:func:`_close_buckets`, vectorised: the path from source."""
    docs = np.maximum(slot_docs[count_lang[flat]], 1)
    x = count[flat] / docs
    bucket_decay = decay[np.maximum(seq - 1 - last[flat], 0)]
    mean = mean_table[flat] * bucket_decay
    var = var_table[flat] * bucket_decay
    diff = x - mean
    incr = alpha * diff
    mean_table[flat] = mean + incr
    var_table[flat] = (1.0 - alpha) * (var + diff * incr)
    last[flat] = seq
    count[flat] = 0


def bucket_indices(h1: npt.NDArray[np.uint64], n_hashes: int, n_buckets: int) -> npt.NDArray[np.int64]:
    """Flat bucket indices ``row * n_buckets + bucket`` of key hashes, shape ``(n_hashes, len(h1))``.

    >>> bucket_indices(hash_keys(["en:embassy"]), 2, 1 << 12).tolist()
    [[3304], [5821]]
    """
    # The second hash is mixed from the first (Fibonacci hashing): one hash per key. In place: this runs
    # over every key occurrence of a release.
    h2 = h1 * np.uint64(_GOLDEN)
    h2 >>= np.uint64(11)
    h2 &= np.uint64(0xFFFFFFFF)
    h2 |= np.uint64(1)
    # Double hashing: row i uses h1 + i*h2, as good as independent hashes for count-min (Kirsch-Mitzenmacher).
    out = np.empty((n_hashes, len(h1)), dtype=np.uint64)
    power_of_two = n_buckets & (n_buckets - 1) == 0
    mixed = h1.copy()
    for row in range(n_hashes):
        if row:
            mixed += h2
        if power_of_two:
            np.bitwise_and(mixed, np.uint64(n_buckets - 1), out=out[row])  # modulo is slow on uint64
        else:
            np.remainder(mixed, np.uint64(n_buckets), out=out[row])
        out[row] += np.uint64(row * n_buckets)
    return out.view(np.int64)


def hash_keys(keys: Sequence[str]) -> npt.NDArray[np.uint64]:
    """One 32-bit hash per key string (``"en:embassy"``): what the tables are indexed by.

    >>> hash_keys(["en:embassy", "id:kedubes"]).tolist()
    [572017896, 2700377902]
    """
    return np.fromiter((zlib.crc32(k.encode()) for k in keys), dtype=np.uint64, count=len(keys))


def term_hashes(posts: Sequence[tuple[str, Sequence[str]]], count: int) -> npt.NDArray[np.uint64]:
    """:func:`hash_keys` of ``"<lang>:<term>"`` for every ``(lang, terms)`` given (``count`` terms in all),
    without building those strings: the CRC runs on from the language prefix's.

    >>> together = term_hashes([("en", ["embassy"]), ("id", ["kedubes"])], 2)
    >>> together.tolist() == hash_keys(["en:embassy", "id:kedubes"]).tolist()
    True
    """
    prefixes: dict[str, int] = {}
    crc32 = zlib.crc32
    hashes: list[int] = []
    for lang, terms in posts:
        prefix = prefixes.get(lang)
        if prefix is None:
            prefix = prefixes[lang] = crc32(f"{lang}:".encode())
        hashes.extend([crc32(term.encode(), prefix) for term in terms])  # a list, not a generator: half the cost
    return np.fromiter(hashes, dtype=np.uint64, count=count)


def pair_hashes(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """The key of a term pair from its two terms' hashes, whatever their order: no pair string is built.

    >>> a, b = hash_keys(["en:embassy"]), hash_keys(["en:protest"])
    >>> bool(pair_hashes(a, b)[0] == pair_hashes(b, a)[0]), bool(pair_hashes(a, b)[0] != a[0])
    (True, True)
    """
    # In place where it can be: this runs over every pair of a release.
    mixed = np.minimum(a, b)
    mixed *= np.uint64(_GOLDEN)
    hi = np.maximum(a, b)
    hi += np.uint64(0x632BE59BD9B4E019)
    mixed ^= hi
    np.right_shift(mixed, np.uint64(29), out=hi)
    mixed ^= hi
    mixed &= np.uint64(0xFFFFFFFFFFFF)
    return mixed
