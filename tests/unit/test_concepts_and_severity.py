"""The first reports of an event, each in its own words, add up; a crisis where lives are at stake is raised on
fewer independent voices than other stories."""

from __future__ import annotations

from collections import Counter

import pytest

from detectors.incidents import IncidentTracker, Sighting
from detectors.lexicon import CONCEPTS, concepts_in
from detectors.relevance import RelevanceModel
from detectors.story import Incident, Member, distinct_signals
from detectors.text import normalise_text
from schemas.post import Post

HOUR = 3600.0


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Two explosions just now near the stadium gates", "en"),
        ("something exploded by the station, everyone running", "en"),
        ("huge blast downtown, windows shaking", "en"),
        ("Ledakan terdengar di dekat stasiun pusat kota", "id"),
        ("Gedung itu meledak tadi malam", "id"),
    ],
)
def test_early_reports_in_their_own_words_share_one_concept(text: str, lang: str) -> None:
    terms = normalise_text(text, lang).terms
    assert "~explosion" in terms
    assert terms.count("~explosion") == 1
    # The words stay terms of their own: a story is still named by what its posts say.
    assert any(not t.startswith("~") for t in terms)


def test_a_post_reports_each_concept_once_and_unrelated_posts_none() -> None:
    assert concepts_in(["bomb", "blast", "and", "a", "shooting", "after", "the", "earthquake"]) == (
        "~bombing",
        "~explosion",
        "~shooting",
        "~earthquake",
    )
    assert concepts_in(["lovely", "weather", "for", "the", "marathon", "today"]) == ()
    assert "~" not in "".join(normalise_text("lovely weather for the marathon today").terms)
    # Every concept is marked, so it can never be mistaken for a word.
    assert all(c.startswith("~") for c in CONCEPTS.values())


def test_a_word_and_its_concept_are_one_signal_but_two_words_are_two() -> None:
    # "flooding" and "~flood" trend together by construction: one word, not two co-trending ones.
    pairs, singles = distinct_signals({"en:flooding": 5.0, "en:~flood": 5.0, "en:flooding+~flood": 4.0})
    assert (pairs, singles) == ([], ["en:flooding"])
    # Reports in different words that each stay below the bar add up in the concept, beside the place.
    pairs, singles = distinct_signals({"en:boston": 4.0, "en:~explosion": 3.0, "en:boston+~explosion": 3.0})
    assert pairs == ["en:boston+~explosion"]
    assert singles == ["en:boston", "en:~explosion"]


def test_an_indonesian_or_inflected_word_and_its_concept_are_one_signal_too() -> None:
    # Terms are stemmed: "penembakan" is the term "tembak", "tornadoes" is "tornadoe".
    assert "~shooting" in normalise_text("Penembakan di dekat kedutaan", "id").terms
    assert distinct_signals({"id:tembak": 4.0, "id:~shooting": 4.0, "id:tembak+~shooting": 3.0}) == (
        [],
        ["id:tembak"],
    )
    assert distinct_signals({"en:tornadoe": 4.0, "en:~storm": 4.0}) == ([], ["en:tornadoe"])


def _member(post_id: str, terms: tuple[str, ...]) -> Member:
    post = Post(id=post_id, ts=HOUR, text=" ".join(terms))
    return Member(post=post, lang="en", terms=terms, tokens=terms, duplicate=False, weights=dict.fromkeys(terms, 3.0))


def test_one_word_and_its_concept_open_no_story_but_a_place_and_a_concept_do() -> None:
    tracker = IncidentTracker()
    flooding = _member("p1", ("flooding", "street", "~flood"))
    open_ = tracker.candidates.open
    assert open_(flooding, {"en:flooding": 5.0, "en:~flood": 5.0}, HOUR, tracker.matcher) is None
    report = _member("p2", ("stadium", "gate", "~explosion"))
    assert open_(report, {"en:stadium": 4.0, "en:~explosion": 3.0}, HOUR, tracker.matcher) is not None


