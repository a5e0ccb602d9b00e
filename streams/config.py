"""Settings, read once from ``PANTAU_``-prefixed environment variables.

Every variable is listed in the README, from ``SETTINGS_DOC`` (a unit test keeps the two in step).
The prefix matters: Faust reads unprefixed variables such as ``WEB_PORT`` itself, and Kubernetes injects
``<SERVICE>_PORT`` variables that would break a worker.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from streams.kafka_security import KafkaSecurity

PREFIX = "PANTAU_"


@dataclass(frozen=True, slots=True)
class Settings:
    # Broker address list (host:port,...). Empty: start the embedded Tansu broker on loopback.
    kafka_bootstrap: str = ""
    # Port of the embedded broker; 0 picks a free one.
    embedded_broker_port: int = 0
    app_id: str = "pantau"
    posts_topic: str = "pantau.posts"
    alerts_topic: str = "pantau.alerts"
    deadletter_topic: str = "pantau.deadletter"
    feedback_topic: str = "pantau.feedback"
    # Alert records a delivery channel could not take by its deadline, with the channel and the error.
    delivery_deadletter_topic: str = "pantau.delivery.deadletter"
    # Partitions for topics the service creates. Workers scale out up to this number.
    topic_partitions: int = 4
    # Replication factor of the topics the service creates (3 on a production cluster; 1 for one broker).
    topic_replication: int = 1
    # How clients connect (streams/kafka_security.py): PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. TLS or SASL
    # asked for and not possible (a missing file, say) stops the process: never a fallback to plaintext.
    kafka_security_protocol: str = "PLAINTEXT"
    kafka_ssl_cafile: str = ""
    kafka_ssl_certfile: str = ""
    kafka_ssl_keyfile: str = ""
    kafka_sasl_mechanism: str = ""
    kafka_sasl_username: str = ""
    kafka_sasl_password_file: str = ""
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    # Messages above this size go to the dead-letter topic (the broker itself enforces no limit).
    max_message_bytes: int = 1 << 20
    # Posts dated further ahead of the wall clock are rejected: they would hold the event-time clock there.
    max_future_s: float = 86400.0
    # Short session timeout: group joins on Tansu wait about half of it (field notes).
    broker_session_timeout_s: float = 6.0
    # Where the worker keeps local state (Faust's data directory).
    data_dir: str = ".run/pantau-data"
    # Detection checkpoints. Workers of one service share it (one host or a
    # shared volume), so whichever holds the detect partition resumes from the last checkpoint.
    state_dir: str = ".run/pantau-state"
    # Seconds between detection checkpoints: at most this much input is replayed after a crash.
    checkpoint_interval_s: float = 10.0
    # Longest a fetch waits on the broker for data. Faust fixes it at 1,500 ms; with Tansu that made each hop
    # deliver about 0.45 s late, twice per post (posts, then normalised posts).
    fetch_max_wait_ms: int = 100
    # A produce request the broker has not answered in this long is abandoned and sent again on a new
    # connection. Faust's default is 1,200 s, so one lost answer stalled every send of the worker for 20 min.
    producer_request_timeout_s: float = 30.0
    # How long a record may keep being retried before its send fails (Kafka's delivery.timeout.ms).
    delivery_timeout_s: float = 120.0
    # A posts partition silent this long (wall seconds) no longer holds back event time.
    source_idle_s: float = 10.0
    # With no input for this long (wall seconds), the posts still waiting for their tick are released: the
    # last posts before a pause (or a sparse feed's only post) alert now, not when the next post comes.
    idle_flush_s: float = 2.0
    # A post that arrives more than this far behind the event time detection has released counts as late.
    # A live feed's posts come out of order by seconds (several producers, crawl delays): that is normal, and
    # is processed on arrival all the same. Only a post behind by more than this is news to an operator.
    late_after_s: float = 60.0
    # /readyz: the broker counts as reachable while its last answer to a metadata request is this recent.
    ready_broker_s: float = 5.0
    # /readyz: detection counts as stalled when a batch is in work this long, or waiting input goes unread.
    ready_stall_s: float = 30.0
    # The delivery service (pantau notify): its channels and routes (TOML; secrets come from the environment
    # or files it names, never from it), its web port (/metrics, /healthz, /readyz) and its ledger.
    notify_config: str = ""
    notify_port: int = 6067
    notify_state_dir: str = ".run/pantau-notify"
    # The officers' console at /console on the worker's web port: the file of officers' argon2 hashes
    # (pantau console-user writes it; empty: the console answers 503 and says so), and whether its cookies
    # carry the Secure flag (set it behind a TLS proxy; https requests get it anyway).
    console_credentials: str = ""
    console_secure_cookie: bool = False
    # File listing each post applied to detection, as "offset post_id" lines, kept consistent with the
    # checkpoints (empty: off). For recovery tests and audits.
    audit_log: str = ""
    # Print each alert readably on the console.
    console_alerts: bool = True
    # Posts per Kafka message that `pantau demo` and `pantau produce` write (1 = one post per message).
    produce_batch_size: int = 500
    log_level: str = "info"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = environ.get(PREFIX + f.name.upper())
            if raw is None:
                continue
            values[f.name] = _parse(f.name, raw, type(getattr(cls(), f.name)))
        settings = cls(**values)  # type: ignore[arg-type]
        if settings.idle_flush_s < 0.1:
            # Lower would flush after nearly every batch: ticks released before their posts are all in.
            raise SystemExit(f"{PREFIX}IDLE_FLUSH_S={settings.idle_flush_s:g}: must be 0.1 or more")
        if settings.delivery_timeout_s < settings.producer_request_timeout_s:
            # Kafka's own rule (delivery.timeout.ms >= request.timeout.ms): else a send gives up before the
            # request it waits behind has even timed out.
            raise SystemExit(
                f"{PREFIX}DELIVERY_TIMEOUT_S={settings.delivery_timeout_s:g} is shorter than "
                f"{PREFIX}PRODUCER_REQUEST_TIMEOUT_S={settings.producer_request_timeout_s:g}"
            )
        if settings.topic_replication < 1 or settings.topic_partitions < 1:
            raise SystemExit(f"{PREFIX}TOPIC_PARTITIONS and {PREFIX}TOPIC_REPLICATION must be 1 or more")
        settings.kafka_security()  # refused now, at start, not at the first connection
        return settings

    @property
    def uses_embedded_broker(self) -> bool:
        return not self.kafka_bootstrap

    def kafka_security(self) -> KafkaSecurity:
        """How clients connect to the broker, validated (raises SystemExit with the reason)."""
        return KafkaSecurity.from_settings(self)


def _parse(name: str, raw: str, kind: type) -> object:
    try:
        if kind is bool:
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        return kind(raw)
    except ValueError:
        raise SystemExit(f"{PREFIX}{name.upper()}={raw!r}: expected {kind.__name__}") from None


SETTINGS_DOC: dict[str, str] = {
    "kafka_bootstrap": "Kafka/Redpanda bootstrap servers (`host:port,...`). Unset: start the embedded Tansu broker.",
    "embedded_broker_port": "Port for the embedded broker on 127.0.0.1; `0` picks a free port.",
    "app_id": "Faust application id, also the consumer group id.",
    "posts_topic": "Input topic of posts and articles (single posts or batch envelopes).",
    "alerts_topic": "Output topic of alert records.",
    "deadletter_topic": "Topic for rejected messages, each with its reason and source offset.",
    "feedback_topic": "Topic of officers' labels (incident id or text, relevant true/false) for the relevance model.",
    "delivery_deadletter_topic": "Topic for alert records a delivery channel could not take (channel, error, record).",
    "topic_partitions": "Partitions for the topics the service creates; the upper bound on workers.",
    "topic_replication": "Replication factor of the topics the service creates (3 on a production cluster).",
    "kafka_security_protocol": "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. TLS or SASL that cannot be had stops "
    "the process: never a fallback to plaintext.",
    "kafka_ssl_cafile": "CA bundle (PEM) to verify the brokers with; empty with TLS: the system's trust store.",
    "kafka_ssl_certfile": "Client certificate (PEM) for mutual TLS, with `PANTAU_KAFKA_SSL_KEYFILE`.",
    "kafka_ssl_keyfile": "Private key (PEM) of the client certificate.",
    "kafka_sasl_mechanism": "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (with a SASL protocol).",
    "kafka_sasl_username": "SASL user name.",
    "kafka_sasl_password_file": "File holding the SASL password (a mounted secret); never the password itself.",
    "web_host": "Address the worker's web server binds (`/metrics`, `/healthz`, `/readyz`).",
    "web_port": "Port of the worker's web server.",
    "max_message_bytes": "Messages larger than this go to the dead-letter topic (`too_large`).",
    "max_future_s": "Posts dated more than this many seconds ahead of the wall clock go to dead letters.",
    "broker_session_timeout_s": "Consumer group session timeout in seconds; short, because joins wait on it.",
    "data_dir": "Directory for the worker's local state.",
    "state_dir": ("Detection checkpoints; workers of one service share it (one host or a shared volume)."),
    "checkpoint_interval_s": (
        "Seconds between detection checkpoints: at most this much input is replayed after a crash."
    ),
    "fetch_max_wait_ms": "Longest a consumer fetch waits on the broker for data (ms): bounds each hop's latency.",
    "producer_request_timeout_s": (
        "A produce request unanswered this long (s) is abandoned and retried on a new connection."
    ),
    "delivery_timeout_s": (
        "How long (s) a record may be retried before its send fails "
        "(Kafka's `delivery.timeout.ms`; at least the request timeout)."
    ),
    "source_idle_s": "A posts partition silent this long (wall seconds) no longer holds back event time.",
    "idle_flush_s": "With no input this long (wall seconds), posts waiting for their tick are released.",
    "late_after_s": (
        "A post arriving more than this many seconds behind the event time already released counts in "
        "`pantau_late_posts_total` (it is processed on arrival either way)."
    ),
    "ready_broker_s": "`/readyz` fails once the broker's last answer to a metadata request is older than this (s).",
    "ready_stall_s": (
        "`/readyz` fails when detection has worked on one batch this long (s), or waiting input has gone unread."
    ),
    "notify_config": "The delivery channels and routes (TOML, see `deploy/notify.example.toml`); empty: none.",
    "notify_port": "Port of the delivery service's web server (`/metrics`, `/healthz`, `/readyz`).",
    "notify_state_dir": "The delivery ledger (what each channel has taken); keep it across restarts.",
    "console_credentials": (
        "The console's officers (TOML of argon2id hashes, `pantau console-user`); empty: the console is off "
        "(503). `make run` makes one with a demo officer."
    ),
    "console_secure_cookie": (
        "Give the console's cookies the `Secure` flag (behind a TLS proxy); https requests get it anyway."
    ),
    "audit_log": (
        'File listing each post applied to detection (JSON lines `[offset, "post id"]`), consistent with the '
        "checkpoints; empty: off."
    ),
    "console_alerts": "Print alerts readably on the console (`true`/`false`).",
    "produce_batch_size": (
        "Posts per Kafka message written by `pantau demo` and `pantau produce` (fewer when they would pass "
        "half of `PANTAU_MAX_MESSAGE_BYTES`)."
    ),
    "log_level": "Log level: `debug`, `info`, `warning`, `error`.",
}
