"""The ``pantau`` command. ``pantau --help`` lists the subcommands."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from evaluation import commands as evaluation_commands
from streams.config import SETTINGS_DOC, Settings
from streams.heap import prepare_heap_for_long_run
from streams.logs import install_safe_records

log = logging.getLogger("pantau")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pantau", description="Pantau: early warning of diplomatic incidents.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("run", help="embedded broker + one worker + the demo feed: the whole service on one machine")
    p_worker = sub.add_parser("worker", help="run one worker (starts the embedded broker if none is configured)")
    p_worker.add_argument("--no-console", action="store_true", help="do not print alerts on the console")
    sub.add_parser("broker", help="run the embedded Tansu broker in the foreground")
    p_notify = sub.add_parser("notify", help="run the delivery service: alert records to webhooks, Alertmanager, ...")
    p_notify.add_argument("--check", action="store_true", help="validate PANTAU_NOTIFY_CONFIG, print it, and exit")
    p_receive = sub.add_parser("receive", help="a webhook receiver on loopback that verifies and prints events")
    p_receive.add_argument("--port", type=int, default=6068)
    p_receive.add_argument(
        "--secret-env", default="PANTAU_WEBHOOK_SECRET", help="environment variable holding the signing secret"
    )

    p_demo = sub.add_parser("demo", help="generate the seeded bilingual demo feed into the posts topic")
    p_demo.add_argument("--seed", type=int, default=7)
    p_demo.add_argument("--hours", type=float, default=24.0, help="simulated hours of feed")
    p_demo.add_argument(
        "--speed", type=float, default=300.0, help="simulated seconds per wall second (0: as fast as possible)"
    )
    p_demo.add_argument("--rate", type=float, default=20.0, help="mean background posts per simulated minute")
    p_demo.add_argument("--out", type=Path, help="write posts to this JSONL file instead of the topic")
    p_demo.add_argument("--events-out", type=Path, help="also write the scripted events (ground truth) here")

    p_produce = sub.add_parser("produce", help="load a JSONL file of posts into the posts topic")
    p_produce.add_argument("file", type=Path)
    p_produce.add_argument(
        "--speed",
        type=float,
        default=0.0,
        help="pace by the posts' own times: event seconds per wall second (0: no pacing)",
    )

    evaluation_commands.add_parsers(sub)

    p_tail = sub.add_parser("tail", help="print records from the alerts, posts or a dead-letter topic")
    p_tail.add_argument(
        "which", choices=["alerts", "posts", "deadletter", "delivery-deadletter"], nargs="?", default="alerts"
    )
    p_tail.add_argument("--from-beginning", action="store_true")

    p_user = sub.add_parser("console-user", help="add or replace a console officer (hash in the credentials file)")
    p_user.add_argument("name", help="the officer's login name")
    p_user.add_argument("--file", type=Path, help="credentials file (default: PANTAU_CONSOLE_CREDENTIALS)")
    p_user.add_argument(
        "--token", action="store_true", help="generate a random token, print it once, and store its hash"
    )

    sub.add_parser("env", help="list the PANTAU_ settings with their current values")
    p_compile = sub.add_parser("compile", help="compile the detection core with Cython (make install does it)")
    p_compile.add_argument("--status", action="store_true", help="only say whether the compiled core is in use")

    args = parser.parse_args(argv)
    settings = Settings.from_env()
    install_safe_records()  # before anything logs: no field can forge or disguise a log line
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # kafka-python narrates every connection at INFO; an operator needs its warnings only.
    logging.getLogger("kafka").setLevel(max(logging.WARNING, logging.getLogger().level))
    handler = _COMMANDS[args.command]
    return handler(args, settings)


def fresh_embedded_state_dir(settings: Settings) -> str:
    """Checkpoints for a service on the embedded broker: a directory of this process's own.

    The embedded broker keeps its log in memory: after a restart its topics begin again at offset 0, and a
    checkpoint from before would take every new message for one already applied. Each start therefore
    begins without one, in ``embedded/<pid>``; directories of processes no longer running are removed, and
    one still running (another ``make run``, with its own broker) is left alone. On a real cluster
    checkpoints live in ``PANTAU_STATE_DIR`` itself and resume.
    """
    root = Path(settings.state_dir) / "embedded"
    root.mkdir(parents=True, exist_ok=True)
    for entry in root.iterdir():
        if entry.name.isdigit() and _process_alive(int(entry.name)):
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    mine = root / str(os.getpid())
    mine.mkdir()
    return str(mine)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: alive
    return True


def _cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from streams.broker import EmbeddedBroker, terminate

    run_dir = Path(".run")
    run_dir.mkdir(exist_ok=True)
    broker: EmbeddedBroker | None = None
    env = dict(os.environ)
    if settings.uses_embedded_broker:
        broker = EmbeddedBroker(settings.embedded_broker_port, log_path=run_dir / "broker.log").start()
        env["PANTAU_KAFKA_BOOTSTRAP"] = broker.bootstrap
        env["PANTAU_STATE_DIR"] = fresh_embedded_state_dir(settings)
    demo_login = None if settings.console_credentials else _demo_officer(run_dir, env)
    bootstrap = env["PANTAU_KAFKA_BOOTSTRAP"]
    exe = [sys.executable, "-m", "streams.cli"]
    children: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        children.append(subprocess.Popen([*exe, "worker"], env=env, start_new_session=True))
        base = f"http://{settings.web_host}:{settings.web_port}"
        print(f"pantau: broker {bootstrap}{' (embedded tansu)' if broker else ''}", flush=True)
        print(f"pantau: metrics {base}/metrics · health {base}/healthz · ready {base}/readyz", flush=True)
        login = f" · demo login {demo_login[0]} / {demo_login[1]}" if demo_login else ""
        print(f"pantau: console {base}/console/{login}", flush=True)
        if not _wait_ready(f"{base}/readyz", children[0], timeout_s=60, stopped=lambda: stopping):
            return 0  # Ctrl-C while the worker was starting
        children.extend(_start_delivery(settings, env, exe, run_dir))
        print("pantau: worker ready; starting the demo feed (Ctrl-C stops everything)", flush=True)
        children.append(subprocess.Popen([*exe, "demo"], env=env, start_new_session=True))
        while not stopping and children[0].poll() is None:
            time.sleep(0.2)
        if children[0].poll() is not None and not stopping:
            print(f"pantau: worker exited with code {children[0].returncode}", file=sys.stderr)
            return 1
        return 0
    finally:
        print("pantau: stopping", flush=True)
        for child in reversed(children):
            terminate(child, timeout_s=15)
        if broker is not None:
            broker.stop()
        print("pantau: stopped", flush=True)


def _demo_officer(run_dir: Path, env: dict[str, str]) -> tuple[str, str]:
    """A console officer for this run, with a fresh password: no fixed password ships with the service."""
    import secrets

    from console.auth import write_officer

    path = run_dir / "console-officers.toml"
    password = secrets.token_urlsafe(12)
    path.unlink(missing_ok=True)
    write_officer(path, "demo", password)
    env["PANTAU_CONSOLE_CREDENTIALS"] = str(path.resolve())
    return "demo", password


def _cmd_console_user(args: argparse.Namespace, settings: Settings) -> int:
    import getpass
    import secrets

    from console.auth import write_officer

    path = args.file or (Path(settings.console_credentials) if settings.console_credentials else None)
    if path is None:
        raise SystemExit("pantau console-user: give --file or set PANTAU_CONSOLE_CREDENTIALS")
    if args.token:
        secret = secrets.token_urlsafe(24)
    elif sys.stdin.isatty():
        secret = getpass.getpass(f"password for {args.name}: ")
        if secret != getpass.getpass("again: "):
            raise SystemExit("pantau console-user: the two passwords differ")
    else:
        secret = sys.stdin.readline().rstrip("\n")  # scripted: the password on standard input
    if len(secret) < 8:
        raise SystemExit("pantau console-user: a password needs 8 characters or more")
    write_officer(path, args.name, secret)
    print(
        f"pantau: officer {args.name!r} written to {path}" + (f"; token (shown once): {secret}" if args.token else "")
    )
    return 0


def _start_delivery(
    settings: Settings, env: dict[str, str], exe: list[str], run_dir: Path
) -> list[subprocess.Popen[bytes]]:
    """The delivery service, to a local webhook receiver that prints what it gets (unless
    ``PANTAU_NOTIFY_CONFIG`` names channels of your own: then to those)."""
    import base64
    import secrets

    children = []
    if not settings.notify_config:
        port = 6068
        secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
        config = run_dir / "notify.toml"
        config.write_text(
            f'console_url = "http://{settings.web_host}:{settings.web_port}/console"\n\n'
            f'[[channel]]\nname = "local-webhook"\nkind = "webhook"\nurl = "http://127.0.0.1:{port}/hook"\n'
            'secrets_env = ["PANTAU_WEBHOOK_SECRET"]\n'
        )
        env.update(PANTAU_NOTIFY_CONFIG=str(config), PANTAU_WEBHOOK_SECRET=secret)
        children.append(subprocess.Popen([*exe, "receive", "--port", str(port)], env=env, start_new_session=True))
    children.append(subprocess.Popen([*exe, "notify"], env=env, start_new_session=True))
    where = f"http://{settings.web_host}:{settings.notify_port}"
    print(f"pantau: delivery service {where}/metrics, channels from {env['PANTAU_NOTIFY_CONFIG']}", flush=True)
    return children


def _wait_ready(url: str, worker: subprocess.Popen[bytes], timeout_s: float, stopped: Callable[[], bool]) -> bool:
    import urllib.request

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if stopped():
            return False
        if worker.poll() is not None:
            raise SystemExit(f"pantau: worker exited with code {worker.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"pantau: worker not ready after {timeout_s}s ({url})")


def _cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from faust import Worker

    from streams.app import build
    from streams.broker import EmbeddedBroker
    from streams.workarounds import leave_group

    broker = None
    pantau = None
    if settings.uses_embedded_broker:
        broker = EmbeddedBroker(settings.embedded_broker_port).start()
        settings = _replace(settings, kafka_bootstrap=broker.bootstrap, state_dir=fresh_embedded_state_dir(settings))
    if args.no_console:
        settings = _replace(settings, console_alerts=False)
    try:
        _ensure_topics(settings)
        pantau = build(settings)
        prepare_heap_for_long_run()
        worker = Worker(pantau.app, loglevel=settings.log_level, quiet=True, redirect_stdouts=False)
        worker.execute_from_commandline()  # exits the process via SystemExit when the worker stops
    finally:
        if pantau is not None:
            leave_group(
                settings.kafka_bootstrap, settings.app_id, pantau.group_member_id, settings.kafka_security().options()
            )
        if broker is not None:
            broker.stop()
    return 0


def _ensure_topics(settings: Settings) -> None:
    """The service's topics with their partitions, replication and size limit (streams/topics.py)."""
    from kafka.errors import KafkaError

    from streams.topics import ensure_topics

    try:
        ensure_topics(settings)
    except KafkaError as exc:  # the broker is not up yet: the clients wait for it
        print(f"pantau: topics not checked ({exc!r}); a cluster that does not auto-create topics needs them")


