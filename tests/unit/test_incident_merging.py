"""When a new candidate is the continuation of a story already raised: one story, one alert."""

from __future__ import annotations

from collections import Counter

from detectors.core import DetectionCore
from detectors.incidents import IncidentTracker
from detectors.matching import StoryMatcher
from detectors.story import Incident, Member
from schemas.post import Post

HOUR = 3600.0


def _story(
    incident_id: str,
    first_seen: float,
    n: int,
    terms: dict[str, int],
    countries: dict[str, int] | None = None,
    places: dict[tuple[str, str], int] | None = None,
    votes: dict[str, float] | None = None,
    raised: bool = False,
) -> Incident:
    story = Incident(incident_id, first_seen, first_seen + HOUR, ())
    story.n_unique = story.n_posts = n
    story.term_df = Counter(terms)
    story.term_weight = dict.fromkeys(terms, 3.0)
    story.countries = Counter(countries or {})
    story.places = Counter(places or {})
    story.type_votes = dict(votes or {})
    story.raised = raised
    story.refresh_profile(50, 8, 400)
    return story


def _tracker_with(story: Incident) -> IncidentTracker:
    tracker = IncidentTracker()
    tracker.active[story.incident_id] = story
    return tracker


def test_a_candidate_that_goes_by_the_story_s_name_is_folded_into_it() -> None:
    # Days into a story its name ("ferguson") is a common word, no longer in the head of its centroid; a new
    # wave of posts that all carry it is the same story, not a second alert.
    story = _story(
        "inc-a",
        0.0,
        60,
        {"ferguson": 60, "swat": 36, "team": 34, "peaceful": 30, "police": 30, "march": 28, "crowd": 27}
        | {"night": 26, "chief": 25, "officer": 25},
        {"US": 20},
        raised=True,
    )
    story.term_weight["ferguson"] = 0.3  # common by now: it has dropped out of the head of the centroid
    story.refresh_profile(50, 8, 400)
    assert "ferguson" not in story.head
    tracker = _tracker_with(story)
    wave = _story("inc-b", 20 * HOUR, 9, {"ferguson": 9, "tear": 9, "gas": 9, "police": 7})
    assert _merge_target(tracker, wave) is story
    # A candidate that only shares a word some of the story's posts carry is a story of its own.
    other = _story("inc-c", 20 * HOUR, 9, {"police": 9, "tear": 9, "gas": 9})
    assert _merge_target(tracker, other) is None


def test_a_second_report_of_the_same_event_is_folded_into_it_while_the_story_is_young() -> None:
    # "Shots fired on Parliament Hill" names no place the gazetteer knows, beside a running "Ottawa shooting".
    story = _story(
        "inc-a",
        0.0,
        21,
        {"ottawa": 21, "memorial": 15, "soldier": 12, "war": 12},
        {"CA": 20},
        {("CA", "ottawa"): 20},
        {"CONSULAR": 9.0},
        raised=True,
    )
    tracker = _tracker_with(story)

    def report(incident_id: str, first_seen: float) -> Incident:
        """A typed report of shots fired at Parliament Hill, naming Canada once."""
        terms = {"parliament": 10, "hill": 10, "shots": 8, "fired": 8}
        return _story(incident_id, first_seen, 11, terms, {"CA": 1}, None, {"CONSULAR": 6.0})

    assert _merge_target(tracker, report("inc-b", 0.25 * HOUR)) is story
    # The same report a day later is a new event (a second shooting), not a twin.
    assert _merge_target(tracker, report("inc-c", 30 * HOUR)) is None
    # Nor is a report of the same type that names a place of its own.
    elsewhere = _story(
        "inc-d",
        0.25 * HOUR,
        11,
        {"toronto": 10, "shots": 8, "fired": 8},
        {"CA": 10},
        {("CA", "toronto"): 10},
        {"CONSULAR": 6.0},
    )
    assert _merge_target(tracker, elsewhere) is None


def test_a_new_story_does_not_pull_in_posts_from_weeks_before() -> None:
    """On a sparse stream the window of recent posts reaches back weeks; a candidate's backfill must not."""
    t0 = 1_700_000_000.0
    posts = [Post(id=f"old{i}", ts=t0 + i * 60, text=f"Let me show you the trend {i}") for i in range(3)]
    later = t0 + 30 * 86400
    posts += [
        Post(id=f"new{i}", ts=later + i * 30, text=f"Edmonton river show trend flood warning, {word} says")
        for i, word in enumerate(
            [
                "alpha",
                "bravo",
                "charlie",
                "delta",
                "echo",
                "foxtrot",
                "golf",
                "hotel",
                "india",
                "juliet",
                "kilo",
                "lima",
            ]
        )
    ]
    core = DetectionCore()
    core.process_posts(posts)
    core.flush()
    members = {pid for story in core.tracker.active.values() for pid in story.post_ids}
    assert any(pid.startswith("new") for pid in members), "the new posts form a story"
    assert not any(pid.startswith("old") for pid in members)


