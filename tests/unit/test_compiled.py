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
from demo.feed import generate
from detectors import compiled
from tests.backtests import shared_dev_file
from tests.conftest import ROOT

# ``make test`` compiles the core first: only PANTAU_PURE=1 (the sources on purpose) skips these.
needs_compiled = pytest.mark.skipif(bool(os.environ.get(compiled.PURE_ENV)), reason=f"{compiled.PURE_ENV} is set")


@needs_compiled
def test_the_compiled_core_is_in_use() -> None:
    assert detectors.COMPILED, f"{detectors.COMPILED_STATUS} (make install compiles it)"
    assert all(Path(getattr(detectors, name).__file__).suffix == ".so" for name in ("core", "incidents", "text"))
    # ... with its C declarations: the typed loop is a C function, not the interpreted one compiled as it is.
    from detectors import significance

    assert significance._COMPILED
    assert {"_count_and_read", "_close_buckets"} <= set(significance.__pyx_capi__)  # type: ignore[attr-defined]


def _backtest(posts: Path, out: Path, pure: bool) -> bytes:
    env = {k: v for k, v in os.environ.items() if k != compiled.PURE_ENV}
    if pure:
        env[compiled.PURE_ENV] = "1"
    script = (
        "import sys, detectors; print(detectors.COMPILED_STATUS, flush=True);"
        "from streams.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script, "backtest", str(posts), "--out", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    # Each side ran the core it was meant to: a missing compiled module must not compare the sources twice.
    assert ran.stdout.splitlines()[0] == (f"{compiled.PURE_ENV} is set: running the sources" if pure else "compiled")
    return out.read_bytes()


@needs_compiled
def test_the_compiled_core_gives_the_sources_alerts_byte_for_byte(tmp_path: Path) -> None:
    demo = tmp_path / "demo.posts.jsonl"
    demo.write_bytes(
        b"".join(orjson.dumps(p) + b"\n" for p in generate(seed=3, start=datetime(2026, 11, 28, tzinfo=UTC)))
    )
    streams = [demo, shared_dev_file("crisislex-t6.posts.jsonl")]
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


def test_only_the_build_of_these_very_sources_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(compiled, "BUILD_DIR", tmp_path)
    monkeypatch.setattr(compiled, "MANIFEST", tmp_path / "manifest.json")
    monkeypatch.delenv(compiled.PURE_ENV, raising=False)
    assert compiled.status()[0] is None and "not compiled" in compiled.status()[1]
    (tmp_path / "detectors").mkdir()
    for name in compiled.MODULES:
        compiled._binary(name).write_bytes(b"x" * 10)
    digests = compiled._digests()
    built = {"abi": compiled._abi(), "sources": digests, "binaries": dict.fromkeys(compiled.MODULES, 10)}

    def status_with(**changes: object) -> tuple[Path | None, str]:
        compiled.MANIFEST.write_bytes(orjson.dumps({**built, **changes}))
        return compiled.status()

    assert status_with() == (tmp_path / "detectors", "compiled")
    edited = status_with(sources={**digests, "incidents": "0" * 64})
    assert edited == (None, "sources changed since the build (incidents): running the sources")
    # The C declarations count as source: one edited, or one deleted since the build, makes it stale.
    assert "significance.pxd" in digests
    declared = status_with(sources={**digests, "significance.pxd": "0" * 64})
    assert declared == (None, "sources changed since the build (significance.pxd): running the sources")
    deleted = status_with(sources={**digests, "core.pxd": "0" * 64})
    assert deleted == (None, "sources changed since the build (core.pxd): running the sources")
    added = status_with(sources={k: v for k, v in digests.items() if k != "significance.pxd"})
    assert added == (None, "sources changed since the build (significance.pxd): running the sources")
    assert "compiled for cpython-39.so" in status_with(abi="cpython-39.so")[1]
    compiled._binary("text").unlink()  # a module deleted, or another build's in its place
    assert status_with() == (None, "compiled modules missing or replaced (text): running the sources")
    compiled._binary("text").write_bytes(b"y" * 11)
    assert status_with()[0] is None
    compiled.MANIFEST.write_bytes(b"[1, 2]")  # not a manifest at all
    assert compiled.status()[0] is None
    compiled._binary("text").write_bytes(b"x" * 10)
    assert status_with()[0] is not None
    monkeypatch.setenv(compiled.PURE_ENV, "1")
    assert status_with()[0] is None


def test_the_compiled_modules_are_the_per_post_path() -> None:
    # A module on the per-post path left out would run interpreted, silently slower; one misnamed, not at all.
    for name in compiled.MODULES:
        assert (compiled.SOURCE_DIR / f"{name}.py").exists(), name
    assert {"core", "incidents", "significance", "text"} <= set(compiled.MODULES)
