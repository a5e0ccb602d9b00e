"""The evaluation plot: a timeline of the true events against the alerts, as a PNG."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from schemas.post import parse_ts


def plot_timeline(
    path: Path,
    events: Sequence[Mapping[str, Any]],
    event_spans: Mapping[str, tuple[float, float]],
    report: Mapping[str, Any],
    title: str,
) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display: write files only
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    rows = [e["event_id"] for e in events] + ["(false alarms)"]
    y = {name: i for i, name in enumerate(rows)}
    fig, ax = plt.subplots(figsize=(12, 1.2 + 0.45 * len(rows)), dpi=110)

    def when(ts: float) -> float:
        # Matplotlib's date axis, as a number: typed plotting APIs take numbers, not datetimes.
        return float(mdates.date2num(datetime.fromtimestamp(ts, tz=UTC)))

    for event in events:
        name = event["event_id"]
        start, end = event_spans.get(name, (parse_ts(event["onset_ts"]),) * 2)
        ax.plot([when(start), when(end)], [y[name]] * 2, color="#9ab", linewidth=7, solid_capstyle="butt")
        ax.plot([when(parse_ts(event["onset_ts"]))], [y[name]], marker="|", color="black", markersize=14)
    colours = {"hit": "#1a7f37", "false_alarm": "#cf222e", "not_demanded": "#999999"}
    for incident in report["incident_verdicts"]:
        row = incident["event_id"] if incident["verdict"] != "false_alarm" else "(false alarms)"
        ax.plot(
            [when(incident["raised"])],
            [y.get(row, y["(false alarms)"])],
            marker="v",
            linestyle="none",
            color=colours[incident["verdict"]],
            markersize=8,
        )
    ax.set_yticks(range(len(rows)), rows)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d\n%H:%M"))
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(
        f"{title}: recall {report['recall']:.2f} · precision {report['precision']:.2f} · "
        f"duplicates {report['duplicate_rate']:.2f} · median latency "
        f"{(report['latency_median_s'] or 0) / 60:.1f} min   (bar: event posts, |: onset, ▼: alert raised)",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
