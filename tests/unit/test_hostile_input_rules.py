"""Defects found by an outside test of hostile input (issue 20), each pinned by a test that failed before.

Integration tests of the same fixes, on a real worker, are in ``tests/integration/test_hostile_input.py``.
"""

from __future__ import annotations

import io
import logging
import random
from pathlib import Path

import orjson
import pytest

from detectors.core import DetectionCore
from evaluation.backtest import BacktestStats, run_backtest
from schemas import InvalidMessage, RejectReason, decode_message, decode_post
from schemas.feedback import decode_feedback
from schemas.post import Post, admission_horizon
from streams.app import audit_line, read_audit
from streams.logs import RejectSummary, escape, install_safe_records
from streams.sinks import CollectingAlertSink

GOOD = {"id": "p1", "ts": "2026-11-28T08:00:00Z", "text": "Kemlu panggil Dubes Australia"}
NOW = 1_795_852_800.0  # 2026-11-28T08:00:00Z


def _reason(raw: dict[str, object]) -> RejectReason:
    with pytest.raises(InvalidMessage) as caught:
        decode_post(orjson.dumps(raw))
    return caught.value.reason


# -- 1. ids and the short fields that travel into alerts -------------------------------------------------------


@pytest.mark.parametrize(
    "post_id",
    ["nl-1\n999999 forged-id", "x" * 300_000, "nul\x00id", "rtl\u202edi", "cr\rid", "tab\tid", "ls\u2028id", ""],
    ids=["newline", "300KB", "NUL", "U+202E", "CR", "tab", "U+2028", "empty"],
)
def test_an_unsafe_or_oversized_id_is_rejected_as_bad_id(post_id: str) -> None:
    assert _reason({**GOOD, "id": post_id}) is RejectReason.BAD_ID


def test_an_id_is_bounded_in_utf8_bytes_not_characters() -> None:
    assert decode_post(orjson.dumps({**GOOD, "id": "a" * 256})).id == "a" * 256
    assert _reason({**GOOD, "id": "a" * 257}) is RejectReason.BAD_ID
    assert _reason({**GOOD, "id": "é" * 129}) is RejectReason.BAD_ID  # 258 bytes, 129 characters
    assert decode_post(orjson.dumps({**GOOD, "id": "berita-ñ-日本"})).id == "berita-ñ-日本"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("source", "s" * 257),
        ("source", "antara\nnews"),
        ("author", "a" * 257),
        ("author", "budi\u202e"),
        ("url", "https://x.example/" + "p" * 2100),
        ("url", "https://x.example/a b"),
        ("url", "https://x.example/\u2066"),
        ("lang", "en\n"),
        ("lang", "l" * 40),
        ("country_hints", ["ID"] * 33),
    ],
)
def test_every_short_field_that_reaches_an_alert_is_bounded(field: str, value: object) -> None:
    assert _reason({**GOOD, field: value}) is RejectReason.BAD_VALUE


def test_ordinary_values_of_those_fields_pass() -> None:
    post = decode_post(
        orjson.dumps(
            {
                **GOOD,
                "source": "antaranews.com",
                "author": "Budi Santoso (Jakarta) 🇮🇩",
                "url": "https://www.antaranews.com/berita/1?x=1&y=%20",
                "lang": "zh-Hant",
                "country_hints": ["au", "ID"],
            }
        )
    )
    assert (post.lang, post.country_hints) == ("zh-hant", ("AU", "ID"))


def test_feedback_ids_and_officer_names_follow_the_same_rules() -> None:
    with pytest.raises(InvalidMessage) as caught:
        decode_feedback(b'{"incident_id": "inc-1\\nforged", "relevant": false}')
    assert caught.value.reason is RejectReason.BAD_ID
    with pytest.raises(InvalidMessage) as caught:
        decode_feedback(b'{"incident_id": "inc-1", "relevant": false, "by": "duty\\u202e1"}')
    assert caught.value.reason is RejectReason.BAD_VALUE


def test_an_audit_line_is_one_json_line_whatever_the_id_holds(tmp_path: Path) -> None:
    # Validation keeps such ids out; the audit log must be safe even if one got past it.
    path = tmp_path / "audit.log"
    path.write_bytes(audit_line(7, "nl-1\n999999 forged-id") + audit_line(8, "ok"))
    assert path.read_bytes().count(b"\n") == 2
    assert read_audit(path) == [(7, "nl-1\n999999 forged-id"), (8, "ok")]


def test_a_torn_last_audit_line_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    path.write_bytes(audit_line(1, "a") + audit_line(2, "b")[:5])  # killed mid-write
    assert read_audit(path) == [(1, "a")]


def test_no_log_line_can_be_forged_or_disguised() -> None:
    install_safe_records()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("test.hardening.forge")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("rejected %s", "nl-1\n2026-12-03 INFO pantau: all good\u202e")
        try:
            raise ValueError("bad\ninput\x1b[31m")
        except ValueError:
            logger.exception("failed on %r", "x")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "WARNING rejected nl-1\\n2026-12-03 INFO pantau: all good\\u202e"
    assert "ValueError: bad\\ninput\\x1b[31m" in lines
    assert not any(line.startswith("input") or line.startswith("2026") for line in lines)
    assert escape("plain text, tabs\tkept") == "plain text, tabs\tkept"


