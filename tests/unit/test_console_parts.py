"""The console's pure parts: the state folded from the topics, the credentials file, sessions and throttling."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from console.auth import Credentials, LoginThrottle, Sessions, write_officer
from console.state import ConsoleState, Filters
from schemas.alert import Alert
from schemas.feedback import Feedback

STATIC = Path(__file__).resolve().parents[2] / "console" / "static"


def _alert(incident_id: str, seq: int, severity: str = "medium", kind: str = "raised", at: float = 0.0) -> Alert:
    return Alert(
        incident_id=incident_id,
        seq=seq,
        kind=kind,
        at=at,
        first_seen=0.0,
        title=incident_id,
        type_code="14",
        type_label="protest",
        severity=severity,
        confidence=0.5,
        countries=("MM",),
        n_posts=5 + seq,
    )


def test_state_orders_by_severity_then_newest_and_applies_each_record_once() -> None:
    state = ConsoleState()
    state.apply_alert(_alert("a", 0, "medium", at=10))
    state.apply_alert(_alert("b", 0, "critical", at=5))
    state.apply_alert(_alert("c", 0, "medium", at=20))
    state.apply_alert(_alert("a", 2, "medium", kind="resolved", at=40))
    state.apply_alert(_alert("a", 1, "medium", kind="updated", at=30))  # late: history sorted, latest kept
    assert not state.apply_alert(_alert("a", 1, "medium", kind="updated", at=30))
    assert [v.incident_id for v in state.incidents()] == ["b", "a", "c"]
    view = state.get("a")
    assert view is not None and [r.seq for r in view.history] == [0, 1, 2] and view.state == "resolved"
    assert [v.incident_id for v in state.incidents(Filters(states=frozenset({"open"})))] == ["b", "c"]
    assert [v.incident_id for v in state.incidents(Filters(severities=frozenset({"critical"})))] == ["b"]


def test_a_label_read_before_its_incident_waits_for_it() -> None:
    state = ConsoleState()
    assert state.apply_feedback(Feedback(label="not_relevant", incident_id="x", by="duty-1", comment="no"))
    assert not state.apply_feedback(Feedback(label="relevant", text="an example"))
    state.apply_alert(_alert("x", 0))
    view = state.get("x")
    assert view is not None and view.label == "not_relevant" and view.acknowledged_by == ("duty-1",)
    assert view.detail()["judgements"][0]["comment"] == "no"


def test_state_is_bounded_and_drops_resolved_incidents_first() -> None:
    state = ConsoleState(max_incidents=3)
    state.apply_alert(_alert("old-open", 0, at=1))
    state.apply_alert(_alert("resolved", 0, kind="resolved", at=2))
    state.apply_alert(_alert("c", 0, at=3))
    state.apply_alert(_alert("d", 0, at=4))
    assert len(state) == 3 and state.get("resolved") is None and state.get("old-open") is not None


def test_credentials_file_is_owner_only_and_read_again_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "officers.toml"
    write_officer(path, "duty-1", "first password")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert "first password" not in path.read_text() and "$argon2id$" in path.read_text()
    creds = Credentials(path)
    assert creds.verify("duty-1", "first password") and not creds.verify("duty-2", "x")
    write_officer(path, "duty-2", "second password")
    os.utime(path, (time.time() + 5, time.time() + 5))  # a new modification time, however coarse the clock
    assert creds.verify("duty-2", "second password") and creds.names() == ["duty-1", "duty-2"]


def test_a_broken_hash_or_file_locks_nobody_else_out(tmp_path: Path) -> None:
    path = tmp_path / "officers.toml"
    write_officer(path, "duty-1", "a password")
    creds = Credentials(path)
    path.write_text('[officers]\nduty-1 = "not a hash"\n')
    os.utime(path, (time.time() + 5, time.time() + 5))
    assert not creds.verify("duty-1", "a password")  # an invalid stored hash is a refusal, not a crash
    path.write_text("[officers\n")
    os.utime(path, (time.time() + 10, time.time() + 10))
    assert creds.names() == ["duty-1"]  # an unreadable file keeps the officers known before


def test_sessions_expire_and_close() -> None:
    sessions = Sessions(idle_s=0.05, max_age_s=10)
    token, session = sessions.open("duty-1")
    assert sessions.get(token) is session and sessions.get("guess") is None and sessions.get(None) is None
    time.sleep(0.1)
    assert sessions.get(token) is None
    closing = Sessions()
    token, _ = closing.open("duty-1")
    closing.close(token)
    assert closing.get(token) is None


def test_throttle_locks_a_name_after_repeated_failures_and_a_success_clears_it() -> None:
    throttle = LoginThrottle(max_failures=3, window_s=60, lockout_s=30)
    for _ in range(3):
        assert throttle.locked_for("a") == 0
        throttle.failed("a")
    assert throttle.locked_for("a") > 0 and throttle.locked_for("b") == 0
    throttle.succeeded("a")
    assert throttle.locked_for("a") == 0


def test_interface_strings_cover_both_languages_and_every_key_the_pages_use() -> None:
    strings = json.loads((STATIC / "strings.json").read_text())
    assert set(strings) == {"en", "id"} and strings["en"].keys() == strings["id"].keys()
    used = set()
    for page in ("login.html", "index.html", "incident.html"):
        text = (STATIC / page).read_text()
        used |= {part.split('"')[1] for part in text.split("data-i18n=")[1:]}
    assert used <= strings["en"].keys()
    assert "innerHTML" not in (STATIC / "console.js").read_text()  # text only, never markup from data
