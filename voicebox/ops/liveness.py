"""Which threads are alive and making progress: the condition for systemd's WATCHDOG=1.

Each long-lived thread stamps ``last_progress`` (monotonic seconds) every time round its loop,
and pipeline workers also for every token or sentence they pass on. A thread that died, or
sat inside one call for longer than ``stall_s``, is stalled; the daemon then stops pinging
systemd, which restarts the service: the one cure for a hung engine call.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Vital:
    """One thread to watch and how to read its progress stamp."""

    name: str
    thread: threading.Thread
    last_progress: Callable[[], float]
    stall_s: float | None = None
    """This thread's own limit, for one whose single step may rightly take longer than the
    service's (a model load); None: the liveness's."""


class Liveness:
    """Judges a fixed set of threads against one stall limit."""

    def __init__(self, vitals: Iterable[Vital], stall_s: float) -> None:
        self.vitals = list(vitals)
        self.stall_s = stall_s

    def stalled(self, now: float) -> dict[str, str]:
        """The threads that died or made no progress for ``stall_s``: name -> what happened."""
        problems = {}
        for vital in self.vitals:
            silent = now - vital.last_progress()
            limit = vital.stall_s if vital.stall_s is not None else self.stall_s
            if not vital.thread.is_alive():
                problems[vital.name] = f"{vital.name} thread died"
            elif silent > limit:
                problems[vital.name] = f"{vital.name} thread stalled for {silent:.0f} s"
        return problems

    def progress_ages(self, now: float) -> dict[str, float]:
        """Seconds since each thread's last progress, for /health."""
        return {vital.name: round(now - vital.last_progress(), 2) for vital in self.vitals}
