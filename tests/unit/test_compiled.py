"""The compiled detection core (detectors/compiled.py) is the sources' core: same alerts, same doctests, and
never run once a source has changed."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

import detectors
from detectors import compiled
from streams.demo_feed import generate
from tests.conftest import ROOT, SHARED_DEV

needs_compiled = pytest.mark.skipif(
    not detectors.COMPILED, reason=f"compiled core not in use: {detectors.COMPILED_STATUS}"
)


def _backtest(posts: Path, out: Path, pure: bool) -> bytes:
    env = {k: v for k, v in os.environ.items() if k != compiled.PURE_ENV}
    if pure:
        env[compiled.PURE_ENV] = "1"
    subprocess.run(
        [sys.executable, "-m", "streams.cli", "backtest", str(posts), "--out", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return out.read_bytes()


@needs_compiled
def test_the_compiled_core_gives_the_sources_alerts_byte_for_byte(tmp_path: Path) -> None:
    demo = tmp_path / "demo.posts.jsonl"
    demo.write_bytes(
        b"".join(orjson.dumps(p) + b"\n" for p in generate(seed=3, start=datetime(2026, 11, 28, tzinfo=UTC)))
    )
    streams = [demo, *(p for p in [SHARED_DEV / "crisislex-t6.posts.jsonl"] if p.exists())]
    for posts in streams:
        pure = _backtest(posts, tmp_path / "pure.jsonl", pure=True)
        fast = _backtest(posts, tmp_path / "compiled.jsonl", pure=False)
        assert pure.count(b'"kind":"raised"') >= 5, posts.name  # a stream with incidents, not an empty one
        assert fast == pure, posts.name


@needs_compiled
def test_the_compiled_modules_doctests_pass_from_their_sources() -> None:
    # The session's own run skips them (conftest.py): pytest cannot collect a module imported from a .so.
    sources = [f"detectors/{name}.py" for name in compiled.MODULES]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--doctest-modules", *sources],
        cwd=ROOT,
        env={**os.environ, compiled.PURE_ENV: "1"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout and "no tests ran" not in result.stdout


def test_an_edited_source_runs_as_it_is(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    monkeypatch.setattr(compiled, "MANIFEST", manifest)
    monkeypatch.delenv(compiled.PURE_ENV, raising=False)
    assert compiled.status()[0] is None and "not compiled" in compiled.status()[1]
    digests = compiled._digests()
    manifest.write_bytes(orjson.dumps({"abi": compiled._abi(), "sources": digests}))
    assert compiled.status()[0] == compiled.BUILD_DIR / "detectors"
    edited = {**digests, "incidents": "0" * 64}
    manifest.write_bytes(orjson.dumps({"abi": compiled._abi(), "sources": edited}))
    assert compiled.status() == (None, "sources changed since the build (incidents): running the sources")
    manifest.write_bytes(orjson.dumps({"abi": "cpython-39.so", "sources": digests}))
    assert compiled.status()[0] is None and "compiled for cpython-39.so" in compiled.status()[1]
    manifest.write_bytes(orjson.dumps({"abi": compiled._abi(), "sources": digests}))
    monkeypatch.setenv(compiled.PURE_ENV, "1")
    assert compiled.status()[0] is None


def test_the_compiled_modules_are_the_per_post_path() -> None:
    # A module on the per-post path left out would run interpreted, silently slower; one misnamed, not at all.
    for name in compiled.MODULES:
        assert (compiled.SOURCE_DIR / f"{name}.py").exists(), name
    assert {"core", "incidents", "significance", "text"} <= set(compiled.MODULES)
