"""`pantau backtest` and `pantau eval` as an engineer runs them: same input, byte-identical output."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import orjson

from demo.feed import events, generate
from tests.conftest import ROOT


def _pantau(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    )


def test_backtest_is_byte_identical_and_eval_writes_report_and_plot(tmp_path: Path) -> None:
    start = datetime(2026, 11, 28, tzinfo=UTC)
    posts = tmp_path / "posts.jsonl"
    posts.write_bytes(b"".join(orjson.dumps(p) + b"\n" for p in generate(seed=5, start=start, hours=6.0)))
    (tmp_path / "events.jsonl").write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in events(start, seed=5, hours=6.0)))
    _pantau("backtest", str(posts), "--out", str(tmp_path / "a.jsonl"))
    _pantau("backtest", str(posts), "--out", str(tmp_path / "b.jsonl"))
    first = (tmp_path / "a.jsonl").read_bytes()
    assert first and first == (tmp_path / "b.jsonl").read_bytes()
    kinds = {orjson.loads(line)["kind"] for line in first.splitlines()}
    assert "raised" in kinds
    # A candidate model from a file: one that asks for more posts than any incident has raises only on news
    # reports (one credible wire, or two outlets), so it writes fewer records.
    config = tmp_path / "strict.toml"
    config.write_text("[tracker]\nmin_posts = 100000\nmin_posts_severe = 100000\n", encoding="utf-8")
    _pantau("backtest", str(posts), "--out", str(tmp_path / "strict.jsonl"), "--config", str(config))
    strict = [orjson.loads(line) for line in (tmp_path / "strict.jsonl").read_bytes().splitlines()]
    default = [orjson.loads(line) for line in first.splitlines()]
    assert 0 < len(strict) < len(default)

    report_path = tmp_path / "report.json"
    done = _pantau("eval", str(posts), str(tmp_path / "events.jsonl"), "--out", str(report_path), "--no-progress")
    report = orjson.loads(report_path.read_bytes())
    for key in ("recall", "precision", "duplicate_rate", "latency_median_s", "latency_p90_s", "tdt_cost_norm"):
        assert key in report
    assert report["recall"] > 0
    png = report_path.with_suffix(".png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    assert '"recall"' in done.stdout
