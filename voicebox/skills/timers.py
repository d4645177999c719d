"""The timer book: timers and alarms, what rings when, and what is refused. Pure: the time
is passed in (wall-clock seconds, because a timer must survive a restart and the monotonic
clock does not), and every method returns its decision instead of acting on it.

Why refuse rather than clamp: "a timer for 400 days" is a mishearing or a joke, and a timer
that silently became 24 hours would ring at the wrong time; saying why lets the user ask
again. A timer that ends rings (``tick`` returns it) and rings again every ``ring_every_s``
until "stop" (or the button), at most ``ring_times`` times and never after ``ring_limit_s``:
a box left alone in an empty kitchen must not ring for ever, and a repeat held back by an
answer in progress is dropped once the limit has passed rather than said late. It counts as
ringing for the whole of that window, so "stop" between two repeats still stops it, and for
one repeat interval after its last ring. One that ended while the box was off rings once when
it is back, marked ``missed`` so the announcement can say when it ended (then, after that one
interval, it no longer counts as ringing: no 60 s of "ringing" in silence).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

TIMER, ALARM = "timer", "alarm"
FOLLOW_UP_S = 30.0
"""How long after "For how long?" a bare duration ("five minutes") sets the timer."""


@dataclass(frozen=True)
class Timer:
    """A running timer or alarm. ``seconds`` is the length it was set for (0 for alarms)."""

    id: int
    kind: str
    ends_at: float
    language: str
    name: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class Ring:
    """Announce that ``timer`` ended (``missed``: while the box was off)."""

    timer: Timer
    missed: bool = False


@dataclass(frozen=True)
class Refusal:
    """Why a request was not done: ``reason`` is a key of the replies; ``limit`` the bound."""

    reason: str
    limit: float = 0.0


@dataclass(frozen=True)
class BookLimits:
    """What the book accepts and how it rings."""

    min_s: float = 1.0
    max_s: float = 24 * 3600.0
    max_timers: int = 10
    ring_times: int = 6
    ring_every_s: float = 10.0
    ring_limit_s: float = 60.0


@dataclass
class _Ringing:
    timer: Timer
    next_at: float
    left: int
    missed: bool
    until: float


@dataclass
class TimerBook:
    """The running timers and alarms and the ringing ones."""

    limits: BookLimits = field(default_factory=BookLimits)
    _running: dict[int, Timer] = field(default_factory=dict)
    _ringing: dict[int, _Ringing] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _asked_at: float | None = None

    @property
    def running(self) -> tuple[Timer, ...]:
        """Timers and alarms still to end, soonest first (what the store keeps)."""
        return tuple(sorted(self._running.values(), key=lambda t: (t.ends_at, t.id)))

    @property
    def ringing(self) -> tuple[Timer, ...]:
        """Timers that ended and still ring (within their ``ring_limit_s``)."""
        return tuple(entry.timer for entry in self._ringing.values())

    def rings(self, timer_id: int, now: float) -> bool:
        """Whether timer ``timer_id`` still rings at ``now`` (not stopped, not timed out):
        an announcement held back by an answer is said only if so."""
        entry = self._ringing.get(timer_id)
        return entry is not None and now < entry.until

    def restore(self, timers: tuple[Timer, ...], now: float) -> None:
        """Take the timers read back after a start; those that ended meanwhile will ring."""
        for timer in timers:
            if timer.ends_at <= now:
                self._ringing[timer.id] = _Ringing(timer, now, 1, missed=True,
                                                   until=now + self.limits.ring_limit_s)
            else:
                self._running[timer.id] = timer
        top = max((t.id for t in timers), default=0)
        self._ids = itertools.count(top + 1)

    def add_timer(self, seconds: float, language: str, now: float,
                  name: str = "") -> Timer | Refusal:
        """Start a timer of ``seconds``, or say why not."""
        if seconds < self.limits.min_s:
            return Refusal("too-short", self.limits.min_s)
        if seconds > self.limits.max_s:
            return Refusal("too-long", self.limits.max_s)
        if name and any(t.name == name for t in self._running.values()):
            return Refusal("name-taken")
        return self._add(Timer(0, TIMER, now + seconds, language, name, seconds))

    def add_alarm(self, at: float, language: str) -> Timer | Refusal:
        """Set an alarm for wall-clock time ``at`` (the caller found the next such time)."""
        return self._add(Timer(0, ALARM, at, language))

    def _add(self, timer: Timer) -> Timer | Refusal:
        if len(self._running) >= self.limits.max_timers:
            return Refusal("too-many", self.limits.max_timers)
        timer = replace(timer, id=next(self._ids))
        self._running[timer.id] = timer
        return timer

    def ask_duration(self, now: float) -> None:
        """The box asked "for how long?": a duration said soon after sets the timer."""
        self._asked_at = now

    def answers_question(self, now: float) -> bool:
        """Whether a bare duration said at ``now`` answers "for how long?" (asked once)."""
        asked, self._asked_at = self._asked_at, None
        return asked is not None and 0 <= now - asked <= FOLLOW_UP_S

    def of_kind(self, kind: str, name: str = "") -> tuple[Timer, ...]:
        """Running timers (or alarms) of ``kind``, only those called ``name`` if given."""
        return tuple(t for t in self.running if t.kind == kind and (not name or t.name == name))

    def cancel(self, timers: tuple[Timer, ...]) -> tuple[Timer, ...]:
        """Remove ``timers``; returns those that were still running."""
        return tuple(t for t in timers if self._running.pop(t.id, None) is not None)

    def silence(self) -> tuple[Timer, ...]:
        """Stop every ringing timer ("stop"); returns them."""
        stopped = self.ringing
        self._ringing.clear()
        return stopped

    def tick(self, now: float) -> list[Ring]:
        """What rings at ``now``: timers that just ended, and ringing ones due again."""
        for timer in [t for t in self._running.values() if t.ends_at <= now]:
            del self._running[timer.id]
            self._ringing[timer.id] = _Ringing(timer, timer.ends_at, self.limits.ring_times,
                                               missed=False,
                                               until=now + self.limits.ring_limit_s)
        rings = []
        for key, entry in list(self._ringing.items()):
            if now >= entry.until:
                del self._ringing[key]
            elif entry.left > 0 and entry.next_at <= now:
                rings.append(Ring(entry.timer, entry.missed))
                entry.left -= 1
                entry.next_at = now + self.limits.ring_every_s
                if entry.left == 0:  # the last ring: it stops one repeat later, not at the limit
                    entry.until = min(entry.until, entry.next_at)
        return rings
