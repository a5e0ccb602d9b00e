"""Officers' labels rank what is raised next: "not relevant" on an incident lowers the rank of the next similar
incident, enough such labels suppress it, and "relevant" raises it (``detectors.labels``, wired into
``IncidentTracker``). A dismissed incident stays quiet whatever later joins it."""

from __future__ import annotations

import math
import pickle
from collections.abc import Mapping

import pytest

from detectors.core import DetectionCore
from detectors.incidents import IncidentTracker
from detectors.labels import NO_EFFECT, LabelMemory
from schemas.alert import Alert
from schemas.feedback import Feedback
from schemas.post import Post
from tests.label_stories import (
    DAY,
    DRILLS,
    EXPULSION,
    ISLANDS,
    LAWMAKERS,
    QUAKE_PLACES,
    TEXTBOOK,
    background,
    quake,
    story,
)

HOUR = 3600.0

# -- the memory on its own -------------------------------------------------------------------------------------

SUMMONS = {"summon": 4.0, "ambassador": 4.0, "island": 3.5, "dispute": 3.0, "korean": 2.5, "@KR": 3.0}
SUMMONS_AGAIN = {"summon": 4.0, "ambassador": 4.0, "island": 3.0, "lawmaker": 3.5, "visit": 2.0, "@KR": 3.0}
EARTHQUAKE = {"earthquake": 4.0, "tsunami": 3.5, "warning": 2.0, "coast": 2.0, "@KR": 3.0, "~earthquake": 4.0}


def _label(memory: LabelMemory, profile: Mapping[str, float], relevant: bool, incident_id: str, at: float) -> None:
    memory.learn_one({"profile": profile, "relevant": relevant, "incident_id": incident_id, "at": at})


def test_a_label_counts_for_similar_incidents_only() -> None:
    memory = LabelMemory()
    assert memory.effect(SUMMONS_AGAIN, at=0.0) is NO_EFFECT  # nothing labelled yet
    _label(memory, SUMMONS, False, "inc-a", at=0.0)
    similar = memory.effect(SUMMONS_AGAIN, at=0.0)
    assert similar.similar == ("inc-a",) and similar.not_relevant == 1 and similar.relevant == 0
    assert -1.0 < similar.net < -memory.similarity  # the cosine, signed, undecayed
    assert similar.count == 1.0 and not similar.suppressed
    # The same country is no likeness: country pseudo-terms and concepts are not part of a label's profile.
    assert memory.effect(EARTHQUAKE, at=0.0) is NO_EFFECT
    assert memory.score_one({"profile": EARTHQUAKE, "at": 0.0}) == 0.0
    assert memory.score_one({"profile": SUMMONS_AGAIN, "at": 0.0}) == similar.net
    # A relevant label pulls the other way, by as much.
    relevant = LabelMemory()
    _label(relevant, SUMMONS, True, "inc-a", at=0.0)
    assert relevant.effect(SUMMONS_AGAIN, at=0.0).net == -similar.net
    assert relevant.effect(SUMMONS_AGAIN, at=0.0).count == -1.0


def test_a_label_fades_with_event_time_and_a_later_one_counts_as_fresh() -> None:
    memory = LabelMemory(half_life_s=10 * DAY)
    _label(memory, SUMMONS, False, "inc-a", at=5 * DAY)
    fresh = memory.effect(SUMMONS, at=5 * DAY)
    assert fresh.net == -1.0 and fresh.count == 1.0  # itself: cosine 1
    assert memory.effect(SUMMONS, at=15 * DAY).count == 0.5
    assert memory.effect(SUMMONS, at=25 * DAY).count == 0.25
    assert memory.effect(SUMMONS, at=25 * DAY).net == -0.25
    assert memory.effect(SUMMONS, at=0.0).count == 1.0  # labelled after ``at`` (a replay): fresh, no more


def test_enough_fresh_labels_suppress_and_fewer_never_do() -> None:
    memory = LabelMemory(suppress_after=3, half_life_s=14 * DAY)
    for n in range(2):
        _label(memory, SUMMONS, False, f"inc-{n}", at=0.0)
    assert not memory.effect(SUMMONS_AGAIN, at=0.0).suppressed  # two labels, however fresh
    _label(memory, SUMMONS, False, "inc-2", at=0.0)
    assert memory.effect(SUMMONS_AGAIN, at=0.0).suppressed
    assert memory.effect(SUMMONS_AGAIN, at=7 * DAY).suppressed  # 3 x 0.71 = 2.1 labels' worth
    assert not memory.effect(SUMMONS_AGAIN, at=14 * DAY).suppressed  # 3 x 0.5: faded
    assert not memory.effect(EARTHQUAKE, at=0.0).suppressed
    # A relevant label of a similar incident takes one back.
    _label(memory, SUMMONS_AGAIN, True, "inc-3", at=0.0)
    effect = memory.effect(SUMMONS_AGAIN, at=0.0)
    assert (effect.not_relevant, effect.relevant, effect.count, effect.suppressed) == (3, 1, 2.0, False)
    assert effect.similar[0] == "inc-3"  # the most similar first: its own profile
    assert "ranked lower: like 3 incidents labelled not relevant, 1 relevant (inc-3, " in effect.describe()
    never = LabelMemory(suppress_after=0)
    for n in range(10):
        _label(never, SUMMONS, False, f"inc-{n}", at=0.0)
    assert not never.effect(SUMMONS, at=0.0).suppressed and never.effect(SUMMONS, at=0.0).net < -9


