"""The demo feed's data files (demo/data/) and their loader (demo/scenarios.py).

The files load; each kind of bad entry is refused with the file's name and line; the loaded data is what
demo/feed.py held as Python literals before it moved to the files; and the posts of a fixed seed are what they
were then, byte for byte.
"""

from __future__ import annotations

import dataclasses
import glob
import hashlib
import itertools
import json
import random
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import orjson
import pytest

from demo import feed
from demo.scenarios import DATA_DIR, DemoData, DemoDataError, ScriptedIncident, load
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def data() -> DemoData:
    return load()


def _samples(filler: object) -> object:
    """A word list as it is; a drawn filler as what it draws for seeds 0..19 (and the draw after it)."""
    if isinstance(filler, tuple):
        return list(filler)
    assert callable(filler)
    out = []
    for seed in range(20):
        rng = random.Random(seed)
        out.append([filler(rng), rng.random()])
    return out


def _canonical(data: DemoData) -> bytes:
    """Everything loaded, as JSON (drawn fillers and facts by what they draw for fixed seeds)."""
    url_fields = {"slug": "s", "y": "2026", "m": "11", "d": "28", "num": 1234567, "two_digits": 42}
    scenarios = {
        event_id: [
            s.name,
            s.social_en,
            s.social_id,
            s.news_en,
            s.news_id,
            s.tags_en,
            s.tags_id,
            {name: _samples(slot) for name, slot in s.slots.items()},
            [s.facts(random.Random(seed)) for seed in range(5)],
        ]
        for event_id, s in data.scenarios.items()
    }
    background = data.background
    text = data.text
    everything: dict[str, Any] = {
        "incidents": [dataclasses.astuple(incident) for incident in data.incidents],
        "scenarios": scenarios,
        "generic": [
            {code: [w.social_en, w.social_id, w.headline_en, w.headline_id] for code, w in data.generic.types.items()},
            data.generic.fallback_type,
            data.generic.suffixes,
            data.generic.lede_en,
            data.generic.lede_id,
        ],
        "fillers": {name: _samples(filler) for name, filler in data.fillers.items()},
        "emoji": data.emoji,
        "countries": [data.countries.names, data.countries.friendly, data.countries.iso_by_name],
        "background": [
            background.social_en,
            background.social_id,
            background.diplomatic_en,
            background.diplomatic_id,
            background.news_en,
            background.news_id,
            sorted(background.time_windows.items()),
        ],
        "bursts": [[b.offset_s, b.duration_s, b.volume, b.en, b.id] for b in data.bursts],
        "outlets": [[o.domain, o.lang, o.handle, o.url.format(**url_fields)] for o in data.outlets],
        "people": [data.bylines, data.first_names, data.second_names],
        "text": [
            [text.prefix_en, text.prefix_id, text.emoji_serious, text.tail_en, text.tail_id],
            [text.echo_openers_en, text.echo_openers_id, text.weekdays_en, text.weekdays_id],
            sorted(text.shorten.items()),
        ],
    }
    return json.dumps(everything, sort_keys=True, ensure_ascii=False).encode()


# ------------------------------------------------------------------ the files as shipped


def test_the_data_loads_and_is_what_the_code_held_before(data: DemoData) -> None:
    # Measured on the literals of demo/feed.py before they moved to demo/data/ (the same _canonical, applied to
    # the old module's tuples and functions). Editing a data file on purpose changes it: print
    # hashlib.md5(_canonical(load())).hexdigest() and pin the new value with the commit that explains the edit.
    digest = hashlib.md5(_canonical(data)).hexdigest()
    assert digest == "dc3f16e5a980136b019721c8cdf95119", f"the demo data now digests to {digest}"
    assert (len(data.incidents), len(data.scenarios), len(data.fillers)) == (8, 8, 40)
    assert data.incidents[5] == ScriptedIncident(
        "nl-expels-ru-diplomats", 47160.0, 600.0, {"en": 1.0}, 0.0, 1, "161", ("NL", "RU")
    )
    assert data.background.time_windows["Tengah malem laper, akhirnya pesen {makanan} lewat ojol"] == (22, 3)
    assert data.countries.names["GB"] == ("the United Kingdom", "Inggris")
    assert [b.offset_s for b in data.bursts] == [3.0 * 3600, 5.1 * 3600, 13.4 * 3600]


def test_the_feed_draws_from_the_loaded_data(data: DemoData) -> None:
    assert data.incidents == feed.DEFAULT_INCIDENTS
    assert feed.ScriptedIncident is ScriptedIncident  # the public name demo.feed always had


def test_the_first_posts_of_a_seed_are_byte_for_byte_what_they_were() -> None:
    # A legitimate pin: measured before the scenarios moved from Python literals to demo/data/, it proves the
    # move kept every word and every random draw in its order. A deliberate change to the data or the generator
    # changes it: check the new posts (`pantau demo --out d.jsonl`), then pin the printed digest here and the
    # demo day's alerts in tests/unit/test_alert_digests.py in the same commit.
    posts = b"".join(orjson.dumps(p) + b"\n" for p in itertools.islice(feed.generate(seed=7), 2000))
    digest = hashlib.md5(posts).hexdigest()
    assert digest == "ca5ae6e586c1a45f662e4dfddc8b5cc8", f"the first 2000 posts of seed 7 now have md5 {digest}"


