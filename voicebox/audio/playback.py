"""Playback: the answer's audio to the speaker, and what the speaker really played.

A PortAudio callback pulls from a small in-memory queue of segments, so a barge-in can empty
it at once instead of waiting for the answer to drain; the speaker then falls silent as soon
as the device has played the one short buffer (``audio.latency_s``) it already holds. The
callback also hands exactly what it wrote, resampled to 16 kHz, to the echo canceller's
far-end buffer, and notes which sentences the user actually heard. The stream is never
aborted to drop its buffer: every sample handed to the device must really play, because the
far end counts on it.
"""

from __future__ import annotations

import collections
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from voicebox.audio.rates import PROCESSING_RATE
from voicebox.audio.reference import ReferenceBuffer
from voicebox.audio.resample import StreamResampler, resample
from voicebox.messages import AudioChunk, EndOfAnswer, Turn
from voicebox.ops.logging import get_logger

ROOM_TAIL_S = 0.3
"""How long a room still echoes the last sample once it left the speaker."""
PLAY_QUEUE_SIZE = 4
"""Segments (sentences, answer ends) held here at most: beyond that they wait in the pipeline's
bounded audio queue, so TTS feels the backpressure and memory stays bounded."""


@dataclass
class Segment:
    """One sentence's audio at the device rate, and how far it has been played."""

    turn: Turn
    samples: np.ndarray
    text: str
    played: int = 0


@dataclass(frozen=True)
class AnswerEnd:
    """Marks where a turn's audio ends in the queue."""

    turn: Turn


