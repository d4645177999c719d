"""The adaptive end of turn, frame by frame: the tentative transcript's shape moves the end.

Default timings (see test_endpointer.py) with a finished sentence ending after 25 silent
frames and an unfinished phrase after 120; the hang-over is 50. ``S`` is a speech frame,
``_`` a silent one; frame i ends at (i+1)/100 s.
"""

from __future__ import annotations

import pytest

from tests.unit.endpointer_frames import Feeder, assert_ended, end, kinds
from voicebox.audio.endpointer import TentativeEnd
from voicebox.audio.endpointer_settings import EndpointerSettings
from voicebox.config.rules import InvalidCombination
from voicebox.config.schema import VadConfig
from voicebox.speech.turn_shape import TurnShape

ADAPTIVE = EndpointerSettings(finished_s=0.25, unfinished_s=1.2)


def tentative(settings: EndpointerSettings = ADAPTIVE) -> tuple[Feeder, TentativeEnd]:
    """20 speech frames (0-19), then silence up to the tentative end at frame 34."""
    feeder = Feeder(settings)
    decisions = feeder.feed("S" * 20 + "_" * 15)
    assert kinds(decisions) == [(10, "SpeechStarted"), (34, "TentativeEnd")]
    return feeder, decisions[-1][1]


def test_a_finished_sentence_ends_after_its_shorter_silence() -> None:
    feeder, pending = tentative()
    assert feeder.ep.hint(TurnShape.FINISHED, pending.speech_end)
    decisions = feeder.feed("_" * 10)   # frames 35-44: silence 25 at frame 44
    assert kinds(decisions) == [(44, "UtteranceEnded")]
    assert_ended(decisions[0][1], end(44), 0, 20, end(19))


def test_a_hint_that_comes_late_ends_the_utterance_at_the_next_frame() -> None:
    feeder, pending = tentative()
    assert feeder.feed("_" * 13) == []   # silence 28 already, past the finished 25
    assert feeder.ep.hint(TurnShape.FINISHED, pending.speech_end)
    assert kinds(feeder.feed("_")) == [(48, "UtteranceEnded")]


def test_an_unfinished_phrase_waits_through_a_600_ms_pause_and_goes_on() -> None:
    feeder, pending = tentative()
    assert feeder.ep.hint(TurnShape.UNFINISHED, pending.speech_end)
    assert feeder.feed("_" * 45) == []   # 600 ms of silence in all: the hang-over (50) passed
    assert kinds(feeder.feed("S" * 5)) == [(82, "SpeechResumed")]
    decisions = feeder.feed("S" * 10 + "_" * 15)   # the old hint went with the old end
    assert kinds(decisions) == [(109, "TentativeEnd")]
    assert feeder.ep.hint(TurnShape.FINISHED, decisions[0][1].speech_end)
    decisions = feeder.feed("_" * 10)
    assert kinds(decisions) == [(119, "UtteranceEnded")]
    assert_ended(decisions[-1][1], end(119), 0, 95, end(94))


def test_without_a_hint_the_hang_over_stands() -> None:
    """An endpointer nobody hints (the listener alone) ends utterances as it always did."""
    feeder, _ = tentative()
    assert kinds(feeder.feed("_" * 40)) == [(69, "UtteranceEnded")]


def test_a_later_hint_replaces_an_earlier_one() -> None:
    """The conductor says "unfinished" while the words are transcribed, then their shape."""
    feeder, pending = tentative()
    assert feeder.ep.hint(TurnShape.UNFINISHED, pending.speech_end)
    assert feeder.feed("_" * 40) == []                  # past the hang-over: still waiting
    assert feeder.ep.hint(TurnShape.FINISHED, pending.speech_end)
    assert kinds(feeder.feed("_")) == [(75, "UtteranceEnded")]


def test_an_unfinished_phrase_ends_at_the_cap() -> None:
    feeder, pending = tentative()
    feeder.ep.hint(TurnShape.UNFINISHED, pending.speech_end)
    decisions = feeder.feed("_" * 110)   # frames 35-144: silence 120 at frame 139
    assert kinds(decisions) == [(139, "UtteranceEnded")]


def test_an_unsure_shape_keeps_the_hang_over() -> None:
    feeder, pending = tentative()
    assert feeder.ep.hint(TurnShape.UNSURE, pending.speech_end)
    assert kinds(feeder.feed("_" * 40)) == [(69, "UtteranceEnded")]


def test_a_hint_about_words_that_are_no_longer_the_end_is_refused() -> None:
    feeder, pending = tentative()
    feeder.feed("S" * 5)                                 # speech resumed: withdrawn
    assert not feeder.ep.hint(TurnShape.FINISHED, pending.speech_end)
    decisions = feeder.feed("_" * 15)
    assert kinds(decisions) == [(54, "TentativeEnd")]
    assert not feeder.ep.hint(TurnShape.FINISHED, pending.speech_end)  # the old end
    assert feeder.ep.hint(TurnShape.FINISHED, decisions[0][1].speech_end)
    assert kinds(feeder.feed("_" * 10)) == [(64, "UtteranceEnded")]


def test_no_hint_applies_while_idle_before_the_tentative_end_or_to_push_to_talk() -> None:
    feeder = Feeder(ADAPTIVE)
    assert not feeder.ep.hint(TurnShape.FINISHED, 0.0)
    feeder.feed("S" * 20 + "_" * 5)
    assert not feeder.ep.hint(TurnShape.FINISHED, end(19))   # not tentative yet
    feeder.ep.force_start(end(24))
    assert not feeder.ep.hint(TurnShape.FINISHED, end(24))


def test_without_adaptive_timings_every_shape_waits_the_hang_over() -> None:
    feeder, pending = tentative(EndpointerSettings())
    assert feeder.ep.hint(TurnShape.FINISHED, pending.speech_end)
    assert kinds(feeder.feed("_" * 40)) == [(69, "UtteranceEnded")]


@pytest.mark.parametrize(("settings", "shaped"), [
    (EndpointerSettings(), (0.5, 0.5)),
    (EndpointerSettings(finished_s=0.25, unfinished_s=1.2), (0.25, 1.2)),
    (EndpointerSettings(hangover_s=0.2, finished_s=0.25, unfinished_s=1.2), (0.2, 1.2)),
    (EndpointerSettings(hangover_s=2.0, finished_s=0.25, unfinished_s=1.2), (0.25, 2.0)),
    (EndpointerSettings(max_utterance_s=1.0, finished_s=0.25, unfinished_s=1.2),
     (0.25, pytest.approx(0.99))),
])
def test_shaped_silences_never_make_an_end_worse_than_the_hang_over(
        settings: EndpointerSettings, shaped: tuple[float, float]) -> None:
    assert settings.shaped() == shaped


def test_a_finished_silence_no_longer_than_the_tentative_end_is_refused() -> None:
    with pytest.raises(InvalidCombination) as caught:
        EndpointerSettings(finished_s=0.15)
    assert caught.value.key == "finished_s" and "160 ms or more" in str(caught.value)
    smallest = EndpointerSettings.from_config(VadConfig(finished_ms=160))
    assert smallest.shaped()[0] == 0.16
