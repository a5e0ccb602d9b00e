"""Seeded benchmarks, outside the test run. Prints progress, then one JSON object on its last line.

Run with ``make bench``. The machine is shared and noisy: compare ratios measured in one run.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import UTC, datetime

import orjson

from detectors.core import DetectionCore
from schemas.post import post_from_obj
from streams.demo_feed import generate


def bench_backtest(hours: float) -> dict[str, float]:
    posts = [post_from_obj(p) for p in generate(seed=7, start=datetime(2026, 11, 28, tzinfo=UTC), hours=hours)]
    core = DetectionCore()
    started = time.perf_counter()
    alerts = core.process_posts(posts) + core.flush()
    elapsed = time.perf_counter() - started
    return {
        "backtest_posts": len(posts),
        "backtest_alert_records": len(alerts),
        "backtest_posts_per_s": round(len(posts) / elapsed, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hours", type=float, default=24.0, help="simulated hours of demo feed")
    args = parser.parse_args()
    result: dict[str, object] = {"python": sys.version.split()[0]}
    print(f"backtest over {args.hours} simulated hours of the demo feed ...", file=sys.stderr)
    result.update(bench_backtest(args.hours))
    result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(orjson.dumps(result).decode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
