"""The lexicon as data (detectors/data/lexicon.toml, read by detectors.cues): the shipped file loads into the
very cues the code held before it moved there, and each kind of bad entry is refused with the file's name and
the entry's line."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from detectors import lexicon
from detectors.cues import LEXICON_FILE, load_lexicon, parse_lexicon
from detectors.entities import canonical_tokens
from detectors.reference import ReferenceDataError, data_path
from detectors.text import normalise_text
from detectors.toml_lines import value_lines

TEXT = data_path(LEXICON_FILE).read_text(encoding="utf-8")


def _line(text: str, needle: str) -> int:
    """The line (from 1) of the only line of ``text`` holding ``needle``: found by hand, not by the loader."""
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(lines) == 1, (needle, lines)
    return lines[0]


def _edited(old: str, new: str) -> tuple[str, int]:
    """The shipped file with its one ``old`` replaced by ``new``, and the line of the edit."""
    assert TEXT.count(old) == 1, old
    text = TEXT.replace(old, new)
    return text, _line(text, new.splitlines()[0]) if new.strip() else _line(TEXT, old.strip())


def _refusal(text: str) -> ReferenceDataError:
    with pytest.raises(ReferenceDataError) as refused:
        parse_lexicon(text, LEXICON_FILE)
    assert refused.value.name == LEXICON_FILE
    assert str(refused.value).startswith(f"detectors/data/{LEXICON_FILE}:{refused.value.line}: ")
    return refused.value


# --- the shipped file ----------------------------------------------------------------------------------------


def test_the_shipped_file_loads() -> None:
    loaded = load_lexicon()
    assert len(loaded.types) == 18 and loaded.types[-1].code == "OTHER"
    assert len(loaded.cues) == 156 and len(loaded.severe_cues) == 23 and len(loaded.state_actors) == 2
    assert {entry.code for entry in loaded.cues} == {t.code for t in loaded.types}
    assert [name for name, _ in loaded.concepts] == [
        *("explosion", "bombing", "shooting", "earthquake", "flood", "storm", "wildfire")
    ]
    assert load_lexicon() is loaded  # read once


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()[:16]


def _cue(cue: lexicon._Cue) -> tuple[object, ...]:
    return (tuple(sorted(cue.words)), cue.code, cue.weight, tuple(sorted(cue.unless)), cue.order)


def _cues(index: lexicon._CueIndex) -> list[tuple[object, ...]]:
    return [_cue(cue) for cue in index.cues]


def _anchors(index: lexicon._CueIndex) -> list[tuple[str, list[tuple[object, ...]]]]:
    return [(word, [_cue(cue) for cue in cues]) for word, cues in index.by_anchor.items()]


# Digests of what detectors/lexicon.py built from its Python literals, taken before they moved to the file:
# every concrete cue (words, type, weight, unless words, order) of the post, severe and severe-actor tables,
# their anchor maps in order, the types, the veto words, the concepts and the seeds.
BEFORE = {
    "post cues": (6880, "be26e59593d2fc7b", "0ce2de49e90ea558"),
    "severe cues": (786, "b4f2c6d61be391bf", "89cfad2e3f755797"),
    "severe actor cues": (67, "951d7f9e22748628", "a5f6f9c4fa6a97ce"),
}


@pytest.mark.parametrize(
    ("table", "index"),
    [
        ("post cues", lexicon._INDEX),
        ("severe cues", lexicon._SEVERE_INDEX),
        ("severe actor cues", lexicon._SEVERE_ACTOR_INDEX),
    ],
)
def test_the_compiled_cues_are_those_the_code_held(table: str, index: lexicon._CueIndex) -> None:
    size, cues, anchors = BEFORE[table]
    assert (len(_cues(index)), _digest(_cues(index)), _digest(_anchors(index))) == (size, cues, anchors)


def test_the_types_veto_concepts_and_seeds_are_those_the_code_held() -> None:
    types = [(k, t.code, t.label, t.goldstein, type(t.goldstein).__name__) for k, t in lexicon.TYPES.items()]
    assert _digest(types) == "1f6cd1bb1a69e806"
    assert lexicon.TYPES["163"] == lexicon.IncidentType("163", "impose embargo, sanctions, trade ban or tariff", -8.0)
    assert (len(lexicon._SEVERE_VETO), _digest(sorted(lexicon._SEVERE_VETO))) == (52, "427b4fcab29a8e3f")
    assert _digest(list(lexicon.CONCEPTS.items())) == "07c6dc1db3138fbc"
    assert lexicon.CONCEPTS["ledakan"] == "~explosion" and lexicon.CONCEPTS["topan"] == "~storm"
    seeds: tuple[tuple[str, ...], ...] = (
        lexicon.DIPLOMATIC_SEED_EN,
        lexicon.DIPLOMATIC_SEED_ID,
        lexicon.BACKGROUND_SEED_EN,
    )
    seeds += (lexicon.BACKGROUND_SEED_ID,)
    assert [len(s) for s in seeds] == [32, 32, 30, 30] and _digest(seeds) == "0f8fbd61b7ea20ff"
    assert lexicon.DIPLOMATIC_SEED_ID[0] == "Kemlu memanggil Dubes Australia terkait kasus penyadapan"


# Made-up sentences, and what the code gave them before its words moved to the file: (type, confidence,
# severe-path type, concepts).
SENTENCES = [
    ("Ministry summons the Freedonian envoy over remarks about its fishermen", "114", 0.85, "114", ()),
    ("Ruritania expels three diplomats after espionage claims", "161", 0.9, "161", ()),
    ("Government lifts export ban on nickel ore", None, 0.0, None, ()),
    ("Protesters burn flags outside the embassy", "14", 0.92, None, ()),
    ("Floods strand Indonesian tourists, consulate opens a hotline", "CONSULAR", 0.985, None, ("~flood",)),
    ("Coast guard vessel rammed a fishing boat near the reef", "19", 0.992, None, ()),
    ("I love the new ramen place near the station", None, 0.0, None, ()),
    ("Foreign minister to visit next week", "OTHER", 0.3, None, ()),
    ("Ruritania threatens to expel two diplomats", "161", 0.9, None, ()),
    ("Two explosions near the embassy, a blast heard downtown", "18", 0.96, None, ("~explosion",)),
    ("Kemlu memanggil dubes Ruritania terkait penyadapan", "114", 0.8875, "114", ()),
    ("Usir aja dubesnya kalo terbukti nyadap", "OTHER", 0.3, "161", ()),
    ("Pemerintah larang ekspor pasir laut", "163", 0.8, "163", ()),
    ("Ratusan massa unjuk rasa di depan kedubes", "141", 0.94, None, ()),
    ("Gempa guncang kota, KBRI pastikan WNI selamat", "CONSULAR", 0.9925, None, ("~earthquake",)),
    ("Nelayan Indonesia ditangkap kapal patroli asing", "17", 0.93, None, ()),
    ("Macet parah di jalan tol pagi ini", None, 0.0, None, ()),
    ("Pemerintah putuskan hubungan diplomatik dengan Ruritania", "161", 0.85, "161", ()),
]


@pytest.mark.parametrize(("text", "code", "confidence", "severe", "concepts"), SENTENCES)
def test_classify_gives_the_types_it_gave_before(
    text: str, code: str | None, confidence: float, severe: str | None, concepts: tuple[str, ...]
) -> None:
    tokens = normalise_text(text).tokens
    itype, conf = lexicon.classify(tokens)
    trigger = lexicon.severe_news_trigger(tokens)
    assert (itype and itype.code, conf) == (code, confidence)
    assert (trigger and trigger.code) == severe
    assert lexicon.concepts_in(tokens) == concepts


def test_every_word_is_one_the_tokeniser_gives() -> None:
    # detectors.cues checks words by its own pattern (it cannot import detectors.text): the two must agree.
    loaded = load_lexicon()
    cues = loaded.cues + loaded.severe_cues + loaded.state_actors
    words = {word for cue in cues for slot in cue.slots for alternative in slot for word in alternative}
    words |= {word for cue in cues for word in cue.unless} | loaded.severe_veto | set(lexicon.CONCEPTS)
    for word in sorted(words):
        assert list(canonical_tokens(normalise_text(word).tokens)) == [word], word


# --- bad entries ---------------------------------------------------------------------------------------------

BAD_ENTRIES = [
    # (what, the shipped line, its bad replacement, the message's words)
    (
        "unknown group",
        '{ weight = 0.85, match = ["@summon", "@ambassador"] },',
        '{ weight = 0.85, match = ["@summon", "@ambasador"] },',
        "cues.114.0.match.1: no word group '@ambasador'",
    ),
    (
        "upper-case word in a one-line group",
        'summon = ["summon", "summons", "summoned", "summoning"]',
        'summon = ["summon", "Summons", "summoned", "summoning"]',
        "words.en.summon.1: 'Summons' is not lower case",
    ),
    (
        "upper-case word inside a long group",
        '    "rebukes", "rebuked",',
        '    "Rebukes", "rebuked",',
        "words.en.criticise.9: 'Rebukes' is not lower case",
    ),
    (
        "upper-case word in a cue",
        '{ weight = 0.9, match = ["nota", "protes"] },',
        '{ weight = 0.9, match = ["Nota", "protes"] },',
        "cues.114.7.match.0: 'Nota' is not lower case",
    ),
    (
        "word with a hyphen",
        '{ weight = 0.6, match = ["hunger", "strike"] },',
        '{ weight = 0.6, match = ["hunger-strike"] },',
        "cues.14.3.match.0: 'hunger-strike' is not one word as the tokeniser gives it",
    ),
    (
        "unknown key in a cue",
        '{ weight = 0.8, match = ["protest", "note"] },',
        '{ weight = 0.8, match = ["protest", "note"], unles = ["informal"] },',
        "cues.114.3.unles: unknown key 'unles' in a cue",
    ),
    (
        "unknown section",
        "[concepts]\n",
        "[concept]\n",
        "concept: unknown section [concept]",
    ),
    (
        "Goldstein above 10",
        '13 = { label = "threaten", goldstein = -4.4 }',
        '13 = { label = "threaten", goldstein = 14.4 }',
        "types.13.goldstein: goldstein 14.4 is outside [-10, 10]",
    ),
    (
        "Goldstein not a number",
        '13 = { label = "threaten", goldstein = -4.4 }',
        '13 = { label = "threaten", goldstein = "-4.4" }',
        "types.13.goldstein: expected a number, not a string",
    ),
    (
        "empty cue",
        '{ weight = 0.6, match = ["hunger", "strike"] },',
        "{ weight = 0.6, match = [] },",
        "cues.14.3.match: is empty: a cue must match at least one word",
    ),
    (
        "empty slot",
        '{ weight = 0.6, match = ["hunger", "strike"] },',
        '{ weight = 0.6, match = ["hunger", []] },',
        "cues.14.3.match.1: is an empty list",
    ),
    (
        "weight above 1",
        '{ weight = 0.6, match = ["hunger", "strike"] },',
        '{ weight = 1.6, match = ["hunger", "strike"] },',
        "cues.14.3.weight: weight 1.6 is outside (0, 1]",
    ),
    (
        "cue of an unknown type",
        '1312 = [\n    { weight = 0.8, match = ["@threaten", "@penalty"] },',
        '1313 = [\n    { weight = 0.8, match = ["@threaten", "@penalty"] },',
        "cues.1313: unknown type '1313': not in [types]",
    ),
    (
        "phrase among unless words",
        '{ weight = 0.8, match = ["protest", "note"] },',
        '{ weight = 0.8, match = ["protest", "note"], unless = ["verbal note"] },',
        "cues.114.3.unless.0: 'verbal note': unless takes single words",
    ),
    (
        "word twice in a group",
        'ties = ["ties", "relations"]',
        'ties = ["ties", "relations", "ties"]',
        "words.en.ties.2: 'ties' is listed twice",
    ),
    (
        "group defined in both languages",
        'ekspor = ["ekspor", "impor", "ekspornya", "impornya"]',
        'trade = ["ekspor", "impor", "ekspornya", "impornya"]',
        "words.id.trade: group 'trade' is also defined in words.en",
    ),
    (
        "group used by no cue",
        'ties = ["ties", "relations"]',
        'links = ["links"]\nties = ["ties", "relations"]',
        "words.en.links: group @links is used by no cue",
    ),
    (
        "word in two concepts",
        'flood = ["flood", "floods", "flooding", "flooded", "banjir"]',
        'flood = ["flood", "floods", "flooding", "flooded", "banjir", "quake"]',
        "concepts.flood.5: 'quake' is also a word of the concept 'earthquake'",
    ),
    (
        "empty seed sentence",
        '    "Weekend plan: sleep, eat, repeat",',
        '    " ",',
        "seeds.background.en.13: is an empty string",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), [case[1:] for case in BAD_ENTRIES], ids=[c[0] for c in BAD_ENTRIES])
def test_a_bad_entry_is_refused_with_its_line(old: str, new: str, message: str) -> None:
    text, line = _edited(old, new)
    refused = _refusal(text)
    assert refused.line == line, str(refused)
    assert message in str(refused)


def test_a_missing_type_is_refused() -> None:
    text, _ = _edited('OTHER = { label = "diplomatic but untyped", goldstein = 0.0 }\n', "\n")
    refused = _refusal(text)
    assert refused.line == TEXT.splitlines().index("[types]") + 1 and "the type OTHER is missing" in str(refused)


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        ('{ weight = 0.9, match = ["nota", "protes"] },', '{ weight = 0.9, match = ["nota" "protes"] },', 37),
        ('13 = { label = "threaten", goldstein = -4.4 }', '13 = { label = "threaten", goldstein = -4.4 ', 45),
        ('ties = ["ties", "relations"]', 'ties = [ties, "relations"]', 9),
        ('safe = ["safe", "unharmed", "accounted"]', 'safe = ["safe", "unharmed", "accounted"]\nsafe = ["ok"]', 14),
    ],
    ids=["missing comma", "unclosed inline table", "unquoted word", "key twice"],
)
def test_toml_syntax_errors_are_refused_with_their_line(old: str, new: str, column: int) -> None:
    text, line = _edited(old, new)
    if new.startswith("safe"):
        line += 1  # tomllib blames the second "safe"
    refused = _refusal(text)
    assert refused.line == line, str(refused)
    assert re.search(rf"not valid TOML: .* \(column {column}\)$", str(refused)), str(refused)


def test_a_file_cut_short_is_refused_at_its_end() -> None:
    text = TEXT[: TEXT.index('    "Listrik padam dua jam di kompleks kami",')]
    refused = _refusal(text)
    assert refused.line == text.count("\n") and "at the end of the file" in str(refused)


def test_lines_are_found_in_any_toml_the_loader_may_meet() -> None:
    text = (
        '# a "comment" with [brackets] = and {braces}\n'
        '"quoted.key" = { x = [1, [2, 3]], y = """multi\n'
        'line ] with "quotes" """ }\n'
        "[a]\n"
        "s = 'literal # not a comment'\n"
        "m = '''\n"
        "[not a table]\n"
        "'''\n"
        "list = [\n"
        "  # a comment line\n"
        '  "first", # after\n'
        "  { z = 1 },\n"
        "]\n"
        "[[many]]\n"
        "v = 1\n"
        "[[many]]\n"
        "v = 2\n"
        "[many.sub]\n"
        "dotted.key = 3\n"
    )
    lines = value_lines(text)
    assert lines[("quoted.key",)] == 2 and lines[("quoted.key", "x", 1, 0)] == 2 and lines[("quoted.key", "y")] == 2
    assert lines[("a",)] == 4 and lines[("a", "m")] == 6 and ("not a table",) not in lines
    assert lines[("a", "list", 0)] == 11 and lines[("a", "list", 1, "z")] == 12
    assert lines[("many", 0, "v")] == 15 and lines[("many", 1, "v")] == 17
    assert lines[("many", 1, "sub", "dotted", "key")] == 19


def test_the_routine_diplomacy_seeds_are_data_and_seed_the_not_relevant_side() -> None:
    from detectors.relevance import ROUTINE_DIPLOMACY_SEED

    assert (len(lexicon.ROUTINE_SEED_EN), len(lexicon.ROUTINE_SEED_ID)) == (10, 10)
    assert (*lexicon.ROUTINE_SEED_EN, *lexicon.ROUTINE_SEED_ID) == ROUTINE_DIPLOMACY_SEED
    assert ROUTINE_DIPLOMACY_SEED[3] == "Ambassador visits a batik workshop and tries traditional dance"
