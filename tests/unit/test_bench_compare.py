"""bench.compare: two builds' figures compared within pairs (ratios new/old), and their medians."""

from __future__ import annotations

from bench.compare import compare


def test_ratios_are_taken_within_pairs_and_summarised_by_their_median() -> None:
    # The machine slowed down in the second pair: both builds' figures fell, their ratio did not.
    old = [{"posts_per_s": 100.0, "rss_mb": 50.0}, {"posts_per_s": 50.0, "rss_mb": 50.0}, {"posts_per_s": 80.0}]
    new = [{"posts_per_s": 110.0, "rss_mb": 40.0}, {"posts_per_s": 55.0, "rss_mb": 45.0}, {"posts_per_s": 72.0}]
    report = compare(old, new)
    assert list(report) == ["posts_per_s"], "only figures every run reports"
    assert report["posts_per_s"] == {
        "old_median": 80.0,
        "new_median": 72.0,
        "pair_ratios": [1.1, 1.1, 0.9],
        "median_ratio": 1.1,
    }
