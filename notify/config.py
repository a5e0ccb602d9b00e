"""The delivery configuration: channels and their routes, from one TOML file (``PANTAU_NOTIFY_CONFIG``).

Secrets never live in that file. A channel names the environment variables (``*_env``) or files
(``*_file``) that hold them, and they are read when the service starts. They are kept out of every ``repr``,
log line and metric.

```toml
console_url = "https://pantau.example/console"

[[channel]]
name = "duty-webhook"
kind = "webhook"                      # webhook | alertmanager | slack | email
url = "https://hooks.example/pantau"
secrets_env = ["PANTAU_WEBHOOK_SECRET", "PANTAU_WEBHOOK_SECRET_PREVIOUS"]   # several during a rotation
deadline_s = 300                      # retried with backoff this long, then dead-lettered
[channel.route]
min_severity = "medium"               # low | medium | high | critical
types = ["11", "114", "16", "CONSULAR"]   # CAMEO codes (a code also matches its sub-codes: "16" takes "161")
countries = ["AU", "MY"]              # any of them
languages = ["id", "en"]
```

>>> config = parse_config('''
... [[channel]]
... name = "w"
... kind = "webhook"
... url = "http://127.0.0.1:9/hook"
... secrets_env = ["SECRET_A"]
... [channel.route]
... min_severity = "high"
... ''', environ={"SECRET_A": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})
>>> channel = config.channels[0]
>>> channel.name, channel.route.min_severity, len(channel.secrets)
('w', 'high', 1)
>>> "MfKQ" in repr(channel)
False
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.alert import SEVERITIES, Alert

CHANNEL_KINDS = ("webhook", "alertmanager", "slack", "email")

_CHANNEL_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


class ConfigError(ValueError):
    """The notify configuration cannot be used: the message says where and why (never a secret's value)."""


@dataclass(frozen=True)
class Route:
    """Which alert records a channel takes. Empty lists take everything."""

    min_severity: str = "low"
    types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    def matches(self, alert: Alert) -> bool:
        """Whether the channel takes this record.

        >>> alert = Alert(incident_id="i", seq=0, kind="raised", at=0.0, first_seen=0.0, title="t",
        ...               type_code="161", type_label="expel", severity="high", confidence=0.9,
        ...               countries=("AU", "ID"), languages=("id",))
        >>> Route(types=("16",)).matches(alert), Route(countries=("MY",)).matches(alert)
        (True, False)
        >>> Route(min_severity="critical").matches(alert), Route(languages=("en", "id")).matches(alert)
        (False, True)
        """
        if SEVERITIES.index(alert.severity) < SEVERITIES.index(self.min_severity):
            return False
        if self.types and not any(alert.type_code.startswith(t) for t in self.types):
            return False
        if self.countries and not set(self.countries) & set(alert.countries):
            return False
        return not self.languages or bool(set(self.languages) & set(alert.languages))


@dataclass(frozen=True)
class ChannelConfig:
    name: str
    kind: str
    url: str = field(default="", repr=False)  # a Slack webhook URL is itself a secret
    route: Route = field(default_factory=Route)
    deadline_s: float = 300.0
    timeout_s: float = 15.0
    max_backoff_s: float = 30.0
    secrets: tuple[str, ...] = field(default=(), repr=False)
    # Alertmanager: how often an active incident is sent again (well inside its resolve_timeout, 5 min).
    resend_s: float = 60.0
    # E-mail.
    smtp_host: str = ""
    smtp_port: int = 587
    starttls: bool = True
    sender: str = ""
    recipients: tuple[str, ...] = ()
    username: str = ""
    password: str = field(default="", repr=False)
    ca_file: str = ""  # a private CA for the SMTP server's certificate (tests, internal relays)


@dataclass(frozen=True)
class NotifyConfig:
    channels: tuple[ChannelConfig, ...]
    console_url: str = ""


def _secret(spec: Mapping[str, Any], name: str, environ: Mapping[str, str], where: str) -> list[str]:
    """Values named by ``<name>_env`` / ``<name>_file`` (a string or a list of them)."""
    values: list[str] = []
    for suffix in ("env", "file"):
        refs = spec.get(f"{name}_{suffix}", [])
        for ref in [refs] if isinstance(refs, str) else list(refs):
            if suffix == "env":
                if ref not in environ:
                    raise ConfigError(f"{where}: environment variable {ref} ({name}) is not set")
                values.append(environ[ref])
            else:
                try:
                    values.append(Path(ref).read_text(encoding="utf-8").strip())
                except OSError as exc:
                    raise ConfigError(f"{where}: cannot read {name} file {ref}: {exc.strerror}") from None
    if name in spec:
        raise ConfigError(f"{where}: put {name} in the environment or a file ({name}_env, {name}_file), not here")
    return values


def _channel(spec: Mapping[str, Any], environ: Mapping[str, str], index: int) -> ChannelConfig:
    where = f"channel {index + 1} ({spec.get('name', '?')})"
    name, kind = spec.get("name"), spec.get("kind")
    if not isinstance(name, str) or not _CHANNEL_NAME.fullmatch(name):
        raise ConfigError(f"{where}: 'name' must be 1-64 ASCII letters, digits, '-' or '_' (it is a metric label)")
    if kind not in CHANNEL_KINDS:
        raise ConfigError(f"{where}: 'kind' must be one of {CHANNEL_KINDS}")
    route_spec = spec.get("route", {})
    severity = route_spec.get("min_severity", "low")
    if severity not in SEVERITIES:
        raise ConfigError(f"{where}: route.min_severity must be one of {SEVERITIES}")
    route = Route(
        min_severity=severity,
        types=tuple(str(t).upper() if not str(t).isdigit() else str(t) for t in route_spec.get("types", [])),
        countries=tuple(str(c).upper() for c in route_spec.get("countries", [])),
        languages=tuple(str(lang).lower() for lang in route_spec.get("languages", [])),
    )
    urls = _secret(spec, "url", environ, where) if kind == "slack" else [spec.get("url", "")]
    url = urls[0] if urls else ""
    secrets = tuple(_secret(spec, "secrets", environ, where)) if kind == "webhook" else ()
    if kind == "webhook" and not secrets:
        raise ConfigError(f"{where}: a webhook needs at least one signing secret (secrets_env or secrets_file)")
    if kind != "email" and not url:
        raise ConfigError(f"{where}: 'url' is missing" + (" (url_env or url_file)" if kind == "slack" else ""))
    passwords = _secret(spec, "password", environ, where) if kind == "email" else []
    config = ChannelConfig(
        name=name,
        kind=kind,
        url=url,
        route=route,
        deadline_s=float(spec.get("deadline_s", 300.0)),
        timeout_s=float(spec.get("timeout_s", 15.0)),
        max_backoff_s=float(spec.get("max_backoff_s", 30.0)),
        secrets=secrets,
        resend_s=float(spec.get("resend_s", 60.0)),
        smtp_host=str(spec.get("smtp_host", "")),
        smtp_port=int(spec.get("smtp_port", 587)),
        starttls=bool(spec.get("starttls", True)),
        sender=str(spec.get("from", "")),
        recipients=tuple(spec.get("to", [])),
        username=str(spec.get("username", "")),
        password=passwords[0] if passwords else "",
        ca_file=str(spec.get("ca_file", "")),
    )
    if kind == "email" and not (config.smtp_host and config.sender and config.recipients):
        raise ConfigError(f"{where}: e-mail needs smtp_host, from and to")
    return config


def parse_config(text: str, environ: Mapping[str, str] | None = None) -> NotifyConfig:
    environ = os.environ if environ is None else environ
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}") from None
    channels = tuple(_channel(spec, environ, i) for i, spec in enumerate(doc.get("channel", [])))
    names = [c.name for c in channels]
    if len(set(names)) != len(names):
        raise ConfigError("channel names must be unique")
    return NotifyConfig(channels=channels, console_url=str(doc.get("console_url", "")).rstrip("/"))


def load_config(path: str | Path, environ: Mapping[str, str] | None = None) -> NotifyConfig:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the notify configuration {path}: {exc.strerror}") from None
    return parse_config(text, environ)
