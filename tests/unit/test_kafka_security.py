"""Kafka TLS and SASL settings: what each client gets, and every configuration that cannot be honoured refused
at start with its reason, never downgraded to plaintext."""

from __future__ import annotations

import socket
import ssl
import threading
from pathlib import Path

import faust
import pytest
import trustme

from streams.config import Settings
from streams.kafka_security import KafkaSecurity, KafkaSecurityError

CLUSTER = {"PANTAU_KAFKA_BOOTSTRAP": "kafka-1:9093,kafka-2:9093"}


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A CA, a broker certificate for 127.0.0.1, and a client certificate for mutual TLS (trustme)."""
    directory = tmp_path_factory.mktemp("pki")
    ca = trustme.CA()
    files = {"ca": directory / "ca.pem", "server": directory / "server.pem", "client": directory / "client.pem"}
    ca.cert_pem.write_to_path(str(files["ca"]))
    ca.issue_cert("127.0.0.1", "localhost").private_key_and_cert_chain_pem.write_to_path(str(files["server"]))
    ca.issue_cert("pantau-worker").private_key_and_cert_chain_pem.write_to_path(str(files["client"]))
    return files


def _settings(**env: str) -> Settings:
    return Settings.from_env({**CLUSTER, **env})


def test_plaintext_by_default_and_nothing_else_in_the_options() -> None:
    security = _settings().kafka_security()
    assert security.options() == {"security_protocol": "PLAINTEXT"}
    assert security.faust_credentials() is None and security.ssl_context() is None


def test_sasl_over_tls_gives_each_client_its_arguments(pki: dict[str, Path], tmp_path: Path) -> None:
    password = tmp_path / "kafka-password"
    password.write_text("s3cret-from-a-mounted-secret\n")
    security = _settings(
        PANTAU_KAFKA_SECURITY_PROTOCOL="sasl_ssl",
        PANTAU_KAFKA_SSL_CAFILE=str(pki["ca"]),
        PANTAU_KAFKA_SASL_MECHANISM="scram-sha-512",
        PANTAU_KAFKA_SASL_USERNAME="pantau",
        PANTAU_KAFKA_SASL_PASSWORD_FILE=str(password),
    ).kafka_security()
    options = security.options()
    assert options["security_protocol"] == "SASL_SSL" and options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (
        options["sasl_plain_username"] == "pantau" and options["sasl_plain_password"] == "s3cret-from-a-mounted-secret"
    )
    assert isinstance(options["ssl_context"], ssl.SSLContext) and options["ssl_context"].check_hostname
    assert "s3cret" not in repr(security), "the password is never printed"
    credentials = security.faust_credentials()
    assert isinstance(credentials, faust.SASLCredentials)
    assert credentials.protocol.value == "SASL_SSL" and credentials.mechanism.value == "SCRAM-SHA-512"


def test_tls_context_verifies_the_broker_and_presents_the_client_certificate(pki: dict[str, Path]) -> None:
    security = KafkaSecurity(
        protocol="SSL", cafile=str(pki["ca"]), certfile=str(pki["client"]), keyfile=str(pki["client"])
    )
    seen: list[object] = []
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(str(pki["server"]))
    server.load_verify_locations(str(pki["ca"]))
    server.verify_mode = ssl.CERT_REQUIRED  # mutual TLS: the broker wants the client's certificate
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        connection, _ = listener.accept()
        with server.wrap_socket(connection, server_side=True) as tls:
            seen.append(tls.getpeercert())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    context = security.ssl_context()
    assert context is not None
    with socket.create_connection(("127.0.0.1", port)) as raw, context.wrap_socket(raw, server_hostname="127.0.0.1"):
        pass
    thread.join(timeout=10)
    listener.close()
    assert seen and seen[0], "the broker saw the client's certificate"
    assert isinstance(security.faust_credentials(), faust.SSLCredentials)
    # Without the CA, the same broker is not trusted: no silent acceptance.
    untrusting = KafkaSecurity(protocol="SSL").ssl_context()
    assert untrusting is not None and untrusting.verify_mode == ssl.CERT_REQUIRED


@pytest.mark.parametrize(
    ("env", "reason"),
    [
        ({"PANTAU_KAFKA_SECURITY_PROTOCOL": "SSL", "PANTAU_KAFKA_SSL_CAFILE": "/nope/ca.pem"}, "no such file"),
        ({"PANTAU_KAFKA_SSL_CAFILE": "{ca}"}, "has no TLS"),
        ({"PANTAU_KAFKA_SASL_USERNAME": "pantau"}, "has no SASL"),
        ({"PANTAU_KAFKA_SECURITY_PROTOCOL": "SSL", "PANTAU_KAFKA_SSL_CERTFILE": "{ca}"}, "go together"),
        ({"PANTAU_KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "PANTAU_KAFKA_SASL_MECHANISM": "GSSAPI"}, "one of PLAIN"),
        ({"PANTAU_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT", "PANTAU_KAFKA_SASL_MECHANISM": "PLAIN"}, "needs"),
        (
            {
                "PANTAU_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
                "PANTAU_KAFKA_SASL_MECHANISM": "PLAIN",
                "PANTAU_KAFKA_SASL_USERNAME": "u",
                "PANTAU_KAFKA_SASL_PASSWORD_FILE": "/nope/password",
            },
            "No such file",
        ),
        ({"PANTAU_KAFKA_SECURITY_PROTOCOL": "TLS"}, "one of PLAINTEXT"),
    ],
)
def test_what_cannot_be_honoured_is_refused_at_start(env: dict[str, str], reason: str, pki: dict[str, Path]) -> None:
    env = {k: v.replace("{ca}", str(pki["ca"])) for k, v in env.items()}
    with pytest.raises(KafkaSecurityError, match=reason):
        _settings(**env)


def test_the_embedded_broker_is_plaintext_only(pki: dict[str, Path]) -> None:
    with pytest.raises(SystemExit, match="embedded broker"):
        Settings.from_env({"PANTAU_KAFKA_SECURITY_PROTOCOL": "SSL", "PANTAU_KAFKA_SSL_CAFILE": str(pki["ca"])})
