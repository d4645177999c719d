"""A Skills engine on a clock the test moves, in a fixed time zone (no flakes at midnight)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from voicebox.config.schema import SkillsConfig
from voicebox.skills.base import Zone
from voicebox.skills.engine import Skills
from voicebox.skills.store import TimerStore

ZONE = dt.timezone(dt.timedelta(hours=1))
START = dt.datetime(2026, 3, 21, 14, 5, tzinfo=ZONE).timestamp()  # a Saturday, 14:05


class Clock:
    """Wall-clock seconds that only move when told."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_skills(clock: Clock, path: Path | None = None, **settings: object) -> Skills:
    config = SkillsConfig(timers_file=path or Path("/nonexistent/timers.json"), **settings)
    store = TimerStore(path, clock) if path else None
    skills = Skills(config, store, clock, Zone(ZONE))
    skills.restore()
    return skills
