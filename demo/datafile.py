"""Reading the demo's TOML data files (``demo/data/``) with errors that name the file and the line.

``tomllib`` gives values without positions, so an entry found bad after parsing is located again in the raw
text: by its key path (tables, arrays of tables, keys, items) and, for a string, by the string itself.

>>> source = DataFile("example.toml", 'title = "x"\\n\\n[[item]]\\nsize = 1\\n\\n[[item]]\\nsize = "big"\\n')
>>> root = source.root()
>>> [item.integer("size") for item in root.tables("item")]
Traceback (most recent call last):
...
demo.datafile.DemoDataError: demo/data/example.toml:7: item[1].size: must be an integer, not str
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

DATA_DIR = Path(__file__).resolve().parent / "data"

Step = str | int  # a key of a table, or the index of an item in an array


class DemoDataError(ValueError):
    """A demo data file that cannot be used: its name under ``demo/data/``, the line, and why.

    The shape of ``detectors.reference.ReferenceDataError`` (name, line, message), not that class: importing it
    would import the whole detection core (River and all) into a generator that needs none of it."""

    def __init__(self, name: str, line: int | None, message: str) -> None:
        where = f"{name}:{line}" if line is not None else name
        super().__init__(f"demo/data/{where}: {message}")
        self.name = name
        self.line = line


_HEADER = re.compile(r"^\s*\[\[?\s*(?P<names>[^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')  # a TOML string, for counting brackets outside them
_PARSE_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def _header_names(line: str) -> list[str] | None:
    # '[types."141"]' -> ['types', '141']; None when the line is no table header.
    match = _HEADER.match(line)
    if match is None:
        return None
    return [part.strip().strip("\"'") for part in re.findall(r"\"[^\"]*\"|'[^']*'|[^.]+", match["names"])]


def _is_comment_or_blank(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("#")


@dataclass(frozen=True, slots=True)
class DataFile:
    """One data file's name (relative to ``demo/data``) and raw text."""

    name: str
    text: str

    @classmethod
    def read(cls, data_dir: Path, name: str) -> DataFile:
        path = data_dir / name
        if not path.is_file():
            raise DemoDataError(name, None, "missing: the package was installed without its data files")
        return cls(name, path.read_text(encoding="utf-8"))

    def root(self) -> Entry:
        try:
            table = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            found = _PARSE_LINE.search(str(exc))
            raise DemoDataError(self.name, int(found[1]) if found else None, f"not TOML: {exc}") from None
        return Entry(self, (), table)

    def line_of(self, path: tuple[Step, ...], value: str | None = None) -> int | None:
        """The 1-based line of the entry at ``path`` (of ``value`` within it, for a string), or None."""
        lines = self.text.splitlines()
        cursor = 0
        for step in path:
            found = (
                self._find_key(lines, cursor, step) if isinstance(step, str) else self._find_item(lines, cursor, step)
            )
            if found is None:
                break
            cursor = found
        if value is not None:
            written = json.dumps(value, ensure_ascii=False)  # how a basic string is written, quotes included
            for needle in (written, value) if value else (written,):
                for i in range(cursor, len(lines)):
                    if needle in lines[i] and not lines[i].lstrip().startswith("#"):
                        return i + 1
        return cursor + 1 if path else None

    @staticmethod
    def _find_key(lines: list[str], start: int, key: str) -> int | None:
        assignment = re.compile(rf"(?:^|[\s{{,])(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*=")
        for i in range(start, len(lines)):
            if _is_comment_or_blank(lines[i]):
                continue
            names = _header_names(lines[i])
            if (names is not None and key in names) or (names is None and assignment.search(lines[i])):
                return i
        return None

    @staticmethod
    def _find_item(lines: list[str], start: int, index: int) -> int | None:
        if _header_names(lines[start]) is not None:  # an array of tables: the index-th [[key]] header
            header = lines[start].strip()
            seen = [i for i in range(start, len(lines)) if lines[i].strip() == header]
            return seen[index] if index < len(seen) else None
        opening = _STRING.sub('""', lines[start])
        if opening.count("[") <= opening.count("]"):  # an array written on one line
            return start
        items = 0
        for i in range(start + 1, len(lines)):  # one item a line, as the files are written
            if _is_comment_or_blank(lines[i]):
                continue
            if lines[i].strip().startswith("]"):
                return None
            if items == index:
                return i
            items += 1
        return None


