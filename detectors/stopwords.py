"""Stop-words for English and Indonesian, read once at import from reference data.

English is ``detectors/data/stopwords-en.txt``. Indonesian is PySastrawi's own list, the one its
``StopWordRemover`` uses (so it follows the installed Sastrawi, not a copy of it), with
``detectors/data/stopwords-id-chat.txt``: the chat spellings Sastrawi lacks.

A word file holds one word a line, as ``detectors.text`` tokenizes words: lower case, letters and digits with
inner apostrophes or hyphens. A line that starts with ``#`` is a comment, a blank line is nothing.

>>> {"sampai-sampai", "sekali-kali", "yg", "the"} <= INDONESIAN_STOP_WORDS | ENGLISH_STOP_WORDS
True
"""

from __future__ import annotations

import re
from pathlib import Path

from detectors.reference import ReferenceDataError, data_path

# A word as detectors.text tokenizes one. An entry of another shape can never match a token, as "sampai-"
# could not when a hand copy of Sastrawi's list broke "sampai-sampai" in two.
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def parse_words(text: str, name: str) -> frozenset[str]:
    """The words of a word file's ``text``; ``name`` is the file's, for the error a bad entry raises."""
    first_seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        if any(char.isspace() for char in word):
            raise ReferenceDataError(name, number, f"{word!r} holds whitespace: one word a line")
        if word != word.lower():
            raise ReferenceDataError(name, number, f"{word!r} has upper case, and every token is lower case")
        if not _WORD.fullmatch(word):
            raise ReferenceDataError(
                name, number, f"{word!r} is no word the tokenizer yields (letters and digits, inner ' or - only)"
            )
        if word in first_seen:
            raise ReferenceDataError(name, number, f"{word!r} is already on line {first_seen[word]}")
        first_seen[word] = number
    if not first_seen:
        raise ReferenceDataError(name, None, "holds no words")
    return frozenset(first_seen)


def read_words(path: Path) -> frozenset[str]:
    """The words of the word file at ``path``."""
    return parse_words(path.read_text(encoding="utf-8"), path.name)


def sastrawi_stop_words() -> frozenset[str]:
    """PySastrawi's Indonesian stop-words, as its stop-word remover has them."""
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return frozenset(StopWordRemoverFactory().get_stop_words())


ENGLISH_STOP_WORDS: frozenset[str] = read_words(data_path("stopwords-en.txt"))
INDONESIAN_STOP_WORDS: frozenset[str] = sastrawi_stop_words() | read_words(data_path("stopwords-id-chat.txt"))
# Words that tell English from Indonesian even in a short post (detectors.text, detectors.langid): read once here.
ENGLISH_MARKERS: frozenset[str] = read_words(data_path("language-markers-en.txt"))
INDONESIAN_MARKERS: frozenset[str] = read_words(data_path("language-markers-id.txt"))
