"""A one-slot mailbox: another thread leaves the newest value, the owner takes it when ready.

How the watchdog hands a new model or thread count to a pipeline stage: the stage takes it at
the start of its next turn (or while idle), on its own thread, so an engine is never swapped
mid-answer and llama.cpp is only ever touched by one thread at a time. A newer value replaces
an older one that was not taken yet: only the latest decision matters. A replaced value that
can be closed (a model) is closed at once: nobody else holds it, and a model left to the
garbage collector keeps hundreds of MB until it gets round to it.
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

T = TypeVar("T")


class Mailbox(Generic[T]):
    """Holds at most one value; thread-safe."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._value: T | None = None

    def put(self, value: T) -> None:
        """Leave ``value``, closing any value it replaces that was never taken."""
        with self._changed:
            displaced, self._value = self._value, value
            self._changed.notify_all()
        close = getattr(displaced, "close", None)
        if displaced is not value and callable(close):
            close()

    def take(self, timeout: float = 0.0) -> T | None:
        """The value left since the last take, or None; waits up to ``timeout`` for one."""
        with self._changed:
            if self._value is None and timeout > 0:
                self._changed.wait(timeout)
            value, self._value = self._value, None
        return value
