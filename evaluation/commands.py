"""The engineers' commands of ``pantau``: backtest, eval, replay, rewind and diff. ``streams.cli`` registers
them; they run beside the service, never inside a worker.

backtest, eval, replay and diff show progress and tables with rich, and eval plots with matplotlib: both come
with the ``eval`` extra (``pip install 'pantau[eval]'``, which ``make install`` installs), so a worker's image
does without them. rewind needs neither: it runs where the workers' state directory is mounted.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from streams.config import Settings
from streams.heap import prepare_heap_for_long_run

_CONFIG_HELP = "detector settings (TOML: [core], [significance], [tracker]; default: the shipped ones)"


def require_eval_extra(command: str, needs: tuple[str, ...] = ("rich",)) -> None:
    """Refuse, with what to install, a command whose part of the ``eval`` extra is missing (a worker's image)."""
    import importlib.util

    missing = [name for name in needs if importlib.util.find_spec(name) is None]
    if missing:
        raise SystemExit(
            f"pantau {command} needs {' and '.join(missing)}, of the eval extra: pip install 'pantau[eval]'"
        )


def add_parsers(sub: Any) -> None:
    """Add the engineers' subcommands to ``pantau``'s subparsers."""
    p_backtest = sub.add_parser("backtest", help="run the detection core over a JSONL file, with no broker")
    p_backtest.add_argument("posts", type=Path)
    p_backtest.add_argument("--out", type=Path, required=True, help="JSONL file of every alert record")
    p_backtest.add_argument(
        "--config",
        type=Path,
        help=_CONFIG_HELP,
    )

    p_eval = sub.add_parser("eval", help="backtest a labelled stream and score it: recall, precision, latency")
    p_eval.add_argument("posts", type=Path, help="labelled posts (JSONL, format of ../shared/data/README.md)")
    p_eval.add_argument("events", type=Path, help="its events (JSONL)")
    p_eval.add_argument("--out", type=Path, help="JSON report (default: next to the posts, in out/)")
    p_eval.add_argument("--plot", type=Path, help="PNG timeline (default: the report's name with .png)")
    p_eval.add_argument("--alerts", type=Path, help="also write the backtest's alert records here")
    p_eval.add_argument(
        "--config",
        type=Path,
        help=_CONFIG_HELP,
    )
    p_eval.add_argument("--no-progress", action="store_true")

    p_replay = sub.add_parser(
        "replay", help="replay a topic of posts (or a range of it) through detection; a dry run unless --execute"
    )
    p_replay.add_argument("--topic", help="topic of posts to read (default: PANTAU_POSTS_TOPIC)")
    p_replay.add_argument("--all", action="store_true", help="every partition from its start")
    p_replay.add_argument("--from-datetime", help="ISO-8601: posts of this event time or later")
    p_replay.add_argument("--to-datetime", help="ISO-8601: posts before this event time")
    p_replay.add_argument("--by-duration", help="ISO-8601 duration back from --to-datetime or now (PT6H, P7D)")
    p_replay.add_argument("--from-offset", action="append", default=[], help="topic:partition:offset (repeatable)")
    p_replay.add_argument("--to-offset", action="append", default=[], help="topic:partition:offset, exclusive")
    target = p_replay.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", type=Path, help="JSONL file of every alert record")
    target.add_argument("--to-topic", help="a shadow topic for the alert records (never the live alerts topic)")
    p_replay.add_argument(
        "--config",
        type=Path,
        help=_CONFIG_HELP,
    )
    p_replay.add_argument("--execute", action="store_true", help="read and detect (without it: print the plan)")

    p_rewind = sub.add_parser(
        "rewind", help="move the stopped live service to an event time, to detect again from there (dry run)"
    )
    to = p_rewind.add_mutually_exclusive_group(required=True)
    to.add_argument("--to-datetime", help="ISO-8601: detect again from the first posts of this event time")
    to.add_argument("--by-duration", help="ISO-8601 duration back from now (PT6H, P2D)")
    p_rewind.add_argument("--execute", action="store_true", help="move the offsets (without it: print the plan)")
    p_rewind.add_argument(
        "--force", action="store_true", help="remove group members still listed (workers known to be stopped)"
    )

    p_diff = sub.add_parser("diff", help="compare two alert logs by incident: added, removed and changed")
    p_diff.add_argument("old", type=Path, help="alert log of the old build (JSONL, as backtest --out writes)")
    p_diff.add_argument("new", type=Path, help="alert log of the new build")
    p_diff.add_argument("--json", type=Path, help="also write the comparison as JSON here")
    p_diff.add_argument(
        "--min-overlap", type=float, default=0.3, help="member overlap (Jaccard) for two ids to be one incident"
    )


def _detector_settings(args: argparse.Namespace, command: str) -> Any:
    from detectors.settings import DetectorSettings, DetectorSettingsError

    if args.config is None:
        return DetectorSettings()
    try:
        return DetectorSettings.from_toml(args.config)
    except DetectorSettingsError as exc:
        raise SystemExit(f"pantau {command} --config: {exc}") from None


def _cmd_backtest(args: argparse.Namespace, settings: Settings) -> int:
    from evaluation.backtest import run_backtest
    from streams.producer import read_jsonl
    from streams.sinks import JsonlAlertSink

    core = _detector_settings(args, "backtest").build()
    sink = JsonlAlertSink(args.out)
    prepare_heap_for_long_run()
    try:
        stats = run_backtest(read_jsonl(args.posts), sink, core, max_future_s=settings.max_future_s)
    finally:
        sink.close()
    print(
        f"pantau backtest: {stats.posts} posts, {stats.rejected} rejected, {stats.alerts} alert records "
        f"({stats.incidents} incidents) -> {args.out}"
    )
    return 0


def _cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    require_eval_extra("eval", needs=("rich", "matplotlib"))
    import orjson

    from evaluation.backtest import run_backtest
    from evaluation.plots import plot_timeline
    from evaluation.scoring import score
    from schemas.post import parse_ts
    from streams.producer import read_jsonl

    name = args.posts.name.removesuffix(".jsonl").removesuffix(".posts")
    out = args.out or Path("out") / f"{name}.eval.json"
    plot = args.plot or out.with_suffix(".png")
    out.parent.mkdir(parents=True, exist_ok=True)
    events = list(read_jsonl(args.events))
    truth: dict[str, str | None] = {}
    spans: dict[str, tuple[float, float]] = {}

    def labelled() -> Iterator[dict[str, Any]]:
        # The label is read here, for scoring only: the detector gets the post without it.
        for record in read_jsonl(args.posts):
            event_id = (record.get("truth") or {}).get("event_id")
            truth[str(record["id"])] = event_id
            if event_id is not None:
                ts = parse_ts(record["ts"])
                first, last = spans.get(event_id, (ts, ts))
                spans[event_id] = (min(first, ts), max(last, ts))
            yield {k: v for k, v in record.items() if k != "truth"}

    core = _detector_settings(args, "eval").build()
    from streams.sinks import CollectingAlertSink

    collected = CollectingAlertSink(args.alerts)
    total = sum(1 for _ in args.posts.open("rb"))
    prepare_heap_for_long_run()
    with _progress(total, f"backtest {args.posts.name}", disabled=args.no_progress) as advance:
        stats = run_backtest(labelled(), collected, core, on_progress=advance, max_future_s=settings.max_future_s)
    collected.close()
    report = score([alert.to_dict() for alert in collected.alerts], truth, events)
    report["stream"] = args.posts.name
    report["posts"] = stats.posts
    report["alert_records"] = stats.alerts
    out.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    plot_timeline(plot, events, spans, report, title=name)
    headline = {
        k: report[k]
        for k in (
            "recall",
            "precision",
            "duplicate_rate",
            "latency_median_s",
            "latency_p90_s",
            "tdt_cost_norm",
            "incidents",
            "false_alarms",
        )
    }
    print(orjson.dumps(headline).decode())
    print(f"pantau eval: report {out}, plot {plot}")
    return 0


@contextlib.contextmanager
def _progress(total: int, label: str, disabled: bool) -> Iterator[Callable[[int], None]]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        disable=disabled,
        transient=False,
    ) as progress:
        task = progress.add_task(label, total=total)
        yield lambda done: progress.update(task, completed=done)


