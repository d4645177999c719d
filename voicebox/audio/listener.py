"""The ear: per 10 ms frame, echo cancellation, then the wake word (when listened for) and VAD
(gated by the room's noise floor), then endpointing and barge-in.

Runs on the capture thread, which is the one thread that owns the echo canceller. Decisions
(speech started, tentative end, utterance ended, barge-in) go to the conductor; nothing here
blocks on anything but the conductor's bounded inbox.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from voicebox.audio.aec import EchoMeter, EchoStage
from voicebox.audio.align import AlignmentChange, AlignmentStatus, FarEndAligner
from voicebox.audio.bargein import BargeInDetector, BargeInSettings
from voicebox.audio.delay import SampleRing
from voicebox.audio.endpointer import Decision, Endpointer
from voicebox.audio.endpointer_settings import EndpointerSettings
from voicebox.audio.noisefloor import NoiseFloor, echo_gated, frame_level_db
from voicebox.audio.rates import PROCESSING_RATE
from voicebox.audio.residual import (
    LEAK_SHARE,
    MIC_ECHO_SHARE,
    ResidualEchoGate,
    explained_by_far_end,
)
from voicebox.audio.vad import VoiceDetector
from voicebox.audio.wake import WakeDetector
from voicebox.config import Config
from voicebox.ops.logging import get_logger
from voicebox.speech.turn_shape import TurnShape

STATUS_EVERY = 100
"""Frames between two echo status snapshots (one second)."""

CHECKED_SAMPLES = PROCESSING_RATE // 5
"""The echo-cancelled audio a barge-in decision is checked against the far end on (200 ms)."""


@dataclass(frozen=True)
class EchoStatus:
    """The echo path as the capture thread last saw it, for /health, /metrics and tests."""

    alignment: AlignmentStatus
    erle_db: float | None
    """Live echo return loss enhancement (median of the last seconds the box spoke)."""
    echo_gain_db: float | None
    """How loud the box's own voice comes back into the mic, relative to what it plays."""
    overruled: int
    """Barge-in decisions overruled as echo."""


@dataclass(frozen=True, eq=False)
class Heard:
    """An endpointer decision, and whether the box was audible when it was made (its own echo
    may be what was heard)."""

    decision: Decision
    audible: bool


@dataclass(frozen=True)
class BargeIn:
    """The user talks over the box's answer.

    ``levels`` are the deciding frames' (mic, echo-cancelled, far end) levels in dBFS, oldest
    first: logged with the barge-in, they tell a person's voice (echo-cancelled close to the
    mic) from echo the canceller let through (far below it, following the far end).
    """

    at: float
    levels: tuple[tuple[int, int, int], ...] = ()


