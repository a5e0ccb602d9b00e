"""The detection core: text, significance, incidents, and determinism on event time."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import numpy as np
import pytest

from demo.feed import generate
from detectors import text as text_module
from detectors.core import DetectionCore
from detectors.significance import HashedSignificance
from detectors.text import detect_language, normalise, normalise_text
from schemas.post import Post, post_from_obj


def test_normalise_english_and_indonesian() -> None:
    en = normalise_text("BREAKING: Protesters gather outside the #Australian embassy in Jakarta http://t.co/x @abc")
    assert en.lang == "en"
    assert "australian" in en.terms and "embassy" in en.terms and "the" not in en.terms
    assert not any(t.startswith("http") or t == "abc" for t in en.tokens)
    ind = normalise_text("Ratusan warga berunjuk rasa di depan Kedutaan Besar Myanmar, menuntut pengusiran dubes")
    assert ind.lang == "id"
    assert "usir" in ind.terms  # pengusiran -> usir: affixes stripped
    assert "pengusiran" in ind.tokens  # tokens keep the word as written, for cue matching
    assert normalise_text("x", lang="in").lang == "id"
    assert detect_language(()) == "und"
    # Beyond ASCII each word is lower-cased on its own: "İ" lower-cases to "i" plus a combining dot, which
    # would split the word if the whole text were lower-cased first.
    assert normalise_text("Protes di İstanbul'da").tokens == ("protes", "di", "i\u0307stanbul'da")


def test_retweets_and_copies_share_a_fingerprint() -> None:
    original = normalise_text("Kemlu panggil Dubes Australia terkait penyadapan")
    retweet = normalise_text("RT @kompas: Kemlu panggil Dubes Australia terkait penyadapan https://t.co/abc")
    assert retweet.is_retweet and retweet.fingerprint == original.fingerprint
    assert normalise_text("Harga cabai naik lagi").fingerprint != original.fingerprint


def test_a_copied_message_is_read_once_and_the_reading_is_bounded() -> None:
    text_module._read_copy.cache_clear()  # other tests fill it: start from nothing, so each check can fail
    text = "Kedubes Australia didemo warga di Jakarta soal penyadapan #DubesAU"
    first = normalise(Post(id="c1", ts=0.0, text=text))
    copy = normalise(Post(id="c2", ts=1.0, text=f"RT @kemlu_ri: {text}"))
    assert text_module._read_copy.cache_info()[:2] == (1, 1)  # one reading, one hit: the copy was not read again
    assert (copy.tokens, copy.terms, copy.mentions, copy.kind) == (
        first.tokens,
        first.terms,
        first.mentions,
        first.kind,
    )
    assert copy.is_retweet and not first.is_retweet  # what differs between copies is still the post's own
    # A long article, or a language field that is no code, is read as it comes and never kept.
    normalise(Post(id="c3", ts=2.0, text="embassy " * 200))
    normalise_text("Kedubes Australia didemo", lang="x" * 10_000)
    assert text_module._read_copy.cache_info().currsize == 1
    assert normalise_text("Dubes dipanggil", lang="IN-id").lang == "id"  # codes are read before they are keys
    assert text_module._read_copy.cache_info().maxsize == 2048


def test_check_in_boilerplate_is_not_the_poster_s_words() -> None:
    # What a location app writes (venue, city) goes; what the poster adds stays.
    assert normalise_text("I'm at Mazy's Speakeasy (Brookline, MA) http://t.co/x").terms == ()
    assert normalise_text("I'm at The Jane Hotel (New York, NY) w/ 5 others http://t.co/x").terms == ()
    hotel = normalise_text("Hurricane Sandy in the house! (@ The Jane Hotel w/ 5 others) http://t.co/x")
    assert hotel.terms == ("hurricane", "sandy", "house", "~storm")  # the concept "hurricane" reports
    assert normalise_text("I’M AT Claw (New York, NY) [pic]: http://t.co/x").terms == ()
    # A person saying where they are is no check-in, link or not.
    assert "protest" in normalise_text("I'm at the embassy protest now, police everywhere").terms
    eyewitness = "I'm at the Boston marathon finish line, two explosions, people running http://t.co/x"
    assert {"explosion", "finish", "marathon"} <= set(normalise_text(eyewitness).terms)
    assert "embassy" in normalise_text("Bomb threat @ US embassy Jakarta, area evacuated http://bit.ly/x").terms
    assert "kedube" in normalise_text("Demo besar @ Kedubes Australia http://t.co/x").terms
    assert "embassy" in normalise_text("meet me @ noon at the embassy").terms


def test_job_ads_and_trend_reports_are_automated() -> None:
    automated = [
        "#Boston , MA #internship #Job: Yoga Studio Internship at Health Yoga Life http://t.co/x",
        "CHEF MANAGER Job - #Quincy , MA (http://t.co/x) Get Chef Jobs #Chef #jobs #job #GetAllJobs",
        "'Moore' shows up at this time as Trending Topic in Oklahoma http://t.co/x",
        "On Saturday 22, #abflood was Trending Topic in Edmonton for 23 hours: http://t.co/x",
        "The hashtag #abflood took the 1st place in the Top20 of Edmonton's Trends for Saturday 22",
        "Lowongan staf admin di Jakarta #loker #lowongankerja http://t.co/x",
        "'motorists' is now trending in #Brisbane http://t.co/x",
        "#qldfloods is now trending in #Brisbane http://t.co/x",
    ]
    assert all(normalise_text(text).automated for text in automated)
    people = [
        "Protesters gather outside the Australian embassy in Jakarta",
        "A siege in Sydney suggests a new trend in jihadist violence",
        "Lost my job today, the factory closed",
        "Sanctions on Russia will cost thousands of European #jobs",
        "China's trends toward aggression in the South China Sea alarm Manila",
        "#Ferguson is trending topic in the US tonight, people are furious",
        "Boston is now trending in the US, pray for them http://t.co/x",
    ]
    assert not any(normalise_text(text).automated for text in people)


def test_a_message_counts_once_whether_or_not_its_original_is_in_the_stream() -> None:
    """A retweet of an original the stream never had is that message's only sighting: significance counts
    it, once. It is still no independent poster: a story needs people who wrote something."""
    base = 1_700_000_000.0
    texts = [
        "RT @dfwscanner: Fertilizer plant explosion in West, Texas",  # the original is not in the stream
        "RT @other: Fertilizer plant explosion in West, Texas",  # another copy of the same message
        "Fertilizer plant explosion in West, Texas",  # the original, late: its message is counted already
        "Smoke over Waco after a blast",  # another message
    ]
    core = DetectionCore()
    core.process_posts([Post(id=str(i), ts=base + i, text=t) for i, t in enumerate(texts)])
    core.flush()
    assert [m.duplicate for m in core.tracker.threader.recent] == [True, True, True, False]
    counts = core.significance.score(["en:fertilizer", "en:smoke"], "en").counts
    assert counts.tolist() == [1.0, 1.0]


def test_automated_posts_count_nowhere() -> None:
    base = 1_700_000_000.0
    ads = [
        Post(id=f"ad{i}", ts=base + i, text=f"#Job in #Boston, MA: Analyst {i} http://t.co/x #jobs") for i in range(40)
    ]
    core = DetectionCore()
    core.process_posts(ads)
    core.flush()
    assert core.posts_processed == 40  # processed ...
    assert not core.tracker.threader.recent and not core.tracker.active  # ... but in no story, nor waiting for one
    assert int(core.significance._slot_docs.sum()) == 0  # ... and no count for any word


def test_camel_cased_hashtags_also_name_the_words_they_join() -> None:
    n = normalise_text("Thoughts with everyone #PrayForBoston #WestExplosion #yyc")
    assert {"prayforboston", "boston", "westexplosion", "west", "explosion", "yyc"} <= set(n.terms)
    assert "boston" in n.tokens  # so the place is read from the hashtag too


def _feed(sig: HashedSignificance, minutes: int, per_minute: int, keys_for: object, lang: str = "en") -> None:
    for minute in range(minutes):
        for i in range(per_minute):
            sig.observe(keys_for(i), lang, minute * 60.0 + i * 0.1)  # type: ignore[operator]


def test_significance_flags_a_burst_but_not_the_daily_rhythm_or_language_mix() -> None:
    sig = HashedSignificance(n_buckets=1 << 14, slot_s=60.0, warmup_slots=3)
    rng = random.Random(1)
    words = [f"w{i}" for i in range(200)]

    def chatter(i: int) -> list[str]:
        return [f"en:{w}" for w in rng.sample(words, 5)]

    _feed(sig, 60, 40, chatter)
    # Ten times the volume of the same chatter (evening peak, or another language's mix shifting): no trend.
    t0 = 60 * 60.0
    z_rhythm = [sig.observe(chatter(i), "en", t0 + i * 0.01) for i in range(400)]
    assert max(float(s.z.max()) for s in z_rhythm) < 4
    # A new pair of words in 12 posts of the next slot: a trend.
    z_burst = [sig.observe(["en:ambassador", "en:summoned"], "en", t0 + 60 + i) for i in range(12)]
    assert float(z_burst[-1].z.min()) > 6


def test_significance_memory_is_fixed_by_its_parameters() -> None:
    small = HashedSignificance(n_buckets=1 << 12)
    for i in range(20_000):  # far more distinct keys than buckets
        small.observe([f"en:term{i}"], "en", float(i))
    assert small._mean.shape == small._var.shape == small._count.shape == (2, 1 << 12)
    assert np.isfinite(small._mean).all() and (small._var > -1e-9).all()


def _demo_posts(hours: float = 6.0) -> list[Post]:
    return [post_from_obj(p) for p in generate(seed=11, start=datetime(2026, 11, 28, tzinfo=UTC), hours=hours)]


def test_a_release_in_blocks_is_the_release_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A backtest releases its whole file at once, processed in blocks to bound its arrays: the block size
    changes no alert record."""
    from detectors import core as core_module

    items = [normalise(p) for p in _demo_posts()]

    def alerts(block: int) -> list[bytes]:
        monkeypatch.setattr(core_module, "_RELEASE_BLOCK", block)
        core = DetectionCore()
        return [a.to_json() for a in core.process(items) + core.flush()]

    at_once = alerts(len(items) + 1)
    assert sum(b'"kind":"raised"' in a for a in at_once) >= 2
    assert alerts(257) == at_once


