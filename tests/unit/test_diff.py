"""`pantau diff`: two hand-made alert logs, with one incident removed, one added, one changed under a new id
(matched by its members), one changed under its own id, and one the same in both."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson
import pytest
from rich.console import Console

from evaluation.diff import diff_logs, main, read_alert_log
from schemas.alert import Alert
from streams import cli

HOUR = 3600.0


def _record(incident: str, seq: int, kind: str, at: float, posts: tuple[str, ...], **fields: Any) -> Alert:
    values: dict[str, Any] = {
        "title": f"story {incident}",
        "type_code": "114",
        "type_label": "summon ambassador",
        "severity": "medium",
        "countries": ("JP", "KR"),
    }
    values.update(fields)
    return Alert(
        incident_id=incident, seq=seq, kind=kind, at=at, first_seen=at - 600, confidence=0.5, post_ids=posts, **values
    )


def _logs(tmp_path: Path) -> tuple[Path, Path]:
    same = (
        _record("inc-same", 0, "raised", HOUR, ("s1", "s2", "s3")),
        _record("inc-same", 1, "resolved", 9 * HOUR, ("s1", "s2", "s3")),
    )
    old = [
        *same,
        _record("inc-gone", 0, "raised", 2 * HOUR, ("g1", "g2", "g3"), type_code="14", type_label="protest"),
        _record("inc-old-id", 0, "raised", 3 * HOUR, ("m1", "m2", "m3", "m4")),
        _record("inc-retyped", 0, "raised", 4 * HOUR, ("r1", "r2", "r3")),
    ]
    new = [
        *same,
        # The same story under a new id: most members shared, raised 20 min earlier, more severe, one more country.
        _record("inc-new-id", 0, "raised", 3 * HOUR - 1200, ("m1", "m2", "m3")),
        _record(
            "inc-new-id",
            1,
            "updated",
            3 * HOUR,
            ("m1", "m2", "m3", "m5"),
            severity="high",
            countries=("JP", "KR", "CN"),
        ),
        _record("inc-retyped", 0, "raised", 4 * HOUR, ("r1", "r2", "r3"), type_code="CONSULAR", type_label="citizens"),
        _record("inc-fresh", 0, "raised", 5 * HOUR, ("f1", "f2", "f3"), severity="critical"),
    ]
    paths = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    for path, records in zip(paths, (old, new), strict=True):
        path.write_bytes(b"".join(r.to_json() + b"\n" for r in records))
    return paths


def test_added_removed_and_changed_incidents_are_found(tmp_path: Path) -> None:
    old, new = _logs(tmp_path)
    report = diff_logs(read_alert_log(old), read_alert_log(new))
    assert [i.incident_id for i in report.removed] == ["inc-gone"]
    assert [i.incident_id for i in report.added] == ["inc-fresh"]
    changed = {(c.old.incident_id, c.new.incident_id): c for c in report.changed}
    assert set(changed) == {("inc-old-id", "inc-new-id"), ("inc-retyped", "inc-retyped")}
    moved = changed[("inc-old-id", "inc-new-id")]
    assert moved.changes == ("severity", "countries", "first_raised", "members")
    assert moved.overlap == pytest.approx(3 / 5) and moved.to_dict()["first_raised_shift_s"] == -1200.0
    assert changed[("inc-retyped", "inc-retyped")].changes == ("type",)
    assert report.unchanged == 1
    # Below the overlap asked for, the two ids are two incidents: one removed, one added.
    strict = diff_logs(read_alert_log(old), read_alert_log(new), min_overlap=0.9)
    assert {i.incident_id for i in strict.removed} == {"inc-gone", "inc-old-id"}
    assert {i.incident_id for i in strict.added} == {"inc-fresh", "inc-new-id"}


def test_the_command_prints_tables_and_writes_json(tmp_path: Path) -> None:
    old, new = _logs(tmp_path)
    out = io.StringIO()
    main(old, new, tmp_path / "diff.json", 0.3, Console(file=out, width=160, color_system=None))
    text = out.getvalue()
    assert "Added (1)" in text and "Removed (1)" in text and "Changed (2)" in text
    assert "medium → high" in text and "114 → CONSULAR" in text
    assert text.strip().endswith("1 added, 1 removed, 2 changed, 1 unchanged")
    data = orjson.loads((tmp_path / "diff.json").read_bytes())
    assert data["summary"] == {"added": 1, "removed": 1, "changed": 2, "unchanged": 1}
    assert data["added"][0]["incident_id"] == "inc-fresh" and data["added"][0]["severity"] == "critical"
    assert data["removed"][0]["type"] == "14"


def test_a_log_that_is_no_alert_log_is_refused_with_its_line(tmp_path: Path) -> None:
    old, _ = _logs(tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(old.read_bytes() + b'{"id": "a post, not an alert"}\n')
    with pytest.raises(SystemExit, match=r"bad\.jsonl:6: not an alert record"):
        cli.main(["diff", str(old), str(bad)])
