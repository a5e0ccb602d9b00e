"""Tests for the seeded demo feed generator (demo/feed.py)."""

from __future__ import annotations

import hashlib
import os
import random
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from demo.feed import DEFAULT_INCIDENTS, DEFAULT_START, ScriptedIncident, events, generate

ROOT = Path(__file__).resolve().parents[2]
TS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
KEYS = {"id", "ts", "text", "lang", "source_kind", "source", "url", "author", "country_hints", "truth"}
SOCIAL_SOURCES = {"x.com", "facebook", "instagram"}
NEWS_SOURCES = {
    "reuters.com",
    "thejakartapost.com",
    "abc.net.au",
    "channelnewsasia.com",
    "detik.com",
    "kompas.com",
    "antaranews.com",
    "tempo.co",
    "cnnindonesia.com",
}


@pytest.fixture(scope="module")
def feed() -> list[dict[str, Any]]:
    return list(generate())


def _parse(ts: str) -> datetime:
    return datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _wib_hour(ts: str) -> int:
    return (int(ts[11:13]) + 7) % 24


def _digest(posts: list[dict[str, Any]]) -> str:
    return hashlib.sha256(b"\n".join(orjson.dumps(p) for p in posts)).hexdigest()


# ------------------------------------------------------------------ determinism


def test_same_seed_gives_identical_output(feed: list[dict[str, Any]]) -> None:
    assert list(generate()) == feed
    small = list(generate(seed=11, hours=3.0, background_per_min=8.0))
    assert small == list(generate(seed=11, hours=3.0, background_per_min=8.0))


def test_different_seed_gives_different_output() -> None:
    a = list(generate(seed=7, hours=2.0))
    b = list(generate(seed=8, hours=2.0))
    assert a != b
    texts_a, texts_b = [p["text"] for p in a], [p["text"] for p in b]
    same_position = sum(x == y for x, y in zip(texts_a, texts_b, strict=False))
    assert same_position < 0.05 * min(len(a), len(b))


def test_ignores_global_random_state() -> None:
    random.seed(1)
    a = list(generate(seed=5, hours=1.0))
    random.seed(999)
    random.random()
    b = list(generate(seed=5, hours=1.0))
    assert a == b


def test_identical_across_processes_and_hash_seeds() -> None:
    # Guards against set/hash-order dependence: PYTHONHASHSEED changes str hashing between processes.
    here = _digest(list(generate(seed=3, hours=1.5)))
    code = (
        "import hashlib, orjson; from demo.feed import generate; "
        "print(hashlib.sha256(b'\\n'.join(orjson.dumps(p) for p in generate(seed=3, hours=1.5)))"
        ".hexdigest())"
    )
    for hash_seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT
        )
        assert out.stdout.strip() == here


# ------------------------------------------------------------------ ordering, ids, shape


def test_sorted_by_ts_then_id(feed: list[dict[str, Any]]) -> None:
    keys = [(p["ts"], p["id"]) for p in feed]
    assert keys == sorted(keys)


def test_ids_unique_and_deterministic_format(feed: list[dict[str, Any]]) -> None:
    ids = [p["id"] for p in feed]
    assert len(set(ids)) == len(ids)
    assert ids[0] == "demo-7-000000000"
    assert all(re.fullmatch(r"demo-7-\d{9}", i) for i in ids)


def test_every_post_has_the_evaluation_shape(feed: list[dict[str, Any]]) -> None:
    start = DEFAULT_START
    end = start + timedelta(hours=24)
    for p in feed:
        assert set(p) == KEYS, p
        assert isinstance(p["id"], str)
        assert TS_RE.match(p["ts"]), p["ts"]
        assert start <= _parse(p["ts"]) < end
        assert isinstance(p["text"], str) and p["text"].strip()
        assert p["lang"] in ("en", "id", None)
        assert p["source_kind"] in ("social", "news")
        assert p["url"] is None or (isinstance(p["url"], str) and p["url"].startswith("https://"))
        assert p["author"] is None or (isinstance(p["author"], str) and p["author"])
        assert isinstance(p["country_hints"], list)
        assert all(isinstance(c, str) and re.fullmatch(r"[A-Z]{2}", c) for c in p["country_hints"])
        truth = p["truth"]
        assert set(truth) == {"event_id", "relevant"}
        assert truth["event_id"] is None or isinstance(truth["event_id"], str)
        assert isinstance(truth["relevant"], bool)
        assert truth["relevant"] == (truth["event_id"] is not None)
        if p["source_kind"] == "news":
            assert p["source"] in NEWS_SOURCES
            assert p["url"] and p["source"].split(".")[0] in p["url"]
            assert p["lang"] in ("en", "id")  # outlets always declare their language
        else:
            assert p["source"] in SOCIAL_SOURCES
            if p["text"].startswith("RT @"):
                assert p["source"] == "x.com"


