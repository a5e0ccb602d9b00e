"""Bilingual (English + Indonesian) diplomatic-incident lexicon typed by CAMEO class.

The words are data, for a linguist to review: ``detectors/data/lexicon.toml`` holds the incident types (CAMEO
code, label, Goldstein weight), the word groups, the cues per type with their "unless" words, the severe
path's cues and vetoes, the concepts and the relevance seed sentences; ``detectors.cues`` reads and checks it
once. This module compiles the cues into matchers and types posts with them.

Tokens are lowercased, *unstemmed* words (inner hyphens/apostrophes as kept by
``detectors.text`` are fine: see ``entities.canonical_tokens``).  Inflected
English forms and Indonesian affixed forms (me-/di-/pe-an/-nya) are spelled
out explicitly instead of relying on a stemmer, because Indonesian stemmers
conflate words we must keep apart (``menarik`` "interesting" vs ``tarik``
"withdraw").

A cue is a small *set* of words; it matches when every word occurs anywhere in
the post (order and adjacency are ignored).  When one matched cue's words are a
strict subset of another matched cue's words, only the more specific cue
counts.  Cues may carry "unless" words that cancel them ("lifts export ban").

Goldstein values follow the standard CAMEO-Goldstein table.  CONSULAR and
OTHER are not state-to-state interactions, so their Goldstein is 0.0: callers
must not rank CONSULAR alerts by Goldstein.

>>> t, conf = classify("indonesia summons australian ambassador over spying row".split())
>>> t.code, conf >= 0.8
('114', True)
>>> classify("i love chinese food and korean dramas".split())
(None, 0.0)
>>> severe_news_trigger("china expels two dutch diplomats".split()).code
'161'
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .cues import CueEntry, load_lexicon
from .entities import canonical_tokens, find_countries

__all__ = [
    "BACKGROUND_SEED_EN",
    "BACKGROUND_SEED_ID",
    "CONCEPTS",
    "CONCEPT_MARK",
    "DIPLOMATIC_SEED_EN",
    "DIPLOMATIC_SEED_ID",
    "ROUTINE_SEED_EN",
    "ROUTINE_SEED_ID",
    "TYPES",
    "IncidentType",
    "classify",
    "concepts_in",
    "is_concept",
    "severe_news_trigger",
]


@dataclass(frozen=True, slots=True)
class IncidentType:
    code: str  # CAMEO code, or "CONSULAR" / "OTHER"
    label: str
    goldstein: float  # -10 (most conflictual) .. +10


# The words are data: detectors/data/lexicon.toml, read and checked once by detectors.cues.
_LEXICON = load_lexicon()

TYPES: dict[str, IncidentType] = {t.code: IncidentType(t.code, t.label, t.goldstein) for t in _LEXICON.types}

_OTHER_CAP = 0.45  # "diplomatic but untyped" never reaches the 0.5 incident bar

# Any of these vetoes the severe path: sport/fiction contexts, denials, hypotheticals and threats.
_SEVERE_VETO: frozenset[str] = _LEXICON.severe_veto


# ---------------------------------------------------------------------------
# Cue compilation
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cue:
    words: frozenset[str]
    code: str
    weight: float
    unless: frozenset[str]
    order: int  # stable id: makes float combination order independent of set iteration


def _expand(entries: Iterable[CueEntry]) -> list[_Cue]:
    # A cue as written stands for each combination of its slots' alternatives: one concrete word set each.
    best: dict[tuple[frozenset[str], str], tuple[float, frozenset[str]]] = {}
    for entry in entries:
        for combo in itertools.product(*entry.slots):
            words = frozenset(w for alt in combo for w in alt)
            key = (words, entry.code)
            if key not in best or entry.weight > best[key][0]:  # the same words twice: the higher weight holds
                best[key] = (entry.weight, entry.unless)
    ordered = sorted(best.items(), key=lambda kv: (kv[0][1], sorted(kv[0][0])))
    return [_Cue(words, code, w, unless, i) for i, ((words, code), (w, unless)) in enumerate(ordered)]


class _CueIndex:
    """Cues keyed by an anchor word, so a post only checks cues whose anchor it contains."""

    __slots__ = ("anchors", "by_anchor", "cues")

    def __init__(self, cues: list[_Cue]) -> None:
        self.cues = cues
        df: dict[str, int] = {}
        for cue in cues:
            for w in cue.words:
                df[w] = df.get(w, 0) + 1
        by_anchor: dict[str, list[_Cue]] = {}
        for cue in cues:
            # Rarest word within the cue table (then longest) is the most selective key.
            anchor = min(cue.words, key=lambda w: (df[w], -len(w), w))
            by_anchor.setdefault(anchor, []).append(cue)
        self.by_anchor: dict[str, tuple[_Cue, ...]] = {k: tuple(v) for k, v in by_anchor.items()}
        self.anchors = frozenset(by_anchor)

    def match(self, tset: set[str]) -> list[_Cue]:
        out: list[_Cue] = []
        by_anchor = self.by_anchor
        for w in self.anchors.intersection(tset):  # in C: most posts hold no anchor at all
            for cue in by_anchor[w]:
                if cue.words <= tset and (not cue.unless or cue.unless.isdisjoint(tset)):
                    out.append(cue)
        out.sort(key=lambda c: c.order)
        return out


# Diplomatic actor cues ("OTHER").  They also boost a typed match that does not already contain them, and act
# as the actor requirement of severe_news_trigger, with the state actors that count there only.
_ACTOR_SPECS = tuple(entry for entry in _LEXICON.cues if entry.code == "OTHER")
_TYPED_CUES = _expand(entry for entry in _LEXICON.cues if entry.code != "OTHER")
_ACTOR_CUES = _expand(_ACTOR_SPECS)
_INDEX = _CueIndex(
    _TYPED_CUES + [_Cue(c.words, c.code, c.weight, c.unless, c.order + len(_TYPED_CUES)) for c in _ACTOR_CUES]
)
_SEVERE_INDEX = _CueIndex(_expand(_LEXICON.severe_cues))
_SEVERE_ACTOR_INDEX = _CueIndex(_expand(_ACTOR_SPECS + _LEXICON.state_actors))

#: Number of expanded (concrete word-set) cues, for diagnostics.
CUE_COUNT: int = len(_TYPED_CUES) + len(_ACTOR_CUES)
SEVERE_CUE_COUNT: int = len(_SEVERE_INDEX.cues)


def _most_specific(cues: list[_Cue]) -> list[_Cue]:
    # Drop a cue when another matched cue strictly contains its words: "expels
    # diplomats" beats bare "diplomats"; "burn flag at embassy" beats "burn embassy".
    return [c for c in cues if not any(c.words < d.words for d in cues)]


def _noisy_or(cues: Iterable[_Cue]) -> float:
    miss = 1.0
    for cue in cues:
        miss *= 1.0 - cue.weight
    return 1.0 - miss


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------
# Concepts: the words an event of one kind is first reported by, in English and Indonesian (see the data file).
# A post carrying any of the words also carries the concept's term, marked "~".  The words themselves stay
# terms: a story is still named by them.

CONCEPT_MARK = "~"  # no word holds it: the tokeniser keeps letters, digits and inner hyphens or apostrophes

CONCEPTS: dict[str, str] = {word: CONCEPT_MARK + name for name, words in _LEXICON.concepts for word in words}
_CONCEPT_WORDS = frozenset(CONCEPTS)


def concepts_in(tokens: Sequence[str]) -> tuple[str, ...]:
    """The concepts a post's (lower-case, unstemmed) words report, each once, in the order first met.

    >>> concepts_in("two explosions and a blast at the marathon".split())
    ('~explosion',)
    >>> concepts_in("ledakan di dekat kedutaan".split()), concepts_in("lovely weather".split())
    (('~explosion',), ())
    """
    if _CONCEPT_WORDS.isdisjoint(tokens):
        return ()
    return tuple(dict.fromkeys(CONCEPTS[t] for t in tokens if t in _CONCEPT_WORDS))


def is_concept(term: str) -> bool:
    """Whether a term is a concept ("~flood"), not a word."""
    return term[:1] == CONCEPT_MARK


def classify(tokens: Sequence[str]) -> tuple[IncidentType | None, float]:
    """Best incident type for a post and a confidence in [0, 1].

    Returns ``(None, 0.0)`` when no cue matches.  OTHER (diplomatic actors but
    no incident cue) is capped at 0.45, so a 0.5 threshold keeps only typed
    incidents.

    >>> classify(["kemlu", "memanggil", "dubes", "australia"])[0].code
    '114'
    >>> classify([])
    (None, 0.0)
    """
    return classify_set(set(canonical_tokens(tokens)))


def classify_set(tset: set[str]) -> tuple[IncidentType | None, float]:
    """:func:`classify` of the set of a post's canonical tokens (see ``canonical_tokens``)."""
    matched = _INDEX.match(tset)
    if not matched:
        return None, 0.0
    matched = _most_specific(matched)
    by_type: dict[str, list[_Cue]] = {}
    for cue in matched:
        by_type.setdefault(cue.code, []).append(cue)
    actors = by_type.pop("OTHER", [])
    if not by_type:
        return TYPES["OTHER"], round(min(_noisy_or(actors), _OTHER_CAP), 4)

    def rank(item: tuple[str, list[_Cue]]) -> tuple[float, int, float, str]:
        code, cues = item
        # confidence, then specificity, then severity, then code (total order => deterministic)
        return (_noisy_or(cues), max(len(c.words) for c in cues), -TYPES[code].goldstein, code)

    code, cues = max(by_type.items(), key=rank)
    conf = _noisy_or(cues)
    if actors:  # an independent diplomatic actor makes the reading more credible
        conf = 1.0 - (1.0 - conf) * 0.75
    return TYPES[code], round(conf, 4)


