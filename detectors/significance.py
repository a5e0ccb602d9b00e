"""SigniTrend-style significance of terms and term pairs, in fixed memory.

Each key (a term or a pair, prefixed by its language) hashes into ``n_hashes`` buckets of a fixed table
that keeps an exponentially weighted mean and variance of the key's *frequency* per time slot: the share
of that language's posts in the slot that carry the key. Reading takes the bucket with the smallest mean,
as a count-min sketch does, since collisions can only add. Frequencies rather than counts make the daily
rhythm and a shift in the language mix neutral. Memory is the table, whatever the vocabulary.

Time is the posts' own time. A slot only counts when posts arrive in it: a gap of a week in a sparse stream
does not wipe the baseline.

>>> sig = HashedSignificance(n_buckets=1 << 12, slot_s=60.0, warmup_slots=2)
>>> for minute in range(30):  # a quiet baseline: "weather" in every post, "embassy" never
...     for i in range(10):
...         _ = sig.observe(["en:weather", "en:traffic" if i % 2 else "en:lunch"], "en", minute * 60.0 + i)
>>> z = [sig.observe(["en:embassy", "en:weather"], "en", 30 * 60.0 + i) for i in range(6)]
>>> round(float(z[-1][0]), 2), round(float(z[-1][1]), 2)
(5.0, 0.0)
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

_SEED2 = 0x9E3779B9


class HashedSignificance:
    """z-scores ``(count - max(expected, beta)) / (std + beta)`` for keys seen in the current slot.

    Args:
        n_buckets: buckets per hash row; memory is ``n_hashes * n_buckets * 20`` bytes, fixed.
        n_hashes: independent rows; a key reads the row with the least collision noise.
        slot_s: length of a time slot in seconds of event time.
        half_life_slots: how many active slots a baseline takes to halve its weight.
        beta: noise floor in posts; keeps rare keys from scoring on a single post.
        warmup_slots: active slots over which the prior gives way to the learned baselines.
        prior_frequency: the share of posts any key is assumed to reach before baselines exist. A story
            already running when the stream starts still stands out, and everyday words do not.
        max_keys_per_slot: bound on the distinct keys counted exactly within one slot.
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
        max_keys_per_slot: int = 500_000,
    ) -> None:
        self.n_buckets = n_buckets
        self.n_hashes = n_hashes
        self.slot_s = slot_s
        self.half_life_slots = half_life_slots
        self.beta = beta
        self.warmup_slots = warmup_slots
        self.prior_frequency = prior_frequency
        self.max_keys_per_slot = max_keys_per_slot
        self._alpha = 1.0 - 0.5 ** (1.0 / half_life_slots)
        # np.full writes every page now, so resident memory is the same at 10^4 or 10^6 distinct keys.
        self._mean = np.full((n_hashes, n_buckets), 0.0, dtype=np.float64)
        self._var = np.full((n_hashes, n_buckets), 0.0, dtype=np.float64)
        self._last = np.full((n_hashes, n_buckets), -1, dtype=np.int64)
        self._rows = np.arange(n_hashes)[:, None]
        self.slot: int | None = None  # index of the current slot (event time // slot_s)
        self.active_slots = 0  # slots closed that had posts
        self._slot_counts: dict[str, int] = {}
        self._slot_lang: dict[str, str] = {}
        self._slot_docs: dict[str, int] = {}

    # -- learning and scoring -----------------------------------------------------------------------------

    def observe(self, keys: Sequence[str], lang: str, ts: float) -> npt.NDArray[np.float64]:
        """Count one post carrying ``keys`` at event time ``ts``; return each key's z-score after counting."""
        return self.observe_with_frequency(keys, lang, ts)[0]

    def observe_with_frequency(
        self, keys: Sequence[str], lang: str, ts: float
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """As :meth:`observe`, plus each key's expected frequency per post (its baseline), for idf weights."""
        self._roll_to(int(ts // self.slot_s))
        self._slot_docs[lang] = self._slot_docs.get(lang, 0) + 1
        counts = np.empty(len(keys), dtype=np.float64)
        for i, key in enumerate(keys):
            count = self._slot_counts.get(key)
            if count is None:
                if len(self._slot_counts) >= self.max_keys_per_slot:
                    counts[i] = 0.0
                    continue
                count = 0
                self._slot_lang[key] = lang
            self._slot_counts[key] = count + 1
            counts[i] = count + 1
        return self._z(keys, counts, self._slot_docs[lang])

    def score(self, keys: Sequence[str], lang: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """z-scores and expected frequencies of keys in the current slot, without counting anything."""
        counts = np.array([self._slot_counts.get(k, 0) for k in keys], dtype=np.float64)
        return self._z(keys, counts, self._slot_docs.get(lang, 0))

    def count(self, key: str) -> int:
        return self._slot_counts.get(key, 0)

    def expected_frequency(self, keys: Sequence[str]) -> npt.NDArray[np.float64]:
        mean, _ = self._read(keys)
        return mean

    def _z(
        self, keys: Sequence[str], counts: npt.NDArray[np.float64], docs: int
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        if not keys:
            return counts, counts
        mean, var = self._read(keys)
        if self.active_slots < self.warmup_slots:
            # Cold start: a fading prior instead of silence, so an event in progress at the start is seen.
            prior = self.prior_frequency * (1.0 - self.active_slots / self.warmup_slots)
            mean = np.maximum(mean, prior)
        expected = np.maximum(mean * docs, self.beta)
        std = np.sqrt(np.maximum(var, 0.0)) * docs  # EW variance can dip below zero by rounding
        return (counts - expected) / (std + self.beta), mean

    def _read(self, keys: Sequence[str]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        idx = self._buckets(keys)  # (n_hashes, n_keys)
        rows = self._rows
        # Slots that passed since a bucket's last update carried zero for it: decay on read.
        idle = np.maximum(self.active_slots - 1 - self._last[rows, idx], 0)
        decay = (1.0 - self._alpha) ** idle
        mean = self._mean[rows, idx] * decay
        var = self._var[rows, idx] * decay
        best = np.argmin(mean, axis=0)
        cols = np.arange(len(keys))
        # Correct the early mean, which starts from zero, as Adam does: otherwise warm-up reads too low.
        correction = 1.0 - (1.0 - self._alpha) ** max(self.active_slots, 1)
        return mean[best, cols] / correction, var[best, cols] / correction

    def _buckets(self, keys: Sequence[str]) -> npt.NDArray[np.int64]:
        h1 = np.fromiter((zlib.crc32(k.encode()) for k in keys), dtype=np.int64, count=len(keys))
        h2 = np.fromiter((zlib.crc32(k.encode(), _SEED2) | 1 for k in keys), dtype=np.int64, count=len(keys))
        # Double hashing: row i uses h1 + i*h2, as good as independent hashes for count-min (Kirsch-Mitzenmacher).
        return (h1[None, :] + self._rows * h2[None, :]) % self.n_buckets

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
        if not self._slot_counts:
            self._slot_docs.clear()
            return
        keys = list(self._slot_counts)
        freq = np.array([self._slot_counts[k] / self._slot_docs[self._slot_lang[k]] for k in keys], dtype=np.float64)
        idx = self._buckets(keys)
        seq = self.active_slots
        for row in range(self.n_hashes):
            # Colliding keys add up in a bucket, as in a count-min sketch.
            buckets, inverse = np.unique(idx[row], return_inverse=True)
            x = np.zeros(len(buckets))
            np.add.at(x, inverse, freq)
            idle = np.maximum(seq - 1 - self._last[row, buckets], 0)
            decay = (1.0 - self._alpha) ** idle
            mean = self._mean[row, buckets] * decay
            var = self._var[row, buckets] * decay
            diff = x - mean
            incr = self._alpha * diff
            self._mean[row, buckets] = mean + incr
            self._var[row, buckets] = (1.0 - self._alpha) * (var + diff * incr)
            self._last[row, buckets] = seq
        self.active_slots += 1
        self._slot_counts.clear()
        self._slot_lang.clear()
        self._slot_docs.clear()
