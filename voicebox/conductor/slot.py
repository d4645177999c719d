"""The engine a pipeline stage uses, changed only on the stage's own thread.

The throttle loads models on a thread of its own, but a stage must swap its engine between
turns and on its own thread (llama.cpp is not thread-safe; an answer must not change model
halfway). Other threads therefore only leave requests here: a new engine (:meth:`offer`), or
"free yours now" (:meth:`release`) when memory is short and the larger model must leave
memory before the smaller one is loaded. The stage applies them at the start of each turn and
while idle, closes every engine it replaces, and waits for a new one while it has none.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from voicebox.conductor.mailbox import Mailbox
from voicebox.conductor.worker import POLL_S, heartbeat
from voicebox.errors import VoiceboxError

MODEL_WAIT_S = 120.0
"""How long a turn waits for the model being loaded after a release (a slow SD card)."""


class Closeable(Protocol):
    """An engine that frees its memory on close()."""

    def close(self) -> None:
        """Free the model now."""


E = TypeVar("E", bound=Closeable)


class EngineSlot(Generic[E]):
    """One stage's engine and the pending requests for it; requests from any thread, the
    rest on the owning thread only."""

    def __init__(self, engine: E, missing: Callable[[str], VoiceboxError]) -> None:
        """``missing`` makes the stage's own error for a turn that found no engine."""
        self._engine: E | None = engine
        self._next: Mailbox[E] = Mailbox()
        self._release: Mailbox[threading.Event] = Mailbox()
        self._missing = missing

    def offer(self, engine: E) -> None:
        """Use ``engine`` from the next turn on (any thread)."""
        self._next.put(engine)

    def release(self) -> threading.Event:
        """Close the engine in use as soon as the stage is between turns (any thread); the
        Event is set once it is closed."""
        released = threading.Event()
        self._release.put(released)
        return released

    @property
    def engine(self) -> E | None:
        """The engine in use; None while released and nothing new arrived."""
        return self._engine

    def apply(self) -> E | None:
        """Carry out what was requested (owning thread); the engine in use afterwards."""
        released = self._release.take()
        if released is not None:
            self._replace(None)
            released.set()
        engine = self._next.take()
        if engine is not None:
            self._replace(engine)
        return self._engine

    def ready(self, abandoned: Callable[[], bool], wait_s: float = MODEL_WAIT_S) -> E:
        """The engine for a turn (owning thread), waiting for one being loaded; raises the
        stage's error when none comes within ``wait_s`` or the turn is abandoned."""
        deadline = time.monotonic() + wait_s
        engine = self.apply()
        while engine is None:
            heartbeat()  # waiting for a load is not a hang
            if abandoned() or time.monotonic() > deadline:
                raise self._missing(f"no model loaded after waiting {wait_s:.0f} s")
            arrived = self._next.take(POLL_S)
            if arrived is not None:
                self._replace(arrived)
            engine = self._engine
        return engine

    def _replace(self, engine: E | None) -> None:
        old, self._engine = self._engine, engine
        if old is not None and old is not engine:
            old.close()
