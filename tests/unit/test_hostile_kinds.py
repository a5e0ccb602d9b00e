"""The hostile-input generator's expectations hold against the decoder, kind by kind (fast, no broker).

The integration test (``tests/integration/test_hostile_input.py``) sends the same messages through a worker; a
wrong expectation here would show there as a worker bug, so it is caught first, and by kind.
"""

from __future__ import annotations

import time

import pytest

from schemas import InvalidMessage, decode_message
from schemas.post import admission_horizon
from tests.hostile import Expected, hostile_messages

NOW = time.time()
MESSAGES = hostile_messages(400, now=NOW, big=False)


def _outcome(value: bytes | None) -> Expected:
    try:
        decoded = decode_message(value, not_after=admission_horizon(NOW))  # type: ignore[arg-type]
    except InvalidMessage as exc:
        return Expected(rejects={-1: exc.reason.value})
    return Expected([p.id for p in decoded.posts], {i: r.reason.value for i, r in decoded.rejects})


def test_the_generator_covers_the_kinds_of_the_outside_test() -> None:
    kinds = {m.kind for m in MESSAGES}
    assert len(kinds) >= 47
    needed = {
        "not_utf8",
        "truncated_json",
        "deep_nesting",
        "nan_ts",
        "far_future_ts",
        "tombstone",
        "forged_newline_id",
        "bidi_id",
        "nul_id",
        "huge_id",
        "batch_mixed",
        "too_large_1mib",
    }
    assert needed <= kinds


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: m.kind)
def test_each_message_decodes_as_expected(message: object) -> None:
    assert _outcome(message.value) == message.expected  # type: ignore[attr-defined]


FIELD_KINDS = {
    "forged_newline_id",
    "nul_id",
    "bidi_id",
    "empty_id",
    "huge_source",
    "huge_author",
    "control_author",
    "bidi_source",
    "url_with_space",
    "huge_url",
    "bad_lang",
    "many_countries",
}


def test_the_post_json_schema_states_the_same_field_rules() -> None:
    # Producers outside Python validate against the JSON Schema: it accepts what we accept and rejects what
    # breaks a field rule (time and country-code checks are the decoder's alone).
    import json
    from pathlib import Path

    import jsonschema
    import orjson

    schema = json.loads((Path(__file__).resolve().parents[2] / "schemas/json/post.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    checked = set()
    for message in MESSAGES:
        if message.kind.startswith("valid"):
            assert validator.is_valid(orjson.loads(message.value)), message.kind  # type: ignore[arg-type]
            checked.add(message.kind)
        elif message.kind in FIELD_KINDS:
            assert not validator.is_valid(orjson.loads(message.value)), message.kind  # type: ignore[arg-type]
            checked.add(message.kind)
    assert checked >= FIELD_KINDS
