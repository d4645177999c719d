"""Frame patterns for the endpointer tests: every frame holds its own index, so each
utterance's exact audio can be checked. ``S`` is a speech frame, ``_`` a silent one; frame i
ends at (i+1)/100 s.
"""

from __future__ import annotations

import numpy as np
import pytest

from voicebox.audio.endpointer import (
    Decision,
    Endpointer,
    UtteranceEnded,
)
from voicebox.audio.endpointer_settings import EndpointerSettings


def end(i: int) -> float:
    """The time at the end of frame i."""
    return (i + 1) / 100


def start(i: int) -> float:
    return pytest.approx(i / 100, abs=1e-9)


def frame(i: int) -> np.ndarray:
    return np.full(160, i, dtype=np.float32)


def audio(first: int, stop: int) -> np.ndarray:
    """The samples of frames first .. stop-1."""
    return np.repeat(np.arange(first, stop, dtype=np.float32), 160)


class Feeder:
    """Feeds patterns into an endpointer, numbering frames on from where it left off."""

    def __init__(self, settings: EndpointerSettings | None = None) -> None:
        self.ep = Endpointer(settings or EndpointerSettings())
        self.index = 0

    def feed(self, pattern: str) -> list[tuple[int, Decision]]:
        """The decisions, each with the index of the frame that produced it."""
        out = []
        for char in pattern.replace(" ", ""):
            i = self.index
            out += [(i, d) for d in self.ep.feed(frame(i), char == "S", end(i))]
            self.index += 1
        return out

    def skip(self, frames: int) -> None:
        """Frames that never reached the endpointer (numbers and time move on)."""
        self.index += frames


def kinds(decisions: list[tuple[int, Decision]]) -> list[tuple[int, str]]:
    return [(i, type(d).__name__) for i, d in decisions]


def assert_ended(decision: Decision, at: float, first: int, stop: int, speech_end: float,
                 *, truncated: bool = False) -> None:
    assert isinstance(decision, UtteranceEnded)
    assert decision.at == at
    np.testing.assert_array_equal(decision.samples, audio(first, stop))
    assert decision.samples.dtype == np.float32
    assert decision.speech_end == speech_end
    assert decision.truncated is truncated
