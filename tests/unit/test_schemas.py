"""Validation at the edge: every kind of bad input gets its own reason."""

from __future__ import annotations

from dataclasses import replace

import orjson
import pytest

from schemas import Alert, DeadLetter, InvalidMessage, RejectReason, decode_message, decode_post, encode_batch
from schemas.alert import MAX_POST_IDS, SamplePost, TermScore
from schemas.post import Post, format_ts, parse_ts

GOOD: dict[str, object] = {
    "id": "p1",
    "ts": "2026-11-28T08:00:00Z",
    "text": "Dubes Australia dipanggil",
    "lang": "id",
    "source_kind": "news",
    "source": "antaranews.com",
    "url": "https://antaranews.com/x",
    "author": "redaksi",
    "country_hints": ["id", "AU"],
}


def test_good_post_round_trips() -> None:
    post = decode_post(orjson.dumps(GOOD))
    assert post == Post(
        id="p1",
        ts=parse_ts("2026-11-28T08:00:00Z"),
        text="Dubes Australia dipanggil",
        lang="id",
        source_kind="news",
        source="antaranews.com",
        url="https://antaranews.com/x",
        author="redaksi",
        country_hints=("ID", "AU"),
    )
    assert decode_post(post.to_json()) == post


def test_evaluation_file_format_is_accepted_and_truth_ignored() -> None:
    line = {
        "id": "4982",
        "ts": "2014-08-09T22:33:06Z",
        "text": "x",
        "lang": "en",
        "source": "PHEME",
        "truth": {"event_id": "ferguson", "relevant": True},
    }
    post = decode_post(orjson.dumps(line))
    assert post.source == "PHEME" and post.source_kind == "social"
    assert not hasattr(post, "truth")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe{not utf8", RejectReason.NOT_UTF8),
        (b'{"id": "p1", "ts": ', RejectReason.INVALID_JSON),
        (b"[1, 2, 3]", RejectReason.WRONG_TYPE),
        (b'{"ts": "2026-11-28T08:00:00Z", "text": "x"}', RejectReason.MISSING_FIELD),
        (b'{"id": "p1", "ts": "2026-11-28T08:00:00Z"}', RejectReason.MISSING_FIELD),
        (b'{"id": "p1", "ts": "2026-11-28T08:00:00Z", "text": 5}', RejectReason.WRONG_TYPE),
        (b'{"id": true, "ts": "2026-11-28T08:00:00Z", "text": "x"}', RejectReason.WRONG_TYPE),
        (b'{"id": "p1", "ts": "yesterday", "text": "x"}', RejectReason.BAD_VALUE),
        (b'{"id": "p1", "ts": 0, "text": "x", "source_kind": "radio"}', RejectReason.BAD_VALUE),
        (b'{"id": "p1", "ts": 0, "text": "x", "country_hints": [1]}', RejectReason.WRONG_TYPE),
    ],
)
def test_bad_input_has_a_reason(raw: bytes, reason: RejectReason) -> None:
    with pytest.raises(InvalidMessage) as info:
        decode_post(raw)
    assert info.value.reason is reason
    assert info.value.detail  # a readable sentence, not just a code


def test_size_limit() -> None:
    raw = orjson.dumps({**GOOD, "text": "x" * 2000})
    with pytest.raises(InvalidMessage) as info:
        decode_post(raw, max_bytes=1000)
    assert info.value.reason is RejectReason.TOO_LARGE
    assert decode_post(raw, max_bytes=len(raw)).id == "p1"


def test_batch_rejects_bad_items_alone() -> None:
    raw = encode_batch([GOOD, {"id": "p2"}, {**GOOD, "id": "p3"}])
    message = decode_message(raw)
    assert [p.id for p in message.posts] == ["p1", "p3"]
    assert [(i, e.reason) for i, e in message.rejects] == [(1, RejectReason.MISSING_FIELD)]
    assert decode_message(orjson.dumps(GOOD)).posts[0].id == "p1"