def _cmd_notify(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    from notify.config import ConfigError, load_config
    from notify.service import NotifyService, channel_summary

    if not settings.notify_config:
        raise SystemExit("pantau notify: set PANTAU_NOTIFY_CONFIG to a channel file (deploy/notify.example.toml)")
    try:
        config = load_config(settings.notify_config)
    except ConfigError as exc:
        raise SystemExit(f"pantau notify: {exc}") from None
    if args.check:
        print(channel_summary(config))
        return 0
    if settings.uses_embedded_broker:
        raise SystemExit("pantau notify: set PANTAU_KAFKA_BOOTSTRAP (the broker the worker uses)")

    _ensure_topics(settings)

    async def main() -> None:
        service = NotifyService(settings, config)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, service.stop)
        await service.run()

    asyncio.run(main())
    return 0


def _cmd_receive(args: argparse.Namespace, settings: Settings) -> int:
    from notify.receiver import serve

    secret = os.environ.get(args.secret_env)
    if not secret:
        raise SystemExit(f"pantau receive: set {args.secret_env} to the webhook signing secret")
    print(f"pantau receive: listening on http://127.0.0.1:{args.port}/hook", flush=True)
    serve("127.0.0.1", args.port, [secret])
    return 0


def _cmd_broker(args: argparse.Namespace, settings: Settings) -> int:
    from streams.broker import EmbeddedBroker

    # Block the signals first, so that sigwait receives them instead of their default action killing us
    # before the broker is stopped.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    with EmbeddedBroker(settings.embedded_broker_port) as broker:
        print(f"PANTAU_KAFKA_BOOTSTRAP={broker.bootstrap}", flush=True)
        # A fault test signals the broker itself, not this wrapper: Tansu runs in its own process group.
        print(f"# tansu pid {broker.pid} (SIGSTOP/SIGCONT this one to freeze the broker)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.sigwait({signal.SIGINT, signal.SIGTERM})
    return 0


def _cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    import orjson

    from demo.feed import events, generate

    now = datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0)
    # The simulated day ends now, so post times are recent but never in the future.
    start = now - timedelta(hours=args.hours) if args.out is None else datetime(2026, 11, 28, tzinfo=UTC)
    posts = generate(seed=args.seed, start=start, hours=args.hours, background_per_min=args.rate)
    if args.events_out:
        truth = events(start, seed=args.seed, hours=args.hours, background_per_min=args.rate)
        args.events_out.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in truth))
    if args.out:
        with args.out.open("wb") as handle:
            n = sum(handle.write(orjson.dumps(p) + b"\n") > 0 for p in posts)
        print(f"pantau demo: wrote {n} posts to {args.out}")
        return 0
    return _produce(settings, posts, speed=args.speed or None, what="demo feed")


