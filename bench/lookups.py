"""Speed of the reference-data lookups and of the demo generator: what unit tests once timed (speed belongs here,
not in a test on a shared machine). ``make bench`` part ``lookups``."""

from __future__ import annotations

import time
from collections.abc import Callable

from demo.feed import generate
from detectors.entities import find_countries

_POST = (
    "breaking: indonesia summons the australian ambassador in jakarta over alleged spying "
    "on the president, officials said on monday citing leaked documents from canberra"
)


def run(result: dict[str, object], say: Callable[[str], None], repeats: int = 5000) -> None:
    say("lookups: country and place lookup per token, and the demo day's generation ...")
    tokens = _POST.replace(",", "").replace(":", "").split()  # words as the tokenizer gives them
    find_countries(tokens)  # the gazetteer is read at import; the first call pays nothing else
    started = time.perf_counter()
    for _ in range(repeats):
        find_countries(tokens)
    result["find_countries_us_per_token"] = round((time.perf_counter() - started) / repeats / len(tokens) * 1e6, 3)
    started = time.perf_counter()
    posts = sum(1 for _ in generate(seed=21))
    result["demo_generate_posts_per_s"] = round(posts / (time.perf_counter() - started), 1)
