"""Seeded benchmarks, outside the test run. Prints progress, then one JSON object on its last line.

Run with ``make bench``. The machine is shared and noisy: compare ratios measured in one run.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import orjson

import detectors
from demo.feed import generate
from detectors.compiled import PURE_ENV
from detectors.core import DetectionCore
from detectors.text import normalise
from schemas.post import post_from_obj
from streams.heap import prepare_heap_for_long_run

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"
PARTS = ("backtest", "lookups", "memory", "broker", "notify", "replay")  # in the order they run


def bench_backtest(name: str, records: list[dict[str, object]]) -> dict[str, float]:
    """The detection core alone, one core, no broker: normalise + detect, and detect alone."""
    posts = [post_from_obj(r) for r in records]
    core = DetectionCore()
    prepare_heap_for_long_run()  # as `pantau backtest` and the worker do
    started = time.perf_counter()
    items = [normalise(p) for p in posts]
    normalised = time.perf_counter()
    alerts = core.process(items) + core.flush()
    done = time.perf_counter()
    return {
        f"{name}_posts": len(posts),
        f"{name}_alert_records": len(alerts),
        f"{name}_normalise_posts_per_s": round(len(posts) / (normalised - started), 1),
        f"{name}_detect_posts_per_s": round(len(posts) / (done - normalised), 1),
        f"{name}_backtest_posts_per_s": round(len(posts) / (done - started), 1),
    }


def pure_backtest(name: str) -> dict[str, float]:
    """:func:`bench_backtest` of a dev stream on the sources (``PANTAU_PURE=1``), in a process of its own:
    beside the compiled core's run, the ratio of the two on this machine now."""
    env = {**os.environ, PURE_ENV: "1"}
    code = (
        "import orjson, sys; from bench.run import SHARED, bench_backtest;"
        f"records = [orjson.loads(line) for line in (SHARED / '{name}.posts.jsonl').open('rb')];"
        "print(orjson.dumps(bench_backtest('pure', records)).decode())"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    measured: dict[str, float] = orjson.loads(out.stdout.strip().splitlines()[-1])
    return measured


def rss_after_vocabulary(size: int) -> float:
    # A fresh process per size: resident memory is not comparable inside one process.
    out = subprocess.run([sys.executable, "-m", "bench.memory", str(size)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else repr(exc)


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hours", type=float, default=24.0, help="simulated hours of demo feed")
    parser.add_argument("--skip-lookups", action="store_true", help="skip the lookup and generator timings")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-broker", action="store_true", help="skip the benchmarks on the embedded broker")
    parser.add_argument("--posts", type=int, default=160_000, help="backlog size of the broker benchmarks")
    parser.add_argument("--latency-seconds", type=float, default=60.0, help="sending time of the latency run")
    parser.add_argument("--skip-notify", action="store_true", help="skip the delivery service benchmark")
    parser.add_argument("--skip-replay", action="store_true", help="skip the replay benchmark")
    parser.add_argument("--only", choices=PARTS, help="run this part alone (the others are skipped)")
    args = parser.parse_args()
    parts = {args.only} if args.only else {p for p in PARTS if not getattr(args, f"skip_{p}", False)}
    # Whether the compiled core ran (detectors.compiled); `compiled_over_pure` says what it gains.
    result: dict[str, object] = {"python": sys.version.split()[0], "core": detectors.COMPILED_STATUS}

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if "backtest" in parts:
        say(f"backtest: demo feed, {args.hours} simulated hours ...")
        demo = list(generate(seed=7, start=datetime(2026, 11, 28, tzinfo=UTC), hours=args.hours))
        result.update(bench_backtest("demo", demo))
        real = SHARED / "crisislex-t6.posts.jsonl"
        if real.exists():
            say("backtest: crisislex-t6 (real posts) ...")
            records = [orjson.loads(line) for line in real.open("rb")]
            result.update(bench_backtest("crisislex", records))
            if detectors.COMPILED:
                say("backtest: crisislex-t6 on the sources (PANTAU_PURE=1) ...")
                pure = pure_backtest("crisislex-t6")["pure_backtest_posts_per_s"]
                result["crisislex_pure_backtest_posts_per_s"] = pure
                result["compiled_over_pure"] = round(result["crisislex_backtest_posts_per_s"] / pure, 3)  # type: ignore[operator]
        result["backtest_posts_per_s"] = result.get(
            "crisislex_backtest_posts_per_s", result["demo_backtest_posts_per_s"]
        )
    if "lookups" in parts:
        from bench import lookups

        lookups.run(result, say)
    if "memory" in parts:
        for size, key in ((10_000, "rss_mb_vocab_1e4"), (1_000_000, "rss_mb_vocab_1e6")):
            say(f"memory: 100,000 posts over a vocabulary of {size:,} distinct terms ...")
            result[key] = rss_after_vocabulary(size)
        result["rss_ratio_1e6_over_1e4"] = round(result["rss_mb_vocab_1e6"] / result["rss_mb_vocab_1e4"], 3)  # type: ignore[operator]
    status = 0
    if parts & {"broker", "notify", "replay"}:
        # SIGTERM as an exception, so the finally blocks stop the workers, the delivery service and the
        # broker (the default action would end this process at once and leave them running).
        signal.signal(signal.SIGTERM, _exit_on_signal)
    # On the embedded broker, each imported only when it runs (aiokafka and the broker only when used). A part
    # that fails is named in the result, and the numbers measured so far are still printed.
    broker_parts: dict[str, Callable[[], None]] = {
        "broker": lambda: importlib.import_module("bench.broker").run(result, args.posts, args.latency_seconds, say),
        "notify": lambda: importlib.import_module("bench.notify").run(result, say),
        "replay": lambda: importlib.import_module("bench.replay").run(result, say),
    }
    for part, run in broker_parts.items():
        if part not in parts:
            continue
        try:
            run()
        except Exception as exc:
            say(f"{part} benchmark failed: {exc}")
            result[f"{part}_error"] = _first_line(exc)
            status = 1
    print(orjson.dumps(result).decode())
    return status


if __name__ == "__main__":
    sys.exit(main())
