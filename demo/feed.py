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
"""

from __future__ import annotations

import math
import random
import string
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

__all__ = ["DEFAULT_INCIDENTS", "DEFAULT_START", "ScriptedIncident", "events", "generate"]

DEFAULT_START = datetime(2026, 11, 28, tzinfo=UTC)

# Share of social posts whose language tag is missing, so the detector has to identify it itself.
LANG_MISSING_RATE = 0.15


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


_H = 3600.0


def _hm(hours: int, minutes: int) -> float:
    return float(hours * 3600 + minutes * 60)  # exact seconds, no float drift from 17.6 * 3600


DEFAULT_INCIDENTS: tuple[ScriptedIncident, ...] = (
    ScriptedIncident(
        "id-summons-au-ambassador", _hm(1, 30), 5.0 * _H, {"en": 0.45, "id": 0.55}, 8.0, 3, "11", ("ID", "AU")
    ),
    ScriptedIncident(
        "jkt-protest-myanmar-embassy", _hm(4, 18), 3.5 * _H, {"en": 0.15, "id": 0.85}, 6.0, 2, "141", ("MM", "ID")
    ),
    ScriptedIncident("in-rice-export-ban", _hm(6, 48), 4.0 * _H, {"en": 0.5, "id": 0.5}, 4.0, 3, "163", ("IN", "ID")),
    ScriptedIncident(
        "natuna-cn-coastguard-clash", _hm(9, 12), 5.0 * _H, {"en": 0.3, "id": 0.7}, 12.0, 3, "19", ("CN", "ID")
    ),
    ScriptedIncident(
        "tr-earthquake-wni-consular", _hm(11, 42), 6.0 * _H, {"en": 0.2, "id": 0.8}, 14.0, 4, "CONSULAR", ("TR", "ID")
    ),
    ScriptedIncident("nl-expels-ru-diplomats", _hm(13, 6), 600.0, {"en": 1.0}, 0.0, 1, "161", ("NL", "RU")),
    ScriptedIncident(
        "my-detains-wni-workers", _hm(15, 30), 5.0 * _H, {"en": 0.1, "id": 0.9}, 5.0, 2, "17", ("MY", "ID")
    ),
    ScriptedIncident(
        "gb-sanctions-ru-shadow-fleet", _hm(17, 36), 3.0 * _H, {"en": 0.8, "id": 0.2}, 3.0, 3, "163", ("GB", "RU")
    ),
)

# --------------------------------------------------------------------------------------------------
# Template machinery
# --------------------------------------------------------------------------------------------------

Filler = tuple[str, ...] | Callable[[random.Random], str]
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


def _num(lo: int, hi: int) -> Callable[[random.Random], str]:
    return lambda rng: str(rng.randint(lo, hi))


def _rupiah(lo: int, hi: int, step: int) -> Callable[[random.Random], str]:
    # Indonesian thousands separator is ".", e.g. 45.000
    return lambda rng: f"{rng.randrange(lo, hi + 1, step):,}".replace(",", ".")


def _clock(rng: random.Random) -> str:
    return f"{rng.randint(6, 22):02d}.{rng.choice((0, 15, 30, 45)):02d}"


def _shortlink(rng: random.Random) -> str:
    return "https://t.co/" + "".join(rng.choices(_ALNUM, k=10))


_ALNUM = string.ascii_letters + string.digits

# ISO code -> (English name, Indonesian name)
_COUNTRY_NAMES: dict[str, tuple[str, str]] = {
    "ID": ("Indonesia", "Indonesia"),
    "AU": ("Australia", "Australia"),
    "MM": ("Myanmar", "Myanmar"),
    "IN": ("India", "India"),
    "CN": ("China", "China"),
    "TR": ("Turkey", "Turki"),
    "JP": ("Japan", "Jepang"),
    "NL": ("the Netherlands", "Belanda"),
    "RU": ("Russia", "Rusia"),
    "MY": ("Malaysia", "Malaysia"),
    "GB": ("the United Kingdom", "Inggris"),
    "US": ("the United States", "Amerika Serikat"),
    "SA": ("Saudi Arabia", "Arab Saudi"),
    "SG": ("Singapore", "Singapura"),
    "PH": ("the Philippines", "Filipina"),
    "VN": ("Vietnam", "Vietnam"),
    "TH": ("Thailand", "Thailand"),
    "KR": ("South Korea", "Korea Selatan"),
    "DE": ("Germany", "Jerman"),
    "FR": ("France", "Prancis"),
    "EG": ("Egypt", "Mesir"),
    "NZ": ("New Zealand", "Selandia Baru"),
    "TL": ("Timor-Leste", "Timor Leste"),
    "PG": ("Papua New Guinea", "Papua Nugini"),
    "KP": ("North Korea", "Korea Utara"),
    "IR": ("Iran", "Iran"),
    "UA": ("Ukraine", "Ukraina"),
    "AE": ("the United Arab Emirates", "Uni Emirat Arab"),
    "QA": ("Qatar", "Qatar"),
}
# Countries that appear in harmless background diplomacy (cooperation, scholarships, festivals).
_FRIENDLY = ("JP", "KR", "AU", "NL", "DE", "TR", "MY", "SG", "CN", "US", "GB", "FR", "EG", "SA", "NZ", "IN")
_ISO_BY_NAME: dict[str, str] = {}
for _iso in _FRIENDLY:
    _en, _id = _COUNTRY_NAMES[_iso]
    _ISO_BY_NAME[_en] = _iso
    _ISO_BY_NAME[_id] = _iso

_EMOJI = ("😭", "🙏", "🔥", "😂", "🤣", "😅", "😍", "🥲", "👍", "💪", "😤", "🙄", "✨", "🤔")
_FILL: dict[str, Filler] = {
    "food_en": (
        "nasi goreng",
        "soto ayam",
        "bakso",
        "martabak manis",
        "sate padang",
        "gado-gado",
        "mie ayam",
        "rendang",
        "pecel lele",
        "ramen",
        "fried chicken",
        "dim sum",
        "seblak",
        "es teler",
        "bubur ayam",
        "nasi uduk",
        "iced kopi susu",
        "boba",
        "croissants",
        "pizza",
    ),
    "makanan": (
        "nasi goreng",
        "soto betawi",
        "bakso urat",
        "martabak telor",
        "sate ayam",
        "gado-gado",
        "mie ayam",
        "rendang",
        "pecel lele",
        "seblak",
        "ketoprak",
        "nasi padang",
        "bubur ayam",
        "nasi uduk",
        "es kopi susu",
        "gorengan",
        "ayam geprek",
        "indomie rebus",
        "siomay",
        "batagor",
        "soto mie",
        "nasi kuning",
    ),
    "place_en": (
        "the warung near my office",
        "a food court in Blok M",
        "Sarinah",
        "PIK",
        "Kemang",
        "Senopati",
        "a tiny place in Menteng",
        "Kota Tua",
        "the mall by the station",
        "my aunt's house",
        "the night market in Tebet",
        "a cafe in Cikini",
    ),
    "tempat": (
        "warung deket kantor",
        "foodcourt Blok M",
        "Sarinah",
        "PIK",
        "Kemang",
        "Senopati",
        "pinggir jalan Sabang",
        "Kota Tua",
        "mall deket stasiun",
        "rumah tante",
        "pasar malam Tebet",
        "kafe di Cikini",
        "kantin kampus",
        "depan gang",
    ),
    "area": (
        "Tebet",
        "Cawang",
        "Kemang",
        "Kelapa Gading",
        "Cibubur",
        "Depok",
        "Bekasi",
        "Bintaro",
        "BSD",
        "Cilandak",
        "Pondok Indah",
        "Grogol",
        "Rawamangun",
        "Cempaka Putih",
        "Pasar Minggu",
        "Tangerang",
        "Ciputat",
        "Sunter",
        "Kuningan",
        "Slipi",
        "Cengkareng",
        "Pulogadung",
    ),
    "road": (
        "Jl. Sudirman",
        "Jl. Gatot Subroto",
        "the Cawang interchange",
        "Jl. TB Simatupang",
        "the JORR toll road",
        "Jl. Rasuna Said",
        "Jl. Daan Mogot",
        "Jl. Fatmawati",
        "Jl. Casablanca",
        "the Cikampek toll road",
        "Jl. Pramuka",
        "Jl. MT Haryono",
        "Jl. Panjang",
        "Jl. Margonda",
    ),
    "jalan": (
        "Jl. Sudirman",
        "Gatsu",
        "Cawang",
        "Simatupang",
        "tol JORR",
        "Kuningan",
        "Daan Mogot",
        "Fatmawati",
        "Casablanca",
        "tol Cikampek",
        "Pramuka",
        "MT Haryono",
        "Margonda",
        "Kalimalang",
        "Pasar Rebo",
        "Lenteng Agung",
        "Ciledug raya",
    ),
    "stasiun": (
        "Manggarai",
        "Tanah Abang",
        "Sudirman",
        "Bogor",
        "Depok Baru",
        "Bekasi",
        "Duri",
        "Citayam",
        "Palmerah",
        "Kebayoran",
        "Juanda",
        "Serpong",
        "Tangerang",
        "Cikarang",
        "Jatinegara",
        "Pondok Cina",
        "Cawang",
        "Rawa Buntu",
    ),
    "city": (
        "Jakarta",
        "Bandung",
        "Surabaya",
        "Yogyakarta",
        "Semarang",
        "Medan",
        "Makassar",
        "Denpasar",
        "Malang",
        "Palembang",
        "Solo",
        "Bogor",
        "Balikpapan",
        "Pontianak",
        "Manado",
        "Padang",
    ),
    "team_id": (
        "Persija",
        "Persib",
        "Arema",
        "Persebaya",
        "PSM Makassar",
        "Bali United",
        "PSS Sleman",
        "Borneo FC",
        "Persis Solo",
        "Dewa United",
        "Madura United",
        "Persik Kediri",
        "PSIS Semarang",
    ),
    "team_en": (
        "Arsenal",
        "Liverpool",
        "Man City",
        "Man United",
        "Chelsea",
        "Real Madrid",
        "Barcelona",
        "Bayern",
        "Juventus",
        "Inter",
        "PSG",
        "Tottenham",
        "Newcastle",
        "Aston Villa",
    ),
    "kgroup": (
        "NewJeans",
        "SEVENTEEN",
        "BLACKPINK",
        "Stray Kids",
        "TWICE",
        "aespa",
        "ENHYPEN",
        "IVE",
        "NCT Dream",
        "TXT",
        "LE SSERAFIM",
        "ATEEZ",
        "ZEROBASEONE",
        "ITZY",
    ),
    "shop": ("Shopee", "Tokopedia", "Lazada", "TikTok Shop", "Blibli", "Zalora"),
    "item_en": (
        "running shoes",
        "earbuds",
        "a rice cooker",
        "a phone case",
        "a batik shirt",
        "a power bank",
        "a desk fan",
        "a tumbler",
        "skincare",
        "a backpack",
        "a mechanical keyboard",
    ),
    "barang": (
        "sepatu lari",
        "headset bluetooth",
        "skincare",
        "kemeja batik",
        "rice cooker",
        "casing HP",
        "tumbler",
        "jaket",
        "powerbank",
        "kipas angin",
        "tas ransel",
        "keyboard",
    ),
    "app": (
        "WhatsApp",
        "Instagram",
        "Gojek",
        "Grab",
        "Tokopedia",
        "Shopee",
        "Spotify",
        "BCA mobile",
        "Livin",
        "Netflix",
        "TikTok",
        "Google Maps",
        "JakLingko",
        "PeduliLindungi",
    ),
    "operator": ("Telkomsel", "XL", "Indosat", "Tri", "Smartfren", "IndiHome", "Biznet", "MyRepublic"),
    "pasar": (
        "Pasar Minggu",
        "Pasar Senen",
        "Pasar Kramat Jati",
        "Pasar Induk",
        "pasar deket rumah",
        "Pasar Rebo",
        "Pasar Baru",
        "Pasar Jatinegara",
        "Pasar Palmerah",
        "pasar kaget",
    ),
    "celeb_en": (
        "soap star Rara Aulia",
        "dangdut singer Mira Sandra",
        "YouTuber Dodi Ganteng",
        "influencer Tasya Kirana",
        "actor Reza Pratama",
        "comedian Bima Saputra",
    ),
    "seleb": (
        "artis sinetron Rara Aulia",
        "penyanyi dangdut Mira Sandra",
        "YouTuber Dodi Ganteng",
        "selebgram Tasya Kirana",
        "aktor Reza Pratama",
        "komika Bima Saputra",
    ),
    "uni": ("UI", "ITB", "UGM", "Unpad", "Undip", "ITS", "Binus", "Unair", "UNJ", "Trisakti"),
    "subject": ("statistics", "thesis", "calculus", "accounting", "organic chemistry", "macroeconomics"),
    "matkul": ("statistika", "skripsi", "kalkulus", "akuntansi", "kimia organik", "makroekonomi", "PKN"),
    "country_en": tuple(_COUNTRY_NAMES[c][0] for c in _FRIENDLY),
    "country_id": tuple(_COUNTRY_NAMES[c][1] for c in _FRIENDLY),
    "n": _num(2, 60),
    "big": _num(100, 900),
    "s1": _num(0, 4),
    "s2": _num(0, 3),
    "min": _num(3, 89),
    "temp": _num(29, 35),
    "pct": lambda rng: f"{rng.randint(1, 180) / 100:.2f}",
    "pct_id": lambda rng: f"{rng.randint(1, 180) / 100:.2f}".replace(".", ","),  # decimal comma
    "idx": lambda rng: f"{rng.randint(6900, 7700)}",
    "price": _rupiah(25_000, 120_000, 1_000),
    "beras": _rupiah(12_500, 17_500, 500),
    "jam": _clock,
    "hour": lambda rng: str(rng.randint(1, 11)),
    "url": _shortlink,
    "emoji": _EMOJI,
}
_WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


@dataclass(slots=True)
class _Ctx:
    """Per-stream fill context: slot lookups go facts -> scenario slots -> global fillers."""

    rng: random.Random
    authors: tuple[str, ...]
    facts: Mapping[str, str] = field(default_factory=dict)
    slots: Mapping[str, Filler] = field(default_factory=dict)


def _pick(filler: Filler, rng: random.Random) -> str:
    return rng.choice(filler) if isinstance(filler, tuple) else filler(rng)


def _fill(template: str, ctx: _Ctx, chosen: dict[str, str] | None = None) -> str:
    parts, names = _compile(template)
    out = [parts[0]]
    for name, literal in zip(names, parts[1:], strict=True):
        if name in ctx.facts:
            value = ctx.facts[name]
        elif name == "mention":
            value = "@" + ctx.rng.choice(ctx.authors)
        elif name in ctx.slots:
            value = _pick(ctx.slots[name], ctx.rng)
        else:
            value = _pick(_FILL[name], ctx.rng)
        if chosen is not None:
            chosen[name] = value
        out.append(value)
        out.append(literal)
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# Background content
# --------------------------------------------------------------------------------------------------

_BG_SOCIAL_EN: tuple[str, ...] = (
    "Just had the best {food_en} at {place_en}, no regrets {emoji}",
    "Anyone know a good {food_en} spot near {area}?",
    "{food_en} for lunch again. third time this week lol",
    "Why is {food_en} in {area} suddenly Rp{price} a portion?",
    "Craving {food_en} at 11pm is a personality trait at this point",
    "Traffic on {road} is insane right now, {n} minutes and I've moved about 200m",
    "Stuck on {road} again. Jakarta traffic never disappoints",
    "Left home at 6 and still late because of {road}. every single day",
    "Light rain in {area} this afternoon, bring an umbrella",
    "So humid today, {temp} degrees and it feels like a sauna",
    "Some puddles in {area} after the rain, ride carefully out there",
    "Thunder + rain in {area} right as I got off the bus. classic",
    "Cloudy all morning and my laundry is still wet {emoji}",
    "{team_en} vs {team_id} in a friendly?? I'd actually watch that",
    "{team_en} were awful tonight. {s1}-{s2} and it flattered them",
    "Predicting {s1}-{s2} for {team_en} this weekend, don't @ me",
    "What a save by the {team_id} keeper in the {min}th minute",
    "{kgroup} comeback teaser just dropped and I am not okay {emoji}",
    "Got tickets for {kgroup} in {city}!! still shaking",
    "The {kgroup} fancam from last night has {big}k views already",
    "{shop} flash sale at midnight and my cart is full again",
    "The {item_en} I ordered on {shop} arrived in {n} days, not bad",
    "Returned {item_en} to {shop} for the second time, wish me luck",
    "Back-to-back meetings all day, should be illegal",
    "Deadline at {hour}pm and my laptop decided to update now",
    "My boss scheduled a call at 5:55pm. why",
    "Working from a cafe in {area} today, wifi is actually decent",
    "{subject} exam tomorrow and I've read exactly one chapter",
    "Group project for {subject} where I'm doing everything. again",
    "KRL from {stasiun} delayed {n} minutes again this morning",
    "TransJakarta corridor {hour} is packed, couldn't even get in",
    "Took an ojol to {area}, driver knew every shortcut, 5 stars",
    "Commute from {area} to {area} took {n} minutes, new record (bad)",
    "Chili at {pasar} is Rp{price} per kilo now?? my mom is furious",
    "Rice went up again, Rp{beras} a kilo at the shop near my house",
    "{app} keeps crashing after the update, anyone else?",
    "Is {app} down or is it just me",
    "{operator} signal in {area} is a joke today",
    "Battery at 3% and {app} wants me to update. no",
    "Finally finished my {subject} assignment, time for {food_en}",
    "{celeb_en} spotted eating {food_en} at {place_en} apparently",
    "JCI closed {pct}% up today, my tiny portfolio says thanks",
    "Stocks red again, JCI down {pct}%. not looking at my app today",
    "The line at the {food_en} place in {area} is {n} people long. worth it?",
    "Happy birthday to my little sister! {n} already, time flies {emoji}",
    "Morning run around {area}, air quality is ok for once",
    "Can't believe parking in {area} is Rp{price} now",
    "Watching {team_en} highlights instead of sleeping, great decision",
)

_BG_SOCIAL_ID: tuple[str, ...] = (
    "Makan {makanan} di {tempat} enak bgt {emoji}",
    "Siang2 gini enaknya {makanan} sih",
    "Ada yg tau {makanan} enak deket {area}?",
    "{makanan} lagi, {makanan} lagi. dompet akhir bulan",
    "Tengah malem laper, akhirnya pesen {makanan} lewat ojol",
    "Macet parah di {jalan}, udah {n} menit gak gerak",
    "{jalan} padat merayap, mending lewat {jalan} aja",
    "Berangkat jam 6 tetep telat gara2 {jalan}. tiap hari begini",
    "Hujan gerimis di {area}, jangan lupa bawa payung",
    "Gerah banget hari ini, {temp} derajat rasanya kayak di oven",
    "Genangan dikit di {area} abis hujan, hati2 yg naik motor",
    "Mendung dari pagi, jemuran gak kering2 {emoji}",
    "Hujan deres bentar di {area}, sekarang udah reda",
    "Banjir dikit di depan gang, motor masih bisa lewat kok",
    "{team_id} main jam {jam} nanti, prediksi {s1}-{s2}",
    "Nobar {team_id} di mana gaes malam ini?",
    "Wasitnya aneh bgt tadi, {team_id} harusnya dapet penalti",
    "Kiper {team_id} lagi on fire, penyelamatan menit {min} gila sih",
    "{kgroup} comeback!! aku gak kuat {emoji}",
    "War tiket {kgroup} jam 12 siang, doain ya guys",
    "Udah nonton MV baru {kgroup}? {big} ribu views dalam sejam",
    "Checkout {barang} di {shop} pas flash sale, lumayan hemat",
    "Paket dari {shop} nyampe juga setelah {n} hari",
    "Kurir {shop} udah 3x salah alamat, capek",
    "Lembur lagi, semangat kerja gaes",
    "Deadline jam {jam} dan laptop malah update sendiri",
    "Meeting dari pagi sampe sore, kapan kerjanya",
    "Tugas {matkul} numpuk, dosennya ngasih deadline jam {jam}",
    "Besok UTS {matkul}, baru baca satu bab {emoji}",
    "Kerja kelompok {matkul} tapi yg kerja cuma aku",
    "KRL {stasiun} telat {n} menit lagi pagi ini",
    "TransJakarta koridor {hour} penuh banget, gak bisa masuk",
    "Ojol susah banget didapet jam segini di {area}",
    "Abang ojolnya ramah bgt, bintang 5 deh",
    "Transit di {stasiun} kayak perang tiap pagi",
    "Harga cabe rawit di {pasar} tembus Rp{price} per kg, emak2 pada ngeluh",
    "Beras naik lagi, sekarang Rp{beras}/kg di warung deket rumah",
    "Bawang merah di {pasar} Rp{price} sekilo, mahal amat",
    "{app} error terus dari tadi pagi",
    "{app} down ya? apa cuma aku",
    "Sinyal {operator} di {area} lemot banget hari ini",
    "Batre tinggal 3% terus {app} minta update, gak dulu",
    "Katanya {seleb} lagi liburan di {city}, rame di IG",
    "IHSG ditutup naik {pct_id}% hari ini, lumayan",
    "IHSG merah lagi, turun {pct_id}%. gak mau liat aplikasi saham dulu",
    "Antrian {makanan} di {area} panjang bgt, {n} orang. worth it gak?",
    "Selamat ulang tahun adikku yg ke-{n} {emoji}",
    "Jogging pagi di {area}, udaranya lumayan bersih hari ini",
    "Parkir di {area} sekarang Rp{price}?? gila",
    "Mudik ke {city} tahun ini naik kereta aja kayaknya",
    "Gajian masih lama, makan {makanan} dulu yg murah",
    "Anak kos {city} merapat, {makanan} paling enak di mana?",
)

_BG_NEWS_EN: tuple[tuple[str, str], ...] = (
    (
        "Jakarta council approves {n} new bus stops in {area}",
        "The city council approved funding for {n} new bus shelters along routes in {area}, "
        "officials said, with construction due to start next month.",
    ),
    (
        "{team_id} beat {team_id} {s1}-{s2} in Liga 1",
        "{team_id} moved up the table with a {s1}-{s2} win, the decisive goal coming in the {min}th minute.",
    ),
    (
        "JCI ends {pct}% higher as bank stocks rally",
        "The Jakarta Composite Index closed at {idx}, led by gains in banking and consumer shares.",
    ),
    (
        "{celeb_en} announces engagement",
        "The entertainer shared the news with followers on Instagram, posting photos from {city}.",
    ),
    (
        "Light to moderate rain forecast for Jakarta this week",
        "The meteorology agency said afternoon showers were likely across the capital, with temperatures "
        "between 24 and {temp} degrees Celsius.",
    ),
    (
        "Foreign minister speaks at seminar on digital diplomacy in {city}",
        "The minister told students and diplomats that technology could make public diplomacy more "
        "inclusive, at a seminar co-hosted with {country_en}.",
    ),
    (
        "Trade fair opens in {city} with exhibitors from {n} countries",
        "Organisers expect more than {big} buyers, including delegations from {country_en}, the trade ministry said.",
    ),
    (
        "Applications open for {big} scholarships to study in {country_en}",
        "The scholarship programme covers tuition and living costs for Indonesian master's students, "
        "the embassy of {country_en} said in a statement.",
    ),
    (
        "Ambassador of {country_en} visits batik workshop in {city}",
        "The ambassador met local artisans and discussed export opportunities for small businesses.",
    ),
    (
        "Indonesia and {country_en} mark {n} years of diplomatic relations with cultural night",
        "The embassy hosted music and food performances attended by officials and members of the public.",
    ),
    (
        "Indonesia, {country_en} agree to boost cooperation in renewable energy",
        "Officials from both countries signed a memorandum of understanding on training and investment.",
    ),
    (
        "Visa application centre for {country_en} moves to new location in {area}",
        "Applicants with existing appointments will be contacted by email, the embassy said.",
    ),
)

_BG_NEWS_ID: tuple[tuple[str, str], ...] = (
    (
        "DPRD DKI Setujui Anggaran {n} Halte Baru di {area}",
        "Pembangunan halte ditargetkan mulai bulan depan dan rampung sebelum akhir tahun, kata pejabat Pemprov.",
    ),
    (
        "{team_id} Tundukkan {team_id} {s1}-{s2} di Liga 1",
        "Gol penentu tercipta pada menit ke-{min} dan membawa tim naik ke papan atas klasemen.",
    ),
    (
        "IHSG Ditutup Menguat {pct_id}% ke Level {idx}",
        "Saham perbankan dan barang konsumsi menjadi penopang utama penguatan indeks sore ini.",
    ),
    (
        "{seleb} Resmi Lamaran, Netizen Heboh",
        "Kabar bahagia itu dibagikan lewat unggahan Instagram dengan latar acara keluarga di {city}.",
    ),
    (
        "BMKG: Hujan Ringan hingga Sedang Guyur Jakarta Sore Ini",
        "Warga diimbau membawa payung, suhu udara diperkirakan 24 sampai {temp} derajat Celsius.",
    ),
    (
        "Menlu Hadiri Seminar Diplomasi Digital di {city}",
        "Menlu mengajak mahasiswa memanfaatkan teknologi untuk diplomasi publik dalam seminar yang "
        "digelar bersama {country_id}.",
    ),
    (
        "Pameran Dagang Dibuka di {city}, Diikuti Peserta dari {n} Negara",
        "Delegasi dari {country_id} turut hadir, panitia menargetkan transaksi ratusan miliar rupiah.",
    ),
    (
        "Beasiswa Kuliah di {country_id} Dibuka untuk {big} Mahasiswa",
        "Beasiswa mencakup biaya kuliah dan hidup, pendaftaran dibuka hingga akhir bulan, kata Kedubes {country_id}.",
    ),
    (
        "Dubes {country_id} Kunjungi Sentra Batik di {city}",
        "Dubes berdialog dengan perajin dan membahas peluang ekspor bagi UMKM.",
    ),
    (
        "Kedubes {country_id} Gelar Festival Kuliner di Jakarta",
        "Festival menandai {n} tahun hubungan diplomatik dan terbuka untuk umum selama akhir pekan.",
    ),
    (
        "RI dan {country_id} Sepakati Kerja Sama Energi Terbarukan",
        "Kedua negara menandatangani nota kesepahaman tentang pelatihan dan investasi.",
    ),
    (
        "Kemlu Gelar Pelatihan Diplomasi Publik bagi Pelajar di {city}",
        "Sebanyak {big} pelajar mengikuti kegiatan yang membahas peran generasi muda dalam diplomasi.",
    ),
)

# Templates that only make sense at some Jakarta hours: (first hour, end hour), wrapping past midnight.
_TIME_WINDOWS: dict[str, tuple[int, int]] = {
    "Craving {food_en} at 11pm is a personality trait at this point": (21, 2),
    "Left home at 6 and still late because of {road}. every single day": (6, 11),
    "Light rain in {area} this afternoon, bring an umbrella": (11, 18),
    "Cloudy all morning and my laundry is still wet {emoji}": (10, 18),
    "KRL from {stasiun} delayed {n} minutes again this morning": (5, 11),
    "Morning run around {area}, air quality is ok for once": (5, 10),
    "Siang2 gini enaknya {makanan} sih": (10, 15),
    "Tengah malem laper, akhirnya pesen {makanan} lewat ojol": (22, 3),
    "Berangkat jam 6 tetep telat gara2 {jalan}. tiap hari begini": (6, 11),
    "Mendung dari pagi, jemuran gak kering2 {emoji}": (9, 18),
    "KRL {stasiun} telat {n} menit lagi pagi ini": (5, 11),
    "TransJakarta koridor {hour} penuh banget, gak bisa masuk": (5, 21),
    "Jogging pagi di {area}, udaranya lumayan bersih hari ini": (5, 10),
}


def _fits_hour(template: str, hour: int) -> bool:
    window = _TIME_WINDOWS.get(template)
    if window is None:
        return True
    lo, hi = window
    return lo <= hour < hi if lo < hi else (hour >= lo or hour < hi)


# Harmless social posts that use diplomatic vocabulary (so "embassy"/"Dubes" alone is not an incident).
_BG_DIPLO_EN: tuple[str, ...] = (
    "Proud of our foreign minister at the digital diplomacy seminar in {city} today",
    "The {country_en} embassy food festival this weekend was so good, go if you can",
    "Just got my visa from the {country_en} embassy, took {n} days. see you soon Europe trip",
    "Scholarship to study in {country_en} is open again, tag a friend who needs this",
    "The ambassador of {country_en} trying batik in {city} is the wholesome content I needed",
)
_BG_DIPLO_ID: tuple[str, ...] = (
    "Bangga liat Menlu kita ngisi seminar diplomasi digital di {city}",
    "Festival kuliner di Kedubes {country_id} kemarin seru banget, wajib dateng tahun depan",
    "Alhamdulillah visa {country_id} approved, {n} hari doang prosesnya",
    "Beasiswa ke {country_id} buka lagi nih, tag temen kalian yg mau S2",
    "Dubes {country_id} nyobain bikin batik di {city}, lucu bgt videonya",
    "Ngurus legalisir dokumen di Kemlu ternyata cepet, cuma {n} menit",
)

# Non-diplomatic bursts: (offset_s, duration_s, volume multiplier, en templates, id templates).
_Burst = tuple[float, float, float, tuple[str, ...], tuple[str, ...]]
_BURSTS: tuple[_Burst, ...] = (
    (
        3.0 * _H,
        1800.0,
        3.0,
        (
            "{kgroup} ticket war is a bloodbath, site crashed at 12:00 {emoji}",
            "Got {kgroup} tickets!!! CAT {hour}!!! I'm crying",
            "{kgroup} tickets sold out in {n} minutes. scalpers already selling at Rp{price}k",
        ),
        (
            "War tiket {kgroup} gila, webnya down jam 12 {emoji}",
            "DAPET TIKET {kgroup} CAT {hour}!!! nangis",
            "Tiket {kgroup} habis dalam {n} menit, calo udah jual Rp{price}",
            "Gagal war tiket {kgroup} lagi, antrian ke-{big} ribu",
        ),
    ),
    (
        5.1 * _H,
        2700.0,
        2.5,
        (
            "That viral {food_en} video from {area} has me starving",
            "Went to the viral {food_en} place in {area}, queue is {n} people long",
            "The uncle in the viral {food_en} video is so wholesome {emoji}",
        ),
        (
            "Video {makanan} viral itu ternyata di {area}",
            "Antri {makanan} viral di {area}, udah {n} orang di depan",
            "Bapak penjual {makanan} yg viral itu baik bgt {emoji}",
            "FYP isinya {makanan} {area} semua, jadi laper",
        ),
    ),
    (
        13.4 * _H,
        1200.0,
        5.0,
        (
            "GOAL!!! Indonesia lead {s1}-0 in the {min}th minute {emoji}",
            "What a goal for the Timnas!!! {min}'",
            "Indonesia scores!! the stadium is shaking",
        ),
        (
            "GOOOLLL!!! Timnas unggul {s1}-0 menit {min} {emoji}",
            "GOL GOL GOL!!! Indonesia!!!",
            "Golnya cantik banget, GBK pecah!!",
            "Gol menit {min}, Timnas Indonesia memimpin! #TimnasDay",
        ),
    ),
)

# News outlets per language and the shape of their URLs.
_NEWS_EN = ("reuters.com", "thejakartapost.com", "abc.net.au", "channelnewsasia.com")
_NEWS_ID = ("detik.com", "kompas.com", "antaranews.com", "tempo.co", "cnnindonesia.com")
_OUTLET_HANDLE = {
    "reuters.com": "Reuters",
    "thejakartapost.com": "jakpost",
    "abc.net.au": "abcnews",
    "channelnewsasia.com": "CNA",
    "detik.com": "detikcom",
    "kompas.com": "kompascom",
    "antaranews.com": "antaranews",
    "tempo.co": "tempodotco",
    "cnnindonesia.com": "CNNIndonesia",
}
_BYLINES = (
    "Ananda Putri",
    "Yosef Hadi",
    "Kate Lamb",
    "Stanley Widianto",
    "Rina Kusuma",
    "Fransiska Nangoy",
    "Bayu Prasetyo",
    "Johan Purnomo",
    "Sarah Ellis",
    "Dewi Anggraini",
    "Gayatri Suroyo",
)

_FIRST = (
    "andi",
    "budi",
    "sari",
    "dewi",
    "rizky",
    "putri",
    "agus",
    "wahyu",
    "nurul",
    "fajar",
    "intan",
    "dimas",
    "ayu",
    "yoga",
    "bayu",
    "rina",
    "siti",
    "eko",
    "tri",
    "lestari",
    "hendra",
    "fitri",
    "rahmat",
    "indah",
    "galih",
    "nanda",
    "jess",
    "tom",
    "liam",
    "chloe",
    "mia",
    "jack",
    "olivia",
    "noah",
    "emma",
    "ryan",
    "sophie",
    "daniel",
    "grace",
    "ben",
    "kevin",
    "tasya",
    "reza",
    "bima",
)
_SECOND = ("", "_", ".", "x", "_id", "jkt", "bdg", "sby", "official", "wkwk", "kece", "aja", "cuy", "88", "99")


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


@dataclass(frozen=True, slots=True)
class _Scenario:
    name: str
    social_en: tuple[str, ...]
    social_id: tuple[str, ...]
    news_en: tuple[tuple[str, str], ...]
    news_id: tuple[tuple[str, str], ...]
    tags_en: tuple[str, ...] = ()
    tags_id: tuple[str, ...] = ()
    slots: Mapping[str, Filler] = field(default_factory=dict)
    # Facts fixed once per incident (e.g. a quake's magnitude) so posts about it stay consistent.
    facts: Callable[[random.Random], dict[str, str]] = lambda rng: {}


_SCENARIOS: dict[str, _Scenario] = {}

_SCENARIOS["id-summons-au-ambassador"] = _Scenario(
    name="Indonesia summons Australian ambassador over surveillance row",
    social_en=(
        "Indonesia has summoned the Australian ambassador over reports of phone surveillance on {target_en}",
        "Jakarta summons Australia's envoy after the spying report. This is going to get ugly",
        "So Kemlu called in the Aussie ambassador over the wiretapping story. About time tbh",
        "Breaking: Australian ambassador summoned to Indonesia's foreign ministry over alleged spying {url}",
        "The surveillance row between Canberra and Jakarta is back. Ambassador summoned this morning",
        "Spying on {target_en}? Really? No wonder the ambassador got summoned",
        "{mention} any comment from DFAT on the ambassador being summoned in Jakarta?",
        "Indonesia demands an explanation from Australia over alleged eavesdropping on {target_en}",
        "Feels like 2013 all over again: Australia's ambassador summoned over spying claims",
        "Ambassador summoned, protest note delivered. Indonesia wants answers on the surveillance claims",
        "Aussie mates, your government allegedly tapping {target_en} is not a good look. Jakarta is furious",
        "Foreign ministry spokesperson says summoning the Australian envoy is 'a clear signal' to Canberra",
        "Canberra says it 'does not comment on intelligence matters' after its ambassador was summoned",
        "If the spying report is true, summoning the ambassador is the minimum. Expect a downgrade next",
        "Indonesia-Australia ties take a hit as Jakarta summons envoy over bugging allegations {url}",
    ),
    social_id=(
        "Kemlu panggil Dubes Australia terkait dugaan penyadapan terhadap {target_id}",
        "Dubes Australia dipanggil Kemenlu terkait penyadapan. Harus tegas!!",
        "Australia nyadap {target_id} lagi? kok bisa sih. Untung Kemlu langsung panggil dubesnya",
        "Pagi ini Dubes Australia dipanggil ke Pejambon, dimintai penjelasan soal penyadapan {url}",
        "Kemlu RI layangkan nota protes ke Australia soal isu penyadapan. Dubesnya udah dipanggil",
        "Kalau bener disadap, ya wajar Dubes Australia dipanggil. Ini soal kedaulatan",
        "Jubir Kemlu: pemanggilan Dubes Australia untuk minta klarifikasi soal penyadapan {target_id}",
        "penyadapan lagi penyadapan lagi. kayak 2013 aja, dubes australia dipanggil kemlu",
        "{mention} gimana tanggapan Canberra soal dubesnya dipanggil Kemlu?",
        "Indonesia minta Australia jelaskan dugaan penyadapan, Dubes Australia dipanggil hari ini",
        "Usir aja dubesnya kalo terbukti nyadap {target_id}",
        "RI protes keras, Dubes Australia dipanggil Kemenlu soal dugaan spionase",
        "Hubungan RI-Australia memanas lagi gara2 isu penyadapan {target_id}",
        "Tadi liat mobil Kedubes Australia masuk Kemlu, ternyata dubesnya dipanggil soal sadap2an",
        "Pemerintah Australia belum mau komentar soal dugaan penyadapan, Dubesnya baru keluar dari Kemlu",
    ),
    news_en=(
        (
            "Indonesia summons Australian ambassador over spying allegations",
            "Indonesia's foreign ministry summoned Australia's ambassador on {day_en} to seek an "
            "explanation over reports that {target_en} had been placed under surveillance, a ministry "
            "spokesperson said.",
        ),
        (
            "Jakarta summons Canberra's envoy amid surveillance row",
            "The ambassador was handed a protest note at the foreign ministry in Pejambon, the spokesperson "
            "said, adding that Indonesia expected a full and prompt explanation.",
        ),
        (
            "Indonesia demands answers from Australia over alleged phone tapping",
            "Australia's government said it did not comment on intelligence matters but valued its relationship "
            "with Indonesia, after its ambassador was summoned in Jakarta.",
        ),
    ),
    news_id=(
        (
            "Kemlu Panggil Dubes Australia Terkait Dugaan Penyadapan",
            "Kementerian Luar Negeri RI memanggil Duta Besar Australia untuk Indonesia pada {day_id} untuk "
            "meminta klarifikasi atas laporan penyadapan terhadap {target_id}.",
        ),
        (
            "Dubes Australia Dipanggil Kemenlu, RI Minta Penjelasan soal Penyadapan",
            "Juru bicara Kemlu mengatakan pemerintah menyerahkan nota protes dan menunggu penjelasan resmi "
            "dari Canberra.",
        ),
        (
            "RI Layangkan Nota Protes ke Australia soal Isu Penyadapan",
            "Pemanggilan Dubes Australia dilakukan setelah muncul laporan dugaan penyadapan terhadap "
            "{target_id}, kata Kemlu.",
        ),
    ),
    tags_en=("#Indonesia", "#Australia", "#SpyingRow", "#auspol"),
    tags_id=("#Penyadapan", "#Kemlu", "#IndonesiaAustralia", "#Kedaulatan"),
    slots={
        "target_en": (
            "senior Indonesian officials",
            "the President's inner circle",
            "cabinet ministers",
            "Indonesian trade negotiators",
            "Indonesian diplomats",
            "top officials in Jakarta",
        ),
        "target_id": (
            "pejabat tinggi RI",
            "lingkaran dalam Presiden",
            "para menteri",
            "tim negosiator dagang RI",
            "diplomat Indonesia",
            "pejabat negara",
        ),
    },
)

_SCENARIOS["jkt-protest-myanmar-embassy"] = _Scenario(
    name="Protest outside the Myanmar embassy in Jakarta over the Rohingya",
    social_en=(
        "Hundreds rally outside the Myanmar embassy in Jakarta in support of the Rohingya",
        "Protest at the Myanmar embassy in Menteng, police have closed part of Jalan Agus Salim",
        "Big crowd outside Myanmar's embassy in Jakarta right now, chanting for the Rohingya {url}",
        "Jakarta protesters demand Myanmar stop the violence against the Rohingya, rally still going",
        "Avoid Menteng for now, there's a demo outside the Myanmar embassy",
        "Protesters at the Myanmar embassy want the ambassador sent home. Crowd is {crowd_en}",
    ),
    social_id=(
        "Ratusan orang unjuk rasa di depan Kedubes Myanmar, tuntut hentikan kekerasan terhadap Rohingya",
        "Demo di Kedubes Myanmar Jl. Agus Salim, lalu lintas dialihkan",
        "Massa aksi bela Rohingya mulai berkumpul di depan Kedubes Myanmar jam {jam} WIB",
        "Hindari Menteng ya, ada demo di depan Kedubes Myanmar, polisi pasang kawat berduri",
        "Aksi solidaritas Rohingya di Kedubes Myanmar, massa bawa spanduk dan bendera {url}",
        "Orasi di depan Kedubes Myanmar makin panas, polisi jaga ketat",
        "Yg demo di Kedubes Myanmar {crowd_id}, rame bgt sampe ke Sarinah",
        "Unjuk rasa di Kedubes Myanmar berjalan damai, perwakilan massa diterima pihak kedutaan",
        "lagi lewat agus salim, rame demo di depan kedubes myanmar. puter balik aja",
        "Massa tuntut Dubes Myanmar diusir dari Indonesia, demo masih berlangsung",
        "Stop kekerasan terhadap Rohingya! Kami berdiri di depan Kedubes Myanmar hari ini",
        "{mention} bang masih ada demo di Kedubes Myanmar? mau lewat Thamrin",
        "Polisi alihkan arus di sekitar Kedubes Myanmar karena aksi unjuk rasa bela Rohingya",
        "Aksi di depan Kedubes Myanmar sempet dorong2an sama aparat tapi udah kondusif",
    ),
    news_en=(
        (
            "Hundreds protest outside Myanmar embassy in Jakarta over Rohingya",
            "Demonstrators gathered outside the embassy in central Jakarta on {day_en}, urging Myanmar to end "
            "violence against the Rohingya minority, as police diverted traffic around the area.",
        ),
    ),
    news_id=(
        (
            "Ratusan Massa Unjuk Rasa di Depan Kedubes Myanmar, Tuntut Perlindungan Rohingya",
            "Massa berkumpul di depan Kedutaan Besar Myanmar di Jakarta Pusat pada {day_id} dan menyampaikan "
            "orasi secara bergantian, polisi mengalihkan arus lalu lintas di Jalan Agus Salim.",
        ),
        (
            "Demo Bela Rohingya di Kedubes Myanmar, Lalu Lintas Jalan Agus Salim Dialihkan",
            "Ratusan personel gabungan diterjunkan untuk mengamankan aksi unjuk rasa di depan Kedubes Myanmar.",
        ),
    ),
    tags_en=("#SaveRohingya", "#Rohingya", "#Jakarta"),
    tags_id=("#SaveRohingya", "#Rohingya", "#AksiBelaRohingya", "#infojakarta"),
    slots={
        "crowd_en": ("a few hundred people", "growing fast", "mostly students", "hundreds strong"),
        "crowd_id": ("ratusan orang", "kebanyakan mahasiswa", "makin banyak", "kayaknya ratusan"),
    },
)

_SCENARIOS["in-rice-export-ban"] = _Scenario(
    name="India bans rice exports, hitting Indonesian importers",
    social_en=(
        "India just banned exports of non-basmati rice. Indonesia imports a lot of it, prices will jump",
        "India's rice export ban is going to hurt importers across Southeast Asia {url}",
        "Export ban on Indian rice effective immediately, traders in Jakarta scrambling",
        "With India's export ban, how long until rice hits Rp{beras_hi} a kilo here?",
        "Bulog says stocks are safe for {months} months despite India's rice export ban",
        "India restricting rice exports again. Food security is foreign policy now",
        "Analysts expect Indonesia to look to Vietnam and Thailand after the India rice export ban",
    ),
    social_id=(
        "India larang ekspor beras, harga beras di Indonesia bisa naik",
        "Larangan ekspor beras India berlaku mulai hari ini, importir kita gimana?",
        "Bulog bilang stok beras aman {months} bulan walau India larang ekspor",
        "Waduh India stop ekspor beras, siap2 harga naik lagi di pasar",
        "Kebijakan larangan ekspor beras India bikin pedagang di Cipinang waswas {url}",
        "Pemerintah harus cari sumber impor lain, India udah larang ekspor beras non-basmati",
        "beras udah Rp{beras_hi} di warung, sekarang India larang ekspor pula",
        "Kemendag pantau dampak larangan ekspor beras dari India",
    ),
    news_en=(
        (
            "India bans non-basmati rice exports, rattling Asian importers",
            "India's government on {day_en} banned exports of non-basmati white rice with immediate effect to "
            "curb domestic prices, a move traders said would tighten supply for importers including Indonesia.",
        ),
        (
            "Indonesia says rice stocks secure after India export ban",
            "State logistics agency Bulog said reserves were sufficient for {months} months and it "
            "would diversify suppliers.",
        ),
    ),
    news_id=(
        (
            "India Larang Ekspor Beras, Pemerintah Pastikan Stok Bulog Aman",
            "Pemerintah India melarang ekspor beras non-basmati mulai {day_id}, Bulog memastikan cadangan beras "
            "nasional cukup untuk {months} bulan ke depan.",
        ),
        (
            "Larangan Ekspor Beras India Dikhawatirkan Kerek Harga di Dalam Negeri",
            "Pedagang di Pasar Induk Beras Cipinang mengatakan harga grosir mulai bergerak naik.",
        ),
    ),
    tags_en=("#rice", "#India", "#foodsecurity"),
    tags_id=("#beras", "#HargaBeras", "#Bulog"),
    facts=lambda rng: {
        "months": str(rng.randint(4, 7)),
        "beras_hi": f"{rng.randrange(17_000, 20_001, 500):,}".replace(",", "."),
    },
)

_SCENARIOS["natuna-cn-coastguard-clash"] = _Scenario(
    name="Chinese coast guard rams Indonesian fishing boats near Natuna",
    social_en=(
        "Chinese coast guard vessel rammed Indonesian fishing boats near Natuna, {injured} fishermen injured",
        "Clash in the North Natuna Sea: a Chinese coast guard ship collided with Indonesian boats {url}",
        "Bakamla says a China Coast Guard ship rammed {boats} fishing boats inside Indonesia's EEZ",
        "Indonesian navy dispatching warships to Natuna after the coast guard clash",
        "Video shows a Chinese coast guard ship slamming into an Indonesian fishing boat off Natuna",
        "Natuna is Indonesian waters. Ramming fishermen is not 'law enforcement', it's an attack",
        "{mention} are the injured fishermen from Natuna getting treatment?",
        "Jakarta will protest to Beijing over the Natuna ramming, foreign ministry sources say",
    ),
    social_id=(
        "Kapal penjaga pantai China masuk perairan Natuna, tabrak kapal nelayan kita",
        "Kapal coast guard China tabrak kapal nelayan di Laut Natuna Utara, {injured} nelayan luka",
        "Bakamla kejar kapal China di Natuna setelah insiden tabrakan {url}",
        "TNI AL kirim KRI ke Natuna setelah kapal nelayan ditabrak kapal China",
        "Natuna itu wilayah Indonesia! Kapal China keluar!!",
        "Videonya ngeri, kapal penjaga pantai China sengaja nabrak kapal nelayan Natuna",
        "{boats} kapal nelayan Natuna rusak ditabrak kapal China, nelayan trauma melaut",
        "Kemlu bakal protes keras ke Beijing soal insiden tabrakan di Natuna",
        "Doa buat {injured} nelayan Natuna yg luka, semoga cepet pulih",
        "Kapal China bentrok sama nelayan kita di ZEE Natuna, pemerintah jangan diem aja",
        "{mention} tolong diusut, kapal coast guard China nabrak nelayan Natuna",
        "Nelayan Natuna cerita kapal China datang malam2 terus nabrak dari samping",
    ),
    news_en=(
        (
            "Chinese coast guard ship rams Indonesian fishing boats near Natuna, fishermen say",
            "A China Coast Guard vessel collided with {boats} Indonesian fishing boats in the North "
            "Natuna Sea on {day_en}, injuring {injured} fishermen, Indonesia's maritime security agency said.",
        ),
        (
            "Indonesia deploys warships to Natuna after clash with Chinese coast guard",
            "The navy said it had sent additional vessels to the area, inside Indonesia's exclusive economic zone.",
        ),
    ),
    news_id=(
        (
            "Kapal Penjaga Pantai China Tabrak Kapal Nelayan Indonesia di Perairan Natuna",
            "Bakamla menyebut kapal China Coast Guard menabrak {boats} kapal nelayan Indonesia di Laut Natuna "
            "Utara pada {day_id}, menyebabkan {injured} nelayan luka-luka.",
        ),
        (
            "TNI AL Kerahkan KRI ke Natuna Usai Insiden Tabrakan dengan Kapal China",
            "Penambahan kekuatan dilakukan untuk mengamankan zona ekonomi eksklusif Indonesia.",
        ),
    ),
    tags_en=("#Natuna", "#SouthChinaSea", "#Indonesia"),
    tags_id=("#Natuna", "#NatunaMilikIndonesia", "#NKRI", "#Bakamla"),
    facts=lambda rng: {"injured": str(rng.randint(2, 6)), "boats": str(rng.randint(3, 8))},
)

_SCENARIOS["tr-earthquake-wni-consular"] = _Scenario(
    name="Earthquake in Turkey: embassy checks on Indonesian citizens",
    social_en=(
        "Magnitude {mag_en} earthquake hits {city_tr}, Turkey. Indonesian embassy checking on citizens",
        "Indonesian students in {city_tr} safe after the quake, embassy in Ankara says",
        "Indonesian embassy in Ankara opened a hotline for citizens affected by the earthquake {url}",
        "My cousin studies in {city_tr}, still can't reach her after the quake. Praying",
        "Evacuation of Indonesian nationals from {city_tr} under way after the earthquake",
        "{mention} any update on Indonesians in {city_tr} after the earthquake?",
    ),
    social_id=(
        "Gempa M{mag_id} guncang Turki, KBRI Ankara pastikan kondisi WNI",
        "KBRI Ankara buka hotline untuk WNI terdampak gempa: {hotline}",
        "Adik saya kuliah di {city_tr}, belum bisa dihubungi sejak gempa. Mohon info KBRI",
        "Data KBRI: {wni} WNI tinggal di {city_tr}, sedang didata satu per satu pasca gempa",
        "Semoga WNI di Turki aman semua. Gempanya kenceng banget katanya",
        "KJRI Istanbul dan KBRI Ankara koordinasi evakuasi WNI dari {city_tr} {url}",
        "Kemlu: belum ada laporan WNI jadi korban jiwa gempa Turki",
        "Innalillahi, gempa M{mag_id} di {city_tr}. Teman2 mahasiswa Indonesia di sana gimana kabarnya?",
        "Mahasiswa Indonesia di {city_tr} mengungsi ke masjid kampus, KBRI kirim bantuan logistik",
        "{mention} mohon dibantu, keluarga saya WNI di {city_tr} belum ada kabar",
        "PPI Turki bikin posko buat WNI korban gempa di {city_tr}",
        "KBRI Ankara: WNI yang butuh evakuasi silakan hubungi hotline {hotline}",
        "Alhamdulillah sepupu udah ada kabar, aman di penampungan KBRI. Makasih KBRI Ankara",
    ),
    news_en=(
        (
            "Indonesia checks on citizens after strong quake in Turkey",
            "Indonesia's embassy in Ankara said on {day_en} it was contacting some {wni} Indonesian "
            "nationals living in {city_tr} after a magnitude {mag_en} earthquake struck the region.",
        ),
        (
            "Indonesian embassy opens hotline, plans evacuation after Turkey earthquake",
            "Citizens needing assistance were urged to call the embassy hotline, the foreign ministry said.",
        ),
    ),
    news_id=(
        (
            "Gempa M{mag_id} Guncang Turki, KBRI Ankara Data WNI Terdampak",
            "KBRI Ankara tengah mendata sekitar {wni} WNI yang tinggal di {city_tr} dan sekitarnya pasca gempa "
            "berkekuatan M{mag_id} pada {day_id}.",
        ),
        (
            "Kemlu: Belum Ada Laporan WNI Jadi Korban Jiwa Gempa Turki",
            "Kemlu memastikan perlindungan WNI menjadi prioritas dan membuka hotline {hotline}.",
        ),
        (
            "KBRI Ankara Evakuasi Mahasiswa Indonesia dari {city_tr}",
            "Evakuasi dilakukan bekerja sama dengan PPI Turki dan otoritas setempat.",
        ),
    ),
    tags_en=("#TurkeyEarthquake", "#PrayForTurkey"),
    tags_id=("#GempaTurki", "#PrayForTurkiye", "#WNI", "#KBRIAnkara"),
    facts=lambda rng: _quake_facts(rng),
)


def _quake_facts(rng: random.Random) -> dict[str, str]:
    mag = rng.choice((6.4, 6.6, 6.8, 7.0, 7.1))
    return {
        "mag_en": f"{mag:.1f}",
        "mag_id": f"{mag:.1f}".replace(".", ","),  # Indonesian decimal comma
        "city_tr": rng.choice(("Malatya", "Kahramanmaras", "Elazig", "Erzincan", "Adiyaman")),
        "wni": str(rng.randint(40, 160)),
        "hotline": f"+90 5{rng.randint(10, 59)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
    }


_SCENARIOS["nl-expels-ru-diplomats"] = _Scenario(
    name="Netherlands expels two Russian diplomats over espionage",
    social_en=("The Netherlands is expelling two Russian diplomats accused of spying {url}",),
    social_id=("Belanda usir dua diplomat Rusia karena dugaan spionase {url}",),
    news_en=(
        (
            "Netherlands expels two Russian diplomats accused of espionage",
            "The Dutch foreign ministry said on {day_en} it had ordered two Russian diplomats to leave "
            "the country within {days} days after the intelligence service accused them of gathering "
            "information on high-tech firms. Moscow called the decision unfounded and said it would respond.",
        ),
    ),
    news_id=(
        (
            "Belanda Usir Dua Diplomat Rusia atas Tuduhan Spionase",
            "Kementerian Luar Negeri Belanda pada {day_id} memerintahkan dua diplomat Rusia meninggalkan negara "
            "itu dalam {days} hari.",
        ),
    ),
    facts=lambda rng: {"days": str(rng.choice((7, 10, 14)))},
)

_SCENARIOS["my-detains-wni-workers"] = _Scenario(
    name="Malaysia detains Indonesian migrant workers",
    social_en=(
        "Malaysian authorities detain {workers} Indonesian migrant workers in {state} immigration raid",
        "Indonesian embassy in Kuala Lumpur seeking consular access to the workers detained in {state} {url}",
        "Reports of Indonesian workers held in cramped detention depots in {state}. Jakarta must act",
    ),
    social_id=(
        "{workers} PMI ditahan di {state}, Malaysia. KBRI Kuala Lumpur dampingi proses hukum",
        "WNI ditangkap dalam razia pekerja migran di {state}, keluarga minta pemerintah turun tangan",
        "Kasian bgt saudara kita PMI ditahan di depot imigresen {state}",
        "Kementerian P2MI: {workers} pekerja migran Indonesia ditahan otoritas Malaysia {url}",
        "KBRI KL minta akses kekonsuleran untuk WNI yang ditahan di {state}",
        "Suami saya salah satu PMI yg ditahan di {state}, tolong dibantu pulang",
        "Razia PMI di {state} lagi, ratusan orang ditangkap, kebanyakan WNI",
        "{mention} mohon perhatiannya, PMI ditahan di {state} tanpa kabar ke keluarga",
        "Pemerintah harus tegas, jangan biarin PMI kita ditahan lama di Malaysia",
        "Katanya PMI yg ditahan di {state} bakal dideportasi minggu depan",
    ),
    news_en=(
        (
            "Malaysia detains {workers} Indonesian migrant workers in {state} raid",
            "Malaysian immigration officers detained {workers} Indonesians during raids on plantations and "
            "construction sites in {state} on {day_en}, Indonesia's embassy said.",
        ),
    ),
    news_id=(
        (
            "{workers} Pekerja Migran Indonesia Ditahan di {state}, KBRI Berikan Pendampingan",
            "KBRI Kuala Lumpur menyatakan telah meminta akses kekonsuleran bagi {workers} WNI yang "
            "ditahan dalam operasi imigrasi di {state} pada {day_id}.",
        ),
        (
            "Keluarga PMI yang Ditahan di Malaysia Minta Pemerintah Turun Tangan",
            "Sebagian besar pekerja yang ditahan berasal dari NTB dan NTT, kata pendamping keluarga.",
        ),
    ),
    tags_en=("#Indonesia", "#Malaysia", "#migrantworkers"),
    tags_id=("#PMI", "#PekerjaMigran", "#LindungiPMI", "#WNI"),
    facts=lambda rng: {
        "workers": str(rng.randint(35, 140)),
        "state": rng.choice(("Sabah", "Johor", "Selangor", "Sarawak")),
    },
)

_SCENARIOS["gb-sanctions-ru-shadow-fleet"] = _Scenario(
    name="UK imposes sanctions on Russian shadow-fleet tankers",
    social_en=(
        "UK announces sanctions on {tankers} tankers in Russia's shadow fleet",
        "New British sanctions target shadow fleet tankers and the firms insuring them {url}",
        "London slaps sanctions on Russian oil tankers again. Will it actually bite this time?",
        "The UK's latest sanctions list has {tankers} vessels, some flagged in Asia",
        "Sanctions on the shadow fleet: UK adds {tankers} tankers and two traders in Dubai",
    ),
    social_id=(
        "Inggris jatuhkan sanksi ke {tankers} kapal tanker armada bayangan Rusia",
        "Sanksi baru Inggris sasar kapal tanker minyak Rusia {url}",
        "Inggris umumkan sanksi terhadap armada bayangan Rusia, {tankers} kapal masuk daftar",
    ),
    news_en=(
        (
            "UK sanctions {tankers} tankers in Russia's shadow fleet",
            "Britain on {day_en} imposed sanctions on {tankers} oil tankers it said were part of "
            "Russia's shadow fleet, as well as on companies that insure and manage them.",
        ),
        (
            "Britain widens sanctions on Russian oil shipping",
            "The foreign office said the measures were designed to cut revenues funding the war in Ukraine.",
        ),
    ),
    news_id=(
        (
            "Inggris Jatuhkan Sanksi ke {tankers} Kapal Tanker Armada Bayangan Rusia",
            "Pemerintah Inggris pada {day_id} mengumumkan sanksi terhadap kapal-kapal yang dituding mengangkut "
            "minyak Rusia.",
        ),
    ),
    tags_en=("#sanctions", "#Russia", "#shadowfleet"),
    tags_id=("#sanksi", "#Rusia"),
    facts=lambda rng: {"tankers": str(rng.randint(20, 45))},
)

# Fallback wording for user-supplied incidents, keyed by expected CAMEO type; {a_*}/{b_*} are countries.
_GENERIC: dict[str, tuple[tuple[str, ...], tuple[str, ...], str, str]] = {
    "11": (
        ("{a_en} voices strong disapproval of {b_en}", "{a_en} summons {b_en}'s envoy in diplomatic row"),
        ("{a_id} kecam keras {b_id}", "{a_id} panggil duta besar {b_id}"),
        "{a_en} criticises {b_en} in diplomatic row",
        "{a_id} Kecam {b_id}",
    ),
    "14": (
        ("Protests erupt in {a_en} against {b_en}", "Crowds protest against {b_en} policy in {a_en}"),
        ("Aksi protes terhadap {b_id} digelar di {a_id}", "Massa protes kebijakan {b_id}"),
        "Protests in {a_en} against {b_en}",
        "Aksi Protes terhadap {b_id} di {a_id}",
    ),
    "141": (
        ("Hundreds rally outside the {b_en} embassy in {a_en}", "Demo at the {b_en} embassy today"),
        ("Ratusan orang demo di depan Kedubes {b_id}", "Unjuk rasa di Kedubes {b_id} hari ini"),
        "Hundreds rally outside {b_en} embassy",
        "Ratusan Massa Unjuk Rasa di Kedubes {b_id}",
    ),
    "16": (
        ("{a_en} downgrades ties with {b_en}", "{a_en} recalls its ambassador from {b_en}"),
        ("{a_id} turunkan hubungan diplomatik dengan {b_id}", "{a_id} tarik dubesnya dari {b_id}"),
        "{a_en} downgrades relations with {b_en}",
        "{a_id} Turunkan Hubungan dengan {b_id}",
    ),
    "161": (
        ("{a_en} expels {b_en} diplomats", "{b_en} diplomats told to leave {a_en}"),
        ("{a_id} usir diplomat {b_id}", "Diplomat {b_id} diminta tinggalkan {a_id}"),
        "{a_en} expels {b_en} diplomats",
        "{a_id} Usir Diplomat {b_id}",
    ),
    "163": (
        ("{a_en} imposes sanctions on {b_en}", "New {a_en} embargo hits {b_en} trade"),
        ("{a_id} jatuhkan sanksi ke {b_id}", "Embargo {a_id} hantam perdagangan {b_id}"),
        "{a_en} imposes sanctions on {b_en}",
        "{a_id} Jatuhkan Sanksi terhadap {b_id}",
    ),
    "17": (
        ("{a_en} detains {b_en} nationals", "{b_en} citizens held by {a_en} authorities"),
        ("{a_id} tahan warga {b_id}", "Warga {b_id} ditahan aparat {a_id}"),
        "{a_en} detains {b_en} nationals",
        "{a_id} Tahan Warga {b_id}",
    ),
    "18": (
        ("{b_en} nationals attacked in {a_en}", "Assault on {b_en} citizens in {a_en} condemned"),
        ("Warga {b_id} diserang di {a_id}", "Penyerangan terhadap warga {b_id} di {a_id} dikecam"),
        "{b_en} nationals attacked in {a_en}",
        "Warga {b_id} Diserang di {a_id}",
    ),
    "19": (
        ("Clash between {a_en} and {b_en} forces", "{a_en} and {b_en} vessels collide in disputed waters"),
        ("Bentrok aparat {a_id} dan {b_id}", "Kapal {a_id} dan {b_id} bertabrakan di perairan sengketa"),
        "{a_en} and {b_en} forces clash",
        "Bentrok antara {a_id} dan {b_id}",
    ),
    "CONSULAR": (
        ("{b_en} citizens in {a_en} seek consular help", "Embassy checks on {b_en} nationals in {a_en}"),
        ("WNI di {a_id} butuh bantuan kekonsuleran", "KBRI pantau kondisi WNI di {a_id}"),
        "{b_en} citizens in {a_en} need consular help",
        "KBRI Data WNI di {a_id}",
    ),
}


def _scenario_for(inc: ScriptedIncident) -> _Scenario:
    known = _SCENARIOS.get(inc.event_id)
    if known is not None:
        return known
    en, idn, head_en, head_id = _GENERIC.get(inc.expected_type, _GENERIC["11"])
    codes = (*inc.countries, "ID", "ID")[:2]
    names = [_COUNTRY_NAMES.get(c, (c, c)) for c in codes]
    facts = {"a_en": names[0][0], "b_en": names[1][0], "a_id": names[0][1], "b_id": names[1][1]}
    return _Scenario(
        name=inc.event_id.replace("-", " "),
        social_en=tuple(t + suffix for t in en for suffix in ("", " {url}", ", {mention}")),
        social_id=tuple(t + suffix for t in idn for suffix in ("", " {url}", ", {mention}")),
        news_en=((head_en, "Officials confirmed the development on {day_en}."),),
        news_id=((head_id, "Pejabat terkait membenarkan hal itu pada {day_id}."),),
        facts=lambda rng: dict(facts),
    )


# --------------------------------------------------------------------------------------------------
# Text perturbations (retweets, near-duplicates, typos, casing) shared by all streams
# --------------------------------------------------------------------------------------------------

_PREFIX_EN = ("", "", "", "", "BREAKING: ", "Wow. ", "Just in: ", "Hmm, ", "Wait, ")
_PREFIX_ID = ("", "", "", "", "BREAKING: ", "Waduh, ", "Wah, ", "Info: ", "Astaga, ")
# Laughing or heart-eyes emoji under a quake or a detention would look absurd; incidents get these.
_EMOJI_SERIOUS = ("🙏", "😢", "😤", "🤔", "‼️", "👀", "😔", "💔", "😟")
_TAIL_EN = ("lol", "smh", "tbh", "ugh", "!!", "...")
_TAIL_ID = ("wkwk", "hadeh", "huhu", "sih", "deh", "anjir", "!!", "...")
_SHORTEN = {
    "banget": "bgt",
    "yang": "yg",
    "tidak": "gak",
    "sudah": "udah",
    "dengan": "dgn",
    "you": "u",
    "are": "r",
    "please": "pls",
    "because": "bc",
    "people": "ppl",
}


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
        text = rng.choice(_PREFIX_EN if lang == "en" else _PREFIX_ID) + text
    r = rng.random()
    if r < 0.06:
        text = f"@{rng.choice(_FIRST)}{rng.randint(1, 999)} " + text
    if rng.random() < 0.22:
        text += " " + rng.choice(_EMOJI_SERIOUS if incident else _EMOJI)
    if not incident and rng.random() < 0.12:
        text += " " + rng.choice(_TAIL_EN if lang == "en" else _TAIL_ID)
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
        words = [_SHORTEN.get(w, w) for w in text.split(" ")]
        out = " ".join(words)
        return out if out != text else text + "!!"
    if op == 3:
        return (
            rng.choice(("This. ", "+1 ", "Same. ", "^ "))
            if lang == "en"
            else rng.choice(("Nah ini. ", "Setuju. ", "Bener. ", "Up. "))
        ) + text
    words = [w for w in text.split(" ") if not w.startswith("https://")]
    return " ".join(words) if len(words) > 3 else text + " ..."


# --------------------------------------------------------------------------------------------------
# Post assembly
# --------------------------------------------------------------------------------------------------

# (t_seconds, stream_rank, seq, post-without-id-and-ts, headline-or-None)
_Draft = tuple[float, int, int, dict, str | None]


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
        url = "https://www.instagram.com/p/" + "".join(rng.choices(_ALNUM, k=11)) + "/" if rng.random() < 0.3 else None
    return source, url, author


def _slug(headline: str) -> str:
    out = []
    for ch in headline.lower():
        out.append(ch if ch.isascii() and ch.isalnum() else "-")
    return "-".join(p for p in "".join(out).split("-") if p)[:80]


def _news_url(rng: random.Random, source: str, headline: str, epoch: float) -> str:
    tm = time.gmtime(epoch)
    y, m, d = f"{tm.tm_year}", f"{tm.tm_mon:02d}", f"{tm.tm_mday:02d}"
    slug = _slug(headline)
    num = rng.randrange(10**6, 10**7)
    return {
        "reuters.com": f"https://www.reuters.com/world/asia-pacific/{slug}-{y}-{m}-{d}/",
        "thejakartapost.com": f"https://www.thejakartapost.com/indonesia/{y}/{m}/{d}/{slug}.html",
        "abc.net.au": f"https://www.abc.net.au/news/{y}-{m}-{d}/{slug}/{num}{rng.randint(10, 99)}",
        "channelnewsasia.com": f"https://www.channelnewsasia.com/asia/{slug}-{num}",
        "detik.com": f"https://news.detik.com/berita/d-{num}/{slug}",
        "kompas.com": f"https://www.kompas.com/read/{y}/{m}/{d}/{num}/{slug}",
        "antaranews.com": f"https://www.antaranews.com/berita/{num}/{slug}",
        "tempo.co": f"https://www.tempo.co/{slug}-{num}",
        "cnnindonesia.com": f"https://www.cnnindonesia.com/{y}{m}{d}-{num}/{slug}",
    }[source]


def _news_post(
    rng: random.Random,
    ctx: _Ctx,
    pair: tuple[str, str],
    lang: str,
    epoch: float,
    hints: list[str],
    event_id: str | None,
) -> tuple[dict, str]:
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
        "author": rng.choice(_BYLINES) if rng.random() < 0.7 else None,  # wire copy often has no byline
        "country_hints": list(hints),  # a fresh list per post: consumers may mutate what they receive
        "truth": {"event_id": event_id, "relevant": event_id is not None},
    }
    return post, headline


def _social_post(
    rng: random.Random, authors: tuple[str, ...], text: str, lang: str, hints: list[str], event_id: str | None
) -> dict:
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
    hist: list[tuple[dict, str, str | None]],
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
    hist: list[tuple[dict, str, str | None]] = []
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
            pool = _BG_NEWS_EN if lang == "en" else _BG_NEWS_ID
            post, headline = _news_post(rng, ctx, rng.choice(pool), lang, base + t, ["ID"], None)
        else:
            chosen: dict[str, str] = {}
            if kind < 0.16:
                tpl = rng.choice(_BG_DIPLO_EN if lang == "en" else _BG_DIPLO_ID)
            else:
                pool_s = _BG_SOCIAL_EN if lang == "en" else _BG_SOCIAL_ID
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
    for k, (off, dur, mult, en, idn) in enumerate(_BURSTS):
        rng = random.Random(f"pantau-demo:{seed}:burst:{k}")
        ctx = _Ctx(rng, authors)
        extra = (mult - 1.0) * per_min / 60.0  # on top of the background, so the total is mult x
        times = _thinned_times(
            rng, off, min(off + dur, horizon), extra * _SHAPE_MAX, lambda t: _shape_at(base + t) / _SHAPE_MAX
        )
        for seq, t in enumerate(times):
            lang = "en" if rng.random() < 0.35 else "id"
            text = _decorate(_fill(rng.choice(en if lang == "en" else idn), ctx), lang, rng, (), False)
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
    hist: list[tuple[dict, str, str | None]] = []
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
) -> Iterator[dict]:
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
) -> list[dict]:
    """Ground truth for the scripted incidents of ``generate`` called with the same arguments.

    ``background_per_min`` is accepted so callers can pass the same kwargs as to ``generate``; incident
    posts come from their own RNG streams and do not depend on it.
    """
    del background_per_min
    base = _to_epoch(start)
    horizon = max(0.0, hours) * 3600.0
    out: list[dict] = []
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
