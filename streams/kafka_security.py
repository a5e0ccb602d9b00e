"""How every Kafka client of the service connects: plaintext, TLS (a CA, and a client certificate for mutual
TLS), SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), or SASL over TLS.

One object built from the settings gives every client its arguments: aiokafka's (the alert publisher, the
readiness probe, the console feed, the delivery service) and kafka-python's (admin, read-back and CLI
clients) take the same names; Faust takes ``broker_credentials``. A configuration that asks for TLS or SASL
and cannot have it is refused when the process starts, with the reason. It never falls back to plaintext: a
missing file, SASL settings without a SASL protocol, and TLS files with a plaintext protocol each stop the
process.

>>> KafkaSecurity().options()
{'security_protocol': 'PLAINTEXT'}
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from streams.config import Settings

PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")


class KafkaSecurityError(SystemExit):
    """A Kafka security setting that cannot be honoured: the process stops, saying which and why."""


@dataclass(frozen=True)
class KafkaSecurity:
    protocol: str = "PLAINTEXT"
    cafile: str = ""  # empty with TLS: the system's trust store
    certfile: str = ""  # a client certificate (mutual TLS), with its key
    keyfile: str = ""
    sasl_mechanism: str = ""
    sasl_username: str = ""
    sasl_password: str = field(default="", repr=False)  # read from a file; never printed

    @property
    def tls(self) -> bool:
        return self.protocol in ("SSL", "SASL_SSL")

    @property
    def sasl(self) -> bool:
        return self.protocol in ("SASL_PLAINTEXT", "SASL_SSL")

    @classmethod
    def from_settings(cls, settings: Settings) -> KafkaSecurity:
        """Validated, with the SASL password read from its file. Raises :class:`KafkaSecurityError`."""
        protocol = settings.kafka_security_protocol.upper()
        if protocol not in PROTOCOLS:
            _refuse(f"PANTAU_KAFKA_SECURITY_PROTOCOL={protocol!r}: one of {', '.join(PROTOCOLS)}")
        tls, sasl = protocol in ("SSL", "SASL_SSL"), protocol in ("SASL_PLAINTEXT", "SASL_SSL")
        files = {
            "PANTAU_KAFKA_SSL_CAFILE": settings.kafka_ssl_cafile,
            "PANTAU_KAFKA_SSL_CERTFILE": settings.kafka_ssl_certfile,
            "PANTAU_KAFKA_SSL_KEYFILE": settings.kafka_ssl_keyfile,
        }
        named = [name for name, value in files.items() if value]
        if named and not tls:
            _refuse(f"{', '.join(named)} set, but PANTAU_KAFKA_SECURITY_PROTOCOL={protocol} has no TLS")
        for name, value in files.items():
            if value and not Path(value).is_file():
                _refuse(f"{name}={value}: no such file (TLS was asked for: not connecting without it)")
        if bool(settings.kafka_ssl_certfile) != bool(settings.kafka_ssl_keyfile):
            _refuse("PANTAU_KAFKA_SSL_CERTFILE and PANTAU_KAFKA_SSL_KEYFILE go together (mutual TLS)")
        sasl_named = [
            name
            for name, value in {
                "PANTAU_KAFKA_SASL_MECHANISM": settings.kafka_sasl_mechanism,
                "PANTAU_KAFKA_SASL_USERNAME": settings.kafka_sasl_username,
                "PANTAU_KAFKA_SASL_PASSWORD_FILE": settings.kafka_sasl_password_file,
            }.items()
            if value
        ]
        if sasl_named and not sasl:
            _refuse(f"{', '.join(sasl_named)} set, but PANTAU_KAFKA_SECURITY_PROTOCOL={protocol} has no SASL")
        password = ""
        mechanism = settings.kafka_sasl_mechanism.upper()
        if sasl:
            if mechanism not in SASL_MECHANISMS:
                _refuse(f"PANTAU_KAFKA_SASL_MECHANISM={mechanism!r}: one of {', '.join(SASL_MECHANISMS)}")
            if not settings.kafka_sasl_username or not settings.kafka_sasl_password_file:
                _refuse("SASL needs PANTAU_KAFKA_SASL_USERNAME and PANTAU_KAFKA_SASL_PASSWORD_FILE")
            try:
                password = Path(settings.kafka_sasl_password_file).read_text().strip()
            except OSError as exc:
                _refuse(f"PANTAU_KAFKA_SASL_PASSWORD_FILE={settings.kafka_sasl_password_file}: {exc.strerror}")
            if not password:
                _refuse(f"PANTAU_KAFKA_SASL_PASSWORD_FILE={settings.kafka_sasl_password_file} is empty")
        if protocol != "PLAINTEXT" and settings.uses_embedded_broker:
            _refuse(
                f"PANTAU_KAFKA_SECURITY_PROTOCOL={protocol} with the embedded broker, which speaks plaintext only: "
                "set PANTAU_KAFKA_BOOTSTRAP to the cluster"
            )
        return cls(
            protocol=protocol,
            cafile=settings.kafka_ssl_cafile,
            certfile=settings.kafka_ssl_certfile,
            keyfile=settings.kafka_ssl_keyfile,
            sasl_mechanism=mechanism if sasl else "",
            sasl_username=settings.kafka_sasl_username if sasl else "",
            sasl_password=password,
        )

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context (hostname checked, the CA given or the system's), or None without TLS."""
        if not self.tls:
            return None
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=self.cafile or None)
        if self.certfile:
            context.load_cert_chain(self.certfile, self.keyfile)
        return context

    def options(self) -> dict[str, Any]:
        """Keyword arguments for a client: aiokafka's and kafka-python's take the same names."""
        options: dict[str, Any] = {"security_protocol": self.protocol}
        if self.tls:
            options["ssl_context"] = self.ssl_context()
        if self.sasl:
            options |= {
                "sasl_mechanism": self.sasl_mechanism,
                "sasl_plain_username": self.sasl_username,
                "sasl_plain_password": self.sasl_password,
            }
        return options

    def faust_credentials(self) -> Any:
        """Faust's ``broker_credentials``: None for plaintext."""
        import faust

        if self.sasl:
            return faust.SASLCredentials(
                username=self.sasl_username,
                password=self.sasl_password,
                mechanism=self.sasl_mechanism,
                ssl_context=self.ssl_context(),
            )
        if self.tls:
            # The context itself: faust.SSLCredentials(cafile=...) fails without a purpose (a Faust bug).
            return faust.SSLCredentials(self.ssl_context())
        return None


def _refuse(why: str) -> None:
    raise KafkaSecurityError(f"pantau: Kafka security: {why}")