def _cmd_replay(args: argparse.Namespace, settings: Settings) -> int:
    require_eval_extra("replay")
    from evaluation.ranges import RangeError, parse_range
    from evaluation.replay import check_output_topic, plan_replay
    from streams.topics import max_record_bytes

    if settings.uses_embedded_broker:
        raise SystemExit("pantau replay: set PANTAU_KAFKA_BOOTSTRAP to the broker to read from")
    topic = args.topic or settings.posts_topic
    try:
        replay_range = parse_range(
            replay_all=args.all,
            from_datetime=args.from_datetime,
            to_datetime=args.to_datetime,
            by_duration=args.by_duration,
            from_offsets=args.from_offset,
            to_offsets=args.to_offset,
            topic=topic,
        )
    except RangeError as exc:
        raise SystemExit(f"pantau replay: {exc}") from None
    if args.to_topic:
        check_output_topic(args.to_topic, settings.alerts_topic, topic)
    output = str(args.out) if args.out else f"shadow topic {args.to_topic} (created on --execute if missing)"
    options = settings.kafka_security().options()
    plan = plan_replay(
        settings.kafka_bootstrap,
        topic,
        replay_range,
        output,
        _detector_settings(args, "replay").describe(),
        client_options=options,
        max_fetch_bytes=max_record_bytes(settings),
    )
    for line in plan.describe():
        print(line)
    if not args.execute:
        print("dry run: nothing read, nothing written (add --execute)")
        return 0
    return _execute_replay(plan, args, settings, options)


