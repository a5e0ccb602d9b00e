"""Country entity resolution for English and Indonesian posts.

Input tokens are lowercased, *unstemmed* words (hashtags already stripped of
``#``).  Inner hyphens and apostrophes, as ``detectors.text`` keeps them
("timor-leste", "beijing's"), are handled by :func:`canonical_tokens`.
Output is ISO 3166-1 alpha-2 codes in order of first appearance, deduplicated.

Aliases come from four places, merged once at import time:

* pycountry English names (``name``, ``common_name``, ``official_name``);
* pycountry's Indonesian ``iso3166-1`` gettext catalogue for the same names;
* curated aliases (demonyms, short forms, capitals used as metonyms,
  Indonesian journalistic epithets such as "negeri jiran");
* a gazetteer of sub-national places that identify one country (US states,
  Australian and Canadian states/provinces, major non-capital cities:
  "Sydney", "Texas", "Osaka", "Jeddah").

The last two, with the words and phrases that must never resolve, are data:
``detectors/data/gazetteer.tsv``, read and checked by :mod:`detectors.gazetteer`
(whose header says what each kind of row means, and how GeoNames checks the
cities). This module builds its lookups from the tables read there.

Matching is greedy longest-match-first, left to right.  The scanner tries
n-grams up to the longest alias that starts with the current token (at least
the 4 tokens needed for "papua new guinea"; a few official names are longer,
e.g. "democratic republic of the congo", and matching them whole keeps the
trailing "congo" from being read as a second country).

>>> find_countries(["kedutaan", "besar", "australia"])
['AU']
>>> find_countries(["papua", "new", "guinea", "and", "korea", "utara"])
['PG', 'KP']
>>> find_countries(["let", "us", "go", "as", "planned"])
[]
>>> find_countries(["flooding", "in", "calgary", "and", "new", "south", "wales"])
['CA', 'AU']
>>> country_name("KR")
'South Korea'
"""

from __future__ import annotations

import functools
import gettext
import re
import unicodedata
from collections.abc import Iterable, Sequence

import pycountry

from detectors.gazetteer import GAZETTEER

__all__ = ["canonical_tokens", "country_name", "find_countries"]

# ---------------------------------------------------------------------------
# The gazetteer (detectors/data/gazetteer.tsv, read by detectors.gazetteer)
# ---------------------------------------------------------------------------

# Country aliases pycountry lacks (demonyms, short forms, fixed phrases, epithets, seats of government,
# capitals and territories: "Negeri Tirai Bambu" = China), by country; they win over pycountry's names.
_CURATED: dict[str, tuple[str, ...]] = GAZETTEER.aliases
# Words that never resolve, even when pycountry or a rule would produce them, with the reasons.
_NEVER: dict[str, str] = GAZETTEER.never
# Phrases that contain an alias but do not refer to it: consumed by the longest-match scanner, producing nothing.
_BLOCKED: tuple[str, ...] = GAZETTEER.blocked
# English short common names where pycountry's name/common_name is awkward.
_NAME_OVERRIDES: dict[str, str] = GAZETTEER.display_names

# Prefix for language names: "bahasa inggris" is English, not the UK.
_LANGUAGE_PREFIX = "bahasa"

# Cities, states, provinces and regions whose mention names the country they are in: "Hostages held in Sydney
# cafe" is about Australia, "Gempa di Osaka" about Japan. Capitals are among the aliases (as metonyms for
# governments); places are merged into the same lookup, so the longest match still wins ("new south wales" AU,
# "west virginia" US, "inner mongolia" CN, "gold coast" AU). Indonesian places map to ID, the home country, which
# the incident detector discounts; they are there so that "Natuna"/"Medan" read as Indonesia, not nothing.
# Names are written naturally (diacritics, hyphens, apostrophes); _variants() indexes every tokenisation
# ("são paulo" / "sao paulo", "xi'an" / "xian" / "xi an").
#: Place name -> ISO alpha-2 code; merged into the alias lookup at import.
_GAZETTEER: dict[str, str] = GAZETTEER.places
# Places deliberately left out, with the reason; merged into _NEVER, so nothing (pycountry included) maps them.
_PLACES_SKIPPED: dict[str, str] = GAZETTEER.skipped