class Playback(threading.Thread):
    """Feeds the speaker from the pipeline's audio queue."""

    def __init__(self, source: queue.Queue, reference: ReferenceBuffer,
                 on_answer_played: Callable[[Turn], None], stopping: threading.Event) -> None:
        super().__init__(name="voicebox-playback", daemon=True)
        self._source = source
        self._reference = reference
        self._on_answer_played = on_answer_played
        self._stopping = stopping
        self._queue: collections.deque[Segment | AnswerEnd] = collections.deque()
        self._lock = threading.Lock()
        self._finished: queue.SimpleQueue[Turn] = queue.SimpleQueue()
        self._heard: list[str] = []
        self._heard_turn = 0
        self._stream: Any = None
        self._to_reference: StreamResampler | None = None
        self.rate = 0
        self.last_audible = 0.0
        self.echo_tail_s = ROOM_TAIL_S
        """How long after the last filled buffer the room may still echo the answer."""
        self.underflows = 0
        self._underflows_logged = 0
        self.last_progress = time.monotonic()
        self._log = get_logger("playback")

    def attach(self, stream: Any, rate: int) -> None:
        """Use a newly opened output stream running at ``rate``."""
        with self._lock:
            self._stream, self.rate = stream, rate
            self._to_reference = StreamResampler(rate, PROCESSING_RATE)
            # ``last_audible`` is stamped when the callback fills a buffer: the sound leaves
            # the speaker the stream's output latency later (0.05-0.5 s, ``audio.latency_s``).
            self.echo_tail_s = ROOM_TAIL_S + float(getattr(stream, "latency", 0.0) or 0.0)

    def detach(self) -> None:
        """The stream is gone; what was queued is dropped (the turn will be retried by voice)."""
        with self._lock:
            self._stream, self._to_reference = None, None
            self._queue.clear()

    @property
    def queue_depth(self) -> int:
        """Audio chunks waiting to be played: from the pipeline, and already queued here."""
        with self._lock:
            queued = sum(isinstance(entry, Segment) for entry in self._queue)
        return queued + self._source.qsize()

    @property
    def speaking(self) -> bool:
        """Audio is queued or was audible a moment ago (the room still echoes it)."""
        with self._lock:
            queued = bool(self._queue)
        return queued or time.monotonic() - self.last_audible < self.echo_tail_s

    def run(self) -> None:
        """Move audio from the pipeline into the play queue, report finished answers."""
        while not self._stopping.is_set():
            self.last_progress = time.monotonic()
            self._log_underflows()
            while not self._finished.empty():
                self._on_answer_played(self._finished.get())
            if self._full():
                self._stopping.wait(0.05)
                continue
            try:
                item = self._source.get(timeout=0.05)
            except queue.Empty:
                continue
            self._enqueue(item)

    def _full(self) -> bool:
        with self._lock:
            return len(self._queue) >= PLAY_QUEUE_SIZE

    def _log_underflows(self) -> None:
        """A warning when the speaker ran dry since the last check (never from the callback)."""
        count = self.underflows
        if count != self._underflows_logged:
            self._log.warning("speaker-underflow", underflows=count,
                              new=count - self._underflows_logged)
            self._underflows_logged = count

    def _enqueue(self, item: AudioChunk | EndOfAnswer) -> None:
        if item.turn.cancelled:
            return
        if isinstance(item, EndOfAnswer):
            entry: Segment | AnswerEnd = AnswerEnd(item.turn)
        else:
            rate = self.rate or item.sample_rate
            samples = (resample(item.samples, item.sample_rate, rate)
                       if rate != item.sample_rate else item.samples)
            entry = Segment(item.turn, samples.astype(np.float32, copy=False), item.text)
        with self._lock:
            self._queue.append(entry)

    def callback(self, outdata: np.ndarray, frames: int, _time: Any, status: Any) -> None:
        """PortAudio's output callback: next samples, or silence.

        An underflow means the device played silence nobody wrote: the far end is then
        behind the echo by that much, and the echo canceller must find it again. It is
        counted (and logged by the playback thread) so /health can tell.
        """
        if status and status.output_underflow:
            self.underflows += 1
        out = np.zeros(frames, np.float32)
        with self._lock:
            filled = self._fill(out)
            to_reference = self._to_reference
        outdata[:, 0] = out
        if filled:
            self.last_audible = time.monotonic()
        if to_reference is not None:
            self._reference.push(to_reference.process(out))

    def _fill(self, out: np.ndarray) -> int:
        """Copy queued audio into ``out``; the caller holds the lock."""
        filled = 0
        while filled < out.size and self._queue:
            entry = self._queue[0]
            if entry.turn.cancelled:  # handed over after a barge-in began: never play it
                self._queue.popleft()
                continue
            if isinstance(entry, AnswerEnd):
                self._queue.popleft()
                self._finished.put(entry.turn)
                continue
            if entry.played == 0:
                self._note_heard(entry)
            take = min(out.size - filled, entry.samples.size - entry.played)
            out[filled:filled + take] = entry.samples[entry.played:entry.played + take]
            entry.played += take
            filled += take
            if entry.played == entry.samples.size:
                self._queue.popleft()
        return filled

    def _note_heard(self, segment: Segment) -> None:
        if segment.turn.turn_id != self._heard_turn:
            self._heard_turn, self._heard = segment.turn.turn_id, []
        self._heard.append(segment.text)

    def flush(self) -> str:
        """Stop the sound now; returns the words of the answer the user heard.

        Only the queue is emptied: the device plays out the buffer it holds (one
        ``audio.latency_s``) and then silence. Aborting the stream would stop ~50 ms sooner
        but drops audio the far end has already counted as played, by an amount the sound
        server does not report exactly; every barge-in then shifted the echo canceller's
        alignment, and answers after a barge-in cut themselves off (benchmarks/run).
        """
        with self._lock:
            heard = self._heard_words()
            self._queue.clear()
        return heard

    def _heard_words(self) -> str:
        """Finished sentences plus the played share of the current one; the lock is held."""
        words = " ".join(self._heard[:-1]).split()
        current = self._queue[0] if self._queue else None
        if self._heard:
            last = self._heard[-1].split()
            share = (current.played / current.samples.size
                     if isinstance(current, Segment) and current.text == self._heard[-1]
                     else 1.0)
            words += last[: round(len(last) * share)]
        return " ".join(words)
