"""Two alert logs compared by incident: what a detector change adds, removes and changes.

An incident is the records of one ``incident_id``; its members are the post ids of all its records. Two
builds may give one story different ids, so incidents are matched by id first, then by member overlap
(Jaccard of the member sets, at least ``min_overlap``), greedily from the best overlap down, one to one.
An incident with no match is *removed* (only in the old log) or *added* (only in the new one). A matched
pair is *changed* when its type, severity, countries or first raised time differ, or its members do.

>>> from schemas.alert import Alert
>>> def record(incident, kind, at, posts, severity="high"):
...     return Alert(incident_id=incident, seq=0 if kind == "raised" else 1, kind=kind, at=at, first_seen=0.0,
...                  title=incident, type_code="114", type_label="summon", severity=severity, confidence=0.5,
...                  countries=("JP",), post_ids=posts)
>>> old = [record("inc-a", "raised", 60.0, ("p1", "p2", "p3")), record("inc-b", "raised", 90.0, ("q1", "q2"))]
>>> new = [record("inc-x", "raised", 30.0, ("p1", "p2", "p3", "p4"), "critical")]
>>> report = diff_logs(old, new)
>>> [(c.old.incident_id, c.new.incident_id, c.changes) for c in report.changed]
[('inc-a', 'inc-x', ('severity', 'first_raised', 'members'))]
>>> [i.incident_id for i in report.removed], report.added
(['inc-b'], [])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from schemas.alert import SEVERITIES, Alert
from schemas.post import format_ts


@dataclass(frozen=True)
class IncidentSummary:
    """One incident of a log: what an engineer compares between two builds."""

    incident_id: str
    title: str
    type_code: str
    type_label: str
    severity: str  # the highest it reached
    countries: tuple[str, ...]  # of its last record
    first_raised: float | None  # event time of its raised record (None: the log holds no raise of it)
    members: frozenset[str]
    records: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "incident_id": self.incident_id,
            "title": self.title,
            "type": self.type_code,
            "type_label": self.type_label,
            "severity": self.severity,
            "countries": list(self.countries),
            "first_raised": None if self.first_raised is None else format_ts(self.first_raised),
            "members": len(self.members),
            "records": self.records,
        }


@dataclass(frozen=True)
class Changed:
    old: IncidentSummary
    new: IncidentSummary
    overlap: float  # Jaccard of the member sets
    changes: tuple[str, ...]  # which of: type, severity, countries, first_raised, members

    def to_dict(self) -> dict[str, Any]:
        shift = None
        if self.old.first_raised is not None and self.new.first_raised is not None:
            shift = round(self.new.first_raised - self.old.first_raised, 3)
        return {
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "overlap": round(self.overlap, 4),
            "changes": list(self.changes),
            "first_raised_shift_s": shift,
        }


@dataclass(frozen=True)
class DiffReport:
    added: list[IncidentSummary] = field(default_factory=list)
    removed: list[IncidentSummary] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    unchanged: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": {
                "added": len(self.added),
                "removed": len(self.removed),
                "changed": len(self.changed),
                "unchanged": self.unchanged,
            },
            "added": [i.to_dict() for i in self.added],
            "removed": [i.to_dict() for i in self.removed],
            "changed": [c.to_dict() for c in self.changed],
        }


def summarise(records: Iterable[Alert]) -> dict[str, IncidentSummary]:
    """Each incident of a log, in the order its first record appears."""
    grouped: dict[str, list[Alert]] = {}
    for record in records:
        grouped.setdefault(record.incident_id, []).append(record)
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    summaries = {}
    for incident_id, items in grouped.items():
        items.sort(key=lambda a: a.seq)
        raised = [a.at for a in items if a.kind == "raised"]
        last = items[-1]
        summaries[incident_id] = IncidentSummary(
            incident_id=incident_id,
            title=items[0].title,
            type_code=last.type_code,
            type_label=last.type_label,
            severity=max((a.severity for a in items), key=lambda s: rank.get(s, -1)),
            countries=last.countries,
            first_raised=min(raised) if raised else None,
            members=frozenset(pid for a in items for pid in a.post_ids),
            records=len(items),
        )
    return summaries


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _changes(old: IncidentSummary, new: IncidentSummary, raised_tolerance_s: float) -> tuple[str, ...]:
    found = []
    if old.type_code != new.type_code:
        found.append("type")
    if old.severity != new.severity:
        found.append("severity")
    if set(old.countries) != set(new.countries):
        found.append("countries")
    if (old.first_raised is None) != (new.first_raised is None) or (
        old.first_raised is not None
        and new.first_raised is not None
        and abs(new.first_raised - old.first_raised) > raised_tolerance_s
    ):
        found.append("first_raised")
    if old.members != new.members:
        found.append("members")
    return tuple(found)


def diff_logs(
    old: Iterable[Alert], new: Iterable[Alert], min_overlap: float = 0.3, raised_tolerance_s: float = 0.0
) -> DiffReport:
    """Compare two alert logs by incident (see the module docstring)."""
    before, after = summarise(old), summarise(new)
    pairs: list[tuple[str, str, float]] = []
    for incident_id in before.keys() & after.keys():
        pairs.append((incident_id, incident_id, _jaccard(before[incident_id].members, after[incident_id].members)))
    left = [i for i in before if i not in after]
    right = [i for i in after if i not in before]
    candidates = sorted(
        (
            (_jaccard(before[a].members, after[b].members), a, b)
            for a in left
            for b in right
            if before[a].members & after[b].members
        ),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    taken_left: set[str] = set()
    taken_right: set[str] = set()
    for overlap, a, b in candidates:
        if overlap < min_overlap or a in taken_left or b in taken_right:
            continue
        taken_left.add(a)
        taken_right.add(b)
        pairs.append((a, b, overlap))
    changed, unchanged = [], 0
    order = {incident_id: n for n, incident_id in enumerate(before)}
    for a, b, overlap in sorted(pairs, key=lambda p: order[p[0]]):
        changes = _changes(before[a], after[b], raised_tolerance_s)
        if changes:
            changed.append(Changed(before[a], after[b], overlap, changes))
        else:
            unchanged += 1
    removed = [before[i] for i in left if i not in taken_left]
    added = [after[i] for i in right if i not in taken_right]
    return DiffReport(added=added, removed=removed, changed=changed, unchanged=unchanged)


def read_alert_log(path: Path) -> list[Alert]:
    """An alert log (JSONL of alert records, as ``pantau backtest --out`` writes it)."""
    records = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                records.append(Alert.from_json(line))
            except Exception as exc:
                raise ValueError(f"{path}:{number}: not an alert record: {exc}") from None
    return records


def render(report: DiffReport, console: Any) -> None:
    """The report as rich tables: added, removed, changed, and a summary line."""
    from rich.table import Table

    def when(ts: float | None) -> str:
        return "-" if ts is None else format_ts(ts)

    for title, items in (("Added", report.added), ("Removed", report.removed)):
        if not items:
            continue
        table = Table(title=f"{title} ({len(items)})", title_justify="left")
        for column in ("incident", "type", "severity", "countries", "first raised", "members", "title"):
            table.add_column(column)
        for item in items:
            table.add_row(
                item.incident_id,
                item.type_code,
                item.severity,
                ",".join(item.countries),
                when(item.first_raised),
                str(len(item.members)),
                item.title[:60],
            )
        console.print(table)
    if report.changed:
        table = Table(title=f"Changed ({len(report.changed)})", title_justify="left")
        for column in ("incident", "what", "type", "severity", "countries", "first raised", "overlap"):
            table.add_column(column)
        for change in report.changed:
            o, n = change.old, change.new
            table.add_row(
                _arrow(o.incident_id, n.incident_id),
                ", ".join(change.changes),
                _arrow(o.type_code, n.type_code),
                _arrow(o.severity, n.severity),
                _arrow(",".join(o.countries), ",".join(n.countries)),
                _shift(o.first_raised, n.first_raised),
                f"{change.overlap:.2f}",
            )
        console.print(table)
    summary = report.to_dict()["summary"]
    console.print(
        f"{summary['added']} added, {summary['removed']} removed, {summary['changed']} changed, "
        f"{summary['unchanged']} unchanged"
    )


def _shift(old: float | None, new: float | None) -> str:
    """The new first raised time, and how much earlier or later than the old one."""
    if new is None or old is None:
        return f"{'-' if old is None else format_ts(old)} → {'-' if new is None else format_ts(new)}"
    delta = new - old
    return format_ts(new) if not delta else f"{format_ts(new)} ({delta:+.0f} s)"


def _arrow(old: str, new: str) -> str:
    return old if old == new else f"{old} → {new}"


def write_json(report: DiffReport, path: Path) -> None:
    path.write_bytes(orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2) + b"\n")


def main(old: Path, new: Path, json_out: Path | None, min_overlap: float, console: Any) -> DiffReport:
    report = diff_logs(read_alert_log(old), read_alert_log(new), min_overlap=min_overlap)
    render(report, console)
    if json_out is not None:
        write_json(report, json_out)
    return report
