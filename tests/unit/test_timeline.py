"""The timeline: latencies from events, and waiting for a turn's end across threads."""

from __future__ import annotations

import threading

import pytest

from voicebox.conductor.timeline import Timeline
from voicebox.events import (
    FirstAudio,
    FirstSentence,
    FirstToken,
    SttDone,
    TurnCancelled,
    TurnDone,
    TurnStarted,
)


def test_latencies_are_measured_from_the_turn_start() -> None:
    timeline = Timeline()
    timeline(TurnStarted(1, at=10.0))
    timeline(SttDone(1, text="hi", language="en", detected_language="en",
                     language_probability=1.0, at=10.2))
    timeline(FirstToken(1, at=10.25))
    timeline(FirstSentence(1, text="Hello.", at=10.4))
    timeline(FirstAudio(1, at=10.5))
    timeline(TurnStarted(2, at=11.0))
    timeline(TurnDone(1, answer="Hello.", spoken_sentences=1, at=10.9))
    assert timeline.latencies(1) == pytest.approx(
        {"stt": 0.2, "first token": 0.25, "first sentence": 0.4, "first audio": 0.5,
         "total": 0.9})
    assert timeline.latencies(2) == {"stt": None, "first token": None, "first sentence": None,
                                     "first audio": None, "total": None}
    assert [type(e) for e in timeline.events(2)] == [TurnStarted]


def test_waiting_for_the_end_of_a_turn_from_another_thread() -> None:
    timeline = Timeline()
    threading.Timer(0.05, timeline, [TurnCancelled(3, reason="barge-in")]).start()
    final = timeline.wait_until_final(3, timeout=5)
    assert isinstance(final, TurnCancelled) and final.reason == "barge-in"
    assert timeline.wait_until_final(4, timeout=0.01) is None
