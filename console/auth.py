"""Who may use the console: officers' hashed credentials, server-side sessions, CSRF tokens, login throttling.

The credentials file is TOML, one argon2id hash per officer (``pantau console-user`` writes it)::

    [officers]
    duty-1 = "$argon2id$v=19$m=65536,t=3,p=4$..."

A password or a long random token is checked the same way: only its hash is stored. The file is read again
when it changes, so an officer added or removed takes effect without a restart.

>>> creds = Credentials.from_hashes({"duty-1": hash_secret("correct horse")})
>>> creds.verify("duty-1", "correct horse"), creds.verify("duty-1", "wrong"), creds.verify("nobody", "x")
(True, False, False)
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

log = logging.getLogger(__name__)

_HASHER = PasswordHasher()
# Verified for an unknown name, so that a wrong name costs as long as a wrong password (no name probing).
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


def hash_secret(secret: str) -> str:
    return _HASHER.hash(secret)


class Credentials:
    """Officer name -> argon2 hash, from a TOML file (read again when its modification time changes)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._hashes: dict[str, str] = {}
        self._mtime: float | None = None
        if path is not None:
            self._reload()

    @classmethod
    def from_hashes(cls, hashes: Mapping[str, str]) -> Credentials:
        creds = cls()
        creds._hashes = dict(hashes)
        return creds

    def _reload(self) -> None:
        assert self.path is not None
        try:
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            self._hashes, self._mtime = {}, None
            return
        if mtime == self._mtime:
            return
        try:
            doc = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            # Keep the officers already known: a half-written file must not lock everyone out.
            log.error("console credentials %s unreadable, keeping the previous ones: %s", self.path, exc)
            return
        officers = doc.get("officers", {})
        self._hashes = (
            {str(k): str(v) for k, v in officers.items() if isinstance(v, str)} if isinstance(officers, dict) else {}
        )
        self._mtime = mtime
        log.info("console credentials: %d officers", len(self._hashes))

    def names(self) -> list[str]:
        if self.path is not None:
            self._reload()
        return sorted(self._hashes)

    def verify(self, name: str, secret: str) -> bool:
        if self.path is not None:
            self._reload()
        stored = self._hashes.get(name)
        try:
            return _HASHER.verify(stored or _DUMMY_HASH, secret) and stored is not None
        except VerifyMismatchError:
            return False
        except (VerificationError, InvalidHashError):
            log.error("console credentials: the hash stored for %r is not a valid argon2 hash", name)
            return False


def write_officer(path: Path, name: str, secret: str) -> None:
    """Add or replace one officer's hash in the credentials file (created with owner-only permissions)."""
    officers: dict[str, str] = {}
    if path.exists():
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        officers = {str(k): str(v) for k, v in doc.get("officers", {}).items()}
    officers[name] = hash_secret(secret)
    lines = ["# Pantau console officers: argon2id hashes (pantau console-user). No secrets here.", "[officers]"]
    lines += [f"{_toml_key(k)} = {_toml_str(v)}" for k, v in sorted(officers.items())]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_key(name: str) -> str:
    return name if name.replace("-", "").replace("_", "").isalnum() and name.isascii() else _toml_str(name)


@dataclass(slots=True)
class Session:
    officer: str
    csrf: str
    created: float
    last_used: float


class Sessions:
    """Server-side sessions: the cookie holds a random token, the server only its SHA-256.

    Args:
        idle_s: a session unused this long ends.
        max_age_s: ... and every session ends this long after login (one duty shift).
    """

    def __init__(self, idle_s: float = 2 * 3600.0, max_age_s: float = 12 * 3600.0) -> None:
        self.idle_s = idle_s
        self.max_age_s = max_age_s
        self._by_digest: dict[str, Session] = {}

    @staticmethod
    def _digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def open(self, officer: str) -> tuple[str, Session]:
        self._expire()
        token = secrets.token_urlsafe(32)
        now = time.monotonic()
        session = Session(officer=officer, csrf=secrets.token_urlsafe(32), created=now, last_used=now)
        self._by_digest[self._digest(token)] = session
        return token, session

    def get(self, token: str | None) -> Session | None:
        if not token:
            return None
        session = self._by_digest.get(self._digest(token))
        now = time.monotonic()
        if session is None or now - session.last_used > self.idle_s or now - session.created > self.max_age_s:
            return None
        session.last_used = now
        return session

    def close(self, token: str | None) -> None:
        if token:
            self._by_digest.pop(self._digest(token), None)

    def _expire(self) -> None:
        now = time.monotonic()
        stale = [
            d for d, s in self._by_digest.items() if now - s.last_used > self.idle_s or now - s.created > self.max_age_s
        ]
        for digest in stale:
            del self._by_digest[digest]


def same_token(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class LoginThrottle:
    """Failed logins per officer name: past ``max_failures`` within ``window_s`` the name waits ``lockout_s``."""

    def __init__(self, max_failures: int = 5, window_s: float = 300.0, lockout_s: float = 60.0) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self.lockout_s = lockout_s
        self._failures: dict[str, list[float]] = {}

    def locked_for(self, name: str) -> float:
        """Seconds the name must still wait; 0 when it may try."""
        now = time.monotonic()
        recent = [t for t in self._failures.get(name, []) if now - t < self.window_s]
        self._failures[name] = recent
        if len(recent) < self.max_failures:
            return 0.0
        return max(0.0, recent[-1] + self.lockout_s - now)

    def failed(self, name: str) -> None:
        self._failures.setdefault(name, []).append(time.monotonic())
        if len(self._failures) > 10_000:  # names tried at random: forget the oldest
            self._failures.pop(next(iter(self._failures)))

    def succeeded(self, name: str) -> None:
        self._failures.pop(name, None)
