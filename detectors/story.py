"""What the incident tracker's stages share: a post as a story's member, a story (an incident or a candidate),
and the reading of trending keys. Records only: the stages (``detectors.incidents`` composes them) decide.

A trending key is ``"<lang>:<term>"`` or ``"<lang>:<term>+<term>"`` (a pair, its words in order).

>>> key_terms("en:flood+queensland"), display_key("en:flood+queensland")
(['flood', 'queensland'], 'flood + queensland')
>>> compatible("114", "11"), compatible("161", "163")
(True, False)
"""

from __future__ import annotations

import math
import typing
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter

from detectors.labels import LabelEffect
from detectors.lexicon import CONCEPT_MARK, IncidentType, is_concept
from detectors.text import concept_of_term
from schemas.alert import SamplePost
from schemas.post import Post
from schemas.slots import pickled_by_slots

OTHER = IncidentType("OTHER", "trending story", 0.0)
DEFAULT_WEIGHT = 2.0  # the rarity of a term the baselines do not know
_K = typing.TypeVar("_K")


def most_common(counts: Counter[_K], n: int) -> list[tuple[_K, int]]:
    """``counts.most_common(n)``, ties in insertion order alike, without ``heapq.nlargest``'s interpreted code:
    the counters read here (countries, places) hold a few entries, and are read for most posts.

    >>> counts = Counter(["AU", "US", "AU", "NZ", "US", "ID", "ID"])  # three tied at 2: first counted first
    >>> most_common(counts, 2) == counts.most_common(2) == [("AU", 2), ("US", 2)]
    True
    """
    return sorted(counts.items(), key=itemgetter(1), reverse=True)[:n]


@pickled_by_slots
@dataclass(slots=True)
class Member:
    post: Post
    lang: str
    terms: tuple[str, ...]
    tokens: tuple[str, ...]
    duplicate: bool
    weights: dict[str, float] = field(default_factory=dict)  # term -> rarity weight (idf)
    mentions: tuple[tuple[str, str], ...] = ()  # (code, alias) as the normalise step read them
    news_trigger: IncidentType | None = None
    countries: tuple[str, ...] = ()
    places: tuple[tuple[str, str], ...] = ()  # foreign places as named: ("US", "west texas"), ("AU", "australian")
    named: frozenset[str] = frozenset()  # the specific ones among them: "west texas", not "australian"
    kind: IncidentType | None = None
    kind_confidence: float = 0.0
    incident_id: str | None = None  # set when the post joins an incident
    norm: float = 0.0
    seq: int = 0  # arrival number in the tracker
    term_set: frozenset[str] = frozenset()  # the terms, for membership tests against every candidate story
    bursting: tuple[str, ...] = ()  # the single terms trending in the post
    threaded: bool = False  # joined its story through a neighbour only

    def weight(self, term: str) -> float:
        return self.weights.get(term, DEFAULT_WEIGHT)


