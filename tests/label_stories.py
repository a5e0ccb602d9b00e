"""Stories for the label tests: everyday chatter in English and Indonesian, and families of diplomatic stories
that a desk may call noise (Japan and Korea summoning each other's ambassadors) or care about (expulsions).

Event times count from 0; ``shifted`` moves posts to another start (a worker refuses posts from the future).
"""

from __future__ import annotations

import dataclasses
import random

from schemas.post import Post

DAY = 86400.0

# Everyday chatter in English and Indonesian, in enough combinations that most posts are no copy of another
# (copies do not count in the significance baselines): what the words of a story are rare against.
EN_WORDS = (
    (
        "my sister",
        "the neighbours",
        "our office",
        "the bus driver",
        "my cat",
        "grandma",
        "the new barista",
        "coach",
        "the landlord",
        "my roommate",
        "uncle Budi",
        "the twins",
    ),
    (
        "made pancakes",
        "fixed the leaking tap",
        "missed the train",
        "started a garden",
        "bought a bicycle",
        "lost the keys again",
        "painted the fence",
        "watched a documentary",
        "baked sourdough",
        "adopted a puppy",
        "won the quiz night",
        "ran a half marathon",
        "sang karaoke",
        "burnt the rice",
        "repaired the roof",
    ),
    (
        "this morning",
        "yesterday",
        "last night",
        "at lunch",
        "before work",
        "on Sunday",
        "after the game",
        "in the rain",
        "at dawn",
        "during the power cut",
    ),
    ("", " lol", " :)", " ugh", " haha", "!", " honestly", " #weekend", " so proud", " classic"),
)
ID_WORDS = (
    ("tadi pagi", "semalam", "kemarin sore", "pas makan siang", "hari Minggu", "habis hujan", "subuh tadi"),
    (
        "adikku",
        "tetangga sebelah",
        "teman kantor",
        "ibu kos",
        "pak satpam",
        "kakak",
        "sepupuku",
        "anak-anak",
        "pak RT",
        "bu guru",
    ),
    (
        "masak rendang",
        "beli motor baru",
        "ketinggalan kereta",
        "ikut lomba lari",
        "nanam cabai",
        "cuci mobil",
        "main futsal",
        "nonton konser",
        "bikin kue lapis",
        "servis kulkas",
        "belajar gitar",
        "pindahan rumah",
    ),
    (
        " di rumah",
        " dan seru banget",
        " sama teman-teman",
        " lagi, capek juga",
        " di halaman",
        " dan mantap",
        " tapi hujan terus",
        " di dekat pasar",
    ),
)


def background(days: float) -> list[Post]:
    rng = random.Random(7)
    posts: list[Post] = []
    t = 0.0
    while t < days * DAY:
        if rng.random() < 0.6:
            who, did, when, tail = (rng.choice(words) for words in EN_WORDS)
            text = f"{who.capitalize()} {did} {when}{tail}"
        else:
            when, who, did, tail = (rng.choice(words) for words in ID_WORDS)
            text = f"{when.capitalize()} {who} {did}{tail}"
        posts.append(Post(id=f"z{len(posts):05d}", ts=t, text=text, source=f"user{rng.randrange(2000)}"))
        t += 30.0 + 60.0 * rng.random()
    return posts


