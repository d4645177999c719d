"""Sample-rate conversion: tones keep their level, nothing aliases or images, streams match."""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise
from math import floor, gcd

import numpy as np
import pytest

from voicebox.audio.resample import StreamResampler, resample

RATIOS = [(48000, 16000), (22050, 48000), (16000, 48000), (44100, 16000), (22050, 16000)]
# Both directions of the playback/capture paths, plus the identity.
STREAM_RATIOS = [*RATIOS, (48000, 22050), (16000, 22050), (16000, 16000)]


def tone(freq: float, rate: int, seconds: float = 1.2, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def middle(x: np.ndarray, rate: int) -> np.ndarray:
    """The signal without its first and last 100 ms, where the filter sees the edges."""
    return x[rate // 10 : len(x) - rate // 10]


def amplitude_at(x: np.ndarray, freq: float, rate: int) -> float:
    """Least-squares amplitude of the sinusoid at ``freq`` in ``x``."""
    t = np.arange(len(x)) / rate
    basis = np.column_stack((np.sin(2 * np.pi * freq * t), np.cos(2 * np.pi * freq * t)))
    (a, b), *_ = np.linalg.lstsq(basis, x.astype(np.float64), rcond=None)
    return float(np.hypot(a, b))


def db(ratio: float) -> float:
    return float(20 * np.log10(ratio))


def spectrum_db(x: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """Frequencies and levels relative to the strongest bin (Kaiser window, ~-100 dB leakage)."""
    levels = np.abs(np.fft.rfft(x * np.kaiser(len(x), 14.0)))
    return np.fft.rfftfreq(len(x), 1 / rate), 20 * np.log10(levels / levels.max() + 1e-30)


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def test_a_1khz_tone_keeps_its_frequency_and_level_from_48k_to_16k() -> None:
    out = middle(resample(tone(1000, 48000), 48000, 16000), 16000)
    freqs, levels = spectrum_db(out, 16000)
    assert abs(freqs[np.argmax(levels)] - 1000) <= freqs[1]
    assert abs(db(amplitude_at(out, 1000, 16000) / 0.5)) < 0.1


@pytest.mark.parametrize("freq", [300, 1000, 3000, 6000, 7000])
def test_the_passband_is_flat_from_48k_to_16k(freq: int) -> None:
    out = middle(resample(tone(freq, 48000), 48000, 16000), 16000)
    assert abs(db(amplitude_at(out, freq, 16000) / 0.5)) < 0.5


@pytest.mark.parametrize("freq", [8500, 10000, 15000, 23000])
def test_tones_above_the_new_nyquist_do_not_alias(freq: int) -> None:
    passband = rms(middle(resample(tone(1000, 48000), 48000, 16000), 16000))
    aliased = rms(middle(resample(tone(freq, 48000), 48000, 16000), 16000))
    assert db(aliased / passband) <= -60


@pytest.mark.parametrize(
    ("from_rate", "freq"), [(16000, 1000), (16000, 7000), (22050, 1000), (22050, 9000)]
)
def test_upsampling_to_48k_keeps_the_sine_and_leaves_no_images(from_rate: int, freq: int) -> None:
    out = middle(resample(tone(freq, from_rate), from_rate, 48000), 48000)
    freqs, levels = spectrum_db(out, 48000)
    assert abs(freqs[np.argmax(levels)] - freq) <= freqs[1]
    assert abs(db(amplitude_at(out, freq, 48000) / 0.5)) < 0.1
    assert levels[freqs > from_rate / 2].max() <= -60


@pytest.mark.parametrize(("from_rate", "to_rate"), [*RATIOS, (48000, 22050)])
@pytest.mark.parametrize("length", [0, 1, 2, 3, 159, 160, 441, 479, 480, 4801, 22051])
def test_output_length_is_the_rounded_rate_ratio(from_rate: int, to_rate: int, length: int) -> None:
    expected = floor(Fraction(length * to_rate, from_rate) + Fraction(1, 2))
    assert len(resample(np.zeros(length, np.float32), from_rate, to_rate)) == expected


def test_an_exact_half_sample_of_output_rounds_up() -> None:
    assert len(resample(np.zeros(480, np.float32), 48000, 22050)) == 221  # 220.5


def random_chunks(signal: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    """Chunks of 0, 1, 480 (10 ms at 48 kHz) and random sizes, in random order."""
    sizes = [0, 1, 480]
    while sum(sizes) < len(signal):
        sizes.append(int(rng.choice([0, 1, 480, int(rng.integers(2, 2000))])))
    edges = np.cumsum([0, *sizes])
    return [signal[a:b] for a, b in pairwise(edges)]


def stream(resampler: StreamResampler, chunks: list[np.ndarray]) -> np.ndarray:
    return np.concatenate([*(resampler.process(c) for c in chunks), resampler.flush()])


@pytest.mark.parametrize(("from_rate", "to_rate"), STREAM_RATIOS)
def test_streaming_in_random_chunks_gives_the_one_shot_samples(
    from_rate: int, to_rate: int
) -> None:
    rng = np.random.default_rng(20240611)
    signal = rng.uniform(-0.5, 0.5, from_rate // 2).astype(np.float32)
    streamed = stream(StreamResampler(from_rate, to_rate), random_chunks(signal, rng))
    one_shot = resample(signal, from_rate, to_rate)
    assert streamed.dtype == np.float32 and streamed.shape == one_shot.shape
    np.testing.assert_allclose(streamed, one_shot, rtol=0, atol=1e-5)


def test_a_stream_starts_afresh_after_flush() -> None:
    signal = np.random.default_rng(7).uniform(-0.5, 0.5, 4800).astype(np.float32)
    resampler = StreamResampler(44100, 16000)
    first = stream(resampler, [signal[:1000], signal[1000:]])
    np.testing.assert_array_equal(stream(resampler, [signal]), first)


@pytest.mark.parametrize(("from_rate", "to_rate"), RATIOS)
def test_a_click_comes_out_delay_samples_late_and_in_its_place(
    from_rate: int, to_rate: int
) -> None:
    step = from_rate // gcd(from_rate, to_rate)  # click input index whose output index is whole
    click = 7 * step
    position = click * to_rate // from_rate
    signal = np.zeros(click + 3000, np.float32)
    signal[click] = 1.0
    resampler, received, emitted = StreamResampler(from_rate, to_rate), 0, []
    for chunk in random_chunks(signal, np.random.default_rng(3)):
        emitted.extend(resampler.process(chunk))
        received += len(chunk)
        if len(emitted) > position:
            break
    # What a caller does: the output ends delay_samples before the input's end.
    estimate = received * to_rate / from_rate - resampler.delay_samples - (len(emitted) - position)
    assert abs(estimate - position) <= 1
    assert int(np.argmax(np.abs(emitted))) == position


@pytest.mark.parametrize(("from_rate", "to_rate"), RATIOS)
def test_the_output_trails_the_input_by_delay_samples(from_rate: int, to_rate: int) -> None:
    resampler, received, emitted = StreamResampler(from_rate, to_rate), 0, 0
    signal = np.zeros(from_rate // 5, np.float32)
    for chunk in random_chunks(signal, np.random.default_rng(5)):
        emitted += len(resampler.process(chunk))
        received += len(chunk)
        if received * to_rate / from_rate > resampler.delay_samples + 1:
            lag = received * to_rate / from_rate - emitted
            assert resampler.delay_samples - 1 < lag <= resampler.delay_samples + 1e-9


def test_delay_is_the_filter_centre_in_output_samples() -> None:
    assert StreamResampler(48000, 16000).delay_samples == 40.0  # 241 taps, centre 120, / 3
    assert StreamResampler(16000, 16000).delay_samples == 0.0


def test_the_same_rate_is_an_identity_that_copies() -> None:
    signal = np.random.default_rng(11).uniform(-1, 1, 1000)
    out = resample(signal, 16000, 16000)
    assert out.dtype == np.float32 and not np.shares_memory(out, signal)
    np.testing.assert_array_equal(out, signal.astype(np.float32))
    resampler = StreamResampler(16000, 16000)
    np.testing.assert_array_equal(resampler.process(signal[:333]), signal[:333].astype(np.float32))
    assert len(resampler.flush()) == 0


def test_float64_input_gives_float32_output() -> None:
    out = resample(tone(1000, 48000).astype(np.float64), 48000, 16000)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, resample(tone(1000, 48000), 48000, 16000), atol=1e-6)


GOOD = np.zeros(480, np.float32)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: resample(GOOD, 0, 16000), "from_rate must be a positive whole number of Hz"),
        (lambda: resample(GOOD, 48000, -16000), r"to_rate .* got -16000"),
        (lambda: resample(GOOD, 44100.0, 16000), r"from_rate .*\(int\), got 44100\.0"),
        (lambda: StreamResampler(48000, 0), r"to_rate .* got 0"),
        (lambda: resample(np.zeros((480, 2), np.float32), 48000, 16000), r"1-D .*\(480, 2\)"),
        (lambda: resample(np.zeros(480, np.int16), 48000, 16000), "float32 or float64 .*int16"),
        (lambda: resample([0.0] * 480, 48000, 16000), "numpy array of samples, got list"),
        (
            lambda: StreamResampler(48000, 16000).process(np.zeros(480, np.int32)),
            "chunk must be float32 or float64 samples .* got int32",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_it(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
