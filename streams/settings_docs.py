"""The settings' documentation, written from their one source: ``Settings`` (names, types, defaults) and
``SETTINGS_DOC`` (what each means), both in ``streams.config``.

It writes ``deploy/pantau.env.example`` and the README's settings table (between the
``<!-- settings:begin -->`` and ``<!-- settings:end -->`` markers). ``make settings-docs`` rewrites both;
``tests/unit/test_settings_docs.py`` fails when either differs from what this module writes, so a setting
added, renamed or redocumented in ``streams/config.py`` cannot drift from its documentation.

    python -m streams.settings_docs          # rewrite both files
    python -m streams.settings_docs --check  # exit 1, naming the files, if either is out of date
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from dataclasses import fields
from pathlib import Path

from streams.config import PREFIX, SETTINGS_DOC, Settings

ROOT = Path(__file__).resolve().parents[1]
ENV_EXAMPLE = ROOT / "deploy" / "pantau.env.example"
README = ROOT / "README.md"
BEGIN, END = "<!-- settings:begin -->", "<!-- settings:end -->"
# Commented out in the env example: set, it points the service at a cluster instead of the embedded broker.
_COMMENTED = frozenset({"kafka_bootstrap"})


def _defaults() -> dict[str, str]:
    defaults = Settings()
    return {f.name: _shown(getattr(defaults, f.name)) for f in fields(Settings)}


def _shown(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def env_example() -> str:
    """``deploy/pantau.env.example``: every setting with its meaning and its default."""
    lines = [
        "# Pantau settings: copy to pantau.env and adjust. Every variable is optional.",
        "# Written by `make settings-docs` from streams/config.py (Settings, SETTINGS_DOC): edit those, not this.",
    ]
    for name, value in _defaults().items():
        lines.append("")
        lines.extend(textwrap.wrap(SETTINGS_DOC[name], width=118, initial_indent="# ", subsequent_indent="# "))
        line = f"{PREFIX}{name.upper()}={value}"
        lines.append(f"# {line}" if name in _COMMENTED else line)
    return "\n".join(lines) + "\n"


def readme_table() -> str:
    """The README's table of settings, markers included."""
    rows = [BEGIN, "| variable | default | meaning |", "|---|---|---|"]
    for name, value in _defaults().items():
        shown = f"`{value}`" if value else "(unset)"
        rows.append(f"| `{PREFIX}{name.upper()}` | {shown} | {SETTINGS_DOC[name]} |")
    rows.append(END)
    return "\n".join(rows)


def readme_with_table(readme: str) -> str:
    """``readme`` with its settings table replaced by :func:`readme_table`'s."""
    start, end = readme.find(BEGIN), readme.find(END)
    if start < 0 or end < start:
        raise ValueError(f"README.md has no {BEGIN} ... {END} block for the settings table")
    return readme[:start] + readme_table() + readme[end + len(END) :]


def outdated() -> list[Path]:
    """The files that differ from what this module writes."""
    stale = []
    if ENV_EXAMPLE.read_text(encoding="utf-8") != env_example():
        stale.append(ENV_EXAMPLE)
    readme = README.read_text(encoding="utf-8")
    if readme != readme_with_table(readme):
        stale.append(README)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.settings_docs", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether the files are up to date")
    args = parser.parse_args(argv)
    if args.check:
        stale = outdated()
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run make settings-docs", file=sys.stderr)
        return 1 if stale else 0
    ENV_EXAMPLE.write_text(env_example(), encoding="utf-8")
    README.write_text(readme_with_table(README.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
