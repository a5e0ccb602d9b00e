"""Country entity resolution for English and Indonesian posts.

Input tokens are lowercased, *unstemmed* words (hashtags already stripped of
``#``).  Inner hyphens and apostrophes, as ``detectors.text`` keeps them
("timor-leste", "beijing's"), are handled by :func:`canonical_tokens`.
Output is ISO 3166-1 alpha-2 codes in order of first appearance, deduplicated.

Aliases come from four places, merged once at import time:

* pycountry English names (``name``, ``common_name``, ``official_name``);
* pycountry's Indonesian ``iso3166-1`` gettext catalogue for the same names;
* a hand-curated table (demonyms, short forms, capitals used as metonyms,
  Indonesian journalistic epithets such as "negeri jiran");
* a gazetteer of sub-national places that identify one country (US states,
  Australian and Canadian states/provinces, major non-capital cities:
  "Sydney", "Texas", "Osaka", "Jeddah").

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
    "ID": (
        "indonesian",
        "indonesians",
        "nkri",
        "jakarta",
        # "RI" (Republik Indonesia) is ubiquitous in Indonesian news and the
        # token "ri" is rare in English, so we accept it.
        "ri",
    ),
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
    "AU": ("australian", "australians", "aussie", "aussies", "canberra", "negeri kanguru"),
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
    "KR": ("korea", "korean", "koreans", "south korean", "korsel", "seoul", "rok", "negeri ginseng", "negeri gingseng"),
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
    "PS": ("palestine", "palestina", "palestinian", "palestinians", "gaza", "west bank", "tepi barat", "ramallah"),
    "TR": ("turkey", "turkish", "turkiye", "ankara"),
    "EG": ("egyptian", "egyptians", "cairo", "kairo", "negeri piramida"),
    # --- G20 and other major partners -------------------------------------------
    "US": (
        "usa",
        "u s",
        "u s a",
        "america",
        "american",
        "americans",
        "amerika",
        "washington",
        "washington dc",
        "white house",
        "gedung putih",
        "pentagon",
        "state department",
        "negeri paman sam",
        # Bare "us"/"as" are never mapped (pronoun/conjunction), but in these
        # fixed contexts they can only mean the United States.
        "the us",
        "us embassy",
        "us ambassador",
        "us envoy",
        "us consulate",
        "us government",
        "us president",
        "us military",
        "us navy",
        "us troops",
        "us forces",
        "us officials",
        "us sanctions",
        "us tariffs",
        "us secretary",
        "kedubes as",
        "dubes as",
        "duta besar as",
        "pemerintah as",
        "presiden as",
        "militer as",
        "tentara as",
        "menlu as",
        "kongres as",
        "sanksi as",
        "tarif as",
    ),
    "GB": (
        "uk",
        "u k",
        "britain",
        "great britain",
        "british",
        "brits",
        "england",
        "scotland",
        "scottish",
        "wales",
        "welsh",
        "northern ireland",
        "inggris",
        "britania",
        "irlandia utara",
        "london",
        "downing street",
        "whitehall",
    ),
    "RU": ("russia", "russian", "russians", "rusia", "moscow", "moskow", "moskwa", "kremlin", "negeri beruang merah"),
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
    "new guinea",
    "south america",
    "north america",
    "latin america",
    "central america",
    "amerika latin",
    "amerika selatan",
    "amerika utara",
    "amerika tengah",
    "south china sea",
    "east china sea",
    "laut china selatan",
    "laut cina selatan",
    "laut tiongkok selatan",
    "indian ocean",
    "samudra hindia",
    "samudera hindia",
    "hindia belanda",
    "paris saint germain",
    "french fries",
    "french toast",
    "guinea pig",
    "bunga kamboja",
    "pondok cina",  # a Depok neighbourhood and commuter-rail station
    # Exchange-rate chatter, not the country ("the us dollar" outruns the "the us" alias).
    "us dollar",
    "us dollars",
    "the us dollar",
    "the us dollars",
    "dolar as",
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
# Gazetteer: sub-national places that identify exactly one country
# ---------------------------------------------------------------------------

# Cities, states, provinces and regions whose mention names the country they are in:
# "Hostages held in Sydney cafe" is about Australia, "Gempa di Osaka" about Japan.
# Capitals live in _CURATED above (as metonyms for governments); this table holds
# everything else and is merged into the same lookup, so the longest match still
# wins ("new south wales" AU, "west virginia" US, "inner mongolia" CN, "gold coast"
# AU).  Indonesian places map to ID, the home country, which the incident detector
# discounts; they are here so that "Natuna"/"Medan" read as Indonesia, not nothing.
#
# The ambiguity rules are those of _NEVER: a place is left out when its name is a
# common English or Indonesian word, a common first name or surname, a football
# club in everyday chatter, a place in several countries, or a territory whose
# sovereignty is actively disputed.  Every such decision is in _PLACES_SKIPPED.
# Keys are written naturally (diacritics, hyphens, apostrophes); _variants() indexes
# every tokenisation ("são paulo" / "sao paulo", "xi'an" / "xian" / "xi an").
_PLACES_BY_COUNTRY: tuple[tuple[str, tuple[str, ...]], ...] = (
    # --- United States: 50 states (minus georgia, virginia; washington is in _CURATED) --------
    (
        "US",
        (
            "alabama",
            "alaska",
            "arizona",
            "arkansas",
            "california",
            "colorado",
            "connecticut",
            "delaware",
            "florida",
            "hawaii",
            "idaho",
            "illinois",
            "indiana",
            "iowa",
            "kansas",
            "kentucky",
            "louisiana",
            "maine",
            "maryland",
            "massachusetts",
            "michigan",
            "minnesota",
            "mississippi",
            "missouri",
            "montana",
            "nebraska",
            "nevada",
            "new hampshire",
            "new jersey",
            "new mexico",
            "new york",
            "north carolina",
            "north dakota",
            "ohio",
            "oklahoma",
            "oregon",
            "pennsylvania",
            "rhode island",
            "south carolina",
            "south dakota",
            "tennessee",
            "texas",
            "utah",
            "vermont",
            "west virginia",
            "wisconsin",
            "wyoming",
            # Qualified forms of the skipped states, the capital's state, regions, and safe abbreviations.
            "washington state",
            "virginia beach",
            "virginia tech",
            "northern virginia",
            "west texas",
            "new england",
            "nyc",
            "nj",
            "tx",
            "okc",
            # Cities.
            "new york city",
            "manhattan",
            "bronx",
            "los angeles",
            "san francisco",
            "chicago",
            "houston",
            "boston",
            "miami",
            "seattle",
            "dallas",
            "atlanta",
            "detroit",
            "philadelphia",
            "philly",
            "las vegas",
            "san diego",
            "new orleans",
            "denver",
            "baltimore",
            "pittsburgh",
            "minneapolis",
            "st louis",
            "saint louis",
            "honolulu",
            "pearl harbor",
            "oklahoma city",
            "kansas city",
            "salt lake city",
            "jersey city",
            "san antonio",
            "el paso",
            "fort worth",
            "nashville",
            "tulsa",
            "waco",
            "sacramento",
            "oakland",
            "tampa",
            "cincinnati",
            "cleveland",
            "milwaukee",
            "charlottesville",
            "sandy hook",
            "uvalde",
        ),
    ),
    # --- Australia (victoria and darwin skipped) ----------------------------------------------
    (
        "AU",
        (
            "new south wales",  # else "wales" would read as GB
            "queensland",
            "qld",
            "nsw",
            "tasmania",
            "northern territory",
            "sydney",
            "melbourne",
            "brisbane",
            "perth",
            "adelaide",
            "hobart",
            "gold coast",
            "sunshine coast",
            "cairns",
            "bundaberg",
            "townsville",
            "geelong",
            "wollongong",
            "fremantle",
            "alice springs",
            "bondi",
        ),
    ),
    # --- Canada ---------------------------------------------------------------------------------
    (
        "CA",
        (
            "alberta",
            "ontario",
            "quebec",
            "québec",
            "british columbia",
            "manitoba",
            "saskatchewan",
            "nova scotia",
            "new brunswick",
            "newfoundland",
            "prince edward island",
            "yukon",
            "nunavut",
            "northwest territories",
            "toronto",
            "montreal",
            "montréal",
            "vancouver",
            "calgary",
            "edmonton",
            "winnipeg",
            "quebec city",
            "mississauga",
            "lac megantic",
            "lac-mégantic",
            "yyc",
            "yeg",
            "yyz",
            "yvr",
        ),
    ),
    # --- Indonesia (home country; papua stays unmapped, see _NEVER) -----------------------------
    (
        "ID",
        (
            "surabaya",
            "bandung",
            "medan",  # also "field/arena" in Indonesian, but only ever ID
            "makassar",
            "semarang",
            "denpasar",
            "bali",
            "yogyakarta",
            "jogjakarta",
            "jogja",
            "yogya",
            "natuna",
            "batam",
            "bintan",
            "riau",
            "aceh",
            "banda aceh",
            "kupang",
            "pontianak",
            "balikpapan",
            "manado",
            "ambon",
            "palembang",
            "pekanbaru",
            "jayapura",
            "lombok",
            "sumatra",
            "sumatera",
            "sulawesi",
            "kalimantan",
            "nunukan",
            "surakarta",
            "labuan bajo",  # else "labuan" reads as MY
            # "malang" (unlucky) and "padang" (field; nasi padang) only with "kota".
            "kota malang",
            "kota padang",
        ),
    ),
    # --- Malaysia, Singapore, Brunei --------------------------------------------------------------
    (
        "MY",
        (
            "johor",
            "johor bahru",
            "johor baru",
            "penang",
            "pulau pinang",
            "sabah",
            "sarawak",
            "kota kinabalu",
            "kuching",
            "melaka",
            "malacca",
            "ipoh",
            "selangor",
            "shah alam",
            "petaling jaya",
            "kedah",
            "kelantan",
            "terengganu",
            "pahang",
            "negeri sembilan",
            "labuan",
            "tawau",
            "sandakan",
            "lahad datu",
            "semporna",
            "sipadan",
            "ligitan",
        ),
    ),
    ("SG", ("changi",)),
    # --- Philippines, Thailand, Vietnam, Cambodia, Laos, Myanmar, Timor-Leste -----------------------
    (
        "PH",
        (
            "davao",
            "cebu",
            "mindanao",
            "marawi",
            "zamboanga",
            "sulu",
            "jolo",
            "basilan",
            "cotabato",
            "quezon city",
            "makati",
            "palawan",
            "luzon",
            "visayas",
            "boracay",
            "iloilo",
            "general santos",
        ),
    ),
    (
        "TH",
        (
            "chiang mai",
            "chiang rai",
            "phuket",
            "pattaya",
            "hat yai",
            "krabi",
            "koh samui",
            "pattani",
            "narathiwat",
            "songkhla",
        ),
    ),
    (
        "VN",
        (
            "ho chi minh city",
            "ho chi minh",
            "hcmc",
            "saigon",
            "da nang",
            "danang",
            "hai phong",
            "haiphong",
            "nha trang",
            "ha long bay",
            "halong bay",
        ),
    ),
    ("KH", ("siem reap", "sihanoukville", "angkor wat")),
    ("LA", ("luang prabang",)),
    ("MM", ("yangon", "rangoon", "mandalay", "rakhine", "arakan", "kachin", "sittwe")),
    # --- East Asia ------------------------------------------------------------------------------------
    (
        "CN",
        (
            "shanghai",
            "guangzhou",
            "shenzhen",
            "wuhan",
            "chongqing",
            "chengdu",
            "tianjin",
            "nanjing",
            "hangzhou",
            "xiamen",
            "xi'an",
            "harbin",
            "kunming",
            "qingdao",
            "dalian",
            "suzhou",
            "urumqi",
            "lhasa",
            "sanya",
            "xinjiang",
            "tibet",
            "inner mongolia",
            "hainan",
            "guangdong",
            "fujian",
            "yunnan",
            "sichuan",
            "zhejiang",
            "jiangsu",
            "hubei",
            "guangxi",
        ),
    ),
    ("HK", ("kowloon",)),
    ("MO", ("macau", "makau")),
    ("TW", ("kaohsiung", "taichung", "tainan", "hsinchu")),
    (
        "JP",
        (
            "osaka",
            "kyoto",
            "yokohama",
            "nagoya",
            "sapporo",
            "fukuoka",
            "hiroshima",
            "nagasaki",
            "okinawa",
            "fukushima",
            "sendai",
            "kumamoto",
            "hokkaido",
            "kyushu",
            "honshu",
            "narita",
            "haneda",
        ),
    ),
    (
        "KR",
        (
            "busan",
            "pusan",
            "incheon",
            "daegu",
            "gwangju",
            "jeju",
            "ulsan",
            "daejeon",
            "itaewon",
            "gangnam",
            "pyeongchang",
        ),
    ),
    ("KP", ("yongbyon", "kaesong", "wonsan", "sinuiju")),
    # --- South and Central Asia ----------------------------------------------------------------------
    (
        "IN",
        (
            "mumbai",
            "bombay",
            "kolkata",
            "calcutta",
            "chennai",
            "madras",
            "bangalore",
            "bengaluru",
            "ahmedabad",
            "pune",
            "jaipur",
            "lucknow",
            "agra",
            "varanasi",
            "amritsar",
            "kerala",
            "gujarat",
            "manipur",
            "assam",
            "bihar",
            "odisha",
            "uttar pradesh",
            "tamil nadu",
            "karnataka",
            "maharashtra",
            "rajasthan",
            "west bengal",
        ),
    ),
    (
        "PK",
        (
            "karachi",
            "lahore",
            "peshawar",
            "quetta",
            "rawalpindi",
            "faisalabad",
            "multan",
            "abbottabad",
            "sindh",
            "khyber pakhtunkhwa",
            "waziristan",
        ),
    ),
    ("AF", ("kandahar", "herat", "mazar-i-sharif", "jalalabad", "helmand", "kunduz", "bagram")),
    ("BD", ("chittagong", "chattogram", "cox's bazar", "cox bazar")),  # canonical_tokens drops "'s"
    ("LK", ("jaffna",)),
    ("NP", ("pokhara",)),
    ("KZ", ("almaty",)),
    # --- Middle East -----------------------------------------------------------------------------------
    (
        "SA",
        (
            "jeddah",
            "jedah",
            "jiddah",
            "mecca",
            "makkah",
            "mekah",
            "mekkah",
            "medina",
            "madinah",
            "dammam",
            "taif",
            "muzdalifah",
            "tabuk",
            "neom",
        ),
    ),
    ("AE", ("dubai", "sharjah", "ajman", "ras al khaimah", "fujairah")),
    ("QA", ("lusail",)),
    ("OM", ("salalah",)),
    ("YE", ("aden", "hodeidah", "hudaydah", "taiz", "marib")),
    (
        "IQ",
        (
            "mosul",
            "basra",
            "basrah",
            "erbil",
            "irbil",
            "kirkuk",
            "fallujah",
            "najaf",
            "karbala",
            "tikrit",
            "ramadi",
            "samarra",
            "sulaymaniyah",
        ),
    ),
    ("IR", ("isfahan", "esfahan", "mashhad", "tabriz", "qom", "natanz", "bushehr", "fordow", "ahvaz", "bandar abbas")),
    (
        "SY",
        ("aleppo", "idlib", "homs", "raqqa", "deir ez-zor", "latakia", "daraa", "kobani", "palmyra", "ghouta", "douma"),
    ),
    ("LB", ("baalbek",)),
    ("IL", ("haifa", "eilat", "ashkelon", "ashdod", "sderot", "beersheba", "negev")),
    ("PS", ("rafah", "khan younis", "khan yunis", "jabalia", "deir al-balah", "jenin", "nablus", "hebron")),
    (
        "TR",
        (
            "istanbul",
            "izmir",
            "antalya",
            "gaziantep",
            "kahramanmaras",
            "hatay",
            "adana",
            "konya",
            "diyarbakir",
            "bodrum",
            "trabzon",
            "cappadocia",
            "kapadokya",
            "incirlik",
        ),
    ),
    # --- Africa -----------------------------------------------------------------------------------------
    ("EG", ("giza", "luxor", "aswan", "sharm el-sheikh", "suez", "sinai", "hurghada")),
    ("MA", ("marrakech", "marrakesh", "tangier", "agadir")),
    ("NG", ("lagos", "port harcourt", "ibadan", "maiduguri", "borno", "chibok")),
    ("ZA", ("johannesburg", "joburg", "cape town", "durban", "soweto")),
    ("KE", ("mombasa",)),
    ("ET", ("tigray",)),
    ("SD", ("darfur", "omdurman", "el fasher")),
    ("TZ", ("dar es salaam", "zanzibar")),
    ("CD", ("goma", "lubumbashi")),
    # --- Europe ---------------------------------------------------------------------------------------------
    ("GB", ("manchester", "glasgow", "edinburgh", "belfast", "cardiff", "heathrow", "gatwick", "yorkshire")),
    (
        "FR",
        (
            "marseille",
            "lyon",
            "toulouse",
            "bordeaux",
            "strasbourg",
            "lille",
            "nantes",
            "calais",
            "cannes",
            "normandy",
            "normandie",
            "provence",
            "corsica",
            "alsace",
        ),
    ),
    (
        "DE",
        (
            "munich",
            "münchen",
            "muenchen",
            "frankfurt",
            "hamburg",
            "köln",
            "düsseldorf",
            "duesseldorf",
            "stuttgart",
            "dresden",
            "leipzig",
            "hannover",
            "hanover",
            "bonn",
            "nuremberg",
            "nürnberg",
            "bavaria",
            "ramstein",
        ),
    ),
    (
        "IT",
        (
            "venice",
            "venezia",
            "firenze",
            "turin",
            "genoa",
            "bologna",
            "palermo",
            "sicily",
            "sicilia",
            "sardinia",
            "lampedusa",
            "tuscany",
            "lombardy",
        ),
    ),
    (
        "ES",
        (
            "catalonia",
            "catalunya",
            "cataluña",
            "seville",
            "bilbao",
            "málaga",
            "ibiza",
            "mallorca",
            "majorca",
            "canary islands",
            "tenerife",
            "gran canaria",
        ),
    ),
    ("NL", ("rotterdam", "utrecht", "eindhoven", "schiphol")),
    ("BE", ("antwerp", "antwerpen", "ghent", "bruges", "liège", "flanders", "wallonia")),
    ("CH", ("geneva", "jenewa", "genève", "zürich", "zuerich", "basel", "lausanne", "davos")),
    ("AT", ("salzburg", "innsbruck")),
    ("PL", ("kraków", "cracow", "gdańsk", "wrocław")),
    ("CZ", ("brno",)),
    ("GR", ("thessaloniki", "crete", "santorini", "corfu", "mykonos")),
    ("SE", ("gothenburg", "malmö")),
    ("DK", ("aarhus",)),
    ("IE", ("galway",)),
    ("BA", ("srebrenica",)),
    (
        "RU",
        (
            "st petersburg",
            "saint petersburg",
            "sochi",
            "vladivostok",
            "kaliningrad",
            "novosibirsk",
            "yekaterinburg",
            "kazan",
            "chechnya",
            "grozny",
            "dagestan",
            "siberia",
            "belgorod",
            "kursk",
        ),
    ),
    ("UA", ("kharkiv", "kharkov", "odesa", "odessa", "lviv", "dnipro")),
    # --- Americas and Oceania (beyond US/CA) ------------------------------------------------------------
    (
        "MX",
        (
            "guadalajara",
            "monterrey",
            "tijuana",
            "cancún",
            "acapulco",
            "ciudad juárez",
            "sinaloa",
            "michoacán",
            "oaxaca",
        ),
    ),
    (
        "BR",
        ("são paulo", "rio de janeiro", "recife", "manaus", "belo horizonte", "porto alegre", "fortaleza", "curitiba"),
    ),
    ("CO", ("medellín", "barranquilla")),
    ("PE", ("cusco", "cuzco", "machu picchu")),
    ("CL", ("valparaíso",)),
    ("EC", ("guayaquil",)),
    ("VE", ("maracaibo",)),
    ("NZ", ("auckland", "christchurch")),
    ("PG", ("bougainville",)),
)

# Places deliberately NOT in the gazetteer, with the reason.  They are merged into
# _NEVER, so nothing (pycountry included) can map them by accident later.
_PLACES_SKIPPED: dict[str, str] = {
    # Common words, names and brands.
    "virginia": "first name; 'tembakau virginia' (tobacco); 'west virginia' still resolves",
    "carolina": "first name; 'north/south carolina' still resolve",
    "dakota": "first name; 'north/south dakota' still resolve",
    "darwin": "surname (Charles Darwin, 'darwin award')",
    "nice": "English adjective",
    "reading": "English verb/noun",
    "split": "English verb",
    "mobile": "English adjective",
    "orange": "colour/fruit",
    "bath": "English noun",
    "batu": "Indonesian 'stone'",
    "malang": "Indonesian 'unlucky'; 'kota malang' resolves",
    "padang": "Indonesian 'field', 'nasi padang'; 'kota padang' resolves",
    "solo": "English/Indonesian word; 'surakarta' resolves",
    "perak": "Indonesian 'silver'",
    "bursa": "Indonesian 'stock exchange' (bursa efek)",
    "goa": "Indonesian 'cave' (Goa Pindul)",
    "hama": "Indonesian 'pest'",
    "malaka": "also Kabupaten Malaka (NTT, Indonesia) and the shared Strait",
    "java": "programming language; island shared by everyone as 'jawa'",
    "phoenix": "mythical bird / brand",
    "austin": "first name",
    "orlando": "first name",
    "brooklyn": "first name",
    "memphis": "also ancient Egypt; first name (Memphis Depay)",
    "cologne": "perfume",
    "cork": "English noun",
    "limerick": "poem form",
    "rhodes": "surname (Rhodes scholar)",
    "lesbos": "English word",
    "regina": "first name",
    "kobe": "Kobe Bryant, Kobe beef",
    "kawasaki": "motorcycle brand",
    "shiraz": "wine grape",
    "chihuahua": "dog breed",
    "florence": "first name; 'firenze' resolves",
    "rio": "first name (Rio Haryanto); 'rio de janeiro' resolves",
    "salvador": "first name; 'el salvador' is the country",
    "mina": "first name (Hajj site)",
    "arafat": "Yasser Arafat",
    "ny": "Indonesian 'Ny.' = Nyonya (Mrs.)",
    "dc": "Indonesian slang for debt collector, DC Comics; 'washington dc' resolves",
    "kano": "Indonesian 'canoe'",
    "port said": "'the port said ...' in English news",
    "bethlehem": "Christmas/nativity chatter",
    "casablanca": "Jl. Casablanca, a main road in Jakarta (traffic chatter)",
    # Football clubs dominate the bare name in our feeds (as with roma/madrid).
    "barcelona": "FC Barcelona football chatter",
    "milan": "AC/Inter Milan football chatter; first name",
    "milano": "Inter/AC Milano football chatter",
    "liverpool": "Liverpool FC football chatter",
    "napoli": "SSC Napoli football chatter",
    "sevilla": "Sevilla FC football chatter; 'seville' resolves",
    "dortmund": "Borussia Dortmund football chatter",
    "bayern": "FC Bayern football chatter; 'bavaria' resolves",
    "torino": "Torino FC / Juventus chatter; 'turin' resolves",
    "porto": "FC Porto; Portuguese/Italian for 'port'",
    # In several countries.
    "birmingham": "GB and US",
    "alexandria": "EG and US; first name",
    "newcastle": "GB and AU; Newcastle United chatter",
    "hyderabad": "IN and PK",
    "valencia": "ES and VE; Valencia CF",
    "cordoba": "AR and ES",
    "cartagena": "CO and ES",
    "cambridge": "GB and US",
    "halifax": "CA and GB",
    "portland": "several US cities and GB",
    "san jose": "US and Costa Rica",
    "punjab": "IN and PK",
    "bengal": "IN and BD; 'west bengal' resolves",
    "balochistan": "PK and IR",
    "kurdistan": "IQ, TR, SY, IR",
    "borneo": "ID, MY and BN",
    "patagonia": "AR and CL",
    "basque country": "ES and FR",
    "andaman": "IN islands and the shared Andaman Sea",
    "hormuz": "strait shared by IR and OM",
    # Sovereignty actively disputed (as with Jerusalem in _CURATED).
    "jerusalem": "status disputed between IL and PS",
    "kashmir": "divided between IN and PK",
    "ladakh": "IN-administered, part claimed by CN",
    "arunachal pradesh": "IN-administered, claimed by CN",
    "crimea": "UA, annexed by RU",
    "donbas": "UA, annexation claimed by RU",
    "donetsk": "UA, annexation claimed by RU",
    "luhansk": "UA, annexation claimed by RU",
    "golan": "SY, occupied by IL",
    "somaliland": "self-declared, not recognised",
    "ambalat": "maritime block disputed by ID and MY",
}

# Phrases that contain a place alias but are not about the place (consumed, map to nothing).
_PLACE_BLOCKED: tuple[str, ...] = (
    # Media outlets cited as sources.
    "new york times",
    "new york post",
    "los angeles times",
    "sydney morning herald",
    # People and fiction.
    "whitney houston",
    "naomi osaka",
    "sydney sweeney",
    "indiana jones",
    "hannah montana",
    # Treaties and football clubs.
    "geneva convention",
    "geneva conventions",
    "konvensi jenewa",
    "manchester united",
    "manchester city",
    "bayern munich",
    "bayern münchen",
    # Shared waters named after one shore.
    "strait of malacca",
    "straits of malacca",
    "malacca strait",
    "malacca straits",
    "selat melaka",
    "gulf of aden",
    "teluk aden",
)


def _flatten_places() -> dict[str, str]:
    places: dict[str, str] = {}
    for code, names in _PLACES_BY_COUNTRY:
        for name in names:
            assert name not in places, f"duplicate place {name!r}"
            places[name] = code
    return places


#: Place name -> ISO alpha-2 code; merged into the alias lookup at import.
_GAZETTEER: dict[str, str] = _flatten_places()


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
    assert not _NEVER.keys() & _PLACES_SKIPPED.keys()
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
        assert code in names, code
        for alias in aliases:
            assert alias not in _NEVER, alias
            add([alias], code, _P_CURATED)

    curated_aliases = {alias for aliases in _CURATED.values() for alias in aliases}
    for place, code in _GAZETTEER.items():
        assert code in names, code
        assert place not in _NEVER and place not in _PLACES_SKIPPED, place
        assert place not in curated_aliases, place  # one table per alias
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
    for phrase in (*_BLOCKED, *_PLACE_BLOCKED):
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
_PLACE_SHORT_FORMS = {
    "tx": "texas",
    "west texas": "texas",
    "nyc": "new york city",
    "nj": "new jersey",
    "okc": "oklahoma city",
    "philly": "philadelphia",
    "saint louis": "st louis",
    "qld": "queensland",
    "nsw": "new south wales",
    "yyc": "calgary",
}


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


# Capitals and regions among the curated aliases: places, unlike the demonyms, short forms ("nkri", "uae")
# and seats of government ("kremlin", "white house") beside them, which name a country.
_CURATED_PLACES = frozenset(
    """
    jakarta|kuala lumpur|putrajaya|manila|bangkok|hanoi|vientiane|phnom penh|naypyidaw|naypyitaw|nay pyi taw|
    dili|canberra|port moresby|wellington|suva|honiara|port vila|ngerulmud|noumea|apia|nukualofa|nuku alofa|
    beijing|peking|taipei|tokyo|tokio|seoul|pyongyang|ulaanbaatar|new delhi|delhi|islamabad|dhaka|colombo|
    kathmandu|thimphu|kabul|astana|tashkent|riyadh|riyad|abu dhabi|doha|manama|muscat|sanaa|baghdad|damascus|
    damaskus|beirut|tel aviv|gaza|west bank|tepi barat|ramallah|ankara|cairo|kairo|washington dc|london|moscow|
    moskow|moskwa|paris|berlin|rome|hague|den haag|amsterdam|ottawa|mexico city|brasilia|buenos aires|pretoria|
    brussels|brussel|bern|vienna|wina|lisbon|lisboa|dublin|stockholm|oslo|copenhagen|kopenhagen|athens|prague|
    praha|budapest|bucharest|belgrade|beograd|zagreb|kyiv|kiev|minsk|warsaw|warsawa|abuja|nairobi|addis ababa|
    rabat|tunis|tripoli|khartoum|juba|mogadishu|accra|havana|caracas|bogota|scotland|wales|northern ireland|
    irlandia utara
    """.replace("\n", "")
    .replace("    ", "")
    .split("|")
)


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
_CODE_TAILS = frozenset(
    [
        "flood",
        "floods",
        "flooding",
        "strong",
        "fire",
        "fires",
        "storm",
        "storms",
        "tornado",
        "quake",
        "shooting",
        "shootings",
        "protest",
        "protests",
        "rally",
        "blast",
        "explosion",
        "bombing",
        "attack",
        "siege",
        "crash",
        "rescue",
        "relief",
        "help",
        "evac",
        "evacuation",
        "police",
        "news",
    ]
)
_CODE_HEADS = frozenset(["prayfor", "pray4", "standwith", "helpfor", "love"])
# Three-letter short forms of places ("yyc", "nyc", "qld"), which lead or end hashtags: code and alias.
_SHORT_CODES = {
    alias: (code, alias) for alias in _PLACE_SHORT_FORMS if len(alias) == 3 and (code := _LOOKUP.get((alias,)))
}
_COMPOUND_HEADS = frozenset(p[:4] for p in _COMPOUND_PLACES)
_COMPOUND_TAILS = frozenset(p[-4:] for p in _COMPOUND_PLACES)
