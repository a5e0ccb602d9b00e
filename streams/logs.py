"""Log lines an operator can trust: one line per record whatever a field holds, and few lines under attack.

Two parts:

- :func:`install_safe_records` makes every log record of the process escape what a hostile field could bring:
  a newline would start a forged line, and control or bidirectional characters change how a terminal shows
  one. The message is escaped after formatting, so no call site can forget it; an exception's message is
  escaped too (its traceback keeps its own lines).
- :class:`RejectSummary` logs rejected messages by reason, not one line each: the first of each step and
  reason in an interval at once, with its detail, then one count per interval. The full detail of every
  reject is in the dead-letter topic.

>>> escape("ok\\nforged\\u202e")
'ok\\\\nforged\\\\u202e'
"""

from __future__ import annotations

import logging
import re
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# What a log line may not hold as it is: C0 and C1 controls (tab aside), DEL, line and paragraph separators
# and the bidirectional formatting characters.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def escape(text: str) -> str:
    """``text`` with every character that could forge or disguise a log line written as an escape."""
    return _UNSAFE.sub(_escaped, text)


class _SafeRecord(logging.LogRecord):
    def getMessage(self) -> str:  # logging's own name
        return escape(super().getMessage())


def _safe_exception_text(exc_info: Any) -> str:
    # The traceback's frames are ours; the exception's message (and its causes') may quote input.
    formatted = traceback.TracebackException(*exc_info[:3])
    pending = [formatted]
    while pending:
        current = pending.pop()
        if hasattr(current, "_str"):  # CPython 3.11+: the message that format_exception_only prints
            current._str = escape(current._str)
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
        pending.extend(getattr(current, "exceptions", None) or ())
    return "".join(formatted.format()).rstrip("\n")


def _safe_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _SafeRecord(*args, **kwargs)
    if record.exc_info and record.exc_info[0] is not None:
        # Set before a formatter formats it (formatters reuse exc_text when it is there).
        record.exc_text = _safe_exception_text(record.exc_info)
    return record


def install_safe_records() -> None:
    """Every log record of this process escapes its message (idempotent; Faust's and libraries' included)."""
    logging.setLogRecordFactory(_safe_record)


@dataclass
class _Window:
    first: str  # the first reject's readable description, as logged
    more: int = 0


class RejectSummary:
    """Rejected messages in the log: the first per (step, reason) and interval at once, then counts.

    Args:
        logger: where the lines go (WARNING).
        interval_s: the summary interval.
        clock: monotonic seconds (tests pass their own).

    >>> lines = []
    >>> class Capture(logging.Handler):
    ...     def emit(self, record): lines.append(record.getMessage())
    >>> logger = logging.getLogger("doctest.rejects"); logger.addHandler(Capture()); logger.propagate = False
    >>> now = [0.0]
    >>> summary = RejectSummary(logger, interval_s=10.0, clock=lambda: now[0])
    >>> for i in range(500):
    ...     summary.note("normalise", "invalid_json", f"posts[0]@{i}", "message is not valid JSON")
    >>> now[0] = 10.0
    >>> summary.flush()
    >>> lines
    ['rejected at normalise (invalid_json) posts[0]@0: message is not valid JSON', \
'499 more rejected at normalise (invalid_json) in the last 10 s; the dead-letter topic has each one']
    """

    def __init__(
        self, logger: logging.Logger, interval_s: float = 10.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.logger = logger
        self.interval_s = interval_s
        self.clock = clock
        self._windows: dict[tuple[str, str], _Window] = {}
        self._started = clock()

    def note(self, step: str, reason: str, where: str, detail: str) -> None:
        """One rejected message: ``where`` names it (topic, partition, offset, batch index)."""
        if self.clock() - self._started >= self.interval_s:
            self.flush()
        window = self._windows.get((step, reason))
        if window is None:
            first = f"{where}: {detail}"
            self._windows[(step, reason)] = _Window(first)
            self.logger.warning("rejected at %s (%s) %s", step, reason, first)
        else:
            window.more += 1

    def flush(self) -> None:
        """Log the counts of the interval that ends now, and start the next one."""
        now = self.clock()
        elapsed = now - self._started
        for (step, reason), window in sorted(self._windows.items()):
            if window.more:
                self.logger.warning(
                    "%d more rejected at %s (%s) in the last %.0f s; the dead-letter topic has each one",
                    window.more,
                    step,
                    reason,
                    elapsed,
                )
        self._windows.clear()
        self._started = now
