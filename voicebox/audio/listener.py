"""The ear: per 10 ms frame, echo cancellation, then VAD (gated by the room's noise floor),
then endpointing and barge-in.

Runs on the capture thread, which is the one thread that owns the echo canceller. Decisions
(speech started, tentative end, utterance ended, barge-in) go to the conductor; nothing here
blocks on anything but the conductor's bounded inbox.
"""

from __future__ import annotations

import queue
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from voicebox.audio.aec import EchoMeter, EchoStage
from voicebox.audio.bargein import BargeInDetector, BargeInSettings
from voicebox.audio.endpointer import Endpointer
from voicebox.audio.endpointer_settings import EndpointerSettings
from voicebox.audio.noisefloor import NoiseFloor, echo_gated, frame_level_db
from voicebox.audio.vad import VoiceDetector
from voicebox.config import Config
from voicebox.ops.logging import get_logger


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
                 emit: Callable[[object], None]) -> None:
        self._speaking = speaking
        self._emit = emit
        self.echo = EchoStage(config.audio.echo_cancellation)
        self.echo_meter = EchoMeter()
        self._vad = VoiceDetector(config.vad.mode, config.vad.speaking_mode)
        self._noise = NoiseFloor()
        self.endpointer = Endpointer(EndpointerSettings.from_config(config.vad))
        barge_in = BargeInSettings.from_config(config.vad)
        self._barge_in = BargeInDetector(barge_in)
        self._held: queue.SimpleQueue[bool] = queue.SimpleQueue()
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

    def process(self, frame: np.ndarray, far: np.ndarray, now: float) -> None:
        """One 10 ms 16 kHz mic frame and the far end that played at the same time."""
        frame, far = self._finite(frame, "mic"), self._finite(far, "far end")
        clean = self.echo.process(frame, far)
        if not np.isfinite(clean).all():
            # A canceller fed one bad frame can keep producing NaN: start it afresh.
            self.echo.reset()
            clean = self._finite(clean, "echo canceller")
        speaking = self._speaking()
        # Every frame teaches the floor, except those the echo canceller silenced as echo.
        mic_db, clean_db = frame_level_db(frame), frame_level_db(clean)
        learn = not (speaking and echo_gated(mic_db, clean_db))
        loud = self._noise.stands_out(clean_db, learn)
        speech = loud and self._vad.is_speech(clean, speaking)
        self.echo_meter.feed(frame, clean, speaking, now)
        self.frames += 1
        self._levels.append((round(mic_db), round(clean_db), round(frame_level_db(far))))
        if self._barge_in.feed(speech, speaking, now):
            self._emit(BargeIn(now, tuple(self._levels)))
        self._apply_holds(now)
        for decision in self.endpointer.feed(clean, speech, now):
            self._emit(decision)

    def _finite(self, samples: np.ndarray, source: str) -> np.ndarray:
        """``samples`` with NaN/inf replaced by silence; a sensor that lies must not deafen us."""
        if np.isfinite(samples).all():
            return samples
        self.bad_frames += 1
        if self.bad_frames == 1 or self.bad_frames % 1000 == 0:
            self._log.warning("non-finite-audio", source=source, bad_frames=self.bad_frames)
        return np.nan_to_num(samples, nan=0.0, posinf=0.0, neginf=0.0)

    def _apply_holds(self, now: float) -> None:
        while not self._held.empty():
            if self._held.get():
                self.endpointer.force_start(now)
                continue
            ended = self.endpointer.force_end(now)
            if ended is not None:
                self._emit(ended)
