"""The lexicon as data: incident types, word groups, cues, concepts and seed sentences from ``lexicon.toml``.

``detectors/data/lexicon.toml`` is written for a linguist to review (its header says how a cue matches). This
module reads it once and checks it: only the keys it knows, words as the tokeniser gives them (lower case,
letters and digits), every group a cue names defined and every group used, type codes in the types table,
Goldstein weights in [-10, 10], cue weights in (0, 1], nothing empty, nothing listed twice. A bad entry is a
:class:`~detectors.reference.ReferenceDataError` naming the file and the entry's line. ``detectors.lexicon``
compiles what it returns into its matchers.

>>> lexicon = load_lexicon()
>>> first = lexicon.cues[0]  # 114 = [{ weight = 0.85, match = ["@summon", "@ambassador"] }, ...]
>>> first.code, first.weight, first.slots[0], len(first.slots[1])
('114', 0.85, (('summon',), ('summons',), ('summoned',), ('summoning',)), 6)
>>> parse_lexicon('[types]\\n11 = { label = "row" goldstein = -2.0 }\\n')
Traceback (most recent call last):
...
detectors.reference.ReferenceDataError: detectors/data/lexicon.toml:2: not valid TOML: Unclosed inline table (column 22)
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import NoReturn

from detectors.reference import ReferenceDataError, data_path
from detectors.toml_lines import Path, line_of, syntax_error_position, value_lines

LEXICON_FILE = "lexicon.toml"
LANGUAGES = ("en", "id")
SEED_KINDS = ("diplomatic", "background", "routine")
REQUIRED_TYPES = ("CONSULAR", "OTHER")  # the code names them: consular assessment, diplomatic actors
GROUP_MARK = "@"

# A word as detectors.text tokenises a post and entities.canonical_tokens splits it: letters and digits only
# (hyphens split a token, apostrophes are dropped), lower case. (This module cannot import detectors.text,
# which imports the lexicon; tests/unit/test_lexicon_data.py holds the two to the same words.)
_WORD = re.compile(r"[^\W_]+")
_GROUP_NAME = re.compile(r"[a-z][a-z0-9_]*")
_TYPE_CODE = re.compile(r"[0-9]{2,4}|[A-Z]+")

_SECTIONS = ("types", "words", "cues", "severe", "concepts", "seeds")
_CUE_KEYS = ("weight", "match", "unless")
_ACTOR_KEYS = ("match", "unless")  # the severe path's state actors: no weight, they only have to be there
_KINDS: dict[type, str] = {dict: "a table", list: "a list", str: "a string", bool: "true or false"}
_KINDS.update({int: "a number", float: "a number"})


@dataclass(frozen=True, slots=True)
class TypeEntry:
    """An incident type: its CAMEO code (or CONSULAR / OTHER), a label, its Goldstein weight (-10 .. +10)."""

    code: str
    label: str
    goldstein: float


@dataclass(frozen=True, slots=True)
class CueEntry:
    """One cue as written: every slot must match; in a slot, any one alternative, all of whose words must be
    in the post. Any ``unless`` word cancels it."""

    code: str
    weight: float
    slots: tuple[tuple[tuple[str, ...], ...], ...]
    unless: frozenset[str]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """What ``lexicon.toml`` holds, checked, in the file's order."""

    types: tuple[TypeEntry, ...]
    cues: tuple[CueEntry, ...]  # a post's (classify); those of type OTHER are diplomatic actors
    severe_cues: tuple[CueEntry, ...]  # a news article's (severe_news_trigger)
    state_actors: tuple[CueEntry, ...]  # the severe path's actors besides the OTHER cues; type OTHER, weight 1
    severe_veto: frozenset[str]
    concepts: tuple[tuple[str, tuple[str, ...]], ...]  # (concept name, its words)
    seeds: Mapping[str, Mapping[str, tuple[str, ...]]]  # kind ("diplomatic", "background") -> language -> sentences


