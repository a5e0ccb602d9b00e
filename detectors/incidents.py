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

The tracker composes its stages, each a small class of its own with its own settings:
``detectors.storybook`` (the register of stories and its indexes), ``detectors.matching`` and
``detectors.threads`` (which story a post joins), ``detectors.merging`` (one story, one alert),
``detectors.assessment`` (type, severity, confidence, relevance), ``detectors.places`` (where a story is)
and ``detectors.rendering`` (the alert record an officer reads).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from river import base

from detectors.assessment import IncidentAssessment
from detectors.candidates import CandidateStage
from detectors.entities import canonical_place, is_specific_place
from detectors.labels import LabelMemory
from detectors.lexicon import IncidentType
from detectors.matching import StoryMatcher
from detectors.merging import StoryMerger
from detectors.places import PlaceAreas
from detectors.relevance import RelevanceModel
from detectors.rendering import AlertRenderer
from detectors.story import DEFAULT_WEIGHT, Incident, Member, distinct_signals, key_terms, self_pair
from detectors.storybook import StoryBook
from detectors.text import concept_of_term
from detectors.threads import PostThreader
from schemas.alert import MAX_POST_IDS, Alert
from schemas.post import Post

__all__ = ["DEFAULT_WEIGHT", "IncidentTracker", "Sighting"]


class Sighting(NamedTuple):
    """One post as the tracker is given it, with the keys trending in it and the event-time clock. Read only:
    the tracker keeps a member of its own."""

    post: Post
    lang: str
    terms: tuple[str, ...]
    tokens: tuple[str, ...]
    duplicate: bool
    weights: Mapping[str, float]  # term -> rarity weight (idf)
    mentions: tuple[tuple[str, str], ...]  # (code, alias) as the normalise step read them
    news_trigger: IncidentType | None
    kind: IncidentType | None
    kind_confidence: float
    trending: Mapping[str, float]  # trending key -> z-score
    now: float


