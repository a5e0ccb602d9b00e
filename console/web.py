"""The officers' console: an aiohttp application mounted at ``/console`` on the worker's web server.

Pages are static shells (``console/static``) whose script fills them from the JSON API with ``textContent``
only, under a Content-Security-Policy that allows no inline script: a post whose text is ``<script>`` shows
as text. Every page and API needs a session except the login page and its assets; every POST needs the
session's CSRF token in ``X-CSRF-Token`` (the login form a double-submit cookie's). The list stays live
through server-sent events (``/console/api/events``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web

from console.auth import Credentials, LoginThrottle, Session, Sessions, same_token
from console.feed import ConsoleFeed
from console.state import STATES, Filters
from schemas.errors import InvalidMessage
from schemas.feedback import FEEDBACK_LABELS, MAX_COMMENT_CHARS, Feedback
from schemas.fields import MAX_AUTHOR_CHARS, check_id

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
SESSION_COOKIE = "pantau_session"
LOGIN_CSRF_COOKIE = "pantau_login_csrf"
CSRF_HEADER = "X-CSRF-Token"
_PUBLIC = ("/console/login", "/console/static/")
_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
_SSE_HEARTBEAT_S = 15.0
_SSE_QUEUE = 1000  # changes a slow page may fall behind by before it is told to reload
_MAX_LIST = 500

# The model's view of a text, from the worker that holds detection; None elsewhere.
ScoreFn = Callable[[str, str | None], dict[str, Any] | None]


@dataclass
class ConsoleConfig:
    credentials: Credentials
    secure_cookie: bool = False  # set the Secure flag (behind TLS); it is also set for https requests
    session_idle_s: float = 2 * 3600.0
    session_max_s: float = 12 * 3600.0


@dataclass
class Console:
    feed: ConsoleFeed
    config: ConsoleConfig
    score: ScoreFn | None = None
    sessions: Sessions = field(init=False)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    _closing: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.sessions = Sessions(idle_s=self.config.session_idle_s, max_age_s=self.config.session_max_s)

    def close(self) -> None:
        """End the live event streams, so that the web server can stop at once."""
        self._closing.set()

    def application(self) -> web.Application:
        app = web.Application(middlewares=[self._headers, self._guard], client_max_size=64 * 1024)
        r = app.router
        r.add_get("", self._page("index.html"))
        r.add_get("/", self._page("index.html"))
        r.add_get("/login", self._login_page)
        r.add_post("/login", self._login)
        r.add_post("/logout", self._logout)
        r.add_get("/incidents/{incident_id}", self._page("incident.html"))
        r.add_static("/static/", STATIC, append_version=False)
        r.add_get("/api/me", self._me)
        r.add_get("/api/incidents", self._list)
        r.add_get("/api/incidents/{incident_id}", self._detail)
        r.add_post("/api/incidents/{incident_id}/feedback", self._feedback)
        r.add_get("/api/events", self._events)
        r.add_get("/api/score", self._score)
        return app

    # -- middleware ------------------------------------------------------------------------------------------

    @web.middleware
    async def _headers(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            response = exc
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if isinstance(response, web.HTTPException):
            raise response
        return response

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        path = request.path
        if path.startswith(_PUBLIC):
            return await handler(request)
        session = self.sessions.get(request.cookies.get(SESSION_COOKIE))
        if session is None:
            if path.startswith("/console/api/") or request.method != "GET":
                return _error(401, "not logged in")
            raise web.HTTPSeeOther(location="/console/login")
        if request.method == "POST" and not same_token(request.headers.get(CSRF_HEADER), session.csrf):
            return _error(403, "missing or wrong CSRF token")
        request["session"] = session
        return await handler(request)

    # -- pages and login -------------------------------------------------------------------------------------

    def _page(self, name: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def page(request: web.Request) -> web.StreamResponse:
            return web.FileResponse(STATIC / name, headers={"Content-Type": "text/html; charset=utf-8"})

        return page

    async def _login_page(self, request: web.Request) -> web.StreamResponse:
        response = web.FileResponse(STATIC / "login.html", headers={"Content-Type": "text/html; charset=utf-8"})
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
        # Readable by the page's script (it echoes it in the header), useless to another site (SameSite).
        self._set_cookie(request, response, LOGIN_CSRF_COOKIE, token, http_only=False, max_age=3600)
        return response

    async def _login(self, request: web.Request) -> web.StreamResponse:
        cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
        if cookie is None or not same_token(request.headers.get(CSRF_HEADER), cookie):
            return _error(403, "missing or wrong CSRF token")
        body = await _json_body(request)
        name, secret = body.get("name"), body.get("password")
        if not isinstance(name, str) or not isinstance(secret, str) or not name or len(name) > MAX_AUTHOR_CHARS:
            return _error(400, "give a name and a password or token")
        # Per name and client address: a guesser elsewhere cannot lock an officer out of their own desk.
        attempt = f"{name}\x00{request.remote}"
        wait = self.throttle.locked_for(attempt)
        if wait > 0:
            return _error(
                429, f"too many failed logins: try again in {wait:.0f} s", headers={"Retry-After": f"{wait:.0f}"}
            )
        # argon2 takes tens of milliseconds on purpose: off the event loop, so detection does not wait.
        ok = await asyncio.get_running_loop().run_in_executor(None, self.config.credentials.verify, name, secret)
        if not ok:
            self.throttle.failed(attempt)
            log.info("console: failed login for %r", name[:64])
            return _error(401, "wrong name or password")
        self.throttle.succeeded(attempt)
        token, session = self.sessions.open(name)
        log.info("console: %r logged in", name[:64])
        response = web.json_response({"officer": name, "csrf": session.csrf})
        self._set_cookie(request, response, SESSION_COOKIE, token, http_only=True, max_age=None)
        return response

    async def _logout(self, request: web.Request) -> web.StreamResponse:
        self.sessions.close(request.cookies.get(SESSION_COOKIE))
        response = web.json_response({"ok": True})
        response.del_cookie(SESSION_COOKIE, path="/console")
        return response

    def _set_cookie(
        self,
        request: web.Request,
        response: web.StreamResponse,
        name: str,
        value: str,
        http_only: bool,
        max_age: int | None,
    ) -> None:
        response.set_cookie(
            name,
            value,
            path="/console",
            httponly=http_only,
            samesite="Strict",
            secure=self.config.secure_cookie or request.secure,
            max_age=max_age,
        )

    # -- API -------------------------------------------------------------------------------------------------

    async def _me(self, request: web.Request) -> web.StreamResponse:
        session: Session = request["session"]
        return web.json_response(
            {
                "officer": session.officer,
                "csrf": session.csrf,
                "caught_up": self.feed.caught_up,
                "labels": list(FEEDBACK_LABELS),
                "states": list(STATES),
            }
        )

    async def _list(self, request: web.Request) -> web.StreamResponse:
        q = request.query

        def chosen(name: str) -> frozenset[str]:
            return frozenset(v for raw in q.getall(name, []) for v in raw.split(",") if v)

        filters = Filters(chosen("severity"), chosen("type"), chosen("country"), chosen("state"))
        views = self.feed.state.incidents(filters)
        return _json(
            {
                "incidents": [v.summary() for v in views[:_MAX_LIST]],
                "total": len(views),
                "facets": self.feed.state.facets(),
                "caught_up": self.feed.caught_up,
            }
        )

    async def _detail(self, request: web.Request) -> web.StreamResponse:
        view = self.feed.state.get(request.match_info["incident_id"])
        if view is None:
            return _error(404, "no such incident" + ("" if self.feed.caught_up else " (still loading)"))
        return _json(view.detail())

    async def _feedback(self, request: web.Request) -> web.StreamResponse:
        session: Session = request["session"]
        incident_id = request.match_info["incident_id"]
        body = await _json_body(request)
        label, comment = body.get("label"), body.get("comment")
        if label not in FEEDBACK_LABELS:
            return _error(400, f"label must be one of {', '.join(FEEDBACK_LABELS)}")
        if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT_CHARS):
            return _error(400, f"comment must be text of at most {MAX_COMMENT_CHARS} characters")
        try:
            check_id(incident_id, "incident_id")
        except InvalidMessage as exc:
            return _error(400, str(exc))
        if self.feed.state.get(incident_id) is None:
            return _error(404, "no such incident")
        feedback = Feedback(
            label=str(label), incident_id=incident_id, by=session.officer, comment=comment or None, at=time.time()
        )
        try:
            await self.feed.send_feedback(feedback)
        except Exception as exc:  # the broker away: the officer must know the label was not recorded
            log.warning("console: feedback not written: %r", exc)
            return _error(503, "the label could not be recorded (broker unavailable); try again")
        return _json({"recorded": orjson.loads(feedback.to_json())}, status=202)

    async def _score(self, request: web.Request) -> web.StreamResponse:
        text = request.query.get("text", "")
        if not text or len(text) > 10_000:
            return _error(400, "give a text of 1 to 10,000 characters")
        result = self.score(text, request.query.get("lang") or None) if self.score is not None else None
        if result is None:
            return _error(409, "detection runs on another worker: ask that one")
        return _json(result)

    async def _events(self, request: web.Request) -> web.StreamResponse:
        queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=_SSE_QUEUE)

        def changed(incident_id: str) -> None:
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(incident_id)

        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "X-Accel-Buffering": "no"})
        await response.prepare(request)
        unsubscribe = self.feed.subscribe(changed)
        closing = asyncio.ensure_future(self._closing.wait())
        try:
            await response.write(b"retry: 2000\n\n")
            while not self._closing.is_set():
                getter = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait(
                    {getter, closing}, timeout=_SSE_HEARTBEAT_S, return_when=asyncio.FIRST_COMPLETED
                )
                if getter not in done:
                    getter.cancel()
                    if not done:
                        await response.write(b": heartbeat\n\n")
                    continue
                incident_id = getter.result()
                view = self.feed.state.get(incident_id) if incident_id else None
                if view is not None:
                    await response.write(b"event: incident\ndata: " + orjson.dumps(view.summary()) + b"\n\n")
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            unsubscribe()
            closing.cancel()
        return response


def _json(obj: Any, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(obj), status=status, content_type="application/json")


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        body=orjson.dumps({"error": message}), status=status, content_type="application/json", headers=headers
    )


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = orjson.loads(await request.read())
    except orjson.JSONDecodeError:
        return {}
    return body if isinstance(body, dict) else {}
