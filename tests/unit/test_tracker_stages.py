"""The incident tracker's stages, each a River ``Base`` whose constructor arguments are its config: a clone
starts from them alone, and the tracker never changes what it is given."""

from __future__ import annotations

import copy
import inspect
from typing import Any

import pytest
from river import base

from demo.feed import generate
from detectors.assessment import IncidentAssessment
from detectors.candidates import CandidateStage
from detectors.core import DetectionCore
from detectors.incidents import IncidentTracker, Sighting
from detectors.matching import StoryMatcher
from detectors.merging import StoryMerger
from detectors.places import PlaceAreas
from detectors.rendering import AlertRenderer
from detectors.storybook import StoryBook
from detectors.threads import PostThreader
from schemas.alert import Alert
from schemas.post import post_from_obj

STAGES: list[type[base.Base]] = [
    StoryBook,
    PlaceAreas,
    PostThreader,
    IncidentAssessment,
    StoryMatcher,
    StoryMerger,
    CandidateStage,
    AlertRenderer,
    IncidentTracker,
]


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.__name__)
def test_every_setting_of_a_stage_is_a_constructor_argument_a_clone_keeps(stage: type[base.Base]) -> None:
    defaults = {
        name: p.default
        for name, p in inspect.signature(stage).parameters.items()
        if isinstance(p.default, bool | int | float | str | tuple)
    }
    assert defaults, f"{stage.__name__} has no settings"
    changed = {name: _other(value) for name, value in defaults.items()}
    made = stage(**changed)
    clone = made.clone()
    assert {k: getattr(clone, k) for k in changed} == changed


def _other(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value * 2 + 1
    if isinstance(value, str):
        return value + "x"
    return (*value, "x")


def test_a_clone_of_a_stage_that_learned_starts_afresh() -> None:
    areas = PlaceAreas(near_after=1, near_share=0.1)
    areas.learn_one(frozenset({"waco", "texas"}))
    assert areas.same_area({"waco"}, {"texas"})
    assert not areas.clone().same_area({"waco"}, {"texas"})


def test_the_tracker_changes_nothing_it_is_given_and_learn_one_is_process_one() -> None:
    posts = [post_from_obj(p) for p in generate(seed=7, hours=6.0)]
    given: list[tuple[Sighting, dict[str, float], dict[str, float]]] = []
    core = DetectionCore()
    process_one = core.tracker.process_one

    def watched(x: Sighting) -> list[Alert]:
        given.append((x, copy.deepcopy(dict(x.weights)), copy.deepcopy(dict(x.trending))))
        return process_one(x)

    core.tracker.process_one = watched  # type: ignore[method-assign]
    alerts = core.process_posts(posts) + core.flush()
    assert alerts and len(given) > 1000
    assert all(dict(x.weights) == weights and dict(x.trending) == trending for x, weights, trending in given)
    # learn_one takes the same sightings to the same state: a second tracker fed them gives the same stories.
    learned = IncidentTracker()
    for x, _, _ in given:
        learned.learn_one(x)
    assert [(i.incident_id, i.n_posts) for i in learned.active.values()] == [
        (i.incident_id, i.n_posts) for i in core.tracker.active.values()
    ]
