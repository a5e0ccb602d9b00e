"""Incidents, not words: co-trending keys and the posts that carry them become one incident.

A *candidate* is born from a post that carries trending keys (a trending term pair, or two trending terms),
or from one credible news report of a severe diplomatic event. Later posts join it when enough of their
information (terms weighted by rarity, an idf from the significance baselines) lies in its profile, or when
they report the same type of event between the same foreign countries, in any language.

A candidate is *raised* once it has ``min_posts`` independent posts and is relevant to a foreign ministry:
it has a diplomatic or consular type, or foreign countries in a share of its posts. Before it is raised it
is compared with the incidents already raised, and merged into one of them if it is the same story: one
story is one alert, updated as it grows, resolved after ``resolve_after_s`` of silence, and reopened under
the same id if it comes back within ``reopen_within_s``. Candidates that never qualify expire silently.

Officers' labels rank what is raised: a story like incidents labelled not relevant is raised with a lower
confidence, or not at all once enough of them were (``detectors.labels``); one like incidents labelled
relevant with a higher one.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import typing
from collections import Counter, OrderedDict, deque
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from operator import itemgetter

from river import base

from detectors.entities import canonical_place, country_name, is_specific_place
from detectors.labels import LabelEffect, LabelMemory
from detectors.lexicon import CONCEPT_MARK, TYPES, IncidentType, classify, is_concept
from detectors.relevance import RelevanceModel
from detectors.text import concept_of_term
from schemas.alert import MAX_POST_IDS, Alert, FeedbackEffect, SamplePost, TermScore
from schemas.post import Post
from schemas.slots import pickled_by_slots

OTHER = IncidentType("OTHER", "trending story", 0.0)
_K = typing.TypeVar("_K")
_MAX_SAMPLES = 3
_PROFILE_TERMS = 50
_MAX_TRACKED_KEYS = 200  # trending keys remembered per incident
_MAX_TRACKED_TERMS = 400  # per incident: the profile's vocabulary is bounded, whatever the incident's size
_YOUNG = 20  # a story this small has no reliable head yet: its bursting keys alone say what belongs to it
_HEAD_TERMS = 8  # the head of a story's centroid ...
_HEAD_SHARED = 2  # ... of which a post must share this many words to join by similarity
_RARE_KEY_WEIGHT = 3.0  # a bursting word this rare (1 post in 1,000 before) names a young story by itself
_HEAD_MASS = 5.0  # ... whose rarity weights add up to this (two words each rarer than 1 post in ~300)
_THREAD_SCAN = 16  # recent posts scanned per rare term: bounds the cost of threading per post
_MAX_THREAD_TERMS = 100_000
_THREAD_TERMS = 40  # rarest terms of a post used to find its neighbours (all of a typical post)
DEFAULT_WEIGHT = 2.0
_EXPIRY_INTERVAL_S = 60.0
_SHADOW_RATIO = 20
_NEAR_AFTER = 3  # posts naming two places together before they count as one area
_NEAR_SHARE = 0.15  # ... and the share of the posts naming the rarer of the two that name both
_MAX_PLACE_PAIRS = 20_000
# Words that put a story with the ministry's own abroad (its missions, its citizens), stemmed as terms are.
_ABROAD_WORDS = frozenset(
    {"kbri", "kjri", "wni", "tki", "pmi", "kedubes", "kedube", "dubes", "embassy", "consulate", "konsulat"}
    | {"citizen", "citizens", "nationals"}
)
_TWIN_WITHIN_S = 3 * 3600.0
_TWIN_COSINE = 0.1  # ... and, beside an untyped story, shares this much of its words
_NAME_SHARE = 0.8  # a word in this share of a candidate's posts is the name it goes by ...
_NAME_STORY_SHARE = 0.4  # ... and the story's name too when this share of the story's posts carry it
_NAMES = 2  # ... and it is one of the story's most carried words
# Types raised on ``min_posts_severe``: a crisis abroad, an embassy or diplomat assaulted, an armed clash, mass
# violence. Citizens may need help within the hour.
_LIFE_AT_STAKE = frozenset({"CONSULAR", "18", "19", "20"})


def _most_common(counts: Counter[_K], n: int) -> list[tuple[_K, int]]:
    """``counts.most_common(n)``, ties in insertion order alike, without ``heapq.nlargest``'s interpreted code:
    the counters read here (countries, places) hold a few entries, and are read for most posts.

    >>> counts = Counter(["AU", "US", "AU", "NZ", "US", "ID", "ID"])  # three tied at 2: first counted first
    >>> _most_common(counts, 2) == counts.most_common(2) == [("AU", 2), ("US", 2)]
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

    def core_terms(self) -> list[str]:
        return list(self.profile)

    def refresh_profile(self) -> None:
        """The story's tf-idf centroid: terms frequent among its posts and rare before it began."""
        n = max(1, self.n_unique)
        floor = max(1, int(0.03 * n))
        scored = sorted(
            ((t, df / n * self.term_weight.get(t, DEFAULT_WEIGHT)) for t, df in self.term_df.items() if df >= floor),
            key=lambda x: (-x[1], x[0]),
        )
        self.profile = dict(scored[:_PROFILE_TERMS])
        self.profile_norm = math.sqrt(sum(v * v for v in self.profile.values())) or 1.0
        # Country pseudo-terms do not count in the head ("@AU" always comes with "australia"), nor concepts:
        # "~flood" says what happened, not which flood.
        self.head = [t for t in self.profile if t[0] != "@" and not is_concept(t)][:_HEAD_TERMS]
        if len(self.term_df) > _MAX_TRACKED_TERMS:
            by_mass = sorted(self.term_df, key=lambda t: (-self.term_df[t], t))[: _MAX_TRACKED_TERMS // 2]
            self.term_df = Counter({t: self.term_df[t] for t in by_mass})
            self.term_weight = {t: self.term_weight[t] for t in by_mass if t in self.term_weight}

    def signature(self, size: int = 3) -> list[str]:
        """The few words that name the story: the head of its centroid (words, not country pseudo-terms)."""
        return self.head[:size]

    def cosine(self, other: Incident) -> float:
        dot = sum(v * other.profile[t] for t, v in self.profile.items() if t in other.profile)
        return dot / (self.profile_norm * other.profile_norm)


class IncidentTracker(base.Base):
    """Groups trending posts into incidents and emits their alert records.

    Args:
        min_posts: independent (non-duplicate) posts an incident needs before it is raised.
        min_posts_severe: ... if its posts report a crisis where lives are at stake (a disaster or an attack
            abroad, an embassy assaulted, an armed clash, mass violence): a late alert costs most there.
        attach_similarity: tf-idf cosine between a post and an incident's centroid for the post to join it.
        merge_similarity: cosine between two centroids at which a new candidate is a raised story's continuation.
        signature_share: share of a candidate's posts that must carry two of a raised story's three head words
            for the candidate to be folded into that story as a sub-story.
        foreign_share: share of posts naming a foreign country that makes an untyped story relevant.
        resolve_after_s: event-time silence after which an incident is resolved.
        reopen_within_s: how long a resolved incident can come back under the same id.
        candidate_ttl_s: event-time silence after which a candidate that was never raised is dropped.
        update_growth: an update is emitted when the post count has grown by this factor.
        max_active: bound on open incidents and candidates; the stalest goes first.
        recent_posts: posts kept to backfill a candidate's earliest members when it is born.
        home_country: the ministry's own country, which does not make a story foreign.
        country_weight: rarity weight of a foreign country named in a post, as a pseudo-term of the story.
        thread_similarity: tf-idf cosine to its nearest recent post for a post to join that post's incident.
        thread_min_weight: rarity from which a term is indexed for threading (common words link nothing).
        relevance_threshold: mean P(relevant) an untyped story needs to be raised.
        burst_memory_s: how long a key that trended in a story still pulls posts that carry it into the story.
        relevance: the online relevance classifier; learns from officers' feedback.
        labels: the memory of labelled incidents; a new incident like them is ranked by their labels when it
            is raised (lower, or suppressed, for those labelled not relevant; higher for those relevant). A
            story where lives may be at stake (``_LIFE_AT_STAKE``) is ranked, never suppressed.
    """

    def __init__(
        self,
        min_posts: int = 5,
        min_posts_severe: int = 4,
        attach_similarity: float = 0.3,
        merge_similarity: float = 0.25,
        signature_share: float = 0.3,
        foreign_share: float = 0.2,
        resolve_after_s: float = 12 * 3600.0,
        reopen_within_s: float = 4 * 86400.0,
        candidate_ttl_s: float = 2 * 3600.0,
        update_growth: float = 2.0,
        max_active: int = 500,
        recent_posts: int = 2000,
        home_country: str = "ID",
        country_weight: float = 3.0,
        thread_similarity: float = 0.3,
        thread_min_weight: float = 1.5,
        relevance_threshold: float = 0.4,
        burst_memory_s: float = 2 * 3600.0,
        relevance: RelevanceModel | None = None,
        labels: LabelMemory | None = None,
    ) -> None:
        self.min_posts = min_posts
        self.min_posts_severe = min_posts_severe
        self.attach_similarity = attach_similarity
        self.merge_similarity = merge_similarity
        self.signature_share = signature_share
        self.foreign_share = foreign_share
        self.resolve_after_s = resolve_after_s
        self.reopen_within_s = reopen_within_s
        self.candidate_ttl_s = candidate_ttl_s
        self.update_growth = update_growth
        self.max_active = max_active
        self.recent_posts = recent_posts
        self.home_country = home_country
        self.country_weight = country_weight
        self.thread_similarity = thread_similarity
        self.thread_min_weight = thread_min_weight
        self.relevance_threshold = relevance_threshold
        self.burst_memory_s = burst_memory_s
        self.relevance = relevance if relevance is not None else RelevanceModel()
        self.labels = labels if labels is not None else LabelMemory()
        self.suppressed = 0  # incidents not raised because similar ones were labelled not relevant
        self.active: OrderedDict[str, Incident] = OrderedDict()
        self.resolved: OrderedDict[str, Incident] = OrderedDict()
        self._recent: deque[Member] = deque()
        # rare term -> the latest posts of stories carrying it, as (arrival number, the term's weight, post)
        self._members_by_term: dict[str, deque[tuple[int, float, Member]]] = {}
        self._seq = 0
        self._alias: dict[str, str] = {}  # absorbed candidate id -> the incident it was folded into
        self._index: dict[str, set[str]] = {}  # head word -> incident ids (active and resolved)
        self._bursts: dict[str, set[str]] = {}  # trending key -> ids of open incidents whose ``key_last`` holds it
        self._co_named: dict[tuple[str, str], int] = {}  # pairs of places named in one post -> posts
        self._named_posts: dict[str, int] = {}  # place -> posts naming it
        self._next_expiry = -math.inf

    # -- per post --------------------------------------------------------------------------------------------

    def add(self, member: Member, trending: dict[str, float], now: float) -> list[Alert]:
        """Route one post, with its trending keys and their z-scores, to an incident; return alert records."""
        # Expiry runs once per event-time interval, not per post: scanning every open story per post would
        # cost more than the rest of the tracker on a busy stream.
        alerts = self.expire(now) if now >= self._next_expiry else []
        if trending and any("+~" in k for k in trending):
            # A word and its own concept ("flooding + ~flood") trend together by construction: that pair says
            # nothing the word does not, and must not join, anchor or name a story as a pair would. (A pair's
            # words are in order, so a concept word's concept comes second: "+~".)
            concept_of = concept_of_term()
            trending = {k: z for k, z in trending.items() if "+~" not in k or not _self_pair(_key_terms(k), concept_of)}
        mentions = member.mentions
        if mentions or member.post.country_hints:  # most posts name no place: their defaults stand
            member.countries = tuple(dict.fromkeys([*(code for code, _ in mentions), *member.post.country_hints]))
            member.places = tuple(
                dict.fromkeys((code, canonical_place(alias)) for code, alias in mentions if code != self.home_country)
            )
            member.named = frozenset(alias for _, alias in member.places if is_specific_place(alias))
            if member.named and not member.duplicate:
                self._learn_area(member.named)
        # Foreign countries join the post's words as pseudo-terms: "Kedubes Australia" and "Australian
        # embassy" share "@AU", so stories thread across languages and wordings.
        foreign = [f"@{c}" for c in member.countries if c != self.home_country]
        if foreign:
            member.terms = (*member.terms, *foreign)
            member.weights.update(dict.fromkeys(foreign, self.country_weight))
        member.term_set = frozenset(member.terms)
        member.bursting = tuple(_key_terms(k)[0] for k in _distinct_signals(trending)[1]) if trending else ()
        # The weights hold every term (the core weighs them all), in the terms' order: the same sum.
        member.norm = math.sqrt(sum([w * w for w in member.weights.values()]))  # w * w is w**2, exactly
        # Stories whose head words the post carries: only they can take it by similarity or threading.
        named_in: set[str] = set()
        for term in member.terms:
            ids = self._index.get(term)
            if ids:
                named_in.update(ids)
        incident = self._match(member, trending, named_in)
        if incident is None and named_in:
            incident = self._thread(member)
            member.threaded = incident is not None
        if incident is None:
            incident = self._maybe_create(member, trending, now)
        self._remember(member)
        if incident is None:
            return alerts
        self._attach(incident, member, trending)
        alert = self._maybe_emit(incident, now)
        if alert is not None:
            alerts.append(alert)
        return alerts

    def expire(self, now: float) -> list[Alert]:
        """Resolve stories silent for ``resolve_after_s``, drop stale candidates and forget old stories."""
        self._next_expiry = now + _EXPIRY_INTERVAL_S
        alerts: list[Alert] = []
        stale = [
            i
            for i in self.active.values()
            if now - i.last_seen >= (self.resolve_after_s if i.raised or i.news_lead else self.candidate_ttl_s)
        ]
        if len(self.active) - len(stale) > self.max_active:
            fresh = sorted(
                (i for i in self.active.values() if i not in stale), key=lambda i: (i.last_seen, i.incident_id)
            )
            stale.extend(fresh[: len(fresh) - self.max_active])
        for incident in stale:
            del self.active[incident.incident_id]
            self._forget_bursts(incident, incident.key_last)
            if incident.raised:
                if not incident.dismissed:  # a dismissed story that took posts again was resolved already
                    alerts.append(self._alert(incident, "resolved", now))
                self.resolved[incident.incident_id] = incident
            else:
                self._unindex(incident)
        # Forget resolved incidents that can no longer reopen: bounded memory.
        for incident_id in [k for k, v in self.resolved.items() if now - v.last_seen > self.reopen_within_s]:
            self._unindex(self.resolved.pop(incident_id))
        if len(self._alias) > 4 * self.max_active:
            # Aliases only matter while their posts are in the recent window; drop those that point nowhere.
            live = set(self.active) | set(self.resolved)
            self._alias = {k: v for k, v in self._alias.items() if self._resolve_alias(v) in live}
        return alerts

    # -- matching --------------------------------------------------------------------------------------------

    def _similarity(self, member: Member, incident: Incident) -> float:
        """Cosine of the post and the incident's centroid, both weighted by rarity.

        The story's own words keep the rarity they had when it began, in the post as in the centroid:
        by the third hour of a story its words are common, yet they are still what says "this story".
        """
        profile, weights, own = incident.profile, incident.term_weight, member.weights
        dot = 0.0
        norm = 0.0
        for term in member.terms:
            if term in profile:
                w = weights.get(term, DEFAULT_WEIGHT)
                dot += w * profile[term]
            else:
                w = own.get(term, DEFAULT_WEIGHT)
            norm += w * w
        score = dot / (math.sqrt(norm) * incident.profile_norm) if norm else 0.0
        if incident.n_unique >= self.min_posts and score < self.attach_similarity:
            # Two of the words that name a formed story ("queensland" + "flood"): the story, whatever else.
            terms = member.term_set
            if sum(t in terms for t in incident.signature()) >= 2:
                score = self.attach_similarity
        return score

    def _match(self, member: Member, trending: dict[str, float], named_in: set[str]) -> Incident | None:
        # Only stories whose head words the post carries, or whose bursting keys it carries, can take it.
        candidates = set(named_in)
        for key in trending:
            candidates.update(self._bursts.get(key, ()))
        best: Incident | None = None
        best_score = 0.0
        reports = self._reports_event(member)
        for incident_id in sorted(candidates):
            incident = self.active.get(incident_id) or self.resolved.get(incident_id)
            if incident is None:
                continue
            if reports and self._chatter(incident):
                continue
            score = self._similarity(member, incident)
            ts = member.post.ts
            joined_by = [k for k in trending if ts - incident.key_last.get(k, -math.inf) <= self.burst_memory_s]
            if joined_by:
                # It carries a key that is bursting now and that this story made burst lately: SigniTrend's join.
                # A key bursting again days later ("explosion") is a new story's, not the old one's.
                young = incident.n_unique < _YOUNG and self._anchored(member, incident, joined_by)
                score = (
                    max(score, self.attach_similarity) if young or self._shares_head(member, incident) else score + 0.1
                )
            elif score >= self.attach_similarity and not self._shares_head(member, incident):
                # One shared word, however heavy, is not a story: "explosion" alone is not Boston. (Below the bar
                # the score joins nothing either way: the head is not read.)
                score = 0.0
            if score < self.attach_similarity and self._same_story(member, incident):
                score = self.attach_similarity
            # A resolved story comes back only on stronger evidence than an open one.
            needed = self.attach_similarity if incident_id in self.active else self.attach_similarity + 0.15
            if self._novel_burst(member, incident):
                # New words are bursting that this story never had: likely a new story that shares a generic
                # word ("explosion") with an old one. It joins only on strong similarity.
                needed += 0.2
            # The place is read last, for a story the post would join: it costs more than the rest.
            if score >= needed and score > best_score and not self._elsewhere(member, incident):
                best, best_score = incident, score
        if best is None and self._typed(member):
            for incident in self.active.values():  # entity match needs no shared word: English vs Indonesian
                if self._same_story(member, incident) and not self._elsewhere(member, incident):
                    best = incident
                    break
        if best is not None and best.incident_id in self.resolved:
            self._reopen(best.incident_id)
        return best

    @staticmethod
    def _anchored(member: Member, incident: Incident, joined_by: list[str]) -> bool:
        """A young story's bursting keys take a post that shares a bursting pair with it, a rare bursting word
        ("gurlitt"), or a second word: one everyday word ("tim", a negotiating team) that a story made trend is
        no story ("tim" of a football team)."""
        if any("+" in k or member.weight(_key_terms(k)[0]) >= _RARE_KEY_WEIGHT for k in joined_by):
            return True
        seen = incident.term_df
        return sum(t in seen for t in member.terms if t[0] != CONCEPT_MARK) >= 2

    @staticmethod
    def _shares_head(member: Member, incident: Incident) -> bool:
        # Country pseudo-terms do not count: "@AU" always comes with "australia", one concept, not two.
        head = incident.head
        terms = member.term_set
        shared = [t for t in head if t in terms]
        # ... and the words shared must be rare enough together: "embassy" + "diplomatic" name no story.
        mass = sum(incident.term_weight.get(t, DEFAULT_WEIGHT) for t in shared)
        return len(shared) >= _HEAD_SHARED and mass >= _HEAD_MASS

    @staticmethod
    def _novel_burst(member: Member, incident: Incident) -> bool:
        if not member.bursting:
            return False
        known = incident.profile
        return sum(t not in known for t in member.bursting) >= 2

    def _remember(self, member: Member) -> None:
        """Keep the post in the recent window, for backfilling the first posts of a new candidate."""
        self._seq += 1
        member.seq = self._seq
        self._recent.append(member)
        while len(self._recent) > self.recent_posts:
            self._recent.popleft()

    def _index_member(self, member: Member) -> None:
        """Index an incident's post by its rare terms: the posts that threading may link to."""
        weights, index, seq, least = member.weights, self._members_by_term, member.seq, self.thread_min_weight
        for term in member.terms:
            weight = weights.get(term, DEFAULT_WEIGHT)
            if weight >= least:
                posts = index.get(term)
                if posts is None:
                    posts = index[term] = deque(maxlen=_THREAD_SCAN)
                posts.append((seq, weight, member))
        if len(self._members_by_term) > _MAX_THREAD_TERMS:
            # Oldest terms first (insertion order): bounded memory, whatever the vocabulary.
            for term in list(self._members_by_term)[: _MAX_THREAD_TERMS // 4]:
                del self._members_by_term[term]

    def compact(self) -> None:
        """Drop threading entries older than the recent window: :meth:`_thread` stops at the first of them
        and never reads them again. The terms stay, empty: which terms are indexed (and so which are read
        and which are evicted first) does not change. Most of a checkpoint's posts were such entries."""
        oldest = self._seq - self.recent_posts
        for posts in self._members_by_term.values():
            while posts and posts[0][0] < oldest:
                posts.popleft()

    def _thread(self, member: Member) -> Incident | None:
        """First-story-detection threading: join the incident of the nearest recent post, if near enough.

        Stories drift ("plane crashed" hours later is "pilot locked out of the cockpit"); a chain of near
        neighbours follows the drift where a centroid cannot.
        """
        if not member.norm:
            return None
        oldest = self._seq - self.recent_posts
        index = self._members_by_term
        weights = member.weights
        rare = [(weights.get(t, DEFAULT_WEIGHT), t) for t in member.terms if t in index]
        # The rarest few words find the neighbours; common ones would only add cost.
        rare = sorted((wt for wt in rare if wt[0] >= self.thread_min_weight), reverse=True)[:_THREAD_TERMS]
        # Per neighbour, by arrival number: [dot product, words shared, the post]. One dict: this loop is the
        # tracker's hottest.
        neighbours: dict[int, list[typing.Any]] = {}
        for w, term in rare:
            word = term[0] != CONCEPT_MARK  # a concept adds to the similarity, but repeats a word: not a second one
            for seq, weight, other in reversed(index[term]):  # newest first: stop at the first out of the window
                if seq < oldest:
                    break
                if other.threaded:
                    # A post that joined by a neighbour itself is no neighbour: chains of those drift from the
                    # story into everyday talk on its topic (a rice export ban into rice prices). One step
                    # follows a story's drift; the centroid, refreshed, takes it on from there.
                    continue
                hit = neighbours.get(seq)
                if hit is None:
                    neighbours[seq] = [w * weight, word, other]
                else:
                    hit[0] += w * weight
                    hit[1] += word
        best: Member | None = None
        best_cos = self.thread_similarity
        for dot, shared, other in neighbours.values():
            if shared < _HEAD_SHARED:  # linked by one word only: no story
                continue
            cos = dot / (member.norm * other.norm)
            if cos > best_cos or (cos == best_cos and best is not None and other.post.id < best.post.id):
                best, best_cos = other, cos
        if best is None or best.incident_id is None:
            return None
        incident_id = self._resolve_alias(best.incident_id)
        incident = self.active.get(incident_id) or self.resolved.get(incident_id)
        if incident is None or self._elsewhere(member, incident):
            return None
        if self._reports_event(member) and self._chatter(incident):
            return None
        if self._novel_burst(member, incident) and best_cos < self.thread_similarity + 0.2:
            return None
        head = incident.head
        if not any(t in head for t in member.terms):
            return None  # anchored chains only: a neighbour's neighbour must still speak of the story
        if incident is not None and incident_id in self.resolved:
            self._reopen(incident_id)
        return incident

    def _resolve_alias(self, incident_id: str) -> str:
        while incident_id in self._alias:
            incident_id = self._alias[incident_id]
        return incident_id

    def _chatter(self, incident: Incident) -> bool:
        """A candidate judged already: large enough to have a type and raised for none, so talk, not an event.
        A post reporting an event does not vanish into it ("explosion at the marathon" into marathon-day
        chatter): it joins or starts a story of its own."""
        return not incident.raised and incident.n_unique >= 2 * self.min_posts and self._type(incident).code == "OTHER"

    @staticmethod
    def _reports_event(member: Member) -> bool:
        """The post names an event of some type, however weakly ("explosion in Boston")."""
        return member.kind is not None and member.kind.code != "OTHER"

    @staticmethod
    def _typed(member: Member) -> bool:
        """The post reports a typed incident, with confidence: what an entity match needs."""
        return member.kind is not None and member.kind_confidence >= 0.5 and member.kind.code != "OTHER"

    def _same_story(self, member: Member, incident: Incident) -> bool:
        if member.kind is None or not self._typed(member):
            return False
        if not _compatible(member.kind.code, self._type(incident).code):
            return False
        foreign = {c for c in member.countries if c != self.home_country}
        top = {c for c, _ in _most_common(incident.countries, 3) if c != self.home_country}
        return bool(foreign & top)

    def _maybe_create(self, member: Member, trending: dict[str, float], now: float) -> Incident | None:
        if member.duplicate:
            return None
        is_news = member.post.source_kind == "news"
        news_type = member.news_trigger if is_news else None
        pairs, singles = _distinct_signals(trending)
        # Sparse news: a report of a typed diplomatic incident abroad opens a candidate by itself, to be
        # raised when a second outlet reports it, even hours later and without any volume.
        news_lead = (
            is_news
            and member.kind is not None
            and member.kind.code != "OTHER"
            and member.kind_confidence >= 0.5
            and any(c != self.home_country for c in member.countries)
        )
        if news_type is None and not news_lead and not pairs and len(singles) < 2:
            return None
        seed = tuple(sorted(trending, key=lambda k: (-trending[k], k))[:6])
        digest = hashlib.sha1(f"{member.post.id}|{'|'.join(seed)}".encode()).hexdigest()[:16]
        incident = Incident(incident_id=f"inc-{digest}", first_seen=member.post.ts, last_seen=now, seed_keys=seed)
        incident.news_trigger = news_type
        incident.news_lead = news_lead and not pairs and len(singles) < 2
        replaced = self.active.get(incident.incident_id)
        if replaced is not None:  # the same post id sent again with other words, trending alike: rare
            self._forget_bursts(replaced, replaced.key_last)
        self.active[incident.incident_id] = incident
        if not seed:
            return incident  # raised by one news report: the report is the first post, nothing to backfill
        # The first posts of a story come before its terms trend: take them from the recent window.
        seed_terms = list(dict.fromkeys(t for k in seed for t in _key_terms(k)))  # ordered: deterministic sums
        seed_profile = Incident("", 0.0, 0.0, ())
        seed_profile.term_weight = {t: member.weight(t) for t in seed_terms}
        seed_profile.profile = dict(seed_profile.term_weight)
        seed_profile.profile_norm = math.sqrt(sum(v * v for v in seed_profile.profile.values())) or 1.0
        seed_set = frozenset(seed_terms)
        # ... but not posts from before a candidate could have lived: on a sparse stream the recent window
        # reaches back weeks, and "show" then was no part of a story now.
        horizon = member.post.ts - self.candidate_ttl_s
        for earlier in self._recent:
            # A post that shares no seed word has no similarity to the seed: skip the full cosine.
            # ... nor posts another story has taken already: a post is a member of one story.
            if (
                earlier.duplicate
                or earlier.incident_id is not None
                or earlier.post.ts < horizon
                or seed_set.isdisjoint(earlier.terms)
            ):
                continue
            if self._similarity(earlier, seed_profile) >= self.attach_similarity:
                self._attach(incident, earlier, {})
        return incident

    def _attach(self, incident: Incident, member: Member, trending: dict[str, float]) -> None:
        post = member.post
        if member.incident_id is None:
            self._index_member(member)
        member.incident_id = incident.incident_id
        if len(incident.post_ids) < MAX_POST_IDS:
            incident.post_ids.append(post.id)
        incident.n_posts += 1
        incident.first_seen = min(incident.first_seen, post.ts)
        incident.last_seen = max(incident.last_seen, post.ts)
        for key, z in trending.items():
            incident.key_scores[key] = max(incident.key_scores.get(key, 0.0), z)
            last = incident.key_last.get(key)
            if last is None:
                self._bursts.setdefault(key, set()).add(incident.incident_id)
            incident.key_last[key] = post.ts if last is None else max(last, post.ts)
        if len(incident.key_scores) > _MAX_TRACKED_KEYS:
            # Keep the strongest keys: they explain the alert; the rest would only grow with the story.
            keep = sorted(incident.key_scores, key=lambda k: (-incident.key_scores[k], k))[: _MAX_TRACKED_KEYS // 2]
            incident.key_scores = {k: incident.key_scores[k] for k in keep}
            self._forget_bursts(incident, [k for k in incident.key_last if k not in incident.key_scores])
            incident.key_last = {k: incident.key_last[k] for k in keep if k in incident.key_last}
        if member.duplicate:
            return  # a copy is a member, but not a new voice: it adds no weight to the incident's profile
        incident.n_unique += 1
        # One loop for both (Counter.update is interpreted code, and this runs for every independent member).
        term_df, term_weight = incident.term_df, incident.term_weight
        for term in member.terms:
            term_df[term] = term_df.get(term, 0) + 1
            # Keep the rarity a term had when the story began: during the story its baseline rises.
            term_weight[term] = max(term_weight.get(term, 0.0), member.weight(term))
        incident.langs[member.lang] += 1
        # Where the words place it, not where the posters are (country hints): for a story placed at home.
        if any(code == self.home_country for code, _ in member.mentions):
            incident.home_named += 1
        if not _ABROAD_WORDS.isdisjoint(member.terms):
            incident.abroad_cues += 1
        countries, places = incident.countries, incident.places
        for country in member.countries:
            countries[country] = countries.get(country, 0) + 1
        for place in member.places:
            places[place] = places.get(place, 0) + 1
        if member.kind is not None:
            code = member.kind.code
            incident.type_votes[code] = incident.type_votes.get(code, 0.0) + member.kind_confidence
        if not incident.raised:  # relevance decides whether a story is raised; once it is, it is not read
            # Relevance reads what happened, not where: "Korea Selatan" in "the ambassador of South Korea tries
            # batik" makes it no more an incident (as country pseudo-terms are left out too).
            place_words = {word for _, alias in member.mentions for word in alias.split()}
            terms = [t for t in member.terms if t not in place_words] if place_words else member.terms
            incident.relevance_sum += self.relevance.score_one(terms)
        if post.source_kind == "news":
            incident.n_news += 1
        if post.source:
            incident.sources.add(post.source)
        if len(incident.samples) < _MAX_SAMPLES:
            incident.samples.append(
                SamplePost(post.id, post.ts, post.text[:280], post.source, post.source_kind, member.lang)
            )
        # Refresh the profile while it is young, then at every doubling: cheap, and stable once formed.
        grown = incident.n_unique & (incident.n_unique - 1) == 0
        if incident.n_unique <= 20 or grown or len(incident.term_df) > 2 * _MAX_TRACKED_TERMS:
            self._unindex(incident)
            incident.refresh_profile()
            for term in incident.head:
                self._index.setdefault(term, set()).add(incident.incident_id)

    def _reopen(self, incident_id: str) -> None:
        """A resolved story takes posts again: open, and found by its trending keys again."""
        incident = self.active[incident_id] = self.resolved.pop(incident_id)
        for key in incident.key_last:
            self._bursts.setdefault(key, set()).add(incident_id)

    def _forget_bursts(self, incident: Incident, keys: typing.Iterable[str]) -> None:
        """The incident no longer holds these trending keys (or is forgotten): out of the burst index."""
        for key in keys:
            ids = self._bursts.get(key)
            if ids is not None:
                ids.discard(incident.incident_id)
                if not ids:
                    del self._bursts[key]

    def _unindex(self, incident: Incident) -> None:
        for term in incident.head:
            ids = self._index.get(term)
            if ids is not None:
                ids.discard(incident.incident_id)
                if not ids:
                    del self._index[term]

    # -- raising and merging ---------------------------------------------------------------------------------

    def _relevant(self, incident: Incident) -> bool:
        if incident.news_trigger is not None:
            return True
        foreign = max((n for c, n in incident.countries.items() if c != self.home_country), default=0)
        if self._type(incident).code != "OTHER":
            # A typed story placed at home, by its words or by where its posters are, that names no foreign
            # country at all, nor the ministry's own abroad, is domestic ("transit in Tangerang is a war every
            # morning", or in a suburb no gazetteer knows). One that nothing places may be anywhere.
            at_home = incident.home_named > 0 or incident.countries.get(self.home_country, 0) > 0
            return foreign > 0 or not at_home or incident.abroad_cues > 0
        # An untyped story must be about a foreign country and read like an incident, not routine diplomacy.
        # One country, in a share of its posts: a template naming a different country in each post
        # ("the ambassador of X tries batik") is about none of them.
        relevance = incident.relevance_sum / max(1, incident.n_unique)
        # ... and in two posts at least: one mention in five posts is a coincidence, not what the story is about.
        return foreign >= max(2.0, self.foreign_share * incident.n_unique) and relevance >= self.relevance_threshold

    # -- feedback --------------------------------------------------------------------------------------------

    def feedback(self, incident_id: str, relevant: bool, now: float) -> list[Alert]:
        """An officer's label for an incident: the relevance model learns from the incident's words, the label
        memory remembers the incident's profile (similar incidents raised later are ranked by it), and a
        dismissed incident is resolved at once and stays quiet."""
        incident_id = self._resolve_alias(incident_id)
        incident = self.active.get(incident_id) or self.resolved.get(incident_id)
        if incident is None:
            return []
        self.relevance.learn_one(list(incident.term_df.elements())[:500] or incident.core_terms(), relevant)
        # At event time (the caller's clock, never before the incident's last post): a replay labels alike.
        at = max(now, incident.last_seen)
        self.labels.learn_one(
            {"profile": incident.profile, "relevant": relevant, "incident_id": incident.incident_id, "at": at}
        )
        if relevant or incident.dismissed:
            return []
        incident.dismissed = True
        if incident.incident_id in self.active and incident.raised:
            del self.active[incident.incident_id]
            self._forget_bursts(incident, incident.key_last)
            self.resolved[incident.incident_id] = incident
            return [self._alert(incident, "resolved", now, reason="dismissed by an officer as not relevant")]
        return []

    def learn_text(self, terms: Sequence[str], relevant: bool) -> None:
        """A labelled example that is not an incident (an officer's own example, a curated seed)."""
        self.relevance.learn_one(terms, relevant)

    def _merge_target(self, candidate: Incident) -> Incident | None:
        best: Incident | None = None
        best_score = 0.0
        for incident in [*self.active.values(), *self.resolved.values()]:
            if not incident.raised or incident is candidate:
                continue
            score = candidate.cosine(incident)
            # Most of the candidate's posts carry two of the words that name the raised story: a sub-story.
            n = max(1, candidate.n_unique)
            carried = sum(candidate.term_df.get(t, 0) / n >= self.signature_share for t in incident.signature())
            # Folded in as a sub-story when it carries two of the story's head words; or names the story's
            # place with no conflicting act; or carries one head word of a much larger story that is still
            # running, from no other place. A country alone is not enough: a bombing in Boston and an
            # explosion in Texas are two incidents.
            here, there = self._where(candidate, 0.2), self._where(incident, 0.04)
            compatible = not self._conflict(candidate, incident)
            same_place = self._same_place(here, there)
            other_place = bool(here) and bool(there) and not same_place
            if other_place and carried < 2:
                continue  # a story somewhere else is not a sub-story unless it carries the story's name
            # Nearly every post of the candidate and many of the story's (open, or resolved lately) carry
            # one word: the name the story goes by ("#Ferguson"), however common it has become since.
            active = incident.incident_id in self.active
            named_alike = compatible and self._named_alike(candidate, incident, active)
            running = active and incident.n_unique >= 2 * candidate.n_unique
            # A handful of posts in the shadow of a running story twenty times larger, in the same country and
            # naming no other place, is a side-thread of it ("David Stern compares Sandy to Katrina").
            # So is a candidate of the same type, naming no place of its own, that began while the story was
            # young ("shots fired on Parliament Hill" beside "Ottawa shooting"): two reports of one event.
            mine, theirs = self._type(candidate).code, self._type(incident).code
            twin = (
                mine != "OTHER"
                # An expulsion is no twin of an earthquake; an untyped story must share words with the report.
                and (_compatible(mine, theirs) if theirs != "OTHER" else candidate.cosine(incident) >= _TWIN_COSINE)
                and not any(is_specific_place(alias) for _, alias in here)
                and candidate.first_seen - incident.first_seen <= _TWIN_WITHIN_S
            )
            same_countries = self._same_countries(candidate, incident)
            names_no_country = not any(c != self.home_country for c in candidate.countries)
            shadow = (
                active
                and compatible
                and (
                    (incident.n_unique >= _SHADOW_RATIO * candidate.n_unique and same_countries)
                    or (twin and (same_countries or names_no_country))
                )
            )
            if (
                carried >= 2
                or (same_place and compatible)
                or (carried == 1 and running and compatible)
                or shadow
                or named_alike
            ):
                score = max(score, self.merge_similarity)
            if score >= self.merge_similarity and score > best_score:
                best, best_score = incident, score
        return best

    @staticmethod
    def _named_alike(candidate: Incident, incident: Incident, running: bool) -> bool:
        """One of the story's most carried words (not a country pseudo-term), in ``_NAME_SHARE`` of the
        candidate's posts and ``_NAME_STORY_SHARE`` of the story's."""
        n, m = max(1, candidate.n_unique), max(1, incident.n_unique)
        # The story's names: the words most of its posts carry, not any frequent word ("police"). A word that
        # says what happened ("hurricane") names only a story still running: an earthquake in Japan a day
        # after the one in Türkiye is another story.
        names = 0
        for term, df in sorted(incident.term_df.items(), key=lambda kv: (-kv[1], kv[0])):
            if df < _NAME_STORY_SHARE * m or names == _NAMES:
                return False  # the rest are carried by fewer posts still
            if term[0] == "@" or is_concept(term) or (not running and classify((term,))[0] is not None):
                continue
            if candidate.term_df.get(term, 0) >= _NAME_SHARE * n:
                return True
            names += 1
        return False

    def _same_countries(self, candidate: Incident, incident: Incident) -> bool:
        """The candidate's main foreign country is among the story's main ones."""
        mine = [c for c, _ in _most_common(candidate.countries, 2) if c != self.home_country][:1]
        # ... and named in a fifth of its posts at least: one post naming the Netherlands in a story about an
        # earthquake in Türkiye does not make it a Dutch story.
        theirs = {
            c
            for c, k in _most_common(incident.countries, 3)
            if c != self.home_country and k >= self.foreign_share * incident.n_unique
        }
        return bool(mine) and mine[0] in theirs

    def _elsewhere(self, member: Member, incident: Incident) -> bool:
        """The post names a specific foreign place ("texas") and the story has its own ("boston"), none shared:
        it happened somewhere else, whatever words they share."""
        named = member.named
        if not named:
            return False
        story = self._specific_where(incident, 0.04)
        return bool(story) and not self._same_area(named, story)

    def _learn_area(self, named: frozenset[str]) -> None:
        """Places named together in one post are near each other ("waco" and "texas", "watertown" and
        "boston"): learned from the stream, no gazetteer of regions needed. Bounded, oldest pairs first."""
        for place in named:
            self._named_posts[place] = self._named_posts.pop(place, 0) + 1
        for pair in itertools.combinations(sorted(named), 2):
            self._co_named[pair] = self._co_named.pop(pair, 0) + 1
        for table in (self._co_named, self._named_posts):
            while len(table) > _MAX_PLACE_PAIRS:
                del table[next(iter(table))]  # type: ignore[arg-type]

    def _same_area(self, here: AbstractSet[str], there: AbstractSet[str]) -> bool:
        """One place in common, or two that posts keep naming together: most posts naming "waco" name
        "texas" too, while few of those naming "boston" or "texas" name both ("first Boston, now Texas")."""
        if here & there:
            return True
        for a in here:
            for b in there:
                together = self._co_named.get((a, b) if a < b else (b, a), 0)
                rarer = min(self._named_posts.get(a, 0), self._named_posts.get(b, 0))
                if together >= _NEAR_AFTER and together >= _NEAR_SHARE * rarer:
                    return True
        return False

    def _where(self, incident: Incident, share: float) -> set[tuple[str, str]]:
        """The foreign places a story is about, as its posts name them: ("AU", "sydney"), ("US", "west texas")."""
        return self._where_cached(incident, share)[1]

    def _specific_where(self, incident: Incident, share: float) -> frozenset[str]:
        """The specific places among :meth:`_where`, by alias: "west texas", not "australian"."""
        return self._where_cached(incident, share)[2]

    @staticmethod
    def _where_cached(incident: Incident, share: float) -> tuple[int, set[tuple[str, str]], frozenset[str]]:
        # Read for every post a story may take, so cached until it gains an independent post: its places
        # change only then (a copy adds none), and so does the bar of ``share`` of its posts.
        cached = incident.where_cache.get(share)
        if cached is not None and cached[0] == incident.n_unique:
            return cached
        n = max(1, incident.n_unique)
        where = {p for p, k in _most_common(incident.places, 3) if k >= max(2, share * n)}
        entry = (incident.n_unique, where, frozenset(alias for _, alias in where if is_specific_place(alias)))
        incident.where_cache[share] = entry
        return entry

    def _same_place(self, here: set[tuple[str, str]], there: set[tuple[str, str]]) -> bool:
        """Named alike, or one side names only countries ("australian") and the other a place in one of them
        ("sydney"). When both name specific places, one must be shared: Boston and Texas are two places."""
        specific_here = {alias for _, alias in here if is_specific_place(alias)}
        specific_there = {alias for _, alias in there if is_specific_place(alias)}
        if specific_here and specific_there:
            return self._same_area(specific_here, specific_there)
        return bool({code for code, _ in here} & {code for code, _ in there})

    def _conflict(self, a: Incident, b: Incident) -> bool:
        """Two different diplomatic acts (an expulsion and a sanction) are two incidents, even between the same
        countries; an untyped or consular story can be a part of either."""
        ta, tb = self._type(a).code, self._type(b).code
        return ta[:1].isdigit() and tb[:1].isdigit() and not _compatible(ta, tb)

    def _absorb(self, target: Incident, candidate: Incident) -> None:
        """Fold a candidate that turned out to be a raised story's continuation into that story."""
        self._unindex(candidate)
        del self.active[candidate.incident_id]
        self._forget_bursts(candidate, candidate.key_last)
        self._alias[candidate.incident_id] = target.incident_id
        if target.incident_id in self.resolved:
            self._reopen(target.incident_id)
        self._unindex(target)
        room = MAX_POST_IDS - len(target.post_ids)
        target.post_ids.extend(candidate.post_ids[: max(0, room)])
        target.n_posts += candidate.n_posts
        target.n_unique += candidate.n_unique
        target.n_news += candidate.n_news
        target.first_seen = min(target.first_seen, candidate.first_seen)
        target.last_seen = max(target.last_seen, candidate.last_seen)
        target.term_df.update(candidate.term_df)
        target.term_weight.update(candidate.term_weight)
        for key, z in candidate.key_scores.items():
            target.key_scores[key] = max(target.key_scores.get(key, 0.0), z)
        for key, ts in candidate.key_last.items():
            if key not in target.key_last:
                self._bursts.setdefault(key, set()).add(target.incident_id)
            target.key_last[key] = max(target.key_last.get(key, ts), ts)
        target.sources |= candidate.sources
        target.langs.update(candidate.langs)
        target.countries.update(candidate.countries)
        target.places.update(candidate.places)
        for code, votes in candidate.type_votes.items():
            target.type_votes[code] = target.type_votes.get(code, 0.0) + votes
        target.samples.extend(candidate.samples[: _MAX_SAMPLES - len(target.samples)])
        target.refresh_profile()
        for term in target.head:
            self._index.setdefault(term, set()).add(target.incident_id)

    # -- emitting --------------------------------------------------------------------------------------------

    def _maybe_emit(self, incident: Incident, now: float) -> Alert | None:
        if incident.dismissed:
            return None
        if not incident.raised:
            corroborated = incident.n_news >= 2 and len(incident.sources) >= 2  # two outlets, same story
            enough = incident.n_unique >= self._posts_needed(incident) or corroborated
            if incident.news_trigger is None and (not enough or not self._relevant(incident)):
                return None
            target = self._merge_target(incident)
            if target is not None:
                self._absorb(target, incident)
                if target.dismissed:
                    return None  # more of a story an officer dismissed: it stays quiet
                incident = target
            else:
                effect = self.labels.effect(incident.profile, now)
                # Where lives may be at stake (nationals caught in a disaster, violence) labels rank the alert
                # but never silence it: a desk that called the last floods noise must still hear of the next.
                if effect.suppressed and self._type(incident).code not in _LIFE_AT_STAKE:
                    # Like enough incidents labelled not relevant lately: never raised, and it keeps taking its
                    # posts quietly until it expires, so they start no other story.
                    incident.dismissed = True
                    self.suppressed += 1
                    return None
                if effect.similar:
                    incident.feedback = effect
                incident.raised = True
                return self._alert(incident, "raised", now)
        kind = self._type(incident)
        severity = self._severity(incident, kind)
        grew = incident.n_posts >= incident.last_emitted_posts * self.update_growth
        changed = kind.code != incident.last_type or severity != incident.last_severity
        if grew or changed:
            return self._alert(incident, "updated", now)
        return None

    def _posts_needed(self, incident: Incident) -> int:
        if self._type(incident).code in _LIFE_AT_STAKE:
            return min(self.min_posts, self.min_posts_severe)
        return self.min_posts

    def _type(self, incident: Incident) -> IncidentType:
        # Read several times per post; the votes change only with the independent posts.
        cached = incident.type_cache
        if cached is not None and cached[0] == incident.n_unique:
            return cached[1]
        kind = self._vote(incident)
        incident.type_cache = (incident.n_unique, kind)
        return kind

    @staticmethod
    def _vote(incident: Incident) -> IncidentType:
        if incident.type_votes:
            code = max(sorted(incident.type_votes), key=lambda c: incident.type_votes[c])
            # A handful of typed posts among many untyped ones is not enough to call the whole story typed.
            if incident.type_votes[code] >= max(1.0, 0.15 * incident.n_unique) or incident.news_trigger:
                return TYPES[code]
        if incident.news_trigger is not None:
            return incident.news_trigger
        return OTHER

    def _severity(self, incident: Incident, kind: IncidentType) -> str:
        score = -kind.goldstein / 10.0  # 0 (neutral) .. 1 (most hostile)
        if kind.code == "CONSULAR":
            score = 0.6
        score += min(0.3, math.log10(1 + incident.n_unique) / 10) + min(0.2, 0.05 * incident.n_news)
        if kind.code == "OTHER":
            score = min(score, 0.3)
        if score >= 0.9:
            return "critical"
        if score >= 0.65:
            return "high"
        if score >= 0.4:
            return "medium"
        return "low"

    def _confidence(self, incident: Incident) -> float:
        volume = 1.0 - math.exp(-incident.n_unique / 10.0)
        corroboration = min(1.0, 0.25 * incident.n_news + 0.1 * len(incident.sources))
        base = max(volume, corroboration)
        if incident.news_trigger is not None:
            base = max(base, 0.5)  # one credible report: worth an officer's look, to be confirmed by volume
        confidence = round(min(1.0, base), 4)
        if incident.feedback is not None:  # ranked by the labels of similar incidents, for its whole life
            confidence = self.labels.rank(confidence, incident.feedback.net)
        return confidence

    def _alert(self, incident: Incident, kind: str, now: float, reason: str | None = None) -> Alert:
        itype = self._type(incident)
        severity = self._severity(incident, itype)
        incident.seq += 1
        incident.last_emitted_posts = incident.n_posts
        incident.last_type = itype.code
        incident.last_severity = severity
        countries = tuple(
            c
            for c, n in sorted(incident.countries.items(), key=lambda x: (-x[1], x[0]))
            if n >= max(1, 0.2 * incident.n_unique)
        )[:4]
        # A concept shows only where none of its words does: "hurricane", not "hurricane" and "~storm" again.
        pairs, singles = _distinct_signals(incident.key_scores)
        distinct = {*pairs, *singles}
        shown = ((k, z) for k, z in incident.key_scores.items() if k in distinct)
        top = sorted(shown, key=lambda kv: (-kv[1], kv[0]))[:8]
        terms = tuple(TermScore(_display_key(k), z) for k, z in top)
        if not terms:
            # Raised on one news report, before anything trends: its main words, with no significance yet.
            terms = tuple(TermScore(t, 0.0) for t in incident.core_terms() if not is_concept(t))[:6]
        languages = tuple(lang for lang, _ in sorted(incident.langs.items(), key=lambda x: (-x[1], x[0])))
        headline = _headline(incident)
        where = ", ".join(country_name(c) for c in countries[:3])
        title = f"{itype.label.capitalize()}" + (f" · {where}" if where else "") + f" · {headline}"
        reason = reason or _reason(incident, itype, terms)
        effect = incident.feedback
        return Alert(
            incident_id=incident.incident_id,
            seq=incident.seq,
            kind=kind,
            at=now,
            first_seen=incident.first_seen,
            title=title,
            type_code=itype.code,
            type_label=itype.label,
            severity=severity,
            confidence=self._confidence(incident),
            countries=countries,
            languages=languages,
            terms=terms,
            n_posts=incident.n_posts,
            n_news=incident.n_news,
            n_sources=len(incident.sources),
            samples=tuple(incident.samples),
            post_ids=tuple(incident.post_ids),
            reason=reason,
            feedback=None if effect is None else FeedbackEffect(round(effect.net, 3), effect.similar),
        )


def _compatible(a: str, b: str) -> bool:
    """CAMEO codes nest: 114 (complain officially) is a kind of 11 (disapprove), so the two are compatible;
    161 (expel diplomats) and 163 (sanctions) are two different acts."""
    return a.startswith(b) or b.startswith(a)


def _distinct_signals(trending: dict[str, float]) -> tuple[list[str], list[str]]:
    """A post's trending pairs and single terms, a word and its concept counted once: "flooding" and
    "~flood" trend together by construction, and are one signal, not two co-trending words."""
    pairs = [k for k in trending if "+" in k]
    singles = [k for k in trending if "+" not in k]
    if [k for k in trending if CONCEPT_MARK in k]:  # most posts' keys hold no concept: nothing to count twice
        concept_of = concept_of_term()
        pairs = [k for k in pairs if not _self_pair(_key_terms(k), concept_of)]
        implied = {concept_of.get(_key_terms(k)[0], "") for k in singles}
        singles = [k for k in singles if _key_terms(k)[0] not in implied]
    return pairs, singles


def _self_pair(terms: list[str], concept_of: dict[str, str]) -> bool:
    """A pair of a word and its own concept: "flooding" and "~flood"."""
    return len(terms) == 2 and (concept_of.get(terms[0]) == terms[1] or concept_of.get(terms[1]) == terms[0])


def _key_terms(key: str) -> list[str]:
    return key.split(":", 1)[1].split("+")


def _display_key(key: str) -> str:
    return " + ".join(_key_terms(key))


def _headline(incident: Incident) -> str:
    news = [s for s in incident.samples if s.source_kind == "news"]
    text = (news or incident.samples)[0].text if incident.samples else " ".join(incident.core_terms()[:5])
    text = " ".join(text.split())
    return text if len(text) <= 100 else text[:99] + "…"


def _reason(incident: Incident, itype: IncidentType, terms: tuple[TermScore, ...]) -> str:
    if incident.news_trigger is not None and incident.n_unique <= 2:
        reason = f"one credible news report of a severe event ({incident.news_trigger.label}); awaiting confirmation"
    else:
        lead = ", ".join(f"{t.term} (z={t.score:.1f})" for t in terms[:3])
        reason = f"{incident.n_unique} independent posts from {len(incident.sources)} sources; trending: {lead}"
    ranked = incident.feedback.describe() if incident.feedback is not None else ""
    return f"{reason}; {ranked}" if ranked else reason
