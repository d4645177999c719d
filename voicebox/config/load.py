"""Load the TOML config once at start-up and validate every value.

Order of precedence: dataclass defaults < the chosen profile < the config file. Anything the
file says that the schema does not know, of the wrong type, out of range, or in a combination
that a section or one of the daemon's components refuses (see :mod:`.components`) stops start-up
with a :class:`~voicebox.errors.ConfigError` naming the file, the key, the value and what is
allowed.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from voicebox.config.components import component_settings
from voicebox.config.profiles import profile_values
from voicebox.config.rules import InvalidCombination, rule_of
from voicebox.config.schema import PROFILES, SECTIONS, Config
from voicebox.config.tomlfile import read_toml
from voicebox.errors import ConfigError

BUILTIN = "built-in defaults"


def load_config(path: Path | None = None, profile: str | None = None) -> Config:
    """Read ``path`` (or use built-in defaults) and return the validated configuration.

    ``profile`` (e.g. from the command line) overrides the file's ``profile`` key.
    """
    source = str(path) if path else BUILTIN
    document = read_toml(path) if path else {}
    file_profile = document.pop("profile", "dev")
    chosen = profile if profile is not None else file_profile
    if chosen not in PROFILES:
        raise ConfigError(source, "profile", chosen, "one of " + ", ".join(PROFILES))
    unknown = sorted(set(document) - set(SECTIONS))
    if unknown:
        allowed = "known sections are " + ", ".join(["profile", *SECTIONS])
        raise ConfigError(source, unknown[0], document[unknown[0]], allowed)
    base_dir = path.resolve().parent if path else Path.cwd()
    layers = profile_values(chosen)
    sections = {}
    for name, cls in SECTIONS.items():
        table = document.get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(source, name, table, "a table such as [" + name + "]")
        values = {**layers.get(name, {}), **table}
        sections[name] = _build_section(cls, name, values, source, base_dir)
    config = Config(profile=chosen, source=source, **sections)
    with _refusal_named_in(source):
        component_settings(config)
    return config


@contextmanager
def _refusal_named_in(source: str) -> Iterator[None]:
    """A combination refused by a section or a component, as an error naming the file."""
    try:
        yield
    except InvalidCombination as exc:
        raise ConfigError(source, exc.key, exc.value, exc.allowed) from None


def _build_section(cls: type, name: str, values: dict[str, Any], source: str,
                   base_dir: Path) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    unknown = sorted(set(values) - set(fields))
    if unknown:
        key = f"{name}.{unknown[0]}"
        raise ConfigError(source, key, values[unknown[0]], "known keys are " + ", ".join(fields))
    converted = {}
    for key, raw in values.items():
        dotted = f"{name}.{key}"
        value = _convert(hints[key], raw, base_dir)
        if value is _WRONG_TYPE:
            raise ConfigError(source, dotted, raw, _type_name(hints[key]))
        rule = rule_of(fields[key])
        if not rule.accepts(value):
            raise ConfigError(source, dotted, raw, rule.describe())
        converted[key] = value
    with _refusal_named_in(source):
        return cls(**converted)


_WRONG_TYPE = object()


def _is_number(raw: Any) -> bool:
    return isinstance(raw, (int, float)) and not isinstance(raw, bool)


# type -> (how errors name it, does a TOML value qualify, how to build the config value)
_TYPES: dict[Any, tuple[str, Callable[[Any], bool], Callable[[Any, Path], Any]]] = {
    bool: ("true or false", lambda raw: isinstance(raw, bool), lambda raw, _: raw),
    int: ("an integer", lambda raw: _is_number(raw) and isinstance(raw, int), lambda raw, _: raw),
    float: ("a number", _is_number, lambda raw, _: float(raw)),
    str: ("a string", lambda raw: isinstance(raw, str), lambda raw, _: raw),
    Path: ("a non-empty path string", lambda raw: isinstance(raw, str) and bool(raw),
           lambda raw, base_dir: base_dir / Path(raw).expanduser()),
    tuple[str, ...]: ("a list of strings",
                      lambda raw: isinstance(raw, list) and all(isinstance(i, str) for i in raw),
                      lambda raw, _: tuple(raw)),
}


def _convert(kind: Any, raw: Any, base_dir: Path) -> Any:
    """``raw`` as a value of type ``kind``, or ``_WRONG_TYPE``. TOML types are strict."""
    _, qualifies, build = _TYPES[kind]
    return build(raw, base_dir) if qualifies(raw) else _WRONG_TYPE


def _type_name(kind: Any) -> str:
    return _TYPES[kind][0]
