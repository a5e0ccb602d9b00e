"""Text normalisation for English and Indonesian: language, tokens, terms and a near-duplicate fingerprint.

Two token lists come out of a post. ``tokens`` are the lowercased words as written (entity and cue matching
wants "dipanggil", not its stem), and ``terms`` are what significance counts: distinct, stop-words removed,
Indonesian affixes stripped by the Sastrawi stemmer, hashtags kept as words (a camel-cased one also as the
words it joins).

>>> n = normalise_text("RT @kemlu_ri: Dubes Australia dipanggil Kemlu terkait penyadapan https://t.co/x #DubesAU")
>>> n.lang, n.is_retweet, n.terms
('id', True, ('dubes', 'australia', 'panggil', 'kemlu', 'sadap', 'dubesau', 'au'))
>>> normalise_text("The ambassador was summoned over the spying row").terms
('ambassador', 'summoned', 'spying', 'row')
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, NamedTuple

from detectors.entities import canonical_tokens, mentions_in_canonical
from detectors.lexicon import CONCEPTS, classify_set, concepts_in, severe_news_trigger_set
from detectors.stopwords import ENGLISH_MARKERS, ENGLISH_STOP_WORDS, INDONESIAN_MARKERS, INDONESIAN_STOP_WORDS
from schemas.normalised import NormalisedPost
from schemas.post import Post

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
_RETWEET = re.compile(r"^\s*RT\s+@\w+:?\s*", re.IGNORECASE)
_HASHTAG = re.compile(r"#(\w+)")
# Check-in boilerplate a location app writes for the poster: "I'm at <venue> (<city>, <state>) w/ 3 others
# <link>" as the whole post, or "(@ <venue>)" inside one. It says where the poster is, not what they say: a
# city's name in every check-in would trend as soon as a stream covers that city. Only the app's exact shape
# goes: "I'm at the finish line, two explosions <link>" is a person's words.
_CHECK_IN = re.compile(
    r"^\s*I['’]?m at [^\n.!?,()]{1,100}?(?:\s*\([^()\n]{1,60}\))?"
    r"(?:\s*w/\s*(?:\d+ others?|@\w+(?:\s*(?:&amp;|&|,|and)\s*@\w+)*))?(?:\s*\[pic\]:?)?\s*(?=https?://\S+\s*$)"
    r"|\(@ [^()\n]{1,100}\)",
    re.IGNORECASE,
)
_CHECK_IN_STARTS = ("i'm at ", "i’m at ", "im at ")
# Posts a service writes by itself, not a person: job ads and trend reports. They name places and topics at a
# machine's rate and report nothing. Each by its exact shape: a person's "cost thousands of #jobs" or "China's
# trends" is no ad nor report.
_JOB_TAG = re.compile(
    r"#(?:jobs?|hiring|internship|careers?|tweetmyjobs|getalljobs|careerarc|loker|lowongan|lowongankerja|infoloker)\b",
    re.IGNORECASE,
)
_JOB_BOT_TAGS = frozenset({"#tweetmyjobs", "#getalljobs", "#careerarc"})
# Trend bots date what they report as "Saturday 22", or say "shows up at this time as Trend(ing Topic) in".
# A trend map's bot posts, as the whole post, "'motorists' is now trending in #Brisbane <link>".
_TREND_REPORT = re.compile(
    r"\bshows up at this time as trend|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day \d{1,2}\b"
    r"|^\s*[^\n]{1,80}? is now trending in #?[\w ]{1,40}\s+https?://\S+\s*$",
    re.IGNORECASE,
)
_TREND_WORDS = frozenset({"trending", "trend", "trends"})  # a trend report holds one of them
# Words: letters and digits, with inner apostrophes or hyphens ("don't", "warga-negara").
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_ASCII_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")  # the same words in lower-cased ASCII, found faster

LANG_UNKNOWN = "und"
# Words that tell the languages apart even in a short post; stop-words both use ("di" in English tweets is rare).
_EN_MARKERS, _ID_MARKERS = ENGLISH_MARKERS, INDONESIAN_MARKERS
# Both lists apply to every post: code-switching between English and Indonesian is common. One set: one lookup.
_STOP_WORDS = ENGLISH_STOP_WORDS | INDONESIAN_STOP_WORDS
_MAX_TERMS = 40  # a long article contributes its first terms only: its headline and lead carry the story
_MIN_TERM_LEN = 2


@dataclass(frozen=True, slots=True)
class NormalisedText:
    lang: str
    tokens: tuple[str, ...]
    terms: tuple[str, ...]
    fingerprint: int
    is_retweet: bool
    automated: bool = False  # a job ad or a trend report, not a person's words


def detect_language(tokens: tuple[str, ...] | list[str]) -> str:
    """``en``, ``id`` or ``und``, by counting marker words: cheap, and right for the languages we stem."""
    en = sum(1 for t in tokens if t in _EN_MARKERS)
    ind = sum(1 for t in tokens if t in _ID_MARKERS)
    if en == ind:
        return LANG_UNKNOWN
    return "en" if en > ind else "id"


def normalise_text(text: str, lang: str | None = None) -> NormalisedText:
    is_retweet, reading, automated = _read_post(text, lang)
    return NormalisedText(reading.lang, reading.tokens, reading.terms, reading.fingerprint, is_retweet, automated)


def _read_post(text: str, lang: str | None) -> tuple[bool, _Reading, bool]:
    """Whether the post is a retweet, what its message says, and whether a service wrote it."""
    is_retweet = bool(_RETWEET.match(text))
    body = _RETWEET.sub("", text) if is_retweet else text
    if lang:
        lang = lang.split("-")[0].lower()
        if lang == "in":  # the old ISO code for Indonesian, still sent by some APIs
            lang = "id"
    cacheable = len(body) <= _COPY_MAX_CHARS and (not lang or len(lang) <= _COPY_MAX_LANG)
    reading = _read_copy(body, lang) if cacheable else _read(body, lang)
    # On the whole text, as sent: only a job ad's tags and a trend report's words make it automated.
    automated = ("#" in text and _is_job_ad(text)) or (
        not _TREND_WORDS.isdisjoint(reading.tokens) and _TREND_REPORT.search(text) is not None
    )
    return is_retweet, reading, automated


class _Reading(NamedTuple):
    """What a post's words say, whoever sent them: the same for every copy of a message. Immutable, as copies
    share it, and a tuple: built for every post, where a frozen dataclass costs four times as much."""

    lang: str
    tokens: tuple[str, ...]
    terms: tuple[str, ...]
    fingerprint: int
    canonical: Sequence[str]  # the tokens as place, cue and trigger matching read them
    mentions: tuple[tuple[str, str], ...]
    kind: str
    kind_confidence: float


def _read(body: str, lang: str | None) -> _Reading:
    # Each pattern runs only where its mark is: most posts have no mention, many no link.
    if "(@ " in body or body.lstrip()[:7].lower().startswith(_CHECK_IN_STARTS):
        body = _CHECK_IN.sub(" ", body)
    if "://" in body or "ww." in body.lower():
        body = _URL.sub(" ", body)
    if "@" in body:
        body = _MENTION.sub(" ", body)
    if "#" in body:
        body = _HASHTAG.sub(_split_hashtag, body)
    # Typographic apostrophes become plain ones, so "Putin’s" and "Putin's" are one word.
    body = body.replace("’", "'")
    # Lower case first where that gives the same words, in one call. Not beyond ASCII: lower-casing can add a
    # combining mark ("İ" -> "i̇") that would split a word.
    tokens = (
        tuple(_ASCII_WORD.findall(body.lower())) if body.isascii() else tuple(w.lower() for w in _WORD.findall(body))
    )
    if not lang:
        lang = detect_language(tokens)
    # Places, type and trigger all read the canonical words ("beijing's" -> "beijing"): made once.
    canonical = canonical_tokens(tokens)
    words = set(canonical)
    kind, confidence = classify_set(words)
    # The concepts the post's words report join its terms: see lexicon.CONCEPTS.
    terms = _terms(tokens, lang)
    if not CONCEPTS.keys().isdisjoint(words):  # most posts report no concept: no call
        terms = (*terms, *concepts_in(canonical))
    return _Reading(
        lang,
        tokens,
        terms,
        _fingerprint(tokens),
        canonical,
        tuple(mentions_in_canonical(canonical)),
        kind.code if kind is not None else "",
        confidence,
    )


# A message copied (retweeted, forwarded) is read once: a quarter of a social stream can be copies. Short
# messages only (a tweet is 280 characters), and a bounded number of them: a reading is a few kB, tens of kB
# for an adversarial one, so the cache holds a few MB and at worst some tens, whatever the stream.
_COPY_MAX_CHARS = 600
_COPY_MAX_LANG = 8  # a language code; anything longer is read, not kept
_read_copy = lru_cache(maxsize=2048)(_read)


def _is_job_ad(text: str) -> bool:
    tags = [tag.lower() for tag in _JOB_TAG.findall(text)]
    return len(tags) >= 2 or not _JOB_BOT_TAGS.isdisjoint(tags)


def normalise(post: Post) -> NormalisedPost:
    """The normalise step: a pure function of the post. It also reads what the post names (places and
    countries) and reports (an incident type; for news, a severe diplomatic act): that work scales out with
    the posts' partitions, where the detect step is one for all."""
    is_retweet, reading, automated = _read_post(post.text, post.lang)
    mentions = reading.mentions
    trigger = (
        severe_news_trigger_set(set(reading.canonical), lambda: bool(mentions)) if post.source_kind == "news" else None
    )
    return NormalisedPost(
        post,
        reading.lang,
        reading.tokens,
        reading.terms,
        reading.fingerprint,
        is_retweet,
        mentions,
        reading.kind,
        reading.kind_confidence,
        trigger.code if trigger is not None else "",
        automated,
    )


