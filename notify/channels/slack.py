"""Slack incoming webhook: a Block Kit message with title, type, severity, countries, terms, two samples and
a console link.

An incoming webhook can post, not edit: each update of an incident is a new message that names the incident
and its sequence number. (Updating one message in place needs a bot token and ``chat.update``.)
"""

from __future__ import annotations

from typing import Any

import orjson

from notify.channels.base import Delivery, HttpChannel, idempotency_headers
from schemas.alert import Alert

_KIND = {"raised": "New incident", "updated": "Update", "resolved": "Resolved"}
_SEVERITY_EMOJI = {
    "critical": ":red_circle:",
    "high": ":large_orange_circle:",
    "medium": ":large_yellow_circle:",
    "low": ":white_circle:",
}


def _mrkdwn(text: str) -> str:
    """Slack's three control characters, escaped as its docs require (& < >); nothing else is markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_message(alert: Alert, console_link: str = "") -> dict[str, Any]:
    """The Block Kit payload for a record.

    >>> record = Alert(incident_id="inc-1", seq=0, kind="raised", at=0.0, first_seen=0.0, title="<b>x</b>",
    ...                type_code="114", type_label="complain", severity="high", confidence=0.9)
    >>> message = slack_message(record, "https://pantau.example/console/incidents/inc-1")
    >>> [block["type"] for block in message["blocks"]]
    ['header', 'section', 'section', 'actions', 'context']
    >>> message["blocks"][0]["text"]["text"]
    'New incident: <b>x</b>'
    """
    title = f"{_KIND.get(alert.kind, alert.kind)}: {alert.title}"
    terms = ", ".join(t.term for t in alert.terms[:8]) or "-"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150], "emoji": False}},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*Type*\n{_mrkdwn(alert.type_code)} {_mrkdwn(alert.type_label)}"},
                {"type": "mrkdwn", "text": f"*Severity*\n{_SEVERITY_EMOJI.get(alert.severity, '')} {alert.severity}"},
                {"type": "mrkdwn", "text": f"*Countries*\n{_mrkdwn(', '.join(alert.countries) or '-')}"},
                {"type": "mrkdwn", "text": f"*Terms*\n{_mrkdwn(terms)}"},
            ],
        },
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "\n".join(f"> {_mrkdwn(' '.join(s.text.split())[:280])}" for s in alert.samples[:2])
                or _mrkdwn(alert.reason or "-"),
            },
        },
    ]
    if console_link:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {"type": "button", "text": {"type": "plain_text", "text": "Open in console"}, "url": console_link}
                ],
            }
        )
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"{alert.incident_id} #{alert.seq}"}]})
    return {"text": title, "blocks": blocks}


class SlackChannel(HttpChannel):
    async def send(self, delivery: Delivery) -> None:
        body = orjson.dumps(slack_message(delivery.alert, self.console_link(delivery.alert)))
        await self.post(body, {"Content-Type": "application/json", **idempotency_headers(delivery)})
