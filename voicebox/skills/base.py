"""What every skill shares: the context it answers in and what it answers with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from voicebox.skills.timers import TimerBook

Templates = Mapping[str, Mapping[str, tuple[str, ...]]]
"""language -> intent -> templates, in the order they are tried."""


@dataclass(frozen=True)
class Zone:
    """Wall-clock seconds <-> the local time of day, both ways in the same time zone.

    ``tz`` None is the system's zone, through the C library, so an alarm "at 7" is 7 o'clock
    on the day it rings even across a daylight-saving change.
    """

    tz: dt.tzinfo | None = None

    def local(self, seconds: float) -> dt.datetime:
        """Naive local time of ``seconds``."""
        return dt.datetime.fromtimestamp(seconds, self.tz).replace(tzinfo=None)

    def seconds(self, local: dt.datetime) -> float:
        """Wall-clock seconds of the naive local time ``local``."""
        return local.replace(tzinfo=self.tz).timestamp()


@dataclass(frozen=True)
class Context:
    """What a skill knows when it answers: the time, the language, the state."""

    now: float
    """Wall-clock seconds (timers survive restarts, so they live on this clock)."""
    local: dt.datetime
    """``now`` as the local time of day, naive."""
    zone: Zone
    language: str
    """The language to answer in."""
    heard_language: str
    """The language of the template that matched (slot words are in it)."""
    book: TimerBook
    last_answer: str
    """What the box said last, for "say that again"."""


@dataclass(frozen=True)
class AskLlm:
    """A skill's reply that is an instruction for the LLM rather than words to say: the
    skill knows what was meant ("tell me more"), the LLM has to write the answer."""

    prompt: str


class Skill(Protocol):
    """A skill: its sentences and how it answers them."""

    name: str
    templates: Templates

    def answer(self, intent: str, slots: Mapping[str, Any],
               context: Context) -> str | AskLlm | None:
        """The reply to ``intent`` with ``slots`` filled; "" to say nothing; an
        :class:`AskLlm` to hand the LLM an instruction instead; None when the sentence is not
        for this skill after all (the next match, or the LLM, answers)."""


LEADING = {"en": {"the", "my", "a"}, "de": {"den", "der", "die", "das", "meinen", "mein"},
           "fr": {"le", "la", "les", "mon", "ma", "l'"}, "es": {"el", "la", "los", "mi"}}
NOT_NAMES = {"all", "alle", "tous", "todos", "timer", "timers", "minuteur", "temporizador"}
MAX_NAME_WORDS = 3


def parse_name(tokens: Sequence[str], language: str) -> tuple[str, ...] | None:
    """A timer's name: up to three words, without a leading "the"; None for "all"."""
    words = tuple(tokens)
    while words and words[0] in LEADING.get(language, ()):
        words = words[1:]
    if not words or len(words) > MAX_NAME_WORDS or NOT_NAMES & set(words):
        return None
    return words
