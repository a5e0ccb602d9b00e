"""One Kafka message may carry one post or a batch of posts.

A batch envelope is ``{"batch": 1, "posts": [post, post, ...]}``. Batches let one worker go past Faust's
per-message ceiling; single posts from outside producers keep working. A bad post inside a batch is rejected
alone, with its index, and the rest of the batch goes on.

>>> msg = decode_message(b'{"batch": 1, "posts": [{"id": "a", "ts": 0, "text": "x"}, {"id": "b"}]}')
>>> [p.id for p in msg.posts], [(i, r.reason.value) for i, r in msg.rejects]
(['a'], [(1, 'missing_field')])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import orjson

from schemas.errors import InvalidMessage, RejectReason
from schemas.post import DEFAULT_MAX_MESSAGE_BYTES, Post, load_json, post_from_obj

BATCH_SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class DecodedMessage:
    posts: list[Post]
    # (index in the batch, or -1 for the whole message; the error)
    rejects: list[tuple[int, InvalidMessage]]


def decode_message(
    raw: bytes, max_bytes: int = DEFAULT_MAX_MESSAGE_BYTES, not_after: float = float("inf")
) -> DecodedMessage:
    """A message value to its posts. Raises :class:`InvalidMessage` only when the whole message is bad: a
    single post that fails any check, or an envelope that is not one (``not_after`` as in :func:`post_from_obj`)."""
    obj = load_json(raw, max_bytes)
    if isinstance(obj, dict) and "posts" in obj and "batch" in obj:
        items = obj["posts"]
        if not isinstance(items, list):
            raise InvalidMessage(RejectReason.WRONG_TYPE, "field 'posts' of a batch must be an array")
        posts: list[Post] = []
        rejects: list[tuple[int, InvalidMessage]] = []
        for index, item in enumerate(items):
            try:
                posts.append(post_from_obj(item, not_after))
            except InvalidMessage as exc:
                rejects.append((index, exc))
        return DecodedMessage(posts, rejects)
    return DecodedMessage([post_from_obj(obj, not_after)], [])


def encode_batch(posts: Sequence[dict[str, object]]) -> bytes:
    """Posts (as JSON-ready dicts) to one batch message value."""
    return orjson.dumps({"batch": BATCH_SCHEMA_VERSION, "posts": list(posts)})


_BATCH_HEAD = b'{"batch":%d,"posts":[' % BATCH_SCHEMA_VERSION
_BATCH_TAIL = b"]}"
#: Bytes a batch envelope adds around its posts (and the commas between them, one per post at most).
BATCH_OVERHEAD = len(_BATCH_HEAD) + len(_BATCH_TAIL)


def encode_batch_of_encoded(posts: Sequence[bytes]) -> bytes:
    """:func:`encode_batch` of posts already encoded one by one (so a producer can size a batch as it goes).

    >>> post = {"id": "a", "ts": 0, "text": "x"}
    >>> encode_batch_of_encoded([orjson.dumps(post)] * 2) == encode_batch([post, post])
    True
    """
    return _BATCH_HEAD + b",".join(posts) + _BATCH_TAIL
