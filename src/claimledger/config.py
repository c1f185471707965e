"""Settings in one place: packaged defaults < a TOML file < ``CLAIMLEDGER_*`` environment < CLI flags.

Functions take a ``Settings`` object; nothing else reads the environment.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

ENV_PREFIX = "CLAIMLEDGER_"


class SettingsError(ValueError):
    """A setting could not be read or has a value of the wrong type."""


@dataclass(frozen=True)
class Settings:
    db: str
    model: str
    attribution_model: str
    disabled_rules: str
    workers: int
    batch_size: int
    max_document_mb: float
    near_duplicate_threshold: float
    shingle_size: int
    minhash_permutations: int
    dispute_confidence: float
    cors_origins: str
    max_query_chars: int

    def with_overrides(self, **overrides: Any) -> "Settings":
        """These settings with every override that is not None applied (CLI flags)."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _coerce(name: str, value: Any, kind: type) -> Any:
    try:
        return kind(value)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {name}: {value!r} is not a valid {kind.__name__}") from exc


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = tomllib.loads(resources.files("claimledger").joinpath("settings.toml").read_text())
    user_file = environ.get(ENV_PREFIX + "CONFIG")
    if user_file:
        try:
            values.update(tomllib.loads(Path(user_file).read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"{user_file}: cannot read settings: {exc}") from exc
    kinds = {f.name: {"int": int, "float": float, "str": str}[f.type] for f in fields(Settings)}
    for name in kinds:
        env_value = environ.get(ENV_PREFIX + name.upper())
        if env_value is not None:
            values[name] = env_value
    unknown = set(values) - set(kinds)
    if unknown:
        raise SettingsError(f"unknown settings: {', '.join(sorted(unknown))}")
    return Settings(**{name: _coerce(name, values[name], kind) for name, kind in kinds.items()})
