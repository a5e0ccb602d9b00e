"""A webhook receiver that verifies what Pantau sends and prints it: ``pantau receive``.

``make run`` delivers to one on loopback, so a newcomer sees the signed CloudEvents arrive. It also shows a
receiver's duties: verify the Standard Webhooks signature (any of the active secrets), refuse a stale
timestamp, and drop a copy by its ``webhook-id``.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from typing import IO

import orjson
from aiohttp import web
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from streams.logs import escape

_SEEN = 100_000  # webhook-ids remembered for de-duplication


def receiver_app(secrets: list[str], out: IO[str] | None = None) -> web.Application:
    """An aiohttp app answering ``POST /hook``: 204 for a verified event, 401 for a bad signature."""
    verifiers = [Webhook(secret) for secret in secrets]
    seen: OrderedDict[str, None] = OrderedDict()
    stream = out if out is not None else sys.stdout

    async def hook(request: web.Request) -> web.Response:
        body = await request.read()
        headers = dict(request.headers)
        for verifier in verifiers:
            try:
                verifier.verify(body, headers)
                break
            except (WebhookVerificationError, ValueError):  # a malformed signature header raises ValueError
                continue
        else:
            return web.json_response({"error": "signature not verified"}, status=401)
        msg_id = request.headers["webhook-id"]  # present: verification requires it
        if msg_id in seen:
            return web.Response(status=204)  # a copy: already taken
        seen[msg_id] = None
        if len(seen) > _SEEN:
            seen.popitem(last=False)
        event = orjson.loads(body)
        data = event.get("data", {})
        line = (
            f"webhook: {event.get('type', '?').rsplit('.', 1)[-1]:<8} {event.get('subject')} #{data.get('seq')} "
            f"[{str(data.get('severity', '')).upper()}] {data.get('title', '')}"
        )
        stream.write(escape(line) + "\n")
        stream.flush()
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", hook)
    return app


def serve(host: str, port: int, secrets: list[str]) -> None:
    web.run_app(receiver_app(secrets), host=host, port=port, print=None)
