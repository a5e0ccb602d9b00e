"""detectors.langid: marker words where they are sure, fastText's lid.176 by language group otherwise, und when
neither is; the language-groups file refused with its line when it is wrong."""

from __future__ import annotations

import pytest

from detectors.langid import LANG_UNKNOWN, LanguageIdentifier, language_groups, model_path
from detectors.reference import ReferenceDataError


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Sismo de magnitud 7 sacude la costa de Chile", "es"),
        ("Terremoto in Italia, decine di morti e dispersi", "it"),
        ("Séisme au Maroc : des centaines de morts", "fr"),
        ("Terremoto atinge o Japão e deixa feridos", "pt"),
        ("Lindol sa Batangas, maraming nasugatan", "tl"),  # Cebuano's share counts for Tagalog
        ("Dubes Australia dipanggil Kemenlu terkait penyadapan", "id"),  # Malay's share counts for Indonesian
        ("東京で地震が発生しました", "ja"),
        ("the ambassador was summoned over the spying row", "en"),
    ],
)
def test_each_language_is_told_from_a_headline(identifier: LanguageIdentifier, text: str, lang: str) -> None:
    assert identifier.identify(text.lower().replace(",", "").replace(":", "").split()) == lang


def test_marker_words_decide_short_indonesian_chat_before_the_model(identifier: LanguageIdentifier) -> None:
    chat = ["gw", "udah", "bilang", "yg", "itu"]
    assert identifier.identify(chat) == "id"
    assert LanguageIdentifier(marker_hits=99).identify(chat) in {"id", LANG_UNKNOWN}  # the model alone hesitates


def test_no_letters_and_low_confidence_are_unknown(identifier: LanguageIdentifier) -> None:
    assert identifier.identify(["🙏", "2026"]) == LANG_UNKNOWN
    assert LanguageIdentifier(min_confidence=1.01).identify(["sismo", "de", "magnitud", "7"]) == LANG_UNKNOWN


def test_the_answer_is_the_same_every_time(identifier: LanguageIdentifier) -> None:
    tokens = ["banjir", "bandang", "di", "sumatra", "barat", "puluhan", "rumah", "hanyut"]
    assert len({identifier.identify(tokens) for _ in range(50)}) == 1


def test_the_model_ships_inside_an_installed_package() -> None:
    path = model_path()
    assert path.name == "lid.176.ftz" and path.stat().st_size > 900_000


@pytest.mark.parametrize(
    ("text", "line", "why"),
    [
        ('[groups]\nen = ["en"]\nid = ["ms"]\n', 3, "its own code"),
        ('[groups]\nen = ["en"]\nid = ["id", "en"]\n', 3, "already counts for en"),
        ('[groups]\nen = "en"\n', 2, "a list of"),
        ('[groups]\nen = ["en"\n', 2, "not valid TOML"),  # its last line: where the array ends unclosed
    ],
)
def test_a_bad_groups_file_is_refused_with_its_line(text: str, line: int, why: str) -> None:
    with pytest.raises(ReferenceDataError, match=why) as caught:
        language_groups(text, "groups.toml")
    assert caught.value.line == line


def test_the_shipped_groups_cover_the_languages_the_issue_names() -> None:
    groups = LanguageIdentifier().groups
    assert {"en", "id", "es", "fr", "it", "pt", "tl", "ja"} <= set(groups)
    assert "ms" in groups["id"] and "ceb" in groups["tl"]
