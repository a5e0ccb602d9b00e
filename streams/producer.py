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
    with path.open("rb") as handle:
        for line_no, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    raise SystemExit(f"{path}:{line_no}: not valid JSON: {exc}") from None


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
    posts: Iterable[dict[str, Any]],
    batch_size: int = 200,
    speed: float | None = None,
    on_batch: Any = None,
) -> int:
    """Send posts in batches of ``batch_size`` (1: one post per message, no envelope).

    With ``speed``, pace sending on the posts' own times: ``speed`` seconds of event time per wall second.
    Each post keeps its own ``ts``. Returns the number of posts sent.
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
        if speed:
            ts = parse_ts(post["ts"])
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