def _type_name(value: object) -> str:
    if isinstance(value, dict):
        return "table"
    return "array" if isinstance(value, list) else type(value).__name__


@dataclass(frozen=True, slots=True)
class Entry:
    """A table of a data file, with typed getters that refuse a wrong value with its file, line and key."""

    file: DataFile
    path: tuple[Step, ...]
    table: Mapping[str, object]

    def where(self, *steps: Step) -> str:
        out = ""
        for step in (*self.path, *steps):
            out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
        return out or "the file"

    def fail(self, message: str, *steps: Step, value: str | None = None) -> NoReturn:
        line = self.file.line_of((*self.path, *steps), value)
        raise DemoDataError(self.file.name, line, f"{self.where(*steps)}: {message}")

    def only(self, required: Iterable[str], optional: Iterable[str] = ()) -> None:
        """Refuse a key that is neither required nor optional, and a missing required one."""
        required = tuple(required)
        allowed = {*required, *optional}
        for key in self.table:
            if key not in allowed:
                self.fail(f"unknown key (expected {', '.join(sorted(allowed))})", key)
        for key in required:
            if key not in self.table:
                self.fail(f"missing key {key!r}")

    def has(self, key: str) -> bool:
        return key in self.table

    def names(self) -> tuple[str, ...]:
        return tuple(self.table)

    def raw(self, key: str) -> object:
        if key not in self.table:
            self.fail(f"missing key {key!r}")
        return self.table[key]

    def text(self, key: str, *, empty: bool = False) -> str:
        value = self.raw(key)
        if not isinstance(value, str):
            self.fail(f"must be a string, not {_type_name(value)}", key)
        if not value and not empty:
            self.fail("must not be empty", key)
        return value

    def integer(self, key: str) -> int:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"must be an integer, not {_type_name(value)}", key)
        return value

    def number(self, key: str) -> float:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(f"must be a number, not {_type_name(value)}", key)
        return float(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"must be true or false, not {_type_name(value)}", key)
        return value

    def items(self, key: str, *, at_least: int = 1) -> list[object]:
        value = self.raw(key)
        if not isinstance(value, list):
            self.fail(f"must be an array, not {_type_name(value)}", key)
        if len(value) < at_least:
            self.fail(f"must have at least {at_least} item{'s' if at_least > 1 else ''}", key)
        return value

    def texts(self, key: str, *, empty_items: bool = False, at_least: int = 1) -> tuple[str, ...]:
        """An array of strings (with empty strings only where ``empty_items``)."""
        out = []
        for i, item in enumerate(self.items(key, at_least=at_least)):
            if not isinstance(item, str):
                self.fail(f"must be a string, not {_type_name(item)}", key, i)
            if not item and not empty_items:
                self.fail("must not be an empty string", key, i)
            out.append(item)
        return tuple(out)

    def sub(self, key: str) -> Entry:
        value = self.raw(key)
        if not isinstance(value, dict):
            self.fail(f"must be a table, not {_type_name(value)}", key)
        return Entry(self.file, (*self.path, key), value)

    def item_table(self, key: str, index: int, value: object) -> Entry:
        if not isinstance(value, dict):
            self.fail(f"must be a table, not {_type_name(value)}", key, index)
        return Entry(self.file, (*self.path, key, index), value)

    def tables(self, key: str, *, at_least: int = 1) -> tuple[Entry, ...]:
        """An array of tables (``[[key]]``)."""
        return tuple(self.item_table(key, i, item) for i, item in enumerate(self.items(key, at_least=at_least)))
