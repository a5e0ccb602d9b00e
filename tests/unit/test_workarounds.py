"""streams.workarounds: each one still finds the library internals it was written against.

An upgrade of Faust, aiokafka or kafka-python that moves one of them fails here, by name, instead of as a
worker whose fetches wait 1.5 s, whose alerts stall for a leader, or whose records expire unretried.
"""

from __future__ import annotations

import inspect

import aiokafka
import pytest
from aiokafka.producer.message_accumulator import MessageAccumulator
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread, Producer
from kafka import KafkaAdminClient

from streams import workarounds


def test_faust_still_hard_codes_the_fetch_wait_that_bound_fetch_wait_replaces() -> None:
    source = inspect.getsource(AIOKafkaConsumerThread._create_worker_consumer)
    assert "fetch_max_wait_ms=1500" in source.replace(" ", "")
    assert "_fetch_max_wait_ms" in inspect.getsource(aiokafka.AIOKafkaConsumer.__init__)


def test_the_producer_internals_the_delivery_time_and_the_publisher_set_are_there() -> None:
    init = inspect.getsource(aiokafka.AIOKafkaProducer.__init__)
    assert "self._request_timeout_ms" in init and "self._message_accumulator" in init
    assert "self._batch_ttl" in inspect.getsource(MessageAccumulator.__init__)
    assert callable(Producer._new_producer)


def test_the_producer_client_still_tracks_topics_as_track_output_topics_expects() -> None:
    from aiokafka.client import AIOKafkaClient

    assert callable(AIOKafkaClient.add_topic) and callable(AIOKafkaClient._wait_on_metadata)
    assert "self._topics" in inspect.getsource(AIOKafkaClient.__init__)


def test_the_group_admin_overrides_a_method_kafka_python_still_calls() -> None:
    assert callable(getattr(KafkaAdminClient, "_process_acl_operations", None))
    assert workarounds.GroupAdmin._process_acl_operations is not KafkaAdminClient._process_acl_operations
    obj = {"group_id": "g", "authorized_operations": 0xFFFFFFFF}
    assert workarounds.GroupAdmin._process_acl_operations(None, obj) == {"group_id": "g"}  # type: ignore[arg-type]


class _Factory:
    def make(self, value: int) -> dict[str, int]:
        return {"value": value}


def test_wrapping_a_factory_twice_adjusts_each_new_client_once() -> None:
    seen: list[dict[str, int]] = []
    for _ in range(2):  # building a second app wraps the original again, not the first wrapper
        workarounds._adjust_created(_Factory, "make", seen.append)
    client = _Factory().make(7)
    assert client == {"value": 7} and seen == [client]


@pytest.mark.parametrize("name", workarounds.__all__)
def test_every_workaround_says_why(name: str) -> None:
    doc = inspect.getdoc(getattr(workarounds, name)) or ""
    assert len(doc) > 150, f"{name} needs its reason (what breaks without it, and where upstream)"
