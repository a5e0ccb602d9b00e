"""What officers said of incidents like this one: a memory of labelled incidents that ranks new ones.

The relevance model learns the words of a labelled incident, but it only gates untyped stories: a typed one
("X summons Y's ambassador") is raised whatever the desk said of the last such story. ``LabelMemory`` keeps
each labelled incident's profile (its tf-idf centroid) with the label and the event time it was given. A new
incident like labelled ones (profiles at a cosine of ``similarity`` or more) is ranked lower for each like it
labelled not relevant, higher for each labelled relevant, and is not raised at all once enough like it were
labelled not relevant lately. A label fades with a half-life of event time (no wall clock: a replay of the
same posts and labels gives the same alerts).

>>> memory = LabelMemory()
>>> noise = {"summon": 4.0, "ambassador": 4.0, "island": 4.0, "fishing": 2.0}
>>> memory.learn_one({"profile": noise, "relevant": False, "incident_id": "inc-1", "at": 0.0})
>>> week = 7 * 86400.0
>>> effect = memory.effect({"summon": 4.0, "ambassador": 4.0, "reef": 4.0}, at=week)
>>> effect.net, effect.count, effect.similar, effect.suppressed
(-0.4529, 0.7071, ('inc-1',), False)
>>> memory.rank(0.7, effect.net)  # a confidence of 0.7, ranked lower
0.5419
>>> effect.describe()
'ranked lower: like 1 incident labelled not relevant (inc-1)'
>>> memory.effect({"earthquake": 4.0, "tsunami": 3.0}, at=week).similar  # nothing like it was labelled
()
>>> for n in (1, 2):  # two more like it labelled not relevant, a week apart: three labels within a fortnight
...     memory.learn_one({"profile": noise, "relevant": False, "incident_id": f"inc-{n + 1}", "at": n * week})
>>> memory.effect(noise, at=2 * week).suppressed, memory.effect(noise, at=3 * week).suppressed  # then faded
(True, False)
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from river import base

from detectors.lexicon import is_concept

_SIMILAR_SHOWN = 3  # labelled incidents named in an effect (and in the alert's reason)


@dataclass(frozen=True, slots=True)
class LabelEffect:
    """What the labels of incidents like a new one say of it."""

    net: float  # sum of cosine x decay x (+1 relevant, -1 not relevant): what moves the rank
    count: float  # sum of decay x (+1 not relevant, -1 relevant): net not-relevant labels, decayed
    similar: tuple[str, ...]  # the most similar labelled incidents, most similar first (up to 3)
    not_relevant: int  # similar labels of each kind, whatever their age
    relevant: int
    suppressed: bool  # enough similar incidents were labelled not relevant lately: not to be raised

    def describe(self) -> str:
        """A clause for the alert's reason: which way the labels moved its rank, and after which incidents."""
        if not self.net:
            return ""

        def incidents(n: int, label: str) -> str:
            return f"{n} incident{'s' if n != 1 else ''} labelled {label}"

        if self.net < 0:
            head, first, other, other_label = "ranked lower", self.not_relevant, self.relevant, "relevant"
            lead = incidents(first, "not relevant")
        else:
            head, first, other, other_label = "ranked higher", self.relevant, self.not_relevant, "not relevant"
            lead = incidents(first, "relevant")
        also = f", {other} {other_label}" if other else ""
        return f"{head}: like {lead}{also} ({', '.join(self.similar)})"


NO_EFFECT = LabelEffect(0.0, 0.0, (), 0, 0, False)


@dataclass(frozen=True, slots=True)
class _Label:
    relevant: bool
    at: float  # event time the label was given
    profile: dict[str, float]  # the incident's top terms, unit length


