"""Write deploy/k8s/base/prometheusrule.yaml from deploy/prometheus/rules.yml.

The alert rules have one source, ``deploy/prometheus/rules.yml``: Prometheus under compose loads it as it
is, and ``promtool test rules`` tests it. Kubernetes wants the same groups inside a PrometheusRule object,
and kustomize cannot wrap a file into a field of a resource, so this script writes the object, and
``tests/unit/test_deploy_stack.py`` fails when the committed object's ``spec.groups`` differ from the file's.

    .venv/bin/python deploy/k8s/sync_rules.py           # rewrite the PrometheusRule
    .venv/bin/python deploy/k8s/sync_rules.py --check   # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

DEPLOY = Path(__file__).resolve().parents[1]
RULES = DEPLOY / "prometheus" / "rules.yml"
PROMETHEUS_RULE = DEPLOY / "k8s" / "base" / "prometheusrule.yaml"

_HEADER = """\
# Generated from deploy/prometheus/rules.yml by deploy/k8s/sync_rules.py: edit the rules there, then run
# `.venv/bin/python deploy/k8s/sync_rules.py`. tests/unit/test_deploy_stack.py holds the two equal.
# Your Prometheus may select rules by a label (the kube-prometheus-stack chart: `release: <its release
# name>`): add it in your overlay.
"""


class _BlockDumper(yaml.SafeDumper):
    """Multi-line strings (PromQL, descriptions) as literal blocks, as a person writes them."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str)


def prometheus_rule(rules: dict[str, Any]) -> dict[str, Any]:
    """The PrometheusRule object holding ``rules``' groups, unchanged."""
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {"name": "pantau"},
        "spec": {"groups": rules["groups"]},
    }


def render(rules_text: str) -> str:
    rules = yaml.safe_load(rules_text)
    if not isinstance(rules, dict) or not isinstance(rules.get("groups"), list):
        raise SystemExit(f"{RULES}: expected a mapping with a list of groups")
    body = yaml.dump(prometheus_rule(rules), Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=120)
    return _HEADER + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the PrometheusRule from deploy/prometheus/rules.yml.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the PrometheusRule is out of date")
    args = parser.parse_args(argv)
    wanted = render(RULES.read_text(encoding="utf-8"))
    current = PROMETHEUS_RULE.read_text(encoding="utf-8") if PROMETHEUS_RULE.exists() else ""
    if args.check:
        if current != wanted:
            print(f"{PROMETHEUS_RULE} is out of date: run deploy/k8s/sync_rules.py", file=sys.stderr)
            return 1
        return 0
    if current != wanted:
        PROMETHEUS_RULE.write_text(wanted, encoding="utf-8")
        print(f"wrote {PROMETHEUS_RULE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
