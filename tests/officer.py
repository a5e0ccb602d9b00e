"""An officer at the console, over HTTP: a cookie jar, a login with the CSRF token, JSON requests."""

from __future__ import annotations

import http.cookiejar
import time
import urllib.error
import urllib.request
from typing import Any

import orjson

OFFICER, PASSWORD = "duty-2", "a long enough password"


class Officer:
    """A browser's worth of HTTP: a cookie jar, the CSRF token after login."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self.csrf: str | None = None
        self.name, self.password = OFFICER, PASSWORD

    def request(
        self, method: str, path: str, body: Any = None, csrf: str | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        data = None if body is None else orjson.dumps(body)
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if csrf is not None:
            req.add_header("X-CSRF-Token", csrf)
        try:
            with self.opener.open(req, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def login(self, password: str | None = None) -> tuple[int, dict[str, str], bytes]:
        self.request("GET", "/console/login")
        token = next(c.value for c in self.jar if c.name == "pantau_login_csrf")
        status, headers, body = self.request(
            "POST", "/console/login", {"name": self.name, "password": password or self.password}, token
        )
        if status == 200:
            self.csrf = orjson.loads(body)["csrf"]
        return status, headers, body

    def get_json(self, path: str) -> Any:
        status, _, body = self.request("GET", path)
        assert status == 200, (path, status, body)
        return orjson.loads(body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def wait_for(predicate: Any, timeout_s: float = 30.0) -> Any:
    """Poll ``predicate`` until it gives something true or the time is up; its last value."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)
