"""The README's shell examples run, as written: a command added to the README without a way to run it here fails.

- ``make run`` and ``make test``: make's dry run shows what each runs (``make run`` is ``pantau run``, which
  tests/e2e/test_make_run.py runs to its first alert; ``make test`` is this suite).
- ``PANTAU_KAFKA_BOOTSTRAP=... .venv/bin/pantau worker``: run as written, against the embedded broker given as
  the cluster's address, until it is ready.
- Every ``pantau <command>`` and ``make <target>`` the README names exists (``--help``, ``make -n``).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from streams.broker import EmbeddedBroker, free_port
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _shell_commands() -> list[str]:
    """Each command line of the README's ```sh blocks, without its comment."""
    commands = []
    for block in re.findall(r"^```(?:sh|bash|shell)\n(.*?)^```", README, flags=re.S | re.M):
        for line in block.splitlines():
            command = line.split("  #", 1)[0].strip()
            if command:
                commands.append(command)
    return commands


def _dry_run(target: str) -> str:
    result = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True)
    return result.stdout


def _ready(url: str, process: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.2)
    return False


def _run_cluster_example(command: str, broker: EmbeddedBroker, tmp_path: Path) -> None:
    assert re.match(r"PANTAU_KAFKA_BOOTSTRAP=\S+ \.venv/bin/pantau worker$", command), command
    as_written = command.split("=", 1)[1].split(" ", 1)[0]
    tag, port = uuid.uuid4().hex[:8], free_port()
    env = {
        **os.environ,
        "PANTAU_APP_ID": f"pantau-readme-{tag}",
        "PANTAU_POSTS_TOPIC": f"posts-{tag}",
        "PANTAU_ALERTS_TOPIC": f"alerts-{tag}",
        "PANTAU_DEADLETTER_TOPIC": f"deadletter-{tag}",
        "PANTAU_FEEDBACK_TOPIC": f"feedback-{tag}",
        "PANTAU_WEB_PORT": str(port),
        "PANTAU_DATA_DIR": str(tmp_path / "data"),
        "PANTAU_STATE_DIR": str(tmp_path / "state"),
        "PANTAU_CONSOLE_ALERTS": "false",
    }
    log = tmp_path / "worker.log"
    # The command as the README writes it, with the cluster's address replaced by the embedded broker's.
    process = subprocess.Popen(
        command.replace(as_written, broker.bootstrap),
        shell=True,
        executable="/bin/bash",  # which runs one simple command in its own process: signals reach the worker
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        # Ready means it reached a broker: the only one it was given (a set address starts no embedded broker).
        assert _ready(f"http://127.0.0.1:{port}/readyz", process, 60), log.read_text()[-3000:]
    finally:
        process.terminate()
        code = process.wait(timeout=30)
    assert code == 0, log.read_text()[-3000:]


def test_every_shell_example_of_the_readme_runs(broker: EmbeddedBroker, tmp_path: Path) -> None:
    commands = _shell_commands()
    assert commands, "the README's quick start has shell examples"
    for command in commands:
        if command == "make run":
            assert ".venv/bin/pantau run" in _dry_run("run")
        elif command == "make test":
            dry = _dry_run("test")
            assert ".venv/bin/ruff check ." in dry and ".venv/bin/mypy" in dry and "pytest" in dry
        elif command.startswith("PANTAU_KAFKA_BOOTSTRAP="):
            _run_cluster_example(command, broker, tmp_path)
        else:
            pytest.fail(f"the README's example {command!r} has no runner here: add one to this test")


@pytest.mark.parametrize("command", sorted(set(re.findall(r"`pantau ([a-z][a-z-]*)", README))))
def test_every_pantau_command_the_readme_names_exists(command: str) -> None:
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "pantau"), command, "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("target", sorted(set(re.findall(r"`make ([a-z][a-z-]*)`", README))))
def test_every_make_target_the_readme_names_exists(target: str) -> None:
    _dry_run(target)
