"""Read the config file as TOML, or say where and why it cannot be read.

A person fixing a config on a Pi over SSH has an editor and the error message, nothing else:
so a syntax error names the line and column (counted from 1, as editors do), quotes the line,
and puts tomllib's terse phrases ("Invalid value") in words that say what to change. A file
that is not UTF-8 (a binary copied by mistake, a file saved as Latin-1) is reported the same
way, at the first byte that is not UTF-8, instead of as a codec traceback.

tomllib's errors carry their position only in the message text before Python 3.14 (no
``lineno``/``colno``), in the same form on every version, so the position is read from there.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from voicebox.errors import ConfigError, ConfigSyntaxError

POSITION = re.compile(r"^(?P<problem>.*?)(?: \(at (?:line (?P<line>\d+), column (?P<column>\d+)"
                      r"|(?P<end>end of document))\))?$", re.DOTALL)
"""tomllib's message: "<problem> (at line L, column C)" or "<problem> (at end of document)"."""

QUOTED_LINE_CHARS = 60

EXPLANATIONS = {
    "Invalid value": "the value after '=' is not a TOML value: text needs double quotes "
                     '("like this"), true and false are lower case, numbers have no units',
    "Cannot overwrite a value": "this key already has a value earlier in the same table: "
                                "give each key once",
    "Invalid statement": "a line must be 'key = value', '[section]' or a '# comment'",
    "Illegal character '\\n'": "a string is not closed before the end of its line",
}
"""tomllib's phrases that do not say what to change, with words that do."""

AT_THE_END = "the file ends before it is complete (is a closing quote or bracket missing?)"


def read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML document; a :class:`ConfigError` if it is missing, unreadable, not
    UTF-8 or not TOML."""
    source = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(source, "(file)", source, "an existing TOML file") from None
    except PermissionError:
        raise ConfigError(source, "(file)", source, "a file this user can read") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_utf8(source, data, exc) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _not_toml(source, text, str(exc)) from None


def _not_utf8(source: str, data: bytes, exc: UnicodeDecodeError) -> ConfigSyntaxError:
    # Everything before the first bad byte decoded, so it can be counted in characters.
    before = data[: exc.start].decode("utf-8")
    line, column = _line_and_column(before, len(before))
    problem = (f"byte 0x{data[exc.start]:02x} is not UTF-8 text ({exc.reason}): the config "
               f"must be a text file; if it is one, save it as UTF-8")
    return ConfigSyntaxError(source, line, column, problem)


def _not_toml(source: str, text: str, message: str) -> ConfigSyntaxError:
    match = POSITION.match(message)
    assert match is not None  # every part of the pattern is optional
    problem = match["problem"]
    if match["line"] is not None:
        line, column = int(match["line"]), int(match["column"])
        if problem in EXPLANATIONS:
            problem += f": {EXPLANATIONS[problem]}"
    else:  # at the end: just after the last thing written, where the missing part belongs
        line, column = _line_and_column(text, len(text.rstrip()))
        problem += f": {AT_THE_END}" if match["end"] else ""
    return ConfigSyntaxError(source, line, column, f"{problem}; {_quote(text, line)}")


def _line_and_column(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column of character ``pos`` (as tomllib counts them)."""
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _quote(text: str, line: int) -> str:
    content = text.split("\n")[line - 1].rstrip("\r")
    if len(content) > QUOTED_LINE_CHARS:
        content = content[:QUOTED_LINE_CHARS] + "…"
    return f"line {line} reads {content!r}"
