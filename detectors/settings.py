"""Detector settings from a TOML file: a candidate model tried on real traffic before it ships.

``pantau replay --config FILE`` and ``pantau backtest --config FILE`` build their detection core from it; without
one they use the shipped defaults, the live service's settings. Each table holds one class's constructor
arguments, so the file is the model's whole config (the River way). A key left out keeps its default.

.. code-block:: toml

    [core]          # DetectionCore
    z_threshold = 3.5
    [significance]  # HashedSignificance
    slot_s = 7200.0
    [tracker]       # IncidentTracker
    merge_similarity = 0.3

>>> settings = DetectorSettings.from_mapping({"tracker": {"min_posts": 6}}, source="candidate.toml")
>>> settings.describe()
'candidate.toml: tracker.min_posts=6'
>>> settings.build().tracker.min_posts
6
>>> DetectorSettings.from_mapping({"tracker": {"min_post": 6}})
Traceback (most recent call last):
...
detectors.settings.DetectorSettingsError: [tracker] min_post: no such setting (did you mean min_posts?)
"""

from __future__ import annotations

import difflib
import inspect
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from detectors.core import DetectionCore
from detectors.incidents import IncidentTracker
from detectors.significance import HashedSignificance

# Each table's class. Arguments that take a model object (the core's significance and tracker, the tracker's
# relevance model and label memory) are not settings: only scalars with a default are.
_CLASSES: Mapping[str, type] = MappingProxyType(
    {"core": DetectionCore, "significance": HashedSignificance, "tracker": IncidentTracker}
)
_SCALARS = (bool, int, float, str)


class DetectorSettingsError(ValueError):
    """A settings file that cannot be used, with the table and key at fault."""


def _defaults(cls: type) -> dict[str, Any]:
    return {
        name: parameter.default
        for name, parameter in inspect.signature(cls).parameters.items()
        if isinstance(parameter.default, _SCALARS)
    }


def _check(table: str, key: str, value: Any, default: Any) -> Any:
    where = f"[{table}] {key}"
    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(value, bool) and isinstance(default, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float)
        value = float(value) if ok else value
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise DetectorSettingsError(f"{where}: {value!r} is not a {type(default).__name__} (default {default!r})")
    return value


@dataclass(frozen=True)
class DetectorSettings:
    """Constructor arguments per table (``core``, ``significance``, ``tracker``) and where they came from."""

    tables: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    source: str = "the shipped defaults (the live service's)"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "settings") -> DetectorSettings:
        tables: dict[str, dict[str, Any]] = {}
        for table, values in data.items():
            if table not in _CLASSES:
                raise DetectorSettingsError(f"[{table}]: no such table (the tables are {', '.join(_CLASSES)})")
            if not isinstance(values, Mapping):
                raise DetectorSettingsError(f"{table}: must be a table of settings")
            defaults = _defaults(_CLASSES[table])
            checked: dict[str, Any] = {}
            for key, value in values.items():
                if key not in defaults:
                    near = difflib.get_close_matches(key, defaults, n=1)
                    hint = f" (did you mean {near[0]}?)" if near else f" (settings: {', '.join(sorted(defaults))})"
                    raise DetectorSettingsError(f"[{table}] {key}: no such setting{hint}")
                checked[key] = _check(table, key, value, defaults[key])
            tables[table] = checked
        settings = cls(tables, source)
        try:
            settings.build()  # a value the class itself refuses is refused here, before any input is read
        except (TypeError, ValueError) as exc:
            raise DetectorSettingsError(f"{source}: {exc}") from exc
        return settings

    @classmethod
    def from_toml(cls, path: Path) -> DetectorSettings:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise DetectorSettingsError(f"{path}: cannot read it: {exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise DetectorSettingsError(f"{path}: not valid TOML: {exc}") from exc
        try:
            return cls.from_mapping(data, source=str(path))
        except DetectorSettingsError as exc:
            message = str(exc)
            raise DetectorSettingsError(message if message.startswith(str(path)) else f"{path}: {message}") from None

    def build(self, **core_arguments: Any) -> DetectionCore:
        """A fresh detection core with these settings; ``core_arguments`` (the service's own, such as
        ``late_after_s``) apply unless the file sets them."""
        return DetectionCore(
            **{**core_arguments, **self.tables.get("core", {})},
            significance=HashedSignificance(**self.tables.get("significance", {})),
            tracker=IncidentTracker(**self.tables.get("tracker", {})),
        )

    def describe(self) -> str:
        changed = [
            f"{table}.{key}={value!r}" for table in _CLASSES for key, value in self.tables.get(table, {}).items()
        ]
        return f"{self.source}: {', '.join(changed) or 'every setting at its default'}"
