"""Reading a config file: safe YAML, model paths relative to the file, and plain data into typed sections.

Kept apart from the sections themselves (config.py), which check their own values when they are built.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path
from typing import Any

from .errors import ConfigError

#: how many values a config may hold once its YAML aliases are expanded (an alias bomb expands to billions)
MAX_VALUES = 100_000


def _too_big(data: Any) -> bool:
    """Whether `data` expands past MAX_VALUES values, walking at most that many (aliases share objects)."""
    stack, seen = [data], 0
    while stack:
        seen += 1
        if seen > MAX_VALUES:
            return True
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def read_yaml(path: Path) -> dict:
    """Read a YAML mapping with the safe loader; errors name the file."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: a config must be UTF-8 text (byte {exc.start} is not)") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}" if where else ""
        raise ConfigError(f"{path}: invalid YAML{at}") from exc
    if data is None:
        return {}
    if _too_big(data):
        raise ConfigError(f"{path}: more than {MAX_VALUES} values once YAML aliases are expanded (an alias bomb?)")
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a config must be a mapping of keys, not {type(data).__name__}")
    return data


def paths_from_config_folder(data: dict, path: Path) -> dict:
    """Model paths written relative to the config file (`./models/bart`, or a folder next to it) are read from
    there, whatever the working directory of the script; hub ids and absolute paths stay as written."""
    base = path.resolve().parent

    def local(value: Any, may_exist: bool = True) -> Any:
        if not isinstance(value, str) or not value or Path(value).is_absolute():
            return value
        if value.startswith(("./", "../")) or (may_exist and (base / value).exists()):
            return str((base / value).resolve())
        return value

    summarizer, translation = data.get("summarizer"), data.get("translation")
    if isinstance(summarizer, dict) and "model" in summarizer:
        data = {**data, "summarizer": {**summarizer, "model": local(summarizer["model"])}}
    if isinstance(translation, dict):
        translation = dict(translation)
        if "pattern" in translation:
            translation["pattern"] = local(translation["pattern"], may_exist=False)
        if isinstance(translation.get("models"), dict):
            translation["models"] = {pair: local(model) for pair, model in translation["models"].items()}
        multi = translation.get("multilingual")
        if isinstance(multi, dict) and "model" in multi:
            translation["multilingual"] = {**multi, "model": local(multi["model"])}
        data = {**data, "translation": translation}
    return data


def build(cls: type, data: Any, origin: str, prefix: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: {prefix.rstrip('.') or 'config'} must be a mapping")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    for key in data:
        if key not in names:
            raise ConfigError(f"{origin}: unknown key '{prefix}{key}' (known: {', '.join(sorted(names))})")
    values = {key: _coerce(hints[key], value, origin, prefix + key) for key, value in data.items()}
    try:
        return cls(**values)  # each section checks itself; the message gains where the values came from
    except ConfigError as exc:
        raise ConfigError(f"{origin}: {exc}") from None


def _coerce(hint: Any, value: Any, origin: str, key: str) -> Any:
    """Check one value against its type hint; turn "de,fr" into a list where a list is expected."""
    args = typing.get_args(hint)
    if key == "batch_size" and value == "auto":
        return value
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        hint = next(a for a in args if a is not type(None))
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return build(hint, value, origin, key + ".")
    origin_type = typing.get_origin(hint) or hint
    if origin_type is list:
        if isinstance(value, str):
            items = [v.strip() for v in value.split(",") if v.strip()]
            if not items:  # `--to ,,` is a slip; an empty list (e.g. `targets: []`, summaries only) is deliberate
                raise ConfigError(f"{origin}: '{key}' names nothing in {value!r}; give e.g. de,fr")
            value = items
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{origin}: '{key}' must be a list of strings")
        return list(value)
    if origin_type is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{origin}: '{key}' must be a mapping")
        return dict(value)
    if hint is bool and not isinstance(value, bool):
        raise ConfigError(f"{origin}: '{key}' must be true or false, not {value!r}")
    if hint in (int, float) and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ConfigError(f"{origin}: '{key}' must be a number, not {value!r}")
    if hint is str and not isinstance(value, str):
        raise ConfigError(f"{origin}: '{key}' must be a string, not {value!r}")
    if hint is int and value != int(value):
        raise ConfigError(f"{origin}: '{key}' must be a whole number, not {value!r}")
    return int(value) if hint is int else value
