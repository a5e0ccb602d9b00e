"""The alert rules with Prometheus's own tool: `promtool check rules` parses them, `promtool test rules` runs their
unit tests (deploy/prometheus/rules_test.yml), every alert has a test that fires it, and every runbook link
lands on a section of deploy/RUNBOOK.md."""

from __future__ import annotations

import re
import subprocess

import yaml

from tests.conftest import ROOT

PROMETHEUS_DIR = ROOT / "deploy" / "prometheus"
PROMTOOL = "/usr/bin/promtool"  # Debian `prometheus` (`make system-deps`)


def _alerts() -> list[dict[str, object]]:
    groups = yaml.safe_load((PROMETHEUS_DIR / "rules.yml").read_text())["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PROMTOOL, *args], cwd=PROMETHEUS_DIR, capture_output=True, text=True, timeout=120)


def test_promtool_checks_the_rules_and_passes_their_unit_tests() -> None:
    checked = subprocess.run(
        [PROMTOOL, "check", "rules", "rules.yml"], cwd=PROMETHEUS_DIR, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"SUCCESS: {len(_alerts())} rules found" in checked.stdout
    tested = subprocess.run(
        [PROMTOOL, "test", "rules", "rules_test.yml"], cwd=PROMETHEUS_DIR, capture_output=True, text=True
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_every_alert_is_tested_firing_and_has_a_runbook_section() -> None:
    tests = yaml.safe_load((PROMETHEUS_DIR / "rules_test.yml").read_text())["tests"]
    fired = {case["alertname"] for test in tests for case in test["alert_rule_test"] if case["exp_alerts"]}
    runbook = (ROOT / "deploy" / "RUNBOOK.md").read_text()
    # GitHub's anchor for a heading: lower case, spaces to '-', punctuation dropped.
    anchors = {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-") for h in re.findall(r"^## (.+)$", runbook, re.M)}
    for rule in _alerts():
        name = str(rule["alert"])
        assert name in fired, f"{name}: no test where it fires"
        annotations = rule["annotations"]
        assert isinstance(annotations, dict)
        link = str(annotations["runbook_url"])
        assert link.startswith("deploy/RUNBOOK.md#") and link.split("#")[1] in anchors, (name, link)
        assert rule["labels"]["severity"] in {"warning", "critical"}  # type: ignore[index]
        assert annotations["summary"] and annotations["description"]
