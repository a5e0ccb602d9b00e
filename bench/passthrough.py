"""A minimal Faust agent that only decodes each message and counts posts: Faust's own ceiling, no detection.

    python -m bench.passthrough BOOTSTRAP TOPIC EXPECTED_POSTS RESULT_PATH DATA_DIR

It joins its own consumer group (a unique app id), reads the topic from the beginning, and once it has
counted ``EXPECTED_POSTS`` posts it writes ``{"posts", "messages", "seconds"}`` to ``RESULT_PATH`` (from the
arrival of its first message to the end of decoding its last). The caller then stops it with SIGTERM.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import faust
import orjson

from schemas.batch import decode_message


@dataclass
class _Counts:
    first: float = 0.0
    posts: int = 0
    messages: int = 0


def build(bootstrap: str, topic_name: str, expected: int, result_path: Path, data_dir: Path) -> faust.App:
    app = faust.App(
        f"bench-passthrough-{uuid.uuid4().hex[:8]}",
        broker=f"kafka://{bootstrap}",
        store="memory://",
        datadir=str(data_dir),
        # Group joins on Tansu wait about half the session timeout (field notes).
        broker_session_timeout=6.0,
        broker_heartbeat_interval=1.0,
        consumer_auto_offset_reset="earliest",
        web_enabled=False,
    )
    topic = app.topic(topic_name, value_type=bytes, value_serializer="raw", key_serializer="raw")
    state = _Counts()

    @app.agent(topic, name="passthrough")
    async def passthrough(stream: faust.StreamT[bytes]) -> AsyncIterator[None]:
        async for value in stream:
            now = time.perf_counter()
            if not state.messages:
                state.first = now
            state.messages += 1
            state.posts += len(decode_message(value).posts)
            if state.posts >= expected and not result_path.exists():
                seconds = time.perf_counter() - state.first
                result = {"posts": state.posts, "messages": state.messages, "seconds": seconds}
                # Write then rename: the parent polls for the file and must never read half of it.
                partial = result_path.with_suffix(".partial")
                partial.write_bytes(orjson.dumps(result))
                partial.rename(result_path)
            yield None

    return app


def main(argv: list[str]) -> int:
    bootstrap, topic_name, expected, result_path, data_dir = argv
    app = build(bootstrap, topic_name, int(expected), Path(result_path), Path(data_dir))
    from faust import Worker

    Worker(app, loglevel="warning", quiet=True, redirect_stdouts=False).execute_from_commandline()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
