"""A post after normalisation: what the normalise step sends to the detect step.

>>> from schemas.post import Post
>>> item = NormalisedPost(Post(id="1", ts=0.0, text="Dubes dipanggil"), "id", ("dubes", "dipanggil"),
...                       ("dubes", "panggil"), 42, False)
>>> batch = decode_normalised_batch(encode_normalised_batch([item], source=1, offset=7))
>>> batch.items[0].terms == item.terms, batch.items[0].tokens, batch.source, batch.offset
(True, (), 1, 7)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import orjson

from schemas.post import Post

NORMALISED_SCHEMA_VERSION = 4
_READABLE_VERSIONS = (3, 4)  # version 3 rows lack `automated` (false)


class NormalisedPost(NamedTuple):
    """Immutable, and a tuple: one is built for every post, where a frozen dataclass costs four times as much
    (1.1 against 0.3 us)."""

    post: Post
    lang: str
    tokens: tuple[str, ...]  # lowercased words as written, for entity and cue matching
    terms: tuple[str, ...]  # distinct, stop-words removed, stemmed: what significance counts
    fingerprint: int  # near-duplicate fingerprint
    is_retweet: bool
    # Read from the words at the normalise step (which scales out), so the detect step needs no tokens:
    mentions: tuple[tuple[str, str], ...] = ()  # places and countries named: ("US", "boston")
    kind: str = ""  # CAMEO class of the incident the post reports ("" when no cue matched)
    kind_confidence: float = 0.0
    news_trigger: str = ""  # for a news report: the severe diplomatic act it announces, if any
    automated: bool = False  # written by a service (a job ad, a trend report): no voice, no story


@dataclass(frozen=True, slots=True)
class NormalisedBatch:
    """The posts of one input message, normalised, with where they came from: the posts topic's partition
    (``source``) and offset. The detect step uses the origin to drop redelivered messages and to hold event
    time until every source has reached it."""

    items: list[NormalisedPost]
    source: int = -1
    offset: int = -1
    received: float = 0.0  # broker timestamp (epoch seconds) of the posts message; 0 when unknown


def encode_normalised_batch(
    items: Sequence[NormalisedPost], source: int = -1, offset: int = -1, received: float = 0.0
) -> bytes:
    rows = [
        [
            p.post.id,
            p.post.ts,
            p.post.text,
            p.post.lang,
            p.post.source_kind,
            p.post.source,
            p.post.url,
            p.post.author,
            p.post.country_hints,  # orjson writes tuples as arrays: no copies
            p.lang,
            p.terms,
            p.fingerprint,
            p.is_retweet,
            p.mentions,
            p.kind,
            p.kind_confidence,
            p.news_trigger,
            p.automated,
        ]
        for p in items
    ]
    # Rows, not objects: the detect step reads this topic at full rate, and keys would double its size.
    # The tokens stay behind: what the detect step needs from them (places, type) is already read.
    head = {"normalised": NORMALISED_SCHEMA_VERSION, "source": source, "offset": offset, "received": received}
    return orjson.dumps({**head, "rows": rows})


def decode_normalised_batch(raw: bytes) -> NormalisedBatch:
    obj = orjson.loads(raw)
    if obj.get("normalised") not in _READABLE_VERSIONS:
        raise ValueError(f"unknown normalised batch version {obj.get('normalised')!r}")
    items = [
        NormalisedPost(
            Post(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], tuple(r[8])),
            r[9],
            (),
            tuple(r[10]),
            r[11],
            r[12],
            tuple(map(tuple, r[13])),
            r[14],
            r[15],
            r[16],
            len(r) > 17 and bool(r[17]),
        )
        for r in obj["rows"]
    ]
    # ``received`` is newer than version 4: a batch written before it reads as unknown (0).
    return NormalisedBatch(
        items, int(obj.get("source", -1)), int(obj.get("offset", -1)), float(obj.get("received", 0.0))
    )