def severe_news_trigger(tokens: Sequence[str]) -> IncidentType | None:
    """Strict matcher for the sparse-news path: a severe, unambiguous diplomatic event.

    Requires an action cue (diplomats expelled, sanctions imposed / embargo /
    export ban, embassy attacked, ambassador summoned or recalled, relations
    severed, border clash with casualties) AND a diplomatic or state actor: a
    diplomatic/state actor word (it may be the action's object, as "diplomats" in
    "expels diplomats") or a country mention.  Denials, threats, hypotheticals
    and sport/fiction contexts veto.

    >>> severe_news_trigger("malaysia larang ekspor pasir".split()).code
    '163'
    >>> severe_news_trigger("russia threatens to expel diplomats".split()) is None
    True
    """
    if not tokens:
        return None
    return severe_news_trigger_set(set(canonical_tokens(tokens)), lambda: bool(find_countries(tokens)))


def severe_news_trigger_set(tset: set[str], names_country: Callable[[], bool]) -> IncidentType | None:
    """:func:`severe_news_trigger` of the set of a post's canonical tokens; ``names_country`` says whether it
    names a country (asked only when no diplomatic actor word is found)."""
    if not _SEVERE_VETO.isdisjoint(tset):
        return None
    matched = _SEVERE_INDEX.match(tset)
    if not matched:
        return None
    if not _SEVERE_ACTOR_INDEX.match(tset) and not names_country():
        return None
    best = max(matched, key=lambda c: (c.weight, len(c.words), -TYPES[c.code].goldstein, c.code))
    return TYPES[best.code]


# ---------------------------------------------------------------------------
# Seed sentences for the online relevance classifier (original text), from the data file.
# ---------------------------------------------------------------------------

DIPLOMATIC_SEED_EN: tuple[str, ...] = _LEXICON.seeds["diplomatic"]["en"]
DIPLOMATIC_SEED_ID: tuple[str, ...] = _LEXICON.seeds["diplomatic"]["id"]
BACKGROUND_SEED_EN: tuple[str, ...] = _LEXICON.seeds["background"]["en"]
BACKGROUND_SEED_ID: tuple[str, ...] = _LEXICON.seeds["background"]["id"]
# Routine diplomacy (CAMEO 01-06): diplomatic, but no incident; it seeds the "not relevant" side too.
ROUTINE_SEED_EN: tuple[str, ...] = _LEXICON.seeds["routine"]["en"]
ROUTINE_SEED_ID: tuple[str, ...] = _LEXICON.seeds["routine"]["id"]
