"""The skills together: match a question, answer it, keep the timers, say what rings.

Thread-safe: the pipeline's STT worker answers questions while the ringer thread ticks the
timers; one lock guards the book, and the file is written under it after every change, so
the file always holds what the last reply said.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from voicebox.config.schema import SkillsConfig
from voicebox.ops.logging import get_logger
from voicebox.skills.arithmetic import ArithmeticSkill, parse_operator
from voicebox.skills.base import AskLlm, Context, Skill, Zone, parse_name
from voicebox.skills.clock import ClockSkill
from voicebox.skills.clocktimes import parse_clock_time
from voicebox.skills.durations import parse_duration
from voicebox.skills.more import MoreSkill
from voicebox.skills.numbers import parse_number
from voicebox.skills.repeat import RepeatSkill
from voicebox.skills.replies import LANGUAGES
from voicebox.skills.rings import Announcement, announcement
from voicebox.skills.store import TimerStore
from voicebox.skills.templates import Template, compile_template
from voicebox.skills.timer_skill import TimerSkill
from voicebox.skills.timers import BookLimits, TimerBook
from voicebox.skills.words import words

PARSERS: dict[str, Callable[[Any, str], Any]] = {
    "number": parse_number, "duration": parse_duration, "time": parse_clock_time,
    "name": parse_name, "operator": parse_operator}


@dataclass(frozen=True)
class Answer:
    """A skill's reply to a question ("" = say nothing, as after "stop")."""

    skill: str
    intent: str
    text: str
    language: str
    llm_prompt: str = ""
    """Not a reply but an instruction for the LLM, which answers instead ("tell me more")."""


@dataclass(frozen=True)
class TimerState:
    """One running timer or alarm, for /health."""

    kind: str
    name: str
    remaining_s: float


@dataclass(frozen=True)
class SkillsStatus:
    """A snapshot for /health and /metrics: read it, never the book."""

    running: tuple[TimerState, ...] = ()
    ringing: int = 0
    saved: bool = True
    """False when the last change could not be written to the timers file."""


@dataclass(frozen=True)
class _Entry:
    skill: Skill
    intent: str
    template: Template


def default_skills() -> tuple[Skill, ...]:
    """Every skill, in the order their templates are tried ("stop" first)."""
    return (TimerSkill(), RepeatSkill(), MoreSkill(), ClockSkill(), ArithmeticSkill())


def compile_skills(skills: tuple[Skill, ...]) -> dict[str, list[_Entry]]:
    """Each language's templates, compiled once, in matching order."""
    table: dict[str, list[_Entry]] = {language: [] for language in LANGUAGES}
    for skill in skills:
        for language, intents in skill.templates.items():
            for intent, texts in intents.items():
                table[language].extend(_Entry(skill, intent, compile_template(text))
                                       for text in texts)
    return table


class Skills:
    """Answers what the templates know; owns the timer book and its file."""

    def __init__(self, config: SkillsConfig, store: TimerStore | None,
                 clock: Callable[[], float] = time.time, zone: Zone | None = None) -> None:
        self._store = store
        self._clock = clock
        self._zone = zone or Zone()
        self._book = TimerBook(BookLimits(max_s=config.max_timer_h * 3600,
                                          max_timers=config.max_timers,
                                          ring_times=config.ring_times,
                                          ring_every_s=config.ring_every_s,
                                          ring_limit_s=config.ring_limit_s))
        self._table = compile_skills(default_skills())
        self._parsers = {language: {kind: partial(parse, language=language)
                                    for kind, parse in PARSERS.items()}
                         for language in LANGUAGES}
        self._lock = threading.Lock()
        self._last_answer = ""
        self._saved = True
        self.status = SkillsStatus()
        self._log = get_logger("skills")

    @classmethod
    def from_config(cls, config: SkillsConfig, persist: bool = True) -> Skills:
        """The box's skills; with ``persist``, timers live in ``config.timers_file``."""
        skills = cls(config, TimerStore(config.timers_file) if persist else None)
        skills.restore()
        return skills

    def restore(self) -> None:
        """Read the saved timers (ended ones will ring as missed)."""
        if self._store is None:
            return
        timers = self._store.load()
        with self._lock:
            self._book.restore(timers, self._clock())
            if len(self._book.running) != len(timers):
                self._save()  # the missed ones are announced now, not at every start
            self._log.info("timers-restored", running=len(self._book.running),
                           missed=len(self._book.ringing), path=str(self._store.path))
            self._publish()

    def answer(self, text: str, heard: str, language: str) -> Answer | None:
        """The answer to ``text`` in ``language`` if a template matches, else None.

        ``heard`` is the language the question was in; its templates are tried first.
        """
        if language not in LANGUAGES:
            return None
        tokens = words(text)
        for template_language, entry, slots in self._matches(tokens, heard):
            with self._lock:
                before = self._book.running
                reply = entry.skill.answer(entry.intent, slots,
                                           self._context(language, template_language))
                if self._book.running != before:
                    self._save()
                self._publish()
            if isinstance(reply, AskLlm):
                return Answer(entry.skill.name, entry.intent, "", language, reply.prompt)
            if reply is not None:
                return Answer(entry.skill.name, entry.intent, reply, language)
        return None

    def _matches(self, tokens: tuple[str, ...],
                 heard: str) -> Iterator[tuple[str, _Entry, Mapping[str, Any]]]:
        order = [heard] if heard in self._table else []
        for language in [*order, *(code for code in self._table if code != heard)]:
            for entry in self._table[language]:
                slots = entry.template.match(tokens, self._parsers[language])
                if slots is not None:
                    yield language, entry, slots

    def _context(self, language: str, heard: str) -> Context:
        now = self._clock()
        return Context(now, self._zone.local(now), self._zone, language, heard, self._book,
                       self._last_answer)

    def remember(self, answer: str) -> None:
        """What the box said last (any answer), for "say that again"."""
        if answer:
            self._last_answer = answer

    def silence(self) -> int:
        """Stop every ringing timer (the button); returns how many rang."""
        with self._lock:
            stopped = self._book.silence()
            self._publish()
        return len(stopped)

    def rings(self, timer_id: int) -> bool:
        """Whether timer ``timer_id`` still rings now (a held-back announcement of a timer
        stopped or timed out meanwhile is not said)."""
        with self._lock:
            return self._book.rings(timer_id, self._clock())

    def tick(self) -> list[Announcement]:
        """What to announce now: timers and alarms that ended, or ring again."""
        with self._lock:
            now = self._clock()
            before = self._book.running
            rings = self._book.tick(now)
            if self._book.running != before:
                self._save()
            self._publish()
        return [announcement(ring, self._zone.local) for ring in rings]

    def _save(self) -> None:
        if self._store is not None:
            self._saved = self._store.save(self._book.running)

    def _publish(self) -> None:
        now = self._clock()
        self.status = SkillsStatus(
            tuple(TimerState(t.kind, t.name, round(max(0.0, t.ends_at - now), 1))
                  for t in self._book.running),
            len(self._book.ringing), self._saved)