def _cmd_produce(args: argparse.Namespace, settings: Settings) -> int:
    from streams.producer import read_jsonl_lenient

    # Lines that are not JSON objects are sent as they are: the worker dead-letters them with their reason.
    items = (item for _, item in read_jsonl_lenient(args.file))
    return _produce(settings, items, speed=args.speed or None, what=str(args.file))


def _produce(settings: Settings, posts: Iterable[dict[str, Any] | bytes], speed: float | None, what: str) -> int:
    from streams.producer import make_producer, produce

    if settings.uses_embedded_broker:
        raise SystemExit("pantau: set PANTAU_KAFKA_BOOTSTRAP to the broker to write to (see `pantau run`)")
    producer = make_producer(settings.kafka_bootstrap, settings.kafka_security().options())
    try:
        n = produce(
            producer,
            settings.posts_topic,
            posts,
            batch_size=settings.produce_batch_size,
            speed=speed,
            # Half the limit: normalised, a batch carries terms and places beside its text (up to ~1.4 times
            # the bytes for tweets) and crosses the broker again, under the same kind of limit.
            max_bytes=settings.max_message_bytes // 2,
        )
    except KeyboardInterrupt:
        return 0
    finally:
        producer.close(timeout=5)
    print(f"pantau: sent {n} posts from {what} to {settings.posts_topic}", flush=True)
    return 0


