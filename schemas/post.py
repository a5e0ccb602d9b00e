"""The incoming post or article record, and its validation at the edge.

A post is one social-media post or one news article. Producers send it as a JSON object, one per Kafka
message, or many at once in a batch envelope (see :mod:`schemas.batch`). ``decode_post`` is the single
place where bytes become a :class:`Post`; everything that fails here goes to the dead-letter topic with the
:class:`InvalidMessage` reason.

>>> post = decode_post(b'{"id": "p1", "ts": "2026-11-28T08:00:00Z", "text": "Dubes dipanggil"}')
>>> post.id, post.ts, post.source_kind, post.lang
('p1', 1795852800.0, 'social', None)
>>> decode_post(b'{"id": "p1"}')
Traceback (most recent call last):
...
schemas.errors.InvalidMessage: missing_field: required field 'ts' is missing
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
import pycountry

from schemas.errors import InvalidMessage, RejectReason
from schemas.fields import (
    MAX_AUTHOR_CHARS,
    MAX_COUNTRY_HINTS,
    MAX_SOURCE_CHARS,
    check_id,
    check_lang,
    check_short,
    check_url,
)
from schemas.slots import pickled_by_slots

# ISO 3166-1 alpha-2, from pycountry (a dependency already, for entity resolution).
_COUNTRY_CODES = frozenset(country.alpha_2 for country in pycountry.countries)

POST_SCHEMA_VERSION = 1
DEFAULT_MAX_MESSAGE_BYTES = 1 << 20
# Posts dated further ahead of the wall clock than this are rejected: one post dated years ahead would hold the
# event-time clock there and stall every tick.
DEFAULT_MAX_FUTURE_S = 86400.0

SOURCE_KINDS = ("social", "news")
# Fields a post must have, with the JSON types each may take.
_REQUIRED: dict[str, tuple[type, ...]] = {"id": (str, int), "ts": (str, int, float), "text": (str,)}
_OPTIONAL: dict[str, tuple[type, ...]] = {
    "lang": (str,),
    "source_kind": (str,),
    "source": (str,),
    "url": (str,),
    "author": (str,),
    "country_hints": (list,),
    "schema_version": (int,),
}
_MAX_TEXT_CHARS = 100_000
_MIN_TS = 0.0  # 1970-01-01
_MAX_TS = 7_258_118_400.0  # 2200-01-01: any time we can print, far beyond any post


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class Post:
    """One post or article, as every later stage sees it. ``ts`` is event time in epoch seconds (UTC)."""

    id: str
    ts: float
    text: str
    lang: str | None = None
    source_kind: str = "social"
    source: str | None = None
    url: str | None = None
    author: str | None = None
    country_hints: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": POST_SCHEMA_VERSION,
            "id": self.id,
            "ts": format_ts(self.ts),
            "text": self.text,
            "lang": self.lang,
            "source_kind": self.source_kind,
            "source": self.source,
            "url": self.url,
            "author": self.author,
            "country_hints": list(self.country_hints),
        }

    def to_json(self) -> bytes:
        return orjson.dumps(self.to_dict())


def format_ts(ts: float) -> str:
    """Epoch seconds to ISO-8601 UTC with a ``Z``; whole seconds print without a fraction."""
    moment = datetime.fromtimestamp(ts, tz=UTC)
    if ts == int(ts):
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_ts(value: str | int | float) -> float:
    """ISO-8601 (any offset, ``Z`` accepted) or epoch seconds to epoch seconds."""
    if isinstance(value, bool):
        raise InvalidMessage(RejectReason.WRONG_TYPE, "field 'ts' must be an ISO-8601 string or epoch seconds")
    if isinstance(value, int | float):
        ts = float(value)
    else:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidMessage(
                RejectReason.BAD_VALUE, f"field 'ts' is not an ISO-8601 time: {value[:40]!r}"
            ) from None
        if moment.tzinfo is None:
            # A time without offset is taken as UTC, as Kafka tools and our own demo write it.
            moment = moment.replace(tzinfo=UTC)
        ts = moment.timestamp()
    if not _MIN_TS <= ts <= _MAX_TS:  # also false for NaN
        raise InvalidMessage(RejectReason.BAD_VALUE, f"field 'ts' is out of range (years 1970-2200): {value!r:.40}")
    return ts


def load_json(raw: bytes, max_bytes: int = DEFAULT_MAX_MESSAGE_BYTES) -> Any:
    """Bytes to a JSON value, with the size and encoding checks every message needs."""
    if not isinstance(raw, bytes | bytearray):
        # A tombstone (null value) or a non-bytes value from a misconfigured producer.
        raise InvalidMessage(RejectReason.MISSING_FIELD, "message has no value (null or not bytes)")
    if len(raw) > max_bytes:
        raise InvalidMessage(RejectReason.TOO_LARGE, f"message is {len(raw)} bytes, the limit is {max_bytes}")
    try:
        return orjson.loads(raw)  # it rejects bad UTF-8 too: the text is decoded once, and only to tell why
    except orjson.JSONDecodeError as exc:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise InvalidMessage(
                RejectReason.NOT_UTF8, f"message is not UTF-8: {bad.reason} at byte {bad.start}"
            ) from None
        raise InvalidMessage(RejectReason.INVALID_JSON, f"message is not valid JSON: {exc}") from None


def post_from_obj(obj: Any, not_after: float = float("inf")) -> Post:
    """A decoded JSON value to a :class:`Post`, checking required fields, types and bounds.

    ``not_after`` is the latest post time accepted (the wall clock plus the allowance, see
    :func:`admission_horizon`): the service and the backtest pass the same, so they reject the same posts.
    Unknown fields (for example the ``truth`` label of evaluation files) are ignored, so producers can add
    fields without breaking consumers.

    >>> post_from_obj({"id": "p", "ts": "2100-01-01T00:00:00Z", "text": "x"}, not_after=0.0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    schemas.errors.InvalidMessage: bad_value: post time 2100-01-01T00:00:00Z is later than 1970-01-01T00:00:00Z, ...
    """
    if not isinstance(obj, dict):
        raise InvalidMessage(RejectReason.WRONG_TYPE, f"a post must be a JSON object, not {type(obj).__name__}")
    for name, types in _REQUIRED.items():
        if name not in obj or obj[name] is None:
            raise InvalidMessage(RejectReason.MISSING_FIELD, f"required field {name!r} is missing")
        _check_type(name, obj[name], types)
    for name, types in _OPTIONAL.items():
        value = obj.get(name)
        if value is not None:
            _check_type(name, value, types)
    post_id = check_id(str(obj["id"]))
    text: str = obj["text"]
    if len(text) > _MAX_TEXT_CHARS:
        raise InvalidMessage(
            RejectReason.BAD_VALUE, f"field 'text' has {len(text)} characters, the limit is {_MAX_TEXT_CHARS}"
        )
    source_kind = obj.get("source_kind") or "social"
    if source_kind not in SOURCE_KINDS:
        raise InvalidMessage(
            RejectReason.BAD_VALUE, f"field 'source_kind' must be one of {SOURCE_KINDS}, not {source_kind!r}"
        )
    hints = obj.get("country_hints") or []
    if len(hints) > MAX_COUNTRY_HINTS:
        raise InvalidMessage(
            RejectReason.BAD_VALUE, f"field 'country_hints' has {len(hints)} codes, the limit is {MAX_COUNTRY_HINTS}"
        )
    if not all(isinstance(h, str) for h in hints):
        raise InvalidMessage(RejectReason.WRONG_TYPE, "field 'country_hints' must be a list of strings")
    unknown = [h for h in hints if h.upper() not in _COUNTRY_CODES]
    if unknown:
        raise InvalidMessage(
            RejectReason.BAD_VALUE, f"field 'country_hints' has codes that are not ISO 3166-1 alpha-2: {unknown[:5]}"
        )
    lang, source, url, author = obj.get("lang"), obj.get("source"), obj.get("url"), obj.get("author")
    ts = parse_ts(obj["ts"])
    if ts > not_after:
        raise InvalidMessage(
            RejectReason.BAD_VALUE,
            f"post time {format_ts(ts)} is later than {format_ts(not_after)}, "
            "the latest accepted (the wall clock plus the allowed future)",
        )
    return Post(
        id=post_id,
        ts=ts,
        text=text,
        lang=check_lang(lang).lower() if lang else None,
        source_kind=source_kind,
        source=check_short("source", source, MAX_SOURCE_CHARS) if source else source,
        url=check_url(url) if url else url,
        author=check_short("author", author, MAX_AUTHOR_CHARS) if author else author,
        country_hints=tuple(h.upper() for h in hints),
    )


def admission_horizon(now: float, max_future_s: float = DEFAULT_MAX_FUTURE_S) -> float:
    """The latest post time accepted at wall-clock time ``now``: the ``not_after`` of :func:`post_from_obj`."""
    return now + max_future_s


def decode_post(raw: bytes, max_bytes: int = DEFAULT_MAX_MESSAGE_BYTES, not_after: float = float("inf")) -> Post:
    """One Kafka message value to a :class:`Post`, or :class:`InvalidMessage` with the reason."""
    return post_from_obj(load_json(raw, max_bytes), not_after)


def _check_type(name: str, value: Any, types: tuple[type, ...]) -> None:
    # bool is an int in Python, but never a valid id, time or text in our records.
    if isinstance(value, bool) or not isinstance(value, types):
        expected = " or ".join(_JSON_NAMES[t] for t in types)
        raise InvalidMessage(RejectReason.WRONG_TYPE, f"field {name!r} must be {expected}, not {_json_name(value)}")


_JSON_NAMES = {str: "a string", int: "an integer", float: "a number", list: "an array", dict: "an object"}


def _json_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return _JSON_NAMES.get(type(value), type(value).__name__)
