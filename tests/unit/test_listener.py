"""The listener with real webrtcvad and AEC3: push-to-talk holds and audio that lies."""

from __future__ import annotations

import numpy as np

from tests.conftest import espeak
from voicebox.audio.endpointer import UtteranceEnded
from voicebox.audio.listener import BargeIn, Listener
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


def test_a_barge_in_carries_the_levels_it_was_decided_on() -> None:
    """Talking while the box speaks (silent far end, so nothing to cancel): after the grace
    period the barge-in comes with the window's mic, cleaned and far-end levels."""
    decisions: list[object] = []
    listener = Listener(load_config(), lambda: True, decisions.append)
    voice = espeak("Stop, stop, what is the capital of Spain?", "en")
    silence = np.zeros(160, np.float32)
    for index in range(len(voice) // 160):
        listener.process(voice[index * 160:(index + 1) * 160], silence, 100.0 + index / 100)
    (barge_in,) = [d for d in decisions if isinstance(d, BargeIn)]
    assert barge_in.at >= 100.5                               # not inside the grace period
    assert len(barge_in.levels) == 10
    assert all(far == -100 for _mic, _clean, far in barge_in.levels)   # nothing played
    assert sum(mic > -60 for mic, _clean, _far in barge_in.levels) >= 5  # a voice in the mic
