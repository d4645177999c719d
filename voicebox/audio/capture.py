"""Capture: mic blocks from PortAudio to timestamped 10 ms frames at 16 kHz.

The PortAudio callback only copies the block into a bounded queue (it must never block or
allocate much); the capture thread resamples to 16 kHz with a band-limited filter, cuts 10 ms
frames and runs the listener on each, with the next 10 ms of far end (what the speaker
played). If the thread falls behind, the newest blocks are dropped and counted rather than
letting latency grow, and as much far end with them: the echo canceller pairs mic and far end
sample by sample, so mic audio lost alone would shift the pair for good.

Frames are stamped from the time their block arrived, not from when the thread got to them,
so a backlog does not move the end of speech, voice-to-voice or the barge-in grace.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any

import numpy as np

from voicebox.audio.listener import Listener
from voicebox.audio.rates import FRAME_S, FRAME_SAMPLES, PROCESSING_RATE
from voicebox.audio.reference import ReferenceBuffer
from voicebox.audio.resample import StreamResampler
from voicebox.ops.logging import get_logger

BACKLOG_BLOCKS = 64
MIN_STEP_S = 1e-4
FAR_LEAD_S = 0.15
"""The far end is taken this far ahead of the mic it is paired with. The sound server's own
buffers shrink and grow under load (the rig's echo came 30-80 ms earlier than a moment
before, again and again), and an echo that comes before its far end can be neither measured
nor cancelled; 150 ms ahead keeps every echo behind its far end, and the delay line
(align.py) holds the far end back by whatever is measured."""

FAR_WAIT_S = 0.1
"""How long a mic frame waits for its far end (the speaker's callback runs in bursts)."""


class Capture(threading.Thread):
    """Owns the mic side: blocks in, listener decisions out."""

    def __init__(self, listener: Listener, reference: ReferenceBuffer,
                 stopping: threading.Event) -> None:
        super().__init__(name="voicebox-capture", daemon=True)
        self.listener = listener
        self._reference = reference
        self._stopping = stopping
        self._blocks: queue.Queue[tuple[np.ndarray, float, int]] = queue.Queue(
            maxsize=BACKLOG_BLOCKS)
        self._stream = 0
        """Which opened stream blocks belong to: blocks of a stream closed since are dropped."""
        self._state = threading.Lock()
        """Held while a block is framed and while a new stream is attached (another thread)."""
        self._resampler: StreamResampler | None = None
        self._carry = np.zeros(0, np.float32)
        self.overruns = 0
        self._lost_samples = 0
        self._rate = PROCESSING_RATE
        self._gaps_seen = 0
        self._frame_time = 0.0
        self.last_block_at = 0.0
        self.last_progress = time.monotonic()
        self._log = get_logger("capture")

    def attach(self, rate: int) -> None:
        """A new input stream runs at ``rate``: start a fresh resampler. Called by the audio
        link's thread while this one may be framing a block of the old stream: the lock waits
        for that block, and blocks of the old stream still queued are dropped (at the old rate,
        through the new resampler, they would be noise)."""
        with self._state:
            self._stream += 1
            self._resampler = (StreamResampler(rate, PROCESSING_RATE)
                               if rate != PROCESSING_RATE else None)
            self._rate = rate
            self._lost_samples = 0
            self._carry = np.zeros(0, np.float32)
            self._reference.clear()
            self._reference.discard(round(FAR_LEAD_S * PROCESSING_RATE))
            self.last_block_at = time.monotonic()

    def callback(self, indata: np.ndarray, _frames: int, _time: Any, _status: Any) -> None:
        """PortAudio's input callback: hand the block over, never wait."""
        self.last_block_at = time.monotonic()
        try:
            self._blocks.put_nowait((indata[:, 0].copy(), self.last_block_at, self._stream))
        except queue.Full:
            self.overruns += 1
            self._lost_samples += len(indata)

    def run(self) -> None:
        """Resample, frame and listen until stopped."""
        while not self._stopping.is_set():
            self.last_progress = time.monotonic()
            self.step(0.05)

    def step(self, timeout: float) -> None:
        """Frame the next block, waiting up to ``timeout`` for one."""
        try:
            block, arrived, stream = self._blocks.get(timeout=timeout)
        except queue.Empty:
            return
        with self._state:
            if stream != self._stream:
                return
            self._drop_lost_far_end()
            try:
                self._frames(block, arrived)
            except Exception:  # one bad block must not deafen the box
                self._log.exception("capture-block-failed")

    def _drop_lost_far_end(self) -> None:
        """Discard the far end that went with mic audio an overrun dropped."""
        lost, self._lost_samples = self._lost_samples, 0
        if lost:
            self._reference.discard(round(lost * PROCESSING_RATE / self._rate))

    def _frames(self, block: np.ndarray, arrived: float) -> None:
        resampler = self._resampler
        audio = resampler.process(block) if resampler is not None else block
        samples = np.concatenate([self._carry, audio.astype(np.float32, copy=False)])
        whole = samples.size // FRAME_SAMPLES * FRAME_SAMPLES
        count = whole // FRAME_SAMPLES
        for index in range(count):
            # The block arrived at ``arrived``; its frames were spoken 10 ms apart before that.
            # Jitter must never make time run backwards for the state machines.
            estimate = arrived - (count - 1 - index) * FRAME_S
            self._frame_time = max(estimate, self._frame_time + MIN_STEP_S)
            frame = samples[index * FRAME_SAMPLES:(index + 1) * FRAME_SAMPLES]
            self.listener.process(frame, self._far_frame(), self._frame_time)
        self._carry = samples[whole:]

    def _far_frame(self) -> np.ndarray:
        """The far end for the next mic frame; waits for it unless the speaker went dry."""
        skip = self.listener.far_skip()
        if skip:
            self._reference.discard(skip)
        reference = self._reference
        dry = reference.gaps != self._gaps_seen
        slips = reference.slips
        far = reference.take(FRAME_SAMPLES, wait_s=0.0 if dry else FAR_WAIT_S)
        if reference.slips != slips and not dry:
            self._log.warning("far-end-late", slips=reference.slips, waited_s=FAR_WAIT_S)
            self.listener.far_gap(self._frame_time)
        self._gaps_seen = reference.gaps
        return far