def test_times_parse_and_format() -> None:
    assert parse_ts("2026-11-28T08:00:00+07:00") == parse_ts("2026-11-28T01:00:00Z")
    assert parse_ts(1795852800) == 1795852800.0
    assert format_ts(1795852800.0) == "2026-11-28T08:00:00Z"
    assert format_ts(1795852800.25) == "2026-11-28T08:00:00.250Z"


ALERT = Alert(
    incident_id="inc-0123456789abcdef",
    seq=0,
    kind="raised",
    at=10.0,
    first_seen=1.0,
    title="t",
    type_code="141",
    type_label="demonstrate",
    severity="medium",
    confidence=0.5,
    countries=("MM",),
    samples=(SamplePost("p", 1.0, "demo", "x.com", "social", "id"),),
    post_ids=("p",),
)


def test_alert_json_is_stable_and_caps_post_ids() -> None:
    alert = replace(
        ALERT,
        incident_id="inc-1",
        seq=2,
        kind="updated",
        languages=("id", "en"),
        terms=(TermScore("kedubes", 7.5),),
        post_ids=tuple(str(i) for i in range(MAX_POST_IDS + 10)),
    )
    raw = alert.to_json()
    assert raw == alert.to_json()
    assert len(orjson.loads(raw)["post_ids"]) == MAX_POST_IDS
    assert Alert.from_json(raw).terms == alert.terms


def test_dead_letter_keeps_original_bytes() -> None:
    record = DeadLetter("not_utf8", "bad", "pantau.posts", 3, 99, b"\xff\x00", 0.0, batch_index=4)
    back = DeadLetter.from_json(record.to_json())
    assert back.original == b"\xff\x00" and back.partition == 3 and back.offset == 99 and back.batch_index == 4


def _validator(name: str):  # type: ignore[no-untyped-def]
    import json
    from pathlib import Path

    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    folder = Path(__file__).resolve().parents[2] / "schemas" / "json"
    docs = {p.name: json.loads(p.read_text()) for p in folder.glob("*.schema.json")}
    registry = Registry().with_resources(
        (uri, Resource.from_contents(doc)) for name_, doc in docs.items() for uri in (name_, doc["$id"])
    )
    schema = docs[f"{name}.schema.json"]
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry)


def test_json_schemas_accept_what_we_write_and_reject_what_we_reject() -> None:
    post = decode_post(orjson.dumps(GOOD))
    assert not list(_validator("post").iter_errors(post.to_dict()))
    assert not list(_validator("batch").iter_errors(orjson.loads(encode_batch([GOOD, GOOD]))))
    assert list(_validator("post").iter_errors({"id": "p1", "ts": 0}))  # no text
    assert list(_validator("post").iter_errors({"id": "p1", "ts": 0, "text": 5}))
    alert = ALERT
    assert not list(_validator("alert").iter_errors(orjson.loads(alert.to_json())))
    dead = DeadLetter("too_large", "big", "pantau.posts", 0, 1, b"x", 0.0)
    assert not list(_validator("deadletter").iter_errors(dead.to_dict()))


@pytest.mark.parametrize(
    "raw",
    [
        b'{"id": "p", "ts": "0001-01-01T00:00:00+01:00", "text": "x"}',
        b'{"id": "p", "ts": "9999-12-31T23:59:59-01:00", "text": "x"}',
        b'{"id": "p", "ts": 1e300, "text": "x"}',
        b'{"id": "p", "ts": -1e12, "text": "x"}',
        b'{"id": "p", "ts": 99999999999999999999, "text": "x"}',
    ],
)
def test_times_out_of_range_are_rejected_not_crashing_later(raw: bytes) -> None:
    with pytest.raises(InvalidMessage) as info:
        decode_post(raw)
    assert info.value.reason is RejectReason.BAD_VALUE


