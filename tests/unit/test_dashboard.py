"""The Grafana dashboard: the committed JSON is what the code renders, each panel says what it shows, and every
query reads metrics that exist, selected by the dashboard's variables. (The Prometheus end-to-end test sends
each expression to a real Prometheus.)"""

from __future__ import annotations

import json
import re

import yaml

from observability.dashboard import DATASOURCE_UID, ROWS, expressions, render
from tests.conftest import ROOT
from tests.metrics_allowlist import ALLOWLIST

DASHBOARD = ROOT / "deploy" / "grafana" / "pantau.json"
_SUFFIXES = ("_total", "_bucket", "_count", "_sum")


def test_the_committed_dashboard_is_what_the_code_renders() -> None:
    assert DASHBOARD.read_text() == render(), "run `make dashboard` and commit deploy/grafana/pantau.json"
    assert render() == render()  # byte-stable


def test_rows_panels_and_variables_are_those_operators_need() -> None:
    data = json.loads(render())
    rows = [p["title"] for p in data["panels"] if p["type"] == "row"]
    assert rows == ["Service", "Throughput", "Latency", "Detection", "Delivery", "Process"]
    panels = [p for p in data["panels"] if p["type"] != "row"]
    assert len({p["id"] for p in data["panels"]}) == len(data["panels"]), "unique ids"
    assert all(p["description"] and p["fieldConfig"]["defaults"]["unit"] for p in panels)
    assert all(t["datasource"]["uid"] == DATASOURCE_UID for p in panels for t in p["targets"])
    variables = {v["name"]: v for v in data["templating"]["list"]}
    assert set(variables) == {"app_id", "instance"}
    assert "$app_id" in variables["instance"]["query"]
    titles = {spec.title for _, specs in ROWS for spec in specs}
    for wanted in (
        "Posts in",
        "Rejected by reason",
        "Post to alert",
        "Consumer lag by step",
        "Active incidents",
        "Candidates",
        "Deliveries by channel and outcome",
        "Delivery dead letters",
        "Checkpoint age",
        "Resident memory",
        "CPU",
        "GC collections",
        "Event-time lag",
        "Late posts",
        "Feedback learned",
        "Retries",
        "Alert records by kind and severity",
    ):
        assert wanted in titles, wanted


def test_every_query_reads_known_metrics_through_the_instance_variable() -> None:
    for expr in expressions(render()):
        names = set(re.findall(r"\b((?:pantau|process|python)_[a-z_]+|up)\s*[{,]", expr))
        assert names, expr
        for name in names:
            family = name
            for suffix in _SUFFIXES:
                family = family.removesuffix(suffix)
            assert name == "up" or family in ALLOWLIST, (name, expr)
        if "label_values" not in expr:
            assert 'instance=~"$instance"' in expr, expr


def test_provisioning_names_the_datasource_uid_and_the_dashboard_folder() -> None:
    provisioning = ROOT / "deploy" / "grafana" / "provisioning"
    datasources = yaml.safe_load((provisioning / "datasources" / "pantau.yml").read_text())["datasources"]
    assert [d["uid"] for d in datasources] == [DATASOURCE_UID] and datasources[0]["type"] == "prometheus"
    providers = yaml.safe_load((provisioning / "dashboards" / "pantau.yml").read_text())["providers"]
    assert providers[0]["type"] == "file" and providers[0]["options"]["path"]