# ---------------------------------------------------------------------------
# Normalisation (import time only; regexes are never used per call)
# ---------------------------------------------------------------------------

_PAREN_RE = re.compile(r"\s*\([^)]*\)")
_PUNCT_RE = re.compile(r"[^\w\s]")


def _strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _variants(name: str) -> set[tuple[str, ...]]:
    """Token tuples for ``name`` under the tokenisations upstream might use.

    We do not know whether the upstream tokenizer splits or joins on hyphens and
    apostrophes ("timor-leste", "people's") or strips diacritics ("türkiye"), so
    every combination is indexed.
    """
    out: set[tuple[str, ...]] = set()
    lowered = _PAREN_RE.sub("", name).lower()
    for text in {lowered, _strip_diacritics(lowered)}:
        for apos in ("", " "):
            for hyph in (" ", ""):
                t = text.replace("\u2019", "'").replace("'", apos).replace("-", hyph)
                toks = tuple(_PUNCT_RE.sub(" ", t).split())
                if toks:
                    out.add(toks)
                # "The Democratic Republic of the Congo" is usually written without "the".
                if len(toks) > 1 and toks[0] == "the":
                    out.add(toks[1:])
    return out


def _name_forms(name: str) -> tuple[list[str], list[str]]:
    """Split a pycountry name into (exact forms, derived forms).

    "Korea, Republic of" -> exact [] / derived ["Korea", "Republic of Korea"];
    names without a comma are exact.
    """
    if "," not in name:
        return [name], []
    base, suffix = (part.strip() for part in name.split(",", 1))
    return [], [base, f"{suffix} {base}"]


# ---------------------------------------------------------------------------
# Lookup construction
# ---------------------------------------------------------------------------

# Priorities: higher wins; equal-priority conflicts between different countries
# make the alias ambiguous and it is dropped ("virgin islands" -> VG or VI).
# Gazetteer places outrank pycountry names but yield to the curated aliases.
_P_DERIVED, _P_OFFICIAL, _P_NAME, _P_PLACE, _P_CURATED = 1, 2, 3, 4, 5


def _build() -> tuple[dict[tuple[str, ...], str], dict[str, int], dict[str, str], frozenset[tuple[str, ...]]]:
    translator = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"])
    candidates: dict[tuple[str, ...], dict[int, set[str]]] = {}
    # detectors.gazetteer has checked the tables: each name is on one row (an alias, a place, never or skipped,
    # not two of them), and every code is one of pycountry's.
    never = {tuple(k.split()) for k in (*_NEVER, *_PLACES_SKIPPED)}

    def add(names: Iterable[str], code: str, prio: int) -> None:
        for name in names:
            for toks in _variants(name):
                if toks in never:
                    continue
                candidates.setdefault(toks, {}).setdefault(prio, set()).add(code)

    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        common = getattr(country, "common_name", None)
        official = getattr(country, "official_name", None)
        names[code] = _NAME_OVERRIDES.get(code) or common or country.name
        for raw, prio in ((country.name, _P_NAME), (common, _P_NAME), (official, _P_OFFICIAL)):
            if not raw:
                continue
            for text in (raw, translator.gettext(raw)):
                exact, derived = _name_forms(text)
                add(exact, code, prio)
                add(derived, code, _P_DERIVED)

    for code, aliases in _CURATED.items():
        add(aliases, code, _P_CURATED)

    for place, code in _GAZETTEER.items():
        add([place], code, _P_PLACE)

    lookup: dict[tuple[str, ...], str] = {}
    for toks, by_prio in candidates.items():
        codes = by_prio[max(by_prio)]
        if len(codes) == 1:
            lookup[toks] = next(iter(codes))

    # Blocked phrases map to "" (consumed, nothing emitted).
    single_aliases = [toks for toks in lookup if len(toks) == 1]
    for toks in single_aliases:
        lookup[(_LANGUAGE_PREFIX, *toks)] = ""
    for phrase in _BLOCKED:
        for toks in _variants(phrase):
            lookup[toks] = ""

    first_maxlen: dict[str, int] = {}
    for toks in lookup:
        if len(toks) > first_maxlen.get(toks[0], 0):
            first_maxlen[toks[0]] = len(toks)
    # Aliases that are a country's own name (English or Indonesian, any form): not a specific place.
    name_aliases = frozenset(
        toks for toks, by_prio in candidates.items() if set(by_prio) & {_P_NAME, _P_OFFICIAL, _P_DERIVED}
    )
    return lookup, first_maxlen, names, name_aliases


