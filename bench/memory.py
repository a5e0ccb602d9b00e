"""Resident memory of the detection core after a stream over a vocabulary of a given size.

Run in a fresh process per vocabulary size (``python -m bench.memory 1000000``): it prints the RSS in MiB.
"""

from __future__ import annotations

import random
import sys

from detectors.core import DetectionCore
from schemas.post import Post

POSTS = 100_000
TERMS_PER_POST = 10


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    import resource

    return pages * resource.getpagesize() / (1 << 20)


def run(vocabulary: int, seed: int = 1) -> float:
    rng = random.Random(seed)
    core = DetectionCore()
    batch: list[Post] = []
    for i in range(POSTS):
        words = " ".join(f"w{rng.randrange(vocabulary)}x" for _ in range(TERMS_PER_POST))
        batch.append(Post(id=str(i), ts=i * 0.5, text=words, lang="en"))
        if len(batch) == 1000:
            core.process_posts(batch)
            batch = []
    core.process_posts(batch)
    core.flush()
    return rss_mib()


if __name__ == "__main__":
    print(f"{run(int(sys.argv[1])):.1f}")
