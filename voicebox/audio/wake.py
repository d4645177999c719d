"""The wake word: microWakeWord run on the echo-cancelled microphone, one 10 ms frame at a time.

Why the echo-cancelled frames: the listener already produces them for the VAD, and only there is
the box's own voice taken out, so an answer that says "Hey Jarvis" cannot wake the box (the
raw mic hears it as loud as the user). The default engine is microWakeWord (pymicro-wakeword):
its trained models are Apache-2.0 and ship inside the wheel with a TFLite library, aarch64
wheels included; openWakeWord is an option (non-commercial models; README, Dependencies). The
model files are pinned in models.lock and checked before they are loaded (wake_engines.py).

The detector's score stays above its cut-off for a few windows after the word, so one spoken
wake word would fire several times: after a detection further ones are ignored for
``REFRACTORY_S``, while the audio keeps flowing through the detector so its state stays whole.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voicebox.audio.rates import FRAME_SAMPLES
from voicebox.audio.wake_engines import ENGINE_PACKAGES, ENGINES, WakeModel
from voicebox.errors import ModelError
from voicebox.models.lock import ModelLock
from voicebox.models.packaged import verified_path

REFRACTORY_S = 1.0
"""One wake word, one detection: the score stays high for ~0.2 s after the word ends."""


@dataclass(frozen=True)
class WakeDetected:
    """The wake word ``name`` ended just before ``at`` (the end of the frame that completed
    the detection); ``score`` is the detector's smoothed probability (0-1)."""

    name: str
    at: float
    score: float


class WakeDetector:
    """Feeds 10 ms 16 kHz float frames to a wake-word model; not thread-safe (the capture
    thread is its only caller)."""

    def __init__(self, name: str, model: WakeModel) -> None:
        self.name = name
        self._model = model
        self._quiet_until = float("-inf")
        self.detections = 0
        self.busy_s = 0.0
        """Thread CPU time spent in the detector, for its share of a core."""

    @classmethod
    def from_lock(cls, lock: ModelLock, name: str,
                  engine: str = "microwakeword") -> WakeDetector:
        """The ``engine``'s detector for wake word ``name``, from the files models.lock pins
        for it (each verified before the library sees it)."""
        package = ENGINE_PACKAGES[engine]
        pinned = lock.wake_words(package)
        if name not in pinned:
            raise ModelError(f"{lock.path} pins no {package} wake word {name!r} (it pins "
                             f"{', '.join(sorted(pinned)) or 'none'})",
                             hint="set listen.wake_word to one of those")
        paths = {Path(pin.path).name: verified_path(pin) for pin in pinned[name]}
        return cls(name, ENGINES[engine](name, paths))

    def reset(self) -> None:
        """Forget the audio heard so far (the devices were reopened: it no longer continues)."""
        self._model.reset()
        self._quiet_until = float("-inf")

    def feed(self, frame: np.ndarray, now: float) -> WakeDetected | None:
        """One echo-cancelled 10 ms frame (float32 in [-1, 1]) ending at ``now``."""
        if frame.shape != (FRAME_SAMPLES,):
            raise ValueError(f"wake frame must be {FRAME_SAMPLES} samples, got {frame.shape}")
        started = time.thread_time()
        best = self._model.score((np.clip(frame, -1.0, 1.0) * 32767).astype("<i2").tobytes())
        self.busy_s += time.thread_time() - started
        if best <= self._model.cutoff or now < self._quiet_until:
            return None
        self._quiet_until = now + REFRACTORY_S
        self.detections += 1
        return WakeDetected(self.name, now, round(best, 3))
