"""Seeded, deterministic demo feed for Pantau: everyday chatter plus scripted diplomatic incidents.

The generator is a pure function of its arguments (no wall clock, no global random state, no Kafka),
so a demo, a test and a benchmark that use the same seed see exactly the same posts.  Each post has
the same shape as the labelled evaluation files::

    {"id", "ts", "text", "lang", "source_kind", "source", "url", "author", "country_hints", "truth"}

Example (a tiny, half-hour feed):

>>> posts = list(generate(seed=1, hours=0.5, background_per_min=10.0))
>>> sorted(posts[0])
['author', 'country_hints', 'id', 'lang', 'source', 'source_kind', 'text', 'truth', 'ts', 'url']
>>> posts[0]["id"], posts[0]["ts"][:13]
('demo-1-000000000', '2026-11-28T00')
>>> posts == list(generate(seed=1, hours=0.5, background_per_min=10.0))
True
>>> [e["event_id"] for e in events(None, hours=2.0) if e["n_posts"]]
['id-summons-au-ambassador']

What it says is data: the day's incidents, their wording, the background chatter, the word pools and the
outlets are the TOML files of ``demo/data/`` (``demo.scenarios`` reads and checks them); this module draws
from them, in a fixed order of random draws.
"""

from __future__ import annotations

import math
import random
import string
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from demo.fillers import ALNUM, Filler, pick
from demo.scenarios import Scenario, ScriptedIncident, load

__all__ = ["DEFAULT_INCIDENTS", "DEFAULT_START", "ScriptedIncident", "events", "generate"]

DEFAULT_START = datetime(2026, 11, 28, tzinfo=UTC)

# Share of social posts whose language tag is missing, so the detector has to identify it itself.
LANG_MISSING_RATE = 0.15

# The scenarios, templates and word pools (demo/data/*.toml), read and checked once.
_DATA = load()

DEFAULT_INCIDENTS: tuple[ScriptedIncident, ...] = _DATA.incidents

# --------------------------------------------------------------------------------------------------
# Template machinery
# --------------------------------------------------------------------------------------------------

