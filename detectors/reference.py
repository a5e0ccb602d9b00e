"""Reference data (stop-words, the gazetteer, the lexicon's cues) ships as files in ``detectors/data/``.

The modules that read it are compiled (``detectors.compiled``), and a compiled module's ``__file__`` is its
binary in the build directory: they find their files here, in a module that is never compiled. Each file is
read once, at import, by the module that owns it; a bad entry is a :class:`ReferenceDataError` that names the
file and the line, so a linguist who edits one knows what to fix.
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


class ReferenceDataError(ValueError):
    """A reference data file that cannot be used, with where and why."""

    def __init__(self, name: str, line: int | None, message: str) -> None:
        where = f"{name}:{line}" if line is not None else name
        super().__init__(f"detectors/data/{where}: {message}")
        self.name = name
        self.line = line


def data_path(name: str) -> Path:
    """The path of a reference data file, by its name in ``detectors/data/``."""
    path = DATA_DIR / name
    if not path.is_file():
        raise ReferenceDataError(name, None, "missing: the package was installed without its data files")
    return path
