"""The rig's echo room does to a signal what its settings say, sample for sample."""

from __future__ import annotations

import numpy as np
import pytest

from tests.rig.room import (
    DriftResampler,
    PartitionedConvolver,
    Room,
    RoomSettings,
    impulse_response,
)

RATE = 48000
BLOCK = 480


def run(room: Room, signal: np.ndarray) -> np.ndarray:
    return np.concatenate([room.process(signal[i:i + BLOCK])
                           for i in range(0, signal.size, BLOCK)])


def level_db(samples: np.ndarray) -> float:
    return 10 * np.log10(np.mean(np.square(samples, dtype=np.float64)))


def test_the_bulk_delay_and_gain_are_exact() -> None:
    signal = np.zeros(RATE)
    signal[1000] = 0.8
    out = run(Room(RoomSettings(delay_ms=250, gain=0.4), RATE, BLOCK), signal)
    assert np.flatnonzero(out) == [1000 + 12000]
    assert out[13000] == pytest.approx(0.32, abs=1e-6)


def test_partitioned_convolution_equals_direct_convolution() -> None:
    rng = np.random.default_rng(1)
    response, signal = rng.standard_normal(3000), rng.standard_normal(BLOCK * 20)
    convolver = PartitionedConvolver(response, BLOCK)
    out = np.concatenate([convolver.process(signal[i:i + BLOCK])
                          for i in range(0, signal.size, BLOCK)])
    np.testing.assert_allclose(out, np.convolve(signal, response)[:signal.size], atol=1e-9)


def test_the_impulse_response_decays_60_db_in_rt60() -> None:
    response = impulse_response(0.5, RATE, np.random.default_rng(2))
    assert response.size == 24000 and response[0] == 1.0
    early = level_db(response[240:2640])       # 5-55 ms
    late = level_db(response[12000:14400])     # 250-300 ms
    assert early - late == pytest.approx(0.245 * 120, abs=2)  # 245 ms later at 120 dB/s
    first = response[240:720]
    assert 10 * np.log10(np.dot(first, first)) == pytest.approx(-10, abs=0.01)


def test_drift_moves_the_echo_by_ppm_times_the_time() -> None:
    rng = np.random.default_rng(3)
    signal = rng.standard_normal(RATE * 20)
    resampler = DriftResampler(100.0)
    out = np.concatenate([resampler.process(signal[i:i + BLOCK])
                          for i in range(0, signal.size, BLOCK)])
    assert abs(out.size - signal.size / 1.0001) <= 2
    late = slice(RATE * 19, RATE * 19 + 4800)   # 19 s in: the input is 1.9 ms (91 samples) on
    lags = range(80, 100)
    match = [np.dot(out[late], signal[late.start + lag:late.stop + lag]) for lag in lags]
    assert lags[int(np.argmax(match))] == 91


def test_soft_clipping_bounds_the_speaker() -> None:
    room = Room(RoomSettings(delay_ms=0, gain=1.0, clip_drive=3.0), RATE, BLOCK)
    out = room.process(np.full(BLOCK, 0.9))
    assert np.all(out <= 1 / 3 + 1e-6) and out[0] == pytest.approx(np.tanh(2.7) / 3, rel=1e-5)


def test_noise_has_its_level_and_its_seed() -> None:
    settings = RoomSettings(delay_ms=0, gain=0.0, noise_dbfs=-50, seed=7)
    silence = np.zeros(RATE)
    first, again = run(Room(settings, RATE, BLOCK), silence), run(Room(settings, RATE, BLOCK),
                                                                 silence)
    assert level_db(first) == pytest.approx(-50, abs=0.3)
    np.testing.assert_array_equal(first, again)


def test_a_room_describes_itself() -> None:
    text = RoomSettings(delay_ms=400, gain=0.5, rt60_s=0.4, clip_drive=3,
                        drift_ppm=-80, noise_dbfs=-55).describe()
    assert text == ("delay 400 ms, gain 0.50, RT60 0.40 s, soft clip x3.0, drift -80 ppm, "
                    "noise -55 dBFS")