def _cmd_tail(args: argparse.Namespace, settings: Settings) -> int:
    from kafka import KafkaConsumer

    from schemas.alert import Alert
    from streams.sinks import ConsoleAlertSink

    if settings.uses_embedded_broker:
        raise SystemExit("pantau: set PANTAU_KAFKA_BOOTSTRAP to the broker to read from")
    topic = {
        "alerts": settings.alerts_topic,
        "posts": settings.posts_topic,
        "deadletter": settings.deadletter_topic,
        "delivery-deadletter": settings.delivery_deadletter_topic,
    }[args.which]
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=settings.kafka_bootstrap.split(","),
        auto_offset_reset="earliest" if args.from_beginning else "latest",
        enable_auto_commit=False,
        group_id=None,
        **settings.kafka_security().options(),
    )
    sink = ConsoleAlertSink()
    try:
        for record in consumer:
            if args.which == "alerts":
                sink.add(Alert.from_json(record.value))
                sink.flush()
            else:  # the records as they are: JSON, one a line (a post batch stays one line)
                print(record.value.decode(errors="replace"), flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    return 0


def _cmd_env(args: argparse.Namespace, settings: Settings) -> int:
    for name, doc in SETTINGS_DOC.items():
        print(f"PANTAU_{name.upper()}={getattr(settings, name)!s:<24} # {doc}")
    return 0


def _replace(settings: Settings, **changes: object) -> Settings:
    from dataclasses import replace

    return replace(settings, **changes)  # type: ignore[arg-type]


def _cmd_compile(args: argparse.Namespace, settings: Settings) -> int:
    from detectors import compiled

    if args.status:
        print(compiled.status()[1])
        return 0
    ready, message = compiled.build()
    print(message)
    return 0 if ready else 1


_COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    **evaluation_commands.COMMANDS,
    "console-user": _cmd_console_user,
    "run": _cmd_run,
    "worker": _cmd_worker,
    "broker": _cmd_broker,
    "demo": _cmd_demo,
    "produce": _cmd_produce,
    "tail": _cmd_tail,
    "env": _cmd_env,
    "notify": _cmd_notify,
    "receive": _cmd_receive,
    "compile": _cmd_compile,
}

if __name__ == "__main__":
    sys.exit(main())
