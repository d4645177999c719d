"""Setting a few keys of a TOML config without losing anything else in it.

The config installed on a box is the example file with every key and its explanation: the
installer must set the profile and two paths and leave every comment, blank line and other key
as written. A full TOML writer would drop the comments, and none ships with Python (tomllib
only reads), so this replaces or adds exactly the lines of the keys it sets, then parses the
result with tomllib and checks that it holds the new values and every other value unchanged;
anything it cannot do safely (a key written as a dotted key, an inline table, inside a
multi-line string) is refused with the file's name instead of being written wrongly.

Standard library only, like ``install``.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from install_base import InstallError

HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]\s*(#.*)?$")
ANY_HEADER = re.compile(r"^\s*\[")


def set_strings(text: str, values: dict[tuple[str | None, str], str], source: Path) -> str:
    """``text`` with each ``(table, key)`` (table None: the top level) set to its string
    value, as a minimal edit; raises InstallError when ``text`` or the edit is not valid."""
    before = _parse(text, source)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for (table, key), value in values.items():
        lines = _set_line(lines, table, key, f"{key} = {_basic_string(value)}\n")
    result = "".join(lines)
    expected = before
    for (table, key), value in values.items():
        expected = _with(expected, table, key, value)
    try:
        same = tomllib.loads(result) == expected
    except tomllib.TOMLDecodeError:
        same = False
    if not same:
        raise InstallError(f"{source}: cannot set {', '.join(k for _, k in values)} by editing "
                           f"single lines (dotted keys, inline tables or multi-line strings)",
                           "write the config by hand from voicebox.example.toml")
    return result


def _set_line(lines: list[str], table: str | None, key: str, line: str) -> list[str]:
    """Replace the key's line in its table, or add it at the table's start (and the table at
    the end of the file when it has none)."""
    start, end = _section(lines, table)
    if start is None:
        return [*lines, f"\n[{table}]\n", line]
    assignment = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for index in range(start, end):
        if assignment.match(lines[index]):
            return [*lines[:index], line, *lines[index + 1:]]
    return [*lines[:start], line, *lines[start:]]


def _section(lines: list[str], table: str | None) -> tuple[int | None, int]:
    """The line range of a table's keys: after its header up to the next header (the top
    level: from the first line). (None, n) when the table has no header."""
    start = 0 if table is None else None
    for index, line in enumerate(lines):
        if start is not None and ANY_HEADER.match(line):
            return start, index
        found = HEADER.match(line)
        if table is not None and found and found.group(1) == table:
            start = index + 1
    return start, len(lines)


def _basic_string(value: str) -> str:
    """A TOML basic string: JSON's escapes (\\", \\\\, \\n, \\uXXXX for control characters)
    are TOML's too; non-ASCII text is written as it is."""
    return json.dumps(value, ensure_ascii=False)


def _with(document: dict, table: str | None, key: str, value: str) -> dict:
    if table is None:
        return {**document, key: value}
    return {**document, table: {**document.get(table, {}), key: value}}


def _parse(text: str, source: Path) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InstallError(f"{source} is not valid TOML: {exc}",
                           f"correct the line named above in {source}") from exc