def test_the_generator_needs_neither_kafka_nor_the_detection_core() -> None:
    probe = (
        "import sys, demo.feed; print(sorted({m.split('.')[0] for m in sys.modules} & {'detectors', 'kafka', 'river'}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_the_package_ships_every_data_file() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["demo"]
    shipped = {Path(p) for pattern in patterns for p in glob.glob(str(ROOT / "demo" / pattern))}
    assert shipped == {p for p in DATA_DIR.rglob("*") if p.is_file()}


def test_every_data_file_says_what_it_holds() -> None:
    for path in DATA_DIR.rglob("*.toml"):
        head = path.read_text(encoding="utf-8").splitlines()[:3]
        assert all(line.startswith("#") for line in head), path
        assert "Who edits it" in path.read_text(encoding="utf-8"), path


# ------------------------------------------------------------------ bad entries


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(data_dir: Path, name: str, old: str, new: str) -> int:
    """Replace the first ``old`` in a data file by ``new``; the 1-based line where ``new`` starts."""
    path = data_dir / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return text[:at].count("\n") + 1 + new[: len(new) - len(new.lstrip("\n"))].count("\n")


NATUNA = "scenarios/natuna-cn-coastguard-clash.toml"
BAD_ENTRIES = [
    # (file, old text, new text, what the message says)
    ("day.toml", 'news_reports = 2\nexpected_type = "141"', 'colour = "red"\nnews_reports = 2', "unknown key"),
    ("day.toml", "news_reports = 3", 'news_reports = "3"', "incident[0].news_reports: must be an integer, not str"),
    ("day.toml", 'onset = "04:18"', 'onset = "4h18"', 'is not a time "HH:MM"'),
    ("day.toml", 'duration = "03:30"', 'duration = "00:00"', "must be longer than 00:00"),
    ("day.toml", "language_mix = { en = 0.15, id = 0.85 }", "language_mix = { en = 0.15, id = 0.8 }", "sum to 1"),
    ("day.toml", "language_mix = { en = 0.15, id = 0.85 }", "language_mix = { en = 0.15, fr = 0.85 }", "unknown key"),
    ("day.toml", 'event_id = "in-rice-export-ban"', 'event_id = "in-rice-ban"', "no scenarios/in-rice-ban.toml"),
    ("day.toml", 'event_id = "in-rice-export-ban"', 'event_id = "id-summons-au-ambassador"', "scripted twice"),
    ("day.toml", 'expected_type = "163"', 'expected_type = "999"', "not a type of generic.toml"),
    ("day.toml", 'countries = ["IN", "ID"]', 'countries = ["IN", "XX"]', "'XX' is not a country of countries.toml"),
    ("day.toml", 'countries = ["IN", "ID"]', "countries = []", "must have at least 1 item"),
    (
        "day.toml",
        'expected_type = "11"',
        'news_reports = 4\nexpected_type = "11"',
        "not TOML: Cannot overwrite a value",
    ),
    ("fillers.toml", 'n = { kind = "number", lo = 2, hi = 60 }', 'n = { kind = "number", lo = 2.5, hi = 60 }', "n.lo"),
    ("fillers.toml", 'n = { kind = "number", lo = 2, hi = 60 }', 'n = { kind = "number", lo = 61, hi = 60 }', "above"),
    (
        "fillers.toml",
        'n = { kind = "number", lo = 2, hi = 60 }',
        'n = { kind = "dice", lo = 2, hi = 60 }',
        "unknown kind",
    ),
    (
        "fillers.toml",
        'n = { kind = "number", lo = 2, hi = 60 }',
        'n = { kind = "number", lo = 2, top = 60 }',
        "unknown key",
    ),
    ("fillers.toml", 'n = { kind = "number", lo = 2, hi = 60 }', 'n = "2-60"', "a word list or a table with a kind"),
    ("fillers.toml", 'n = { kind = "number", lo = 2, hi = 60 }', 'mention = ["@x"]', "filled by the generator itself"),
    ("fillers.toml", "minutes = [0, 15, 30, 45]", "minutes = [0, 15, 30, 75]", "a minute is an integer 0-59"),
    ("fillers.toml", '    "Shopee",\n', "    7,\n", "must be a string, not int"),
    ("background.toml", "hours = [21, 2]", "hours = [21, 25]", "is no window"),
    ("background.toml", "hours = [21, 2]", "hours = [21]", "must be [FIRST, END]"),
    ("background.toml", "hours = [21, 2]", "hours = [21, 21]", "is no window"),
    ("background.toml", "hours = [21, 2]", "hours = [21, 2], days = 3", "unknown key"),
    ("background.toml", "Stuck on {road} again", "Stuck on {raod} again", "unknown {raod}"),
    ("background.toml", "Stuck on {road} again", "Stuck on {road:>9} again", "only a plain {name} is filled"),
    ("background.toml", "Stuck on {road} again", "Stuck on {road again", "is not a template"),
    ("background.toml", "officials said, with construction", "officials said {day_en}, with", "unknown {day_en}"),
    (NATUNA, "{injured} fishermen injured", "{wounded} fishermen injured", "unknown {wounded}"),
    (NATUNA, 'headline = "Indonesia deploys', 'headline = 12\n# "Indonesia deploys', "must be a string, not int"),
    (NATUNA, 'injured = { kind = "number", lo = 2, hi = 6 }', "injured = 2", "a word list or a table with a kind"),
    (NATUNA, 'tags_en = ["#Natuna"', 'tags = ["#Natuna"', "unknown key"),
    ("scenarios/tr-earthquake-wni-consular.toml", 'function = "quake"', 'function = "flood"', "unknown function"),
    ("scenarios/tr-earthquake-wni-consular.toml", "magnitudes = [6.4,", 'magnitudes = ["6.4",', "must be a number"),
    ("generic.toml", 'fallback_type = "11"', 'fallback_type = "12"', "is not one of [types]"),
    ("generic.toml", '"{a_en} expels {b_en} diplomats"', '"{a_en} expels {c_en} diplomats"', "unknown {c_en}"),
    ("bursts.toml", "volume = 2.5", "volume = 0.5", "at least 1"),
    ("bursts.toml", 'start = "05:06"', "start = 5.1", "must be a string, not float"),
    ("countries.toml", '"NZ", "IN"]', '"NZ", "ZZ"]', "'ZZ' has no names"),
    ("countries.toml", 'TR = { en = "Turkey", id = "Turki" }', 'TR = { en = "Turkey", id = "Jepang" }', "both called"),
    ("outlets.toml", "{slug}-{y}-{m}-{d}/", "{slug}-{year}/", "a URL is made of {slug}, {y}"),
    ("outlets.toml", 'lang = "en"', 'lang = "fr"', "lang is en or id"),
    ("text.toml", '"Saturday", "Sunday"]', '"Saturday"]', "seven weekdays"),
    ("authors.toml", '    "andi",\n', '    "",\n', "must not be an empty string"),
]


@pytest.mark.parametrize(("name", "old", "new", "says"), BAD_ENTRIES, ids=[f"{b[0]}:{b[3]}" for b in BAD_ENTRIES])
def test_a_bad_entry_is_refused_with_its_file_and_line(copy: Path, name: str, old: str, new: str, says: str) -> None:
    line = _edit(copy, name, old, new)
    with pytest.raises(DemoDataError) as caught:
        load(copy)
    message = str(caught.value)
    assert message.startswith(f"demo/data/{name}:{line}: "), message
    assert says in message, message
    assert (caught.value.name, caught.value.line) == (name, line)


def test_a_missing_key_is_refused_at_its_table(copy: Path) -> None:
    _edit(copy, "day.toml", "peak_posts_per_min = 8.0\n", "")
    header = (copy / "day.toml").read_text(encoding="utf-8").splitlines().index("[[incident]]") + 1
    with pytest.raises(DemoDataError, match=rf"^demo/data/day\.toml:{header}: incident\[0\]: missing key 'peak_posts"):
        load(copy)


def test_a_template_referencing_an_unknown_filler_is_refused(copy: Path) -> None:
    # A filler that fillers.toml no longer has: every template that uses it is refused, the first named.
    text = (copy / "fillers.toml").read_text(encoding="utf-8")
    (copy / "fillers.toml").write_text(text.replace('temp = { kind = "number", lo = 29, hi = 35 }\n', ""))
    with pytest.raises(DemoDataError, match=r"unknown \{temp\}") as caught:
        load(copy)
    assert caught.value.name == "background.toml"
    source = (copy / "background.toml").read_text(encoding="utf-8").splitlines()
    assert caught.value.line is not None and "{temp}" in source[caught.value.line - 1]


def test_a_slot_is_a_filler_of_its_own_scenario_only(copy: Path) -> None:
    # {target_en} is a slot of the ambassador scenario: the background cannot use it.
    _edit(copy, "background.toml", "Stuck on {road} again", "Stuck on {target_en} again")
    with pytest.raises(
        DemoDataError, match=r"background\.toml:\d+: social_en\[6\]: unknown \{target_en\}.*no filler of fillers.toml"
    ):
        load(copy)


def test_a_missing_file_is_named(copy: Path) -> None:
    (copy / "outlets.toml").unlink()
    with pytest.raises(DemoDataError, match=r"^demo/data/outlets\.toml: missing"):
        load(copy)


def test_a_scenario_file_is_named_by_its_event_id(copy: Path) -> None:
    shutil.copy(copy / NATUNA, copy / "scenarios" / "Natuna Clash.toml")
    with pytest.raises(DemoDataError, match=r"scenarios/Natuna Clash\.toml: the file's name is its event id"):
        load(copy)
