"""Records that cross a topic boundary: posts in, alerts and dead letters out. JSON via orjson."""

from schemas.alert import Alert, SamplePost, TermScore
from schemas.batch import DecodedMessage, decode_message, encode_batch
from schemas.deadletter import DeadLetter
from schemas.errors import InvalidMessage, RejectReason
from schemas.post import Post, decode_post, format_ts, parse_ts

__all__ = [
    "Alert",
    "DeadLetter",
    "DecodedMessage",
    "InvalidMessage",
    "Post",
    "RejectReason",
    "SamplePost",
    "TermScore",
    "decode_message",
    "decode_post",
    "encode_batch",
    "format_ts",
    "parse_ts",
]