_FMT = string.Formatter()
_COMPILED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _compile(template: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    # Pre-split "a {x} b" into literals and field names once; str.format with a dict per post is slower
    # and we want one random draw per field, in a fixed order, for determinism.
    hit = _COMPILED.get(template)
    if hit is None:
        parts: list[str] = []
        names: list[str] = []
        pending = ""
        for literal, name, _spec, _conv in _FMT.parse(template):
            pending += literal
            if name is not None:
                parts.append(pending)
                names.append(name)
                pending = ""
        parts.append(pending)
        hit = (tuple(parts), tuple(names))
        _COMPILED[template] = hit
    return hit


_COUNTRY_NAMES = _DATA.countries.names  # ISO code -> (English name, Indonesian name)
_ISO_BY_NAME = _DATA.countries.iso_by_name  # a friendly country's code, by either of its names
_EMOJI = _DATA.emoji
_FILL = _DATA.fillers
_WEEKDAY_EN = _DATA.text.weekdays_en
_WEEKDAY_ID = _DATA.text.weekdays_id


@dataclass(slots=True)
class _Ctx:
    """Per-stream fill context: slot lookups go facts -> scenario slots -> global fillers."""

    rng: random.Random
    authors: tuple[str, ...]
    facts: Mapping[str, str] = field(default_factory=dict)
    slots: Mapping[str, Filler] = field(default_factory=dict)


def _fill(template: str, ctx: _Ctx, chosen: dict[str, str] | None = None) -> str:
    parts, names = _compile(template)
    out = [parts[0]]
    for name, literal in zip(names, parts[1:], strict=True):
        if name in ctx.facts:
            value = ctx.facts[name]
        elif name == "mention":
            value = "@" + ctx.rng.choice(ctx.authors)
        elif name in ctx.slots:
            value = pick(ctx.slots[name], ctx.rng)
        else:
            value = pick(_FILL[name], ctx.rng)
        if chosen is not None:
            chosen[name] = value
        out.append(value)
        out.append(literal)
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# Background content
# --------------------------------------------------------------------------------------------------

_BACKGROUND = _DATA.background


def _fits_hour(template: str, hour: int) -> bool:
    window = _BACKGROUND.time_windows.get(template)
    if window is None:
        return True
    lo, hi = window
    return lo <= hour < hi if lo < hi else (hour >= lo or hour < hi)


_NEWS_EN = tuple(outlet.domain for outlet in _DATA.outlets if outlet.lang == "en")
_NEWS_ID = tuple(outlet.domain for outlet in _DATA.outlets if outlet.lang == "id")
_OUTLET_HANDLE = {outlet.domain: outlet.handle for outlet in _DATA.outlets}
_OUTLET_URL = {outlet.domain: outlet.url for outlet in _DATA.outlets}
_FIRST = _DATA.first_names
_SECOND = _DATA.second_names


def _author_pool(seed: int) -> tuple[str, ...]:
    # A finite pool so authors recur across posts (realistic), but large enough to look organic.
    rng = random.Random(f"pantau-demo:{seed}:authors")
    pool: list[str] = []
    seen: dict[str, None] = {}  # dict as an ordered set: iteration order must not depend on hashing
    while len(pool) < 2500:
        name = rng.choice(_FIRST) + rng.choice(_SECOND)
        if rng.random() < 0.6:
            name += str(rng.randint(1, 9999))
        if rng.random() < 0.2:
            name = name.capitalize()
        if name not in seen:
            seen[name] = None
            pool.append(name)
    return tuple(pool)


# --------------------------------------------------------------------------------------------------
# Scripted incident content
# --------------------------------------------------------------------------------------------------


def _scenario_for(inc: ScriptedIncident) -> Scenario:
    known = _DATA.scenarios.get(inc.event_id)
    if known is not None:
        return known
    generic = _DATA.generic
    wording = generic.types.get(inc.expected_type, generic.types[generic.fallback_type])
    codes = (*inc.countries, "ID", "ID")[:2]
    names = [_COUNTRY_NAMES.get(c, (c, c)) for c in codes]
    facts = {"a_en": names[0][0], "b_en": names[1][0], "a_id": names[0][1], "b_id": names[1][1]}
    return Scenario(
        name=inc.event_id.replace("-", " "),
        social_en=tuple(t + suffix for t in wording.social_en for suffix in generic.suffixes),
        social_id=tuple(t + suffix for t in wording.social_id for suffix in generic.suffixes),
        news_en=((wording.headline_en, generic.lede_en),),
        news_id=((wording.headline_id, generic.lede_id),),
        facts=lambda rng: dict(facts),
    )


# --------------------------------------------------------------------------------------------------
# Text perturbations (retweets, near-duplicates, typos, casing) shared by all streams
# --------------------------------------------------------------------------------------------------

_TEXT = _DATA.text
# Laughing or heart-eyes emoji under a quake or a detention would look absurd; incidents get these.
_EMOJI_SERIOUS = _TEXT.emoji_serious


def _typo(text: str, rng: random.Random) -> str:
    # Keyboard slips on one ordinary word (never on URLs, hashtags or mentions).
    words = text.split(" ")
    cands = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not cands:
        return text
    i = rng.choice(cands)
    w = words[i]
    j = rng.randint(1, len(w) - 2)
    op = rng.random()
    if op < 0.4:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif op < 0.7:
        w = w[:j] + w[j + 1 :]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def _decorate(text: str, lang: str, rng: random.Random, tags: tuple[str, ...], incident: bool) -> str:
    if incident and rng.random() < 0.25 and not text.startswith("@"):
        text = rng.choice(_TEXT.prefix_en if lang == "en" else _TEXT.prefix_id) + text
    r = rng.random()
    if r < 0.06:
        text = f"@{rng.choice(_FIRST)}{rng.randint(1, 999)} " + text
    if rng.random() < 0.22:
        text += " " + rng.choice(_EMOJI_SERIOUS if incident else _EMOJI)
    if not incident and rng.random() < 0.12:
        text += " " + rng.choice(_TEXT.tail_en if lang == "en" else _TEXT.tail_id)
    if tags and rng.random() < (0.45 if incident else 0.1):
        if len(tags) > 1 and rng.random() < 0.3:
            text += " " + " ".join(rng.sample(tags, 2))
        else:
            text += " " + rng.choice(tags)
    if rng.random() < 0.05:
        text = _typo(text, rng)
    c = rng.random()
    if c < (0.22 if lang == "id" else 0.1):
        text = text.lower()  # lots of casual posts are all lowercase
    elif c > 0.985:
        text = text.upper()  # and a few shout
    return text


def _near_dup(text: str, lang: str, rng: random.Random, emoji: tuple[str, ...]) -> str:
    op = rng.randrange(5)
    if op == 0:
        return text.lower() if text != text.lower() else text.capitalize()
    if op == 1:
        return text + " " + rng.choice(emoji)
    if op == 2:
        words = [_TEXT.shorten.get(w, w) for w in text.split(" ")]
        out = " ".join(words)
        return out if out != text else text + "!!"
    if op == 3:
        return (rng.choice(_TEXT.echo_openers_en) if lang == "en" else rng.choice(_TEXT.echo_openers_id)) + text
    words = [w for w in text.split(" ") if not w.startswith("https://")]
    return " ".join(words) if len(words) > 3 else text + " ..."


# --------------------------------------------------------------------------------------------------
# Post assembly
# --------------------------------------------------------------------------------------------------

# (t_seconds, stream_rank, seq, post-without-id-and-ts, headline-or-None)
_Draft = tuple[float, int, int, dict[str, Any], str | None]


def _social_meta(rng: random.Random, authors: tuple[str, ...], retweet: bool) -> tuple[str, str | None, str | None]:
    r = 0.0 if retweet else rng.random()  # "RT @user:" only exists on X
    author: str | None = rng.choice(authors)
    if r < 0.65:
        source = "x.com"
        url = f"https://x.com/{author}/status/{rng.randrange(10**18, 10**19)}" if rng.random() < 0.5 else None
    elif r < 0.9:
        source, url = "facebook", None
        if rng.random() < 0.1:
            author = None  # private profile
    else:
        source = "instagram"
        url = "https://www.instagram.com/p/" + "".join(rng.choices(ALNUM, k=11)) + "/" if rng.random() < 0.3 else None
    return source, url, author


def _slug(headline: str) -> str:
    out = []
    for ch in headline.lower():
        out.append(ch if ch.isascii() and ch.isalnum() else "-")
    return "-".join(p for p in "".join(out).split("-") if p)[:80]


def _news_url(rng: random.Random, source: str, headline: str, epoch: float) -> str:
    tm = time.gmtime(epoch)
    # Both numbers are drawn for every outlet, whether its URL shows them or not, so the draws that follow do
    # not depend on the outlet.
    num = rng.randrange(10**6, 10**7)
    two_digits = rng.randint(10, 99)
    return _OUTLET_URL[source].format(
        slug=_slug(headline),
        y=f"{tm.tm_year}",
        m=f"{tm.tm_mon:02d}",
        d=f"{tm.tm_mday:02d}",
        num=num,
        two_digits=two_digits,
    )


def _news_post(
    rng: random.Random,
    ctx: _Ctx,
    pair: tuple[str, str],
    lang: str,
    epoch: float,
    hints: list[str],
    event_id: str | None,
) -> tuple[dict[str, Any], str]:
    chosen: dict[str, str] = {}
    headline = _fill(pair[0], ctx, chosen)
    headline = headline[0].upper() + headline[1:]  # slots like "{seleb}" may start lowercase
    lede = _fill(pair[1], ctx, chosen)
    source = rng.choice(_NEWS_EN if lang == "en" else _NEWS_ID)
    for key in ("country_en", "country_id"):
        if key in chosen and _ISO_BY_NAME[chosen[key]] not in hints:
            hints = [*hints, _ISO_BY_NAME[chosen[key]]]
    post = {
        "text": f"{headline}. {lede}",
        "lang": lang,
        "source_kind": "news",
        "source": source,
        "url": _news_url(rng, source, headline, epoch),
        "author": rng.choice(_DATA.bylines) if rng.random() < 0.7 else None,  # wire copy often has no byline
        "country_hints": list(hints),  # a fresh list per post: consumers may mutate what they receive
        "truth": {"event_id": event_id, "relevant": event_id is not None},
    }
    return post, headline


def _social_post(
    rng: random.Random, authors: tuple[str, ...], text: str, lang: str, hints: list[str], event_id: str | None
) -> dict[str, Any]:
    source, url, author = _social_meta(rng, authors, text.startswith("RT @"))
    return {
        "text": text,
        # The detector must cope with untagged posts, so hide the language on a fixed share of them.
        "lang": None if rng.random() < LANG_MISSING_RATE else lang,
        "source_kind": "social",
        "source": source,
        "url": url,
        "author": author,
        "country_hints": hints,
        "truth": {"event_id": event_id, "relevant": event_id is not None},
    }


def _echo(
    rng: random.Random,
    authors: tuple[str, ...],
    hist: list[tuple[dict[str, Any], str, str | None]],
    window: int,
    emoji: tuple[str, ...],
) -> tuple[str, str, list[str]]:
    """Retweet / near-duplicate of a recent post of the same stream: returns (text, lang, hints)."""
    orig, lang, headline = hist[rng.randrange(max(0, len(hist) - window), len(hist))]
    if orig["source_kind"] == "news":
        # A share of a news article: outlet handle + headline + link.
        text = f"RT @{_OUTLET_HANDLE[orig['source']]}: {headline} {orig['url']}"
    elif orig["text"].startswith("RT @"):
        text = orig["text"]  # a retweet of a retweet shows the original's text
    elif rng.random() < 0.6:
        who = orig["author"] or rng.choice(authors)
        text = f"RT @{who}: {orig['text']}"
    else:
        text = _near_dup(orig["text"], lang, rng, emoji)
    return text, lang, list(orig["country_hints"])


# --------------------------------------------------------------------------------------------------
# Streams
# --------------------------------------------------------------------------------------------------


def _circ_gauss(h: float, mu: float, sigma: float) -> float:
    d = abs(h - mu)
    d = min(d, 24.0 - d)
    return math.exp(-0.5 * (d / sigma) ** 2)


def _daily_shape() -> tuple[float, ...]:
    # Relative volume per minute of the Jakarta day, mean 1.0: ~0.16 at 03:00, morning and evening peaks.
    raw = [
        0.13
        + 1.3 * _circ_gauss(m / 60, 9.5, 2.2)
        + 0.8 * _circ_gauss(m / 60, 14.0, 2.5)
        + 1.5 * _circ_gauss(m / 60, 20.3, 2.0)
        for m in range(1440)
    ]
    mean = sum(raw) / len(raw)
    return tuple(v / mean for v in raw)


_SHAPE = _daily_shape()
_SHAPE_MAX = max(_SHAPE)
_WIB_OFFSET_MIN = 7 * 60


def _shape_at(epoch: float) -> float:
    return _SHAPE[int((epoch / 60.0 + _WIB_OFFSET_MIN) % 1440)]


def _thinned_times(
    rng: random.Random, t0: float, t1: float, lam_max: float, accept: Callable[[float], float]
) -> Iterator[float]:
    """Non-homogeneous Poisson arrivals on [t0, t1) by thinning; accept(t) in [0, 1] is rate/lam_max."""
    if lam_max <= 0 or t1 <= t0:
        return
    t = t0
    while True:
        t += rng.expovariate(lam_max)
        if t >= t1:
            return
        if rng.random() < accept(t):
            yield t


def _background(
    seed: int, base: float, horizon: float, per_min: float, authors: tuple[str, ...], rank: int
) -> list[_Draft]:
    rng = random.Random(f"pantau-demo:{seed}:background")
    ctx = _Ctx(rng, authors)
    out: list[_Draft] = []
    hist: list[tuple[dict[str, Any], str, str | None]] = []
    lam_max = per_min / 60.0 * _SHAPE_MAX
    times = _thinned_times(rng, 0.0, horizon, lam_max, lambda t: _shape_at(base + t) / _SHAPE_MAX)
    for seq, t in enumerate(times):
        lang = "en" if rng.random() < 0.5 else "id"
        kind = rng.random()
        headline: str | None = None
        if kind < 0.08 and len(hist) > 20:
            text, lang, hints = _echo(rng, authors, hist, 400, _EMOJI)
            post = _social_post(rng, authors, text, lang, hints, None)
        elif kind < 0.14:
            pool = _BACKGROUND.news_en if lang == "en" else _BACKGROUND.news_id
            post, headline = _news_post(rng, ctx, rng.choice(pool), lang, base + t, ["ID"], None)
        else:
            chosen: dict[str, str] = {}
            if kind < 0.16:
                tpl = rng.choice(_BACKGROUND.diplomatic_en if lang == "en" else _BACKGROUND.diplomatic_id)
            else:
                pool_s = _BACKGROUND.social_en if lang == "en" else _BACKGROUND.social_id
                hour = int(((base + t) / 3600.0 + 7.0) % 24)
                tpl = rng.choice(pool_s)
                while not _fits_hour(tpl, hour):  # no "morning run" posts at 22:00 WIB
                    tpl = rng.choice(pool_s)
            text = _decorate(_fill(tpl, ctx, chosen), lang, rng, (), incident=False)
            hints = ["ID"] if rng.random() < 0.3 else []
            for key in ("country_en", "country_id"):
                if key in chosen:
                    hints = [*hints, _ISO_BY_NAME[chosen[key]]]
            post = _social_post(rng, authors, text, lang, hints, None)
        hist.append((post, lang, headline))
        out.append((t, rank, seq, post, headline))
    return out


def _bursts(
    seed: int, base: float, horizon: float, per_min: float, authors: tuple[str, ...], rank: int
) -> list[_Draft]:
    out: list[_Draft] = []
    for k, burst in enumerate(_DATA.bursts):
        rng = random.Random(f"pantau-demo:{seed}:burst:{k}")
        ctx = _Ctx(rng, authors)
        extra = (burst.volume - 1.0) * per_min / 60.0  # on top of the background, so the total is volume x
        off = burst.offset_s
        times = _thinned_times(
            rng,
            off,
            min(off + burst.duration_s, horizon),
            extra * _SHAPE_MAX,
            lambda t: _shape_at(base + t) / _SHAPE_MAX,
        )
        for seq, t in enumerate(times):
            lang = "en" if rng.random() < 0.35 else "id"
            text = _decorate(_fill(rng.choice(burst.en if lang == "en" else burst.id), ctx), lang, rng, (), False)
            post = _social_post(rng, authors, text, lang, ["ID"] if rng.random() < 0.4 else [], None)
            out.append((t, rank, k * 1_000_000 + seq, post, None))
    return out


def _intensity(tau: float, duration: float, peak: float) -> float:
    """Incident social rate (posts/min) at tau seconds after onset: linear ramp, then exponential decay."""
    ramp = 0.15 * duration
    if tau < ramp:
        return peak * tau / ramp
    # decays to 5% of peak by the end of the incident
    return peak * math.exp(-(tau - ramp) / ((duration - ramp) / math.log(20.0)))


def _incident(
    seed: int, index: int, inc: ScriptedIncident, base: float, horizon: float, authors: tuple[str, ...], rank: int
) -> list[_Draft]:
    rng = random.Random(f"pantau-demo:{seed}:incident:{index}:{inc.event_id}")
    sc = _scenario_for(inc)
    onset_epoch = base + inc.onset_offset_s
    wd = time.gmtime(onset_epoch + _WIB_OFFSET_MIN * 60).tm_wday  # weekday as seen in Jakarta
    facts = {"day_en": _WEEKDAY_EN[wd], "day_id": _WEEKDAY_ID[wd], **sc.facts(rng)}
    ctx = _Ctx(rng, authors, facts, sc.slots)
    w_en = max(0.0, inc.language_mix.get("en", 0.0))
    w_id = max(0.0, inc.language_mix.get("id", 0.0))
    p_en = w_en / (w_en + w_id) if w_en + w_id > 0 else 1.0  # only en/id are generated
    countries = list(inc.countries)

    def pick_lang() -> str:
        return "en" if rng.random() < p_en else "id"

    # Schedule: (tau, kind); the very first item sits exactly at the onset.
    dur = max(inc.duration_s, 1.0)
    sched: list[tuple[float, str]] = []
    n_news = max(0, inc.news_reports)
    social = inc.peak_posts_per_min > 0
    first_news_at_onset = not social and n_news > 0
    if social:
        sched.append((0.0, "social"))
    news_window = min(3600.0, dur)
    news_taus = sorted(rng.uniform(min(120.0, news_window / 2), news_window) for _ in range(n_news))
    if first_news_at_onset:
        news_taus[0] = 0.0
    sched.extend((tau, "news") for tau in news_taus)
    if social:
        peak = inc.peak_posts_per_min
        sched.extend(
            (tau, "social")
            for tau in _thinned_times(rng, 0.0, dur, peak / 60.0, lambda tau: _intensity(tau, dur, peak) / peak)
        )
    sched.sort(key=lambda item: item[0])

    out: list[_Draft] = []
    hist: list[tuple[dict[str, Any], str, str | None]] = []
    for seq, (tau, kind) in enumerate(sched):
        t = inc.onset_offset_s + tau
        headline: str | None = None
        if kind == "news":
            lang = pick_lang()
            pairs = sc.news_en if lang == "en" else sc.news_id
            post, headline = _news_post(
                rng, ctx, pairs[rng.randrange(len(pairs))], lang, base + t, countries, inc.event_id
            )
        elif hist and rng.random() < 0.2:
            text, lang, hints = _echo(rng, authors, hist, 200, _EMOJI_SERIOUS)
            post = _social_post(rng, authors, text, lang, hints, inc.event_id)
        else:
            lang = pick_lang()
            tpl = rng.choice(sc.social_en if lang == "en" else sc.social_id)
            tags = sc.tags_en if lang == "en" else sc.tags_id
            text = _decorate(_fill(tpl, ctx), lang, rng, tags, incident=True)
            hints = list(countries) if rng.random() < 0.5 else (["ID"] if rng.random() < 0.3 else [])
            post = _social_post(rng, authors, text, lang, hints, inc.event_id)
        hist.append((post, lang, headline))
        if 0.0 <= t < horizon:
            out.append((t, rank, seq, post, headline))
    return out


def _to_epoch(start: datetime | None) -> float:
    if start is None:
        start = DEFAULT_START
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)  # naive datetimes are taken as UTC
    return start.timestamp()