def test_threading_takes_one_step_from_what_a_story_took_itself() -> None:
    """A post joins the story of its nearest neighbour, but not through a neighbour that joined by threading
    itself: chains of chains drift from a story (a rice export ban) into everyday talk (rice prices)."""
    story = _story("inc-ban", 0.0, 300, {"india": 300, "rice": 280, "export": 250, "ban": 240}, {"IN": 200})
    tracker = _tracker_with(story)

    def post(pid: str, words: list[str]) -> Member:
        member = Member(Post(id=pid, ts=HOUR, text=" ".join(words)), "en", tuple(words), tuple(words), False)
        member.weights = dict.fromkeys(words, 3.0)
        member.norm = 3.0 * len(words) ** 0.5
        member.term_set = frozenset(words)
        return member

    def thread(member: Member) -> Incident | None:
        return tracker.matcher.thread(member, tracker.book, tracker.assessment, tracker.places, tracker.threader)

    talk = ["rice", "went", "shop", "near", "house", "kilo"]
    neighbour = post("talk0", talk)
    tracker.threader.remember(neighbour)
    tracker.book.active[story.incident_id] = story
    neighbour.incident_id = story.incident_id
    tracker.threader.index(neighbour)
    assert thread(post("talk1", talk)) is story  # its neighbour is the story's own post
    neighbour.threaded = True  # ... had that neighbour joined by threading, the chain stops there
    assert thread(post("talk2", talk)) is None


def test_a_report_of_an_event_does_not_vanish_into_chatter() -> None:
    """A large candidate that was never raised and has no type is talk ("marathon day in Boston"). A post
    reporting an event goes to a story of its own, even when it shares the talk's words."""

    def core_with_talk() -> tuple[DetectionCore, Incident]:
        talk = _story("inc-talk", 0.0, 40, {"boston": 40, "marathon": 30, "runner": 12, "day": 10}, {"US": 40})
        core = DetectionCore()
        core.tracker.active[talk.incident_id] = talk
        core.tracker.book.refresh(talk)  # found by its head words, as a running candidate is
        return core, talk

    report = Post(id="p1", ts=HOUR, text="Explosion in Boston marathon, smoke at the finish")
    core, talk = core_with_talk()
    assert core.tracker.assessment.chatter(talk)
    core.process_posts([report])
    core.flush()
    member = next(m for m in core.tracker.threader.recent if m.post.id == "p1")
    assert member.kind is not None and member.incident_id is None
    # The same post joins that candidate when it is no talk (raised): it is a candidate the post could join.
    core, talk = core_with_talk()
    talk.raised = True
    core.process_posts([report])
    core.flush()
    assert "p1" in talk.post_ids
    tracker = core.tracker
    # Talk that was raised, or is young, still takes it.
    young = _story("inc-young", 0.0, 3, {"boston": 3, "marathon": 3})
    raised = _story("inc-raised", 0.0, 40, {"boston": 40, "marathon": 30}, {"US": 40}, raised=True)
    assert not tracker.assessment.chatter(young) and not tracker.assessment.chatter(raised)


def test_a_report_of_another_kind_of_event_is_no_twin_of_a_running_story() -> None:
    # One post among 207 about an earthquake in Türkiye names the Netherlands; a Dutch expulsion of Russian
    # diplomats an hour later is its own incident, not a second report of the earthquake.
    quake = _story(
        "inc-a",
        0.0,
        207,
        {"gempa": 150, "turki": 120, "kbri": 90, "ankara": 80},
        {"TR": 183, "ID": 157, "NL": 1},
        {("TR", "ankara"): 60},
        {"CONSULAR": 120.0},
        raised=True,
    )
    tracker = _tracker_with(quake)
    expulsion = _story(
        "inc-b", 1.3 * HOUR, 1, {"netherlands": 1, "expels": 1, "russian": 1, "diplomats": 1}, {"NL": 1, "RU": 1}
    )
    expulsion.type_votes = {"161": 0.9}
    assert _merge_target(tracker, expulsion) is None