def test_a_word_paired_with_its_own_concept_never_reaches_a_story() -> None:
    tracker = IncidentTracker()
    terms = ("stadium", "gate", "flooding", "~flood")
    post = Post(id="p3", ts=HOUR, text=" ".join(terms))
    trending = {"en:stadium": 4.0, "en:flooding": 5.0, "en:~flood": 5.0, "en:flooding+~flood": 4.5}
    trending |= {"en:stadium+~flood": 3.5}
    weights = dict.fromkeys(terms, 3.0)
    tracker.process_one(Sighting(post, "en", terms, terms, False, weights, (), None, None, 0.0, trending, HOUR))
    (story,) = tracker.active.values()
    assert "en:flooding+~flood" not in story.key_scores and "en:flooding+~flood" not in story.key_last
    assert not tracker.book.bursting_with(["en:flooding+~flood"])
    assert {"en:stadium+~flood", "en:~flood", "en:flooding"} <= set(story.key_scores)


def _story(n: int, terms: dict[str, int], votes: dict[str, float], countries: dict[str, int]) -> Incident:
    story = Incident("inc-x", 0.0, HOUR, ())
    story.n_unique = story.n_posts = n
    story.term_df = Counter(terms)
    story.term_weight = dict.fromkeys(terms, 3.0)
    story.type_votes = dict(votes)
    story.countries = Counter(countries)
    story.relevance_sum = float(n)
    story.refresh_profile(50, 8, 400)
    return story


def test_a_concept_names_no_story_and_is_no_relevance_feature() -> None:
    story = _story(6, {"~explosion": 6, "stadium": 5, "gate": 4}, {}, {})
    assert "~explosion" in story.profile  # it still draws the story's posts together
    assert story.head == ["stadium", "gate"]
    model = RelevanceModel()
    assert model._features(["~explosion", "@AU"]) == {}
    assert model._features(["~explosion", "embassy"]) == model._features(["embassy"])


def test_a_concept_is_no_name_a_later_story_goes_by() -> None:
    # Every post of a flood story and of a new candidate carries "~flood": the floods are not one story for it.
    tracker = IncidentTracker()
    story = _story(40, {"~flood": 40, "river": 20, "levee": 18}, {"CONSULAR": 6.0}, {"CA": 30})
    candidate = _story(8, {"~flood": 8, "farm": 8, "field": 7}, {}, {})
    assert not tracker.merger.named_alike(candidate, story, True)
    # ... while a word that most of both carry is a name.
    story.term_df["calgary"] = 38
    candidate.term_df["calgary"] = 8
    assert tracker.merger.named_alike(candidate, story, True)


def test_officers_read_words_not_a_concept_that_repeats_them() -> None:
    tracker = IncidentTracker()
    story = _story(5, {"hurricane": 5, "sandy": 4, "~storm": 5}, {"CONSULAR": 1.8}, {"US": 5})
    story.key_scores = {"en:hurricane": 5.3, "en:~storm": 5.3, "en:hurricane+~storm": 4.0, "en:sandy": 3.3}
    terms = tracker.renderer.terms(story)
    assert [t.term for t in terms] == ["hurricane", "sandy"]
    assert "~" not in tracker.renderer.reason(story, terms)
    # A concept none of whose words trends is the signal itself, and is shown.
    story.key_scores = {"en:stadium": 4.0, "en:~explosion": 3.0}
    assert [t.term for t in tracker.renderer.terms(story)] == ["stadium", "~explosion"]


@pytest.mark.parametrize("code", ["CONSULAR", "18", "19", "20"])
def test_every_type_where_lives_are_at_stake_needs_fewer_posts(code: str) -> None:
    tracker = IncidentTracker(min_posts=5, min_posts_severe=4)
    assert tracker.assessment.posts_needed(_story(4, {"gate": 4}, {code: 4.0}, {"US": 4})) == 4


def test_a_crisis_is_raised_on_fewer_independent_posts_than_other_stories() -> None:
    tracker = IncidentTracker(min_posts=5, min_posts_severe=4)
    crisis = _story(4, {"~explosion": 4, "stadium": 4}, {"CONSULAR": 1.4}, {"US": 4})
    protest = _story(4, {"rally": 4, "embassy": 4}, {"141": 2.4}, {"AU": 4})
    talk = _story(4, {"embassy": 4, "party": 4}, {}, {"AU": 4})
    assert [tracker.assessment.posts_needed(s) for s in (crisis, protest, talk)] == [4, 5, 5]
    assert tracker.candidates.ready(crisis, tracker.assessment)
    assert not tracker.candidates.ready(protest, tracker.assessment)
    # The severe bar never asks for more than the ordinary one.
    assert IncidentTracker(min_posts=3, min_posts_severe=4).assessment.posts_needed(crisis) == 3
