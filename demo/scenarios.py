"""The demo feed's scenarios and word pools, read once from ``demo/data/`` and checked.

``load()`` reads every file, checks it (unknown or missing keys, wrong types, time windows, a template whose
``{placeholder}`` no filler fills, an incident without wording, ...) and raises :class:`DemoDataError`, which
names the file and the line, at the first bad entry. ``demo.feed`` calls it once, at import.

>>> data = load()
>>> [incident.event_id for incident in data.incidents][:2]
['id-summons-au-ambassador', 'jkt-protest-myanmar-embassy']
>>> data.scenarios["in-rice-export-ban"].name
'India bans rice exports, hitting Indonesian importers'
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from demo import fillers
from demo.datafile import DATA_DIR, DataFile, DemoDataError, Entry
from demo.fillers import FactsFunction, Filler

__all__ = ["DATA_DIR", "DemoData", "DemoDataError", "ScriptedIncident", "load"]

LANGS = ("en", "id")
MENTION = "mention"  # {mention}: an @ of a random demo author, in every template
WEEKDAY_FACTS = ("day_en", "day_id")  # the weekday of an incident's onset in Jakarta
GENERIC_FACTS = ("a_en", "b_en", "a_id", "b_id")  # the generic wording's two countries
URL_FIELDS = ("slug", "y", "m", "d", "num", "two_digits")  # what an outlet's URL shape may use
_FORMATTER = string.Formatter()
_UNKNOWN_FILLER = "no filler of fillers.toml (or of this scenario) has that name"
_HH_MM = re.compile(r"^(\d{1,3}):([0-5]\d)$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CODE = re.compile(r"^[A-Z]{2}$")
_EVENT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class ScriptedIncident:
    event_id: str  # e.g. "id-summons-au-ambassador"
    onset_offset_s: float  # seconds after the feed start when the first post appears
    duration_s: float
    language_mix: dict[str, float]  # e.g. {"en": 0.4, "id": 0.6}
    peak_posts_per_min: float  # social volume at peak (0 for a news-only incident)
    news_reports: int  # number of news articles (source_kind "news") about it
    expected_type: str  # CAMEO code the detector should assign ("11", "141", ..., "CONSULAR")
    countries: tuple[str, ...]  # ISO alpha-2 codes involved, e.g. ("ID", "AU")


def _no_facts(rng: random.Random) -> dict[str, str]:
    del rng
    return {}


@dataclass(frozen=True, slots=True)
class Scenario:
    """An incident's wording: templates of its posts and articles, its own fillers and its facts."""

    name: str
    social_en: tuple[str, ...]
    social_id: tuple[str, ...]
    news_en: tuple[tuple[str, str], ...]  # (headline, lede)
    news_id: tuple[tuple[str, str], ...]
    tags_en: tuple[str, ...] = ()
    tags_id: tuple[str, ...] = ()
    slots: Mapping[str, Filler] = field(default_factory=dict)
    # Facts fixed once per incident (e.g. a quake's magnitude) so posts about it stay consistent.
    facts: FactsFunction = _no_facts


@dataclass(frozen=True, slots=True)
class GenericWording:
    social_en: tuple[str, ...]
    social_id: tuple[str, ...]
    headline_en: str
    headline_id: str


@dataclass(frozen=True, slots=True)
class Generic:
    """Fallback wording for an incident without a scenario, by its expected CAMEO type."""

    types: Mapping[str, GenericWording]
    fallback_type: str
    suffixes: tuple[str, ...]
    lede_en: str
    lede_id: str


