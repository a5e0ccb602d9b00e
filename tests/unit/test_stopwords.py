"""detectors.stopwords: the stop-word lists as reference data, Indonesian from PySastrawi's own list."""

from __future__ import annotations

from pathlib import Path

import pytest

from detectors.reference import ReferenceDataError, data_path
from detectors.stopwords import (
    ENGLISH_STOP_WORDS,
    INDONESIAN_STOP_WORDS,
    parse_words,
    read_words,
    sastrawi_stop_words,
)
from detectors.text import normalise_text


def test_the_reduplicated_words_are_whole_entries_and_their_broken_halves_are_gone() -> None:
    # A hand copy once broke them into "sampai-" and "sampai", "sekali-" and "kali".
    assert {"sampai-sampai", "sekali-kali"} <= INDONESIAN_STOP_WORDS
    assert not {"sampai-", "sekali-"} & INDONESIAN_STOP_WORDS
    assert {"sampai", "sekali", "kali"} <= INDONESIAN_STOP_WORDS  # Sastrawi's own entries


def test_sastrawi_s_list_is_included_in_full() -> None:
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    sastrawi = StopWordRemoverFactory().get_stop_words()
    assert len(sastrawi) > 700
    assert set(sastrawi) == sastrawi_stop_words()
    assert set(sastrawi) <= INDONESIAN_STOP_WORDS


def test_the_chat_spellings_load_and_hold_only_what_sastrawi_lacks() -> None:
    chat = read_words(data_path("stopwords-id-chat.txt"))
    assert {"yg", "gak", "nggak", "udah", "wkwk", "terkait"} <= chat
    assert chat <= INDONESIAN_STOP_WORDS
    assert sastrawi_stop_words() | chat == INDONESIAN_STOP_WORDS
    assert not chat & sastrawi_stop_words(), "a word Sastrawi lists needs no line in the chat file"


def test_the_english_list_loads() -> None:
    assert read_words(data_path("stopwords-en.txt")) == ENGLISH_STOP_WORDS
    assert len(ENGLISH_STOP_WORDS) == 217
    assert {"the", "don't", "rt", "https", "amp"} <= ENGLISH_STOP_WORDS


def test_a_reduplicated_stop_word_leaves_the_fingerprint_as_its_halves_leave_the_terms() -> None:
    with_it = normalise_text("Dubes dipanggil sampai-sampai Kemlu marah soal penyadapan")
    without = normalise_text("Dubes dipanggil Kemlu marah soal penyadapan")
    assert with_it.terms == without.terms
    assert with_it.fingerprint == without.fingerprint


def test_comments_blank_lines_and_surrounding_spaces_are_no_entries() -> None:
    text = "# a comment\n\n  yg  \nsampai-sampai\ndon't\n# another\n"
    assert parse_words(text, "t.txt") == {"yg", "sampai-sampai", "don't"}


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("Yang", "upper case"),
        ("new york", "whitespace"),
        ("sampai-", "no word the tokenizer yields"),
        ("-kali", "no word the tokenizer yields"),
        ("yg", "already on line 2"),
    ],
)
def test_a_bad_entry_in_a_file_is_refused_with_its_file_and_line(tmp_path: Path, line: str, why: str) -> None:
    path = tmp_path / "stopwords-test.txt"
    path.write_text(f"# header\nyg\n\n{line}\nudah\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=why) as caught:
        read_words(path)
    assert caught.value.name == "stopwords-test.txt"
    assert caught.value.line == 4
    assert "stopwords-test.txt:4" in str(caught.value)


def test_a_file_without_words_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("# only a comment\n\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="holds no words"):
        read_words(path)


def test_the_language_marker_files_load_and_tell_the_languages_apart() -> None:
    english = read_words(data_path("language-markers-en.txt"))
    indonesian = read_words(data_path("language-markers-id.txt"))
    assert (len(english), len(indonesian)) == (41, 40)
    assert {"the", "said"} <= english and {"yang", "yg", "udah"} <= indonesian
    assert not english & indonesian, "a marker word of both languages would tell them apart from nothing"


def test_the_english_list_is_stopwords_iso_s_core_plus_what_tweets_add() -> None:
    # What the file's header says of itself, checked against stopwords-iso (the stopwordsiso package).
    import stopwordsiso

    iso = stopwordsiso.stopwords("en")
    extra = {"amp", "https", "rt", "lol", "ur", "gonna", "wanna", "day", "time", "tomorrow", "yesterday", "people"}
    assert ENGLISH_STOP_WORDS - iso == extra
    assert len(ENGLISH_STOP_WORDS & iso) == 205
