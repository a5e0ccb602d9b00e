"""The console's HTTP side against a real worker on the embedded broker: access rules, filters, labels, and
the same console after a restart (its state comes from the alerts and feedback topics)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from kafka import KafkaProducer

from console.auth import write_officer
from schemas.alert import Alert, SamplePost, TermScore
from streams.broker import EmbeddedBroker
from tests.conftest import WorkerProcess, start_worker
from tests.officer import OFFICER, PASSWORD, Officer, wait_for


def _alert(incident_id: str, seq: int, kind: str, severity: str, country: str, type_code: str, at: float) -> Alert:
    return Alert(
        incident_id=incident_id,
        seq=seq,
        kind=kind,
        at=at,
        first_seen=at - 600,
        title=f"Story {incident_id}",
        type_code=type_code,
        type_label={"14": "protest", "114": "summon ambassador", "CONSULAR": "citizens abroad"}[type_code],
        severity=severity,
        confidence=0.8,
        countries=(country,),
        languages=("id", "en"),
        terms=(TermScore("kedubes", 4.2),),
        n_posts=6 + 4 * seq,
        samples=(SamplePost("p1", at - 500, "Massa berkumpul di depan kedubes", "https://x.test/1", "social", "id"),),
        post_ids=("p1",),
        reason="six posts in ten minutes",
    )


def test_console_is_closed_without_credentials_and_probes_stay_open(worker: WorkerProcess) -> None:
    status, body = worker.get("/console/")
    assert status == 503 and b"PANTAU_CONSOLE_CREDENTIALS" in body
    assert worker.get("/metrics")[0] == 200 and worker.get("/healthz")[0] == 200


def test_console_access_filters_labels_and_the_same_view_after_a_restart(
    broker: EmbeddedBroker, tmp_path: Path
) -> None:
    credentials = tmp_path / "officers.toml"
    write_officer(credentials, OFFICER, PASSWORD)
    worker = start_worker(broker, tmp_path, PANTAU_CONSOLE_CREDENTIALS=str(credentials))
    try:
        now = time.time()
        records = [
            _alert("inc-protest", 0, "raised", "medium", "MM", "14", now - 300),
            _alert("inc-summon", 0, "raised", "high", "AU", "114", now - 200),
            _alert("inc-protest", 1, "updated", "medium", "MM", "14", now - 100),
            _alert("inc-consular", 0, "raised", "high", "JP", "CONSULAR", now - 90),
            _alert("inc-consular", 1, "resolved", "high", "JP", "CONSULAR", now - 50),
        ]
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap)
        for record in [*records, records[1]]:  # the last one a copy, as at-least-once delivery makes them
            producer.send(worker.alerts_topic, record.to_json(), key=record.incident_id.encode())
        producer.flush()

        # Probes are open; the console's pages and API are not.
        anonymous = Officer(worker.web)
        assert anonymous.request("GET", "/metrics")[0] == 200
        assert anonymous.request("GET", "/readyz")[0] == 200
        assert anonymous.request("GET", "/console/api/incidents")[0] == 401
        assert anonymous.request("GET", "/console/api/events")[0] == 401
        status, headers, _ = anonymous.request("GET", "/console/incidents/inc-protest")
        assert status == 303 and headers["Location"] == "/console/login"

        officer = Officer(worker.web)
        assert officer.login("wrong password")[0] == 401
        status, headers, body = officer.login()
        assert status == 200, body
        cookie = headers["Set-Cookie"]
        assert "pantau_session=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert "Path=/console" in cookie
        assert "script-src 'self'" in headers["Content-Security-Policy"]

        listing = wait_for(lambda: (x := officer.get_json("/console/api/incidents")) and x["total"] == 3 and x)
        assert listing["caught_up"]
        # Most severe first, then the newest; the copy changed nothing.
        assert [i["incident_id"] for i in listing["incidents"]] == ["inc-consular", "inc-summon", "inc-protest"]
        assert [i["state"] for i in listing["incidents"]] == ["resolved", "open", "open"]
        assert listing["facets"]["countries"] == ["AU", "JP", "MM"]
        filtered = officer.get_json("/console/api/incidents?severity=high&state=open")
        assert [i["incident_id"] for i in filtered["incidents"]] == ["inc-summon"]
        by_type_country = officer.get_json("/console/api/incidents?type=14,114&country=MM")
        assert [i["incident_id"] for i in by_type_country["incidents"]] == ["inc-protest"]
        detail = officer.get_json("/console/api/incidents/inc-protest")
        assert [r["seq"] for r in detail["history"]] == [0, 1]
        assert [p["posts"] for p in detail["timeline"]] == [6, 10]

        # Labels: CSRF on every POST; bad labels and unknown incidents are refused with a reason.
        path = "/console/api/incidents/inc-summon/feedback"
        assert officer.request("POST", path, {"label": "acknowledged"})[0] == 403
        assert officer.request("POST", path, {"label": "acknowledged"}, csrf="forged")[0] == 403
        assert officer.request("POST", path, {"label": "maybe"}, officer.csrf)[0] == 400
        assert (
            officer.request("POST", "/console/api/incidents/inc-none/feedback", {"label": "relevant"}, officer.csrf)[0]
            == 404
        )
        status, _, body = officer.request("POST", path, {"label": "acknowledged", "comment": "on it"}, officer.csrf)
        assert status == 202, body
        summon = wait_for(lambda: (d := officer.get_json("/console/api/incidents/inc-summon"))["judgements"] and d)
        assert summon["state"] == "acknowledged" and summon["acknowledged_by"] == [OFFICER]
        assert summon["judgements"][0]["comment"] == "on it"

        # Logged out, the session no longer opens anything (and its CSRF token went with it).
        assert officer.request("POST", "/console/logout", {}, officer.csrf)[0] == 200
        assert officer.request("GET", "/console/api/incidents")[0] == 401

        before = {
            "list": officer_view(worker.web)["incidents"],
            "summon": Officer.get_json(_logged_in(worker.web), "/console/api/incidents/inc-summon"),
        }
        # Five wrong passwords in a row, and the name waits.
        guesser = Officer(worker.web)
        codes = [guesser.login(f"guess {i}")[0] for i in range(6)]
        assert codes[:5] == [401] * 5 and codes[5] == 429

    finally:
        worker.stop()

    # A new worker process on the same topics rebuilds the same console from them.
    same = {k: v for k, v in worker.env.items() if k.startswith("PANTAU_") and k != "PANTAU_WEB_PORT"}
    restarted = start_worker(broker, tmp_path, **same)
    try:
        fresh = _logged_in(restarted.web)
        after = wait_for(lambda: (x := fresh.get_json("/console/api/incidents")) and x["caught_up"] and x)
        assert after["incidents"] == before["list"]
        assert fresh.get_json("/console/api/incidents/inc-summon") == before["summon"]
    finally:
        restarted.stop()


def _logged_in(base: str) -> Officer:
    officer = Officer(base)
    assert officer.login()[0] == 200
    return officer


def officer_view(base: str) -> dict[str, Any]:
    return _logged_in(base).get_json("/console/api/incidents")  # type: ignore[no-any-return]
