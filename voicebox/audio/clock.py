"""Time passed in by the caller, checked: the audio state machines take ``now`` from outside.

A clock that runs backwards or a NaN would silently corrupt hang-over and barge-in windows, so
it is refused at once with the two values in the message.
"""

from __future__ import annotations

import math


class PassedTime:
    """The last time a state machine was fed; refuses time that goes backwards."""

    def __init__(self) -> None:
        self.last: float | None = None

    def advance(self, now: float) -> None:
        """Accept ``now`` if it is finite and not before the previous one."""
        if not math.isfinite(now):
            raise ValueError(f"now must be a finite time in seconds, got {now!r}")
        if self.last is not None and now < self.last:
            raise ValueError(f"time went backwards: now={now!r} after {self.last!r}")
        self.last = now

    def reset(self) -> None:
        """Forget the last time (a fresh start may come from another clock)."""
        self.last = None
