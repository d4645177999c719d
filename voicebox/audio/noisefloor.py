"""The room's noise floor, so that steady noise (a fan, a hum) is not taken for speech.

webrtcvad judges the shape of a frame, not its level against the room: in front of a fan it
says "speech" for frame after frame, which kept questions from ending and set off barge-ins on
noise (measured by benchmarks/run with pink noise at 10 dB SNR). The floor is the 10th
percentile of the last few seconds of frame levels (minimum statistics: speech has pauses,
steady noise does not), and a frame only counts as speech when the VAD says so *and* it stands
``margin_db`` above that floor. In a quiet room the floor is far below any voice, so nothing
changes there.

While the box speaks, a frame the echo canceller took down by ``ECHO_GATED_DB`` or more says
nothing about the room: the canceller judged it all echo and silenced it, noise included. Such
frames must not teach the floor, or it sinks to the canceller's silence, and the moment the
canceller lets the room through again (it does within the first second of an answer) the
steady noise stands out by 60 dB and webrtcvad calls it speech: benchmarks/run measured 3
false barge-ins in 3 answers to a question asked in front of a fan, each 0.8-1.3 s into the
answer, all gone with these frames skipped.

Pure: levels per frame in, a yes/no out; no clocks.
"""

from __future__ import annotations

from collections import deque

import numpy as np

WINDOW_FRAMES = 300  # 3 s of 10 ms frames
PERCENTILE = 10
MARGIN_DB = 6.0
SILENCE_DB = -100.0
ECHO_GATED_DB = 30.0


def echo_gated(mic_db: float, clean_db: float) -> bool:
    """Whether the echo canceller took the mic frame down by ``ECHO_GATED_DB`` or more."""
    return clean_db <= mic_db - ECHO_GATED_DB


def frame_level_db(frame: np.ndarray) -> float:
    """RMS level of a frame in dB full scale (float samples in [-1, 1])."""
    power = float(np.mean(np.square(frame, dtype=np.float64))) if frame.size else 0.0
    return 10.0 * np.log10(power) if power > 1e-10 else SILENCE_DB


class NoiseFloor:
    """Tracks the floor and says whether a frame stands out from it."""

    def __init__(self, margin_db: float = MARGIN_DB, window: int = WINDOW_FRAMES) -> None:
        self.margin_db = margin_db
        self._levels: deque[float] = deque(maxlen=window)

    @property
    def floor_db(self) -> float:
        """The current floor (silence until frames arrive)."""
        if not self._levels:
            return SILENCE_DB
        return float(np.percentile(np.fromiter(self._levels, float), PERCENTILE))

    def stands_out(self, level: float, learn: bool = True) -> bool:
        """True if a frame of ``level`` dBFS is ``margin_db`` above the floor; it joins the
        floor if ``learn``."""
        if learn:
            self._levels.append(level)
        return level >= self.floor_db + self.margin_db

    def reset(self) -> None:
        """Forget the room (after the devices were reopened)."""
        self._levels.clear()
