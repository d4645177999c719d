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

The two sides run in bursts (a callback block of ~50 ms each, late by as much again under
load), so for a moment the capture thread may want far end that the speaker's callback has not
handed over yet. Filling that gap with silence shifted the far end later against the echo for
good, every time; after a few such slips the echo arrived before its far end, which no
canceller can remove, and the box cut itself off (the intermittent echo-room test failure:
mic loud three frames before the far end). So ``take`` waits a moment for the far end to
arrive, and only a speaker that really stopped delivering costs a counted slip.

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

    def __init__(self, max_seconds: float = 2.0) -> None:
        self._max = int(max_seconds * PROCESSING_RATE)
        self._blocks: collections.deque[np.ndarray] = collections.deque()
        self._size = 0
        self._arrived = threading.Condition()
        self.dropped = 0
        self.slips = 0
        """Times the far end was not there in time and silence stood in for it."""
        self._skip = 0
        self._started = False
        self.gaps = 0
        """Takes that found less far end than asked for (slips, and gaps owed at the start)."""

    def push(self, samples: np.ndarray) -> None:
        """Append played audio (16 kHz float32)."""
        if samples.size == 0:
            return
        with self._arrived:
            if self._skip:
                skipped = min(self._skip, samples.size)
                self._skip -= skipped
                samples = samples[skipped:]
                if samples.size == 0:
                    return
            self._blocks.append(samples.astype(np.float32, copy=False))
            self._size += samples.size
            while self._size - self._blocks[0].size >= self._max:
                self._size -= self._blocks.popleft().size
                self.dropped += 1
            self._arrived.notify()

    def take(self, count: int, wait_s: float = 0.0) -> np.ndarray:
        """The next ``count`` far-end samples, waiting up to ``wait_s`` for them to be played;
        silence for what still has not arrived.

        Until the speaker first delivers a whole frame in time after :meth:`clear` (its stream
        starts after the mic's, in fits), the missing samples are owed: they are dropped when
        they come, so the mic and far end stay paired sample for sample as if both had
        started together. After that, a gap is a slip (counted): the speaker's callback ran
        late, and what it then plays comes late too.
        """
        out = np.zeros(count, np.float32)
        filled = 0
        with self._arrived:
            if wait_s > 0:
                self._arrived.wait_for(lambda: self._size >= count, wait_s)
            missing = max(0, count - self._size)
            if not missing:
                self._started = True
            elif self._started:
                self.slips += 1
            else:
                self._skip += missing
            self.gaps += bool(missing)
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
        with self._arrived:
            return self._size

    def discard(self, count: int) -> None:
        """Drop the next ``count`` samples, as they arrive if they have not yet: the mic audio
        they went with was lost (an overrun), or the far end must lead its echo by more."""
        with self._arrived:
            dropped = min(count, self._size)
            self._drop_front(dropped)
            self._skip += count - dropped

    def _drop_front(self, count: int) -> None:
        """Forget the oldest ``count`` samples; the caller holds the lock."""
        while count > 0 and self._blocks:
            block = self._blocks[0]
            if block.size <= count:
                self._blocks.popleft()
                count -= block.size
                self._size -= block.size
            else:
                self._blocks[0] = block[count:]
                self._size -= count
                count = 0

    def clear(self) -> None:
        """Forget everything (after the devices were reopened)."""
        with self._arrived:
            self._blocks.clear()
            self._size = 0
            self._skip = 0
            self._started = False
