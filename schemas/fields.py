"""Rules for the short string fields of a record: ids, sources, URLs, authors, language codes.

These fields travel further than the text: into alert records (``post_ids``, up to 5,000 of them), the audit
log, log lines, the console and every delivery channel. So each has a length bound, and none may hold a
character that changes how a line or a page is read: control characters (a newline forges a log line, a NUL
cuts a C string), line and paragraph separators, and the bidirectional formatting characters of
"Trojan Source" (U+202E turns ``txt.exe`` into what reads as ``exe.txt``). A post's text may hold newlines
and is bounded on its own; it is shown escaped, never as markup.

>>> check_id("p-1")
'p-1'
>>> check_id("nl-1\\n999999 forged-id")
Traceback (most recent call last):
...
schemas.errors.InvalidMessage: bad_id: field 'id' holds a control or bidirectional character (U+000A at 4)
>>> check_id("x" * 300)
Traceback (most recent call last):
...
schemas.errors.InvalidMessage: bad_id: field 'id' is 300 bytes, the limit is 256
>>> check_short("author", "Budi \\u202eevil", MAX_AUTHOR_CHARS)
Traceback (most recent call last):
...
schemas.errors.InvalidMessage: bad_value: field 'author' holds a control or bidirectional character (U+202E at 5)
"""

from __future__ import annotations

import re

from schemas.errors import InvalidMessage, RejectReason

MAX_ID_BYTES = 256  # UTF-8 bytes: ids are keys in logs, URLs and headers, which count bytes
MAX_SOURCE_CHARS = 256
MAX_AUTHOR_CHARS = 256
MAX_URL_CHARS = 2048  # the de facto limit of browsers and servers
MAX_LANG_CHARS = 35  # the longest BCP 47 tag in practical use (RFC 5646, section 4.4.1)
MAX_COUNTRY_HINTS = 32

# Cc (C0 and C1 controls, DEL), U+2028/U+2029 (line and paragraph separators) and the bidirectional
# embeddings, overrides, isolates and marks (U+061C, U+200E-F, U+202A-E, U+2066-9).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_WHITESPACE = re.compile(r"\s")
_LANG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")


def unsafe_char(value: str) -> tuple[int, str] | None:
    """The first character of ``value`` that no short field may hold, with its position, or None."""
    found = _UNSAFE.search(value)
    return None if found is None else (found.start(), found.group())


def _reject_unsafe(name: str, value: str, reason: RejectReason) -> None:
    bad = unsafe_char(value)
    if bad is not None:
        at, char = bad
        raise InvalidMessage(
            reason, f"field {name!r} holds a control or bidirectional character (U+{ord(char):04X} at {at})"
        )


def check_id(value: str, name: str = "id") -> str:
    """A record id: 1 to 256 UTF-8 bytes, no control or bidirectional character (reason ``bad_id``)."""
    if not value:
        raise InvalidMessage(RejectReason.BAD_ID, f"field {name!r} is empty")
    size = len(value.encode("utf-8", "surrogatepass"))
    if size > MAX_ID_BYTES:
        raise InvalidMessage(RejectReason.BAD_ID, f"field {name!r} is {size} bytes, the limit is {MAX_ID_BYTES}")
    _reject_unsafe(name, value, RejectReason.BAD_ID)
    return value


def check_short(name: str, value: str, max_chars: int) -> str:
    """A short free-form field (source, author): bounded, no control or bidirectional character."""
    if len(value) > max_chars:
        raise InvalidMessage(
            RejectReason.BAD_VALUE, f"field {name!r} has {len(value)} characters, the limit is {max_chars}"
        )
    _reject_unsafe(name, value, RejectReason.BAD_VALUE)
    return value


def check_url(value: str, name: str = "url") -> str:
    """A URL as a post carries it: bounded, with no white space or control character anywhere."""
    check_short(name, value, MAX_URL_CHARS)
    if _WHITESPACE.search(value):
        raise InvalidMessage(RejectReason.BAD_VALUE, f"field {name!r} holds white space")
    return value


def check_lang(value: str, name: str = "lang") -> str:
    """A language tag in BCP 47 form (``id``, ``en-US``, ``zh-Hant``); letters, digits and hyphens only."""
    if len(value) > MAX_LANG_CHARS or not _LANG.fullmatch(value):
        raise InvalidMessage(RejectReason.BAD_VALUE, f"field {name!r} is not a language tag: {value[:40]!r}")
    return value
