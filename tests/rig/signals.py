"""Test signals and where they sit in a recording: what the rig's own tests measure with."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from tests.rig.vaudio import RATE


class Match(NamedTuple):
    """Where a reference signal sits in a recording, and how well it fits there."""

    lag: int
    ncc: float
    gain: float


def find(recording: np.ndarray, reference: np.ndarray) -> Match:
    """Lag (samples) of ``reference`` in ``recording`` by FFT cross-correlation, the normalised
    correlation there and the least-squares gain."""
    rec = np.asarray(recording, np.float64)
    ref = np.asarray(reference, np.float64)
    n = len(rec) + len(ref)
    cc = np.fft.irfft(np.fft.rfft(rec, n) * np.conj(np.fft.rfft(ref, n)), n)
    lag = int(np.argmax(np.abs(cc[:len(rec) - len(ref) + 1])))
    seg = rec[lag:lag + len(ref)]
    energy = float(np.dot(ref, ref))
    ncc = float(np.dot(seg, ref) / np.sqrt(np.dot(seg, seg) * energy + 1e-30))
    return Match(lag, ncc, float(np.dot(seg, ref) / energy))


def chirp(seconds: float = 0.5, rate: int = RATE, f1: float = 8000.0) -> np.ndarray:
    """A 200 Hz to ``f1`` linear sweep at half scale: its cross-correlation has one sharp peak."""
    t = np.arange(round(seconds * rate)) / rate
    phase = 200 * t + (f1 - 200) / (2 * seconds) * t * t
    return (0.5 * np.sin(2 * np.pi * phase)).astype(np.float32)
