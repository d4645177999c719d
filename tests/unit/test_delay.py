"""The echo delay estimator: known delays recovered to the sample, through reverb, a clipping
speaker and noise; no estimate from silence or from sound unrelated to the far end; drift."""

from __future__ import annotations

import numpy as np
import pytest

from voicebox.audio.delay import DelayEstimator, SampleRing, gcc_phat_delay
from voicebox.audio.rates import FRAME_SAMPLES, PROCESSING_RATE

SEED = 20261203


def speechlike(seconds: float, rng: np.random.Generator) -> np.ndarray:
    """Noise in syllable-like bursts of random length, band-limited like a voice."""
    size = round(seconds * PROCESSING_RATE)
    noise = rng.standard_normal(size)
    smooth = np.convolve(noise, np.hanning(8) / 4, mode="same")
    syllables = rng.uniform(0.08, 0.3, size=int(seconds * 8))
    edges = np.cumsum(syllables * PROCESSING_RATE).astype(int)
    bursts = (np.searchsorted(edges, np.arange(size)) % 3) != 0  # a pause every third
    return (0.1 * smooth * bursts).astype(np.float32)


def room(far: np.ndarray, delay: int, rng: np.random.Generator, *, rt60: float = 0.0,
         clip: bool = False, noise_db: float = -70.0) -> np.ndarray:
    """What a mic hears: the far end delayed, reverberated, clipped by the speaker, in noise."""
    sound = np.tanh(3 * far) / 3 if clip else far
    if rt60:  # a direct path, then a tail decaying by 60 dB in rt60 with half its energy
        taps = np.arange(round(rt60 * PROCESSING_RATE))
        tail = rng.standard_normal(taps.size) * 10 ** (-3 * taps / taps.size)
        tail[:48] = 0  # first reflections after 3 ms
        response = tail * np.sqrt(0.5 / np.sum(tail**2))
        response[0] = 1.0
        sound = np.convolve(sound, response)[: far.size]
    echo = 0.5 * np.concatenate([np.zeros(delay), sound[: far.size - delay]])
    hiss = rng.standard_normal(far.size) * 10 ** (noise_db / 20)
    return (echo + hiss).astype(np.float32)


def estimates(far: np.ndarray, mic: np.ndarray, estimator: DelayEstimator | None = None):
    estimator = estimator or DelayEstimator()
    found = []
    for start in range(0, far.size - FRAME_SAMPLES + 1, FRAME_SAMPLES):
        end = start + FRAME_SAMPLES
        estimate = estimator.feed(far[start:end], mic[start:end], end / PROCESSING_RATE)
        if estimate is not None:
            found.append(estimate)
    return found, estimator


@pytest.mark.parametrize("delay_ms", [0, 20, 150, 400, 700, 990])
def test_known_delays_are_recovered_within_a_millisecond(delay_ms: int) -> None:
    rng = np.random.default_rng(SEED + delay_ms)
    far = speechlike(5.0, rng)
    found, _ = estimates(far, room(far, delay_ms * 16, rng))
    assert found, f"no estimate (seed {SEED + delay_ms})"
    assert all(abs(e.ms - delay_ms) <= 1.0 for e in found), [e.ms for e in found]


@pytest.mark.parametrize(("rt60", "clip", "noise_db"), [(0.3, False, -60.0), (0.6, True, -45.0)])
def test_reverb_clipping_and_noise_do_not_move_the_estimate(rt60, clip, noise_db) -> None:
    rng = np.random.default_rng(SEED)
    far = speechlike(5.0, rng)
    found, _ = estimates(far, room(far, 6400, rng, rt60=rt60, clip=clip, noise_db=noise_db))
    assert found, f"no estimate (seed {SEED})"
    assert all(abs(e.ms - 400) <= 1.0 for e in found), [e.ms for e in found]


def test_silence_gives_no_estimate_and_is_not_a_miss() -> None:
    silence = np.zeros(3 * PROCESSING_RATE, np.float32)
    found, estimator = estimates(silence, silence)
    assert found == [] and estimator.misses == 0


def test_a_peak_that_does_not_stand_out_is_a_miss_not_an_estimate() -> None:
    rng = np.random.default_rng(SEED)
    far = speechlike(5.0, rng)
    mic = room(far, 800, rng, noise_db=-20.0)  # the echo 15 dB under noise
    found, estimator = estimates(far, mic, DelayEstimator(min_peak_ratio=1e6))
    assert found == []
    assert estimator.misses >= 5


def test_drift_between_two_clocks_is_measured_and_predicted() -> None:
    rng = np.random.default_rng(SEED)
    ppm = 200.0
    seconds = 75.0
    far = speechlike(seconds, rng)
    # The mic's clock runs fast: the echo falls behind the far end by 200 us every second.
    played_at = np.arange(far.size) * (1 - ppm * 1e-6) - 1600
    mic = (0.5 * np.interp(played_at, np.arange(far.size), far, left=0)).astype(np.float32)
    found, estimator = estimates(far, mic)
    assert estimator.drift_ppm == pytest.approx(ppm, rel=0.1)
    assert estimator.predict(found[-1].at + 10) == pytest.approx(
        found[-1].samples + ppm * 1e-6 * 10 * PROCESSING_RATE, abs=1.0)


def test_no_drift_before_a_minute_of_estimates() -> None:
    rng = np.random.default_rng(SEED)
    far = speechlike(10.0, rng)
    _, estimator = estimates(far, room(far, 800, rng))
    assert estimator.drift_ppm is None


def test_a_far_end_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="far must be 300 samples"):
        gcc_phat_delay(np.zeros(200, np.float32), np.zeros(100, np.float32), 200)


def test_the_sample_ring_keeps_the_newest_samples_in_order() -> None:
    ring = SampleRing(5)
    ring.push(np.arange(3, dtype=np.float32))
    ring.push(np.arange(3, 7, dtype=np.float32))
    assert ring.full
    assert ring.read().tolist() == [2, 3, 4, 5, 6]
    assert ring.window(2, 1).tolist() == [4, 5]
    with pytest.raises(ValueError, match="does not fit"):
        ring.window(3, 3)