def test_respects_start_and_hours() -> None:
    start = datetime(2027, 3, 1, 12, 30, tzinfo=UTC)
    posts = list(generate(seed=2, start=start, hours=2.0, background_per_min=5.0))
    assert posts
    assert all(start <= _parse(p["ts"]) < start + timedelta(hours=2) for p in posts)
    assert list(generate(hours=0.0)) == []


# ------------------------------------------------------------------ volume and rhythm


def test_daily_rhythm_night_is_much_quieter_than_morning(feed: list[dict[str, Any]]) -> None:
    hours = Counter(_wib_hour(p["ts"]) for p in feed)
    night = sum(hours[h] for h in range(1, 5))  # 01:00-05:00 WIB
    morning = sum(hours[h] for h in range(8, 12))  # 08:00-12:00 WIB
    assert morning >= 2 * night, (night, morning)
    background = Counter(_wib_hour(p["ts"]) for p in feed if p["truth"]["event_id"] is None)
    assert sum(background[h] for h in range(8, 12)) >= 2 * sum(background[h] for h in range(1, 5))
    # 03:00 WIB should be roughly 15% of the mean rate (20/min -> ~3/min); allow a generous band.
    at_three = background[3] / 60.0
    assert 1.5 <= at_three <= 5.0, at_three


