"""The alert records ``pantau backtest`` writes for the demo day and the dev streams, pinned by their md5.

A refactoring must leave them byte for byte as they are. A change that means to alter detection updates the
digests here on purpose, in the commit that explains why, with the figures of ``pantau eval`` before and after.
"""

from __future__ import annotations

import hashlib

import pytest

from tests.backtests import DEV_STREAMS, backtest_bytes, shared_dev_file

PINNED = {
    "demo-day": "f3c87a5a7b11aaf54cd486c56c2f4c32",
    "pheme": "e97db3c2b8516a222fcf39f77d2d1fa4",
    "crisislex-t6": "32f595780021eb45a4caf377fd758597",
}


@pytest.mark.parametrize("stream", ["demo-day", *DEV_STREAMS])
def test_the_backtest_writes_the_pinned_alert_records(stream: str) -> None:
    output = backtest_bytes(stream)
    digest = hashlib.md5(output).hexdigest()
    assert digest == PINNED[stream], (
        f"`pantau backtest` on {stream} now writes {len(output.splitlines())} records with md5 {digest}, not "
        f"{PINNED[stream]}. If the detector did not mean to change, find what did: `pantau diff` the old and new "
        "logs (`pantau demo --out d.jsonl; pantau backtest d.jsonl --out new.jsonl` on both builds). If it did, "
        "update PINNED in tests/unit/test_alert_digests.py in the same commit, and give `pantau eval` before and after."
    )


def test_missing_real_data_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the tests on real data"):
        shared_dev_file("no-such-stream.posts.jsonl")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="is not on this machine"):
        shared_dev_file("no-such-stream.posts.jsonl")
