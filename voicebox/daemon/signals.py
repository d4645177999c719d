"""SIGTERM and SIGINT: the first stops the daemon gracefully, a second one exits at once.

While the models are still loading there is nothing to stop gracefully, and a model load can
take a minute on a Pi: the first signal then ends the process as soon as Python regains
control (at the end of the current load step), with exit status 0 because it was asked to.
"""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType

from voicebox.ops.logging import get_logger

HANDLED = (signal.SIGTERM, signal.SIGINT)


class ShutdownRequested(SystemExit):
    """Raised in the main thread by a signal that arrived during start-up."""

    def __init__(self) -> None:
        super().__init__(0)


class SignalHandlers:
    """Installs the handlers; ``stop`` is set by the first signal once the daemon runs."""

    def __init__(self, stop: threading.Event) -> None:
        self.stop = stop
        self.running = False
        self._log = get_logger("daemon")

    def install(self) -> None:
        """Take over SIGTERM and SIGINT (main thread only, as Python requires)."""
        for signum in HANDLED:
            signal.signal(signum, self._handle)

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self.stop.is_set():
            self._log.warning("second-signal-exiting-now", signal=name)
            os._exit(128 + signum)
        self.stop.set()
        self._log.info("stopping", signal=name)
        if not self.running:
            raise ShutdownRequested
