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

Nothing may shift that offset: a sample pushed here that never reaches the speaker, or one
played that was never pushed, moves the far end against the echo for good. So playback never
drops audio it has handed to the device (a barge-in empties only its own queue: see
playback.py); an earlier design aborted the stream and guessed how much the sound server threw
away, and then corrected the guess from the fill level, which jitters by a whole callback
block; both shifted the alignment and made the box interrupt itself (benchmarks/run).
"""

from __future__ import annotations

import collections
import threading

import numpy as np

from voicebox.audio.rates import PROCESSING_RATE


class ReferenceBuffer:
    """A bounded, thread-safe FIFO of far-end samples."""

    def __init__(self, max_seconds: float = 0.5) -> None:
        self._max = int(max_seconds * PROCESSING_RATE)
        self._blocks: collections.deque[np.ndarray] = collections.deque()
        self._size = 0
        self._lock = threading.Lock()
        self.dropped = 0

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
        return out

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
