"""Hostile input for the worker: generated messages of many kinds, each with the outcome it must have.

Each kind builds one Kafka message value (``None`` is a tombstone) and says what must become of it: every
post accepted (their ids), or rejected with a reason, as a whole message or item by item in a batch. The
expectations are written by hand from the input rules (``schemas/``), not computed by the code under test;
``tests/unit/test_hostile_kinds.py`` checks them against the decoder quickly, and
``tests/integration/test_hostile_input.py`` against a running worker.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import orjson

MIB = 1 << 20


@dataclass
class Expected:
    """What must become of one message: the posts it holds that are applied, and its rejects.

    ``rejects`` maps a batch index (-1: the whole message) to the reason it is dead-lettered with.
    """

    accepted: list[str] = field(default_factory=list)
    rejects: dict[int, str] = field(default_factory=dict)


@dataclass
class Message:
    kind: str
    value: bytes | None
    expected: Expected


class _Ids:
    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"{self.tag}-{self.n}"


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_TEXTS = [
    "Kemlu panggil Dubes Australia soal penyadapan",
    "Protest outside the embassy in Jakarta this morning",
    "<script>alert('x')</script> & <b>bold</b>",
    "control\x01chars\x1b[31m and bidi \u202eevil\u202c text",
    "emoji 🇮🇩🔥 and CJK 大使館 and Arabic سفارة",
    "line one\nline two\r\nline three\ttabbed",
    "zero width\u200bjoin\u200d and BOM \ufeff inside",
]


def hostile_messages(n: int, now: float, seed: int = 20, big: bool = True) -> list[Message]:
    """``n`` messages of every kind, in a seeded order; ``big`` adds one 5 MiB and one 60 MiB value."""
    rng = random.Random(seed)
    ids = _Ids(f"h{seed}")

    def good(**extra: object) -> dict[str, object]:
        return {"id": ids(), "ts": _iso(now - rng.uniform(0, 3600)), "text": rng.choice(_TEXTS), **extra}

    def ok(post: dict[str, object]) -> tuple[bytes, Expected]:
        return orjson.dumps(post), Expected(accepted=[str(post["id"])])

    def bad(value: bytes, reason: str) -> tuple[bytes, Expected]:
        return value, Expected(rejects={-1: reason})

    def bad_post(reason: str, **fields: object) -> tuple[bytes, Expected]:
        return bad(orjson.dumps({**good(), **fields}), reason)

    def deep(depth: int) -> bytes:
        return b"[" * depth + b"]" * depth

    def batch() -> tuple[bytes, Expected]:
        items: list[object] = []
        expected = Expected()
        for index in range(rng.randint(2, 12)):
            choice = rng.random()
            if choice < 0.5:
                post = good()
                items.append(post)
                expected.accepted.append(str(post["id"]))
                continue
            item, reason = rng.choice(
                [
                    ({"id": ids()}, "missing_field"),
                    ({**good(), "text": 7}, "wrong_type"),
                    ({**good(), "id": "b\n999 forged"}, "bad_id"),
                    ({**good(), "id": "x" * 300}, "bad_id"),
                    ({**good(), "ts": "2100-01-01T00:00:00Z"}, "bad_value"),
                    ({**good(), "ts": 1e300}, "bad_value"),
                    ({**good(), "country_hints": ["XX"]}, "bad_value"),
                    ({**good(), "source": "s" * 5000}, "bad_value"),
                    ("a string, not a post", "wrong_type"),
                    (None, "wrong_type"),
                    ([1, 2, 3], "wrong_type"),
                ]
            )
            items.append(item)
            expected.rejects[index] = reason
        return orjson.dumps({"batch": 1, "posts": items}), expected

    kinds: dict[str, Callable[[], tuple[bytes | None, Expected]]] = {
        "valid": lambda: ok(good()),
        "valid_all_fields": lambda: ok(
            good(
                lang="id",
                source_kind="news",
                source="antaranews.com",
                url="https://www.antaranews.com/berita/1",
                author="Redaksi",
                country_hints=["AU", "id"],
            )
        ),
        "valid_int_id": lambda: (lambda p: (orjson.dumps(p), Expected(accepted=[str(p["id"])])))(
            {**good(), "id": rng.randint(10**12, 10**13)}
        ),
        "valid_unknown_fields": lambda: ok(good(truth={"event_id": None}, extra=[1, {"a": None}])),
        "valid_long_text": lambda: ok(good(text="kata " * 19_000)),
        "valid_epoch_ts": lambda: ok({**good(), "ts": now - 10.5}),
        "batch_all_good": lambda: (
            lambda ps: (orjson.dumps({"batch": 1, "posts": ps}), Expected([str(p["id"]) for p in ps]))
        )([good() for _ in range(rng.randint(1, 20))]),
        "batch_mixed": batch,
        "batch_empty": lambda: (b'{"batch": 1, "posts": []}', Expected()),
        "batch_posts_not_array": lambda: bad(b'{"batch": 1, "posts": {"id": "x"}}', "wrong_type"),
        "batch_deep_item": lambda: bad(b'{"batch": 1, "posts": [' + deep(5000) + b"]}", "invalid_json"),
        "not_utf8": lambda: bad(bytes([0xFF, 0xFE, 0x00]) + rng.randbytes(20), "not_utf8"),
        "not_utf8_in_string": lambda: bad(b'{"id": "x\xc3\x28", "ts": 0, "text": "t"}', "not_utf8"),
        "lone_surrogate_escape": lambda: bad(b'{"id": "s", "ts": 0, "text": "\\ud800"}', "invalid_json"),
        "truncated_json": lambda: bad(orjson.dumps(good())[: rng.randint(1, 30)], "invalid_json"),
        "empty_value": lambda: bad(b"", "invalid_json"),
        "zero_bytes": lambda: bad(b"\x00" * rng.randint(1, 64), "invalid_json"),
        "nan_ts": lambda: bad(b'{"id": "n", "ts": NaN, "text": "x"}', "invalid_json"),
        "infinity_ts": lambda: bad(b'{"id": "n", "ts": Infinity, "text": "x"}', "invalid_json"),
        "deep_nesting": lambda: bad(deep(10_000), "invalid_json"),
        "deep_in_field": lambda: bad(b'{"id": "d", "ts": 0, "text": ' + deep(5000) + b"}", "invalid_json"),
        "json_number": lambda: bad(b"42", "wrong_type"),
        "json_array": lambda: bad(b'[{"id": "a", "ts": 0, "text": "x"}]', "wrong_type"),
        "json_null": lambda: bad(b"null", "wrong_type"),
        "far_future_ts": lambda: bad_post("bad_value", ts="2100-01-01T00:00:00Z"),
        "far_past_ts": lambda: bad_post("bad_value", ts=-1e12),
        "huge_ts": lambda: bad_post("bad_value", ts=1e308),
        "year_9999": lambda: bad_post("bad_value", ts="9999-12-31T23:59:59Z"),
        "garbage_ts": lambda: bad_post("bad_value", ts="yesterday at noon"),
        "bool_ts": lambda: bad_post("wrong_type", ts=True),
        "missing_text": lambda: bad(orjson.dumps({"id": ids(), "ts": 0}), "missing_field"),
        "null_id": lambda: bad_post("missing_field", id=None),
        "bool_id": lambda: bad_post("wrong_type", id=False),
        "text_not_string": lambda: bad_post("wrong_type", text={"a": 1}),
        "forged_newline_id": lambda: bad_post("bad_id", id="nl-1\n999999 forged-id"),
        "huge_id": lambda: bad_post("bad_id", id="i" * 300_000),
        "nul_id": lambda: bad_post("bad_id", id="nul\x00id"),
        "bidi_id": lambda: bad_post("bad_id", id="abc\u202edcba"),
        "empty_id": lambda: bad_post("bad_id", id=""),
        "text_too_long": lambda: bad_post("bad_value", text="x" * 100_001),
        "huge_source": lambda: bad_post("bad_value", source="s" * 300_000),
        "huge_author": lambda: bad_post("bad_value", author="a" * 300_000),
        "control_author": lambda: bad_post("bad_value", author="duty\r\nSet-Cookie: x"),
        "bidi_source": lambda: bad_post("bad_value", source="moc.\u202eevil"),
        "url_with_space": lambda: bad_post("bad_value", url="https://x.example/a b"),
        "huge_url": lambda: bad_post("bad_value", url="https://x.example/" + "u" * 300_000),
        "bad_lang": lambda: bad_post("bad_value", lang="en\n<script>"),
        "bad_country": lambda: bad_post("bad_value", country_hints=["XX"]),
        "many_countries": lambda: bad_post("bad_value", country_hints=["ID"] * 1000),
        "countries_not_list": lambda: bad_post("wrong_type", country_hints="ID"),
        "bad_source_kind": lambda: bad_post("bad_value", source_kind="tv"),
        "tombstone": lambda: (None, Expected(rejects={-1: "missing_field"})),
        "too_large_1mib": lambda: bad_post("too_large", text="y" * (MIB + 10)),
    }
    names = sorted(kinds)
    messages = [Message(name, *kinds[name]()) for name in names]  # each kind at least once
    while len(messages) < n - (2 if big else 0):
        name = "valid" if rng.random() < 0.3 else rng.choice(names)
        messages.append(Message(name, *kinds[name]()))
    rng.shuffle(messages)
    if big:
        for size in (5 * MIB, 60 * MIB):
            value = b'{"id": "big", "ts": 0, "text": "' + b"z" * size + b'"}'
            messages.insert(
                rng.randrange(len(messages)),
                Message(f"value_{size // MIB}mib", value, Expected(rejects={-1: "too_large"})),
            )
    return messages
