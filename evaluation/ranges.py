"""What part of a topic a replay reads, in the vocabulary of ``kafka-consumer-groups --reset-offsets``.

- ``--all``: every partition from its start.
- ``--from-datetime`` / ``--to-datetime``: ISO-8601 times; the posts whose event time lies in
  ``[from, to)`` are replayed.
- ``--by-duration``: an ISO-8601 duration back from ``--to-datetime``, or from now.
- ``--from-offset`` / ``--to-offset``: ``topic:partition:offset``, one per partition (the end is exclusive).

A time range is decided by the posts' own event time, not by the broker's record timestamps (Tansu's
``offsets_for_times`` matches its write time, and answers 0 for a time in the future: the field notes). An
offset range is decided by offsets.

>>> r = parse_range(from_datetime="2026-11-28T00:00:00Z", by_duration=None, to_datetime="2026-11-28T06:00Z")
>>> r.start, r.end, r.describe()
(1795824000.0, 1795845600.0, 'event time 2026-11-28T00:00:00Z to 2026-11-28T06:00:00Z')
>>> parse_range(by_duration="PT6H", to_datetime="2026-11-28T06:00:00Z").start
1795824000.0
>>> parse_offsets(["pantau.posts:0:120", "pantau.posts:3:7"], "pantau.posts")
{0: 120, 3: 7}
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import timedelta

import isodate

from schemas.post import format_ts, parse_ts


class RangeError(ValueError):
    """A range that cannot be read as asked: the message says which option and why."""


@dataclass(frozen=True)
class ReplayRange:
    """Event times ``[start, end)`` (None: unbounded) and, or, offsets per partition."""

    start: float | None = None
    end: float | None = None
    from_offsets: dict[int, int] = field(default_factory=dict)
    to_offsets: dict[int, int] = field(default_factory=dict)

    def takes(self, ts: float) -> bool:
        """Whether a post of this event time is in the range."""
        return (self.start is None or ts >= self.start) and (self.end is None or ts < self.end)

    def describe(self) -> str:
        parts = []
        if self.start is not None or self.end is not None:
            begin = "the start" if self.start is None else format_ts(self.start)
            finish = "the end" if self.end is None else format_ts(self.end)
            parts.append(f"event time {begin} to {finish}")
        if self.from_offsets or self.to_offsets:
            parts.append(f"offsets from {self.from_offsets or 'the start'} to {self.to_offsets or 'the end'}")
        return "; ".join(parts) or "all of it"


def parse_time(option: str, value: str) -> float:
    try:
        return parse_ts(value)
    except Exception as exc:
        raise RangeError(f"{option}={value!r}: not an ISO-8601 time ({exc})") from None


def parse_duration(value: str) -> float:
    try:
        parsed = isodate.parse_duration(value)
    except (isodate.ISO8601Error, ValueError) as exc:
        raise RangeError(f"--by-duration={value!r}: not an ISO-8601 duration such as PT6H or P7D ({exc})") from None
    if not isinstance(parsed, timedelta):  # years or months: no fixed length
        raise RangeError(f"--by-duration={value!r}: use days, hours, minutes or seconds (P7D, PT36H), not months")
    seconds = parsed.total_seconds()
    if seconds <= 0:
        raise RangeError(f"--by-duration={value!r}: must be positive")
    return seconds


def parse_offsets(specs: list[str], topic: str) -> dict[int, int]:
    """``topic:partition:offset`` options for one topic, as ``{partition: offset}``."""
    offsets: dict[int, int] = {}
    for spec in specs:
        name, sep, rest = spec.rpartition(":")
        head, sep2, partition_text = name.rpartition(":")
        if not sep or not sep2:
            raise RangeError(f"{spec!r}: expected topic:partition:offset")
        if head != topic:
            raise RangeError(f"{spec!r}: names topic {head!r}, but the replay reads {topic!r}")
        try:
            partition, offset = int(partition_text), int(rest)
        except ValueError:
            raise RangeError(f"{spec!r}: partition and offset must be whole numbers") from None
        if partition < 0 or offset < 0:
            raise RangeError(f"{spec!r}: partition and offset must be 0 or more")
        if partition in offsets:
            raise RangeError(f"{spec!r}: partition {partition} given twice")
        offsets[partition] = offset
    return offsets


def parse_range(
    *,
    replay_all: bool = False,
    from_datetime: str | None = None,
    to_datetime: str | None = None,
    by_duration: str | None = None,
    from_offsets: list[str] | None = None,
    to_offsets: list[str] | None = None,
    topic: str = "",
    now: float | None = None,
) -> ReplayRange:
    """The range the options ask for; exactly one way to say where it starts."""
    starts = [
        name
        for name, given in (
            ("--all", replay_all),
            ("--from-datetime", from_datetime is not None),
            ("--by-duration", by_duration is not None),
            ("--from-offset", bool(from_offsets)),
        )
        if given
    ]
    if len(starts) != 1:
        raise RangeError(
            "say where the replay starts with one of --all, --from-datetime, --by-duration or --from-offset"
            + (f" (got {', '.join(starts)})" if starts else "")
        )
    end = parse_time("--to-datetime", to_datetime) if to_datetime is not None else None
    start: float | None = None
    if from_datetime is not None:
        start = parse_time("--from-datetime", from_datetime)
    elif by_duration is not None:
        start = (end if end is not None else (time.time() if now is None else now)) - parse_duration(by_duration)
    if start is not None and end is not None and end <= start:
        raise RangeError(f"--to-datetime {format_ts(end)} is not after the start {format_ts(start)}")
    if replay_all and end is not None:
        raise RangeError("--all reads everything: give --from-datetime or --by-duration with --to-datetime")
    begin = parse_offsets(from_offsets or [], topic)
    finish = parse_offsets(to_offsets or [], topic)
    if finish and not begin:
        raise RangeError("--to-offset needs --from-offset")
    for partition, offset in finish.items():
        if partition in begin and offset < begin[partition]:
            raise RangeError(f"partition {partition}: --to-offset {offset} is before --from-offset {begin[partition]}")
    return ReplayRange(start=start, end=end, from_offsets=begin, to_offsets=finish)
