"""The thread that rings timers: it ticks the skills' timer book and hands what is due to
the pipeline, which says it after a chime when no answer is in progress.

An announcement waits while a question is being answered (it would cut into the answer's
sentences) and is said as soon as the pipeline is free: the ringing ducks under the answer
and resumes right after it. At most one announcement per timer waits (repeats that fall due
during a long answer are one ring, not a burst after it), and one whose timer was stopped
or stopped ringing meanwhile (its ``ring_limit_s`` passed) is dropped unsaid.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable

from voicebox.ops.logging import get_logger
from voicebox.skills.engine import Skills
from voicebox.skills.rings import Announcement

TICK_S = 0.5


class Ringer(threading.Thread):
    """Ticks ``skills`` every ``TICK_S``; ``announce`` returns False while the box is busy."""

    def __init__(self, skills: Skills, announce: Callable[[Announcement], bool],
                 stopping: threading.Event) -> None:
        super().__init__(name="voicebox-ringer", daemon=True)
        self._skills = skills
        self._announce = announce
        self._stopping = stopping
        self._waiting: collections.deque[Announcement] = collections.deque()
        self.last_progress = time.monotonic()
        self._log = get_logger("ringer")

    def run(self) -> None:
        """Tick until the pipeline stops; a failure is logged and the next tick tries again."""
        while not self._stopping.wait(TICK_S):
            self.last_progress = time.monotonic()
            try:
                self.step()
            except Exception:  # a bug here must not silence every later timer
                self._log.exception("ringer-failed")

    def step(self) -> None:
        """One tick: collect what rings, say what can be said now.

        An announcement that fails (a voice that is gone since the timer was set) is logged
        and dropped, so it cannot hold up every later one.
        """
        for due in self._skills.tick():
            if all(waiting.timer_id != due.timer_id for waiting in self._waiting):
                self._waiting.append(due)
        while self._waiting:
            head = self._waiting[0]
            if not self._skills.rings(head.timer_id):
                self._waiting.popleft()
                continue
            try:
                if not self._announce(head):
                    return
                self._log.info("timer-announced", language=head.language)
            except Exception:
                self._log.exception("announcement-failed", language=head.language)
            self._waiting.popleft()
