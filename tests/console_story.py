"""Posts for the console tests: quiet background chatter, then one typed diplomatic story told by many voices.

The story's first post carries a script tag, so the incident's title and first sample hold it: the console
must show it as text. Event times lie in the past hours (posts from the future are refused).
"""

from __future__ import annotations

import time
from typing import Any

INJECTION = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
STORY = "Japan summons Korean ambassador over island dispute"
SIMILAR_POST = "Tokyo summons the Korean ambassador again over the disputed islands"
# Twelve independent openings of one report: enough voices for a typed story to be raised.
VOICES = [
    "Breaking",
    "Wow",
    "Just in",
    "Reuters",
    "Big news",
    "Tense",
    "Again",
    "Update",
    "Oh no",
    "Watch",
    "Serious",
    "Whoa",
]


def story_posts(tag: str, start: float | None = None) -> list[dict[str, Any]]:
    base = (time.time() - 12 * 3600.0) if start is None else start
    posts: list[dict[str, Any]] = [
        {"id": f"{tag}-b{i}", "ts": base + 60.0 * i, "text": f"lunch number {i % 7} was nice", "lang": "en"}
        for i in range(600)
    ]
    story_at = base + 36_000.0
    for i, voice in enumerate(VOICES):
        text = f"{INJECTION} {voice}: {STORY}" if i == 0 else f"{voice}: {STORY}"
        posts.append(
            {"id": f"{tag}-s{i}", "ts": story_at + 30.0 * i, "text": text, "lang": "en", "source": "https://x.test/p"}
        )
    return posts