def test_core_is_deterministic_and_independent_of_batching() -> None:
    posts = _demo_posts()
    whole = DetectionCore()
    out_whole = [a.to_json() for a in whole.process_posts(posts) + whole.flush()]
    chunked = DetectionCore()
    out_chunked: list[bytes] = []
    for i in range(0, len(posts), 137):
        out_chunked.extend(a.to_json() for a in chunked.process_posts(posts[i : i + 137]))
    out_chunked.extend(a.to_json() for a in chunked.flush())
    assert out_whole, "the demo feed's first hours hold a scripted incident"
    assert out_chunked == out_whole


def test_a_checkpoint_round_trip_changes_no_alert() -> None:
    """The state a worker saves and restores (every few seconds, and after a crash) detects as the running
    state would: nothing cached in it may depend on object identity. Real posts (crisislex-t6), whose
    stories and talk take every path of the tracker; small tables, so that each round trip is quick."""
    import pickle

    from tests.backtests import read_jsonl, shared_dev_file

    posts = [post_from_obj(p) for p in read_jsonl(shared_dev_file("crisislex-t6.posts.jsonl"))]

    def core() -> DetectionCore:
        return DetectionCore(significance=HashedSignificance(n_buckets=1 << 16))

    running, restored = core(), core()
    out_running: list[bytes] = []
    out_restored: list[bytes] = []
    for i in range(0, len(posts), 2000):
        out_running.extend(a.to_json() for a in running.process_posts(posts[i : i + 2000]))
        out_restored.extend(a.to_json() for a in restored.process_posts(posts[i : i + 2000]))
        restored.compact()
        restored = pickle.loads(pickle.dumps(restored, protocol=pickle.HIGHEST_PROTOCOL))
    out_running.extend(a.to_json() for a in running.flush())
    out_restored.extend(a.to_json() for a in restored.flush())
    assert out_running and out_restored == out_running