def test_relabelling_an_incident_replaces_its_label_and_memory_is_bounded() -> None:
    memory = LabelMemory(capacity=3)
    _label(memory, SUMMONS, False, "inc-a", at=0.0)
    _label(memory, SUMMONS, True, "inc-a", at=HOUR)  # the officer changed their mind
    effect = memory.effect(SUMMONS, at=HOUR)
    assert len(memory) == 1 and (effect.relevant, effect.not_relevant, effect.net) == (1, 0, 1.0)
    for n in range(5):
        _label(memory, {f"word{n}": 1.0}, False, f"inc-{n}", at=2 * HOUR)
    assert len(memory) == 3
    assert memory.effect(SUMMONS, at=HOUR) is NO_EFFECT  # the oldest learned went first
    assert memory.effect({"word4": 1.0}, at=HOUR).similar == ("inc-4",)
    assert memory.effect({"word1": 1.0}, at=HOUR) is NO_EFFECT
    # A profile keeps its heaviest terms only, at unit length.
    wide = LabelMemory(profile_terms=2)
    _label(wide, {"a": 3.0, "b": 4.0, "c": 1.0}, False, "inc-w", at=0.0)
    assert wide._labels["inc-w"].profile == {"b": 0.8, "a": 0.6}


def test_the_memory_pickles_and_clones_to_its_config() -> None:
    memory = LabelMemory(similarity=0.4, half_life_s=3 * DAY)
    _label(memory, SUMMONS, False, "inc-a", at=0.0)
    _label(memory, SUMMONS_AGAIN, True, "inc-b", at=DAY)
    restored = pickle.loads(pickle.dumps(memory))
    assert restored.effect(SUMMONS, at=2 * DAY) == memory.effect(SUMMONS, at=2 * DAY) != NO_EFFECT
    assert restored._get_params() == memory._get_params()
    assert memory.clone().effect(SUMMONS, at=2 * DAY) is NO_EFFECT  # the config, none of the labels


def test_ranking_moves_a_confidence_by_logits_and_keeps_it_inside_zero_one() -> None:
    memory = LabelMemory(rank_step=1.5)
    assert memory.rank(0.5, 0.0) == 0.5
    assert memory.rank(0.5, -1.0) == round(1 / (1 + math.exp(1.5)), 4) == 0.1824
    assert memory.rank(0.5, 1.0) == 0.8176
    assert memory.rank(1.0, -0.5) < 0.98 and memory.rank(0.0, 0.5) > 0.02  # clipped before the shift
    assert memory.rank(0.3, -5000.0) == 0.0 < memory.rank(0.3, -1.0) and memory.rank(0.3, 5000.0) == 1.0


# -- end to end, through the detection core ---------------------------------------------------------------------
def _run(
    stories: dict[str, tuple[float, tuple[str, ...]]],
    labels: dict[str, tuple[str, float]],
    days: float = 12.0,
    tracker: IncidentTracker | None = None,
) -> tuple[DetectionCore, dict[str, list[Alert]]]:
    """A background stream with the stories in it (tag -> start, texts); at each label's time (tag -> label,
    event time) an officer labels the incident raised for that story. Returns the core and each story's
    alert records (every record of an incident raised for one of its posts)."""
    core = DetectionCore(tracker=tracker)
    posts = sorted(
        [*background(days), *(p for tag, (start, texts) in stories.items() for p in story(tag, start, texts))],
        key=lambda p: p.ts,
    )
    pending = sorted((at, tag, label) for tag, (label, at) in labels.items())
    alerts: list[Alert] = []
    batch: list[Post] = []
    for post in posts:
        while pending and post.ts >= pending[0][0]:
            alerts += core.process_posts(batch) + core.flush()
            batch = []
            _, tag, label = pending.pop(0)
            incident_id = next(a.incident_id for a in alerts if a.kind == "raised" and a.post_ids[0][:1] == tag)
            alerts += core.feedback(Feedback(label=label, incident_id=incident_id, by="duty-1"))
        batch.append(post)
    alerts += core.process_posts(batch) + core.flush()
    owner = {a.incident_id: a.post_ids[0][:1] for a in alerts if a.kind == "raised"}
    by_story: dict[str, list[Alert]] = {tag: [] for tag in stories}
    for alert in alerts:
        by_story.setdefault(owner[alert.incident_id], []).append(alert)
    assert "z" not in by_story, "the background raises nothing"
    return core, by_story


