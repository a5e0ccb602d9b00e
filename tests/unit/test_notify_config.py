"""The delivery configuration: what it accepts, what it refuses, and that no secret leaks from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from notify.config import ConfigError, load_config, parse_config

ROOT = Path(__file__).resolve().parents[2]
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ENV = {
    "PANTAU_WEBHOOK_SECRET": SECRET,
    "PANTAU_WEBHOOK_SECRET_PREVIOUS": SECRET,
    "PANTAU_SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T/B/secret-token",
    "PANTAU_SMTP_PASSWORD": "smtp-password",
}


def test_the_example_configuration_is_valid_and_keeps_secrets_out_of_reprs() -> None:
    config = load_config(ROOT / "deploy" / "notify.example.toml", environ=ENV)
    assert [(c.name, c.kind) for c in config.channels] == [
        ("duty-webhook", "webhook"),
        ("alertmanager", "alertmanager"),
        ("slack-desk", "slack"),
        ("duty-mail", "email"),
    ]
    slack = config.channels[2]
    assert slack.url.endswith("secret-token") and slack.route.types == ("16", "18", "19", "20", "CONSULAR")
    text = repr(config)
    for secret in (SECRET, "secret-token", "smtp-password"):
        assert secret not in text


def test_a_secret_from_a_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "hook.secret"
    secret_file.write_text(SECRET + "\n")
    config = parse_config(f'[[channel]]\nname="w"\nkind="webhook"\nurl="http://x"\nsecrets_file="{secret_file}"\n')
    assert config.channels[0].secrets == (SECRET,)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[channel]]\nname="w"\nkind="webhook"\nurl="http://x"\nsecrets=["whsec_x"]\n', "not here"),
        ('[[channel]]\nname="w"\nkind="webhook"\nurl="http://x"\nsecrets_env=["NOPE"]\n', "NOPE"),
        ('[[channel]]\nname="w"\nkind="webhook"\nurl="http://x"\n', "signing secret"),
        ('[[channel]]\nname="w"\nkind="pager"\n', "'kind'"),
        ('[[channel]]\nname="w x"\nkind="slack"\nurl_env="PANTAU_SLACK_WEBHOOK_URL"\n', "'name'"),
        ('[[channel]]\nname="s"\nkind="slack"\nurl="https://hooks.slack.com/x"\n', "not here"),
        (
            '[[channel]]\nname="a"\nkind="alertmanager"\nurl="http://am"\n[channel.route]\nmin_severity="urgent"\n',
            "min_severity",
        ),
        ('[[channel]]\nname="m"\nkind="email"\nsmtp_host="h"\n', "e-mail needs"),
        (
            '[[channel]]\nname="a"\nkind="alertmanager"\nurl="http://am"\n[[channel]]\nname="a"\nkind="alertmanager"\n'
            'url="http://am"\n',
            "unique",
        ),
        ("[[channel]\n", "TOML"),
    ],
)
def test_a_bad_configuration_says_where_and_why(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        parse_config(text, environ=ENV)
    assert SECRET not in str(caught.value)
