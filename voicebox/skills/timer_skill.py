"""Timers and alarms: set, ask how long is left, cancel one or all, and "stop" the ringing.

The book (:mod:`.timers`) decides; this module turns its decisions into sentences. Every
request that cannot be done gets a reply that says why and what would work, because a voice
box that says nothing (or "OK" and does nothing) leaves the user guessing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from voicebox.skills import spoken
from voicebox.skills.base import Context
from voicebox.skills.clocktimes import PM, ClockTime
from voicebox.skills.durations import parse_duration
from voicebox.skills.replies import phrase, say
from voicebox.skills.timer_phrases import TEMPLATES
from voicebox.skills.timers import ALARM, TIMER, Refusal, Timer

DAY = dt.timedelta(days=1)


def describe(timer: Timer, language: str) -> str:
    """"pasta timer", "timer for 5 minutes", "alarm"."""
    if timer.kind == ALARM:
        return phrase(language, "alarm")
    if timer.name:
        return phrase(language, "named-timer", name=timer.name)
    return phrase(language, "timer", duration=spoken.duration(timer.seconds, language))


def next_alarm(said: ClockTime, now: dt.datetime) -> dt.datetime | Refusal:
    """The next time of day ``said`` after ``now`` (local, naive), or why there is none.

    Without "am" or "pm", "7" is whichever of 7:00 and 19:00 comes first.
    """
    if not 0 <= said.minute <= 59:
        return Refusal("bad-minute", said.minute)
    if said.half_day is not None:
        if not 1 <= said.hour <= 12:
            return Refusal("bad-hour", said.hour)
        hours = [said.hour % 12 + (12 if said.half_day == PM else 0)]
    elif not 0 <= said.hour <= 24:
        return Refusal("bad-hour", said.hour)
    else:
        hour = said.hour % 24
        hours = [hour, (hour + 12) % 24] if 1 <= hour <= 12 else [hour]
    candidates = []
    for hour in hours:
        at = now.replace(hour=hour, minute=said.minute, second=0, microsecond=0)
        candidates.append(at if at > now else at + DAY)
    return min(candidates)


class TimerSkill:
    """Timers, alarms and "stop", on the shared timer book."""

    name = "timer"
    templates = TEMPLATES

    def answer(self, intent: str, slots: Mapping[str, Any], context: Context) -> str | None:
        """Carry out ``intent`` on ``context.book`` and say what happened."""
        handler = {
            "stop": self._stop, "timer-set": self._set, "timer-bare": self._bare,
            "timer-follow-up": self._follow_up,
            "timer-left": self._left, "timer-cancel-all": self._cancel_all,
            "timer-cancel": self._cancel, "alarm-set": self._alarm,
            "alarm-cancel": self._cancel_alarms,
        }[intent]
        return handler(slots, context)

    def _stop(self, slots: Mapping[str, Any], context: Context) -> str:
        """Silence what rings; say nothing (the user wants quiet)."""
        context.book.silence()
        return ""

    def _bare(self, slots: Mapping[str, Any], context: Context) -> str:
        context.book.ask_duration(context.now)
        return say(context.language, "timer-needs-duration")

    def _follow_up(self, slots: Mapping[str, Any], context: Context) -> str | None:
        """"Five minutes" right after "For how long?" sets the timer; out of the blue it is
        no request, and goes to the LLM."""
        if not context.book.answers_question(context.now):
            return None
        return self._set(slots, context)

    def _set(self, slots: Mapping[str, Any], context: Context) -> str:
        language, seconds = context.language, float(slots["duration"])
        name = " ".join(slots.get("name", ()))
        timer = context.book.add_timer(seconds, language, context.now, name)
        if isinstance(timer, Refusal):
            return _refusal(timer, language, seconds, name)
        duration = spoken.duration(seconds, language)
        if name:
            return say(language, "named-timer-set", name=name, duration=duration)
        return say(language, "timer-set", duration=duration)

    def _left(self, slots: Mapping[str, Any], context: Context) -> str:
        language = context.language
        timers = _chosen(slots, context)
        if not timers:
            return _none_found(slots, language)
        if len(timers) == 1:
            left = spoken.duration(timers[0].ends_at - context.now, language)
            return say(language, "left", duration=left)
        return " ".join(say(language, "left-of", what=describe(t, language),
                            duration=spoken.duration(t.ends_at - context.now, language))
                        for t in timers)

    def _cancel(self, slots: Mapping[str, Any], context: Context) -> str:
        language, book = context.language, context.book
        if book.ringing and "name" not in slots:
            book.silence()
            return ""
        timers = _chosen(slots, context)
        if not timers:
            return _none_found(slots, language)
        if len(timers) > 1 and "name" in slots:
            timers = timers[:1]  # "the 5 minute timer" of several: the one ending first
        if len(timers) > 1:
            names = spoken.join([describe(t, language) for t in timers], language)
            return say(language, "which", count=len(timers), names=names)
        book.cancel(timers)
        return say(language, "cancelled", what=describe(timers[0], language))

    def _cancel_all(self, slots: Mapping[str, Any], context: Context) -> str:
        cancelled = context.book.cancel(context.book.of_kind(TIMER))
        if not cancelled:
            return say(context.language, "no-timers")
        if len(cancelled) == 1:
            return say(context.language, "cancelled",
                       what=describe(cancelled[0], context.language))
        return say(context.language, "all-cancelled", count=len(cancelled))

    def _alarm(self, slots: Mapping[str, Any], context: Context) -> str:
        language = context.language
        at = next_alarm(slots["time"], context.local)
        if isinstance(at, Refusal):
            return say(language, at.reason, hour=slots["time"].hour,
                       minute=slots["time"].minute)
        alarm = context.book.add_alarm(context.zone.seconds(at), language)
        if isinstance(alarm, Refusal):
            return _refusal(alarm, language, 0, "")
        day = "today" if at.date() == context.local.date() else "tomorrow"
        return say(language, "alarm-set", time=spoken.clock(at.hour, at.minute, language),
                   day=phrase(language, day))

    def _cancel_alarms(self, slots: Mapping[str, Any], context: Context) -> str:
        cancelled = context.book.cancel(context.book.of_kind(ALARM))
        if not cancelled:
            return say(context.language, "no-alarms")
        return say(context.language, "cancelled", what=phrase(context.language, "alarm"))


def _chosen(slots: Mapping[str, Any], context: Context) -> tuple[Timer, ...]:
    """The timers a request names: by name, by length ("the 5 minute timer"), or all."""
    book = context.book
    if "name" not in slots:
        return book.of_kind(TIMER)
    named = book.of_kind(TIMER, " ".join(slots["name"]))
    if named:
        return named
    seconds = parse_duration(slots["name"], context.heard_language)
    return tuple(t for t in book.of_kind(TIMER) if seconds is not None and t.seconds == seconds)


def _none_found(slots: Mapping[str, Any], language: str) -> str:
    if "name" in slots:
        return say(language, "no-such-timer", name=" ".join(slots["name"]))
    return say(language, "no-timers")


def _refusal(refusal: Refusal, language: str, seconds: float, name: str) -> str:
    limit = (spoken.duration(refusal.limit, language)
             if refusal.reason in ("too-short", "too-long") else int(refusal.limit))
    return say(language, refusal.reason, limit=limit, name=name,
               duration=spoken.duration(seconds, language))

