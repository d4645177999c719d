"""The test harness's side of the virtual sound card: a talker on vmic and an ear on vspk.

Both use pacat/parec subprocesses, not PortAudio streams. They live outside this process's
PortAudio, so a test (or the program under test) re-initialising PortAudio after a device loss
does not cut the harness off; they speak to the server natively, and in the recipe's
measurements they never glitched, while duplex PortAudio streams over two pulse-plugin PCMs
occasionally aborted at start under load.

Times are ``time.monotonic()`` seconds: the null sinks are clocked by the system timer, so
sample ``i`` of a recording sits at ``start + i / rate`` with no drift.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Self

import numpy as np

from tests.rig.plumbing import SampleClock
from voicebox.audio.resample import resample

RATE = 48000
CHUNK_SECONDS = 0.01
PIPE_BYTES = 4096
"""The smallest pipe Linux allows: it bounds, and keeps constant, how far the talker's writes
run ahead of the sound server (21 ms at 48 kHz) instead of the default 64 KiB (341 ms)."""


@dataclass(eq=False)
class Clip:
    """One ``MicFeed.play``: its samples and when they went out."""

    samples: np.ndarray
    position: int = 0
    started_at: float | None = None
    """Monotonic time the first sample was written to the feed ("the user started talking");
    it reaches vmic a few tens of milliseconds later."""
    done: threading.Event = field(default_factory=threading.Event)

    def wait(self, timeout: float = 30.0) -> bool:
        """Whether the whole clip was written within ``timeout`` seconds."""
        return self.done.wait(timeout)


class _Piped:
    """A pacat/parec subprocess on one device, and the named thread that feeds or drains it."""

    tool = ""
    latency_ms = 10

    def __init__(self, rate: int, device: str, env: Mapping[str, str] | None) -> None:
        self.rate = rate
        self.device = device
        self.env = {**os.environ, **(env or {})}
        self.error: BaseException | None = None  # why it ended before stop (server died?)
        self._stopping = threading.Event()
        self._proc: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._shutdown()

    def start(self, timeout: float = 5.0) -> None:
        """Start; return once audio moves, so that no later sample is lost or late."""
        pipe = {"stdin": subprocess.PIPE} if self.tool == "pacat" else {"stdout": subprocess.PIPE}
        self._proc = subprocess.Popen(
            [self.tool, "--raw", "-d", self.device, "--format=float32le", f"--rate={self.rate}",
             "--channels=1", f"--latency-msec={self.latency_ms}"],
            env=self.env, bufsize=0, stderr=subprocess.DEVNULL, **pipe)
        if self._proc.stdin is not None:
            fcntl.fcntl(self._proc.stdin.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        self._thread = threading.Thread(target=self._run, name=f"{type(self).__name__}-{self.tool}")
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._moving() and self.error is None and time.monotonic() < deadline:
            time.sleep(0.005)
        if not self._moving():
            self._shutdown()
            raise RuntimeError(f"{self.tool} -d {self.device}: no audio ({self.error or timeout})")

    def _shutdown(self) -> None:
        """Stop the thread, reap the subprocess (killing it if it hangs). Idempotent."""
        self._stopping.set()
        proc, self._proc = self._proc, None
        if proc is not None:
            self._hang_up(proc)
            try:
                proc.wait(2)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        for pipe in (proc.stdin, proc.stdout) if proc is not None else ():
            if pipe is not None:
                pipe.close()

    def _run(self) -> None:
        try:
            self._pump()
        except OSError as exc:
            self.error = exc
        finally:
            if self.error is None and not self._stopping.is_set():
                self.error = EOFError(f"{self.tool} ended")
            self._ended()

    def _moving(self) -> bool:
        raise NotImplementedError

    def _pump(self) -> None:
        raise NotImplementedError

    def _hang_up(self, proc: subprocess.Popen[bytes]) -> None:
        proc.terminate()

    def _ended(self) -> None:
        pass


class MicFeed(_Piped):
    """Plays float32 mono audio into ``vmicfeed`` (heard on ``vmic``) in real time.

    A persistent ``pacat`` stream is written zeros whenever nothing is queued, so the stream
    never underruns or re-buffers and the delay from write to mic stays constant.
    """

    tool = "pacat"
    latency_ms = 20  # the recipe's setting; the 4 KiB pipe in front keeps it topped up

    def __init__(self, rate: int = RATE, device: str = "vmicfeed",
                 env: Mapping[str, str] | None = None) -> None:
        super().__init__(rate, device, env)
        self._chunk = round(rate * CHUNK_SECONDS)
        self._queue: deque[Clip] = deque()
        self._lock = threading.Lock()
        self._written = 0

    def play(self, samples: np.ndarray, rate: int) -> Clip:
        """Queue ``samples`` (mono, at ``rate``) after anything already queued; returns at once."""
        audio = np.asarray(samples, np.float32).reshape(-1)
        clip = Clip(audio if rate == self.rate else resample(audio, rate, self.rate))
        with self._lock:
            if self.error is not None:
                raise RuntimeError(f"the mic feed died: {self.error}")
            self._queue.append(clip)
        return clip

    def wait(self, timeout: float = 30.0) -> None:
        """Block until everything queued has been written; TimeoutError or RuntimeError."""
        with self._lock:
            last = self._queue[-1] if self._queue else None
        if last is not None and not last.wait(timeout):
            raise TimeoutError(f"mic feed still playing after {timeout} s")
        if self.error is not None:
            raise RuntimeError(f"the mic feed died: {self.error}")

    def stop(self) -> None:
        """Stop writing, let pacat drain and exit, reap it. Idempotent."""
        self._shutdown()

    def _moving(self) -> bool:  # the pipe filled, then the server took 0.1 s more
        return self._written >= (PIPE_BYTES // 4 + self.rate // 10) // self._chunk

    def _pump(self) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        fd = self._proc.stdin.fileno()
        while not self._stopping.is_set():
            chunk, started, finished = self._next_chunk()
            _write_all(fd, chunk.tobytes())
            now = time.monotonic()
            for clip, offset in started:
                clip.started_at = now + offset / self.rate
            for clip in finished:
                clip.done.set()
            self._written += 1

    def _next_chunk(self) -> tuple[np.ndarray, list[tuple[Clip, int]], list[Clip]]:
        """The next 10 ms: queued clips back to back, zeros where there are none."""
        chunk = np.zeros(self._chunk, np.float32)
        started: list[tuple[Clip, int]] = []
        finished: list[Clip] = []
        pos = 0
        with self._lock:
            while pos < len(chunk) and self._queue:
                clip = self._queue[0]
                if clip.position == 0:
                    started.append((clip, pos))
                n = min(len(chunk) - pos, len(clip.samples) - clip.position)
                chunk[pos:pos + n] = clip.samples[clip.position:clip.position + n]
                clip.position += n
                pos += n
                if clip.position == len(clip.samples):
                    finished.append(self._queue.popleft())
        return chunk, started, finished

    def _hang_up(self, proc: subprocess.Popen[bytes]) -> None:
        """EOF after the writer has stopped (closing a pipe another thread writes is a race);
        pacat then plays what it holds and exits."""
        assert self._thread is not None and proc.stdin is not None
        self._thread.join(1.0)
        if self._thread.is_alive():  # blocked on a stalled pacat: a dead reader unblocks it
            proc.kill()
            self._thread.join()
        proc.stdin.close()

    def _ended(self) -> None:
        """Release waiters: nothing still queued will be played."""
        with self._lock:
            for clip in self._queue:
                clip.done.set()
            self._queue.clear()


class SpeakerTap(_Piped):
    """Records what ``vspk`` played (its monitor) continuously from ``start`` to ``stop``."""

    tool = "parec"

    def __init__(self, rate: int = RATE, source: str = "vspk.monitor",
                 env: Mapping[str, str] | None = None) -> None:
        super().__init__(rate, source, env)
        self.clock = SampleClock(rate)
        self._chunks: list[bytes] = []
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def started_at(self) -> float | None:
        """Monotonic time of the first recorded sample (None before any arrived)."""
        return self.clock.start

    def stop(self) -> np.ndarray:
        """Stop recording, reap parec; everything recorded. Idempotent."""
        self._shutdown()
        return self.audio

    @property
    def audio(self) -> np.ndarray:
        """A copy of everything recorded so far (float32 mono)."""
        with self._lock:
            raw = b"".join(self._chunks)
        return np.frombuffer(raw[:len(raw) // 4 * 4], "<f4").copy()

    def time_at(self, index: float) -> float:
        """Monotonic time of sample ``index``."""
        return self.clock.time_at(index)

    def sound_span(self, after: float | None = None,
                   threshold: float = 1e-3) -> tuple[float, float] | None:
        """When the speaker started playing and when it went silent: the times of the first and
        the last sample above ``threshold`` (from ``after`` on); None if it stayed silent."""
        audio = self.audio
        skip = 0 if after is None else max(0, int(np.ceil((after - self.time_at(0)) * self.rate)))
        loud = np.flatnonzero(np.abs(audio[skip:]) > threshold) + skip
        return (self.time_at(loud[0]), self.time_at(loud[-1])) if len(loud) else None

    def _moving(self) -> bool:
        return self.started_at is not None

    def _pump(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        while chunk := os.read(fd, 65536):
            now = time.monotonic()
            with self._lock:
                self._chunks.append(chunk)
                self._bytes += len(chunk)
                self.clock.update(now, self._bytes // 4)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
