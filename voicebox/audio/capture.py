"""Capture: mic blocks from PortAudio to timestamped 10 ms frames at 16 kHz.

The PortAudio callback only copies the block into a bounded queue (it must never block or
allocate much); the capture thread resamples to 16 kHz with a band-limited filter, cuts 10 ms
frames and runs the listener on each, with the next 10 ms of far end (what the speaker
played). If the thread falls behind, the oldest blocks are dropped and counted rather than
letting latency grow.
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


class Capture(threading.Thread):
    """Owns the mic side: blocks in, listener decisions out."""

    def __init__(self, listener: Listener, reference: ReferenceBuffer,
                 stopping: threading.Event) -> None:
        super().__init__(name="voicebox-capture", daemon=True)
        self.listener = listener
        self._reference = reference
        self._stopping = stopping
        self._blocks: queue.Queue[np.ndarray] = queue.Queue(maxsize=BACKLOG_BLOCKS)
        self._resampler: StreamResampler | None = None
        self._carry = np.zeros(0, np.float32)
        self.overruns = 0
        self._frame_time = 0.0
        self.last_block_at = 0.0
        self.last_progress = time.monotonic()
        self._log = get_logger("capture")

    def attach(self, rate: int) -> None:
        """A new input stream runs at ``rate``: start a fresh resampler."""
        self._resampler = (StreamResampler(rate, PROCESSING_RATE)
                           if rate != PROCESSING_RATE else None)
        self._carry = np.zeros(0, np.float32)
        self._reference.clear()
        self.last_block_at = time.monotonic()

    def callback(self, indata: np.ndarray, _frames: int, _time: Any, _status: Any) -> None:
        """PortAudio's input callback: hand the block over, never wait."""
        self.last_block_at = time.monotonic()
        try:
            self._blocks.put_nowait(indata[:, 0].copy())
        except queue.Full:
            self.overruns += 1

    def run(self) -> None:
        """Resample, frame and listen until stopped."""
        while not self._stopping.is_set():
            self.last_progress = time.monotonic()
            try:
                block = self._blocks.get(timeout=0.05)
            except queue.Empty:
                continue
            try:
                self._frames(block)
            except Exception:  # one bad block must not deafen the box
                self._log.exception("capture-block-failed")

    def _frames(self, block: np.ndarray) -> None:
        resampler = self._resampler
        audio = resampler.process(block) if resampler is not None else block
        samples = np.concatenate([self._carry, audio.astype(np.float32, copy=False)])
        whole = samples.size // FRAME_SAMPLES * FRAME_SAMPLES
        now = time.monotonic()
        count = whole // FRAME_SAMPLES
        for index in range(count):
            # The block arrived now; its frames were spoken 10 ms apart before that. Processing
            # jitter must never make time run backwards for the state machines.
            estimate = now - (count - 1 - index) * FRAME_S
            self._frame_time = max(estimate, self._frame_time + MIN_STEP_S)
            frame = samples[index * FRAME_SAMPLES:(index + 1) * FRAME_SAMPLES]
            self.listener.process(frame, self._reference.take(FRAME_SAMPLES), self._frame_time)
        self._carry = samples[whole:]
