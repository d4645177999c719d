"""The listener with real webrtcvad and AEC3: push-to-talk holds and audio that lies."""

from __future__ import annotations

import numpy as np

from voicebox.audio.endpointer import UtteranceEnded
from voicebox.audio.listener import Listener
from voicebox.config import load_config


def test_holding_the_button_makes_the_utterance_whatever_the_vad_says() -> None:
    decisions: list[object] = []
    listener = Listener(load_config(), lambda: False, decisions.append)
    quiet = np.zeros(160, np.float32)
    now = 100.0
    for _ in range(5):
        now += 0.01
        listener.process(quiet, quiet, now)
    listener.hold(True)
    for _ in range(50):                  # half a second of silence while the button is held
        now += 0.01
        listener.process(quiet, quiet, now)
    listener.hold(False)
    now += 0.01
    listener.process(quiet, quiet, now)
    ended = [d for d in decisions if isinstance(d, UtteranceEnded)]
    assert len(ended) == 1 and not ended[0].truncated
    assert len(ended[0].samples) >= 50 * 160


def test_non_finite_audio_is_silenced_and_counted() -> None:
    decisions: list[object] = []
    listener = Listener(load_config(), lambda: False, decisions.append)
    bad = np.full(160, np.nan, np.float32)
    quiet = np.zeros(160, np.float32)
    listener.hold(True)
    listener.process(bad, quiet, 1.0)
    listener.process(quiet, np.full(160, np.inf, np.float32), 1.01)
    listener.hold(False)
    listener.process(quiet, quiet, 1.02)
    (ended,) = [d for d in decisions if isinstance(d, UtteranceEnded)]
    assert np.isfinite(ended.samples).all()
    assert listener.bad_frames == 2
