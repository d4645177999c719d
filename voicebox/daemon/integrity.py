"""The full sha256 of every model file the box may load, checked in the background after READY.

At start only sizes are checked (hashing gigabytes on a Pi would delay the first answer by a
minute), so one flipped byte in whisper's model.bin used to give a box that reached READY,
said it was healthy and heard nothing. This thread reads each pinned file in 1 MiB chunks at
the lowest CPU priority the kernel has (SCHED_IDLE and nice 19, for this thread only), with
a short pause between chunks, so it only ever uses idle CPU; it stops at the next chunk when
the daemon stops. It covers every model of the profile, the small tier the throttle may switch
to included. A mismatch is logged and published for /health and the status line.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import threading
from dataclasses import dataclass

from voicebox.models.lock import ModelFile
from voicebox.models.store import CHUNK, ModelStore, fix_hint
from voicebox.ops.logging import get_logger

PAUSE_S = 0.002
"""Between 1 MiB chunks: the disk and the page cache are shared with the engines too."""


@dataclass(frozen=True)
class Integrity:
    """What the check found so far: a snapshot other threads read whole."""

    total: int
    checked: int = 0
    corrupt: tuple[str, ...] = ()
    """One message per damaged file: which file, what is wrong, the fix."""
    done: bool = False


class HashCheck(threading.Thread):
    """Hashes the files of the store's models, once, then ends."""

    def __init__(self, store: ModelStore, stopping: threading.Event,
                 pause_s: float = PAUSE_S) -> None:
        super().__init__(name="voicebox-hashcheck", daemon=True)
        self._store = store
        self._files = [f for entry in store.models for f in entry.files]
        self._stopping = stopping
        self._pause_s = pause_s
        self.status = Integrity(total=len(self._files))
        self._log = get_logger("hashcheck")

    def run(self) -> None:
        """Check every file unless stopped; a bug here is logged, never fatal to the box."""
        try:
            self._check_all()
        except Exception:
            self._log.exception("hashcheck-failed")

    def _check_all(self) -> None:
        """A file that cannot be read is reported like damage."""
        _lowest_priority()
        for model_file in self._files:
            try:
                problem = self._problem(model_file)
            except OSError as exc:
                problem = self._message(model_file, f"cannot be read ({exc.strerror or exc})")
            if self._stopping.is_set():
                return
            corrupt = self.status.corrupt
            if problem is not None:
                self._log.error("model-file-corrupt", problem=problem)
                corrupt = (*corrupt, problem)
            self.status = dataclasses.replace(self.status, checked=self.status.checked + 1,
                                              corrupt=corrupt)
        self.status = dataclasses.replace(self.status, done=True)
        self._log.info("model-files-verified", files=self.status.checked,
                       corrupt=len(self.status.corrupt))

    def _problem(self, model_file: ModelFile) -> str | None:
        """None if the file matches its pin (or the check was stopped), else the message."""
        digest = hashlib.sha256()
        with self._store.path_of(model_file).open("rb") as handle:
            while block := handle.read(CHUNK):
                if self._stopping.wait(self._pause_s):
                    return None
                digest.update(block)
        if digest.hexdigest() == model_file.sha256:
            return None
        return self._message(model_file, f"sha256 {digest.hexdigest()[:16]}… where "
                                         f"models.lock pins {model_file.sha256[:16]}…")

    @staticmethod
    def _message(model_file: ModelFile, found: str) -> str:
        return (f"model file {model_file.model}/{model_file.name} is corrupt: {found}; "
                f"{fix_hint(model_file)}")


def _lowest_priority() -> None:
    """This thread only (Linux schedules threads one by one): idle class, nice 19."""
    thread = threading.get_native_id()
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the pauses still apply
        os.sched_setscheduler(thread, os.SCHED_IDLE, os.sched_param(0))
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, thread, 19)
