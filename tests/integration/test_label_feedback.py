"""Officers' labels teach a real worker, end to end: console button -> feedback topic -> the detect step -> what
is raised next on the alerts topic.

Three weeks of event time (ending now) hold two families of stories: Japan and Korea summoning each other's
ambassadors (a desk calls each not relevant) and Brazil expelling Venezuelan diplomats (relevant). Each phase
of posts goes to the posts topic; when its story is raised, the officer labels it through the console, and the
next phase goes only once the worker has applied the label. The same posts without labels, run through the
same detection core in this process, are the baseline.
"""

from __future__ import annotations

import time
from pathlib import Path

from kafka import KafkaProducer

from console.auth import write_officer
from detectors.core import DetectionCore
from schemas import Alert, decode_message, encode_batch
from schemas.feedback import Feedback
from schemas.post import Post
from streams.broker import EmbeddedBroker
from tests.conftest import WorkerProcess, start_worker
from tests.integration.test_pipeline import consume_until, metric_samples
from tests.label_stories import (
    DAY,
    DEFENCE,
    DRILLS,
    EXPULSION,
    EXPULSION_AGAIN,
    ISLANDS,
    LAWMAKERS,
    TEXTBOOK,
    background,
    shifted,
    story,
)
from tests.officer import OFFICER, PASSWORD, Officer, wait_for

# (story tag, start day, texts, the officer's label once it is raised). Stories of one family lie more than
# reopen_within_s (4 days) apart, so each is an incident of its own; labels fade with a 14-day half-life.
PLAN = (
    ("a", 0.5, ISLANDS, "not_relevant"),
    ("c", 2.5, EXPULSION, "relevant"),
    ("b", 5.5, LAWMAKERS, "not_relevant"),  # like 1 not relevant: ranked lower
    ("g", 8.5, EXPULSION_AGAIN, None),  # like 1 relevant: ranked higher
    ("d", 10.5, DRILLS, "not_relevant"),  # like 2 not relevant
    ("f", 15.5, TEXTBOOK, "not_relevant"),  # like 3, faded to less than 2 labels' worth: still raised
    ("e", 20.5, DEFENCE, None),  # like 4, worth more than 2: suppressed
)
DAYS = 21.5
LABEL_AFTER_DAYS = 0.5  # a story is labelled half a day after it began
DETECTED = ("pantau_posts_consumed_total", (("step", "detect"),))


def _as_the_worker_reads_them(posts: list[Post]) -> list[Post]:
    # Through the wire format (times to the millisecond), so that the baseline sees what the worker sees.
    return [post for p in posts for post in decode_message(p.to_json()).posts]


def _send(producer: KafkaProducer, topic: str, posts: list[Post]) -> None:
    for i in range(0, len(posts), 500):
        producer.send(topic, encode_batch([p.to_dict() for p in posts[i : i + 500]]))
    producer.flush()


def _owner(alert: Alert) -> str:
    return alert.post_ids[0][:1]


def _phases(stream: list[Post], start: float) -> list[tuple[str | None, str | None, list[Post]]]:
    """(story tag, its label, posts): each story's phase runs until LABEL_AFTER_DAYS after it began, when its
    label is given; the last phase (no tag) is the rest of the stream."""
    phases: list[tuple[str | None, str | None, list[Post]]] = []
    sent = 0
    for tag, day, _, label in PLAN:
        end = start + (day + LABEL_AFTER_DAYS) * DAY
        phase = [p for p in stream[sent:] if p.ts < end]
        phases.append((tag, label, phase))
        sent += len(phase)
    phases.append((None, None, stream[sent:]))
    return phases


def _all_detected(worker: WorkerProcess, posts: int) -> bool:
    # Read by the detect step, and none left waiting for its tick: the worker releases them once input
    # pauses (PANTAU_IDLE_FLUSH_S), as the replica's release_idle() does.
    samples = metric_samples(worker)
    return samples.get(DETECTED) == posts and samples.get(("pantau_buffered_posts", ())) == 0


def _raised_for(alerts: list[Alert], tag: str | None) -> Alert | None:
    return next((x for x in alerts if x.kind == "raised" and _owner(x) == tag), None)


