"""The event sink that remembers: a turn's timeline, for the latency table and the tests.

Stages emit from several threads; a Condition lets the caller wait for a turn's last event
instead of polling.
"""

from __future__ import annotations

import threading
from dataclasses import asdict

from voicebox.events import (
    FirstAudio,
    FirstSentence,
    FirstToken,
    SkillAnswered,
    SttDone,
    TurnCancelled,
    TurnDone,
    TurnEvent,
    TurnFailed,
    TurnStarted,
)
from voicebox.ops.logging import get_logger

MILESTONES: dict[str, type[TurnEvent] | tuple[type[TurnEvent], ...]] = {
    "stt": SttDone, "first token": (FirstToken, SkillAnswered), "first sentence": FirstSentence,
    "first audio": FirstAudio, "total": TurnDone}
"""A skill's whole reply stands where the LLM's first token would."""
FINAL = (TurnDone, TurnCancelled)


class Timeline:
    """Collects every event; thread-safe."""

    def __init__(self) -> None:
        self._events: list[TurnEvent] = []
        self._changed = threading.Condition()
        self._log = get_logger("pipeline")

    def __call__(self, event: TurnEvent) -> None:
        """Record (and log) one event."""
        with self._changed:
            self._events.append(event)
            self._changed.notify_all()
        fields = {k: v for k, v in asdict(event).items() if k != "at"}
        level = self._log.warning if isinstance(event, TurnFailed) else self._log.debug
        level(type(event).__name__, **fields)

    def events(self, turn_id: int) -> list[TurnEvent]:
        """The turn's events in the order they happened."""
        with self._changed:
            return [e for e in self._events if e.turn_id == turn_id]

    def events_of(self, kind: type[TurnEvent]) -> list[TurnEvent]:
        """Every event of ``kind``, of any turn, in order."""
        with self._changed:
            return [e for e in self._events if isinstance(e, kind)]

    def first(self, turn_id: int,
              kind: type[TurnEvent] | tuple[type[TurnEvent], ...]) -> TurnEvent | None:
        """The turn's first event of ``kind``."""
        return next((e for e in self.events(turn_id) if isinstance(e, kind)), None)

    def wait_for(self, turn_id: int, kinds: tuple[type[TurnEvent], ...],
                 timeout: float) -> TurnEvent | None:
        """Block until the turn has an event of one of ``kinds``; None on timeout."""
        def found() -> TurnEvent | None:
            return next((e for e in self._events
                         if e.turn_id == turn_id and isinstance(e, kinds)), None)

        with self._changed:
            self._changed.wait_for(lambda: found() is not None, timeout)
            return found()

    def wait_until_final(self, turn_id: int, timeout: float) -> TurnEvent | None:
        """Block until the turn is done or cancelled; None on timeout."""
        return self.wait_for(turn_id, FINAL, timeout)

    def latencies(self, turn_id: int) -> dict[str, float | None]:
        """Seconds from the turn's start to each milestone (None if it never came)."""
        start = self.first(turn_id, TurnStarted)
        result: dict[str, float | None] = {}
        for name, kind in MILESTONES.items():
            event = self.first(turn_id, kind)
            result[name] = event.at - start.at if event and start else None
        return result
