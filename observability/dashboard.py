"""The operators' Grafana dashboard, as code (grafana-foundation-sdk), rendered to ``deploy/grafana/pantau.json``.

``make dashboard`` writes the file; a test fails when the committed JSON differs from what this module renders,
and the Prometheus end-to-end test sends every expression in it to a real Prometheus scraping a worker and the
delivery service. Every query selects ``instance=~"$instance"``; the instance variable lists the processes
of the chosen app ids (``pantau_build_info``), so one dashboard serves every Pantau service a Prometheus scrapes.

    python -m observability.dashboard deploy/grafana/pantau.json
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from grafana_foundation_sdk.builders import dashboard, prometheus, stat, timeseries
from grafana_foundation_sdk.builders.common import StackingConfig
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models.common import BigValueGraphMode, StackingMode
from grafana_foundation_sdk.models.dashboard import (
    DashboardCursorSync,
    DataSourceRef,
    VariableRefresh,
    VariableSort,
)

DATASOURCE_UID = "pantau-prometheus"  # deploy/grafana/provisioning/datasources/pantau.yml gives it this uid
DASHBOARD_UID = "pantau-overview"
DATASOURCE = DataSourceRef(type_val="prometheus", uid=DATASOURCE_UID)
SEL = 'instance=~"$instance"'
RATE = "$__rate_interval"
_WIDTH = 24  # Grafana's grid


@dataclass(frozen=True)
class Query:
    expr: str
    legend: str = ""


@dataclass(frozen=True)
class PanelSpec:
    """One panel: its title, what it means (the panel's description), its unit and its queries."""

    title: str
    description: str
    unit: str
    queries: tuple[Query, ...]
    kind: str = "timeseries"  # or "stat"
    stacked: bool = False


def _quantile(q: float, metric: str, by: str = "") -> str:
    group = f"le, {by}" if by else "le"
    return f"histogram_quantile({q}, sum by ({group}) (rate({metric}_bucket{{{SEL}}}[{RATE}])))"


# Rows in the order an operator reads them: is it flowing, is it on time, what does it find, does it reach
# people, is the process healthy.
ROWS: tuple[tuple[str, tuple[PanelSpec, ...]], ...] = (
    (
        "Service",
        (
            PanelSpec(
                "Targets up",
                "Processes Prometheus scrapes now (workers and delivery services).",
                "short",
                (Query(f'sum(up{{job=~"pantau|pantau-notify", {SEL}}})'),),
                kind="stat",
            ),
            PanelSpec(
                "Workers ready",
                "Workers whose /readyz answers 200: broker answering, partitions assigned, detection moving.",
                "short",
                (Query(f"sum(pantau_ready{{{SEL}}})"),),
                kind="stat",
            ),
            PanelSpec(
                "Builds running",
                "Processes by package version and detection state version.",
                "short",
                (
                    Query(
                        f"count by (version, state_version) (pantau_build_info{{{SEL}}})",
                        "{{version}} {{state_version}}",
                    ),
                ),
                kind="stat",
            ),
        ),
    ),
    (
        "Throughput",
        (
            PanelSpec(
                "Posts in",
                "Posts accepted by the normalise step (from the posts topic) and applied by detection.",
                "cps",
                (
                    Query(f'sum(rate(pantau_posts_consumed_total{{{SEL}, step="normalise"}}[{RATE}]))', "normalised"),
                    Query(f'sum(rate(pantau_posts_consumed_total{{{SEL}, step="detect"}}[{RATE}]))', "detected"),
                ),
            ),
            PanelSpec(
                "Rejected by reason",
                "Posts, labels or messages sent to the dead-letter topic, by reason (each with its reason there).",
                "cps",
                (Query(f"sum by (reason) (rate(pantau_posts_rejected_total{{{SEL}}}[{RATE}]))", "{{reason}}"),),
                stacked=True,
            ),
            PanelSpec(
                "Alert records by kind and severity",
                "Alert records written to the alerts topic.",
                "cpm",
                (
                    Query(
                        f"sum by (kind, severity) (rate(pantau_alerts_total{{{SEL}}}[{RATE}])) * 60",
                        "{{kind}} {{severity}}",
                    ),
                ),
                stacked=True,
            ),
            PanelSpec(
                "Messages read by step",
                "Kafka messages read: normalise from the posts topic, detect from the normalised topic, feedback "
                "from the feedback topic.",
                "cps",
                (Query(f"sum by (step) (rate(pantau_messages_consumed_total{{{SEL}}}[{RATE}]))", "{{step}}"),),
            ),
        ),
    ),
    (
        "Latency",
        (
            PanelSpec(
                "Post to alert",
                "From the posts message's broker timestamp to the alert record written (raised and updated).",
                "s",
                (
                    Query(_quantile(0.5, "pantau_post_to_alert_seconds"), "p50"),
                    Query(_quantile(0.99, "pantau_post_to_alert_seconds"), "p99"),
                ),
            ),
            PanelSpec(
                "Event-time lag",
                "Wall clock minus the newest post time detection has seen: grows while no post arrives.",
                "s",
                (Query(f"max by (instance) (pantau_event_time_lag_seconds{{{SEL}}})", "{{instance}}"),),
            ),
            PanelSpec(
                "Consumer lag by step",
                "Messages not yet committed by the consumer group (detect commits at checkpoints).",
                "short",
                (Query(f"sum by (step) (pantau_consumer_lag_messages{{{SEL}}})", "{{step}}"),),
            ),
            PanelSpec(
                "Processing time p99 by step",
                "From a message's broker timestamp to the end of its processing.",
                "s",
                (Query(_quantile(0.99, "pantau_processing_seconds", "step"), "{{step}}"),),
            ),
        ),
    ),
    (
        "Detection",
        (
            PanelSpec(
                "Active incidents",
                "Incidents raised and not yet resolved.",
                "short",
                (Query(f"sum(pantau_incidents_active{{{SEL}}})"),),
                kind="stat",
            ),
            PanelSpec(
                "Candidates",
                "Stories followed but not raised (yet).",
                "short",
                (Query(f"sum(pantau_incident_candidates{{{SEL}}})"),),
                kind="stat",
            ),
            PanelSpec(
                "Late posts",
                "Posts that arrived more than PANTAU_LATE_AFTER_S behind the released event time.",
                "cpm",
                (Query(f"sum(rate(pantau_late_posts_total{{{SEL}}}[{RATE}])) * 60", "late"),),
            ),
            PanelSpec(
                "Feedback learned",
                "Officers' labels applied by detection, and incidents their labels kept from being raised.",
                "short",
                (
                    Query(f"sum by (label) (increase(pantau_feedback_applied_total{{{SEL}}}[1h]))", "{{label}}"),
                    Query(f"sum(increase(pantau_suppressed_incidents_total{{{SEL}}}[1h]))", "suppressed"),
                ),
            ),
        ),
    ),
    (
        "Delivery",
        (
            PanelSpec(
                "Deliveries by channel and outcome",
                "Alert records handled by each channel: delivered, dead_lettered, duplicate, filtered.",
                "cpm",
                (
                    Query(
                        f"sum by (channel, outcome) (rate(pantau_deliveries_total{{{SEL}}}[{RATE}])) * 60",
                        "{{channel}} {{outcome}}",
                    ),
                ),
            ),
            PanelSpec(
                "Retries",
                "Delivery attempts retried, by channel.",
                "cpm",
                (
                    Query(
                        f"sum by (channel) (rate(pantau_delivery_retries_total{{{SEL}}}[{RATE}])) * 60", "{{channel}}"
                    ),
                ),
            ),
            PanelSpec(
                "Delivery dead letters",
                "Records written to the delivery dead-letter topic (by channel), and the messages it holds.",
                "short",
                (
                    Query(
                        f"sum by (channel) (increase(pantau_delivery_deadletters_total{{{SEL}}}[1h]))",
                        "{{channel}} (last hour)",
                    ),
                    Query(f"max(pantau_delivery_deadletter_topic_messages{{{SEL}}})", "on the topic"),
                ),
            ),
            PanelSpec(
                "Record to delivery p99",
                "From the alert record written to its delivery, by channel.",
                "s",
                (Query(_quantile(0.99, "pantau_record_to_delivery_seconds", "channel"), "{{channel}}"),),
            ),
        ),
    ),
    (
        "Process",
        (
            PanelSpec(
                "Resident memory",
                "RSS of each process.",
                "bytes",
                (Query(f"process_resident_memory_bytes{{{SEL}}}", "{{instance}}"),),
            ),
            PanelSpec(
                "CPU",
                "CPU seconds per second of each process.",
                "percentunit",
                (Query(f"rate(process_cpu_seconds_total{{{SEL}}}[{RATE}])", "{{instance}}"),),
            ),
            PanelSpec(
                "GC collections",
                "Python garbage collections by generation.",
                "cps",
                (
                    Query(
                        f"sum by (generation) (rate(python_gc_collections_total{{{SEL}}}[{RATE}]))",
                        "gen {{generation}}",
                    ),
                ),
            ),
            PanelSpec(
                "Checkpoint age",
                "While applied input waits for a checkpoint: seconds since the detection state was last written.",
                "s",
                (
                    Query(f"max(pantau_checkpoint_age_seconds{{{SEL}}})", "age"),
                    Query(_quantile(0.99, "pantau_checkpoint_seconds"), "write p99"),
                ),
            ),
        ),
    ),
)


def _target(query: Query, ref: str) -> prometheus.Dataquery:
    return prometheus.Dataquery().expr(query.expr).legend_format(query.legend).ref_id(ref).datasource(DATASOURCE)


def _panel(spec: PanelSpec, panel_id: int, width: int) -> timeseries.Panel | stat.Panel:
    panel: timeseries.Panel | stat.Panel
    if spec.kind == "stat":
        panel = stat.Panel().graph_mode(BigValueGraphMode.AREA)
    else:
        panel = timeseries.Panel().fill_opacity(10)
        if spec.stacked:
            panel = panel.stacking(StackingConfig().mode(StackingMode.NORMAL))
    panel = panel.id(panel_id).title(spec.title).description(spec.description).unit(spec.unit)
    panel = panel.datasource(DATASOURCE).height(8).span(width)
    for index, query in enumerate(spec.queries):
        panel = panel.with_target(_target(query, chr(ord("A") + index)))
    return panel


def build() -> dashboard.Dashboard:
    board = (
        dashboard.Dashboard("Pantau")
        .uid(DASHBOARD_UID)
        .description("Throughput, latency, detection, delivery and process health of a Pantau service.")
        .tags(["pantau", "kafka"])
        .time("now-6h", "now")
        .refresh("30s")
        .timezone("utc")
        .tooltip(DashboardCursorSync.CROSSHAIR)
        .with_variable(
            dashboard.QueryVariable("app_id")
            .label("App id")
            .datasource(DATASOURCE)
            .query("label_values(pantau_build_info, app_id)")
            .refresh(VariableRefresh.ON_TIME_RANGE_CHANGED)
            .sort(VariableSort.ALPHABETICAL_ASC)
            .multi(True)
            .include_all(True)
            .all_value(".*")
        )
        .with_variable(
            dashboard.QueryVariable("instance")
            .label("Instance")
            .datasource(DATASOURCE)
            .query('label_values(pantau_build_info{app_id=~"$app_id"}, instance)')
            .refresh(VariableRefresh.ON_TIME_RANGE_CHANGED)
            .sort(VariableSort.ALPHABETICAL_ASC)
            .multi(True)
            .include_all(True)
            .all_value(".*")
        )
    )
    panel_id = 1
    for title, panels in ROWS:
        # Rows open, their panels beside them on the dashboard (a row holding its panels is a collapsed one).
        board = board.with_row(dashboard.Row(title).id(panel_id))
        panel_id += 1
        width = _WIDTH // len(panels)
        for spec in panels:
            board = board.with_panel(_panel(spec, panel_id, width))
            panel_id += 1
    return board


def render() -> str:
    """The dashboard's JSON, byte-stable (sorted keys), as Grafana's file provisioning reads it."""
    return json.dumps(build().build(), cls=JSONEncoder, indent=2, sort_keys=True) + "\n"


def expressions(rendered: str) -> list[str]:
    """Every PromQL expression in a rendered dashboard: its panels' targets and its query variables."""
    data = json.loads(rendered)
    found = [t["expr"] for p in data["panels"] for t in p.get("targets", []) if t.get("expr")]
    return found + [v["query"] for v in data["templating"]["list"] if v.get("type") == "query"]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m observability.dashboard OUT.json", file=sys.stderr)
        return 2
    Path(args[0]).write_text(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