_LOOKUP, _FIRST_MAXLEN, _NAMES, _NAME_ALIASES = _build()

#: Number of distinct token sequences that resolve to a country (diagnostics).
ALIAS_COUNT: int = sum(1 for code in _LOOKUP.values() if code)
#: Codes reachable through at least one alias.
COUNTRY_CODES: frozenset[str] = frozenset(code for code in _LOOKUP.values() if code)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def canonical_tokens(tokens: Sequence[str]) -> Sequence[str]:
    """Split hyphenated tokens and drop apostrophes/possessive "'s"; other tokens pass through.

    ``detectors.text`` keeps inner apostrophes and hyphens ("beijing's",
    "timor-leste", "indonesia-australia"), while aliases and cues are plain
    words.  Returns ``tokens`` itself (no copy) when nothing needs changing.

    >>> canonical_tokens(["beijing's", "envoy", "timor-leste", "d'affaires"])
    ['beijing', 'envoy', 'timor', 'leste', 'daffaires']
    """
    out: list[str] | None = None
    for i, tok in enumerate(tokens):
        if "-" in tok or "'" in tok or "\u2019" in tok:
            if out is None:
                out = list(tokens[:i])
            tok = tok.replace("\u2019", "'")
            tok = tok.removesuffix("'s")
            out.extend(part.replace("'", "") for part in tok.split("-") if part.strip("'"))
        elif out is not None:
            out.append(tok)
    return tokens if out is None else out


def find_countries(tokens: Sequence[str]) -> list[str]:
    """Return ISO alpha-2 codes mentioned in ``tokens``, first-appearance order, deduplicated.

    Greedy longest match: at each position the longest alias starting there wins
    and its tokens are consumed, so "papua new guinea" is PG and "korea utara" KP.

    >>> find_countries(["indonesia", "summons", "australian", "ambassador"])
    ['ID', 'AU']
    >>> find_countries(["belajar", "bahasa", "inggris"])
    []
    >>> find_countries(["indonesia-australia", "ties", "and", "beijing's", "envoy"])
    ['ID', 'AU', 'CN']
    """
    out: list[str] = []
    for code, _ in find_mentions(tokens):
        if code not in out:  # out is tiny; list scan beats a set here
            out.append(code)
    return out


def find_mentions(tokens: Sequence[str]) -> list[tuple[str, str]]:
    """Every country mention as ``(code, alias)``, in order: the alias says *where* ("boston", "texas"),
    which tells two incidents in one country apart.

    >>> find_mentions(["explosion", "at", "a", "plant", "in", "west", "texas", "near", "waco"])
    [('US', 'west texas'), ('US', 'waco')]
    """
    return mentions_in_canonical(canonical_tokens(tokens))


def mentions_in_canonical(tokens: Sequence[str]) -> list[tuple[str, str]]:
    """:func:`find_mentions` of tokens that are canonical already (see :func:`canonical_tokens`)."""
    first = _FIRST_MAXLEN
    if first.keys().isdisjoint(tokens):  # most posts: no alias starts here, only hashtags to look into
        return [p for t in tokens if len(t) >= _MIN_COMPOUND and (p := _compound_place(t)) is not None]
    lookup = _LOOKUP
    out: list[tuple[str, str]] = []
    n = len(tokens)
    i = 0
    while i < n:
        maxlen = first.get(tokens[i])
        if maxlen is None:  # fast path: most tokens start no alias
            if len(tokens[i]) >= _MIN_COMPOUND:
                place = _compound_place(tokens[i])
                if place is not None:
                    out.append(place)
            i += 1
            continue
        span = min(maxlen, n - i)
        for length in range(span, 0, -1):
            alias = tuple(tokens[i : i + length])
            code = lookup.get(alias)
            if code is not None:
                if code:
                    out.append((code, " ".join(alias)))
                i += length
                break
        else:
            i += 1
    return out


