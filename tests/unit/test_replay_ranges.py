"""The ranges `pantau replay` reads: kafka-consumer-groups' vocabulary, each mistake refused with its reason."""

from __future__ import annotations

import pytest

from evaluation.ranges import RangeError, parse_range
from schemas.post import parse_ts

TOPIC = "pantau.posts"
NOW = parse_ts("2026-12-04T12:00:00Z")


def test_time_ranges_are_half_open_in_event_time() -> None:
    r = parse_range(from_datetime="2026-12-01T00:00:00+07:00", to_datetime="2026-12-02T00:00:00Z", topic=TOPIC)
    assert r.start == parse_ts("2026-11-30T17:00:00Z") and r.end == parse_ts("2026-12-02T00:00:00Z")
    assert r.takes(r.start) and not r.takes(r.end) and r.takes(r.end - 0.001) and not r.takes(r.start - 0.001)
    assert parse_range(by_duration="P1DT6H", now=NOW, topic=TOPIC).start == NOW - 30 * 3600
    assert parse_range(by_duration="PT6H", now=NOW, topic=TOPIC).end is None  # up to the end of the topic
    everything = parse_range(replay_all=True, topic=TOPIC)
    assert everything.takes(0.0) and everything.describe() == "all of it"


def test_offset_ranges_name_their_partitions() -> None:
    r = parse_range(from_offsets=[f"{TOPIC}:0:10", f"{TOPIC}:1:0"], to_offsets=[f"{TOPIC}:0:50"], topic=TOPIC)
    assert (r.from_offsets, r.to_offsets) == ({0: 10, 1: 0}, {0: 50})
    assert "offsets from {0: 10, 1: 0} to {0: 50}" in r.describe()


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({}, "say where the replay starts"),
        ({"replay_all": True, "from_datetime": "2026-12-01T00:00:00Z"}, r"got --all, --from-datetime"),
        ({"from_datetime": "yesterday"}, "not an ISO-8601 time"),
        ({"by_duration": "6 hours"}, "not an ISO-8601 duration"),
        ({"by_duration": "P1M"}, "not months"),
        ({"by_duration": "PT0S"}, "must be positive"),
        ({"from_datetime": "2026-12-02T00:00:00Z", "to_datetime": "2026-12-01T00:00:00Z"}, "is not after"),
        ({"replay_all": True, "to_datetime": "2026-12-01T00:00:00Z"}, "--all reads everything"),
        ({"from_offsets": ["pantau.posts:0"]}, "expected topic:partition:offset"),
        ({"from_offsets": ["other.topic:0:5"]}, "names topic 'other.topic'"),
        ({"from_offsets": ["pantau.posts:0:5", "pantau.posts:0:9"]}, "given twice"),
        ({"from_offsets": ["pantau.posts:0:x"]}, "whole numbers"),
        ({"from_offsets": ["pantau.posts:0:50"], "to_offsets": ["pantau.posts:0:10"]}, "is before --from-offset"),
    ],
)
def test_a_range_that_cannot_be_read_is_refused(options: dict[str, object], reason: str) -> None:
    with pytest.raises(RangeError, match=reason):
        parse_range(topic=TOPIC, now=NOW, **options)  # type: ignore[arg-type]