def _execute_replay(plan: Any, args: argparse.Namespace, settings: Settings, options: dict[str, Any]) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from evaluation.replay import ReplaySummary, event_time, execute_replay
    from streams.sinks import JsonlAlertSink, KafkaTopicAlertSink
    from streams.topics import max_record_bytes

    sink: Any
    if args.out:
        sink = JsonlAlertSink(args.out)
    else:
        from streams.producer import make_producer
        from streams.topics import ensure_topics, shadow_alerts_topic

        if ensure_topics(settings, topics=[shadow_alerts_topic(settings, args.to_topic)]):
            print(f"created the shadow topic {args.to_topic}")
        sink = KafkaTopicAlertSink(make_producer(settings.kafka_bootstrap, options), args.to_topic)
    started = time.monotonic()
    expected = sum(p.expected for p in plan.partitions) or None
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} posts/s, event time {task.fields[event]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns) as progress:
        task = progress.add_task("replay", total=expected, rate="0", event="-")

        def on_progress(summary: ReplaySummary) -> None:
            elapsed = max(time.monotonic() - started, 1e-9)
            progress.update(
                task,
                completed=summary.messages,
                rate=f"{summary.posts_read / elapsed:,.0f}",
                event=event_time(summary.newest_event),
            )

        try:
            summary = execute_replay(
                plan,
                settings.kafka_bootstrap,
                sink,
                _detector_settings(args, "replay").build(late_after_s=settings.late_after_s),
                client_options=options,
                max_message_bytes=settings.max_message_bytes,
                max_future_s=settings.max_future_s,
                on_progress=on_progress,
                max_fetch_bytes=max_record_bytes(settings),
            )
        finally:
            sink.close()
    for line in summary.describe():
        print(line)
    print(f"written to {plan.output} in {time.monotonic() - started:.1f} s")
    return 0


def _cmd_rewind(args: argparse.Namespace, settings: Settings) -> int:
    from evaluation.ranges import RangeError, parse_duration, parse_time
    from evaluation.rewind import execute_rewind, plan_rewind

    if settings.uses_embedded_broker:
        raise SystemExit("pantau rewind: set PANTAU_KAFKA_BOOTSTRAP to the live service's broker")
    try:
        if args.to_datetime is not None:
            to_time = parse_time("--to-datetime", args.to_datetime)
        else:
            to_time = time.time() - parse_duration(args.by_duration)
    except RangeError as exc:
        raise SystemExit(f"pantau rewind: {exc}") from None
    plan = plan_rewind(settings, to_time, force=args.force)
    for line in plan.describe():
        print(line)
    if not args.execute:
        print("dry run: nothing changed (add --execute)")
        return 0
    kept = execute_rewind(plan, settings, force=args.force)
    print(f"checkpoint set aside as {kept}" if kept else "no checkpoint to set aside")
    print(f"group {plan.group} rewound: start the workers, and detection rebuilds its state from there")
    return 0


def _cmd_diff(args: argparse.Namespace, settings: Settings) -> int:
    require_eval_extra("diff")
    from rich.console import Console

    from evaluation.diff import main as diff_main

    if not 0.0 < args.min_overlap <= 1.0:
        raise SystemExit("pantau diff: --min-overlap must be in (0, 1]")
    try:
        diff_main(args.old, args.new, args.json, args.min_overlap, Console())
    except (OSError, ValueError) as exc:
        raise SystemExit(f"pantau diff: {exc}") from None
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "backtest": _cmd_backtest,
    "eval": _cmd_eval,
    "diff": _cmd_diff,
    "replay": _cmd_replay,
    "rewind": _cmd_rewind,
}
