"""The officers' console in a real headless Chromium (Debian ``chromium``, driven by Playwright; no browser is
downloaded), against a real worker on the embedded broker.

An officer logs in, watches an incident appear without a reload, opens it, labels it "not relevant", and the
label is on the feedback topic and the live model scores a similar post lower. A wrong password, a POST
without its CSRF token and a post whose text is a script are tried on the way.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from kafka import KafkaProducer
from playwright.sync_api import Browser, Dialog, Page, sync_playwright

from console.auth import write_officer
from schemas import encode_batch
from streams.broker import EmbeddedBroker
from tests.conftest import WorkerProcess, start_worker
from tests.console_story import INJECTION, SIMILAR_POST, story_posts
from tests.integration.test_pipeline import consume_until

CHROMIUM = "/usr/lib/chromium/chromium"  # the binary behind /usr/bin/chromium's wrapper (`make system-deps`)
OFFICER, PASSWORD = "duty-1", "correct horse battery staple"


@pytest.fixture
def console_worker(broker: EmbeddedBroker, tmp_path: Path) -> Iterator[WorkerProcess]:
    credentials = tmp_path / "officers.toml"
    write_officer(credentials, OFFICER, PASSWORD)
    running = start_worker(broker, tmp_path, PANTAU_CONSOLE_CREDENTIALS=str(credentials))
    yield running
    running.stop()


@pytest.fixture
def browser() -> Iterator[Browser]:
    executable = CHROMIUM if Path(CHROMIUM).exists() else "/usr/bin/chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


def _score(page: Page, base: str, text: str) -> float:
    response = page.request.get(f"{base}/console/api/score?text={urllib.parse.quote(text)}")
    assert response.status == 200, response.text()
    return float(response.json()["relevance"])


def test_officer_sees_an_incident_live_labels_it_and_the_model_learns(
    console_worker: WorkerProcess, browser: Browser
) -> None:
    base = console_worker.web
    bootstrap = console_worker.env["PANTAU_KAFKA_BOOTSTRAP"]
    page = browser.new_page(locale="en-GB")
    scripts_run: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        scripts_run.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    # Not logged in: the console sends the browser to its login page, and its API answers 401.
    page.goto(f"{base}/console/")
    assert page.url.endswith("/console/login")
    assert page.request.get(f"{base}/console/api/incidents").status == 401

    # A wrong password is refused with a message, and no session cookie is set.
    page.fill("#name", OFFICER)
    page.fill("#password", "not the password")
    page.click("#login-submit")
    page.wait_for_selector("#login-error:has-text('Wrong name or password')")
    assert not [c for c in page.context.cookies() if c["name"] == "pantau_session"]

    # A login POST without the CSRF token is refused even with the right password.
    no_csrf = page.request.post(f"{base}/console/login", data={"name": OFFICER, "password": PASSWORD})
    assert no_csrf.status == 403 and "CSRF" in no_csrf.json()["error"]

    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/console/")
    session = next(c for c in page.context.cookies() if c["name"] == "pantau_session")
    assert session["httpOnly"] and session["sameSite"] == "Strict"
    page.wait_for_selector("#live:has-text('Live')")
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads

    before = _score(page, base, SIMILAR_POST)

    # The story arrives on the posts topic while the officer watches.
    producer = KafkaProducer(bootstrap_servers=bootstrap, linger_ms=10)
    posts = story_posts("console")
    for i in range(0, len(posts), 200):
        producer.send(console_worker.posts_topic, encode_batch(posts[i : i + 200]))
    producer.flush()
    producer.close()
    row = page.wait_for_selector("#incidents tbody tr[data-incident]", timeout=120_000)
    assert row is not None  # None only when waiting for a selector to go away
    assert page.evaluate("window.__sameDocument") is True, "the incident appeared without a reload"
    incident_id = row.get_attribute("data-incident")
    assert incident_id

    # The script in the post's text shows as text: nothing ran, and no element was made of it.
    link = page.locator(f"tr[data-incident='{incident_id}'] a")
    assert INJECTION in link.inner_text()
    assert page.evaluate("window.__pwned") is None and not scripts_run
    assert page.locator("#incidents script, #incidents img").count() == 0

    # A label POSTed without the session's CSRF token is refused, with the session cookie and all.
    forged = page.request.post(
        f"{base}/console/api/incidents/{incident_id}/feedback", data=orjson.dumps({"label": "relevant"})
    )
    assert forged.status == 403

    link.click()
    page.wait_for_url(f"**/console/incidents/{incident_id}")
    page.wait_for_selector("#samples li")
    assert INJECTION in page.locator("#samples .sample-text").first.inner_text()
    assert "Japan summons" in page.locator("#title").inner_text()
    assert page.locator("#chart circle").count() >= 1
    assert page.locator("#terms li").count() >= 1
    assert page.evaluate("window.__pwned") is None and page.locator("main script, main img").count() == 0

    page.fill("#comment", "a bilateral spat, not ours")
    page.click("button[data-label='not_relevant']")
    page.wait_for_selector("#action-status[data-outcome='recorded']")

    # The label is a record on the feedback topic, with the officer, the incident and the comment.
    def labelled(values: list[bytes]) -> bool:
        return any(orjson.loads(v).get("incident_id") == incident_id for v in values)

    records = [orjson.loads(v) for v in consume_until(bootstrap, console_worker.env["PANTAU_FEEDBACK_TOPIC"], labelled)]
    record = next(r for r in records if r["incident_id"] == incident_id)
    assert (record["label"], record["by"], record["comment"]) == ("not_relevant", OFFICER, "a bilateral spat, not ours")

    # The page shows who labelled it once the topic has it, and detection resolves the dismissed incident.
    page.wait_for_selector(f"#judgements li[data-label='not_relevant']:has-text('{OFFICER}')", timeout=30_000)
    page.wait_for_selector("#state[data-state='resolved']", timeout=30_000)

    # The live model learned: a similar post scores lower than before the label.
    deadline = time.monotonic() + 30
    after = _score(page, base, SIMILAR_POST)
    while after >= before and time.monotonic() < deadline:
        time.sleep(0.5)
        after = _score(page, base, SIMILAR_POST)
    assert after < before, (before, after)

    # Indonesian interface strings, by the switch (and kept for the next page).
    page.click("#lang-switch")
    assert page.locator("button[data-label='not_relevant']").inner_text() == "Tidak relevan"
    page.goto(f"{base}/console/")
    page.wait_for_selector(f"tr[data-incident='{incident_id}'] td[data-state='resolved']:has-text('Selesai')")
