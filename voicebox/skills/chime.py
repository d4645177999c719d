"""The chime before a timer or alarm announcement, and the earcon that says "listening",
made from numbers at start-up.

Generated rather than shipped as a sound file: two bell-like notes (a falling major third,
E6 then C6, each with a quieter octave partial) with a 5 ms fade-in against a click and an
exponential decay, so the sound is defined by this code and reviewable in a diff. Quiet
enough (peak 0.5) that the announcement after it is the loud part.
"""

from __future__ import annotations

import numpy as np

NOTES_HZ = (1318.5, 1046.5)
NOTE_S = 0.32
DECAY_S = 0.09
FADE_IN_S = 0.005
PEAK = 0.5
TAIL_S = 0.15


def chime(rate: int) -> np.ndarray:
    """The chime at ``rate`` Hz, mono float32, followed by a short silence."""
    t = np.arange(int(NOTE_S * rate)) / rate
    envelope = np.exp(-t / DECAY_S) * np.minimum(1.0, t / FADE_IN_S)
    notes = [envelope * (np.sin(2 * np.pi * f * t) + 0.3 * np.sin(4 * np.pi * f * t))
             for f in NOTES_HZ]
    sound = np.concatenate([*notes, np.zeros(int(TAIL_S * rate))])
    return (sound * PEAK / np.max(np.abs(sound))).astype(np.float32)


EARCON_HZ = 880.0
EARCON_S = 0.12


def earcon(rate: int) -> np.ndarray:
    """The short "I am listening" sound after a wake word said alone: one soft A5, 120 ms, so
    that it is over before the user starts the question (speech over the box's own sound is
    taken for its echo)."""
    t = np.arange(int(EARCON_S * rate)) / rate
    envelope = np.minimum(1.0, t / FADE_IN_S) * np.exp(-t / (EARCON_S / 3))
    sound = envelope * np.sin(2 * np.pi * EARCON_HZ * t)
    return (sound * (PEAK * 0.6) / np.max(np.abs(sound))).astype(np.float32)
