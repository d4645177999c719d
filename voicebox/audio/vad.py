"""Voice activity detection per 10 ms frame with webrtcvad, stricter while the box speaks.

Modes 0-1 called loud noise speech in up to 100% of frames at 5 dB SNR; modes 2-3 held. While
the box speaks, the residual echo after cancellation must not look like a user, so the
speaking mode is configured separately (3 by default: zero false barge-ins measured).
"""

from __future__ import annotations

import numpy as np

from voicebox.audio.rates import PROCESSING_RATE


class VoiceDetector:
    """Is there speech in this frame? The answer depends on whether the box is speaking."""

    def __init__(self, listening_mode: int, speaking_mode: int) -> None:
        import webrtcvad

        self._listening = webrtcvad.Vad(listening_mode)
        self._speaking = webrtcvad.Vad(speaking_mode)

    def is_speech(self, frame: np.ndarray, speaking: bool) -> bool:
        """webrtcvad's decision on a 10 ms float32 frame."""
        pcm = (np.clip(frame, -1.0, 1.0) * 32767).astype("<i2").tobytes()
        detector = self._speaking if speaking else self._listening
        return detector.is_speech(pcm, PROCESSING_RATE)


def voiced_seconds(samples: np.ndarray, mode: int = 3) -> float:
    """Seconds of ``samples`` (16 kHz) that webrtcvad calls speech: whether an utterance the
    recogniser found no words in was a voice worth answering with "I didn't catch that"."""
    detector = VoiceDetector(mode, mode)
    frame = PROCESSING_RATE // 100
    voiced = sum(detector.is_speech(samples[start:start + frame], False)
                 for start in range(0, samples.size - frame + 1, frame))
    return voiced / 100