class LabelMemory(base.Base):
    """Officers' labelled incidents, and what they say of a new incident like them.

    Args:
        similarity: cosine between two incidents' profiles for a label of one to count for the other.
        suppress_after: net not-relevant labels of similar incidents that suppress a new one. A label counts
            1 when fresh and half as much after each ``half_life_s``; the labels must add up to more than
            ``suppress_after - 1``, so fewer labels never suppress, however fresh. 0: never suppress.
        half_life_s: event time over which a label's weight halves: what the desk said a month ago counts less.
        capacity: labels kept; the oldest learned goes first (bounded memory).
        rank_step: shift of an alert's confidence in logits per unit of net label weight.
        profile_terms: the heaviest terms of a profile kept per label.
    """

    def __init__(
        self,
        similarity: float = 0.3,
        suppress_after: int = 3,
        half_life_s: float = 14 * 86400.0,
        capacity: int = 1000,
        rank_step: float = 1.5,
        profile_terms: int = 40,
    ) -> None:
        self.similarity = similarity
        self.suppress_after = suppress_after
        self.half_life_s = half_life_s
        self.capacity = capacity
        self.rank_step = rank_step
        self.profile_terms = profile_terms
        self._labels: OrderedDict[str, _Label] = OrderedDict()  # incident id -> its label, oldest learned first

    def __len__(self) -> int:
        return len(self._labels)

    def _unit(self, profile: Mapping[str, float]) -> dict[str, float]:
        """The profile's heaviest words, at unit length. Country pseudo-terms ("@AU") and concepts ("~flood")
        repeat a word of the profile, as they do for the relevance model: they would make any two stories
        about one country look alike."""
        words = [(t, w) for t, w in profile.items() if w > 0 and t[:1] != "@" and not is_concept(t)]
        top = sorted(words, key=lambda tw: (-tw[1], tw[0]))[: self.profile_terms]
        norm = math.sqrt(sum(w * w for _, w in top))
        return {t: w / norm for t, w in top} if norm else {}

    def learn_one(self, x: Mapping[str, Any]) -> None:
        """Remember a label: ``x`` holds the incident's ``profile`` (term -> weight), ``relevant`` (bool), its
        ``incident_id`` and ``at``, the event time of the label. A second label of one incident replaces the
        first (an officer changed their mind)."""
        incident_id = str(x["incident_id"])
        self._labels.pop(incident_id, None)
        self._labels[incident_id] = _Label(bool(x["relevant"]), float(x["at"]), self._unit(x["profile"]))
        while len(self._labels) > self.capacity:
            self._labels.popitem(last=False)

    def score_one(self, x: Mapping[str, Any]) -> float:
        """Net label weight of an incident with this ``profile`` at event time ``at``: above 0 it is like
        incidents labelled relevant, below 0 like those labelled not relevant."""
        return self.effect(x["profile"], float(x["at"])).net

    def effect(self, profile: Mapping[str, float], at: float) -> LabelEffect:
        """What the labels of incidents like this profile say of it, at event time ``at``."""
        if not self._labels:
            return NO_EFFECT
        unit = self._unit(profile)
        if not unit:
            return NO_EFFECT
        net = count = 0.0
        n_relevant = n_not_relevant = 0
        similar: list[tuple[float, str]] = []
        for incident_id, label in self._labels.items():
            theirs = label.profile
            small, large = (unit, theirs) if len(unit) <= len(theirs) else (theirs, unit)
            cosine = sum(w * large[t] for t, w in small.items() if t in large)
            if cosine < self.similarity:
                continue
            # A label from after ``at`` (an incident of a replay labelled later) counts as fresh, not more.
            decay = 0.5 ** (max(0.0, at - label.at) / self.half_life_s)
            sign = 1.0 if label.relevant else -1.0
            net += cosine * decay * sign
            count -= decay * sign
            if label.relevant:
                n_relevant += 1
            else:
                n_not_relevant += 1
            similar.append((cosine, incident_id))
        if not similar:
            return NO_EFFECT
        shown = tuple(i for _, i in sorted(similar, key=lambda ci: (-ci[0], ci[1]))[:_SIMILAR_SHOWN])
        suppressed = self.suppress_after > 0 and count > self.suppress_after - 1
        return LabelEffect(round(net, 4), round(count, 4), shown, n_not_relevant, n_relevant, suppressed)

    def rank(self, confidence: float, net: float) -> float:
        """A confidence moved by the labels: ``rank_step`` logits per unit of net weight, rounded as alerts are."""
        if not net:
            return confidence
        c = min(0.98, max(0.02, confidence))  # a certain 0 or 1 has no logit to move
        logit = math.log(c / (1.0 - c)) + self.rank_step * net
        # The logistic of either sign without overflow: a thousand labels make a large logit.
        if logit >= 0:
            return round(1.0 / (1.0 + math.exp(-logit)), 4)
        return round(math.exp(logit) / (1.0 + math.exp(logit)), 4)