class Listener:
    """Turns mic frames into the conductor's decisions."""

    def __init__(self, config: Config, speaking: Callable[[], bool],
                 emit: Callable[[object], None], wake: WakeDetector | None = None) -> None:
        """``wake`` hears the echo-cancelled frames (None: no wake word is listened for)."""
        self._speaking = speaking
        self.wake = wake
        self._emit = emit
        self.echo = EchoStage(config.audio.echo_cancellation)
        self.aligner = FarEndAligner()
        self.echo_meter = EchoMeter()
        self._residual = ResidualEchoGate()
        self._recent_clean = SampleRing(CHECKED_SAMPLES)
        self._recent_mic = SampleRing(CHECKED_SAMPLES)
        self.vetoed = 0
        self.echo_status = self._echo_status()
        """Published by the capture thread once a second; read it, never the parts."""
        self._vad = VoiceDetector(config.vad.mode, config.vad.speaking_mode)
        self._noise = NoiseFloor()
        self.endpointer = Endpointer(EndpointerSettings.from_config(config.vad))
        barge_in = BargeInSettings.from_config(config.vad)
        self._barge_in = BargeInDetector(barge_in)
        self._held: queue.SimpleQueue[bool] = queue.SimpleQueue()
        self._hints: queue.SimpleQueue[tuple[TurnShape, float]] = queue.SimpleQueue()
        self._reset = threading.Event()
        self._levels: deque[tuple[int, int, int]] = deque(
            maxlen=barge_in.window_frames)  # the frames the barge-in rule decides on
        self.frames = 0
        self.bad_frames = 0
        self._log = get_logger("listener")

    def hold(self, held: bool) -> None:
        """Push-to-talk pressed (True) or released (False); any thread may call this.

        Applied by the capture thread at its next frame, because the endpointer is only ever
        touched by that thread. While held, the utterance is what is said, whatever the VAD.
        """
        self._held.put(held)

    def end_after(self, shape: TurnShape, speech_end: float) -> None:
        """The tentative transcript of the utterance whose speech ended at ``speech_end`` reads
        as ``shape``; any thread may call this, the capture thread hands it to the endpointer
        at its next frame (see :meth:`Endpointer.hint`)."""
        self._hints.put((shape, speech_end))

    def far_gap(self, now: float) -> None:
        """The capture thread had to stand silence in for far end that came too late."""
        self.aligner.far_gap(now)

    def far_skip(self) -> int:
        """Far-end samples the capture thread must drop before the next frame (the echo
        alignment asks for it when the mic's stream runs ahead of the speaker's)."""
        return self.aligner.take_skip()

    def request_reset(self) -> None:
        """Forget the echo path, the room and any utterance (the devices were reopened); any
        thread may call this, the capture thread applies it before its next frame."""
        self._reset.set()

    def process(self, frame: np.ndarray, far: np.ndarray, now: float) -> None:
        """One 10 ms 16 kHz mic frame and the far end that played at the same time."""
        if self._reset.is_set():
            self._reset.clear()
            self._forget()
        frame, far = self._finite(frame, "mic"), self._finite(far, "far end")
        far, change = self.aligner.align(far, frame, now)
        if change is not None:
            self._log_alignment(change)
        clean = self.echo.process(frame, far)
        if not np.isfinite(clean).all():
            # A canceller fed one bad frame can keep producing NaN: start it afresh.
            self.echo.reset()
            clean = self._finite(clean, "echo canceller")
        if self.wake is not None:
            detected = self.wake.feed(clean, now)
            if detected is not None:
                self._emit(detected)
        speaking = self._speaking()
        # Every frame teaches the floor, except those the echo canceller silenced as echo.
        mic_db, clean_db = frame_level_db(frame), frame_level_db(clean)
        far_db = frame_level_db(self.aligner.far_at_echo(frame.size))
        learn = not (speaking and echo_gated(mic_db, clean_db))
        loud = self._noise.stands_out(clean_db, learn)
        beyond_echo = self._residual.feed(mic_db, clean_db, far_db, speaking)
        speech = loud and beyond_echo and self._vad.is_speech(clean, speaking)
        self.echo_meter.feed(frame, clean, speaking, now)
        self.frames += 1
        if self.frames % STATUS_EVERY == 0:
            self.echo_status = self._echo_status()
        self._levels.append((round(mic_db), round(clean_db), round(far_db)))
        self._recent_clean.push(clean)
        self._recent_mic.push(frame)
        judged = speech and not self.aligner.settling(now)
        if self._barge_in.feed(judged, speaking, now) and self._not_echo():
            self._emit(BargeIn(now, tuple(self._levels)))
        self._apply_holds(now)
        for decision in self.endpointer.feed(clean, speech, now):
            self._emit(Heard(decision, speaking))

    def _echo_status(self) -> EchoStatus:
        return EchoStatus(self.aligner.status(), self.echo_meter.erle_db(),
                          self._residual.echo_gain_db, self.vetoed)

    def _forget(self) -> None:
        for part in (self.echo, self.echo_meter, self.aligner, self._residual, self._noise,
                     self.endpointer, self._barge_in, self.wake):
            if part is not None:
                part.reset()
        self._levels.clear()
        self._log.info("audio-state-reset")

    def _not_echo(self) -> bool:
        """Overrule a barge-in decision made while the echo moved away from where the far end
        is held, or whose audio the far end explains (see residual.py)."""
        if self.aligner.echo_moved():
            return self._overrule("the echo moved", None)
        far = self.aligner.recent_far(CHECKED_SAMPLES + self.aligner.estimator.max_lag)
        share = explained_by_far_end(self._recent_clean.read(), far)
        mic_share = explained_by_far_end(self._recent_mic.read(), far)
        self._log.info("barge-in-check", clean_share=round(share, 2),
                        mic_share=round(mic_share, 2))
        if mic_share >= MIC_ECHO_SHARE:
            return self._overrule("the mic holds only echo", round(mic_share, 2))
        return share < LEAK_SHARE or self._overrule("echo", round(share, 2))

    def _overrule(self, reason: str, share: float | None) -> bool:
        self.vetoed += 1
        self._barge_in.rearm()
        self._log.info("barge-in-overruled", reason=reason, far_end_share=share,
                       levels_mic_clean_far_db=[list(frame) for frame in self._levels])
        return False

    def _log_alignment(self, change: AlignmentChange) -> None:
        if not change.aligned:
            self._log.warning("echo-alignment-lost", last_delay_ms=change.delay_ms)
        elif change.previous_ms is not None:
            self._log.info("echo-alignment-moved", delay_ms=change.delay_ms,
                           previous_ms=change.previous_ms)
        else:
            self._log.info("echo-alignment-found", delay_ms=change.delay_ms)

    def _finite(self, samples: np.ndarray, source: str) -> np.ndarray:
        """``samples`` with NaN/inf replaced by silence; a sensor that lies must not deafen us."""
        if np.isfinite(samples).all():
            return samples
        self.bad_frames += 1
        if self.bad_frames == 1 or self.bad_frames % 1000 == 0:
            self._log.warning("non-finite-audio", source=source, bad_frames=self.bad_frames)
        return np.nan_to_num(samples, nan=0.0, posinf=0.0, neginf=0.0)

    def _apply_holds(self, now: float) -> None:
        """What other threads left for the endpointer: end-of-turn hints, then push-to-talk."""
        while not self._hints.empty():
            shape, speech_end = self._hints.get()
            applied = self.endpointer.hint(shape, speech_end)
            self._log.info("end-of-turn-hint", shape=shape.value, applied=applied)
        while not self._held.empty():
            if self._held.get():
                self.endpointer.force_start(now)
                continue
            ended = self.endpointer.force_end(now)
            if ended is not None:
                self._emit(Heard(ended, audible=False))
