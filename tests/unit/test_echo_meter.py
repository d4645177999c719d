"""The live ERLE: per second of the box speaking, after it settles, as a median."""

from __future__ import annotations

import numpy as np
import pytest

from voicebox.audio.aec import EchoMeter

MIC = np.full(160, 0.1, np.float32)


def speak(meter: EchoMeter, seconds: float, erle_db: float, start: float) -> float:
    clean = MIC * 10 ** (-erle_db / 20)
    frames = round(seconds * 100)
    for index in range(frames):
        meter.feed(MIC, clean, True, start + (index + 1) / 100)
    return start + frames / 100


def test_nothing_is_measured_while_settling_or_silent() -> None:
    meter = EchoMeter(settle_s=2.0)
    speak(meter, 1.9, 40.0, 0.0)
    assert meter.erle_db() is None
    meter.feed(MIC, MIC, False, 5.0)
    assert meter.erle_db() is None


def test_seconds_after_settling_are_measured() -> None:
    meter = EchoMeter(settle_s=2.0)
    speak(meter, 6.0, 40.0, 0.0)
    assert meter.erle_db() == pytest.approx(40.0, abs=0.01)


def test_a_few_bad_seconds_do_not_stand_for_the_whole_answer() -> None:
    meter = EchoMeter(settle_s=1.0)
    now = speak(meter, 9.0, 70.0, 0.0)
    now = speak(meter, 3.0, 1.0, now)   # the echo path jumped; the canceller lost it
    speak(meter, 6.0, 68.0, now)
    assert meter.erle_db() >= 68.0


def test_a_new_answer_settles_again() -> None:
    meter = EchoMeter(settle_s=2.0)
    now = speak(meter, 4.0, 30.0, 0.0)
    meter.feed(MIC, MIC, False, now + 0.5)
    speak(meter, 1.5, 0.0, now + 1.0)   # the first moments of the next answer: not counted
    assert meter.erle_db() == pytest.approx(30.0, abs=0.01)


def test_reopened_devices_start_the_figure_afresh() -> None:
    meter = EchoMeter(settle_s=2.0)
    now = speak(meter, 6.0, 40.0, 0.0)
    meter.reset()
    assert meter.erle_db() is None
    speak(meter, 1.5, 10.0, now)   # still settling on the new path mid-answer
    assert meter.erle_db() is None
    speak(meter, 4.0, 25.0, now + 1.5)
    assert meter.erle_db() == pytest.approx(25.0, abs=0.01)
