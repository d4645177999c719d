"""How much of an utterance webrtcvad calls a voice."""

from __future__ import annotations

import numpy as np

from voicebox.audio.vad import voiced_seconds


def test_silence_has_no_voice_and_a_hum_is_voiced_throughout() -> None:
    t = np.arange(32000) / 16000
    hum = (0.2 * np.sin(2 * np.pi * (140 + 20 * np.sin(2 * np.pi * 3 * t)) * t)).astype(
        np.float32)
    assert voiced_seconds(np.zeros(32000, np.float32)) == 0.0
    assert voiced_seconds(hum) >= 1.5
    assert voiced_seconds(np.concatenate([np.zeros(16000, np.float32), hum[:8000]])) <= 0.5
