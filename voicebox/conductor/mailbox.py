"""A one-slot mailbox: another thread leaves the newest value, the owner takes it when ready.

How the watchdog hands a new model or thread count to a pipeline stage: the stage takes it at
the start of its next turn, on its own thread, so an engine is never swapped mid-answer and
llama.cpp is only ever touched by the thread that generates. A newer value replaces an older
one that was not taken yet: only the latest decision matters.
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

T = TypeVar("T")


class Mailbox(Generic[T]):
    """Holds at most one value; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: T | None = None

    def put(self, value: T) -> None:
        """Leave ``value``, replacing any that was not taken."""
        with self._lock:
            self._value = value

    def take(self) -> T | None:
        """The value left since the last take, or None."""
        with self._lock:
            value, self._value = self._value, None
        return value
