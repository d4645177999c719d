"""The adaptive end of turn with the real speech model: a tentative question's words come
back, shaped, while its hang-over still runs; a confirmed one needs no shape."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.voicebench.questions import PAUSED, RATE, speak
from voicebox.conductor.pipeline import Engines, Pipeline
from voicebox.conductor.timeline import Timeline
from voicebox.events import HeardSoFar, SttDone


@pytest.mark.parametrize(("question", "shape"), [
    ("What is the capital of France?", "finished"),
    ("Tell me about the history of", "unfinished"),
    ("How far is the moon from the", "unfinished"),
])
def test_a_tentative_question_reports_how_its_words_end_before_it_is_confirmed(
        pipeline: Pipeline, timeline: Timeline, speak, question: str, shape: str) -> None:
    turn = pipeline.submit(speak(question), confirmed=False)
    heard = timeline.wait_for(turn.turn_id, (HeardSoFar,), timeout=30)
    assert isinstance(heard, HeardSoFar), "no tentative transcript came back"
    assert heard.shape == shape, heard.text
    assert timeline.first(turn.turn_id, SttDone) is None, "answered before confirmation"
    pipeline.cancel("speech resumed", turn=turn)


def test_a_confirmed_question_is_not_shaped(pipeline: Pipeline, timeline: Timeline,
                                             speak) -> None:
    turn = pipeline.submit(speak("What is the capital of France?"))
    assert timeline.wait_for(turn.turn_id, (SttDone,), timeout=30) is not None
    assert timeline.first(turn.turn_id, HeardSoFar) is None


def test_the_benchmarks_paused_question_is_spoken_with_exactly_its_pause(
        engines: Engines) -> None:
    """Each part's own leading and trailing silence is cut, so the gap is the pause."""
    spoken = speak(PAUSED[0], engines.tts)
    loud = np.flatnonzero(np.abs(spoken.samples) > 1e-3)
    longest_gap_s = np.diff(loud).max() / RATE
    assert 0.6 <= longest_gap_s < 0.65
