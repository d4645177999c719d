"""The benchmark's signal measurements, on synthetic signals with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.voicebench.measure import (
    first_sound,
    last_sound,
    locate,
    quiet_from,
    voiced_span,
)
from benchmarks.voicebench.questions import make_noise

RATE = 16000


def tone(seconds: float, level: float = 0.5, freq: float = 220.0) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return (level * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * RATE), np.float32)


def test_the_voice_ends_with_its_last_frame_within_40_db_of_the_loudest() -> None:
    speech = np.concatenate([silence(0.3), tone(1.0), tone(0.2, level=0.01),  # -34 dB: voice
                             tone(0.2, level=0.001),  # -54 dB: a breath, not voice
                             silence(0.5)])
    start, end = voiced_span(speech, RATE)
    assert start == pytest.approx(0.3 * RATE, abs=RATE // 100)
    assert end == pytest.approx(1.5 * RATE, abs=RATE // 100)


def test_silence_has_no_voice() -> None:
    assert voiced_span(silence(1.0), RATE) is None
    assert voiced_span(np.zeros(0, np.float32), RATE) is None


def test_first_and_last_sound_and_the_start_of_a_quiet_spell() -> None:
    audio = np.concatenate([silence(0.5), tone(0.4), silence(0.2), tone(0.3), silence(2.0)])
    assert first_sound(audio) == pytest.approx(0.5 * RATE, abs=2)
    assert first_sound(audio, start=round(0.95 * RATE)) == pytest.approx(1.1 * RATE, abs=40)
    assert first_sound(silence(1.0)) is None
    quiet = quiet_from(audio, round(0.6 * RATE), RATE, gap_s=1.0)  # the 0.2 s pause is no end
    assert quiet == pytest.approx(1.4 * RATE, abs=40)
    assert quiet_from(audio, 0, RATE, gap_s=0.1) == 0
    assert quiet_from(tone(1.0), 0, RATE, gap_s=0.1) is None
    assert last_sound(audio, 0, len(audio)) == pytest.approx(1.4 * RATE, abs=40)
    assert last_sound(audio, 0, round(0.7 * RATE)) == pytest.approx(0.7 * RATE, abs=2)
    assert last_sound(audio, round(1.5 * RATE), len(audio)) is None


def test_a_clip_is_found_in_a_recording_with_its_lag() -> None:
    clip = np.concatenate([tone(0.3, freq=300.0), tone(0.3, freq=700.0)])
    recording = np.concatenate([silence(1.234), 0.5 * clip, silence(0.5)])
    recording += 0.01 * make_noise("white", len(recording), np.random.default_rng(1))
    found = locate(recording, clip, start=RATE // 2)
    assert found.lag == round(1.234 * RATE)
    assert found.ncc > 0.99
    assert found.gain == pytest.approx(0.5, abs=0.01)
    with pytest.raises(ValueError, match="shorter than the clip"):
        locate(recording, clip, start=0, stop=100)


def test_pink_noise_has_more_power_low_than_high_and_no_offset() -> None:
    noise = make_noise("fan", RATE * 2, np.random.default_rng(0))
    spectrum = np.abs(np.fft.rfft(noise)) ** 2
    frequencies = np.fft.rfftfreq(len(noise), 1 / RATE)
    low = spectrum[(frequencies > 100) & (frequencies < 200)].mean()
    high = spectrum[(frequencies > 3200) & (frequencies < 6400)].mean()
    assert 10 * np.log10(low / high) == pytest.approx(10 * np.log10(32), abs=3)  # 3 dB/octave
    assert abs(noise.mean()) < 1e-9
    with pytest.raises(ValueError, match="unknown noise"):
        make_noise("rain", 10, np.random.default_rng(0))
