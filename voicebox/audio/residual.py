"""Telling the user's voice from the box's own echo while the box speaks.

Why: the barge-in rule used to trust the echo-cancelled signal. When the canceller loses
convergence for a moment (the sound server shifts the echo by tens of milliseconds under load,
the room changes, the speaker distorts), its output carries the box's own voice only 10-15 dB
under the microphone, webrtcvad calls it speech, and the box cuts itself off: the intermittent
false barge-in of the echo-room test, logged as mic -29 dBFS, echo-cancelled -45..-39, far end
-26.

Two checks, one per frame and one per decision:

- ``ResidualEchoGate`` (per frame). The echo is predicted from the far end (an envelope that
  decays like a reverberant room, ``release_db`` per frame) times the room's echo gain (mic
  over far end: a high percentile over the frames of the last seconds that the canceller
  took down, i.e. echo; a voice passes the canceller, so it cannot teach the gain). Where the
  mic holds no more than that, a frame can be the user only if the echo-cancelled signal stands
  ``margin_db`` above what the canceller may leave of the echo: the echo less its measured
  enhancement (ERLE, the 5th percentile over such frames). A converged canceller lets a
  voice well under the echo through; ordinary residual echo never counts. Where the mic holds
  more than the echo, the excess must come out of the canceller (a voice does; echo that came
  at another moment than predicted, as when the sound server glitches under load, is
  cancelled 20-40 dB under it: a false barge-in logged as mic -17, cancelled -40..-70 dBFS).
- ``explained_by_far_end`` (when the barge-in rule is about to fire): the share of the last
  200 ms of echo-cancelled audio that the far end explains at its best lag. Echo the canceller
  let through is the far end, shifted and scaled: 0.65-1.0 on the rig's recordings; a voice
  is not, even the box's own voice saying other words with echo 6 dB under it: 0.43 at most
  (130 windows each). A decision whose audio the far end explains (``LEAK_SHARE``) is echo,
  and the barge-in rule keeps listening.

Pure: levels and samples in, yes/no out; no clocks, no threads.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from voicebox.audio.noisefloor import SILENCE_DB

FAR_ACTIVE_DB = -60.0
"""A far-end envelope below this is silence: nothing to learn the echo gain from."""

ECHO_TAKEN_DB = 10.0
"""A frame the canceller took down by this much was echo: the echo gain learns from it (a
voice passes the canceller, so a user talking over the box cannot teach it)."""

LEAST_ENHANCEMENT = 5.0
"""The percentile of the canceller's per-frame enhancement taken as what it reliably does."""

MIC_ECHO_SHARE = 0.8
"""Share of the decision's *microphone* audio the far end explains, above which there is
nothing but echo to hear, whatever the canceller made of it."""

LEAK_SHARE = 0.5
"""Share of the decision's audio the far end explains, above which it is echo."""


def _power_difference_db(total_db: float, part_db: float) -> float:
    """The level of what is left of ``total_db`` when ``part_db`` is taken out of it."""
    left = 10 ** (total_db / 10) - 10 ** (part_db / 10)
    return 10 * math.log10(left) if left > 0 else SILENCE_DB


def explained_by_far_end(clean: np.ndarray, far: np.ndarray) -> float:
    """The largest share of ``clean``'s energy that one lag of ``far`` explains (0..1).

    ``far`` is the far end as played (not delayed), ending with ``clean``'s last sample and
    reaching back as far as the echo may lag (``far.size - clean.size`` samples).
    """
    lags = far.size - clean.size
    if lags < 0:
        raise ValueError(f"far ({far.size}) must be at least as long as clean ({clean.size})")
    energy = float(np.dot(clean, clean))
    if energy <= 0:
        return 0.0
    size = 1 << math.ceil(math.log2(far.size + clean.size))
    cross = np.fft.irfft(np.fft.rfft(far, size) * np.conj(np.fft.rfft(clean, size)), size)
    running = np.concatenate([[0.0], np.cumsum(np.square(far, dtype=np.float64))])
    far_energy = running[clean.size:clean.size + lags + 1] - running[:lags + 1]
    # Lags where the far end was silent explain nothing (and would divide rounding noise).
    audible = far_energy > max(1e-9, float(far_energy.max()) * 1e-4)
    if not audible.any():
        return 0.0
    share = np.square(cross[:lags + 1][audible]) / (far_energy[audible] * energy)
    return float(min(1.0, share.max()))


@dataclass(frozen=True)
class ResidualSettings:
    """How the echo is predicted and how far above it a voice must stand."""

    excess_db: float = 3.0
    margin_db: float = 6.0
    voice_drop_db: float = 12.0
    """How far under the mic's excess over the echo a voice may come out of the canceller
    (AEC3 turns its suppression down, not off, while both talk)."""
    release_db: float = 1.0
    """Per 10 ms frame: 60 dB in 0.6 s, a living room's reverberation time."""
    window_frames: int = 500
    min_frames: int = 100
    percentile: float = 90.0


class ResidualEchoGate:
    """Learns the echo gain and the canceller's enhancement; judges frames against them."""

    def __init__(self, settings: ResidualSettings = ResidualSettings()) -> None:
        self.settings = settings
        self._gains: deque[float] = deque(maxlen=settings.window_frames)
        self._enhancements: deque[float] = deque(maxlen=settings.window_frames)
        self.reset()

    def reset(self) -> None:
        """Forget the room (the devices were reopened)."""
        self._envelope = SILENCE_DB
        self._gains.clear()
        self._enhancements.clear()
        self._gain_db: float | None = None
        self._erle_db: float | None = None
        self._learned = 0

    @property
    def echo_gain_db(self) -> float | None:
        """Mic level over far-end level for echo alone; None until learned."""
        return self._gain_db

    @property
    def erle_db(self) -> float | None:
        """How much the canceller takes off the echo at the least, bar the worst 5 % of frames
        with no excess (its output varies by 20 dB from frame to frame: the median let residual
        echo at -55 dBFS through as the user, under a 30-50 dB enhancement)."""
        return self._erle_db

    def feed(self, mic_db: float, clean_db: float, far_db: float, speaking: bool) -> bool:
        """One frame's levels (dBFS; far end where the echo is measured to be). True when the frame
        may hold the user's voice; always True while the box is silent, never before the room
        is known (the first second the box ever speaks, mostly inside the barge-in grace)."""
        self._envelope = max(far_db, self._envelope - self.settings.release_db)
        if not speaking:
            return True
        if self._envelope > FAR_ACTIVE_DB and mic_db - clean_db >= ECHO_TAKEN_DB:
            self._learn_gain(mic_db - self._envelope)
        if self._gain_db is None:
            return False
        predicted = self._envelope + self._gain_db
        if mic_db >= predicted + self.settings.excess_db:
            # The mic holds more than the echo. A voice passes the canceller at about its own
            # level; echo that came at another time than predicted is cancelled far below it.
            return clean_db >= _power_difference_db(mic_db, predicted) - self.settings.voice_drop_db
        self._learn_enhancement(mic_db - clean_db)
        return clean_db >= predicted - (self._erle_db or 0.0) + self.settings.margin_db

    def _learn_gain(self, gain: float) -> None:
        self._gains.append(gain)
        self._learned += 1
        if len(self._gains) >= self.settings.min_frames and self._learned % 10 == 0:
            self._gain_db = float(np.percentile(self._gains, self.settings.percentile))

    def _learn_enhancement(self, enhancement: float) -> None:
        self._enhancements.append(enhancement)
        if self._erle_db is None or self._learned % 10 == 0:
            self._erle_db = float(np.percentile(self._enhancements, LEAST_ENHANCEMENT))
