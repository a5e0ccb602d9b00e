"""Detector settings from a TOML file (``--config``): every table and key checked, every mistake named."""

from __future__ import annotations

from pathlib import Path

import pytest

from detectors.core import DetectionCore
from detectors.settings import DetectorSettings, DetectorSettingsError
from streams.cli import main


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "candidate.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_table_reaches_its_class_and_the_rest_keep_their_defaults(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "[core]\nz_threshold = 3.5\n[significance]\nslot_s = 7200  # an int where a float is due\n"
        '[tracker]\nmerge_similarity = 0.3\nhome_country = "MY"\n',
    )
    settings = DetectorSettings.from_toml(path)
    core = settings.build(late_after_s=30.0)
    default = DetectionCore()
    assert (core.z_threshold, core.significance.slot_s, core.tracker.merge_similarity) == (3.5, 7200.0, 0.3)
    assert core.tracker.home_country == "MY" and core.late_after_s == 30.0
    assert (core.min_count, core.tracker.min_posts) == (default.min_count, default.tracker.min_posts)
    assert settings.describe() == (
        f"{path}: core.z_threshold=3.5, significance.slot_s=7200.0, tracker.merge_similarity=0.3, "
        "tracker.home_country='MY'"
    )


def test_the_shipped_defaults_are_the_live_services_core() -> None:
    built, live = DetectorSettings().build(), DetectionCore()
    assert built._get_params() == live._get_params()
    assert "shipped defaults" in DetectorSettings().describe()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[trackr]\nmin_posts = 6\n", "[trackr]: no such table (the tables are core, significance, tracker)"),
        ("[tracker]\nmin_post = 6\n", "[tracker] min_post: no such setting (did you mean min_posts?)"),
        ("[tracker]\nzzz = 6\n", "[tracker] zzz: no such setting (settings: "),
        ("[tracker]\nmin_posts = 6.5\n", "[tracker] min_posts: 6.5 is not a int (default 5)"),
        ("[tracker]\nmin_posts = true\n", "[tracker] min_posts: True is not a int (default 5)"),
        ('[core]\nz_threshold = "high"\n', "[core] z_threshold: 'high' is not a float (default 3.0)"),
        ("[core]\nsignificance = 1\n", "[core] significance: no such setting"),  # a model, not a setting
        ("tracker = 5\n", "tracker: must be a table of settings"),
        ("[tracker]\nmin_posts = \n", "not valid TOML: Invalid value (at line 2, column 13)"),
    ],
)
def test_a_mistake_is_refused_with_its_table_key_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(DetectorSettingsError) as raised:
        DetectorSettings.from_toml(path)
    assert str(raised.value).startswith(f"{path}: ") and message in str(raised.value)


def test_the_commands_refuse_a_bad_file_before_reading_input(tmp_path: Path) -> None:
    path = _write(tmp_path, "[tracker]\nmin_post = 6\n")
    with pytest.raises(SystemExit) as raised:
        main(["backtest", str(tmp_path / "absent.jsonl"), "--out", str(tmp_path / "out.jsonl"), "--config", str(path)])
    assert "pantau backtest --config" in str(raised.value) and "did you mean min_posts" in str(raised.value)
    assert not (tmp_path / "out.jsonl").exists()
