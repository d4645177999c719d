"""Per-field validation rules, declared next to each config field.

A field is declared with :func:`setting`, which stores its documentation and its allowed range
or choices in the dataclass field metadata. The loader reads these rules generically, so every
field is checked the same way and the error message can always say what is allowed.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rule:
    """What a config field means and which values it accepts."""

    doc: str
    min: float | None = None
    max: float | None = None
    choices: tuple[Any, ...] | None = None
    pattern: str | None = None
    allowed: str | None = None

    def describe(self) -> str:
        """A short human phrase for the allowed values, used in error messages."""
        if self.allowed is not None:
            return self.allowed
        if self.choices is not None:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.pattern is not None:
            return f"a string matching {self.pattern}"
        return self._describe_range()

    def _describe_range(self) -> str:
        if self.min is not None and self.max is not None:
            return f"between {self.min:g} and {self.max:g}"
        if self.min is not None:
            return f"at least {self.min:g}"
        if self.max is not None:
            return f"at most {self.max:g}"
        return "any value of the right type"

    def accepts(self, value: Any) -> bool:
        """True if ``value`` (already of the right type) satisfies this rule."""
        items = value if isinstance(value, tuple) else (value,)
        return all(self._accepts_one(item) for item in items)

    def _accepts_one(self, value: Any) -> bool:
        if self.choices is not None and value not in self.choices:
            return False
        if self.pattern is not None and not re.fullmatch(self.pattern, str(value)):
            return False
        if self.min is not None and value < self.min:
            return False
        return self.max is None or value <= self.max


def setting(default: Any, doc: str, **limits: Any) -> Any:
    """Declare a config field with its default, its meaning and its allowed values.

    A callable ``default`` is a factory, evaluated when the config is built (used for paths
    that depend on the environment, such as systemd's state directory).
    """
    metadata = {"rule": Rule(doc, **limits)}
    if callable(default):
        return dataclasses.field(default_factory=default, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def rule_of(field: dataclasses.Field) -> Rule:
    """The rule declared for ``field`` (every config field must have one)."""
    return field.metadata["rule"]


class InvalidCombination(ValueError):
    """Raised by a section's ``__post_init__`` when fields are valid alone but not together.

    The loader turns it into a :class:`~voicebox.errors.ConfigError` naming the config file.
    """

    def __init__(self, key: str, value: Any, allowed: str) -> None:
        super().__init__(f"{key} = {value!r}: {allowed}")
        self.key = key
        self.value = value
        self.allowed = allowed