def test_unknown_country_hints_and_null_values_are_rejected() -> None:
    with pytest.raises(InvalidMessage) as info:
        decode_post(orjson.dumps({**GOOD, "country_hints": ["AUS"]}))
    assert info.value.reason is RejectReason.BAD_VALUE and "AUS" in info.value.detail
    with pytest.raises(InvalidMessage) as info:
        decode_message(None)  # type: ignore[arg-type]  # a tombstone: Kafka's null value
    assert info.value.reason is RejectReason.MISSING_FIELD


class _Recorder:
    """Stands in for the Kafka producer: the batching under test happens before any send."""

    def __init__(self) -> None:
        self.values: list[bytes] = []

    def send(self, topic: str, value: bytes) -> None:
        self.values.append(value)

    def flush(self) -> None:
        pass


def test_produce_cuts_a_batch_by_size_before_it_would_pass_the_message_limit() -> None:
    from streams.producer import produce

    posts = [{"id": f"p{i}", "ts": i, "text": "x" * (300 if i % 3 else 2500)} for i in range(40)]
    recorder = _Recorder()
    sent = produce(recorder, "posts", posts, batch_size=500, max_bytes=4000)
    assert sent == 40
    assert all(len(v) <= 4000 for v in recorder.values), "no message over the limit"
    got = [p.id for v in recorder.values for p in decode_message(v, 4000).posts]
    assert got == [p["id"] for p in posts], "every post, once, in order"
    assert len(recorder.values) > 1
    # A post too large by itself goes alone, so the worker dead-letters it with its reason.
    big = {"id": "big", "ts": 0, "text": "y" * 5000}
    recorder = _Recorder()
    produce(recorder, "posts", [posts[0], big, posts[1]], batch_size=500, max_bytes=4000)
    assert len(recorder.values) == 3 and b'"big"' in recorder.values[1] and len(recorder.values[1]) > 4000
    # One that fits alone but not inside an envelope goes bare: the worker reads single posts too.
    snug = {"id": "snug", "ts": 0, "text": "z" * (4000 - len(orjson.dumps({"id": "snug", "ts": 0, "text": ""})))}
    recorder = _Recorder()
    produce(recorder, "posts", [snug], batch_size=500, max_bytes=4000)
    assert recorder.values == [orjson.dumps(snug)] and len(recorder.values[0]) == 4000


def test_normalised_batches_of_the_previous_version_still_decode() -> None:
    from schemas.normalised import NormalisedPost, decode_normalised_batch, encode_normalised_batch

    item = NormalisedPost(Post(id="1", ts=0.0, text="#jobs"), "en", (), ("jobs",), 7, False, automated=True)
    batch = decode_normalised_batch(encode_normalised_batch([item]))
    assert batch.items[0].automated
    old = orjson.loads(encode_normalised_batch([item]))
    old["normalised"] = 3  # written before `automated` existed: rows one shorter
    old["rows"] = [row[:-1] for row in old["rows"]]
    assert not decode_normalised_batch(orjson.dumps(old)).items[0].automated


def test_feedback_records_round_trip_and_match_their_json_schema() -> None:
    from schemas.feedback import Feedback, decode_feedback

    written = Feedback(label="not_relevant", incident_id="inc-1", by="duty-1", comment="line one\nline two", at=0.0)
    assert decode_feedback(written.to_json()) == written
    validator = _validator("feedback")
    assert not list(validator.iter_errors(orjson.loads(written.to_json())))
    assert not list(validator.iter_errors({"incident_id": "inc-1", "relevant": False}))  # version 1
    assert list(validator.iter_errors({"incident_id": "inc-1", "label": "maybe"}))
    for bad in (
        b'{"incident_id": "inc-1", "label": "maybe"}',
        b'{"incident_id": "inc-1", "relevant": "no"}',
        b'{"label": "relevant"}',
        b'{"incident_id": "inc-1", "label": "relevant", "at": {"t": 1}}',
    ):
        with pytest.raises(InvalidMessage):
            decode_feedback(bad)
