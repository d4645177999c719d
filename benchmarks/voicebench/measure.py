"""Where things happen in recorded audio: the voice of a question, the first sample of an
answer, the moment a speaker goes quiet.

The benchmark must not grade the daemon with the daemon's own judgement, so the end of a
question is measured on the signal: the last 10 ms frame whose energy is within ``FLOOR_DB`` of
the loudest frame, on the clean speech before any noise is mixed in (noise must not move the
end of the voice). The played clip is then found in the mic recording by cross-correlation,
which puts that sample on the recording's monotonic clock, the one the speaker recording and
the daemon's events share.
"""

from __future__ import annotations

import numpy as np

from tests.rig.signals import Match, find

FRAME_S = 0.01
FLOOR_DB = 40.0
"""A frame 40 dB below the loudest one is breath and decay, not voice."""
SOUND = 1e-3
"""A speaker sample above this (-60 dBFS) is sound; the daemon writes exact zeros otherwise."""


def frame_levels(samples: np.ndarray, rate: int) -> np.ndarray:
    """RMS of each whole 10 ms frame."""
    size = max(1, round(rate * FRAME_S))
    count = len(samples) // size
    frames = np.asarray(samples[:count * size], np.float64).reshape(count, size)
    return np.sqrt(np.mean(frames * frames, axis=1))


def voiced_span(samples: np.ndarray, rate: int,
                floor_db: float = FLOOR_DB) -> tuple[int, int] | None:
    """(first sample, one past the last sample) of the voiced frames; None for silence."""
    levels = frame_levels(samples, rate)
    if not len(levels) or levels.max() <= 0:
        return None
    voiced = np.flatnonzero(levels >= levels.max() * 10 ** (-floor_db / 20))
    size = max(1, round(rate * FRAME_S))
    return int(voiced[0] * size), int((voiced[-1] + 1) * size)


def first_sound(audio: np.ndarray, start: int = 0, threshold: float = SOUND) -> int | None:
    """Index of the first sample from ``start`` on louder than ``threshold``."""
    loud = np.flatnonzero(np.abs(audio[max(0, start):]) > threshold)
    return int(loud[0]) + max(0, start) if len(loud) else None


def last_sound(audio: np.ndarray, start: int, stop: int,
               threshold: float = SOUND) -> int | None:
    """Index of the last sample in ``audio[start:stop]`` louder than ``threshold``."""
    loud = np.flatnonzero(np.abs(audio[max(0, start):max(0, stop)]) > threshold)
    return int(loud[-1]) + max(0, start) if len(loud) else None


def quiet_from(audio: np.ndarray, start: int, rate: int, gap_s: float,
               threshold: float = SOUND) -> int | None:
    """Index where, from ``start`` on, ``gap_s`` of samples at or below ``threshold`` begins:
    the moment the speaker went silent. None if it never stays quiet that long."""
    window = max(1, round(gap_s * rate))
    quiet = (np.abs(audio[max(0, start):]) <= threshold).astype(np.int64)
    if len(quiet) < window:
        return None
    runs = np.convolve(quiet, np.ones(window, np.int64), "valid")
    found = np.flatnonzero(runs == window)
    return int(found[0]) + max(0, start) if len(found) else None


def locate(recording: np.ndarray, clip: np.ndarray, start: int = 0,
           stop: int | None = None) -> Match:
    """Where ``clip`` sits in ``recording[start:stop]`` (lag counted from the recording's
    first sample); ``ncc`` near 1 means it was found intact."""
    stop = len(recording) if stop is None else min(stop, len(recording))
    if stop - start < len(clip):
        raise ValueError("the recording window is shorter than the clip")
    found = find(recording[start:stop], clip)
    return found._replace(lag=found.lag + start)
