"""The settings are documented in one place (streams/config.py); the env example and the README table are written
from it, and fail here when they drift."""

from __future__ import annotations

import pytest

from streams import settings_docs
from streams.config import SETTINGS_DOC, Settings


def test_the_env_example_and_the_readme_table_are_what_the_settings_write() -> None:
    assert settings_docs.outdated() == [], "run make settings-docs (python -m streams.settings_docs)"


def test_every_setting_appears_with_its_default_and_meaning() -> None:
    env, table = settings_docs.env_example(), settings_docs.readme_table()
    defaults = Settings()
    for name, doc in SETTINGS_DOC.items():
        variable = f"PANTAU_{name.upper()}"
        assert f"| `{variable}` |" in table and doc in table
        value = settings_docs._shown(getattr(defaults, name))
        assert f"{variable}={value}\n" in env


def test_a_changed_meaning_makes_the_files_out_of_date(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = settings_docs.README.read_text(encoding="utf-8")
    monkeypatch.setitem(SETTINGS_DOC, "log_level", "How much the service says.")
    assert settings_docs.readme_with_table(readme) != readme
    assert settings_docs.outdated() == [settings_docs.ENV_EXAMPLE, settings_docs.README]
