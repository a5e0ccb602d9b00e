"""The relevance model and the feedback path: labels change what is raised."""

from __future__ import annotations

import pickle

from detectors.core import DetectionCore
from detectors.relevance import RelevanceModel
from detectors.text import normalise_text
from schemas.feedback import Feedback
from schemas.post import Post
from tests.console_story import VOICES


def terms(text: str) -> tuple[str, ...]:
    return normalise_text(text).terms


def test_seeded_model_ranks_incidents_above_chatter_and_routine_diplomacy() -> None:
    model = RelevanceModel()
    incidents = [
        "Jakarta summons Australian ambassador over spying row",
        "Ratusan massa unjuk rasa di depan Kedubes Myanmar",
        "Malaysia larang ekspor pasir ke Indonesia",
        "China expels two Dutch diplomats",
    ]
    noise = [
        "Macet parah di tol dalam kota pagi ini",
        "Best nasi goreng in town is behind the station",
        "Kedubes menggelar malam budaya memperingati hubungan diplomatik",
        "Trade fair opens with exhibitors from many countries",
    ]
    assert min(model.score_one(terms(t)) for t in incidents) > max(model.score_one(terms(t)) for t in noise)


def test_online_learning_moves_scores_and_survives_pickling() -> None:
    model = RelevanceModel()
    text = terms("Festival kuliner Korea di Jakarta ramai pengunjung")
    before = model.score_one(text)
    for _ in range(5):
        model.learn_one(text, True)
    assert model.score_one(text) > before
    clone = pickle.loads(pickle.dumps(model))
    assert clone.score_one(text) == model.score_one(text)
    assert model.clone().score_one(text) == RelevanceModel().score_one(text)  # clone: same config, fresh state


def test_memory_is_bounded_by_the_hash_space() -> None:
    model = RelevanceModel(n_features=1 << 8, seed=False)
    for i in range(2000):
        model.learn_one([f"word{i}", f"other{i}"], i % 2 == 0)
    assert len(model._model.feature_counts) <= 1 << 8


def test_dismissing_an_incident_resolves_it_and_feedback_by_text_is_learned() -> None:
    core = DetectionCore()
    background = [Post(id=f"b{i}", ts=60.0 * i, text=f"lunch number {i % 7} was nice", lang="en") for i in range(600)]
    alerts = core.process_posts(background)
    voices = VOICES
    typed = [
        Post(
            id=f"x{i}",
            ts=36_000.0 + 30 * i,
            text=f"{voice}: Japan summons Korean ambassador over island dispute",
            lang="en",
        )
        for i, voice in enumerate(voices)
    ]
    alerts += core.process_posts(typed) + core.flush()
    raised = [a for a in alerts if a.kind == "raised"]
    assert raised, "a typed diplomatic story is raised"
    incident_id = raised[0].incident_id
    out = core.feedback(Feedback(label="not_relevant", incident_id=incident_id, by="duty-1"))
    assert [(a.incident_id, a.kind) for a in out] == [(incident_id, "resolved")]
    assert "dismissed" in out[0].reason
    # More of the same story: the dismissed incident stays quiet.
    more = [
        Post(id=f"y{i}", ts=37_000.0 + 30 * i, text="Japan summons Korean ambassador over island dispute", lang="en")
        for i in range(5)
    ]
    later = core.process_posts(more) + core.flush()
    assert not [a for a in later if a.incident_id == incident_id]

    before = core.tracker.relevance.score_one(terms("Pameran dagang dibuka di Makassar"))
    core.feedback(Feedback(label="relevant", text="Pameran dagang dibuka di Makassar", lang="id"))
    assert core.tracker.relevance.score_one(terms("Pameran dagang dibuka di Makassar")) > before


def test_scores_are_river_s_naive_bayes_exactly_before_and_after_learning() -> None:
    # The model keeps each feature's log-probabilities between learning steps: the sums must stay River's.
    model = RelevanceModel()
    texts = [
        "Jakarta summons the Australian ambassador over spying",
        "Trade fair opens with exhibitors from forty countries",
        "Banjir bandang di Jakarta, WNI di Malaysia aman",
    ]

    def same() -> bool:
        for text in texts:
            features = model._features(normalise_text(text).terms)
            if model._joint_log_likelihood(features) != model._model.joint_log_likelihood(features):
                return False
        return True

    assert same() and same()  # the second time from the cache
    model.learn_one(normalise_text(texts[1]).terms, True)
    assert same()
