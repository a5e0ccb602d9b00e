"""Every place where Pantau reaches into Faust's, aiokafka's or kafka-python's internals, and why.

Each workaround names the library version it was written against, what goes wrong without it, and the
upstream issue where there is one. When a library is upgraded, read this module first: a test holds each
workaround to the internals it touches (``tests/unit/test_workarounds.py``), so an upgrade that moves them
fails there, by name, rather than as a stalled worker.

Written against faust-streaming 0.15, aiokafka 0.14 and kafka-python 3.0, on Tansu 0.6 and Kafka 3.x.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

import faust
from kafka import KafkaAdminClient
from kafka.admin import MemberToRemove

log = logging.getLogger(__name__)

__all__ = [
    "GroupAdmin",
    "bound_delivery_time",
    "bound_fetch_wait",
    "expire_batches_at_once",
    "group_member_id",
    "leave_group",
    "track_output_topics",
]


def _adjust_created(cls: Any, factory: str, adjust: Callable[[Any], None]) -> None:
    """Wrap ``cls.factory`` (a Faust method that creates an aiokafka client) so ``adjust`` sees each new
    client. Idempotent: building another app re-wraps the original, not the previous wrapper."""
    marker = f"_pantau_original_{factory}"
    original = cls.__dict__.get(marker) or getattr(cls, factory)
    setattr(cls, marker, original)

    def created(self: Any, *args: Any, **kwargs: Any) -> Any:
        client = original(self, *args, **kwargs)
        adjust(client)
        return client

    setattr(cls, factory, created)


def bound_fetch_wait(ms: int) -> None:
    """Faust creates its aiokafka consumer with ``fetch_max_wait_ms=1500`` written into
    ``AIOKafkaConsumerThread._create_worker_consumer``, with no setting to change it (no upstream issue
    found). Every fetch of an idle partition then holds the consumer for 1.5 s, which adds to each step's
    latency when a topic is quiet. The consumer reads the value when it starts, so setting it on the new
    consumer is enough."""
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    def adjust(consumer: Any) -> None:
        consumer._fetch_max_wait_ms = ms

    _adjust_created(AIOKafkaConsumerThread, "_create_worker_consumer", adjust)


def bound_delivery_time(seconds: float) -> None:
    """aiokafka uses its one request timeout for three things: the network wait for an answer, how long a
    record batch may live, and how long ``send`` waits for room behind a batch in flight. So a request that
    timed out was never retried (its batch had expired), and every send queued behind it failed too
    (aio-libs/aiokafka#197). Kafka separates them since KIP-91 (request.timeout.ms, delivery.timeout.ms); so
    do we: the client keeps the short network timeout, and batches and senders get the delivery time. A lost
    answer then costs a retry, not records."""
    from faust.transport.drivers.aiokafka import Producer

    def adjust(producer: Any) -> None:
        producer._request_timeout_ms = int(seconds * 1000)  # send's wait for room, not the network wait
        producer._message_accumulator._batch_ttl = seconds

    _adjust_created(Producer, "_new_producer", adjust)


def expire_batches_at_once(producer: Any) -> None:
    """The opposite choice for the alert publisher's own aiokafka producer: every batch is born expired, so
    aiokafka retries no failed request (after a timeout or a dropped connection the broker may have written
    it, and without an idempotent producer a retry could write an alert record twice; Tansu has none, field
    notes). The failure comes to the publisher, which reads the topic back before it sends again."""
    producer._message_accumulator._batch_ttl = 0.0


def group_member_id(app: faust.App) -> str | None:
    """The member id aiokafka's group coordinator holds. Faust exposes no member id (it reaches it through
    ``app.consumer._thread._ensure_consumer()._coordinator``), and :func:`leave_group` must name it, so the
    worker reads it once the group is joined and keeps it for its stop."""
    try:
        return str(app.consumer._thread._ensure_consumer()._coordinator.member_id) or None  # type: ignore[attr-defined]
    except Exception:  # not joined yet, or another transport
        return None


def leave_group(
    bootstrap: str, group: str, member_id: str | None, client_options: dict[str, Any], timeout_s: float = 5.0
) -> None:
    """Leave the consumer group once the worker has stopped, with the LeaveGroup that names its members.

    aiokafka sends LeaveGroup v0-1 when it stops; Tansu 0.6 ignores that (found here, no upstream issue
    found), and lists the member until the next rebalance. The other workers would then wait out a member
    that is gone, and ``pantau rewind`` would see a running worker. Kafka has removed the member already,
    and answers that it is unknown: harmless.
    """
    if not member_id:
        return
    try:
        admin = KafkaAdminClient(
            bootstrap_servers=bootstrap, request_timeout_ms=int(timeout_s * 1000), **client_options
        )
        try:
            admin.remove_group_members(group, [MemberToRemove(member_id=member_id)])
        finally:
            admin.close()
    except Exception as exc:  # the broker has gone first: the member expires with its session
        log.info("left the group only by its session timing out: %r", exc)


async def track_output_topics(app: faust.App, names: Iterable[str]) -> None:
    """Name every topic we send to in the producer's metadata, once, at start.

    aiokafka's producer starts by fetching metadata for all topics; the first send to a topic it does not know
    (the first alert, say) switches it to fetching only the topics it was told about. The internal topic it
    already knew then drops out of its view, its leader reads as unknown, and its batches wait for a leader
    until they expire: every send of the worker stalled (20 min with Faust's defaults; seen in CI, no upstream
    issue found). Naming all of them up front keeps each one in every metadata update.
    """
    client = app.producer._producer.client  # type: ignore[attr-defined]
    names = list(names)
    for name in names:  # all at once, before anything can be sent
        client.add_topic(name)
    for name in names:
        try:
            # Also creates a missing output topic now (auto-creation), not on the first alert.
            await client._wait_on_metadata(name)
        except Exception as exc:  # the broker is slow to answer: the topic stays tracked, the first send waits
            log.warning("no metadata yet for %s: %r", name, exc)
    log.info("producer tracks metadata of %s", ", ".join(sorted(client._topics)))


class GroupAdmin(KafkaAdminClient):  # type: ignore[misc]  # kafka-python ships no type information
    """kafka-python 3.0 asks DescribeGroups for the authorized operations whether or not we want them, and fails
    on a bit it has no name for. Tansu 0.6 sets all 32 (found here, no upstream issue found). We never read
    them, so they are dropped before kafka-python decodes them."""

    def _process_acl_operations(self, obj: dict[str, Any]) -> dict[str, Any]:
        obj.pop("authorized_operations", None)
        return obj