@dataclass(frozen=True, slots=True)
class Background:
    social_en: tuple[str, ...]
    social_id: tuple[str, ...]
    diplomatic_en: tuple[str, ...]
    diplomatic_id: tuple[str, ...]
    news_en: tuple[tuple[str, str], ...]
    news_id: tuple[tuple[str, str], ...]
    # Templates that only make sense at some Jakarta hours: (first hour, end hour), wrapping past midnight.
    time_windows: Mapping[str, tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Burst:
    """Non-incident chatter at some times of the day, on top of the background."""

    name: str
    offset_s: float
    duration_s: float
    volume: float  # times the background rate while it lasts
    en: tuple[str, ...]
    id: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Outlet:
    domain: str
    lang: str
    handle: str  # on X
    url: str  # a str.format shape of URL_FIELDS


@dataclass(frozen=True, slots=True)
class Text:
    """The pieces that vary posts once written (demo/data/text.toml)."""

    prefix_en: tuple[str, ...]
    prefix_id: tuple[str, ...]
    emoji_serious: tuple[str, ...]
    tail_en: tuple[str, ...]
    tail_id: tuple[str, ...]
    echo_openers_en: tuple[str, ...]
    echo_openers_id: tuple[str, ...]
    weekdays_en: tuple[str, ...]
    weekdays_id: tuple[str, ...]
    shorten: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Countries:
    names: Mapping[str, tuple[str, str]]  # ISO code -> (English name, Indonesian name)
    friendly: tuple[str, ...]  # the countries of harmless background diplomacy
    iso_by_name: Mapping[str, str]  # a friendly country's code by either of its names


@dataclass(frozen=True, slots=True)
class DemoData:
    incidents: tuple[ScriptedIncident, ...]
    scenarios: Mapping[str, Scenario]
    generic: Generic
    fillers: Mapping[str, Filler]
    emoji: tuple[str, ...]  # the cheerful emoji of background posts (also the {emoji} filler)
    countries: Countries
    background: Background
    bursts: tuple[Burst, ...]
    outlets: tuple[Outlet, ...]
    bylines: tuple[str, ...]
    first_names: tuple[str, ...]
    second_names: tuple[str, ...]
    text: Text


# --------------------------------------------------------------------------------------------------
# Shared checks
# --------------------------------------------------------------------------------------------------


def _check_template(
    entry: Entry, template: str, known: frozenset[str], *steps: str | int, unknown: str = _UNKNOWN_FILLER
) -> None:
    """Refuse a template that is not str.format syntax, or whose placeholder no filler of ``known`` fills."""
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError as exc:
        entry.fail(f"{template!r} is not a template: {exc} (write {{{{ and }}}} for a brace)", *steps, value=template)
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not _NAME.match(name) or spec or conversion:
            entry.fail(
                f"placeholder {{{name}}} in {template!r}: only a plain {{name}} is filled", *steps, value=template
            )
        if name not in known:
            entry.fail(f"unknown {{{name}}} in {template!r}: {unknown}", *steps, value=template)


def _templates(entry: Entry, key: str, known: frozenset[str]) -> tuple[str, ...]:
    out = entry.texts(key)
    for i, template in enumerate(out):
        _check_template(entry, template, known, key, i)
    return out


def _articles(entry: Entry, key: str, known: frozenset[str]) -> tuple[tuple[str, str], ...]:
    out = []
    for article in entry.tables(key):
        article.only(("headline", "lede"))
        headline, lede = article.text("headline"), article.text("lede")
        _check_template(article, headline, known, "headline")
        _check_template(article, lede, known, "lede")
        out.append((headline, lede))
    return tuple(out)


def _hh_mm(entry: Entry, key: str, *, positive: bool) -> float:
    value = entry.text(key)
    match = _HH_MM.match(value)
    if match is None:
        entry.fail(f'{value!r} is not a time "HH:MM" (minutes 00-59)', key)
    seconds = float(int(match[1]) * 3600 + int(match[2]) * 60)  # exact, no float drift from 17.6 * 3600
    if positive and seconds <= 0:
        entry.fail("must be longer than 00:00", key)
    return seconds


def _filler_name(entry: Entry, name: str, reserved: frozenset[str] = frozenset()) -> None:
    if not _NAME.match(name):
        entry.fail("a filler's name is lower-case letters, digits and _", name)
    if name == MENTION or name in reserved:
        entry.fail(f"{{{name}}} is filled by the generator itself: choose another name", name)


def _kind(entry: Entry, countries: Countries) -> Filler:
    """A filler given as a table with a kind (see demo/data/fillers.toml)."""
    kind = entry.text("kind")
    if kind == "number":
        entry.only(("kind", "lo", "hi"))
        lo, hi = _range(entry)
        return fillers.number(lo, hi)
    if kind == "decimal":
        entry.only(("kind", "lo", "hi", "divisor", "places"), ("decimal_comma",))
        lo, hi = _range(entry)
        divisor, places = _at_least(entry, "divisor", 1), _at_least(entry, "places", 0)
        return fillers.decimal(lo, hi, divisor, places, decimal_comma=entry.flag("decimal_comma", False))
    if kind == "rupiah":
        entry.only(("kind", "lo", "hi", "step"))
        lo, hi = _range(entry)
        return fillers.rupiah(lo, hi, _at_least(entry, "step", 1))
    if kind == "clock":
        entry.only(("kind", "first_hour", "last_hour", "minutes"))
        first, last = _at_least(entry, "first_hour", 0), _at_least(entry, "last_hour", 0)
        if not first <= last <= 23:
            entry.fail("hours must be 0 <= first_hour <= last_hour <= 23", "last_hour")
        minutes = []
        for i, minute in enumerate(entry.items("minutes")):
            if isinstance(minute, bool) or not isinstance(minute, int) or not 0 <= minute <= 59:
                entry.fail("a minute is an integer 0-59", "minutes", i)
            minutes.append(minute)
        return fillers.clock(first, last, tuple(minutes))
    if kind == "shortlink":
        entry.only(("kind", "prefix", "length"))
        return fillers.shortlink(entry.text("prefix"), _at_least(entry, "length", 1))
    if kind == "country_names":
        entry.only(("kind", "lang"))
        lang = entry.text("lang")
        if lang not in LANGS:
            entry.fail(f"lang is en or id, not {lang!r}", "lang")
        return tuple(countries.names[code][LANGS.index(lang)] for code in countries.friendly)
    entry.fail(f"unknown kind {kind!r} (number, decimal, rupiah, clock, shortlink, country_names)", "kind")


def _range(entry: Entry) -> tuple[int, int]:
    lo, hi = entry.integer("lo"), entry.integer("hi")
    if lo > hi:
        entry.fail(f"lo ({lo}) is above hi ({hi})", "hi")
    return lo, hi


def _at_least(entry: Entry, key: str, minimum: int) -> int:
    value = entry.integer(key)
    if value < minimum:
        entry.fail(f"must be at least {minimum}", key)
    return value


def _filler(entry: Entry, key: str, countries: Countries) -> Filler:
    """A word list, or a table with a kind."""
    value = entry.raw(key)
    if isinstance(value, dict):
        return _kind(entry.sub(key), countries)
    if not isinstance(value, list):
        entry.fail("a filler is a word list or a table with a kind", key)
    return entry.texts(key)


# --------------------------------------------------------------------------------------------------
# The files
# --------------------------------------------------------------------------------------------------


def _countries(root: Entry) -> Countries:
    root.only(("friendly", "names"))
    names_entry = root.sub("names")
    names: dict[str, tuple[str, str]] = {}
    for code in names_entry.names():
        if not _CODE.match(code):
            names_entry.fail("a country is its ISO 3166 alpha-2 code, e.g. ID", code)
        country = names_entry.sub(code)
        country.only(LANGS)
        names[code] = (country.text("en"), country.text("id"))
    friendly = root.texts("friendly")
    iso_by_name: dict[str, str] = {}
    for i, code in enumerate(friendly):
        if code not in names:
            root.fail(f"{code!r} has no names in [names]", "friendly", i, value=code)
        if friendly.index(code) != i:
            root.fail(f"{code!r} is listed twice", "friendly", i, value=code)
        for name in names[code]:
            if iso_by_name.setdefault(name, code) != code:  # a post naming it would be hinted with either
                names_entry.fail(f"friendly countries {iso_by_name[name]} and {code} are both called {name!r}", code)
    return Countries(names, friendly, iso_by_name)


def _fillers(root: Entry, countries: Countries) -> dict[str, Filler]:
    out: dict[str, Filler] = {}
    for name in root.names():
        _filler_name(root, name, frozenset(WEEKDAY_FACTS))
        out[name] = _filler(root, name, countries)
    if not isinstance(out.get("emoji"), tuple):
        if root.has("emoji"):
            root.fail("must be a word list: it also decorates background posts", "emoji")
        root.fail("missing key 'emoji' (the emoji of background posts)")
    return out


def _social_with_windows(
    root: Entry, key: str, known: frozenset[str]
) -> tuple[tuple[str, ...], dict[str, tuple[int, int]]]:
    templates: list[str] = []
    windows: dict[str, tuple[int, int]] = {}
    for i, item in enumerate(root.items(key)):
        if isinstance(item, str):
            if not item:
                root.fail("must not be an empty string", key, i)
            template = item
        else:
            entry = root.item_table(key, i, item)
            entry.only(("text", "hours"))
            template = entry.text("text")
            windows[template] = _window(entry)
        _check_template(root, template, known, key, i)
        templates.append(template)
    return tuple(templates), windows


def _window(entry: Entry) -> tuple[int, int]:
    hours = entry.items("hours")
    whole = [hour for hour in hours if isinstance(hour, int) and not isinstance(hour, bool)]
    if len(hours) != 2 or len(whole) != 2:
        entry.fail("must be [FIRST, END]: two whole Jakarta hours", "hours")
    first, end = whole
    if not (0 <= first <= 23 and 0 <= end <= 24) or first == end:
        entry.fail(f"hours {hours} is no window: FIRST 0-23, END 0-24, not equal", "hours")
    return first, end


def _background(root: Entry, known: frozenset[str]) -> Background:
    root.only(("social_en", "social_id", "diplomatic_en", "diplomatic_id", "news_en", "news_id"))
    social_en, windows_en = _social_with_windows(root, "social_en", known)
    social_id, windows_id = _social_with_windows(root, "social_id", known)
    return Background(
        social_en=social_en,
        social_id=social_id,
        diplomatic_en=_templates(root, "diplomatic_en", known),
        diplomatic_id=_templates(root, "diplomatic_id", known),
        news_en=_articles(root, "news_en", known),
        news_id=_articles(root, "news_id", known),
        time_windows={**windows_en, **windows_id},
    )


def _bursts(root: Entry, known: frozenset[str]) -> tuple[Burst, ...]:
    root.only(("burst",))
    out = []
    for entry in root.tables("burst"):
        entry.only(("name", "start", "duration", "volume", *LANGS))
        volume = entry.number("volume")
        if volume < 1.0:
            entry.fail("volume is times the background rate: at least 1", "volume")
        out.append(
            Burst(
                name=entry.text("name"),
                offset_s=_hh_mm(entry, "start", positive=False),
                duration_s=_hh_mm(entry, "duration", positive=True),
                volume=volume,
                en=_templates(entry, "en", known),
                id=_templates(entry, "id", known),
            )
        )
    return tuple(out)


def _outlets(root: Entry) -> tuple[tuple[Outlet, ...], tuple[str, ...]]:
    root.only(("bylines", "outlet"))
    out: list[Outlet] = []
    for entry in root.tables("outlet"):
        entry.only(("domain", "lang", "handle", "url"))
        domain, lang, url = entry.text("domain"), entry.text("lang"), entry.text("url")
        if lang not in LANGS:
            entry.fail(f"lang is en or id, not {lang!r}", "lang")
        if any(o.domain == domain for o in out):
            entry.fail(f"{domain!r} is listed twice", "domain")
        if not url.startswith("https://"):
            entry.fail("an article's URL starts with https://", "url")
        fields = ", ".join(f"{{{name}}}" for name in URL_FIELDS)
        _check_template(entry, url, frozenset(URL_FIELDS), "url", unknown=f"a URL is made of {fields}")
        out.append(Outlet(domain, lang, entry.text("handle"), url))
    for lang in LANGS:
        if not any(o.lang == lang for o in out):
            root.fail(f"no outlet writes in {lang}", "outlet")
    return tuple(out), root.texts("bylines")


def _authors(root: Entry) -> tuple[tuple[str, ...], tuple[str, ...]]:
    root.only(("first", "second"))
    return root.texts("first"), root.texts("second", empty_items=True)


def _text(root: Entry) -> Text:
    week = ("weekdays_en", "weekdays_id")
    lists = ("prefix_en", "prefix_id", "emoji_serious", "tail_en", "tail_id", "echo_openers_en", "echo_openers_id")
    root.only((*lists, *week, "shorten"))
    for key in week:
        if len(root.items(key)) != 7:
            root.fail("seven weekdays, Monday first", key)
    shorten_entry = root.sub("shorten")
    shorten = {word: shorten_entry.text(word) for word in shorten_entry.names()}
    values = {key: root.texts(key, empty_items=key.startswith("prefix")) for key in (*lists, *week)}
    return Text(**values, shorten=shorten)


def _own_fillers(root: Entry, key: str, countries: Countries, taken: frozenset[str]) -> dict[str, Filler]:
    """A scenario's [slots] or [facts]: fillers by name, in the order written."""
    if not root.has(key):
        return {}
    entry = root.sub(key)
    out: dict[str, Filler] = {}
    for name in entry.names():
        _filler_name(entry, name, frozenset(WEEKDAY_FACTS))
        if name in taken:
            entry.fail("is also a slot or fact of this scenario: facts win, so one would never be used", name)
        out[name] = _filler(entry, name, countries)
    return out


def _computed_facts(root: Entry) -> tuple[FactsFunction | None, tuple[str, ...]]:
    if not root.has("computed_facts"):
        return None, ()
    entry = root.sub("computed_facts")
    function = entry.text("function")
    spec = fillers.COMPUTED_FACTS.get(function)
    if spec is None:
        entry.fail(
            f"unknown function {function!r} (demo/fillers.py has {', '.join(fillers.COMPUTED_FACTS)})", "function"
        )
    entry.only(("function", *spec.lists))
    lists: dict[str, tuple[str | float, ...]] = {}
    for key, item_type in spec.lists.items():
        checked: list[str | float] = []
        for i, item in enumerate(entry.items(key)):
            if item_type is str and isinstance(item, str) and item:
                checked.append(item)
            elif item_type is float and isinstance(item, int | float) and not isinstance(item, bool):
                checked.append(float(item))
            else:
                entry.fail(f"must be a {'non-empty string' if item_type is str else 'number'}", key, i)
        lists[key] = tuple(checked)
    return spec.build(lists), spec.provides


def _facts_function(drawn: Mapping[str, Filler], computed: FactsFunction | None) -> FactsFunction:
    if not drawn and computed is None:
        return _no_facts
    ordered = tuple(drawn.items())

    def draw(rng: random.Random) -> dict[str, str]:
        out = {name: fillers.pick(one, rng) for name, one in ordered}  # in the file's order
        if computed is not None:
            out.update(computed(rng))
        return out

    return draw


def _scenario(root: Entry, countries: Countries, known: frozenset[str]) -> Scenario:
    root.only(
        ("name", "social_en", "social_id", "news_en", "news_id"),
        ("tags_en", "tags_id", "slots", "facts", "computed_facts"),
    )
    slots = _own_fillers(root, "slots", countries, frozenset())
    drawn = _own_fillers(root, "facts", countries, frozenset(slots))
    computed, provided = _computed_facts(root)
    for name in provided:
        if name in slots or name in drawn:
            root.fail(f"{{{name}}} is also a computed fact: facts win, so one would never be used", "computed_facts")
    here = known | set(slots) | set(drawn) | set(provided) | set(WEEKDAY_FACTS)
    return Scenario(
        name=root.text("name"),
        social_en=_templates(root, "social_en", here),
        social_id=_templates(root, "social_id", here),
        news_en=_articles(root, "news_en", here),
        news_id=_articles(root, "news_id", here),
        tags_en=root.texts("tags_en") if root.has("tags_en") else (),
        tags_id=root.texts("tags_id") if root.has("tags_id") else (),
        slots=slots,
        facts=_facts_function(drawn, computed),
    )


def _scenarios(data_dir: Path, countries: Countries, known: frozenset[str]) -> dict[str, Scenario]:
    out: dict[str, Scenario] = {}
    for path in sorted((data_dir / "scenarios").glob("*.toml")):
        file = DataFile.read(data_dir, f"scenarios/{path.name}")
        if not _EVENT_ID.match(path.stem):
            raise DemoDataError(file.name, None, "the file's name is its event id: lower-case words joined by -")
        out[path.stem] = _scenario(file.root(), countries, known)
    return out


def _generic(root: Entry, known: frozenset[str]) -> Generic:
    root.only(("fallback_type", "suffixes", "lede_en", "lede_id", "types"))
    here = known | set(GENERIC_FACTS) | set(WEEKDAY_FACTS)
    suffixes = root.texts("suffixes", empty_items=True)
    for i, suffix in enumerate(suffixes):
        _check_template(root, suffix, here, "suffixes", i)
    types_entry = root.sub("types")
    types: dict[str, GenericWording] = {}
    for code in types_entry.names():
        wording = types_entry.sub(code)
        wording.only(("social_en", "social_id", "headline_en", "headline_id"))
        for key in ("headline_en", "headline_id"):
            _check_template(wording, wording.text(key), here, key)
        types[code] = GenericWording(
            social_en=_templates(wording, "social_en", here),
            social_id=_templates(wording, "social_id", here),
            headline_en=wording.text("headline_en"),
            headline_id=wording.text("headline_id"),
        )
    fallback = root.text("fallback_type")
    if fallback not in types:
        root.fail(f"{fallback!r} is not one of [types]", "fallback_type")
    for key in ("lede_en", "lede_id"):
        _check_template(root, root.text(key), here, key)
    return Generic(types, fallback, suffixes, root.text("lede_en"), root.text("lede_id"))


def _language_mix(entry: Entry) -> dict[str, float]:
    mix_entry = entry.sub("language_mix")
    mix_entry.only((), LANGS)
    mix = {lang: mix_entry.number(lang) for lang in mix_entry.names()}
    if any(share < 0 for share in mix.values()) or abs(sum(mix.values()) - 1.0) > 1e-9:
        entry.fail(f"shares {mix} must be at least 0 and sum to 1", "language_mix")
    return mix


def _incident(
    entry: Entry, scenarios: Mapping[str, Scenario], generic: Generic, countries: Countries
) -> ScriptedIncident:
    keys = ("event_id", "onset", "duration", "language_mix", "peak_posts_per_min", "news_reports", "expected_type")
    entry.only((*keys, "countries"))
    event_id = entry.text("event_id")
    if event_id not in scenarios:
        entry.fail(f"no scenarios/{event_id}.toml gives its wording", "event_id")
    peak, news = entry.number("peak_posts_per_min"), entry.integer("news_reports")
    if peak < 0 or news < 0:
        entry.fail(
            "a volume and a number of articles are at least 0", "peak_posts_per_min" if peak < 0 else "news_reports"
        )
    if peak == 0 and news == 0:
        entry.fail("an incident without social posts needs news_reports", "news_reports")
    expected_type = entry.text("expected_type")
    if expected_type not in generic.types:
        entry.fail(f"{expected_type!r} is not a type of generic.toml", "expected_type")
    codes = entry.texts("countries")
    for i, code in enumerate(codes):
        if code not in countries.names:
            entry.fail(f"{code!r} is not a country of countries.toml", "countries", i, value=code)
    return ScriptedIncident(
        event_id=event_id,
        onset_offset_s=_hh_mm(entry, "onset", positive=False),
        duration_s=_hh_mm(entry, "duration", positive=True),
        language_mix=_language_mix(entry),
        peak_posts_per_min=peak,
        news_reports=news,
        expected_type=expected_type,
        countries=codes,
    )


def _day(
    root: Entry, scenarios: Mapping[str, Scenario], generic: Generic, countries: Countries
) -> tuple[ScriptedIncident, ...]:
    root.only(("incident",))
    out: list[ScriptedIncident] = []
    for entry in root.tables("incident"):
        incident = _incident(entry, scenarios, generic, countries)
        if any(other.event_id == incident.event_id for other in out):
            entry.fail(f"{incident.event_id!r} is scripted twice", "event_id")
        out.append(incident)
    return tuple(out)


def load(data_dir: Path = DATA_DIR) -> DemoData:
    """Every demo data file of ``data_dir``, checked; :class:`DemoDataError` names a bad entry's file and line.

    The files are read in the order their checks need: the countries before the fillers (country_names), the
    fillers before every template, generic.toml's types and the scenarios before the day."""

    def root(name: str) -> Entry:
        return DataFile.read(data_dir, name).root()

    countries = _countries(root("countries.toml"))
    pool = _fillers(root("fillers.toml"), countries)
    known = frozenset({*pool, MENTION})
    generic = _generic(root("generic.toml"), known)
    scenarios = _scenarios(data_dir, countries, known)
    outlets, bylines = _outlets(root("outlets.toml"))
    first, second = _authors(root("authors.toml"))
    emoji = pool["emoji"]
    assert isinstance(emoji, tuple)  # _fillers refuses anything else
    return DemoData(
        incidents=_day(root("day.toml"), scenarios, generic, countries),
        scenarios=scenarios,
        generic=generic,
        fillers=pool,
        emoji=emoji,
        countries=countries,
        background=_background(root("background.toml"), known),
        bursts=_bursts(root("bursts.toml"), known),
        outlets=outlets,
        bylines=bylines,
        first_names=first,
        second_names=second,
        text=_text(root("text.toml")),
    )