def _incident_drafts(
    seed: int, base: float, horizon: float, incidents: Sequence[ScriptedIncident], authors: tuple[str, ...]
) -> list[list[_Draft]]:
    # Each incident has its own RNG stream, so its posts do not depend on background volume or on the
    # other incidents; this is what lets events() count posts without building the background.
    return [_incident(seed, i, inc, base, horizon, authors, 2 + i) for i, inc in enumerate(incidents)]


def generate(
    seed: int = 7,
    start: datetime | None = None,
    hours: float = 24.0,
    background_per_min: float = 20.0,
    incidents: Sequence[ScriptedIncident] = DEFAULT_INCIDENTS,
) -> Iterator[dict[str, Any]]:
    """Yield posts in ts order (ties by id) for ``hours`` hours from ``start`` (default 2026-11-28Z)."""
    base = _to_epoch(start)
    horizon = max(0.0, hours) * 3600.0
    authors = _author_pool(seed)
    drafts = _background(seed, base, horizon, background_per_min, authors, 0)
    drafts += _bursts(seed, base, horizon, background_per_min, authors, 1)
    for stream in _incident_drafts(seed, base, horizon, incidents, authors):
        drafts += stream
    drafts.sort(key=lambda d: (d[0], d[1], d[2]))
    last_sec = -1
    ts = ""
    for n, (t, _rank, _seq, post, _headline) in enumerate(drafts):
        sec = math.floor(base + t)
        if sec != last_sec:
            ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(sec))
            last_sec = sec
        yield {"id": f"demo-{seed}-{n:09d}", "ts": ts, **post}


def events(
    start: datetime | None = None,
    incidents: Sequence[ScriptedIncident] = DEFAULT_INCIDENTS,
    *,
    seed: int = 7,
    hours: float = 24.0,
    background_per_min: float = 20.0,
) -> list[dict[str, Any]]:
    """Ground truth for the scripted incidents of ``generate`` called with the same arguments.

    ``background_per_min`` is accepted so callers can pass the same kwargs as to ``generate``; incident
    posts come from their own RNG streams and do not depend on it.
    """
    del background_per_min
    base = _to_epoch(start)
    horizon = max(0.0, hours) * 3600.0
    out: list[dict[str, Any]] = []
    for inc, stream in zip(
        incidents, _incident_drafts(seed, base, horizon, incidents, _author_pool(seed)), strict=True
    ):
        first = stream[0][0] if stream else inc.onset_offset_s
        out.append(
            {
                "event_id": inc.event_id,
                "name": _scenario_for(inc).name,
                "onset_ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(math.floor(base + first))),
                "n_posts": len(stream),
                "expected_type": inc.expected_type,
                "countries": list(inc.countries),
            }
        )
    return out