# Stories a desk may call noise: Japan and Korea summoning each other's ambassadors, every few days.
ISLANDS = (
    "Japan summons South Korean ambassador over island dispute",
    "Breaking: Tokyo summons the Korean ambassador after the island row flares",
    "Japan summoned Korea's ambassador today over the disputed islands",
    "Again? Japan summons Korean ambassador about those islands",
    "Korean ambassador summoned in Tokyo as island dispute heats up",
    "Reuters: Japan lodges protest, summons South Korean ambassador over islands",
)
LAWMAKERS = (
    "Japan summons Korean ambassador after lawmakers land on disputed islands",
    "Tokyo summons South Korea's ambassador over lawmakers' island visit",
    "Korean lawmakers visit disputed islands, Japan summons ambassador",
    "Japan protests island landing by Korean lawmakers, ambassador summoned",
    "Here we go again: Korean ambassador summoned over island visit",
    "Ambassador of South Korea summoned in Tokyo after lawmakers land on islands",
)
DRILLS = (
    "Seoul summons Japanese ambassador over military drills near disputed islands",
    "South Korea summons Japan's ambassador as navy drills near the islands anger Seoul",
    "Japanese ambassador summoned in Seoul over drills close to the disputed islands",
    "Korea protests Japanese naval drills near islands, ambassador summoned",
    "Another summons: Seoul calls in the Japanese ambassador over island drills",
    "Drills near the disputed islands: Japan's ambassador summoned by Seoul",
)
TEXTBOOK = (
    "Seoul summons Japanese ambassador over textbook claiming the disputed islands",
    "South Korea summons Japan's ambassador as new textbooks claim the islands",
    "Japanese ambassador summoned in Seoul over island claims in school textbooks",
    "Textbook row: Seoul calls in Japan's ambassador over the disputed islands",
    "Korea protests Japanese textbooks on the islands, ambassador summoned",
    "Japan's ambassador summoned again in Seoul, this time over textbooks and the islands",
)
# ... and one that is nothing like them.
EXPULSION = (
    "Brazil expels Venezuelan diplomats after border shooting",
    "Venezuela's diplomats ordered out of Brazil over deadly border clash",
    "Brasilia expels two Venezuelan diplomats following shooting at the border",
    "Brazil gives Venezuelan diplomats 48 hours to leave after border incident",
    "Border shooting: Brazil expels diplomats from Venezuela",
)


def story(tag: str, start: float, texts: tuple[str, ...]) -> list[Post]:
    # Each post in words and from a voice of its own, minutes apart.
    return [
        Post(id=f"{tag}{k:02d}", ts=start + 240.0 * k, text=text, source=f"{tag}-voice{k}")
        for k, text in enumerate(texts)
    ]


def shifted(posts: list[Post], start: float) -> list[Post]:
    return [dataclasses.replace(p, ts=p.ts + start) for p in posts]


# Two more of each family, for a stream of weeks.
DEFENCE = (
    "Seoul summons Japanese ambassador over defence paper claiming the disputed islands",
    "South Korea summons Japan's ambassador as Tokyo's defence white paper claims the islands",
    "Japanese ambassador summoned in Seoul over island claim in defence report",
    "Defence paper row: Seoul calls in Japan's ambassador over the disputed islands",
    "Korea protests Japanese defence paper on the islands, ambassador summoned",
    "Japan's ambassador summoned once more in Seoul, this time over the defence paper and the islands",
)
EXPULSION_AGAIN = (
    "Brazil expels more Venezuelan diplomats after second border shooting",
    "Second border clash: Brazil orders Venezuelan diplomats out",
    "Brasilia expels three more Venezuelan diplomats after new shooting at the border",
    "Venezuelan diplomats expelled by Brazil again following deadly border incident",
    "Brazil expels Venezuela's chargé d'affaires after another border shooting",
    "Diplomats expelled: Brazil hits back at Venezuela over the second shooting at the border",
    "Venezuela's embassy in Brasilia loses more diplomats, expelled after border shooting",
    "Breaking: Brazil expels Venezuelan diplomats once more as the border shooting toll rises",
    "Expelled again: Venezuelan diplomats told to leave Brazil after the latest border shooting",
)


# Earthquakes abroad with nationals among the victims: a consular matter, one place after another.
QUAKE = (
    "Earthquake hits {place}: Indonesian citizens among the injured, embassy opens a hotline",
    "Strong earthquake in {place}, buildings collapsed, foreigners evacuated",
    "{place} earthquake: embassy checking on its nationals after the quake",
    "Breaking: earthquake shakes {place}, several dead, tourists evacuated",
    "Quake in {place} kills at least three, embassy says citizens are safe so far",
    "Rescue teams dig through rubble after {place} earthquake, foreign nationals among victims",
)
QUAKE_PLACES = ("Izmir", "Kumamoto", "Christchurch", "Valparaiso", "Kathmandu")


def quake(place: str) -> tuple[str, ...]:
    return tuple(text.format(place=place) for text in QUAKE)
