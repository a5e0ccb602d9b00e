"""Each stage of the incident tracker on its own, through its public methods: threading, the story register,
where stories are, opening candidates and matching posts to stories."""

from __future__ import annotations

from collections.abc import Mapping

from detectors.candidates import CandidateStage
from detectors.incidents import Sighting, sighted_member
from detectors.matching import StoryMatcher
from detectors.places import PlaceAreas
from detectors.story import Incident, Member
from detectors.storybook import StoryBook
from detectors.threads import PostThreader
from schemas.post import post_from_obj

RARE = 4.0  # the rarity weight of a story's own words; everyday words weigh 1


def _member(
    post_id: str,
    words: str,
    ts: float = 1_800_000_000.0,
    trending: Mapping[str, float] | None = None,
    mentions: tuple[tuple[str, str], ...] = (),
    source_kind: str = "social",
) -> Member:
    terms = tuple(words.split())
    post = post_from_obj({"id": post_id, "ts": ts, "text": words, "lang": "en", "source_kind": source_kind})
    weights = {t: (1.0 if t in {"today", "people", "news"} else RARE) for t in terms}
    sighting = Sighting(
        post=post,
        lang="en",
        terms=terms,
        tokens=terms,
        duplicate=False,
        weights=weights,
        mentions=mentions,
        news_trigger=None,
        kind=None,
        kind_confidence=0.0,
        trending=dict(trending or {}),
        now=ts,
    )
    return sighted_member(sighting, dict(trending or {}), home_country="ID", country_weight=3.0)


def _story(incident_id: str, head: list[str]) -> Incident:
    incident = Incident(incident_id=incident_id, first_seen=0.0, last_seen=0.0, seed_keys=())
    incident.head = head
    incident.profile = dict.fromkeys(head, RARE)
    incident.profile_norm = (RARE * RARE * len(head)) ** 0.5
    return incident


def test_threading_finds_the_recent_story_post_that_shares_rare_words() -> None:
    threader = PostThreader(thread_similarity=0.3)
    story_post = _member("a", "gurlitt munich paintings seized nazi loot")
    threader.remember(story_post)
    threader.index(story_post)  # it joined a story: threading may link to it
    other = _member("b", "rice prices rise in jakarta markets")
    threader.remember(other)  # remembered, but in no story: not indexed
    near, cosine = threader.nearest(_member("c", "gurlitt paintings returned to heirs"))
    assert near is story_post and cosine > 0.3
    assert threader.nearest(_member("d", "gurlitt today"))[0] is None  # one rare word shared: no story
    assert threader.nearest(_member("e", "rice markets jakarta"))[0] is None  # like a post of no story
    assert threader.indexed_posts() == len(story_post.terms)


def test_the_story_book_finds_stories_by_head_words_and_keeps_resolved_ones_to_reopen() -> None:
    book = StoryBook()
    story = book.open(Incident(incident_id="inc-1", first_seen=0.0, last_seen=0.0, seed_keys=()))
    for words in ("gurlitt paintings munich", "gurlitt paintings heirs", "gurlitt paintings today"):
        story.count_voice(_member(words, words), home_country="ID", abroad=frozenset(), max_samples=3)
    book.refresh(story)  # its profile from its posts' words, and the index of its head words
    assert story.head[:2] == ["gurlitt", "paintings"]
    assert book.named_by(["paintings", "rice"]) == {"inc-1"} and book.named_by(["rice"]) == set()
    book.note_keys(story, {"en:gurlitt": 6.0}, ts=10.0)
    assert book.bursting_with(["en:gurlitt", "en:rice"]) == {"inc-1"}
    story.raised = True
    book.close(story)
    assert "inc-1" in book.resolved and "inc-1" not in book.active
    assert book.bursting_with(["en:gurlitt"]) == set()  # a resolved story no longer pulls posts by its keys
    book.reopen("inc-1")
    assert book.get("inc-1") is story and book.bursting_with(["en:gurlitt"]) == {"inc-1"}


def test_places_named_together_become_one_area() -> None:
    areas = PlaceAreas(near_after=3, near_share=0.15)
    for _ in range(3):
        areas.learn_one(frozenset({"waco", "west texas"}))
    areas.learn_one(frozenset({"boston"}))
    assert areas.same_area({"waco"}, {"west texas"})
    assert areas.same_area({"boston"}, {"boston", "cambridge"})  # a place in common
    assert not areas.same_area({"boston"}, {"waco"})


def test_a_candidate_opens_on_a_trending_pair_or_two_terms_never_on_one() -> None:
    stage, matcher = CandidateStage(), StoryMatcher()
    pair = _member("p", "gurlitt paintings", trending={"en:gurlitt+paintings": 5.0})
    opened = stage.open(pair, {"en:gurlitt+paintings": 5.0}, now=pair.post.ts, matcher=matcher)
    assert opened is not None and opened.seed_keys == ("en:gurlitt+paintings",)
    two = {"en:gurlitt": 5.0, "en:paintings": 4.0}
    assert stage.open(_member("q", "gurlitt paintings"), two, now=0.0, matcher=matcher) is not None
    assert stage.open(_member("r", "gurlitt paintings"), {"en:gurlitt": 5.0}, now=0.0, matcher=matcher) is None
    # The same post with the same keys opens the same candidate id: a replay opens what the live run opened.
    again = stage.open(pair, {"en:gurlitt+paintings": 5.0}, now=pair.post.ts, matcher=matcher)
    assert again is not None and again.incident_id == opened.incident_id


def test_a_post_is_more_similar_to_the_story_whose_words_it_carries() -> None:
    matcher = StoryMatcher()
    post = _member("s", "gurlitt paintings returned to heirs")
    assert matcher.similarity(post, _story("a", ["gurlitt", "paintings", "heirs"])) > 0.5
    assert matcher.similarity(post, _story("b", ["rice", "prices", "jakarta"])) == 0.0
