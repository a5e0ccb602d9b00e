"""Writing posts to the posts topic: from a JSONL file, or from the demo feed, in batch envelopes."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson
from kafka import KafkaProducer

from schemas.batch import BATCH_OVERHEAD, encode_batch_of_encoded
from schemas.post import DEFAULT_MAX_MESSAGE_BYTES, parse_ts


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Objects of a JSONL file; stops with the line number at the first line that is not a JSON object."""
    for line_no, item in read_jsonl_lenient(path):
        if not isinstance(item, dict):
            raise SystemExit(f"{path}:{line_no}: not a JSON object")
        yield item


def read_jsonl_lenient(path: Path) -> Iterator[tuple[int, dict[str, Any] | bytes]]:
    """Each line as a JSON object, or as its raw bytes when it is not one (to be sent as it is)."""
    with path.open("rb") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError:
                yield line_no, line.rstrip(b"\r\n")
                continue
            yield line_no, obj if isinstance(obj, dict) else line.rstrip(b"\r\n")


def make_producer(bootstrap: str, client_options: Mapping[str, Any] | None = None) -> KafkaProducer:
    return KafkaProducer(
        bootstrap_servers=bootstrap.split(","),
        **dict(client_options or {}),
        linger_ms=20,
        batch_size=1 << 20,
        max_request_size=8 << 20,
        acks="all",
    )


def produce(
    producer: KafkaProducer,
    topic: str,
    posts: Iterable[dict[str, Any] | bytes],
    batch_size: int = 500,
    speed: float | None = None,
    on_batch: Any = None,
    max_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
) -> int:
    """Send posts in batches of ``batch_size`` (1: one post per message, no envelope), each message at most
    ``max_bytes``: a batch of long articles is cut early rather than rejected whole by the worker as too large.

    With ``speed``, pace sending on the posts' own times: ``speed`` seconds of event time per wall second.
    Each post keeps its own ``ts``. A raw ``bytes`` item (a line that is not a JSON object) is sent alone,
    as it is, so that the worker dead-letters it with its reason; so is a post larger than ``max_bytes`` by
    itself. Returns the number of items sent.
    """
    sent = 0
    batch: list[bytes] = []  # the posts of the next message, encoded
    batch_bytes = BATCH_OVERHEAD
    wall0: float | None = None
    event0: float | None = None

    def send(items: list[bytes]) -> None:
        if batch_size <= 1 or (len(items) == 1 and BATCH_OVERHEAD + len(items[0]) > max_bytes):
            for item in items:  # one post that fits alone but not in an envelope goes bare
                producer.send(topic, item)
        else:
            producer.send(topic, encode_batch_of_encoded(items))

    for post in posts:
        if isinstance(post, bytes):
            if batch:
                send(batch)
                batch, batch_bytes = [], BATCH_OVERHEAD
            producer.send(topic, post)
            sent += 1
            continue
        if speed and _event_time(post) is not None:
            ts = _event_time(post)
            assert ts is not None
            if wall0 is None or event0 is None:
                wall0, event0 = time.monotonic(), ts
            due = wall0 + (ts - event0) / speed
            delay = due - time.monotonic()
            if delay > 0:
                # Flush what is due before sleeping, so pacing adds no batching delay.
                if batch:
                    send(batch)
                    batch, batch_bytes = [], BATCH_OVERHEAD
                producer.flush()
                time.sleep(delay)
        encoded = orjson.dumps(post)
        if batch and batch_bytes + 1 + len(encoded) > max_bytes:
            send(batch)  # full by size before by count
            batch, batch_bytes = [], BATCH_OVERHEAD
        batch.append(encoded)
        batch_bytes += 1 + len(encoded)
        sent += 1
        if len(batch) >= max(1, batch_size):
            send(batch)
            batch, batch_bytes = [], BATCH_OVERHEAD
            if on_batch is not None:
                on_batch(sent)
    if batch:
        send(batch)
    producer.flush()
    return sent


def _event_time(post: dict[str, Any]) -> float | None:
    """The post's time for pacing; a post without a valid one is sent unpaced (the worker rejects it)."""
    try:
        return parse_ts(post["ts"])
    except (KeyError, TypeError, ValueError):
        return None
