"""Writing posts to the posts topic: from a JSONL file, or from the demo feed, in batch envelopes."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson
from kafka import KafkaProducer

from schemas.batch import encode_batch
from schemas.post import parse_ts


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


def make_producer(bootstrap: str) -> KafkaProducer:
    return KafkaProducer(
        bootstrap_servers=bootstrap.split(","),
        linger_ms=20,
        batch_size=1 << 20,
        max_request_size=8 << 20,
        acks="all",
    )


def produce(
    producer: KafkaProducer,
    topic: str,
    posts: Iterable[dict[str, Any] | bytes],
    batch_size: int = 200,
    speed: float | None = None,
    on_batch: Any = None,
) -> int:
    """Send posts in batches of ``batch_size`` (1: one post per message, no envelope).

    With ``speed``, pace sending on the posts' own times: ``speed`` seconds of event time per wall second.
    Each post keeps its own ``ts``. A raw ``bytes`` item (a line that is not a JSON object) is sent alone,
    as it is, so that the worker dead-letters it with its reason. Returns the number of items sent.
    """
    sent = 0
    batch: list[dict[str, Any]] = []
    wall0: float | None = None
    event0: float | None = None

    def send(items: list[dict[str, Any]]) -> None:
        if batch_size <= 1:
            for item in items:
                producer.send(topic, orjson.dumps(item))
        else:
            producer.send(topic, encode_batch(items))

    for post in posts:
        if isinstance(post, bytes):
            if batch:
                send(batch)
                batch = []
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
                    batch = []
                producer.flush()
                time.sleep(delay)
        batch.append(post)
        sent += 1
        if len(batch) >= max(1, batch_size):
            send(batch)
            batch = []
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
