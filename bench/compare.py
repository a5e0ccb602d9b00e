"""Two builds' benchmarks in interleaved pairs: old, new, old, new, ... on one machine, one after the other.

The machine is shared and its speed moves from one minute to the next, so two builds are compared pair by pair:
each figure's ratio new/old within a pair, and the median of those ratios. Each build runs from its own checkout
(a git worktree, say), with its own compiled core (``pantau compile`` there first), in a process of its own.

    git worktree add ../pantau-old <commit> && (cd ../pantau-old && .venv/bin/python -m streams.cli compile)
    python -m bench.compare ../pantau-old . --pairs 3 --only backtest

Prints each pair's figures as it goes, then one JSON object on its last line: per figure, the old and new medians,
the pair ratios and their median.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

import orjson

from bench.run import PARTS


def run_once(checkout: Path, part: str) -> dict[str, float]:
    """``python -m bench.run --only PART`` in ``checkout``: its numeric figures."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--only", part], cwd=checkout, capture_output=True, text=True, check=True
    )
    figures = orjson.loads(result.stdout.strip().splitlines()[-1])
    return {k: float(v) for k, v in figures.items() if isinstance(v, int | float) and not isinstance(v, bool)}


def compare(old: list[dict[str, float]], new: list[dict[str, float]]) -> dict[str, dict[str, object]]:
    """Per figure both builds report: the medians and the within-pair ratios new/old."""
    keys = [k for k in old[0] if all(k in run for run in old + new)]
    report: dict[str, dict[str, object]] = {}
    for key in keys:
        ratios = [n[key] / o[key] for o, n in zip(old, new, strict=True) if o[key]]
        report[key] = {
            "old_median": statistics.median(o[key] for o in old),
            "new_median": statistics.median(n[key] for n in new),
            "pair_ratios": [round(r, 3) for r in ratios],
            "median_ratio": round(statistics.median(ratios), 3) if ratios else None,
        }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path, help="checkout of the old build")
    parser.add_argument("new", type=Path, help="checkout of the new build")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--only", choices=PARTS, default="backtest", help="the bench.run part to compare")
    args = parser.parse_args(argv)
    old: list[dict[str, float]] = []
    new: list[dict[str, float]] = []
    for pair in range(1, args.pairs + 1):
        for label, checkout, runs in (("old", args.old, old), ("new", args.new, new)):
            runs.append(run_once(checkout, args.only))
            print(f"pair {pair} {label}: {orjson.dumps(runs[-1]).decode()}", file=sys.stderr, flush=True)
    print(orjson.dumps(compare(old, new)).decode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
