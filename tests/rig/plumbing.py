"""The rig's plumbing: the ALSA device table, reading a probe's pipe against a deadline, and
the clock of a live recording."""

from __future__ import annotations

import os
import select
import time

PCMS = {  # ALSA name -> (pulse sink/source, what it is for)
    "vmic": ("vmic", "program: microphone (input)"),
    "vspk": ("vspk", "program: speaker (output)"),
    "vmicfeed": ("vmicfeed", "harness: play here, heard on vmic"),
    "vspkmon": ("vspk.monitor", "harness: records what vspk played"),
}


def read_count(fd: int, need: int, until: float) -> int:
    """Read and discard up to ``need`` bytes from ``fd`` before the monotonic time ``until``;
    how many arrived."""
    got = 0
    while got < need:
        left = until - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, need - got)
        if not chunk:
            break
        got += len(chunk)
    return got


def asoundrc() -> str:
    """ALSA definitions of the four devices: the ``pulse`` plugin pointed at PULSE_SERVER."""
    return "".join(
        f'pcm.{name} {{\n    type pulse\n    device "{pulse}"\n'
        f'    hint {{ show on description "{what}" }}\n}}\n'
        for name, (pulse, what) in PCMS.items())


class SampleClock:
    """Monotonic time of each sample of a live recording. Having ``total`` samples at ``now``
    means sample 0 was captured by ``now - total / rate``; the earliest such bound is the one
    least inflated by scheduling and buffering delays."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.start: float | None = None

    def update(self, now: float, total: int) -> None:
        """Note that ``total`` samples had arrived by ``now``."""
        bound = now - total / self.rate
        if self.start is None or bound < self.start:
            self.start = bound

    def time_at(self, index: float) -> float:
        """Monotonic time of sample ``index``."""
        if self.start is None:
            raise RuntimeError("no samples yet")
        return self.start + index / self.rate
