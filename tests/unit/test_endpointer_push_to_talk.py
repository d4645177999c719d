"""Push-to-talk on the endpointer: the user, not the VAD, decides where the question ends."""

from __future__ import annotations

import pytest

from tests.unit.endpointer_frames import (
    Feeder,
    assert_ended,
    end,
    kinds,
)
from voicebox.audio.endpointer import (
    EndpointerSettings,
)


def test_push_to_talk_captures_preroll_and_everything_until_release() -> None:
    """Silence that would end a VAD utterance does not end a forced one."""
    feeder = Feeder()
    feeder.feed("_" * 50)
    feeder.ep.force_start(end(49))
    assert feeder.ep.state == "speech"
    assert feeder.feed("SS" + "_" * 100) == []
    assert feeder.ep.state == "speech"
    ended = feeder.ep.force_end(end(151) + 0.005)
    assert ended is not None
    assert_ended(ended, end(151) + 0.005, 20, 152, end(151))
    assert feeder.ep.state == "idle"


def test_push_to_talk_during_a_vad_utterance_keeps_it_and_includes_trailing_audio() -> None:
    feeder = Feeder()
    assert kinds(feeder.feed("S" * 20 + "_" * 15)) == [(10, "SpeechStarted"),
                                                     (34, "TentativeEnd")]
    feeder.ep.force_start(end(34))
    assert feeder.ep.state == "speech"
    assert feeder.feed("_" * 60) == []
    ended = feeder.ep.force_end(end(94))
    assert ended is not None
    assert_ended(ended, end(94), 0, 95, end(94))


def test_releasing_during_a_vad_utterance_returns_it_with_its_trailing_audio() -> None:
    feeder = Feeder()
    feeder.feed("S" * 20 + "_" * 20)
    assert feeder.ep.state == "trailing"
    ended = feeder.ep.force_end(end(39))
    assert ended is not None
    assert_ended(ended, end(39), 0, 40, end(39))
    assert feeder.ep.state == "idle"


def test_a_forced_utterance_is_still_truncated_at_the_maximum() -> None:
    feeder = Feeder(EndpointerSettings(max_utterance_s=1.0))
    feeder.feed("_" * 40)
    feeder.ep.force_start(end(39))
    decisions = feeder.feed("_" * 100)
    assert kinds(decisions) == [(139, "UtteranceEnded")]
    assert_ended(decisions[0][1], end(139), 10, 140, end(139), truncated=True)
    assert feeder.ep.force_end(end(139)) is None


@pytest.mark.parametrize(("settings", "idle_frames", "force_start"), [
    (EndpointerSettings(), 0, False),
    (EndpointerSettings(), 30, False),
    (EndpointerSettings(), 0, True),
    (EndpointerSettings(preroll_s=0), 30, True),
], ids=["never-started", "idle-audio-only", "pressed-without-audio", "no-preroll"])
def test_push_to_talk_release_with_nothing_captured_returns_none(
        settings: EndpointerSettings, idle_frames: int, force_start: bool) -> None:
    feeder = Feeder(settings)
    feeder.feed("_" * idle_frames)
    if force_start:
        feeder.ep.force_start(end(idle_frames))
    assert feeder.ep.force_end(end(idle_frames)) is None
    assert feeder.ep.state == "idle"


def test_releasing_while_idle_keeps_the_preroll_for_the_next_utterance() -> None:
    feeder = Feeder()
    feeder.feed("_" * 50)
    assert feeder.ep.force_end(end(49)) is None
    decisions = feeder.feed("S" * 11 + "_" * 50)
    assert_ended(decisions[-1][1], end(110), 16, 61, end(60))
