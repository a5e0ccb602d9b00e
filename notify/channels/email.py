"""E-mail over SMTP with STARTTLS: plain text and HTML, one thread per incident.

Every message of an incident carries ``Message-ID`` ``<incident_id.seq@pantau>``; updates and the resolution
answer the first (``In-Reply-To``) and list the earlier ones (``References``), so mail clients show one
thread per incident. The ``Message-ID`` is also the idempotency key. Everything quoted from posts is escaped
in the HTML part.
"""

from __future__ import annotations

import asyncio
import html
import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

from notify.channels.base import DeliveringChannel, Delivery, DeliveryError
from schemas.alert import Alert
from schemas.post import format_ts

MESSAGE_DOMAIN = "pantau"
_KIND = {"raised": "New incident", "updated": "Update", "resolved": "Resolved"}


def message_id(incident_id: str, seq: int) -> str:
    return f"<{incident_id}.{seq}@{MESSAGE_DOMAIN}>"


def incident_email(alert: Alert, sender: str, recipients: tuple[str, ...], console_link: str = "") -> EmailMessage:
    """The message for a record, threaded under the incident's first message.

    >>> record = Alert(incident_id="inc-1", seq=2, kind="updated", at=0.0, first_seen=0.0, title="<i>x</i>",
    ...                type_code="114", type_label="complain", severity="high", confidence=0.9)
    >>> mail = incident_email(record, "pantau@example.org", ("duty@example.org",))
    >>> mail["Message-ID"], mail["In-Reply-To"], mail["References"]
    ('<inc-1.2@pantau>', '<inc-1.0@pantau>', '<inc-1.0@pantau> <inc-1.1@pantau>')
    >>> "&lt;i&gt;x&lt;/i&gt;" in mail.get_body(("html",)).get_content()
    True
    """
    mail = EmailMessage()
    mail["Subject"] = f"[Pantau {alert.severity.upper()}] {alert.title} ({alert.incident_id})"
    mail["From"] = sender
    mail["To"] = ", ".join(recipients)
    mail["Date"] = format_datetime(datetime.now(tz=UTC))
    mail["Message-ID"] = message_id(alert.incident_id, alert.seq)
    if alert.seq > 0:
        mail["In-Reply-To"] = message_id(alert.incident_id, 0)
        mail["References"] = " ".join(message_id(alert.incident_id, s) for s in range(alert.seq))
    facts = [
        ("Type", f"{alert.type_code} {alert.type_label}"),
        ("Severity", alert.severity),
        ("Confidence", f"{alert.confidence:.2f}"),
        ("Countries", ", ".join(alert.countries) or "-"),
        ("Languages", ", ".join(alert.languages) or "-"),
        ("Terms", ", ".join(t.term for t in alert.terms[:10]) or "-"),
        ("First post", format_ts(alert.first_seen)),
        ("This record", f"{alert.kind} #{alert.seq} at {format_ts(alert.at)}"),
        ("Posts", f"{alert.n_posts} ({alert.n_news} news, {alert.n_sources} sources)"),
    ]
    samples = [" ".join(s.text.split())[:400] for s in alert.samples[:3]]
    heading = f"{_KIND.get(alert.kind, alert.kind)}: {alert.title}"
    text = [heading, "", *(f"{k}: {v}" for k, v in facts), "", f"Why: {alert.reason}", ""]
    text += [f"> {s}" for s in samples]
    if console_link:
        text += ["", f"Console: {console_link}"]
    mail.set_content("\n".join(text))
    rows = "".join(f"<tr><th align='left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in facts)
    quotes = "".join(f"<blockquote>{html.escape(s)}</blockquote>" for s in samples)
    link = f"<p><a href='{html.escape(console_link, quote=True)}'>Open in the console</a></p>" if console_link else ""
    mail.add_alternative(
        f"<html><body><h2>{html.escape(heading)}</h2><table>{rows}</table>"
        f"<p><b>Why:</b> {html.escape(alert.reason)}</p>{quotes}{link}</body></html>",
        subtype="html",
    )
    return mail


class EmailChannel(DeliveringChannel):
    """Sends through ``config.smtp_host``: STARTTLS (verified against the system's CAs or ``ca_file``), then
    a login if a username is set."""

    async def send(self, delivery: Delivery) -> None:
        mail = incident_email(
            delivery.alert, self.config.sender, self.config.recipients, self.console_link(delivery.alert)
        )
        await asyncio.to_thread(self._send, mail)

    def _send(self, mail: EmailMessage) -> None:
        config = self.config
        try:
            with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.timeout_s) as smtp:
                smtp.ehlo()
                if config.starttls:
                    context = ssl.create_default_context(cafile=config.ca_file or None)
                    smtp.starttls(context=context)
                    smtp.ehlo()
                if config.username:
                    smtp.login(config.username, config.password)
                smtp.send_message(mail)
        except smtplib.SMTPResponseException as exc:
            # 4xx: try again later; 5xx: refused for good (RFC 5321, 4.2.1).
            raise DeliveryError(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", retryable=exc.smtp_code < 500) from None
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"recipients refused: {sorted(exc.recipients)}", retryable=False) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from None