def sighted_member(x: Sighting, trending: dict[str, float], home_country: str, country_weight: float) -> Member:
    """The tracker's own record of a post, with where it is and what trends in it."""
    countries: tuple[str, ...] = ()
    places: tuple[tuple[str, str], ...] = ()
    named: frozenset[str] = frozenset()
    mentions = x.mentions
    if mentions or x.post.country_hints:  # most posts name no place: their defaults stand
        countries = tuple(dict.fromkeys([*(code for code, _ in mentions), *x.post.country_hints]))
        home = home_country
        places = tuple(dict.fromkeys((code, canonical_place(alias)) for code, alias in mentions if code != home))
        named = frozenset(alias for _, alias in places if is_specific_place(alias))
    # Foreign countries join the post's words as pseudo-terms: "Kedubes Australia" and "Australian
    # embassy" share "@AU", so stories thread across languages and wordings.
    foreign = [f"@{c}" for c in countries if c != home_country]
    # Shared with the sighting, read only; a copy only where the countries join (the sighting is never changed).
    terms, weights = x.terms, x.weights if isinstance(x.weights, dict) else dict(x.weights)
    if foreign:
        terms = (*terms, *foreign)
        weights = {**weights, **dict.fromkeys(foreign, country_weight)}
    return Member(
        post=x.post,
        lang=x.lang,
        terms=terms,
        tokens=x.tokens,
        duplicate=x.duplicate,
        weights=weights,
        mentions=mentions,
        news_trigger=x.news_trigger,
        countries=countries,
        places=places,
        named=named,
        kind=x.kind,
        kind_confidence=x.kind_confidence,
        # The weights hold every term (the core weighs them all), in the terms' order: the same sum.
        norm=math.sqrt(sum([w * w for w in weights.values()])),  # w * w is w**2, exactly
        term_set=frozenset(terms),
        bursting=tuple(key_terms(k)[0] for k in distinct_signals(trending)[1]) if trending else (),
    )


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
        expiry_interval_s: event time between two expiry scans of the open stories.
        abroad_words: terms (stemmed) that put a story with the ministry's own abroad: its missions, citizens.
        relevance: the online relevance classifier; learns from officers' feedback.
        labels: the memory of labelled incidents; a new incident like them is ranked by their labels when it
            is raised (lower, or suppressed, for those labelled not relevant; higher for those relevant). A
            story where lives may be at stake (``IncidentAssessment.life_at_stake``) is ranked, never suppressed.
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
        expiry_interval_s: float = 60.0,
        abroad_words: tuple[str, ...] = (
            *("kbri", "kjri", "wni", "tki", "pmi", "kedubes", "kedube", "dubes", "embassy", "consulate", "konsulat"),
            *("citizen", "citizens", "nationals"),
        ),
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
        self.expiry_interval_s = expiry_interval_s
        self.abroad_words = abroad_words
        self.relevance = relevance if relevance is not None else RelevanceModel()
        self.labels = labels if labels is not None else LabelMemory()
        # The stages, each with its own settings; those the tracker takes are passed on.
        self.book = StoryBook()
        self.places = PlaceAreas()
        self.threader = PostThreader(recent_posts, thread_similarity, thread_min_weight)
        self.assessment = IncidentAssessment(
            home_country, min_posts, min_posts_severe, foreign_share, relevance_threshold
        )
        self.matcher = StoryMatcher(attach_similarity, min_posts, burst_memory_s, home_country)
        self.merger = StoryMerger(merge_similarity, signature_share, foreign_share, home_country)
        self.candidates = CandidateStage(candidate_ttl_s, update_growth, home_country)
        self.renderer = AlertRenderer()
        self.suppressed = 0  # incidents not raised because similar ones were labelled not relevant
        self._abroad = frozenset(abroad_words)
        self._next_expiry = -math.inf

    @property
    def active(self) -> OrderedDict[str, Incident]:
        """Open stories (candidates and raised incidents), by id."""
        return self.book.active

    @property
    def resolved(self) -> OrderedDict[str, Incident]:
        """Resolved incidents that may still come back, by id."""
        return self.book.resolved

    # -- per post --------------------------------------------------------------------------------------------

    def learn_one(self, x: Sighting) -> None:
        """River's shape: take one post; its alert records are :meth:`process_one`'s."""
        self.process_one(x)

    def process_one(self, x: Sighting) -> list[Alert]:
        """Route one post to a story, and return the alert records it causes."""
        now = x.now
        # Expiry runs once per event-time interval, not per post: scanning every open story per post would
        # cost more than the rest of the tracker on a busy stream.
        alerts = self.expire(now) if now >= self._next_expiry else []
        # Read only, so the sighting's own (filtered below into a new dict, never changed in place).
        trending = x.trending if isinstance(x.trending, dict) else dict(x.trending)
        if trending and any("+~" in k for k in trending):
            # A word and its own concept ("flooding + ~flood") trend together by construction: that pair says
            # nothing the word does not, and must not join, anchor or name a story as a pair would. (A pair's
            # words are in order, so a concept word's concept comes second: "+~".)
            concept_of = concept_of_term()
            trending = {k: z for k, z in trending.items() if "+~" not in k or not self_pair(key_terms(k), concept_of)}
        member = sighted_member(x, trending, self.home_country, self.country_weight)
        if member.named and not member.duplicate:
            self.places.learn_one(member.named)
        # Stories whose head words the post carries: only they can take it by similarity or threading.
        named_in = self.book.named_by(member.terms)
        incident = self.matcher.match(member, trending, named_in, self.book, self.assessment, self.places)
        if incident is None and named_in:
            incident = self.matcher.thread(member, self.book, self.assessment, self.places, self.threader)
            member.threaded = incident is not None
        if incident is None:
            incident = self._open(member, trending, now)
        self.threader.remember(member)
        if incident is None:
            return alerts
        self._attach(incident, member, trending)
        alert = self._maybe_emit(incident, now)
        if alert is not None:
            alerts.append(alert)
        return alerts

    def expire(self, now: float) -> list[Alert]:
        """Resolve stories silent for ``resolve_after_s``, drop stale candidates and forget old stories."""
        self._next_expiry = now + self.expiry_interval_s
        alerts: list[Alert] = []
        active = self.book.active
        stale = [
            i
            for i in active.values()
            if now - i.last_seen >= (self.resolve_after_s if i.raised or i.news_lead else self.candidate_ttl_s)
        ]
        if len(active) - len(stale) > self.max_active:
            fresh = sorted((i for i in active.values() if i not in stale), key=lambda i: (i.last_seen, i.incident_id))
            stale.extend(fresh[: len(fresh) - self.max_active])
        for incident in stale:
            self.book.close(incident)
            if incident.raised and not incident.dismissed:  # a dismissed story that took posts again was resolved
                alerts.append(self._alert(incident, "resolved", now))
        self.book.forget_resolved(now, self.reopen_within_s, 4 * self.max_active)
        return alerts

    def compact(self) -> None:
        """Let go of what detection will never read again, before the state is saved. Changes no result."""
        self.threader.compact()

    # -- candidates and raising ------------------------------------------------------------------------------

    def _open(self, member: Member, trending: dict[str, float], now: float) -> Incident | None:
        incident = self.candidates.open(member, trending, now, self.matcher)
        if incident is not None:
            self.book.open(incident)
            for earlier in self.candidates.backfill(incident, member, self.threader, self.matcher):
                self._attach(incident, earlier, {})
        return incident

    def _attach(self, incident: Incident, member: Member, trending: dict[str, float]) -> None:
        post = member.post
        if member.incident_id is None:
            self.threader.index(member)
        member.incident_id = incident.incident_id
        if len(incident.post_ids) < MAX_POST_IDS:
            incident.post_ids.append(post.id)
        incident.n_posts += 1
        incident.first_seen = min(incident.first_seen, post.ts)
        incident.last_seen = max(incident.last_seen, post.ts)
        self.book.note_keys(incident, trending, post.ts)
        if member.duplicate:
            return  # a copy is a member, but not a new voice: it adds no weight to the incident's profile
        incident.count_voice(member, self.home_country, self._abroad, self.book.max_samples)
        if not incident.raised:  # relevance decides whether a story is raised; once it is, it is not read
            # Relevance reads what happened, not where: "Korea Selatan" in "the ambassador of South Korea tries
            # batik" makes it no more an incident (as country pseudo-terms are left out too).
            place_words = {word for _, alias in member.mentions for word in alias.split()}
            terms = [t for t in member.terms if t not in place_words] if place_words else member.terms
            incident.relevance_sum += self.relevance.score_one(terms)
        # Refresh the profile while it is young, then at every doubling: cheap, and stable once formed.
        grown = incident.n_unique & (incident.n_unique - 1) == 0
        if incident.n_unique <= 20 or grown or len(incident.term_df) > 2 * self.book.max_tracked_terms:
            self.book.refresh(incident)

    def _maybe_emit(self, incident: Incident, now: float) -> Alert | None:
        if incident.dismissed:
            return None
        if not incident.raised:
            if not self.candidates.ready(incident, self.assessment):
                return None
            target = self.merger.target(incident, self.book, self.assessment, self.places)
            if target is None:
                return self._raise(incident, now)
            self.book.absorb(target, incident)
            if target.dismissed:
                return None  # more of a story an officer dismissed: it stays quiet
            incident = target
        return self._alert(incident, "updated", now) if self.candidates.update_due(incident, self.assessment) else None

    def _raise(self, incident: Incident, now: float) -> Alert | None:
        effect = self.labels.effect(incident.profile, now)
        # Where lives may be at stake (nationals caught in a disaster, violence) labels rank the alert but never
        # silence it: a desk that called the last floods noise must still hear of the next.
        if effect.suppressed and not self.assessment.at_stake(incident):
            # Like enough incidents labelled not relevant lately: never raised, and it keeps taking its posts
            # quietly until it expires, so they start no other story.
            incident.dismissed = True
            self.suppressed += 1
            return None
        if effect.similar:
            incident.feedback = effect
        incident.raised = True
        return self._alert(incident, "raised", now)

    def _alert(self, incident: Incident, kind: str, now: float, reason: str | None = None) -> Alert:
        itype = self.assessment.kind(incident)
        severity = self.assessment.severity(incident, itype)
        incident.seq += 1
        incident.last_emitted_posts = incident.n_posts
        incident.last_type = itype.code
        incident.last_severity = severity
        confidence = self.assessment.confidence(incident)
        if incident.feedback is not None:  # ranked by the labels of similar incidents, for its whole life
            confidence = self.labels.rank(confidence, incident.feedback.net)
        return self.renderer.render(incident, kind, now, itype, severity, confidence, reason)

    # -- feedback --------------------------------------------------------------------------------------------

    def feedback(self, incident_id: str, relevant: bool, now: float) -> list[Alert]:
        """An officer's label for an incident: the relevance model learns from the incident's words, the label
        memory remembers the incident's profile (similar incidents raised later are ranked by it), and a
        dismissed incident is resolved at once and stays quiet."""
        incident = self.book.get(incident_id)
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
        if incident.incident_id in self.book.active and incident.raised:
            self.book.close(incident)
            return [self._alert(incident, "resolved", now, reason="dismissed by an officer as not relevant")]
        return []

    def learn_text(self, terms: Sequence[str], relevant: bool) -> None:
        """A labelled example that is not an incident (an officer's own example, a curated seed)."""
        self.relevance.learn_one(terms, relevant)