def _raised(alerts: list[Alert]) -> Alert:
    raised = [a for a in alerts if a.kind == "raised"]
    assert len(raised) == 1, [(a.kind, a.reason) for a in alerts]
    return raised[0]


# Story A early on; B days after A has been resolved and forgotten (``reopen_within_s``), so it cannot merge
# back into A; C, nothing like either, a day later.
STORIES = {"a": (0.5 * DAY, ISLANDS), "b": (6.5 * DAY, LAWMAKERS), "c": (7.5 * DAY, EXPULSION)}
LABELLED_AT = 0.8 * DAY  # a few hours after A was raised


@pytest.fixture(scope="module")
def baseline() -> dict[str, list[Alert]]:
    core, alerts = _run(STORIES, {})
    assert core.suppressed == 0
    return alerts


def test_not_relevant_ranks_the_next_similar_incident_lower(baseline: dict[str, list[Alert]]) -> None:
    core, alerts = _run(STORIES, {"a": ("not_relevant", LABELLED_AT)})
    a = _raised(alerts["a"])
    assert a == _raised(baseline["a"])  # raised before anyone labelled it
    assert [x.kind for x in alerts["a"]][-1] == "resolved" and "dismissed" in alerts["a"][-1].reason
    b, b_before = _raised(alerts["b"]), _raised(baseline["b"])
    assert b.incident_id == b_before.incident_id != a.incident_id  # its own incident, the same as without labels
    assert b_before.feedback is None and b_before.confidence == 0.6
    assert b.confidence == 0.3696 < b_before.confidence  # measured: 0.6 -> 0.3696
    assert b.feedback is not None and b.feedback.similar == (a.incident_id,)
    assert b.feedback.net == -0.626  # cosine 0.83, a label 5.7 days old: x 0.75
    assert b.reason == b_before.reason + f"; ranked lower: like 1 incident labelled not relevant ({a.incident_id})"
    # ... and so are its later records: updated and resolved alike, for its whole life.
    assert all(x.feedback == b.feedback for x in alerts["b"])
    ranked = {x.seq: x.confidence for x in alerts["b"]}
    assert all(ranked[x.seq] < x.confidence for x in baseline["b"])
    # The record says so on the wire, and reads back.
    raw = b.to_json()
    assert Alert.from_json(raw).feedback == b.feedback and Alert.from_json(raw).to_json() == raw
    assert b'"feedback":{"net":-0.626,"similar":["inc-' in raw
    # A story nothing like it is untouched, byte for byte.
    assert [x.to_json() for x in alerts["c"]] == [x.to_json() for x in baseline["c"]]
    assert b'"feedback"' not in b"".join(x.to_json() for x in baseline["b"] + baseline["c"])
    assert core.suppressed == 0


def test_relevant_ranks_the_next_similar_incident_higher(baseline: dict[str, list[Alert]]) -> None:
    _, alerts = _run(STORIES, {"a": ("relevant", LABELLED_AT)})
    assert [x.kind for x in alerts["a"]] == [x.kind for x in baseline["a"]]  # not dismissed
    b = _raised(alerts["b"])
    assert b.confidence == 0.7933 > _raised(baseline["b"]).confidence  # measured: 0.6 -> 0.7933
    assert b.feedback is not None and b.feedback.net == 0.626
    assert b.reason.endswith(f"; ranked higher: like 1 incident labelled relevant ({_raised(alerts['a']).incident_id})")
    assert [x.to_json() for x in alerts["c"]] == [x.to_json() for x in baseline["c"]]


