"""What each channel has delivered, on disk: so a restart never delivers a record to a channel twice.

The committed consumer offset says up to where *every* channel is done. A channel that ran ahead of the
others, or one that delivered a record just before a crash, would get that record again after a restart:
the ledger says which keys (``incident_id:seq``) each channel already took, and they are skipped. It also
keeps what a channel must go on sending while an incident is active (Alertmanager's alerts expire unless
sent again). SQLite in WAL mode: each mark is one small transaction, durable before the offset moves.

>>> import tempfile, pathlib
>>> ledger = DeliveryLedger(pathlib.Path(tempfile.mkdtemp()) / "ledger.sqlite")
>>> ledger.delivered("hook", "inc-1:0")
False
>>> ledger.mark("hook", "inc-1:0", at=100.0); ledger.delivered("hook", "inc-1:0")
True
>>> ledger.set_active("am", "inc-1", b"{}"); ledger.active("am")
{'inc-1': b'{}'}
>>> ledger.clear_active("am", "inc-1"); ledger.active("am")
{}
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS delivered (channel TEXT NOT NULL, key TEXT NOT NULL, at REAL NOT NULL,
                                      PRIMARY KEY (channel, key));
CREATE INDEX IF NOT EXISTS delivered_at ON delivered (at);
CREATE TABLE IF NOT EXISTS active (channel TEXT NOT NULL, incident_id TEXT NOT NULL, payload BLOB NOT NULL,
                                   PRIMARY KEY (channel, incident_id));
"""


class DeliveryLedger:
    """Delivered keys per channel (kept ``keep_s``), and the active incidents a channel re-sends."""

    def __init__(self, path: Path, keep_s: float = 14 * 86400.0) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.keep_s = keep_s
        self._db = sqlite3.connect(path, isolation_level=None)  # autocommit: each statement is durable
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def delivered(self, channel: str, key: str) -> bool:
        row = self._db.execute("SELECT 1 FROM delivered WHERE channel = ? AND key = ?", (channel, key)).fetchone()
        return row is not None

    def mark(self, channel: str, key: str, at: float) -> None:
        self._db.execute("INSERT OR IGNORE INTO delivered VALUES (?, ?, ?)", (channel, key, at))

    def prune(self, now: float) -> int:
        """Forget keys older than ``keep_s``: far behind any position a consumer could resume from."""
        return self._db.execute("DELETE FROM delivered WHERE at < ?", (now - self.keep_s,)).rowcount

    def set_active(self, channel: str, incident_id: str, payload: bytes) -> None:
        self._db.execute("INSERT OR REPLACE INTO active VALUES (?, ?, ?)", (channel, incident_id, payload))

    def clear_active(self, channel: str, incident_id: str) -> None:
        self._db.execute("DELETE FROM active WHERE channel = ? AND incident_id = ?", (channel, incident_id))

    def active(self, channel: str) -> dict[str, bytes]:
        rows = self._db.execute("SELECT incident_id, payload FROM active WHERE channel = ?", (channel,))
        return {incident_id: bytes(payload) for incident_id, payload in rows}

    def close(self) -> None:
        self._db.close()
