"""Named worker threads that pull one item at a time from a bounded queue.

Pulling one item (one utterance, token or sentence) at a time is what makes every blocking
engine abandonable at the next item: a cancelled turn's items are dropped as they come up. A
failing item ends its turn through the stage's ``fail``; the worker itself keeps running, so an
engine error never takes the process down.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any, Protocol

from voicebox.errors import VoiceboxError
from voicebox.messages import Turn
from voicebox.ops.logging import get_logger

POLL_S = 0.05


class Stage(Protocol):
    """What a worker runs: a handler per item and a way to end a turn after an error."""

    name: str

    def handle(self, item: Any) -> None:
        """Process one item."""

    def fail(self, item: Any, error: VoiceboxError) -> None:
        """End ``item``'s turn cleanly after ``error`` (apologise, forward the end)."""


def offer(outbox: queue.Queue, item: Any, turn: Turn, stopping: threading.Event) -> bool:
    """Put ``item`` with backpressure; give up if its turn is cancelled or we are stopping.

    Every item offered (a token, a sentence) is progress: a worker busy with a long answer
    must not look hung to the service watchdog, while one stuck inside an engine call does.
    """
    while not (turn.cancelled or stopping.is_set()):
        heartbeat()
        try:
            outbox.put(item, timeout=POLL_S)
        except queue.Full:
            continue
        return True
    return False


def drain(inbox: queue.Queue, turn: Turn) -> int:
    """Throw away what waits in ``inbox`` for ``turn``; returns how many items were dropped.

    Items of other (newer) turns stay, in order: a cancelled answer must not take the next
    question with it.
    """
    with inbox.mutex:
        kept = [item for item in inbox.queue if item.turn is not turn]
        dropped = len(inbox.queue) - len(kept)
        inbox.queue.clear()
        inbox.queue.extend(kept)
        inbox.not_full.notify_all()
    return dropped


def heartbeat() -> None:
    """Stamp the calling worker as making progress (a no-op on other threads)."""
    thread = threading.current_thread()
    if isinstance(thread, Worker):
        thread.last_progress = time.monotonic()


class Worker(threading.Thread):
    """A thread running one stage; ``last_progress`` tells a watchdog it is alive."""

    def __init__(self, stage: Stage, inbox: queue.Queue, stopping: threading.Event) -> None:
        super().__init__(name=f"voicebox-{stage.name}", daemon=True)
        self.stage = stage
        self.inbox = inbox
        self._stopping = stopping
        self.last_progress = time.monotonic()
        self._log = get_logger(stage.name)

    def run(self) -> None:
        """Handle items until the pipeline stops."""
        while not self._stopping.is_set():
            self.last_progress = time.monotonic()
            try:
                item = self.inbox.get(timeout=POLL_S)
            except queue.Empty:
                self._idle()
                continue
            self._process(item)

    def _idle(self) -> None:
        """Let a stage that has one run its between-items step (a model switch) on this
        thread; a failure is logged and tried again next time, never fatal to the worker."""
        idle = getattr(self.stage, "idle", None)
        if idle is None:
            return
        try:
            idle()
        except Exception:
            self._log.exception("stage-idle-failed")

    def _process(self, item: Any) -> None:
        try:
            self.stage.handle(item)
        except VoiceboxError as error:
            self._log.error("stage-failed", code=error.code, error=error.message,
                            turn_id=item.turn.turn_id)
            self.stage.fail(item, error)
        except Exception as exc:  # a bug must end the turn, not the worker
            self._log.exception("stage-crashed", turn_id=item.turn.turn_id)
            self.stage.fail(item, VoiceboxError(f"internal error in {self.stage.name}: {exc}"))

    def stop(self, timeout: float) -> bool:
        """Join (the stop Event is set by the owner); False if the thread did not end."""
        self.join(timeout)
        if self.is_alive():
            self._log.error("worker-did-not-stop", timeout_s=timeout)
            return False
        return True