def _terms(tokens: tuple[str, ...], lang: str) -> tuple[str, ...]:
    seen: dict[str, bool] = {}  # ordered, as a set is not
    for token in _split_compounds(tokens):
        if len(token) < _MIN_TERM_LEN or token.isdigit():
            continue
        if token in _STOP_WORDS:
            continue
        if token.endswith("'s"):
            token = token[:-2]  # the possessive is the same name: "sydney's" counts as "sydney"
        term = stem_indonesian(token) if lang == "id" else stem_english(token)
        if len(term) >= _MIN_TERM_LEN and term not in seen:
            seen[term] = True
            if len(seen) >= _MAX_TERMS:
                break
    return tuple(seen)


def _split_hashtag(match: re.Match[str]) -> str:
    """A hashtag is the word it spells and, when camel-cased, the words it joins: "#PrayForBoston" also
    names Boston, and "#WestExplosion" shares "explosion" with the posts that write it out."""
    tag = match.group(1)
    parts = _camel_parts(tag)
    return f" {tag} {' '.join(parts)} " if len(parts) > 1 else f" {tag} "


def _camel_parts(tag: str) -> list[str]:
    """Words of a camel-cased tag, in any script: "GempaTürkiye" -> Gempa, Türkiye; "WestTX" -> West, TX.
    A tag without a lower-to-upper hump ("yycflood", "NMOS14") is one word."""
    if not any(a.islower() and b.isupper() for a, b in itertools.pairwise(tag)):
        return [tag]
    parts: list[str] = []
    start = 0
    for i in range(1, len(tag)):
        before, here = tag[i - 1], tag[i]
        after = tag[i + 1] if i + 1 < len(tag) else ""
        # A new word starts at an upper case letter after a lower case one ("gempaT"), at the last capital
        # of an acronym followed by lower case ("USAvs" -> USA, vs), and where letters and digits meet.
        if (
            (before.islower() and here.isupper())
            or (before.isupper() and here.isupper() and after.islower())
            or (before.isdigit() != here.isdigit())
        ):
            parts.append(tag[start:i])
            start = i
    parts.append(tag[start:])
    return [p for p in parts if p]