def test_compacting_before_each_checkpoint_changes_no_alert() -> None:
    posts = _demo_posts()
    plain, compacted = DetectionCore(), DetectionCore()
    out_plain: list[bytes] = []
    out_compacted: list[bytes] = []
    dropped = 0
    for i in range(0, len(posts), 500):
        out_plain.extend(a.to_json() for a in plain.process_posts(posts[i : i + 500]))
        out_compacted.extend(a.to_json() for a in compacted.process_posts(posts[i : i + 500]))
        before = compacted.tracker.threader.indexed_posts()
        compacted.compact()
        dropped += before - compacted.tracker.threader.indexed_posts()
    out_plain.extend(a.to_json() for a in plain.flush())
    out_compacted.extend(a.to_json() for a in compacted.flush())
    assert dropped > 0, "the demo stream outgrows the recent window: there is something to drop"
    assert out_compacted == out_plain


def test_order_within_a_tick_does_not_matter() -> None:
    posts = _demo_posts()
    shuffled = list(posts)
    # Shuffle posts that share a second: a broker may interleave partitions in any order.
    by_second: dict[int, list[Post]] = {}
    for post in shuffled:
        by_second.setdefault(int(post.ts), []).append(post)
    rng = random.Random(5)
    shuffled = []
    for at in sorted(by_second):
        group = by_second[at]
        rng.shuffle(group)
        shuffled.extend(group)
    a, b = DetectionCore(), DetectionCore()
    first = [x.to_json() for x in a.process_posts(posts) + a.flush()]
    second = [x.to_json() for x in b.process_posts(shuffled) + b.flush()]
    assert first == second


