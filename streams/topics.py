"""The topics the service creates at start, when they do not exist: partitions, replication and message size
from the settings, not the broker's defaults (a cluster may not auto-create topics at all, and its default
message limit of 1 MiB is below what a dead letter of a message at the size limit takes).

The internal normalised topic is Faust's (``internal=True``): Faust creates it, with
``PANTAU_TOPIC_REPLICATION`` as its replication factor. A topic that exists is left as it is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from streams.config import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    replication: int
    max_message_bytes: int


def normalised_topic_name(settings: Settings) -> str:
    """The internal topic between the normalise and detect steps: batches derived from the posts topic."""
    return f"{settings.app_id}.normalised"


def max_record_bytes(settings: Settings) -> int:
    """The largest record the service writes: a batch or dead letter of a message at the size limit (the
    normalised form carries terms beside the text; a dead letter carries the original in base64)."""
    return 4 * settings.max_message_bytes + (1 << 20)


def service_topics(settings: Settings) -> list[TopicSpec]:
    """The service's topics. Labels have one partition: they are applied in one order.

    >>> [(t.name, t.partitions) for t in service_topics(Settings(topic_partitions=3))][-2:]
    [('pantau.feedback', 1), ('pantau.delivery.deadletter', 3)]
    """
    size = max_record_bytes(settings)

    def spec(name: str, partitions: int) -> TopicSpec:
        return TopicSpec(name, partitions, settings.topic_replication, size)

    n = settings.topic_partitions
    return [
        spec(settings.posts_topic, n),
        spec(settings.alerts_topic, n),
        spec(settings.deadletter_topic, n),
        spec(settings.feedback_topic, 1),
        spec(settings.delivery_deadletter_topic, n),
    ]


def shadow_alerts_topic(settings: Settings, name: str) -> TopicSpec:
    """A replay's shadow topic: laid out as the live alerts topic, under another name."""
    return replace(service_topics(settings)[1], name=name)


def ensure_topics(settings: Settings, timeout_s: float = 10.0, topics: list[TopicSpec] | None = None) -> list[str]:
    """Create the missing ones of ``topics`` (default: the service's); returns the names created. A broker
    that cannot be reached is logged and left to the clients (they wait for it); a refused creation
    (replication above the brokers, say) stops the process with the broker's reason."""
    admin = KafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap,
        request_timeout_ms=int(timeout_s * 1000),
        **settings.kafka_security().options(),
    )
    try:
        existing = set(admin.list_topics())
        wanted = service_topics(settings) if topics is None else topics
        missing = [t for t in wanted if t.name not in existing]
        created = []
        for topic in missing:
            new = NewTopic(
                topic.name,
                topic.partitions,
                topic.replication,
                topic_configs={"max.message.bytes": str(topic.max_message_bytes)},
            )
            try:
                admin.create_topics([new], timeout_ms=int(timeout_s * 1000))
            except TopicAlreadyExistsError:
                continue  # another worker created it first
            except Exception as exc:
                raise SystemExit(
                    f"pantau: cannot create topic {topic.name} ({topic.partitions} partitions, replication "
                    f"{topic.replication}): {exc}"
                ) from None
            created.append(topic.name)
        if created:
            log.info("created topics %s", ", ".join(created))
        return created
    finally:
        admin.close()
