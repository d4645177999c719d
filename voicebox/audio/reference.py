"""The far end: exactly what the speaker played, at 16 kHz, for the echo canceller.

The playback callback appends every block it hands to the device (silence included, so the
far-end stream never has gaps); the capture thread takes one 10 ms frame of it for each 10 ms
mic frame it processes. Both streams are clocked by the same sound card, so the two stay in
lockstep with a roughly constant offset, which AEC3 measures and follows (66-72 dB of echo
return loss enhancement measured on the virtual echo room at 20-120 ms of room delay).

Two alternatives were measured and rejected: pairing mic and far end inside the input
callback (the far end then led the echo by 300 ms and more: 21 dB), and placing both on
PortAudio's DAC/ADC timestamps (the pulse plugin's times do not include the server's
buffering: 7-34 dB). The buffer is bounded: if capture stalls, the oldest far end is dropped
rather than letting the offset grow without limit.

The offset must also never creep up. An aborted output stream (barge-in) throws away audio
that was pushed here but never played; left in, it makes the far end lag the echo for good,
and each barge-in added 60-100 ms until the canceller lost the echo and the box interrupted
itself (benchmarks/run). ``drop_newest`` removes what the device reported buffering; a sound
server may buffer more, so ``take`` also watches the lowest fill of every 2 s and, when it
sits above the steady lead measured in the first 2 s after the streams opened, drops the
excess from the front. Windows in which the buffer ran dry (streams starting) say nothing
about the lead and are skipped; the baseline is never lowered afterwards, so a dip around a
flush cannot make it drop a lead that is real.
"""

from __future__ import annotations

import collections
import threading

import numpy as np

SAMPLE_RATE = 16000
WATCH_FRAMES = 200  # takes of 10 ms: the fill's minimum is judged over 2 s
TOLERANCE = 160  # samples (10 ms) of jitter that never trigger a correction


class ReferenceBuffer:
    """A bounded, thread-safe FIFO of far-end samples."""

    def __init__(self, max_seconds: float = 0.5) -> None:
        self._max = int(max_seconds * SAMPLE_RATE)
        self._blocks: collections.deque[np.ndarray] = collections.deque()
        self._size = 0
        self._lock = threading.Lock()
        self.dropped = 0
        self.realigned = 0
        self._baseline = -1  # the steady lead; -1 until a window without a dry take
        self._window_low = -1
        self._window_dry = False
        self._takes = 0

    def push(self, samples: np.ndarray) -> None:
        """Append played audio (16 kHz float32)."""
        if samples.size == 0:
            return
        with self._lock:
            self._blocks.append(samples.astype(np.float32, copy=False))
            self._size += samples.size
            while self._size - self._blocks[0].size >= self._max:
                self._size -= self._blocks.popleft().size
                self.dropped += 1

    def take(self, count: int) -> np.ndarray:
        """The next ``count`` far-end samples; silence where nothing was played."""
        out = np.zeros(count, np.float32)
        filled = 0
        with self._lock:
            while filled < count and self._blocks:
                block = self._blocks[0]
                take = min(count - filled, block.size)
                out[filled:filled + take] = block[:take]
                filled += take
                self._size -= take
                if take == block.size:
                    self._blocks.popleft()
                else:
                    self._blocks[0] = block[take:]
            self._watch_fill(dry=filled < count)
        return out

    def _watch_fill(self, dry: bool) -> None:
        """Every WATCH_FRAMES takes: drop what the lowest fill gained; the lock is held."""
        low = self._size if self._window_low < 0 else min(self._window_low, self._size)
        self._window_low, self._takes = low, self._takes + 1
        self._window_dry = self._window_dry or dry
        if self._takes < WATCH_FRAMES:
            return
        if not self._window_dry:
            if self._baseline < 0:
                self._baseline = low
            elif low - self._baseline > TOLERANCE:
                self._drop_oldest(low - self._baseline)
                self.realigned += 1
        self._window_low, self._window_dry, self._takes = -1, False, 0

    def _drop_oldest(self, count: int) -> None:
        while count > 0 and self._blocks:
            block = self._blocks[0]
            cut = min(count, block.size)
            if cut == block.size:
                self._blocks.popleft()
            else:
                self._blocks[0] = block[cut:]
            self._size -= cut
            count -= cut

    def drop_newest(self, count: int) -> int:
        """Forget the last ``count`` samples pushed; returns how many were there to forget.

        For audio that was handed to the device but never reached the speaker (an aborted
        stream drops its buffer): left here, it would put the far end behind the echo by that
        much for good, and every barge-in would add to it.
        """
        dropped = 0
        with self._lock:
            while dropped < count and self._blocks:
                block = self._blocks[-1]
                cut = min(count - dropped, block.size)
                if cut == block.size:
                    self._blocks.pop()
                else:
                    self._blocks[-1] = block[:-cut]
                dropped += cut
            self._size -= dropped
        return dropped

    @property
    def fill(self) -> int:
        """Samples waiting: the far end's lead over the mic (steady unless something slips)."""
        with self._lock:
            return self._size

    def clear(self) -> None:
        """Forget everything (after the devices were reopened)."""
        with self._lock:
            self._blocks.clear()
            self._size = 0
            self._baseline, self._window_low, self._window_dry, self._takes = -1, -1, False, 0
