"""Barge-in: deciding that the user talks over the box's answer.

Why a separate rule from the endpointer's start: a false barge-in cuts the answer off, which
is far worse than reacting 70 ms later, and while the box speaks the microphone also hears the
residue of its own voice after echo cancellation. So the rule is stricter (7 of the last 10
frames, measured to give zero false barge-ins on echo-cancelled audio with webrtcvad mode 3)
and ignores the first moments of each answer (``grace_s``): when a new answer starts after a
silence, the echo canceller needs a moment to catch up with it, and after a barge-in it had
adapted during the double talk, so the first few hundred milliseconds of the next answer leak
through as "speech". Measured with benchmarks/run's barge-in trials (echo room, fresh daemon,
interruption one second into the story): the answer to the interruption cut itself off ~0.3 s
in, in 2 of 4 trials without a grace period, in 0 of 6 with 0.5 s. A person who talks over
the very start of an answer is heard when the grace ends instead.

Pure state machine: the capture thread feeds one VAD decision per 10 ms frame with whether the
box is speaking and the time at the end of the frame; no clocks, no threads.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from voicebox.audio.clock import PassedTime
from voicebox.config.schema import VadConfig

TIME_TOLERANCE_S = 1e-6
"""Frame times are float sums, so 50 ms after a start may come out as 0.0499999…; a
microsecond is far below a frame and keeps the grace period a whole number of frames."""


@dataclass(frozen=True)
class BargeInSettings:
    """How much speech, over how many frames, and how long after the answer starts."""

    window_frames: int = 10
    min_speech_frames: int = 7
    grace_s: float = 0.0

    def __post_init__(self) -> None:
        if self.window_frames < 1:
            raise ValueError(f"window_frames must be at least 1, got {self.window_frames!r}")
        if not 1 <= self.min_speech_frames <= self.window_frames:
            raise ValueError(f"min_speech_frames must be between 1 and window_frames "
                             f"({self.window_frames}), got {self.min_speech_frames!r}")
        if not (math.isfinite(self.grace_s) and self.grace_s >= 0):
            raise ValueError(f"grace_s must be zero or more seconds, got {self.grace_s!r}")

    @classmethod
    def from_config(cls, vad: VadConfig) -> BargeInSettings:
        """The configured grace period; the window and count keep their measured values."""
        return cls(grace_s=vad.barge_in_grace_ms / 1000)


class BargeInDetector:
    """Says True once per answer, on the frame where the user is judged to talk over it."""

    def __init__(self, settings: BargeInSettings = BargeInSettings()) -> None:
        self._settings = settings
        self._window: deque[bool] = deque(maxlen=settings.window_frames)
        self._speaking_since: float | None = None
        self._armed = True
        self._time = PassedTime()

    def reset(self) -> None:
        """Forget the window, the speaking period and the last time seen."""
        self._window.clear()
        self._speaking_since = None
        self._armed = True
        self._time.reset()

    def rearm(self) -> None:
        """The last decision was overruled (it was echo): keep listening in this answer."""
        self._window.clear()
        self._armed = True

    def feed(self, is_speech: bool, speaking: bool, now: float) -> bool:
        """One frame's VAD decision; True exactly on the frame where barge-in is decided.

        Speech only counts while the box speaks, and after the grace period of that speaking
        period. Once triggered, the detector waits for the box to stop speaking: one barge-in
        per answer, however long the user keeps talking.
        """
        self._time.advance(now)
        if not speaking:
            self._window.clear()
            self._speaking_since = None
            self._armed = True
            return False
        if self._speaking_since is None:
            self._speaking_since = now
        if not self._armed or self._in_grace(now, self._speaking_since):
            return False
        self._window.append(bool(is_speech))
        if sum(self._window) < self._settings.min_speech_frames:
            return False
        self._armed = False
        return True

    def _in_grace(self, now: float, since: float) -> bool:
        """A frame is ignored while it ends less than ``grace_s`` after the first speaking
        frame ended, i.e. while it starts inside the grace period."""
        return now - since < self._settings.grace_s - TIME_TOLERANCE_S