@cache
def load_lexicon() -> Lexicon:
    """The lexicon shipped in ``detectors/data/lexicon.toml``, read and checked once."""
    return parse_lexicon(data_path(LEXICON_FILE).read_text(encoding="utf-8"), LEXICON_FILE)


def parse_lexicon(text: str, name: str = LEXICON_FILE) -> Lexicon:
    """The lexicon in ``text``, a file named ``name``; a :class:`ReferenceDataError` names its first bad entry."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, message = syntax_error_position(error, text)
        raise ReferenceDataError(name, line, f"not valid TOML: {message}") from None
    return _Reader(document, text, name).lexicon()


def _dotted(path: Path) -> str:
    return ".".join(str(part) for part in path)


class _Reader:
    """Checks a parsed document section by section, and finds an entry's line only when one is refused."""

    def __init__(self, document: dict[str, object], text: str, name: str) -> None:
        self.document = document
        self.text = text
        self.name = name
        self.groups: dict[str, tuple[tuple[str, ...], ...]] = {}
        self.group_paths: dict[str, Path] = {}
        self.unused_groups: set[str] = set()
        self.type_codes: frozenset[str] = frozenset()

    def fail(self, path: Path, message: str) -> NoReturn:
        try:
            line = line_of(value_lines(self.text), path)
        except ValueError:  # the entry is refused either way; only its line is unknown
            line = None
        raise ReferenceDataError(self.name, line, f"{_dotted(path)}: {message}" if path else message)

    def lexicon(self) -> Lexicon:
        document = self.expect_table(self.document, (), required=_SECTIONS)
        types = self.types(self.expect_table(document["types"], ("types",)))
        self.type_codes = frozenset(t.code for t in types)
        self.word_groups(self.expect_table(document["words"], ("words",), required=LANGUAGES))
        cues = self.cue_table(document["cues"], ("cues",))
        severe = self.expect_table(document["severe"], ("severe",), required=("cues", "veto", "state_actors"))
        severe_cues = self.cue_table(severe["cues"], ("severe", "cues"))
        state_actors = tuple(
            self.cue(entry, ("severe", "state_actors", i), "OTHER", _ACTOR_KEYS)
            for i, entry in enumerate(self.expect_list(severe["state_actors"], ("severe", "state_actors")))
        )
        veto = self.expect_words(severe["veto"], ("severe", "veto"))
        concepts = self.concepts(self.expect_table(document["concepts"], ("concepts",)))
        seeds = self.seeds(self.expect_table(document["seeds"], ("seeds",), required=SEED_KINDS))
        for group in self.groups:  # the first unused one in the file
            if group in self.unused_groups:
                self.fail(self.group_paths[group], f"group {GROUP_MARK}{group} is used by no cue")
        return Lexicon(types, cues, severe_cues, state_actors, frozenset(veto), concepts, seeds)

    # --- shapes ---------------------------------------------------------------------------------------------

    def expect_table(self, value: object, path: Path, required: tuple[str, ...] | None = None) -> dict[str, object]:
        """A table; with ``required``, exactly those keys."""
        if not isinstance(value, dict):
            self.fail(path, f"expected a table, not {_kind(value)}")
        if required is not None:
            for key in value:
                if key not in required:
                    known = ", ".join(required)
                    what = f"key {key!r} in {_dotted(path)}" if path else f"section [{key}]"
                    self.fail((*path, key), f"unknown {what} (known: {known})")
            for key in required:
                if key not in value:
                    where = f"[{_dotted(path)}]" if path else "the file"
                    self.fail(path, f"{where} has no {key!r}")
        elif not value:
            self.fail(path, "is empty")
        return value

    def expect_list(self, value: object, path: Path) -> list[object]:
        if not isinstance(value, list):
            self.fail(path, f"expected a list, not {_kind(value)}")
        if not value:
            self.fail(path, "is an empty list")
        return value

    def expect_string(self, value: object, path: Path) -> str:
        if not isinstance(value, str):
            self.fail(path, f"expected a string, not {_kind(value)}")
        if not value.strip():
            self.fail(path, "is an empty string")
        return value

    def expect_number(self, value: object, path: Path, low: float, high: float, low_open: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, f"expected a number, not {_kind(value)}")
        if not (low < value if low_open else low <= value) or value > high:
            bounds = f"({low:g}, {high:g}]" if low_open else f"[{low:g}, {high:g}]"
            self.fail(path, f"{path[-1]} {value!r} is outside {bounds}")
        return float(value)

    def expect_word(self, value: object, path: Path) -> str:
        word = self.expect_string(value, path)
        if word != word.lower():
            self.fail(path, f"{word!r} is not lower case: posts are matched in lower case")
        if _WORD.fullmatch(word) is None:
            self.fail(
                path,
                f"{word!r} is not one word as the tokeniser gives it: letters and digits only (a hyphen splits a "
                'word, an apostrophe is dropped: write "d\'affaires" as "daffaires"; a phrase is words '
                "separated by single spaces, and only word groups and cues take phrases)",
            )
        return word

    def expect_phrase(self, value: object, path: Path) -> tuple[str, ...]:
        """A word, or words separated by single spaces: all of them must be in the post."""
        text = self.expect_string(value, path)
        words = text.split(" ")
        for word in words:
            if not word:
                self.fail(path, f"{text!r}: a phrase's words are separated by single spaces")
            self.expect_word(word, path)
        return tuple(words)

    def expect_words(self, value: object, path: Path) -> tuple[str, ...]:
        """A list of distinct single words."""
        words = tuple(self.expect_word(item, (*path, i)) for i, item in enumerate(self.expect_list(value, path)))
        self.distinct(words, path)
        return words

    def distinct(self, items: tuple[object, ...], path: Path, indexed: bool = True) -> None:
        """No item twice; ``indexed``: the items are the list at ``path``, so a repeat's line is its own."""
        seen: set[object] = set()
        for i, item in enumerate(items):
            if item in seen:
                shown = " ".join(item) if isinstance(item, tuple) else item
                self.fail((*path, i) if indexed else path, f"{shown!r} is listed twice")
            seen.add(item)

    # --- sections -------------------------------------------------------------------------------------------

    def types(self, table: dict[str, object]) -> tuple[TypeEntry, ...]:
        types = []
        for code, value in table.items():
            path = ("types", code)
            if _TYPE_CODE.fullmatch(code) is None:
                self.fail(path, f"type code {code!r} is neither a CAMEO code (2 to 4 digits) nor a NAME in capitals")
            entry = self.expect_table(value, path, required=("label", "goldstein"))
            label = self.expect_string(entry["label"], (*path, "label"))
            goldstein = self.expect_number(entry["goldstein"], (*path, "goldstein"), -10.0, 10.0)
            types.append(TypeEntry(code, label, goldstein))
        for code in REQUIRED_TYPES:
            if code not in table:
                self.fail(("types",), f"the type {code} is missing: the code relies on it")
        return tuple(types)

    def word_groups(self, languages: dict[str, object]) -> None:
        for language, value in languages.items():
            for name, words in self.expect_table(value, ("words", language)).items():
                path = ("words", language, name)
                if _GROUP_NAME.fullmatch(name) is None:
                    self.fail(path, f"group name {name!r}: lower-case letters, digits and _, from a letter")
                if name in self.groups:
                    self.fail(path, f"group {name!r} is also defined in {_dotted(self.group_paths[name][:2])}")
                alternatives = tuple(
                    self.expect_phrase(item, (*path, i)) for i, item in enumerate(self.expect_list(words, path))
                )
                self.distinct(alternatives, path)
                self.groups[name] = alternatives
                self.group_paths[name] = path
        self.unused_groups = set(self.groups)

    def group(self, reference: str, path: Path) -> tuple[tuple[str, ...], ...]:
        name = reference.removeprefix(GROUP_MARK)
        if name not in self.groups:
            self.fail(path, f"no word group {reference!r} in [words.{'] or [words.'.join(LANGUAGES)}]")
        self.unused_groups.discard(name)
        return self.groups[name]

    def alternatives(self, value: object, path: Path) -> tuple[tuple[str, ...], ...]:
        """A slot: a word, a phrase, a group, or a list of them; any one alternative matches it."""
        items = self.expect_list(value, path) if isinstance(value, list) else [value]
        alternatives: list[tuple[str, ...]] = []
        for i, item in enumerate(items):
            item_path = (*path, i) if isinstance(value, list) else path
            text = self.expect_string(item, item_path)
            if text.startswith(GROUP_MARK):
                alternatives.extend(self.group(text, item_path))
            else:
                alternatives.append(self.expect_phrase(text, item_path))
        self.distinct(tuple(alternatives), path, indexed=False)  # a group's words count as the slot's
        return tuple(alternatives)

    def cue_table(self, value: object, path: Path) -> tuple[CueEntry, ...]:
        cues = []
        for code, entries in self.expect_table(value, path).items():
            if code not in self.type_codes:
                self.fail((*path, code), f"unknown type {code!r}: not in [types]")
            for i, entry in enumerate(self.expect_list(entries, (*path, code))):
                cues.append(self.cue(entry, (*path, code, i), code, _CUE_KEYS))
        return tuple(cues)

    def cue(self, value: object, path: Path, code: str, keys: tuple[str, ...]) -> CueEntry:
        entry = self.expect_table(value, path)
        for key in entry:
            if key not in keys:
                self.fail((*path, key), f"unknown key {key!r} in a cue (known: {', '.join(keys)})")
        for key in keys:
            if key not in entry and key != "unless":
                self.fail(path, f"the cue has no {key!r}")
        weight = 1.0  # an actor's: it only has to be there
        if "weight" in keys:
            weight = self.expect_number(entry["weight"], (*path, "weight"), 0.0, 1.0, low_open=True)
        if entry["match"] == []:
            self.fail((*path, "match"), "is empty: a cue must match at least one word")
        match = self.expect_list(entry["match"], (*path, "match"))
        slots = tuple(self.alternatives(slot, (*path, "match", i)) for i, slot in enumerate(match))
        unless: list[str] = []
        if "unless" in entry:
            for i, item in enumerate(self.expect_list(entry["unless"], (*path, "unless"))):
                for words in self.alternatives(item, (*path, "unless", i)):
                    if len(words) > 1:
                        self.fail((*path, "unless", i), f"{' '.join(words)!r}: unless takes single words")
                    unless.append(words[0])
            self.distinct(tuple(unless), (*path, "unless"), indexed=False)
        return CueEntry(code, weight, slots, frozenset(unless))

    def concepts(self, table: dict[str, object]) -> tuple[tuple[str, tuple[str, ...]], ...]:
        concepts = []
        owner: dict[str, str] = {}
        for name, value in table.items():
            path = ("concepts", name)
            self.expect_word(name, path)
            words = self.expect_words(value, path)
            for i, word in enumerate(words):
                if word in owner:
                    self.fail((*path, i), f"{word!r} is also a word of the concept {owner[word]!r}")
                owner[word] = name
            concepts.append((name, words))
        return tuple(concepts)

    def seeds(self, table: dict[str, object]) -> dict[str, dict[str, tuple[str, ...]]]:
        seeds: dict[str, dict[str, tuple[str, ...]]] = {}
        for kind in SEED_KINDS:
            languages = self.expect_table(table[kind], ("seeds", kind), required=LANGUAGES)
            seeds[kind] = {}
            for language in LANGUAGES:
                path = ("seeds", kind, language)
                sentences = self.expect_list(languages[language], path)
                seeds[kind][language] = tuple(self.expect_string(s, (*path, i)) for i, s in enumerate(sentences))
                self.distinct(seeds[kind][language], path)
        return seeds


def _kind(value: object) -> str:
    return _KINDS.get(type(value), f"a {type(value).__name__}")
