"""What the box says when a timer or alarm ends (or ended while it was off)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from voicebox.skills import spoken
from voicebox.skills.clock import time_sentence
from voicebox.skills.replies import say
from voicebox.skills.timer_skill import describe
from voicebox.skills.timers import ALARM, Ring


@dataclass(frozen=True)
class Announcement:
    """A sentence to say unasked, after a chime, for timer ``timer_id``."""

    text: str
    language: str
    timer_id: int


def announcement(ring: Ring, local: Callable[[float], dt.datetime]) -> Announcement:
    """"Your pasta timer is done.", "It's 7 AM. This is your alarm.", or what was missed."""
    timer, language = ring.timer, ring.timer.language
    ended = local(timer.ends_at)
    at = spoken.clock(ended.hour, ended.minute, language)
    if timer.kind == ALARM:
        text = (say(language, "alarm-missed", time=at) if ring.missed else
                say(language, "alarm-ring", now=time_sentence(ended.hour, ended.minute,
                                                              language)))
    elif ring.missed:
        text = say(language, "missed", what=describe(timer, language), time=at)
    else:
        text = say(language, "done", what=describe(timer, language))
    return Announcement(text, language, timer.id)