def test_enough_not_relevant_labels_suppress_a_similar_incident() -> None:
    # Four stories of one kind, two days apart, each labelled not relevant hours after it was raised. (Stories
    # are forgotten a day after they resolve here, so that none merges into the one before.)
    stories = {
        "a": (0.5 * DAY, ISLANDS),
        "b": (2.5 * DAY, LAWMAKERS),
        "d": (4.5 * DAY, DRILLS),
        "e": (6.5 * DAY, TEXTBOOK),
        "c": (7.5 * DAY, EXPULSION),
    }
    labels = {tag: ("not_relevant", stories[tag][0] + 0.3 * DAY) for tag in "abd"}
    base_core, base = _run(stories, {}, tracker=IncidentTracker(reopen_within_s=DAY))
    core, alerts = _run(stories, labels, tracker=IncidentTracker(reopen_within_s=DAY))
    assert base_core.suppressed == 0 and all(_raised(base[tag]).feedback is None for tag in stories)
    # Each label ranks the next one lower: one label, then two.
    b, d = _raised(alerts["b"]), _raised(alerts["d"])
    assert b.confidence < _raised(base["b"]).confidence and "like 1 incident labelled not relevant" in b.reason
    assert d.confidence < b.confidence and "like 2 incidents labelled not relevant" in d.reason
    assert d.feedback is not None and len(d.feedback.similar) == 2
    # The third label: the fourth story of its kind is not raised at all, nor updated as it grows.
    assert _raised(base["e"]).kind == "raised"
    assert alerts["e"] == [] and core.suppressed == 1
    assert not [x for story in alerts.values() for x in story if x.post_ids[0].startswith("e")]
    assert [x.to_json() for x in alerts["c"]] == [x.to_json() for x in base["c"]]


def test_where_lives_may_be_at_stake_labels_rank_but_never_suppress() -> None:
    # Four earthquakes abroad with nationals among the victims, the first three labelled not relevant: the
    # fourth is ranked lower still, but raised (a summons story would be suppressed here, as above).
    stories = {tag: (0.5 * DAY + 2 * DAY * k, quake(QUAKE_PLACES[k])) for k, tag in enumerate("abde")}
    labels = {tag: ("not_relevant", stories[tag][0] + 0.3 * DAY) for tag in "abd"}
    _, base = _run(stories, {}, tracker=IncidentTracker(reopen_within_s=DAY))
    core, alerts = _run(stories, labels, tracker=IncidentTracker(reopen_within_s=DAY))
    assert {_raised(base[tag]).type_code for tag in stories} == {"CONSULAR"}
    d, e = _raised(alerts["d"]), _raised(alerts["e"])
    assert e.confidence < d.confidence < _raised(base["d"]).confidence
    assert "like 3 incidents labelled not relevant" in e.reason and e.severity == _raised(base["e"]).severity
    assert core.suppressed == 0


def test_labels_survive_a_checkpoint() -> None:
    core, _ = _run({"a": STORIES["a"]}, {"a": ("not_relevant", LABELLED_AT)}, days=1.0)
    restored = pickle.loads(pickle.dumps(core))
    assert restored.tracker.labels._labels == core.tracker.labels._labels and len(core.tracker.labels) == 1
    posts = story("b", 6.5 * DAY, LAWMAKERS)
    assert [x.to_json() for x in core.process_posts(posts) + core.flush()] == [
        x.to_json() for x in restored.process_posts(posts) + restored.flush()
    ]


# -- a dismissed incident stays quiet --------------------------------------------------------------------------

SEIZED = (
    "Korean fishermen furious after coast guard boats seized near the island reef",
    "Coast guard seized two Korean fishing boats near the island, crews furious",
    "Korean boats seized near the island by the coast guard, fishermen furious",
    "Wow, the coast guard seized Korean boats at the island reef",
    "Fishermen furious: Korean boats seized by coast guard off the island",
    "Reports say the coast guard seized three Korean boats at the island reef",
    "Korean fishing crews furious, boats seized again near the island",
    "Island reef: coast guard seizes Korean boats, fishermen furious",
)


def test_a_dismissed_incident_is_not_updated_by_what_merges_into_it_nor_resolved_twice() -> None:
    core = DetectionCore()
    core.process_posts(background(0.5))
    raised = core.process_posts(story("a", 0.5 * DAY, ISLANDS[:5])) + core.flush()
    raised_story = _raised(raised)
    dismissed = core.feedback(Feedback(label="not_relevant", incident_id=raised_story.incident_id))
    assert [(x.kind, x.seq) for x in dismissed] == [("resolved", 1)]
    # Within the reopen window, a candidate of its own (its posts too unlike the story to join it one by
    # one) is folded into the dismissed story: no "updated" record for it (one was sent before the fix).
    later = story("s", 1.5 * DAY, SEIZED)
    assert core.process_posts(later) + core.flush() == []
    incident = core.tracker.active[raised_story.incident_id]
    assert incident.dismissed and {"s00", "s07"} <= set(incident.post_ids)
    # Back to silence: it is not resolved a second time (it was, after taking posts again, before the fix).
    quiet = [Post(id=f"q{i}", ts=2 * DAY + 600.0 * i, text="Macet lagi di tol, sabar ya") for i in range(144)]
    assert core.process_posts(quiet) + core.flush() == []
    assert raised_story.incident_id in core.tracker.resolved