def test_volume_and_non_incident_bursts(feed: list[dict[str, Any]]) -> None:
    # Background alone averages 20/min (28,800/day); bursts add a few thousand irrelevant posts.
    background = [p for p in feed if p["truth"]["event_id"] is None]
    assert 28_800 * 0.95 < len(background) < 28_800 * 1.5
    per_10min = Counter(p["ts"][:15] for p in background)
    typical = sorted(per_10min.values())[len(per_10min) // 2]
    busiest, busiest_count = per_10min.most_common(1)[0]
    assert busiest_count > 2.5 * typical  # the goal burst is several times normal volume
    burst_texts = [p["text"].lower() for p in background if p["ts"][:15] == busiest]
    assert sum(("gol" in t or "goal" in t) for t in burst_texts) > 0.5 * len(burst_texts)


def test_background_has_both_languages_and_variety(feed: list[dict[str, Any]]) -> None:
    bg = [p for p in feed if p["truth"]["event_id"] is None]
    langs = Counter(p["lang"] for p in bg if p["lang"] is not None)
    total = langs["en"] + langs["id"]
    assert 0.35 <= langs["en"] / total <= 0.65
    assert 0.35 <= langs["id"] / total <= 0.65
    assert len({p["text"] for p in feed}) > 20_000  # tens of thousands of distinct strings
    assert any(p["text"].startswith("RT @") for p in bg)
    assert any(p["source_kind"] == "news" for p in bg)
    # Diplomatic vocabulary shows up in harmless background too (seminars, festivals, scholarships).
    assert any(re.search(r"\b(Kedubes|Dubes|embassy|ambassador)\b", p["text"]) for p in bg)


def test_about_15_percent_of_social_posts_lack_lang(feed: list[dict[str, Any]]) -> None:
    social = [p for p in feed if p["source_kind"] == "social"]
    share = sum(p["lang"] is None for p in social) / len(social)
    assert 0.12 <= share <= 0.18, share
    assert all(p["lang"] is not None for p in feed if p["source_kind"] == "news")


# ------------------------------------------------------------------ scripted incidents


def test_default_incidents_are_well_formed() -> None:
    assert len(DEFAULT_INCIDENTS) >= 7
    onsets = [i.onset_offset_s for i in DEFAULT_INCIDENTS]
    assert len(set(onsets)) == len(onsets)
    assert max(onsets) <= 20 * 3600
    assert len({i.event_id for i in DEFAULT_INCIDENTS}) == len(DEFAULT_INCIDENTS)
    for inc in DEFAULT_INCIDENTS:
        assert inc.expected_type in {"11", "14", "141", "16", "161", "163", "17", "18", "19", "CONSULAR"}
        assert abs(sum(inc.language_mix.values()) - 1.0) < 1e-9
        assert inc.peak_posts_per_min == 0 or 3 <= inc.peak_posts_per_min <= 15
        assert all(re.fullmatch(r"[A-Z]{2}", c) for c in inc.countries)
    assert {i.expected_type for i in DEFAULT_INCIDENTS} >= {"11", "141", "163", "19", "CONSULAR", "161", "17"}


@pytest.mark.parametrize("inc", DEFAULT_INCIDENTS, ids=lambda i: i.event_id)
def test_incident_language_mix(feed: list[dict[str, Any]], inc: ScriptedIncident) -> None:
    posts = [p for p in feed if p["truth"]["event_id"] == inc.event_id]
    assert posts
    tagged = Counter(p["lang"] for p in posts if p["lang"] is not None)
    n = tagged["en"] + tagged["id"]
    if n >= 50:
        assert abs(tagged["en"] / n - inc.language_mix.get("en", 0.0)) <= 0.1, (tagged, inc.language_mix)
    for lang, weight in inc.language_mix.items():
        if weight >= 0.1 and n >= 50:
            assert tagged[lang] > 0
        if weight == 0:
            assert tagged[lang] == 0
    assert sum(p["source_kind"] == "news" for p in posts) == inc.news_reports
    assert all(p["truth"]["relevant"] for p in posts)


@pytest.mark.parametrize("inc", [i for i in DEFAULT_INCIDENTS if i.peak_posts_per_min > 0], ids=lambda i: i.event_id)
def test_social_incident_ramps_up_then_decays(feed: list[dict[str, Any]], inc: ScriptedIncident) -> None:
    onset = DEFAULT_START + timedelta(seconds=inc.onset_offset_s)
    taus = [(_parse(p["ts"]) - onset).total_seconds() for p in feed if p["truth"]["event_id"] == inc.event_id]
    assert min(taus) == 0  # first post exactly at the onset
    assert max(taus) < inc.duration_s
    d = inc.duration_s
    first, peak_zone, last = (
        sum(a <= t < b for t in taus) for a, b in ((0, 0.05 * d), (0.10 * d, 0.25 * d), (0.85 * d, d))
    )
    # ramp: the first 5% is quieter per second than the peak zone; tail: last 15% has decayed
    assert first / 0.05 < peak_zone / 0.15
    assert last < peak_zone
    per_min = Counter(int(t // 60) for t in taus)
    assert max(per_min.values()) <= 3 * inc.peak_posts_per_min + 5  # small, as real incidents are
    assert any(p["text"].startswith("RT @") for p in feed if p["truth"]["event_id"] == inc.event_id)


def test_news_only_incident_is_a_single_news_article(feed: list[dict[str, Any]]) -> None:
    news_only = [i for i in DEFAULT_INCIDENTS if i.peak_posts_per_min == 0]
    assert news_only
    for inc in news_only:
        posts = [p for p in feed if p["truth"]["event_id"] == inc.event_id]
        assert len(posts) == 1 == inc.news_reports
        (post,) = posts
        assert post["source_kind"] == "news"
        assert post["url"] and post["url"].startswith("https://")
        assert post["ts"] == (DEFAULT_START + timedelta(seconds=inc.onset_offset_s)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_events_ground_truth_matches_feed(feed: list[dict[str, Any]]) -> None:
    counts = Counter(p["truth"]["event_id"] for p in feed)
    first_ts: dict[str, str] = {}
    for p in feed:
        eid = p["truth"]["event_id"]
        if eid is not None and eid not in first_ts:
            first_ts[eid] = p["ts"]
    evs = events(DEFAULT_START)
    assert [e["event_id"] for e in evs] == [i.event_id for i in DEFAULT_INCIDENTS]
    for ev, inc in zip(evs, DEFAULT_INCIDENTS, strict=True):
        assert set(ev) == {"event_id", "name", "onset_ts", "n_posts", "expected_type", "countries"}
        assert ev["n_posts"] == counts[ev["event_id"]] > 0
        assert ev["onset_ts"] == first_ts[ev["event_id"]]
        assert ev["expected_type"] == inc.expected_type
        assert ev["countries"] == list(inc.countries)
        assert isinstance(ev["name"], str) and ev["name"]
    assert sum(counts[e["event_id"]] for e in evs) == sum(n for k, n in counts.items() if k is not None)
    assert events(None) == evs


def test_events_match_with_non_default_arguments() -> None:
    start = datetime(2026, 12, 5, 6, 0, tzinfo=UTC)
    posts = list(generate(seed=3, start=start, hours=10.0, background_per_min=5.0))
    counts = Counter(p["truth"]["event_id"] for p in posts)
    evs = events(start, seed=3, hours=10.0, background_per_min=5.0)
    for ev in evs:
        assert ev["n_posts"] == counts.get(ev["event_id"], 0)
    # incidents whose onset falls after the horizon emit nothing
    late = [e for e in evs if e["n_posts"] == 0]
    assert {e["event_id"] for e in late} == {i.event_id for i in DEFAULT_INCIDENTS if i.onset_offset_s >= 10 * 3600}


def test_custom_incident_uses_generic_wording() -> None:
    inc = ScriptedIncident("tl-expels-ph-envoy", 600.0, 1800.0, {"en": 0.5, "id": 0.5}, 4.0, 2, "161", ("TL", "PH"))
    posts = list(generate(seed=1, hours=1.0, background_per_min=0.0, incidents=[inc]))
    assert posts and all(p["truth"]["event_id"] == inc.event_id for p in posts)
    assert posts[0]["ts"] == "2026-11-28T00:10:00Z"
    assert sum(p["source_kind"] == "news" for p in posts) == 2
    assert any("Timor" in p["text"] for p in posts)
    (ev,) = events(None, [inc], seed=1, hours=1.0)
    assert ev["n_posts"] == len(posts)


# ------------------------------------------------------------------ a whole day


def test_generates_a_day() -> None:
    # Its speed is make bench's (part lookups: demo_generate_posts_per_s), not a test's.
    assert sum(1 for _ in generate(seed=21)) > 28_000
