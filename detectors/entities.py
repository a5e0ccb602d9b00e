"""Country entity resolution for English and Indonesian posts.

Input tokens are lowercased, *unstemmed* words (hashtags already stripped of
``#``).  Inner hyphens and apostrophes, as ``detectors.text`` keeps them
("timor-leste", "beijing's"), are handled by :func:`canonical_tokens`.
Output is ISO 3166-1 alpha-2 codes in order of first appearance, deduplicated.

Aliases come from three places, merged once at import time:

* pycountry English names (``name``, ``common_name``, ``official_name``);
* pycountry's Indonesian ``iso3166-1`` gettext catalogue for the same names;
* a hand-curated table (demonyms, short forms, capitals used as metonyms,
  Indonesian journalistic epithets such as "negeri jiran").

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
>>> country_name("KR")
'South Korea'
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Iterable, Sequence

import pycountry

__all__ = ["canonical_tokens", "country_name", "find_countries"]

# ---------------------------------------------------------------------------
# Curated data
# ---------------------------------------------------------------------------

# Aliases pycountry lacks: demonyms/adjectives, short forms, capitals (metonymy:
# "Canberra protests ..."), a few seats of government, and Indonesian
# journalistic epithets ("Negeri Tirai Bambu" = China).  Keys are normalised
# (lowercase ASCII, space-separated tokens).  These win over pycountry names.
_CURATED: dict[str, tuple[str, ...]] = {
    # --- ASEAN ---------------------------------------------------------------
    "ID": ("indonesian", "indonesians", "nkri", "jakarta",
           # "RI" (Republik Indonesia) is ubiquitous in Indonesian news and the
           # token "ri" is rare in English, so we accept it.
           "ri"),
    "MY": ("malaysian", "malaysians", "kuala lumpur", "putrajaya", "negeri jiran"),
    "SG": ("singaporean", "singaporeans", "negeri singa"),
    "PH": ("filipino", "filipinos", "philippine", "pinoy", "manila"),
    "TH": ("thai", "thais", "bangkok", "negeri gajah putih"),
    "VN": ("vietnamese", "hanoi"),
    "LA": ("lao", "laotian", "vientiane"),
    "KH": ("cambodian", "cambodians", "phnom penh"),
    "MM": ("burma", "burmese", "naypyidaw", "naypyitaw", "nay pyi taw"),
    "BN": ("brunei", "bruneian", "bandar seri begawan"),
    "TL": ("timor leste", "timorleste", "east timor", "timorese", "timor lorosae", "dili"),
    # --- Pacific neighbours ------------------------------------------------------
    "AU": ("australian", "australians", "aussie", "aussies", "canberra", "negeri kanguru",
           "new south wales"),  # state name, else "wales" would read as GB
    "PG": ("png", "papua new guinean", "port moresby"),
    "NZ": ("nz", "new zealander", "new zealanders", "wellington"),
    "FJ": ("fijian", "suva"),
    "SB": ("solomon islander", "honiara"),
    "VU": ("port vila",),
    "PW": ("palauan", "ngerulmud"),
    "NC": ("noumea",),
    "WS": ("samoan", "apia"),
    "TO": ("tongan", "nukualofa", "nuku alofa"),
    # --- East / South / Central Asia -------------------------------------------
    "CN": ("chinese", "prc", "tiongkok", "rrt", "beijing", "peking", "negeri tirai bambu"),
    "TW": ("taiwanese", "taipei"),
    "HK": ("hongkong", "hong konger", "hongkonger"),
    "JP": ("japanese", "tokyo", "tokio", "negeri sakura"),
    # Bare "korea"/"korean" overwhelmingly means the South in both languages
    # (K-pop, "Korea" in trade news); the North is nearly always qualified.
    "KR": ("korea", "korean", "koreans", "south korean", "korsel", "seoul", "rok",
           "negeri ginseng", "negeri gingseng"),
    "KP": ("north korean", "korut", "pyongyang", "dprk"),
    "MN": ("mongolian", "ulaanbaatar"),
    "IN": ("indian", "indians", "new delhi", "delhi"),
    "PK": ("pakistani", "pakistanis", "islamabad"),
    "BD": ("bangladeshi", "dhaka"),
    "LK": ("sri lankan", "colombo"),
    "NP": ("nepali", "nepalese", "kathmandu"),
    "BT": ("bhutanese", "thimphu"),
    "MV": ("maldivian",),
    "AF": ("afghan", "afghans", "kabul"),
    "KZ": ("kazakh", "kazakhstani", "astana"),
    "UZ": ("uzbek", "tashkent"),
    # --- Middle East -------------------------------------------------------------
    "SA": ("saudi", "saudis", "ksa", "riyadh", "riyad"),
    "AE": ("emirati", "emiratis", "uae", "uea", "persatuan emirat arab", "abu dhabi"),
    "QA": ("qatari", "doha"),
    "KW": ("kuwaiti",),
    "BH": ("bahraini", "manama"),
    "OM": ("omani", "muscat"),
    "YE": ("yemeni", "sanaa"),
    "IQ": ("iraqi", "iraqis", "baghdad"),
    "IR": ("iranian", "iranians", "tehran", "teheran"),
    "SY": ("syria", "syrian", "syrians", "damascus", "damaskus"),
    "LB": ("lebanese", "beirut", "libanon"),
    "JO": ("jordanian", "jordanians", "amman"),
    # Tel Aviv hosts most embassies; Jerusalem is disputed, so it is not mapped.
    "IL": ("israeli", "israelis", "tel aviv"),
    "PS": ("palestine", "palestina", "palestinian", "palestinians", "gaza", "west bank",
           "tepi barat", "ramallah"),
    "TR": ("turkey", "turkish", "turkiye", "ankara"),
    "EG": ("egyptian", "egyptians", "cairo", "kairo", "negeri piramida"),
    # --- G20 and other major partners -------------------------------------------
    "US": ("usa", "u s", "u s a", "america", "american", "americans", "amerika",
           "washington", "washington dc", "white house", "gedung putih", "pentagon",
           "state department", "negeri paman sam",
           # Bare "us"/"as" are never mapped (pronoun/conjunction), but in these
           # fixed contexts they can only mean the United States.
           "the us", "us embassy", "us ambassador", "us envoy", "us consulate", "us government",
           "us president", "us military", "us navy", "us troops", "us forces", "us officials",
           "us sanctions", "us tariffs", "us secretary", "kedubes as", "dubes as", "duta besar as",
           "pemerintah as", "presiden as", "militer as", "tentara as", "menlu as", "kongres as",
           "sanksi as", "tarif as"),
    "GB": ("uk", "u k", "britain", "great britain", "british", "brits", "england", "scotland",
           "scottish", "wales", "welsh", "northern ireland", "inggris", "britania",
           "irlandia utara", "london", "downing street", "whitehall"),
    "RU": ("russia", "russian", "russians", "rusia", "moscow", "moskow", "moskwa", "kremlin",
           "negeri beruang merah"),
    "FR": ("french", "prancis", "paris"),
    "DE": ("german", "germans", "berlin"),
    "IT": ("italian", "italians", "rome"),
    "ES": ("spanish", "negeri matador"),
    "NL": ("dutch", "holland", "hague", "den haag", "amsterdam", "negeri kincir angin"),
    "CA": ("canadian", "canadians", "ottawa"),
    "MX": ("mexican", "mexicans", "mexico city"),
    "BR": ("brazilian", "brazilians", "brasilia"),
    "AR": ("argentinian", "argentine", "buenos aires"),
    "ZA": ("south african", "south africans", "pretoria"),
    "BE": ("belgian", "brussels", "brussel"),
    "CH": ("swiss", "bern"),
    "AT": ("austrian", "vienna", "wina"),
    "PT": ("portuguese", "lisbon", "lisboa"),
    "IE": ("irish", "dublin"),
    "SE": ("swedish", "swede", "stockholm"),
    "NO": ("norwegian", "oslo"),
    "DK": ("danish", "copenhagen", "kopenhagen"),
    "FI": ("finnish", "helsinki"),
    "GR": ("greek", "athens"),
    "CZ": ("czech", "prague", "praha"),
    "HU": ("hungarian", "budapest"),
    "RO": ("romanian", "bucharest"),
    "RS": ("serbian", "belgrade", "beograd"),
    "HR": ("croatian", "zagreb"),
    "BG": ("bulgarian",),
    "UA": ("ukrainian", "ukrainians", "kyiv", "kiev"),
    "BY": ("belarusian", "minsk"),
    "PL": ("warsaw", "warsawa"),
    "MK": ("macedonia",),
    "VA": ("vatican", "vatikan"),
    # --- Africa / Americas -----------------------------------------------------
    "NG": ("nigerian", "nigerians", "abuja"),
    "KE": ("kenyan", "nairobi"),
    "ET": ("ethiopian", "addis ababa"),
    "DZ": ("algerian", "algiers"),
    "MA": ("moroccan", "rabat"),
    "TN": ("tunisian", "tunis"),
    "LY": ("libyan", "tripoli"),
    "SD": ("sudanese", "khartoum"),
    "SS": ("south sudanese", "juba"),
    "SO": ("somali", "somalian", "mogadishu"),
    "GH": ("ghanaian", "accra"),
    "TD": ("chadian",),
    "CD": ("drc", "dr congo", "republik demokratik kongo"),
    "CG": ("kongo",),
    "CU": ("cuban", "havana"),
    "VE": ("venezuelan", "caracas"),
    "CO": ("colombian", "bogota"),
    "CL": ("chilean",),
    "PE": ("peruvian",),
}

# Tokens/phrases that must never resolve, even when pycountry or a rule would
# produce them.  Each has a reason.  Deliberately KEPT despite other senses,
# because the country reading dominates in our feeds: turkey, guinea, niger,
# mali, india, china, oman, peru, chile, cuba, png, paris, washington, colombo.
_NEVER: dict[str, str] = {
    "us": "English pronoun",
    "as": "English conjunction; Indonesian AS = Amerika Serikat only via fixed contexts (kedubes as)",
    "chad": "common English first name",
    "georgia": "US state and first name",
    "georgian": "architecture/era adjective",
    "jordan": "common first name (keep 'jordanian')",
    "jersey": "clothing and 'New Jersey'",
    "english": "mostly the language, not the UK",
    "polish": "verb / nail polish",
    "chili": "Indonesian for Chile, but English for the pepper",
    "reunion": "English noun",
    "arab": "ethnicity/language; 'arab saudi' still resolves",
    "tionghoa": "Chinese-Indonesian ethnicity, i.e. Indonesian citizens",
    "hindia": "mostly 'Hindia Belanda' / 'Samudra Hindia', not India",
    "papua": "Indonesian provinces; only 'papua new guinea'/'papua nugini' map to PG",
    "timor": "island shared with Indonesia",
    "aus": "Indonesian 'aus' = worn out",
    "indo": "slang prefix (indomie, indomaret)",
    "pak": "Indonesian honorific 'Pak' (Mr.)",
    "kl": "too short/ambiguous",
    "solomon": "biblical name",
    "kiwi": "fruit/bird",
    "nippon": "brand names (Nippon Paint)",
    "lima": "Indonesian 'lima' = five",
    "male": "English word (Maldives capital)",
    "victoria": "name/state (Seychelles capital)",
    "kingston": "several cities",
    "georgetown": "several cities",
    "santiago": "name/several cities",
    "roma": "'AS Roma' and football chatter",
    "madrid": "'Real Madrid' football chatter",
    "sofia": "first name",
}

# Phrases that contain a country alias but do not refer to that country.
# They are consumed by the longest-match scanner and produce nothing.
_BLOCKED: tuple[str, ...] = (
    "new guinea", "south america", "north america", "latin america", "central america",
    "amerika latin", "amerika selatan", "amerika utara", "amerika tengah",
    "south china sea", "east china sea", "laut china selatan", "laut cina selatan",
    "laut tiongkok selatan", "indian ocean", "samudra hindia", "samudera hindia",
    "hindia belanda", "new mexico", "new england", "paris saint germain",
    "french fries", "french toast", "guinea pig", "bunga kamboja",
    # Exchange-rate chatter, not the country ("the us dollar" outruns the "the us" alias).
    "us dollar", "us dollars", "the us dollar", "the us dollars", "dolar as",
)

# Prefix for language names: "bahasa inggris" is English, not the UK.
_LANGUAGE_PREFIX = "bahasa"

# English short common names where pycountry's name/common_name is awkward.
_NAME_OVERRIDES: dict[str, str] = {
    "BN": "Brunei",
    "CD": "DR Congo",
    "CG": "Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "PS": "Palestine",
    "RU": "Russia",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
}

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
_P_DERIVED, _P_OFFICIAL, _P_NAME, _P_CURATED = 1, 2, 3, 4


def _build() -> tuple[dict[tuple[str, ...], str], dict[str, int], dict[str, str]]:
    translator = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"])
    candidates: dict[tuple[str, ...], dict[int, set[str]]] = {}
    never = {tuple(k.split()) for k in _NEVER}

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
        assert code in names, code
        for alias in aliases:
            assert alias not in _NEVER, alias
            add([alias], code, _P_CURATED)

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
    return lookup, first_maxlen, names


_LOOKUP, _FIRST_MAXLEN, _NAMES = _build()

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
    tokens = canonical_tokens(tokens)
    lookup = _LOOKUP
    first = _FIRST_MAXLEN
    out: list[str] = []
    n = len(tokens)
    i = 0
    while i < n:
        maxlen = first.get(tokens[i])
        if maxlen is None:  # fast path: most tokens start no alias
            i += 1
            continue
        span = min(maxlen, n - i)
        for length in range(span, 0, -1):
            code = lookup.get(tuple(tokens[i : i + length]))
            if code is not None:
                if code and code not in out:  # out is tiny; list scan beats a set here
                    out.append(code)
                i += length
                break
        else:
            i += 1
    return out


def country_name(code: str) -> str:
    """English short common name for an alpha-2 code (case-insensitive).

    Raises ``KeyError`` for unknown codes.

    >>> [country_name(c) for c in ("US", "ru", "CN", "TR")]
    ['United States', 'Russia', 'China', 'Türkiye']
    """
    return _NAMES[code.upper()]
