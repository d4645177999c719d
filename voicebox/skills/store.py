"""The timers file: timers and alarms survive a restart, a crash and a power cut.

Written whole after every change, atomically: a temporary file beside it, fsync, then
``os.replace`` and an fsync of the directory, so after a power cut the file is either the
old one or the new one, never half of each. A file that cannot be read (cut short by a broken
disk, edited by hand) is moved aside as ``timers.json.corrupt-<time>`` and logged, and the
box starts with no timers rather than not at all: a lost timer is bad, a box that does not
start is worse, and the copy lets someone find out what happened.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from voicebox.ops.logging import get_logger
from voicebox.skills.timers import ALARM, TIMER, Timer

FORMAT = 1
FIELDS: dict[str, type | tuple[type, ...]] = {
    "id": int, "kind": str, "ends_at": (int, float), "language": str, "name": str,
    "seconds": (int, float)}


class CorruptTimers(ValueError):
    """The timers file holds something that is not a list of timers."""


class TimerStore:
    """Reads and writes the timers file at ``path``."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._clock = clock
        self._log = get_logger("timers")

    def load(self) -> tuple[Timer, ...]:
        """The saved timers; none if there is no file or it is corrupt (then set aside)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ()
        except OSError as exc:
            self._log.error("timers-unreadable", path=str(self.path), error=str(exc),
                            effect="starting with no timers")
            return ()
        try:
            return decode(text)
        except CorruptTimers as exc:
            self._set_aside(str(exc))
            return ()

    def save(self, timers: tuple[Timer, ...]) -> bool:
        """Replace the file with ``timers``; False (and a log line) if it could not be."""
        payload = json.dumps({"format": FORMAT, "timers": [_encode(t) for t in timers]},
                             indent=1)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "w", encoding="utf-8") as file:
                file.write(payload)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
            _sync_directory(self.path.parent)
        except OSError as exc:
            self._log.error("timers-not-saved", path=str(self.path), error=str(exc),
                            effect="the timers run, but a restart would lose them")
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            return False
        return True

    def _set_aside(self, problem: str) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime(self._clock()))
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            os.replace(self.path, aside)
        except OSError as exc:
            self._log.error("timers-corrupt", path=str(self.path), problem=problem,
                            error=f"could not move it aside: {exc}",
                            effect="starting with no timers")
            return
        self._log.error("timers-corrupt", path=str(self.path), problem=problem,
                        kept_as=str(aside), effect="starting with no timers")


def decode(text: str) -> tuple[Timer, ...]:
    """Timers from the file's text; :class:`CorruptTimers` says what is wrong."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CorruptTimers(f"not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CorruptTimers(f"not a format {FORMAT} timers file")
    entries = data.get("timers")
    if not isinstance(entries, list):
        raise CorruptTimers("'timers' is not a list")
    return tuple(_decode(entry, index) for index, entry in enumerate(entries))


def _decode(entry: Any, index: int) -> Timer:
    if not isinstance(entry, dict) or set(entry) != set(FIELDS):
        raise CorruptTimers(f"timer {index}: fields are not {sorted(FIELDS)}")
    for name, kind in FIELDS.items():
        value = entry[name]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise CorruptTimers(f"timer {index}: {name} = {value!r} has the wrong type")
    if entry["kind"] not in (TIMER, ALARM) or not math.isfinite(entry["ends_at"]):
        raise CorruptTimers(f"timer {index}: kind {entry['kind']!r}, ends_at "
                            f"{entry['ends_at']!r}")
    return Timer(entry["id"], entry["kind"], float(entry["ends_at"]), entry["language"],
                 entry["name"], float(entry["seconds"]))


def _encode(timer: Timer) -> dict[str, Any]:
    return {"id": timer.id, "kind": timer.kind, "ends_at": timer.ends_at,
            "language": timer.language, "name": timer.name, "seconds": timer.seconds}


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (the directory entry is what changed)."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