def test_labels_from_the_console_rank_and_suppress_what_the_worker_raises_next(
    broker: EmbeddedBroker, tmp_path: Path
) -> None:
    # From a midnight (UTC), so the posts are the same every run: the significance model's hourly slots are
    # aligned to the epoch, and a story split across two slots differently trends differently.
    start = (time.time() - (DAYS + 0.1) * DAY) // DAY * DAY
    stories = [p for tag, day, texts, _ in PLAN for p in story(tag, day * DAY, texts)]
    stream = _as_the_worker_reads_them(sorted(shifted([*background(DAYS), *stories], start), key=lambda p: p.ts))
    phases = _phases(stream, start)

    # In this process, the same posts without labels: every story is raised.
    baseline_core = DetectionCore()
    baseline_alerts = baseline_core.process_posts(stream) + baseline_core.flush()
    baseline = {_owner(x): x for x in baseline_alerts if x.kind == "raised"}
    assert set(baseline) == {tag for tag, *_ in PLAN} and baseline_core.suppressed == 0
    assert all(x.feedback is None for x in baseline_alerts)
    # ... and with each label given at the end of its story's phase, as the worker will be given it.
    replica, expected = DetectionCore(), []
    for tag, label, posts in phases:
        expected += replica.process_posts(posts) + replica.release_idle()
        story_alert = _raised_for(expected, tag)
        if label is not None and story_alert is not None:
            expected += replica.feedback(Feedback(label=label, incident_id=story_alert.incident_id, by=OFFICER))

    credentials = tmp_path / "officers.toml"
    write_officer(credentials, OFFICER, PASSWORD)
    # One posts partition: no partition is ever idle, so no post is processed out of its order (see
    # DetectionCore.expect_sources), and the replica's order is the worker's.
    worker = start_worker(broker, tmp_path, PANTAU_CONSOLE_CREDENTIALS=str(credentials), PANTAU_TOPIC_PARTITIONS="1")
    bootstrap = worker.env["PANTAU_KAFKA_BOOTSTRAP"]
    producer = KafkaProducer(bootstrap_servers=bootstrap, linger_ms=10)
    try:
        officer = Officer(worker.web)
        assert officer.login()[0] == 200
        raised: dict[str, Alert] = {}
        applied = {"relevant": 0, "not_relevant": 0}
        sent = 0
        for tag, label, posts in phases:
            # A phase, then, once the worker has read all of it, the label: it is given at one event time
            # whatever the machine's speed.
            _send(producer, worker.posts_topic, posts)
            sent += len(posts)
            assert wait_for(lambda sent=sent: _all_detected(worker, sent), 60), (tag, sent)
            if tag is None or _raised_for(expected, tag) is None:
                continue

            def story_raised(values: list[bytes], tag: str | None = tag) -> bool:
                return _raised_for([Alert.from_json(v) for v in values], tag) is not None

            story_values = consume_until(bootstrap, worker.alerts_topic, story_raised, timeout_s=60)
            story_alert = _raised_for([Alert.from_json(v) for v in story_values], tag)
            assert story_alert is not None, tag
            raised[tag] = story_alert
            if label is None:
                continue
            # The officer opens the incident on the console and presses the button, as its page does.
            page = f"/console/api/incidents/{story_alert.incident_id}"
            assert wait_for(lambda page=page: officer.request("GET", page)[0] == 200, 30), page
            status, _, body = officer.request("POST", page + "/feedback", {"label": label}, officer.csrf)
            assert status == 202, body
            applied[label] += 1
            want = (("pantau_feedback_applied_total", (("label", label),)), applied[label])
            assert wait_for(lambda want=want: metric_samples(worker).get(want[0]) == want[1], 60), want
        suppressed = metric_samples(worker).get(("pantau_suppressed_incidents_total", ()))
        records = [Alert.from_json(v) for v in consume_until(bootstrap, worker.alerts_topic, lambda v: False, 5)]
    finally:
        producer.close()
        worker.stop()

    # The first of each family is raised as without labels; then the labels rank what follows.
    for tag in "ac":
        assert raised[tag].to_json() == baseline[tag].to_json()
    a, b, c, g, d, f = (raised[tag] for tag in "abcgdf")
    assert b.confidence < baseline["b"].confidence, (b.confidence, baseline["b"].confidence)
    assert b.feedback is not None and b.feedback.similar == (a.incident_id,) and b.feedback.net < 0
    assert b.reason.endswith(f"; ranked lower: like 1 incident labelled not relevant ({a.incident_id})")
    assert g.confidence > baseline["g"].confidence, (g.confidence, baseline["g"].confidence)
    assert g.feedback is not None and g.feedback.similar == (c.incident_id,) and g.feedback.net > 0
    assert g.reason.endswith(f"; ranked higher: like 1 incident labelled relevant ({c.incident_id})")
    assert d.confidence < b.confidence and "like 2 incidents labelled not relevant" in d.reason
    assert f.confidence < d.confidence and "like 3 incidents labelled not relevant" in f.reason
    # The fourth label of its kind: the next one is not raised at all, nor updated, and the worker counts it.
    assert "e" not in raised and suppressed == replica.suppressed == 1
    assert not [x for x in records if any(pid.startswith("e") for pid in x.post_ids)]
    # A not-relevant label dismissed its incident at once; a relevant one left it open.
    dismissed = {x.incident_id for x in records if x.kind == "resolved" and "dismissed" in x.reason}
    assert dismissed == {raised[tag].incident_id for tag in "abdf"}

    # All of it as the detection core gives it in a backtest with the same labels at the same event times.
    def by_key(alerts: list[Alert]) -> list[bytes]:
        return sorted(x.to_json() for x in alerts)

    assert by_key(records) == by_key(expected)
