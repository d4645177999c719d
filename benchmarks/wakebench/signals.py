"""The room around the voice: music in the background, noise at a set SNR, a distant talker.

Why music: a television or a radio is what a wake-word detector hears most in a living room
besides people, and tonal, rhythmic sound is harder for it than steady noise (a fan). The
generator makes pop-like music from sine chords (three harmonics each, a new chord every bar),
a kick drum and a hi-hat on the beat, over a pink-noise bed (``make_noise("fan")`` from the
voicebench questions); every choice is drawn from the caller's seeded generator, so a run is
the same every time. Its output has unit RMS: ``mix`` scales it to the wanted SNR.

The speech level that the SNR refers to is that of the active speech only: the RMS of the
10 ms frames within 40 dB of the loudest (``measure.frame_levels``), so the pauses of a long
reading do not make the noise look quieter than it is.

Distance: the rig's room impulse response (tests/rig/room.py, a direct path and a diffuse
tail of RT60 seconds) and an attenuation, the level of a talker a few metres away.
"""

from __future__ import annotations

import numpy as np

from benchmarks.voicebench.measure import FLOOR_DB, frame_levels
from benchmarks.voicebench.questions import make_noise
from tests.rig.room import impulse_response

RATE = 16000
CHORD_QUALITIES = ((0, 4, 7), (0, 3, 7), (0, 4, 7, 10), (0, 3, 7, 10), (0, 5, 7))
"""Major, minor, dominant and minor seventh, suspended fourth: semitones above the root."""
BED_DB = -12.0
"""The pink-noise bed's level under the music."""


def music(length: int, rng: np.random.Generator, rate: int = RATE) -> np.ndarray:
    """``length`` samples of music-like sound at unit RMS (see the module's docstring)."""
    t = np.arange(length) / rate
    beat_s = 60.0 / rng.uniform(84.0, 132.0)
    bar = max(1, round(4 * beat_s * rate))
    tones = np.zeros(length)
    fade = np.minimum(1.0, np.minimum(np.arange(bar), np.arange(bar)[::-1]) / (0.02 * rate))
    for start in range(0, length, bar):
        span = slice(start, min(length, start + bar))
        root = 220.0 * 2 ** (rng.integers(-9, 6) / 12)
        for step in CHORD_QUALITIES[rng.integers(len(CHORD_QUALITIES))]:
            base = root * 2 ** (step / 12)
            for harmonic, level in ((1, 1.0), (2, 0.4), (3, 0.2)):
                phase = rng.uniform(0, 2 * np.pi)
                tones[span] += level * np.sin(2 * np.pi * base * harmonic * t[span] + phase)
        tones[span] *= fade[:span.stop - span.start]
    drums = _drums(length, beat_s, rng, rate)
    bed = make_noise("fan", length, rng)
    mixed = _unit(tones) + 0.8 * _unit(drums) + 10 ** (BED_DB / 20) * _unit(bed)
    return _unit(mixed).astype(np.float32)


def _drums(length: int, beat_s: float, rng: np.random.Generator, rate: int) -> np.ndarray:
    """A kick (a falling 120-45 Hz sine, 0.2 s) on every beat and a hi-hat (a 40 ms burst of
    differenced white noise) between beats."""
    kick_t = np.arange(round(0.2 * rate)) / rate
    sweep = 45.0 + 75.0 * np.exp(-kick_t / 0.03)
    kick = np.sin(2 * np.pi * np.cumsum(sweep) / rate) * np.exp(-kick_t / 0.06)
    hat_n = round(0.04 * rate)
    drums = np.zeros(length)
    beat = beat_s * rate
    for index in range(int(length / beat) + 1):
        at = round(index * beat)
        piece = kick[:max(0, length - at)]
        drums[at:at + piece.size] += piece
        off = round(at + beat / 2)
        hat = np.diff(rng.standard_normal(hat_n + 1)) * np.exp(-np.arange(hat_n) / (0.01 * rate))
        piece = 0.3 * hat[:max(0, length - off)]
        drums[off:off + piece.size] += piece
    return drums


def _unit(signal: np.ndarray) -> np.ndarray:
    rms = float(np.sqrt(np.mean(np.square(signal, dtype=np.float64))))
    return signal / rms if rms > 0 else signal


def speech_level(speech: np.ndarray, rate: int = RATE) -> float:
    """RMS of the active speech: the 10 ms frames within ``FLOOR_DB`` of the loudest."""
    levels = frame_levels(speech, rate)
    if not len(levels) or levels.max() <= 0:
        raise ValueError("no speech to measure")
    active = levels[levels >= levels.max() * 10 ** (-FLOOR_DB / 20)]
    return float(np.sqrt(np.mean(active * active)))


def mix(speech: np.ndarray, noise: np.ndarray, snr_db: float | None,
        level: float | None = None) -> np.ndarray:
    """``speech`` plus ``noise`` (as long) scaled to ``snr_db`` below the speech's active
    level (``level``, measured on ``speech`` when not given); clean when ``snr_db`` is None."""
    if snr_db is None:
        return speech.astype(np.float32)
    if len(noise) != len(speech):
        raise ValueError(f"noise has {len(noise)} samples, speech {len(speech)}")
    level = speech_level(speech) if level is None else level
    scale = level / 10 ** (snr_db / 20) / float(np.sqrt(np.mean(np.square(noise, dtype=float))))
    return np.clip(speech + scale * noise, -1.0, 1.0).astype(np.float32)


def at_distance(speech: np.ndarray, rt60_s: float, gain: float,
                rng: np.random.Generator, rate: int = RATE) -> np.ndarray:
    """``speech`` as heard across a room: convolved with the rig's impulse response (RT60
    ``rt60_s``) and scaled by ``gain``; as long as ``speech`` plus the reverberant tail."""
    response = impulse_response(rt60_s, rate, rng)
    size = len(speech) + len(response) - 1
    n = 1 << (size - 1).bit_length()
    wet = np.fft.irfft(np.fft.rfft(speech, n) * np.fft.rfft(response, n), n)[:size]
    return (gain * wet).astype(np.float32)