def test_what_makes_a_story_the_ministry_s() -> None:
    tracker = IncidentTracker()
    # A typed story placed at home that names no foreign country is domestic: "transit is a war every morning".
    commute = _story("inc-a", 0.0, 14, {"transit": 10, "perang": 10, "pagi": 10}, {"ID": 5}, votes={"CONSULAR": 2.5})
    commute.home_named = 5  # "Tangerang", "Depok": places at home, named in the posts' words
    assert not tracker.assessment.relevant(commute)
    # The same type naming a foreign country, or naming no place at all, may be abroad.
    abroad = _story("inc-b", 0.0, 14, {"flood": 10}, {"ID": 5, "MY": 6}, votes={"CONSULAR": 5.0})
    nowhere = _story("inc-c", 0.0, 14, {"hurricane": 10}, votes={"CONSULAR": 5.0})
    assert tracker.assessment.relevant(abroad) and tracker.assessment.relevant(nowhere)
    # An untyped story must be about one foreign country: a template naming a different one in each post
    # ("the ambassador of X tries batik") is about none.
    countries = dict.fromkeys(["JP", "KR", "FR", "MY", "SA", "GB", "US", "CN"], 1)  # 8 in 10 posts, 1 each
    template = _story("inc-d", 0.0, 10, {"batik": 10}, countries)
    template.relevance_sum = 0.9 * 10
    assert not tracker.assessment.relevant(template)
    one_country = _story("inc-e", 0.0, 10, {"coup": 10}, {"MM": 8})
    one_country.relevance_sum = 0.9 * 10
    assert tracker.assessment.relevant(one_country)
    # ... named in two posts at least: one mention among five posts is a coincidence.
    once = _story("inc-f", 0.0, 5, {"coup": 5}, {"MM": 1})
    once.relevance_sum = 0.9 * 5
    assert not tracker.assessment.relevant(once)
    # A typed story that nothing in its words places, posted from home, is domestic too (a suburb that no
    # gazetteer knows): its posters' country hints place it.
    posted_home = _story("inc-g", 0.0, 5, {"transit": 5, "perang": 5}, {"ID": 4}, votes={"CONSULAR": 1.75})
    assert posted_home.home_named == 0 and not tracker.assessment.relevant(posted_home)


def test_a_word_that_says_what_happened_names_only_a_running_story() -> None:
    # An earthquake story in Türkiye, resolved; a day later posts about an earthquake in Japan all say
    # "earthquake": another story.
    quake = _story(
        "inc-a",
        0.0,
        56,
        {"earthquake": 50, "buildings": 30, "rescue": 20},
        {"TR": 40},
        {("TR", "ankara"): 20},
        raised=True,
    )
    tracker = IncidentTracker()
    tracker.resolved[quake.incident_id] = quake
    japan = _story(
        "inc-b", 34 * HOUR, 15, {"earthquake": 15, "tokyo": 9, "tsunami": 6}, {"JP": 15}, {("JP", "tokyo"): 9}
    )
    assert _merge_target(tracker, japan) is None


def test_an_untyped_story_takes_a_typed_twin_only_if_they_share_words() -> None:
    visit = _story("inc-a", 0.0, 30, {"visit": 25, "tokyo": 20, "trade": 15}, {"JP": 20}, raised=True)
    tracker = _tracker_with(visit)
    quake = _story("inc-b", 1.5 * HOUR, 6, {"earthquake": 6, "shaking": 4}, {"JP": 6}, votes={"CONSULAR": 4.0})
    assert _merge_target(tracker, quake) is None


def test_a_story_of_citizens_abroad_is_the_ministry_s_wherever_its_posters_are() -> None:
    # Country hints say where posters are (Indonesia), not where the story is; KBRI and WNI put it abroad.
    tracker = IncidentTracker()
    core_story = _story("inc-a", 0.0, 20, {"kbri": 20, "wni": 18, "kapal": 15}, {"ID": 2}, votes={"CONSULAR": 9.0})
    core_story.home_named, core_story.abroad_cues = 0, 20
    assert tracker.assessment.relevant(core_story)


def test_a_young_story_takes_a_post_by_one_bursting_word_only_if_the_word_is_rare_or_not_alone() -> None:
    story = Incident("inc-talk", 0.0, 0.0, ("id:dubes+nyadap",))
    story.term_df.update(["usir", "dubes", "nyadap", "tim", "negosiator", "dagang"])

    def post(*terms: str, tim: float = 2.3) -> Member:
        weights = dict.fromkeys(terms, 2.0) | {"tim": tim, "gurlitt": 4.0}
        return Member(Post(id="p", ts=0.0, text=" ".join(terms)), "id", terms, terms, False, weights=weights)

    football = post("persik", "tunduk", "liga", "gol", "bawa", "tim")
    assert not StoryMatcher().anchored(football, story, ["id:tim"])  # "tim" of a football team
    assert StoryMatcher().anchored(football, story, ["id:dubes+tim"])  # a bursting pair names the story
    assert StoryMatcher().anchored(post("tim", "negosiator", "bocor"), story, ["id:tim"])  # a second word
    assert StoryMatcher().anchored(football, story, ["id:tim", "en:gurlitt"])  # a rare bursting word
    assert StoryMatcher().anchored(post("persik", "tim", tim=3.5), story, ["id:tim"])  # "tim", rare here


def _merge_target(tracker: IncidentTracker, candidate: Incident) -> Incident | None:
    return tracker.merger.target(candidate, tracker.book, tracker.assessment, tracker.places)
