"""The listener with real webrtcvad and AEC3: push-to-talk holds and audio that lies."""

from __future__ import annotations

import numpy as np

from tests.conftest import espeak
from voicebox.audio.endpointer import UtteranceEnded
from voicebox.audio.listener import BargeIn, Heard, Listener
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
    ended = [d.decision for d in decisions if isinstance(d, Heard)
             and isinstance(d.decision, UtteranceEnded)]
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
    (ended,) = [d.decision for d in decisions if isinstance(d, Heard)
                and isinstance(d.decision, UtteranceEnded)]
    assert np.isfinite(ended.samples).all()
    assert listener.bad_frames == 2


def feed(listener: Listener, mic: np.ndarray, far: np.ndarray, start: float) -> float:
    for index in range(len(mic) // 160):
        frame = slice(index * 160, (index + 1) * 160)
        listener.process(mic[frame], far[frame], start + index / 100)
    return start + len(mic) // 160 / 100


def test_the_box_talking_alone_is_not_a_barge_in_and_the_user_over_it_is() -> None:
    """Real AEC3 and webrtcvad: the box's voice comes back at a third of its level; then the
    user talks over it, and the barge-in comes with the window's levels."""
    decisions: list[object] = []
    listener = Listener(load_config(), lambda: True, decisions.append)
    box = espeak("Once upon a time there was a dragon who lived in a cave by the sea, "
                 "and every morning it flew over the water to look for ships.", "en")
    user = espeak("Stop, stop, what is the capital of Spain?", "en-us", 180)
    alone = len(box) - len(user)
    now = feed(listener, box[:alone] * 0.3, box[:alone], 100.0)
    assert not [d for d in decisions if isinstance(d, BargeIn)], "its own voice cut it off"
    feed(listener, box[alone:] * 0.3 + user, box[alone:], now)
    (barge_in,) = [d for d in decisions if isinstance(d, BargeIn)]
    assert barge_in.at > now
    assert len(barge_in.levels) == 10
    assert sum(mic > -40 for mic, _clean, _far in barge_in.levels) >= 5  # a voice in the mic