def _split_compounds(tokens: tuple[str, ...]) -> list[str]:
    # "flood-stricken" counts as "flood" and "stricken"; Indonesian "warga-warga" (plural) as "warga".
    out: list[str] = []
    for token in tokens:
        if "-" in token:
            out.extend(dict.fromkeys(part for part in token.split("-") if part))
        else:
            out.append(token)
    return out


_KEEP_S = ("ss", "us", "is", "as", "os", "ous", "ics", "news", "sis")  # texas, chaos, crisis, news


def stem_english(word: str) -> str:
    """Plural to singular only: "explosions" and "explosion" are one term. Full stemming would merge words
    that tell stories apart ("summons" the verb and "summon"), and tf-idf needs no more than this."""
    if len(word) <= 4 or not word.endswith("s") or word.endswith(_KEEP_S) or "'" in word:
        return word
    if word.endswith("ies") and len(word) > 5:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


@lru_cache(maxsize=200_000)  # bounded: memory must not grow with the vocabulary
def stem_indonesian(word: str) -> str:
    if len(word) <= 4 or not word.isalpha():
        return word  # short words and codes (kbri, ri, pmi) are roots already; saves the stemmer's cost
    return str(_stemmer().stem(word)) or word  # the lru_cache above is the only cache: bounded


@lru_cache(maxsize=1)
def _stemmer() -> Any:  # Sastrawi ships no types
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    # The factory's stemmer caches every word it sees in a plain dict, which grows with the vocabulary;
    # the stemmer it wraps does not.
    return StemmerFactory().create_stemmer().delegatedStemmer


def _fingerprint(tokens: tuple[str, ...]) -> int:
    # The order-free set of content words: retweets, "via" copies and reordered headlines collide on purpose.
    content = sorted({t for t in tokens if len(t) > 2 and t not in _STOP_WORDS})
    return zlib.crc32(" ".join(content[:24]).encode())


@cache  # built once, on first use: the Indonesian stemmer is not loaded at import
def concept_of_term() -> dict[str, str]:
    """The concept of each concept word as a term, stemmed too: "tornadoes" is the term "tornadoe", and
    "penembakan" is "tembak"."""
    return {
        **{stem_indonesian(word): concept for word, concept in CONCEPTS.items()},
        **{stem_english(word): concept for word, concept in CONCEPTS.items()},
        **CONCEPTS,
    }
