"""The wake word: microWakeWord run on the echo-cancelled microphone, one 10 ms frame at a time.

Why the echo-cancelled frames: the listener already produces them for the VAD, and only there is
the box's own voice taken out, so an answer that says "Hey Jarvis" cannot wake the box (the
raw mic hears it as loud as the user). Why microWakeWord (pymicro-wakeword): its trained models
are Apache-2.0 and ship inside the wheel with a TFLite library, aarch64 wheels included (README,
Dependencies). The model files are pinned in models.lock and checked before they are loaded.

The detector's score stays above its cut-off for a few windows after the word, so one spoken
wake word would fire several times: after a detection further ones are ignored for
``REFRACTORY_S``, while the audio keeps flowing through the detector so its state stays whole.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voicebox.audio.rates import FRAME_SAMPLES
from voicebox.errors import ModelError
from voicebox.models.lock import ModelLock, PackagedFile
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
    """Feeds 10 ms 16 kHz float frames to a microWakeWord model; not thread-safe (the capture
    thread is its only caller)."""

    def __init__(self, name: str, pins: tuple[PackagedFile, ...]) -> None:
        from pymicro_wakeword import MicroWakeWord, MicroWakeWordFeatures

        paths = {Path(pin.path).suffix: verified_path(pin) for pin in pins}
        if set(paths) != {".json", ".tflite"}:
            raise ModelError(f"wake word {name!r}: models.lock pins {sorted(paths)}, "
                             "not one .json and one .tflite",
                             hint="restore models.lock from the release")
        model_name = json.loads(paths[".json"].read_text(encoding="utf-8"))["model"]
        if paths[".json"].parent / model_name != paths[".tflite"]:
            raise ModelError(f"wake word {name!r}: its config loads {model_name}, not the "
                             f"pinned {paths['.tflite'].name}",
                             hint="restore models.lock from the release")
        self.name = name
        self._model = MicroWakeWord.from_config(paths[".json"])
        self._features = MicroWakeWordFeatures()
        self._quiet_until = float("-inf")
        self.detections = 0
        self.busy_s = 0.0
        """Thread CPU time spent in the detector, for its share of a core."""

    @classmethod
    def from_lock(cls, lock: ModelLock, name: str) -> WakeDetector:
        """The detector for wake word ``name`` from the files models.lock pins for it."""
        pinned = lock.wake_words()
        if name not in pinned:
            raise ModelError(f"{lock.path} pins no wake word {name!r} (it pins "
                             f"{', '.join(sorted(pinned)) or 'none'})",
                             hint="set listen.wake_word to one of those")
        return cls(name, pinned[name])

    def reset(self) -> None:
        """Forget the audio heard so far (the devices were reopened: it no longer continues)."""
        self._features.reset()
        self._model.reset()
        self._quiet_until = float("-inf")

    def feed(self, frame: np.ndarray, now: float) -> WakeDetected | None:
        """One echo-cancelled 10 ms frame (float32 in [-1, 1]) ending at ``now``."""
        if frame.shape != (FRAME_SAMPLES,):
            raise ValueError(f"wake frame must be {FRAME_SAMPLES} samples, got {frame.shape}")
        started = time.thread_time()
        pcm = (np.clip(frame, -1.0, 1.0) * 32767).astype("<i2").tobytes()
        best = 0.0
        for features in self._features.process_streaming(pcm):
            best = max(best, self._model.process_streaming_prob(features) or 0.0)
        self.busy_s += time.thread_time() - started
        if best <= self._model.probability_cutoff or now < self._quiet_until:
            return None
        self._quiet_until = now + REFRACTORY_S
        self.detections += 1
        return WakeDetected(self.name, now, round(best, 3))