# Short forms of places, read as the place they stand for: "tx" is Texas, not a place of its own.
_PLACE_SHORT_FORMS: dict[str, str] = GAZETTEER.short_forms


_MIN_COMPOUND = 7  # shortest hashtag worth splitting: a place of 4+ letters and 3+ more
_MIN_PART = 3


def _compound_places() -> dict[str, tuple[str, str]]:
    places: dict[str, tuple[str, str]] = {}
    for alias, code in _GAZETTEER.items():
        joined = alias.replace(" ", "")
        if len(joined) >= 4:
            places[joined] = (code, alias)
    for code, aliases in _CURATED.items():
        for alias in aliases:
            if alias in _CURATED_PLACES and len(alias.replace(" ", "")) >= 4:
                places[alias.replace(" ", "")] = (code, alias)
    return places


def _compound_place(token: str) -> tuple[str, str] | None:
    """A place at the start or end of a run-together hashtag: "prayforboston", "bostonstrong", "westtexas".

    A place's three-letter code leads or ends one as often, beside a crisis word: "yycflood", "prayforokc".

    >>> _compound_place("prayforboston"), _compound_place("bostonstrong"), _compound_place("embassies")
    (('US', 'boston'), ('US', 'boston'), None)
    >>> _compound_place("yycflood"), _compound_place("prayforokc")
    (('CA', 'yyc'), ('US', 'okc'))
    """
    if token[:4] in _COMPOUND_HEADS or token[-4:] in _COMPOUND_TAILS:  # two set lookups settle most tokens
        places = _COMPOUND_PLACES
        # Longest first: "westtexas" is West Texas before it is Texas.
        for size in range(len(token) - _MIN_PART, 3, -1):
            found = places.get(token[-size:]) or places.get(token[:size])
            if found is not None:
                return found
    # A three-letter code only with the words crises and solidarity put beside it: "okcupid" is no place.
    if token[3:] in _CODE_TAILS:
        return _SHORT_CODES.get(token[:3])
    if token[:-3] in _CODE_HEADS:
        return _SHORT_CODES.get(token[-3:])
    return None


def canonical_place(alias: str) -> str:
    """One name per place, whatever short form a post uses.

    >>> canonical_place("tx"), canonical_place("nyc"), canonical_place("sydney")
    ('texas', 'new york city', 'sydney')
    """
    return _PLACE_SHORT_FORMS.get(alias, alias)


# Capitals and territories among the curated aliases: places, unlike the demonyms, short forms ("nkri", "uae")
# and seats of government ("kremlin", "white house") beside them, which name a country.
_CURATED_PLACES: frozenset[str] = GAZETTEER.alias_places


@functools.lru_cache(maxsize=8192)
def is_specific_place(alias: str) -> bool:
    """A city, region or capital ("sydney", "west texas", "ottawa"), not the country's name, demonym or short
    form ("australia", "aussie", "uae"): two stories in one country are told apart by specific places only.

    >>> is_specific_place("west texas"), is_specific_place("canberra"), is_specific_place("aussie")
    (True, True, False)
    """
    return alias in _GAZETTEER or alias in _CURATED_PLACES


def country_name(code: str) -> str:
    """English short common name for an alpha-2 code (case-insensitive).

    An unknown code is returned as it is.

    >>> [country_name(c) for c in ("US", "ru", "CN", "TR")]
    ['United States', 'Russia', 'China', 'Türkiye']
    """
    return _NAMES.get(code.upper(), code)


_COMPOUND_PLACES = _compound_places()
# Words that lead or end a hashtag beside a place's three-letter short form ("#prayforokc", "#yycflood").
_CODE_TAILS: frozenset[str] = GAZETTEER.tag_tails
_CODE_HEADS: frozenset[str] = GAZETTEER.tag_heads
# Three-letter short forms of places ("yyc", "nyc", "qld"), which lead or end hashtags: code and alias.
_SHORT_CODES = {
    alias: (code, alias) for alias in _PLACE_SHORT_FORMS if len(alias) == 3 and (code := _LOOKUP.get((alias,)))
}
_COMPOUND_HEADS = frozenset(p[:4] for p in _COMPOUND_PLACES)
_COMPOUND_TAILS = frozenset(p[-4:] for p in _COMPOUND_PLACES)
