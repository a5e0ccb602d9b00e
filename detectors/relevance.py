"""Relevance to a foreign ministry: an online River classifier over a post's terms.

``RelevanceModel`` is River's ``MultinomialNB`` over hashed bag-of-words features (bounded memory whatever
the vocabulary), seeded from the bilingual lexicon: diplomatic incidents and consular crises are relevant;
everyday chatter and routine, cooperative diplomacy (seminars, trade fairs, cultural nights) are not. It
keeps learning online from officers' labelled feedback, so what a desk calls noise stops being raised.

>>> from detectors.text import normalise_text
>>> model = RelevanceModel()
>>> terms = lambda text: normalise_text(text).terms
>>> model.score_one(terms("Jakarta summons the Australian ambassador over spying")) > 0.8
True
>>> model.score_one(terms("Trade fair opens with exhibitors from forty countries")) < 0.5
True
>>> before = model.score_one(terms("Trade fair opens with exhibitors from forty countries"))
>>> for _ in range(3):
...     model.learn_one(terms("Trade fair opens with exhibitors from forty countries"), True)
>>> model.score_one(terms("Trade fair opens with exhibitors from forty countries")) > before
True
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Sequence

from river import base, naive_bayes

from detectors.lexicon import (
    BACKGROUND_SEED_EN,
    BACKGROUND_SEED_ID,
    DIPLOMATIC_SEED_EN,
    DIPLOMATIC_SEED_ID,
    ROUTINE_SEED_EN,
    ROUTINE_SEED_ID,
    is_concept,
)
from detectors.text import normalise_text

# Routine diplomacy is diplomatic but no incident (CAMEO 01-06): it seeds the "not relevant" side (lexicon.toml).
ROUTINE_DIPLOMACY_SEED: tuple[str, ...] = (*ROUTINE_SEED_EN, *ROUTINE_SEED_ID)


_NO_COUNTS: dict[bool, float] = {}
_LOG_P_CACHE = 10_000  # features whose log-probabilities are kept between learning steps: bounded memory


class RelevanceModel(base.Base):
    """P(relevant | terms), learned online.

    Args:
        n_features: hashed feature space; memory is bounded by it, not by the vocabulary.
        alpha: additive (Laplace) smoothing of the naive Bayes counts.
        seed: learn the bilingual seed sentences at construction.
    """

    def __init__(self, n_features: int = 1 << 18, alpha: float = 1.0, seed: bool = True) -> None:
        self.n_features = n_features
        self.alpha = alpha
        self.seed = seed
        self._model = naive_bayes.MultinomialNB(alpha=alpha)
        self.n_learned = 0
        # feature -> log P(feature | class), per class in the model's order; valid until the next learning step
        self._log_p: dict[int, tuple[float, ...]] = {}
        if seed:
            positives = (*DIPLOMATIC_SEED_EN, *DIPLOMATIC_SEED_ID)
            negatives = (*BACKGROUND_SEED_EN, *BACKGROUND_SEED_ID, *ROUTINE_DIPLOMACY_SEED)
            # Interleaved, so the seed order never tilts the class priors mid-way.
            for i in range(max(len(positives), len(negatives))):
                if i < len(positives):
                    self.learn_one(normalise_text(positives[i]).terms, True)
                if i < len(negatives):
                    self.learn_one(normalise_text(negatives[i]).terms, False)

    def _features(self, terms: Iterable[str]) -> dict[int, int]:
        features: dict[int, int] = {}
        for term in terms:
            if term[0] == "@" or is_concept(term):
                continue  # country pseudo-terms say where, concepts repeat a word: neither says whether it matters
            key = zlib.crc32(term.encode()) % self.n_features
            features[key] = features.get(key, 0) + 1
        return features

    def learn_one(self, terms: Sequence[str], relevant: bool) -> None:
        features = self._features(terms)
        if features:
            self._model.learn_one(features, bool(relevant))
            self.n_learned += 1
            self._log_p.clear()  # every count and total may have moved

    def score_one(self, terms: Sequence[str]) -> float:
        """Probability that a post with these terms is relevant; 0.5 when nothing is known of them."""
        features = self._features(terms)
        if not features:
            return 0.5
        # River's predict_proba_one normalises through scipy's logsumexp, costly per call; two classes
        # need only a logistic of the difference of the joint log-likelihoods.
        jll = self._joint_log_likelihood(features)
        if True not in jll or False not in jll:
            return 0.5
        diff = jll[False] - jll[True]
        if diff > 700:
            return 0.0
        return 1.0 / (1.0 + math.exp(diff))

    def _joint_log_likelihood(self, features: dict[int, int]) -> dict[bool, float]:
        """``MultinomialNB.joint_log_likelihood``, the same sums of the same numbers in the same order. It runs
        for every post a story takes, so each feature's log-probabilities are computed once per learning
        step, not per post."""
        model = self._model
        classes = list(model.class_counts)
        cache = self._log_p
        logs = []
        for f in features:
            log_p = cache.get(f)
            if log_p is None:
                log_p = self._feature_log_p(f, classes)
                if len(cache) < _LOG_P_CACHE:
                    cache[f] = log_p
            logs.append(log_p)
        total_docs = sum(model.class_counts.values())
        frequencies = list(features.values())
        return {
            c: math.log(model.class_counts[c] / total_docs)
            + sum(frequency * log_p[i] for frequency, log_p in zip(frequencies, logs, strict=True))
            for i, c in enumerate(classes)
        }

    def _feature_log_p(self, feature: int, classes: list[bool]) -> tuple[float, ...]:
        """log P(feature | class) for each class, as ``MultinomialNB.p_feature_given_class`` computes it."""
        model = self._model
        alpha = model.alpha
        n_terms = len(model.feature_counts)
        counts = model.feature_counts.get(feature, _NO_COUNTS)
        return tuple(
            math.log((counts.get(c, 0.0) + alpha) / (model.class_totals[c] + alpha * n_terms)) for c in classes
        )
