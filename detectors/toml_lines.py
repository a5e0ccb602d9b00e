"""Where each table, key and array element of a TOML document begins, for errors that name a line.

``tomllib`` gives a document's values but not their lines, and a loader that refuses an entry should say where
it is. :func:`value_lines` reads the text once more, after ``tomllib`` accepted it, and notes the line of every
value by its path: keys for tables, indexes for arrays.

>>> lines = value_lines('[words.en]\\nsummon = [\\n    "summon",\\n    "Summons",\\n]\\n')
>>> lines[("words", "en")], lines[("words", "en", "summon")], lines[("words", "en", "summon", 1)]
(1, 2, 4)
>>> line_of(lines, ("words", "en", "summon", 7)), line_of(lines, ("types",))
(2, None)
"""

from __future__ import annotations

import bisect
import re
import tomllib

Path = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BLANK = " \t"
_SCALAR_END = re.compile(r"[,\]}#\r\n]")


def value_lines(text: str) -> dict[Path, int]:
    """The line (from 1) where each table, key and array element begins, by its path in the document.

    ``text`` must be a document ``tomllib`` accepts: on anything else the result is incomplete or a
    ``ValueError``.
    """
    return _Scanner(text).scan()


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of its nearest enclosing value that has one (a key's table), or None."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


class _Scanner:
    """One pass over a valid document: the current table, and the start of each value met."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line_starts = [0, *(i + 1 for i, char in enumerate(text) if char == "\n")]
        self.lines: dict[Path, int] = {}
        self.last_of_array: dict[Path, int] = {}  # an array of tables ([[name]]): the index of its last table

    def scan(self) -> dict[Path, int]:
        table: Path = ()
        while self._skip_space(newlines=True):
            start = self.pos
            if self.text.startswith("[[", self.pos):
                self.pos += 2
                keys = self._key()
                array = self._resolve(keys[:-1]) + keys[-1:]
                index = self.last_of_array.get(array, -1) + 1
                self.last_of_array[array] = index
                table = (*array, index)
                self._note(array, start)
                self._expect("]]")
            elif self.text.startswith("[", self.pos):
                self.pos += 1
                table = self._resolve(self._key())
                self._expect("]")
            else:
                table_key = (*table, *self._key())
                self._note(table_key, start)
                self._expect("=")
                self._value(table_key)
                continue
            self._note(table, start)
        return self.lines

    def _resolve(self, keys: Path) -> Path:
        # A header's key that names an array of tables means its last table: [[a]] then [a.b] is a[-1].b.
        path: Path = ()
        for key in keys:
            path = (*path, key)
            if path in self.last_of_array:
                path = (*path, self.last_of_array[path])
        return path

    def _note(self, path: Path, pos: int) -> None:
        self.lines.setdefault(path, bisect.bisect_right(self.line_starts, pos))

    def _skip_space(self, newlines: bool) -> bool:
        """Skip blanks and comments (and line ends if ``newlines``); whether anything is left."""
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in _BLANK or (newlines and char in "\r\n"):
                self.pos += 1
            elif char == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return True
        return False

    def _expect(self, token: str) -> None:
        self._skip_space(newlines=False)
        if not self.text.startswith(token, self.pos):
            raise ValueError(f"expected {token!r} at offset {self.pos}")
        self.pos += len(token)

    def _key(self) -> Path:
        """A dotted key: its parts, each a bare key or a quoted one."""
        parts: list[str] = []
        while True:
            self._skip_space(newlines=False)
            char = self.text[self.pos : self.pos + 1]
            if char in ('"', "'"):
                start = self.pos
                self._string()
                parts.append(tomllib.loads(f"k = {self.text[start : self.pos]}")["k"])
            else:
                bare = _BARE_KEY.match(self.text, self.pos)
                if bare is None:
                    raise ValueError(f"expected a key at offset {self.pos}")
                parts.append(bare.group())
                self.pos = bare.end()
            self._skip_space(newlines=False)
            if not self.text.startswith(".", self.pos):
                return tuple(parts)
            self.pos += 1

    def _value(self, path: Path) -> None:
        self._skip_space(newlines=False)
        char = self.text[self.pos : self.pos + 1]
        if char == "[":
            self._array(path)
        elif char == "{":
            self._inline_table(path)
        elif char in ('"', "'"):
            self._string()
        else:
            end = _SCALAR_END.search(self.text, self.pos)
            end_pos = len(self.text) if end is None else end.start()
            if end_pos == self.pos:
                raise ValueError(f"expected a value at offset {self.pos}")
            self.pos = end_pos

    def _array(self, path: Path) -> None:
        self.pos += 1  # "["
        index = 0
        while self._skip_space(newlines=True) and self.text[self.pos] != "]":
            self._note((*path, index), self.pos)
            self._value((*path, index))
            self._skip_space(newlines=True)
            if self.text.startswith(",", self.pos):
                self.pos += 1
                index += 1
        self._expect("]")

    def _inline_table(self, path: Path) -> None:
        self.pos += 1  # "{"
        while self._skip_space(newlines=True) and self.text[self.pos] != "}":
            start = self.pos
            key = (*path, *self._key())
            self._note(key, start)
            self._expect("=")
            self._value(key)
            self._skip_space(newlines=True)
            if self.text.startswith(",", self.pos):
                self.pos += 1
        self._expect("}")

    def _string(self) -> None:
        text, quote = self.text, self.text[self.pos]
        delimiter = quote * 3 if text.startswith(quote * 3, self.pos) else quote
        self.pos += len(delimiter)
        while not text.startswith(delimiter, self.pos):
            if self.pos >= len(text):
                raise ValueError("a string runs to the end of the document")
            self.pos += 2 if quote == '"' and text[self.pos] == "\\" else 1
        self.pos += len(delimiter)
        if len(delimiter) == 3:
            while text.startswith(quote, self.pos):  # up to two more quotes end a multi-line string's content
                self.pos += 1


_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def syntax_error_position(error: tomllib.TOMLDecodeError, text: str) -> tuple[int | None, str]:
    """Where a TOML syntax error is, and its message: tomllib gives no line attribute on Python 3.11."""
    # tomllib writes the position into its message: "Invalid value (at line 3, column 4)".
    message = str(error)
    position = _TOML_POSITION.search(message)
    if position is None:
        return None, message
    message = message[: position.start()]
    if position.group(1) is None:  # at end of document
        return text.count("\n") + (0 if text.endswith("\n") else 1), f"{message} (at the end of the file)"
    return int(position.group(1)), f"{message} (column {position.group(2)})"
