"""Every detector class through the same checks, one test per (detector x check), as River does.

A detector here is a River ``Base`` whose constructor arguments are its whole config, with ``learn_one`` and
``score_one``. Each is fed a seeded stream built for its input type.
"""

from __future__ import annotations

import pickle
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import pytest
from river import base

from detectors.core import DetectionCore
from detectors.labels import LabelMemory
from detectors.relevance import RelevanceModel
from detectors.significance import HashedSignificance
from detectors.text import normalise_text
from schemas.post import Post

_WORDS_EN = [
    "embassy",
    "ambassador",
    "protest",
    "summoned",
    "trade",
    "ban",
    "border",
    "clash",
    "flood",
    "rain",
    "traffic",
    "lunch",
    "match",
    "goal",
]
_WORDS_ID = [
    "kedubes",
    "dubes",
    "demo",
    "dipanggil",
    "ekspor",
    "larangan",
    "perbatasan",
    "bentrok",
    "banjir",
    "hujan",
    "macet",
    "makan",
    "gol",
]


def _posts(seed: int, n: int = 400) -> list[Post]:
    rng = random.Random(seed)
    posts = []
    for i in range(n):
        words = _WORDS_ID if rng.random() < 0.5 else _WORDS_EN
        # A burst of one story in the second half, so that learning has something to find.
        text = " ".join(rng.sample(words, 5))
        if i > n // 2 and rng.random() < 0.3:
            text = "Kemlu panggil Dubes Australia soal penyadapan " + rng.choice(words)
        posts.append(Post(id=f"p{i:05d}", ts=600.0 * i + rng.random() * 60, text=text))
    return posts


M = TypeVar("M", bound=base.Base)
X = TypeVar("X")


@dataclass
class Case(Generic[M, X]):
    """A detector's maker, the stream it reads and how it learns and scores one item. Generic in the detector's
    class and its input, as their learn_one and score_one take different arguments: each case's lambdas are
    checked against its own class, and the checks see every case alike (``AnyCase``)."""

    make: Callable[[], M]
    stream: Callable[[int], list[X]]
    learn: Callable[[M, X], None]
    score: Callable[[M, X], float]


# Every case as the checks see it: a River ``Base`` fed items of its own.
AnyCase = Case[base.Base, Any]


def _case(
    make: Callable[[], M],
    stream: Callable[[int], list[X]],
    learn: Callable[[M, X], None],
    score: Callable[[M, X], float],
) -> Case[Any, Any]:
    """A :class:`Case` whose types come from its arguments, so its lambdas are checked against its class (built
    right inside ``CASES``, it would take ``AnyCase`` from there and check nothing)."""
    return Case(make, stream, learn, score)


def _significance_input(post: Post) -> dict[str, Any]:
    norm = normalise_text(post.text)
    return {"keys": [f"{norm.lang}:{t}" for t in norm.terms], "lang": norm.lang, "ts": post.ts}


def _labelled_input(post: Post) -> dict[str, Any]:
    # An incident's profile as the tracker keeps one (term -> weight), its label, and ids that repeat: an
    # officer relabelling an incident replaces the label.
    terms = normalise_text(post.text).terms
    profile = {t: 1.0 + len(t) / 4 for t in terms}
    n = int(post.id[1:])
    return {
        "profile": profile,
        "relevant": "dubes" in post.text.lower(),
        "incident_id": f"inc-{n % 150}",
        "at": post.ts,
    }


CASES: dict[str, AnyCase] = {
    "HashedSignificance": _case(
        make=lambda: HashedSignificance(n_buckets=1 << 12, slot_s=3600.0),
        stream=lambda seed: [_significance_input(p) for p in _posts(seed)],
        learn=lambda model, x: model.learn_one(x),
        score=lambda model, x: model.score_one(x),
    ),
    "RelevanceModel": _case(
        make=lambda: RelevanceModel(n_features=1 << 10),
        stream=lambda seed: [(normalise_text(p.text).terms, "dubes" in p.text.lower()) for p in _posts(seed)],
        learn=lambda model, x: model.learn_one(*x),
        score=lambda model, x: model.score_one(x[0]),
    ),
    "LabelMemory": _case(
        make=lambda: LabelMemory(capacity=100, half_life_s=86400.0),
        stream=lambda seed: [_labelled_input(p) for p in _posts(seed)],
        learn=lambda model, x: model.learn_one(x),
        score=lambda model, x: model.score_one(x),
    ),
    "DetectionCore": _case(
        make=lambda: DetectionCore(significance=HashedSignificance(n_buckets=1 << 12)),
        stream=_posts,
        learn=lambda model, x: model.learn_one(x),
        score=lambda model, x: model.score_one(x),
    ),
}


def _run(case: Case[M, X], model: M, seed: int) -> list[float]:
    scores = []
    for x in case.stream(seed):
        scores.append(round(case.score(model, x), 9))
        case.learn(model, x)
    return scores


def check_clone_from_parameters(case: AnyCase) -> None:
    model = case.make()
    _run(case, model, seed=1)
    fresh = model.clone()
    assert type(fresh) is type(model)
    assert fresh._get_params() == case.make()._get_params()
    assert _run(case, fresh, seed=2) == _run(case, case.make(), seed=2), "a clone starts from the config only"


def check_deterministic_under_seed(case: AnyCase) -> None:
    assert _run(case, case.make(), seed=3) == _run(case, case.make(), seed=3)


def check_learns_and_scores_a_seeded_stream(case: AnyCase) -> None:
    scores = _run(case, case.make(), seed=4)
    assert all(s == s for s in scores), "no NaN"
    assert len(set(scores)) > 1, "learning changes the scores"


def check_pickle_round_trip(case: AnyCase) -> None:
    model = case.make()
    stream = case.stream(5)
    half = len(stream) // 2
    for x in stream[:half]:
        case.learn(model, x)
    restored = pickle.loads(pickle.dumps(model))
    rest_a, rest_b = [], []
    for x in stream[half:]:
        rest_a.append(case.score(model, x))
        case.learn(model, x)
        rest_b.append(case.score(restored, x))
        case.learn(restored, x)
    assert rest_a == rest_b


CHECKS = [
    check_clone_from_parameters,
    check_deterministic_under_seed,
    check_learns_and_scores_a_seeded_stream,
    check_pickle_round_trip,
]


def _all() -> Iterator[Any]:
    for name, case in CASES.items():
        for check in CHECKS:
            yield pytest.param(case, check, id=f"{name}:{check.__name__}")


@pytest.mark.parametrize(("case", "check"), list(_all()))
def test_detector_conformance(case: AnyCase, check: Callable[[AnyCase], None]) -> None:
    check(case)


def test_every_exported_detector_is_checked() -> None:
    import detectors

    exported = {name for name in getattr(detectors, "__all__", []) if isinstance(getattr(detectors, name), type)}
    assert exported == set(CASES), f"unchecked detectors: {exported - set(CASES)}"
