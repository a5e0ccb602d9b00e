"""What an officer reads: a story rendered as an alert record, with its title, countries, trending terms, the
reason it was raised and sample posts.

>>> from detectors.story import Incident
>>> from schemas.alert import SamplePost
>>> story = Incident("inc-1", 0.0, 60.0, ())
>>> story.n_unique, story.countries = 5, Counter({"AU": 4, "NZ": 1})
>>> story.key_scores = {"en:ambassador+summoned": 6.0}
>>> story.samples = [SamplePost("p1", 0.0, "Jakarta summons  Australian ambassador", "antaranews.com", "news", "en")]
>>> alert = AlertRenderer().render(story, "raised", 60.0, TYPES["114"], "medium", 0.4)
>>> alert.title
'Complain officially: summon ambassador, protest note · Australia, New Zealand · Jakarta summons Australian ambassador'
>>> alert.countries, alert.terms[0].term
(('AU', 'NZ'), 'ambassador + summoned')
"""

from __future__ import annotations

from collections import Counter  # noqa: F401 (the doctest's)

from river import base

from detectors.entities import country_name
from detectors.lexicon import TYPES, IncidentType, is_concept  # noqa: F401 (TYPES: the doctest's)
from detectors.story import Incident, display_key, distinct_signals
from schemas.alert import Alert, FeedbackEffect, TermScore


class AlertRenderer(base.Base):
    """Renders a story's alert record.

    Args:
        max_terms: trending terms shown, strongest first.
        fallback_terms: a story's own main words shown when nothing trends in it (one news report).
        max_countries: countries listed, by how many of its posts name them ...
        country_share: ... each named in at least this share of them.
        title_countries: countries named in the title.
        headline_chars: the longest headline, from the story's first news report or first post.
    """

    def __init__(
        self,
        max_terms: int = 8,
        fallback_terms: int = 6,
        max_countries: int = 4,
        country_share: float = 0.2,
        title_countries: int = 3,
        headline_chars: int = 100,
    ) -> None:
        self.max_terms = max_terms
        self.fallback_terms = fallback_terms
        self.max_countries = max_countries
        self.country_share = country_share
        self.title_countries = title_countries
        self.headline_chars = headline_chars

    def render(
        self,
        incident: Incident,
        kind: str,
        now: float,
        itype: IncidentType,
        severity: str,
        confidence: float,
        reason: str | None = None,
    ) -> Alert:
        """The record of kind ``kind`` (raised, updated, resolved) for the story as it stands."""
        countries = tuple(
            c
            for c, n in sorted(incident.countries.items(), key=lambda x: (-x[1], x[0]))
            if n >= max(1, self.country_share * incident.n_unique)
        )[: self.max_countries]
        terms = self.terms(incident)
        languages = tuple(lang for lang, _ in sorted(incident.langs.items(), key=lambda x: (-x[1], x[0])))
        where = ", ".join(country_name(c) for c in countries[: self.title_countries])
        title = f"{itype.label.capitalize()}" + (f" · {where}" if where else "") + f" · {self.headline(incident)}"
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
            confidence=confidence,
            countries=countries,
            languages=languages,
            terms=terms,
            n_posts=incident.n_posts,
            n_news=incident.n_news,
            n_sources=len(incident.sources),
            samples=tuple(incident.samples),
            post_ids=tuple(incident.post_ids),
            reason=reason or self.reason(incident, terms),
            feedback=None if effect is None else FeedbackEffect(round(effect.net, 3), effect.similar),
        )

    def terms(self, incident: Incident) -> tuple[TermScore, ...]:
        """The story's strongest trending keys. A concept shows only where none of its words does:
        "hurricane", not "hurricane" and "~storm" again."""
        pairs, singles = distinct_signals(incident.key_scores)
        distinct = {*pairs, *singles}
        shown = ((k, z) for k, z in incident.key_scores.items() if k in distinct)
        top = sorted(shown, key=lambda kv: (-kv[1], kv[0]))[: self.max_terms]
        terms = tuple(TermScore(display_key(k), z) for k, z in top)
        if not terms:
            # Raised on one news report, before anything trends: its main words, with no significance yet.
            terms = tuple(TermScore(t, 0.0) for t in incident.core_terms() if not is_concept(t))[: self.fallback_terms]
        return terms

    def headline(self, incident: Incident) -> str:
        news = [s for s in incident.samples if s.source_kind == "news"]
        text = (news or incident.samples)[0].text if incident.samples else " ".join(incident.core_terms()[:5])
        text = " ".join(text.split())
        return text if len(text) <= self.headline_chars else text[: self.headline_chars - 1] + "…"

    @staticmethod
    def reason(incident: Incident, terms: tuple[TermScore, ...]) -> str:
        if incident.news_trigger is not None and incident.n_unique <= 2:
            trigger = incident.news_trigger.label
            reason = f"one credible news report of a severe event ({trigger}); awaiting confirmation"
        else:
            lead = ", ".join(f"{t.term} (z={t.score:.1f})" for t in terms[:3])
            reason = f"{incident.n_unique} independent posts from {len(incident.sources)} sources; trending: {lead}"
        ranked = incident.feedback.describe() if incident.feedback is not None else ""
        return f"{reason}; {ranked}" if ranked else reason