def test_a_scripted_incident_becomes_one_typed_alert() -> None:
    posts = _demo_posts(hours=4.0)
    truth = {
        p["id"]: p["truth"]["event_id"] for p in generate(seed=11, start=datetime(2026, 11, 28, tzinfo=UTC), hours=4.0)
    }
    core = DetectionCore()
    alerts = core.process_posts(posts) + core.flush()
    summons = [
        a
        for a in alerts
        if a.kind == "raised" and sum(truth[p] == "id-summons-au-ambassador" for p in a.post_ids) > len(a.post_ids) / 2
    ]
    assert len(summons) == 1
    alert = summons[0]
    assert alert.type_code.startswith("11") and "AU" in alert.countries
    assert alert.terms and alert.samples and alert.reason
    # Updates carry the same incident id, with growing sequence numbers.
    updates = [a for a in alerts if a.incident_id == alert.incident_id]
    assert [a.seq for a in updates] == list(range(len(updates)))


def test_vectorised_significance_equals_one_by_one() -> None:
    """observe_many gives exactly the scores of observe/score called post by post: copies, late posts and
    slot changes included."""
    rng = random.Random(3)
    words = [f"w{i}" for i in range(60)]
    posts = []
    t = 0.0
    for _ in range(3000):
        t += rng.random() * 20
        lang = rng.choice(["en", "id"])
        keys = list(dict.fromkeys(f"{lang}:{w}" for w in rng.sample(words, rng.randint(0, 6))))
        late = rng.random() < 0.05
        posts.append((keys, lang, rng.random() < 0.8, t - 500 if late else t))
    one = HashedSignificance(n_buckets=1 << 8, slot_s=600, warmup_slots=2)
    many = HashedSignificance(n_buckets=1 << 8, slot_s=600, warmup_slots=2)
    expected = []
    for keys, lang, counted, ts in posts:
        if counted:
            expected.append(one.observe(keys, lang, ts))
        else:
            one._roll_to(int(ts // one.slot_s))
            expected.append(one.score(keys, lang))
    got = []
    for i in range(0, len(posts), 97):
        chunk = posts[i : i + 97]
        got.extend(
            many.observe_many(
                [p[0] for p in chunk], [p[1] for p in chunk], [p[2] for p in chunk], [p[3] for p in chunk]
            )
        )
    for a, b in zip(expected, got, strict=True):
        assert np.allclose(a.z, b.z) and np.array_equal(a.counts, b.counts) and np.allclose(a.frequency, b.frequency)
    assert np.array_equal(one._count, many._count) and np.allclose(one._mean, many._mean)


@pytest.mark.parametrize(("n_buckets", "n_hashes"), [(1 << 6, 2), (1 << 12, 2), (300, 3), (100, 1), (1 << 6, 4)])
def test_the_one_pass_significance_gives_the_vectorised_numbers_exactly(
    monkeypatch: pytest.MonkeyPatch, n_buckets: int, n_hashes: int
) -> None:
    """The compiled core's one-pass loop (significance.pxd) and the vectorised path give the same bits: scores
    and every table, through warm-up, copies, late posts, quiet slots that run on, colliding buckets, keys
    repeated in a post, groups of copies only, and slots that touch more buckets than there are (the touched
    mask). Run compiled, this checks the C loop; run from the sources, the same loop interpreted."""
    from detectors import significance

    rng = random.Random(n_buckets * 10 + n_hashes)
    # Key hashes as the core makes them (32-bit term CRCs, 48-bit pair keys), and some with the top bits set.
    vocabulary = [rng.getrandbits(bits) for bits, n in ((32, 200), (48, 150), (64, 10)) for _ in range(n)]
    chunks = []
    t = 0.0
    for c in range(40):
        keys, langs, counted, ts = [], [], [], []
        for _ in range(rng.choice([1, 7, 60, 113])):
            t += rng.random() * (400 if 12 <= c < 15 else 15)  # a quiet stretch: slots run on
            keys.append([rng.choice(vocabulary) for _ in range(rng.choice([0, 1, 3, 8, 20]))])
            langs.append(rng.choices(["en", "id", "ms"], weights=[60, 37, 3])[0])  # "ms": one post in a slot
            counted.append(c != 20 and rng.random() < 0.8)  # chunk 20: copies only
            ts.append(t - 500 if rng.random() < 0.05 else t)
        occurrences = [(h, post) for post, post_keys in enumerate(keys) for h in post_keys]
        rng.shuffle(occurrences)  # in any order: the model sorts them by post
        hashes = np.array([h for h, _ in occurrences], dtype=np.uint64)
        chunks.append((hashes, np.array([p for _, p in occurrences], dtype=np.int64), langs, counted, ts))

    def run(one_pass: bool) -> tuple[HashedSignificance, list[np.ndarray], set[bool]]:
        monkeypatch.setattr(significance, "_COMPILED", one_pass)
        sig = HashedSignificance(n_buckets, n_hashes, slot_s=600, warmup_slots=3, min_slot_posts=20)
        out: list[np.ndarray] = []
        mask_mode = set()
        for chunk in chunks:
            out.extend(sig.observe_hashed(*chunk))
            out.extend(sig.score_hashed(chunk[0][:5], "en"))
            mask_mode.add(sig._touched.listed is None)
        return sig, out, mask_mode

    loop, loop_out, loop_modes = run(one_pass=True)
    vectorised, vectorised_out, _ = run(one_pass=False)
    assert loop.active_slots == vectorised.active_slots > 10
    assert sum(len(a) for a in loop_out) > 10_000
    if n_buckets <= 1000:
        assert loop_modes == {True, False}, "both ways of keeping a slot's buckets"
    for a, b in zip(loop_out, vectorised_out, strict=True):
        assert a.tobytes() == b.tobytes()
    for table in ("_mean", "_var", "_last", "_count", "_count_lang", "_slot_docs"):
        assert getattr(loop, table).tobytes() == getattr(vectorised, table).tobytes(), table
    assert loop._touched.mask.tobytes() == vectorised._touched.mask.tobytes()
    assert loop._touched.size == vectorised._touched.size
    listed = [[a.tobytes() for a in sig._touched.listed or []] for sig in (loop, vectorised)]
    assert listed[0] == listed[1]


@pytest.mark.parametrize("half_life", [0.0, -1.0, float("inf"), float("nan")])
def test_a_baseline_needs_a_half_life(half_life: float) -> None:
    # No half-life, or an endless one, leaves nothing to correct the early mean by: a clear error, not NaN.
    with pytest.raises(ValueError, match="half_life_slots"):
        HashedSignificance(n_buckets=1 << 4, half_life_slots=half_life)


def test_sources_read_at_different_paces_give_the_same_alerts() -> None:
    """Two partitions, each in time order, interleaved in two very different ways (one worker reading both
    evenly; two workers, one far behind the other): waiting for the slowest source makes the alerts equal."""
    from detectors.text import normalise

    items = [normalise(p) for p in _demo_posts()]
    parts = {0: items[0::2], 1: items[1::2]}  # posts spread over two partitions, each in time order
    chunk = 50

    def run(schedule: list[tuple[int, int]]) -> list[bytes]:
        core = DetectionCore()
        core.expect_sources([0, 1])
        out: list[bytes] = []
        for source, start in schedule:
            out.extend(a.to_json() for a in core.process(parts[source][start : start + chunk], source=source))
        return out + [a.to_json() for a in core.flush()]

    starts = {s: list(range(0, len(parts[s]), chunk)) for s in parts}
    even = [(s, i) for pair in zip(starts[0], starts[1], strict=False) for s, i in zip((0, 1), pair, strict=True)]
    even += [(0, i) for i in starts[0][len(starts[1]) :]] + [(1, i) for i in starts[1][len(starts[0]) :]]
    # Source 0 races ahead by 40 messages (hours of event time) before source 1 catches up.
    lagging = [(0, i) for i in starts[0][:40]] + [
        step
        for k in range(len(starts[1]))
        for step in [(1, starts[1][k]), *([(0, starts[0][40 + k])] if 40 + k < len(starts[0]) else [])]
    ]
    assert sorted(even) == sorted(lagging)
    reference = DetectionCore()
    expected = [a.to_json() for a in reference.process(items) + reference.flush()]
    assert expected, "the demo feed's first hours hold a scripted incident"
    assert run(even) == expected
    assert run(lagging) == expected


def test_a_source_marked_idle_no_longer_holds_event_time() -> None:
    from detectors.text import normalise

    items = [normalise(p) for p in _demo_posts()]
    core = DetectionCore()
    core.expect_sources([0, 1])
    core.process(items[:500], source=0)
    assert core.buffered == 500, "source 1 has sent nothing yet: every tick waits for it"
    core.mark_idle(1)
    core.process(items[500:501], source=0)
    assert core.buffered < 10, "with source 1 idle, source 0's event time releases the ticks"


def test_the_index_of_trending_keys_holds_exactly_the_open_stories_keys() -> None:
    # StoryMatcher.match finds the stories a post's trending keys point to through this index, not a scan of every
    # open story: it must name each open story under each of its keys, and nothing else.
    core = DetectionCore()
    posts = _demo_posts()
    tracker = core.tracker
    for i in range(0, len(posts), 400):
        core.process_posts(posts[i : i + 400])
        expected: dict[str, set[str]] = {}
        for incident in tracker.active.values():
            for key in incident.key_last:
                expected.setdefault(key, set()).add(incident.incident_id)
        assert tracker.book.burst_index() == expected
    assert tracker.resolved or len(tracker.active) > 1, "stories opened, and some closed"
