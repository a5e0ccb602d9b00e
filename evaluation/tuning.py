"""Score detector settings on the labelled dev streams and the demo day, in parallel, one line per stream.

    .venv/bin/python -m evaluation.tuning '{"significance": {"slot_s": 7200}, "tracker": {"merge_similarity": 0.3}}'
    .venv/bin/python -m evaluation.tuning candidate.toml

The settings are those of ``pantau replay --config`` (``detectors/settings.py``): tables ``core``
(DetectionCore), ``significance`` (HashedSignificance) and ``tracker`` (IncidentTracker) of constructor
arguments, as JSON or a TOML file. The defaults are the shipped settings. Tune for the problem, not the dev
files: a change that helps one stream and hurts another is usually noise.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from demo.feed import events, generate
from detectors.settings import DetectorSettings, DetectorSettingsError
from evaluation.scoring import score
from schemas.post import post_from_obj

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"


def _load(name: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if name == "demo":
        start = datetime(2026, 11, 28, tzinfo=UTC)
        return list(generate(seed=7, start=start)), events(start, seed=7)
    posts = [orjson.loads(line) for line in (SHARED / f"{name}.posts.jsonl").open("rb")]
    return posts, [orjson.loads(line) for line in (SHARED / f"{name}.events.jsonl").open("rb")]


def run(name: str, settings: DetectorSettings) -> str:
    posts, truth_events = _load(name)
    truth = {str(p["id"]): p["truth"]["event_id"] for p in posts}
    core = settings.build()
    alerts = core.process_posts([post_from_obj(p) for p in posts]) + core.flush()
    r = score([a.to_dict() for a in alerts], truth, truth_events)
    latency = {k: round(v / 60) for k, v in r["latency_by_event_s"].items()}
    median = None if r["latency_median_s"] is None else round(r["latency_median_s"] / 60)
    return (
        f"{name:13s} recall={r['recall']:.2f} precision={r['precision']:.2f} duplicates={r['duplicate_rate']:.2f} "
        f"median={median}min incidents={r['incidents']} false_alarms={r['false_alarms']} "
        f"missed={r['missed_events']} latency_min={latency}"
    )


def main() -> int:
    given = sys.argv[1] if len(sys.argv) > 1 else "{}"
    try:
        if given.lstrip().startswith("{"):
            settings = DetectorSettings.from_mapping(json.loads(given), source="the command line")
        else:
            settings = DetectorSettings.from_toml(Path(given))
    except (ValueError, DetectorSettingsError) as exc:
        print(f"evaluation.tuning: {exc}", file=sys.stderr)
        return 2
    names = ["demo", *(n for n in ("pheme", "crisislex-t6") if (SHARED / f"{n}.posts.jsonl").exists())]
    with ProcessPoolExecutor(2) as pool:
        for line in pool.map(run, names, [settings] * len(names)):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
