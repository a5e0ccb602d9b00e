"""The packages show the path: a worker's dependencies and imports stop where the engineers' tools begin."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib

import pytest

from streams.cli import main
from tests.conftest import ROOT


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_the_plots_and_tables_are_an_extra_the_service_does_without() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert {"matplotlib", "rich"} <= _names(project["optional-dependencies"]["eval"])
    assert not {"matplotlib", "rich"} & _names(project["dependencies"])
    assert "'.[dev,eval]'" in (ROOT / "Makefile").read_text()  # make install still brings them


def test_a_worker_and_the_delivery_service_import_no_engineers_tool() -> None:
    probe = (
        "import sys, streams.app, streams.cli, notify.service, console.web; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'matplotlib', 'demo'}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


@pytest.mark.parametrize(("argv", "missing"), [(["diff", "a", "b"], "rich"), (["eval", "p", "e"], "matplotlib")])
def test_a_tool_without_its_extra_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], missing: str
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == missing else real(name, *a))
    with pytest.raises(SystemExit, match=rf"needs {missing}.*pip install 'pantau\[eval\]'"):
        main(argv)


def _too_long(package: str, class_limit: int, function_limit: int) -> list[str]:
    too_long = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            limit = class_limit if isinstance(node, ast.ClassDef) else function_limit
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > limit:
                    too_long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} has {length} lines")
    return too_long


def test_the_detection_core_is_small_parts() -> None:
    """A class in detectors/ does one job in at most 300 lines, a function in at most 80: split a longer one
    along its stages (as the incident tracker is)."""
    assert _too_long("detectors", class_limit=300, function_limit=80) == []


def test_the_demo_generator_is_small_parts() -> None:
    """demo/ keeps the detection core's limits: its scenarios are data (demo/data/), not code."""
    assert _too_long("demo", class_limit=300, function_limit=80) == []