@pickled_by_slots
@dataclass(slots=True)
class Incident:
    incident_id: str
    first_seen: float
    last_seen: float
    seed_keys: tuple[str, ...]
    term_df: Counter[str] = field(default_factory=Counter)
    term_weight: dict[str, float] = field(default_factory=dict)
    profile: dict[str, float] = field(default_factory=dict)  # term -> tf-idf weight in the centroid
    profile_norm: float = 1.0
    head: list[str] = field(default_factory=list)  # the profile's first real words: what names the story
    key_scores: dict[str, float] = field(default_factory=dict)
    key_last: dict[str, float] = field(default_factory=dict)  # key -> event time it last trended in this story
    post_ids: list[str] = field(default_factory=list)
    n_posts: int = 0
    n_unique: int = 0
    n_news: int = 0
    sources: set[str] = field(default_factory=set)
    langs: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)
    places: Counter[tuple[str, str]] = field(default_factory=Counter)
    type_votes: dict[str, float] = field(default_factory=dict)  # CAMEO code -> summed cue confidence
    relevance_sum: float = 0.0  # sum over independent posts of P(relevant), until the story is raised
    home_named: int = 0  # independent posts whose words name the home country or a place in it
    abroad_cues: int = 0  # ... and those that speak of the ministry's own abroad (KBRI, WNI, embassy)
    dismissed: bool = False  # an officer said it is not relevant: no more records for it
    samples: list[SamplePost] = field(default_factory=list)
    news_trigger: IncidentType | None = None
    news_lead: bool = False  # opened by one typed news report: waits for a second outlet as long as a story
    raised: bool = False
    seq: int = -1
    last_emitted_posts: int = 0
    last_type: str = ""
    last_severity: str = ""
    # share -> (n_unique when read, the places, the specific ones among them' aliases)
    where_cache: dict[float, tuple[int, set[tuple[str, str]], frozenset[str]]] = field(default_factory=dict)
    type_cache: tuple[int, IncidentType] | None = None  # (n_unique when read, the type)
    feedback: LabelEffect | None = None  # what officers' labels of similar incidents said when it was raised

    def count_voice(self, member: Member, home_country: str, abroad: frozenset[str], max_samples: int) -> None:
        """Count an independent member (not a copy) into the story: its words, language, places and type."""
        post = member.post
        self.n_unique += 1
        # One loop for both (Counter.update is interpreted code, and this runs for every independent member).
        term_df, term_weight = self.term_df, self.term_weight
        for term in member.terms:
            term_df[term] = term_df.get(term, 0) + 1
            # Keep the rarity a term had when the story began: during the story its baseline rises.
            term_weight[term] = max(term_weight.get(term, 0.0), member.weight(term))
        self.langs[member.lang] += 1
        # Where the words place it, not where the posters are (country hints): for a story placed at home.
        if any(code == home_country for code, _ in member.mentions):
            self.home_named += 1
        if not abroad.isdisjoint(member.terms):
            self.abroad_cues += 1
        countries, places = self.countries, self.places
        for country in member.countries:
            countries[country] = countries.get(country, 0) + 1
        for place in member.places:
            places[place] = places.get(place, 0) + 1
        if member.kind is not None:
            code = member.kind.code
            self.type_votes[code] = self.type_votes.get(code, 0.0) + member.kind_confidence
        if post.source_kind == "news":
            self.n_news += 1
        if post.source:
            self.sources.add(post.source)
        if len(self.samples) < max_samples:
            self.samples.append(
                SamplePost(post.id, post.ts, post.text[:280], post.source, post.source_kind, member.lang)
            )

    def core_terms(self) -> list[str]:
        return list(self.profile)

    def refresh_profile(self, size: int, head_size: int, max_terms: int) -> None:
        """The story's tf-idf centroid (its ``size`` heaviest terms): terms frequent among its posts and rare before
        it began. Its ``head_size`` first real words name the story. Beyond ``max_terms`` known terms, the half
        carried by the fewest posts is forgotten: bounded, whatever the story's size."""
        n = max(1, self.n_unique)
        floor = max(1, int(0.03 * n))
        scored = sorted(
            ((t, df / n * self.term_weight.get(t, DEFAULT_WEIGHT)) for t, df in self.term_df.items() if df >= floor),
            key=lambda x: (-x[1], x[0]),
        )
        self.profile = dict(scored[:size])
        self.profile_norm = math.sqrt(sum(v * v for v in self.profile.values())) or 1.0
        # Country pseudo-terms do not count in the head ("@AU" always comes with "australia"), nor concepts:
        # "~flood" says what happened, not which flood.
        self.head = [t for t in self.profile if t[0] != "@" and not is_concept(t)][:head_size]
        if len(self.term_df) > max_terms:
            by_mass = sorted(self.term_df, key=lambda t: (-self.term_df[t], t))[: max_terms // 2]
            self.term_df = Counter({t: self.term_df[t] for t in by_mass})
            self.term_weight = {t: self.term_weight[t] for t in by_mass if t in self.term_weight}

    def signature(self, size: int = 3) -> list[str]:
        """The few words that name the story: the head of its centroid (words, not country pseudo-terms)."""
        return self.head[:size]

    def cosine(self, other: Incident) -> float:
        dot = sum(v * other.profile[t] for t, v in self.profile.items() if t in other.profile)
        return dot / (self.profile_norm * other.profile_norm)


def compatible(a: str, b: str) -> bool:
    """CAMEO codes nest: 114 (complain officially) is a kind of 11 (disapprove), so the two are compatible;
    161 (expel diplomats) and 163 (sanctions) are two different acts."""
    return a.startswith(b) or b.startswith(a)


def distinct_signals(trending: dict[str, float]) -> tuple[list[str], list[str]]:
    """A post's trending pairs and single terms, a word and its concept counted once: "flooding" and
    "~flood" trend together by construction, and are one signal, not two co-trending words."""
    pairs = [k for k in trending if "+" in k]
    singles = [k for k in trending if "+" not in k]
    if [k for k in trending if CONCEPT_MARK in k]:  # most posts' keys hold no concept: nothing to count twice
        concept_of = concept_of_term()
        pairs = [k for k in pairs if not self_pair(key_terms(k), concept_of)]
        implied = {concept_of.get(key_terms(k)[0], "") for k in singles}
        singles = [k for k in singles if key_terms(k)[0] not in implied]
    return pairs, singles


def self_pair(terms: list[str], concept_of: dict[str, str]) -> bool:
    """A pair of a word and its own concept: "flooding" and "~flood"."""
    return len(terms) == 2 and (concept_of.get(terms[0]) == terms[1] or concept_of.get(terms[1]) == terms[0])


def key_terms(key: str) -> list[str]:
    return key.split(":", 1)[1].split("+")


def display_key(key: str) -> str:
    return " + ".join(key_terms(key))