# -- 2. the future-date check, with the others, in schemas ------------------------------------------------------


def test_a_future_dated_single_post_is_a_whole_message_reject() -> None:
    # The worker dead-letters a whole-message reject with batch_index -1; it used to say 0.
    raw = orjson.dumps({**GOOD, "ts": "2100-01-01T00:00:00Z"})
    with pytest.raises(InvalidMessage) as caught:
        decode_message(raw, not_after=admission_horizon(NOW))
    assert caught.value.reason is RejectReason.BAD_VALUE and "2100-01-01" in caught.value.detail


def test_a_future_dated_post_in_a_batch_is_rejected_by_its_index() -> None:
    batch = orjson.dumps({"batch": 1, "posts": [GOOD, {**GOOD, "id": "p2", "ts": NOW + 86_401}]})
    decoded = decode_message(batch, not_after=admission_horizon(NOW))
    assert [p.id for p in decoded.posts] == ["p1"]
    assert [(i, r.reason) for i, r in decoded.rejects] == [(1, RejectReason.BAD_VALUE)]
    assert decode_message(batch, not_after=admission_horizon(NOW, max_future_s=90_000)).rejects == []


def test_the_backtest_rejects_the_posts_the_service_rejects() -> None:
    records = [GOOD, {**GOOD, "id": "future", "ts": "2100-01-01T00:00:00Z"}, {**GOOD, "id": "a\nb"}]
    sink = CollectingAlertSink()
    stats = run_backtest(records, sink, now=NOW)
    assert sink.alerts == []
    assert stats == BacktestStats(posts=1, rejected=2, alerts=0, incidents=0)


# -- 4. late posts on a live feed --------------------------------------------------------------------------------


def _live_feed(n: int, jitter_s: float, seed: int = 5) -> list[Post]:
    """Posts as a live feed delivers them: in arrival order, each stamped up to ``jitter_s`` before arrival."""
    rng = random.Random(seed)
    return [Post(id=f"l{i}", ts=NOW + i * 0.5 - rng.uniform(0, jitter_s), text="live post") for i in range(n)]


def test_a_live_feeds_ordinary_disorder_is_not_late() -> None:
    core = DetectionCore()
    for post in _live_feed(1600, jitter_s=30.0):
        core.process_posts([post])  # one message at a time, as the worker receives them
    # Before the fix every post behind the newest one counted: 1,5xx of 1,600.
    assert core.late_posts == 0
    assert core.buffered <= 3


def test_posts_far_behind_the_released_event_time_are_late() -> None:
    core = DetectionCore(late_after_s=60.0)
    core.process_posts(_live_feed(200, jitter_s=1.0))
    stale = [Post(id=f"s{i}", ts=NOW - 600 + i, text="crawled ten minutes late") for i in range(7)]
    core.process_posts(stale)
    assert core.late_posts == 7 and core.buffered <= 3


def test_after_an_idle_release_a_post_of_a_released_tick_is_processed_on_arrival() -> None:
    core = DetectionCore(late_after_s=0.0)
    core.process_posts([Post(id="a", ts=NOW + 10, text="x")])
    core.release_idle()
    core.process_posts([Post(id="b", ts=NOW + 5, text="x")])
    assert (core.buffered, core.late_posts, core.posts_processed) == (0, 1, 2)


# -- 6. rejects are summarised in the log, not one line each -----------------------------------------------------


def test_a_flood_of_rejects_logs_a_few_lines_per_interval() -> None:
    records: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    logger = logging.getLogger("test.hardening.rejects")
    logger.addHandler(Capture())
    logger.propagate = False
    now = [0.0]
    summary = RejectSummary(logger, interval_s=10.0, clock=lambda: now[0])
    reasons = ["invalid_json", "not_utf8", "bad_id", "too_large", "wrong_type"]
    for i in range(1635):
        now[0] = i * 0.05  # 82 s of attack
        summary.note("normalise", reasons[i % 5], f"posts[0]@{i}", "detail")
    summary.flush()
    assert len(records) <= 9 * 2 * len(reasons), len(records)
    logged = sum(int(r.split()[0]) for r in records if r[0].isdigit()) + sum(r.startswith("rejected") for r in records)
    assert logged == 1635, "every reject is in a line or a count"


def test_the_console_sink_prints_no_terminal_control_from_a_post() -> None:
    from schemas.alert import Alert, SamplePost
    from streams.sinks import ConsoleAlertSink

    stream = io.StringIO()
    sample = SamplePost("p1", 0.0, "hi \x1b[2J\x1b[31mfake\u202e", None, "social", "en")
    alert = Alert(
        incident_id="inc-1",
        seq=0,
        kind="raised",
        at=0.0,
        first_seen=0.0,
        title="t\x1b[2J",
        type_code="11",
        type_label="disapprove",
        severity="high",
        confidence=0.9,
        samples=(sample,),
        reason="r\nforged",
    )
    ConsoleAlertSink(stream, colour=True).add(alert)
    out = stream.getvalue()
    assert "\x1b[2J" not in out and "\u202e" not in out and "\\x1b[2J" in out
    assert out.count("\x1b[") == 2, "only our own colour start and reset"
    assert len(out.splitlines()) == 5
