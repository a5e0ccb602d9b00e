"""`pantau rewind` refuses what it cannot do before it touches a broker: no broker named, a time that is not
ISO-8601, a duration that is not one, and a state directory that is not there."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.rewind import RewindRefused, plan_rewind
from streams.cli import main
from streams.config import Settings


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--to-datetime", "yesterday"], "--to-datetime='yesterday': not an ISO-8601 time"),
        (["--by-duration", "P1M"], "use days, hours, minutes or seconds"),
        (["--by-duration", "six hours"], "not an ISO-8601 duration"),
    ],
)
def test_a_bad_time_is_refused_with_the_option_named(
    argv: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PANTAU_KAFKA_BOOTSTRAP", "127.0.0.1:1")  # never reached
    with pytest.raises(SystemExit) as raised:
        main(["rewind", *argv])
    assert str(raised.value).startswith("pantau rewind: ") and message in str(raised.value)


def test_the_embedded_broker_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PANTAU_KAFKA_BOOTSTRAP", raising=False)
    with pytest.raises(SystemExit, match="set PANTAU_KAFKA_BOOTSTRAP"):
        main(["rewind", "--to-datetime", "2026-12-01T00:00:00Z"])


def test_without_the_workers_state_directory_it_refuses(tmp_path: Path) -> None:
    # Run elsewhere, it would leave the checkpoint in place, and the restarted worker would skip the posts.
    settings = Settings(kafka_bootstrap="127.0.0.1:1", state_dir=str(tmp_path / "not-mounted"))
    with pytest.raises(RewindRefused, match=r"no state directory at .*not-mounted/pantau: run it where"):
        plan_rewind(settings, 1_800_000_000.0)
