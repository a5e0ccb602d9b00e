"""Over a simulated day of the demo feed, every scripted incident is one right-typed alert, and background
chatter alone raises nothing. Runs the detection core only (no broker): the same core the agents call."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from demo.feed import DEFAULT_INCIDENTS, generate
from detectors.core import DetectionCore
from schemas.alert import Alert
from schemas.post import post_from_obj


# The day's rhythm meets the scripted incidents at other hours for another start: the integration tests start
# an hour-aligned day 25 hours ago, so any hour can come up. 02:00 and 12:00 once lost an incident; 16:00 and
# 18:00 split the summons from talk of expelling the ambassador, and at 18:00 that talk made "tim" (the
# negotiators' team) trend and took football results ("tim", a team) by it until it was a football alert.
@pytest.fixture(scope="module", params=[0, 2, 12, 16, 18, 22], ids=lambda h: f"start-{h:02d}h")
def day(request: pytest.FixtureRequest) -> tuple[list[Alert], dict[str, str | None]]:
    raw = list(generate(seed=7, start=datetime(2026, 11, 27, request.param, tzinfo=UTC), hours=24.0))
    truth = {p["id"]: p["truth"]["event_id"] for p in raw}
    core = DetectionCore()
    return core.process_posts([post_from_obj(p) for p in raw]) + core.flush(), truth


def _incidents(alerts: list[Alert]) -> dict[str, Alert]:
    last: dict[str, Alert] = {}
    for alert in alerts:
        last[alert.incident_id] = alert
    return last


def _majority(alert: Alert, truth: dict[str, str | None]) -> str | None:
    votes = Counter(truth[p] for p in alert.post_ids)
    event, n = votes.most_common(1)[0]
    return event if n * 2 >= len(alert.post_ids) else None


def test_every_scripted_incident_is_one_alert_of_the_right_type(day: tuple[list[Alert], dict[str, str | None]]) -> None:
    alerts, truth = day
    found: dict[str, list[Alert]] = {}
    for alert in _incidents(alerts).values():
        event = _majority(alert, truth)
        if event is not None:
            found.setdefault(event, []).append(alert)
    for scripted in DEFAULT_INCIDENTS:
        hits = found.get(scripted.event_id, [])
        assert len(hits) == 1, f"{scripted.event_id}: {len(hits)} incidents"
        alert = hits[0]
        # CAMEO codes nest: 114 (summon ambassador, complain officially) is a kind of 11 (disapprove).
        assert alert.type_code.startswith(scripted.expected_type) or scripted.expected_type.startswith(
            alert.type_code
        ), f"{scripted.event_id}: typed {alert.type_code}, expected {scripted.expected_type}"
        foreign = {c for c in scripted.countries if c != "ID"}
        assert foreign <= set(alert.countries), f"{scripted.event_id}: countries {alert.countries}"


def test_the_news_only_incident_is_raised_from_its_single_report(
    day: tuple[list[Alert], dict[str, str | None]],
) -> None:
    alerts, truth = day
    news_only = next(i for i in DEFAULT_INCIDENTS if i.peak_posts_per_min == 0 and i.news_reports == 1)
    raised = [a for a in alerts if a.kind == "raised" and _majority(a, truth) == news_only.event_id]
    assert len(raised) == 1
    alert = raised[0]
    assert alert.n_posts == 1 and alert.n_news == 1
    assert 0.4 <= alert.confidence < 0.9, "one report: worth a look, awaiting confirmation"
    assert "news report" in alert.reason


def test_background_chatter_alone_raises_nothing(day: tuple[list[Alert], dict[str, str | None]]) -> None:
    alerts, truth = day
    false_alarms = [a.title for a in _incidents(alerts).values() if _majority(a, truth) is None]
    assert false_alarms == []


def test_alerts_explain_themselves(day: tuple[list[Alert], dict[str, str | None]]) -> None:
    alerts, _ = day
    for alert in alerts:
        assert alert.title and alert.reason and alert.terms and alert.samples and alert.post_ids
        assert alert.severity in ("low", "medium", "high", "critical")
