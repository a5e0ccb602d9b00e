"""What a worker's consumer is doing, for the question "why does this partition not move?".

Served at ``/debug/consumer`` as JSON. Faust and aiokafka keep this state in private attributes and in the
consumer's own thread, so every read here is best-effort: a missing attribute reads as ``None`` and never
fails the request. (``kill -USR1`` on a worker additionally logs every task's stack: Faust's own handler.)
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import faust


def _get(obj: object, *path: str) -> Any:
    for name in path:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


def _tp_name(tp: Any) -> str:
    return f"{tp.topic}[{tp.partition}]"


def consumer_state(app: faust.App) -> dict[str, Any]:
    """Per assigned partition: Faust's view (read, committed, active) and aiokafka's (position, highwater,
    paused, prefetched), plus the fetch machinery between them."""
    consumer: Any = app.consumer
    active = _get(consumer, "_active_partitions") or set()
    paused = _get(consumer, "_paused_partitions") or set()
    buffered = _get(consumer, "_buffered_partitions") or set()
    read = _get(consumer, "_read_offset") or {}
    committed = _get(consumer, "_committed_offset") or {}
    thread = _get(consumer, "_thread")
    kafka = _get(thread, "_consumer")
    fetcher = _get(kafka, "_fetcher")
    assignment = _get(kafka, "_subscription", "subscription", "assignment")
    prefetched = dict(_get(fetcher, "_records") or {})
    try:
        assigned = sorted(consumer.assignment(), key=_tp_name)
    except Exception:  # not yet assigned
        assigned = []
    partitions: dict[str, Any] = {}
    for tp in assigned:
        row: dict[str, Any] = {
            "read": read.get(tp),
            "committed": committed.get(tp),
            "active": tp in active,
            "paused": tp in paused,
            "buffered": tp in buffered,
        }
        state = None
        if assignment is not None:
            try:
                state = assignment.state_value(tp)
            except Exception:  # assignment changed under us
                state = None
        if state is not None:
            row.update(
                kafka_position=_get(state, "_position"),
                kafka_highwater=_get(state, "highwater"),
                kafka_paused=bool(_get(state, "paused")),
                kafka_valid_position=bool(_get(state, "has_valid_position")),
                last_fetch_age_s=None if state.timestamp is None else round(time.time() - state.timestamp / 1000, 1),
            )
        row["prefetched"] = tp in prefetched
        partitions[_tp_name(tp)] = row
    method_queue = _get(thread, "_method_queue", "_queue")
    return {
        "flow_active": bool(_get(consumer, "flow_active")),
        "suspended": bool(_get(consumer, "suspend_flow") and consumer.suspend_flow.is_set()),
        "rebalancing": bool(app.rebalancing),
        "unacked_messages": len(_get(consumer, "_unacked_messages") or ()),
        "consumer_thread_calls_waiting": method_queue.qsize() if method_queue is not None else None,
        "fetches_in_flight_to_nodes": sorted(_get(fetcher, "_in_flight") or ()),
        "fetch_tasks_pending": len(_get(fetcher, "_pending_tasks") or ()),
        "channels_queued": {
            str(getattr(chan, "topics", chan)): chan.queue.qsize()
            for chan in list(_get(app, "topics", "_topics") or ())
            if getattr(chan, "_queue", None) is not None
        },
        "partitions": partitions,
        "producer": producer_state(app),
        "tasks": _task_summary(),
        "agents": _agent_stacks(app),
    }


def _agent_stacks(app: faust.App) -> dict[str, list[str]]:
    """Where each agent's actor is: the stack of its async generator (Faust formats it)."""
    try:
        return {name: [tb.strip() for tb in tracebacks] for name, tracebacks in app.agents.actor_tracebacks().items()}
    except Exception as exc:  # best-effort, like everything here
        return {"error": [repr(exc)]}


def producer_state(app: faust.App) -> dict[str, Any]:
    """The producer between our ``send`` and the broker: batches waiting per partition, partitions with a
    request in flight (one per broker node at a time), and requests each connection still awaits an answer to."""
    kafka = _get(app, "producer", "_producer")
    sender = _get(kafka, "_sender")
    batches = _get(kafka, "_message_accumulator", "_batches") or {}
    conns = _get(kafka, "client", "_conns") or {}
    return {
        "batches_waiting": {_tp_name(tp): len(queue) for tp, queue in dict(batches).items() if queue},
        "nodes_in_flight": sorted(_get(sender, "_in_flight") or ()),
        "partitions_in_flight": sorted(_tp_name(tp) for tp in (_get(sender, "_muted_partitions") or ())),
        # Topics named in each metadata update; one missing from here loses its leader (see app.py).
        "metadata_topics": sorted(_get(kafka, "client", "_topics") or ()),
        "requests_awaiting_answer": {str(key): len(_get(conn, "_requests") or ()) for key, conn in dict(conns).items()},
    }


def _task_summary() -> list[str]:
    """Each task of the event loop as its chain of awaits, outermost first: where it is waiting."""
    lines = []
    for task in asyncio.all_tasks():
        chain: list[str] = []
        awaited: Any = task.get_coro()
        while awaited is not None and len(chain) < 12:
            frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "ag_frame", None)
            name = getattr(awaited, "__qualname__", type(awaited).__name__)
            chain.append(f"{name}:{frame.f_lineno}" if frame is not None else name)
            awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "ag_await", None)
        lines.append(" > ".join(chain))
    return sorted(lines)
