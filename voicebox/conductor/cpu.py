"""Taking turns on the CPU: the LLM pauses while a sentence is being synthesised.

Why not run them side by side: on a small CPU both are compute-bound, and sharing the cores
makes each slower than its half. Measured on the 2-core dev machine (piper joe-medium, a
13-word sentence; SmolLM2-135M): piper alone 140 ms on 2 threads, 248 ms on 1 thread, and
359 ms on 2 threads with the LLM generating beside it. Taking turns, synthesis gets every
core: in the daemon on the virtual sound card (an A/B of 10 turns each, same run) the first
sentence's synthesis went from 268 to 187 ms median and voice-to-voice from 1.24 to 1.18 s.
Throughput is the same (generate then synthesise, ~250 ms a sentence, instead of both at
once), and a sentence takes seconds to play, so the next one is always ready in time.

Synthesis has priority because it is what the listener waits for; the LLM checks between
tokens, which is where llama-cpp-python's generator hands control back anyway.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from voicebox.conductor.worker import POLL_S, heartbeat
from voicebox.messages import Turn


class SynthesisFirst:
    """A gate the TTS stage holds while it synthesises and the LLM stage waits at."""

    def __init__(self) -> None:
        self._busy = 0
        self._changed = threading.Condition()

    @contextmanager
    def synthesis(self) -> Iterator[None]:
        """Held around one synthesis call."""
        with self._changed:
            self._busy += 1
        try:
            yield
        finally:
            with self._changed:
                self._busy -= 1
                self._changed.notify_all()

    def wait_turn(self, turn: Turn, stopping: threading.Event) -> bool:
        """Block while a synthesis runs; False if ``turn`` was cancelled or we are stopping.

        Waiting counts as progress for the service watchdog: a hung synthesis is reported as
        the TTS stage's stall, not as the LLM's.
        """
        with self._changed:
            while self._busy > 0:
                if turn.cancelled or stopping.is_set():
                    return False
                heartbeat()
                self._changed.wait(POLL_S)
        return not (turn.cancelled or stopping.is_set())
