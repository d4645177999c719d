"""The echo path of the rig: what the program plays on ``vspk`` reaches ``vmic`` through a
``Room`` (delay, reverb, a distorting speaker, drift, noise), in real time.

Why a pump of our own rather than the sound server's loopback module: the module's latency is
its own business (it changed by ~100 ms at a time under load, and it can only delay and
scale). Here ``parec`` reads the speaker's monitor in 10 ms blocks and each block, once through
the room, is written straight to a ``pacat`` on ``vmicfeed`` behind a 4 KiB pipe: both run on
the server's one clock, so the path's own latency stays put and the room adds exactly what
its settings say. The user's voice (``MicFeed``) is another stream on ``vmicfeed``; the
server mixes the two.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
from collections.abc import Mapping

import numpy as np

from tests.rig.harness import PIPE_BYTES, RATE, _Piped, _write_all
from tests.rig.room import Room, RoomSettings

BLOCK_SECONDS = 0.01
CUSHION_SECONDS = 0.04
"""Silence written to the mic side before the first block: the reader's blocks come a few
milliseconds late now and then, and a mic side that ran dry would play a gap and push the
echo later for good. The cushion is part of the path's constant latency."""


class RoomEcho(_Piped):
    """``vspk.monitor`` -> ``Room`` -> ``vmicfeed`` until stopped."""

    tool = "parec"

    def __init__(self, settings: RoomSettings, rate: int = RATE,
                 env: Mapping[str, str] | None = None) -> None:
        super().__init__(rate, "vspk.monitor", env)
        self.settings = settings
        self.room = Room(settings, rate, round(rate * BLOCK_SECONDS))
        self.blocks = 0
        self._out: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 5.0) -> None:
        """Open the mic side first, then read the speaker; return once echo flows."""
        self._out = subprocess.Popen(
            ["pacat", "--raw", "-d", "vmicfeed", "--format=float32le", f"--rate={self.rate}",
             "--channels=1", "--latency-msec=20", "--property=media.name=rig-echo"],
            env=self.env, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
        assert self._out.stdin is not None
        fcntl.fcntl(self._out.stdin.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        try:
            super().start(timeout)
        except BaseException:
            self._close_out()
            raise

    def stop(self) -> None:
        """Stop reading, then let the mic side drain and exit. Idempotent."""
        self._shutdown()
        self._close_out()

    def _moving(self) -> bool:
        return self.blocks > 0

    def _pump(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        assert self._out is not None and self._out.stdin is not None
        source, sink = self._proc.stdout.fileno(), self._out.stdin.fileno()
        need = self.room.block * 4
        _write_all(sink, bytes(round(self.rate * CUSHION_SECONDS) * 4))
        while not self._stopping.is_set():
            raw = _read_exactly(source, need)
            if raw is None:
                return
            speaker = np.frombuffer(raw, "<f4")
            _write_all(sink, self.room.process(speaker).tobytes())
            self.blocks += 1

    def _close_out(self) -> None:
        out, self._out = self._out, None
        if out is None:
            return
        assert out.stdin is not None
        out.stdin.close()
        try:
            out.wait(2)
        except subprocess.TimeoutExpired:
            out.kill()
            out.wait()


def _read_exactly(fd: int, count: int) -> bytes | None:
    """``count`` bytes from ``fd``; None at end of stream."""
    parts, got = [], 0
    while got < count:
        chunk = os.read(fd, count - got)
        if not chunk:
            return None
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def room_echo(settings: RoomSettings, env: Mapping[str, str]) -> RoomEcho:
    """A started ``RoomEcho`` (its first block already through)."""
    echo = RoomEcho(settings, env=env)
    echo.start()
    return echo
