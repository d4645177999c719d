"""Endpointing, frame by frame: every frame holds its own index, so each utterance's exact
audio can be checked. ``S`` is a speech frame, ``_`` a silent one; frame i ends at (i+1)/100 s.

With the default settings: the start window is 15 frames of which 11 must be speech, the
pre-roll is 30 frames, the tentative end comes after 15 silent frames, the end after 50.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.endpointer_frames import (
    Feeder,
    assert_ended,
    audio,
    end,
    frame,
    kinds,
    start,
)
from voicebox.audio.endpointer import (
    Endpointer,
    SpeechResumed,
    SpeechStarted,
    TentativeEnd,
)
from voicebox.audio.endpointer_settings import EndpointerSettings
from voicebox.config.schema import VadConfig


@pytest.mark.parametrize(("pattern", "started_on", "window_first"), [
    ("_" * 20 + "S" * 11, 30, 16),              # 4 silent + 11 speech frames in the window
    ("S" * 11, 10, 0),                         # unseen frames count as silence
    ("_" * 20 + "SSSS_SSSS_SSS", 32, 18),      # flicker during the onset: 11 of 15
    ("_" * 20 + "SSSSSSSSSS_S", 31, 17),
], ids=["sustained", "from-reset", "flickering-onset", "one-gap"])
def test_an_utterance_starts_after_sustained_speech(pattern: str, started_on: int,
                                                    window_first: int) -> None:
    feeder = Feeder()
    decisions = feeder.feed(pattern)
    assert decisions == [(started_on, SpeechStarted(at=start(window_first)))]
    assert feeder.ep.state == "speech"


@pytest.mark.parametrize("pattern", [
    "_" * 20 + "S" * 10 + "_" * 100,            # 10 of 15 is short of 0.7
    "_" * 20 + "SSS_____" * 20,                 # blips: at most 6 of 15
    "_" * 20 + "SSSSS_SSSSS_____" * 10,         # 10 of 15 at best
    "_" * 200,
], ids=["100-ms", "blips", "words-too-sparse", "silence"])
def test_short_blips_never_start_an_utterance(pattern: str) -> None:
    feeder = Feeder()
    assert feeder.feed(pattern) == []
    assert feeder.ep.state == "idle"


@pytest.mark.parametrize(("settings", "pattern", "started_on"), [
    (EndpointerSettings(start_ratio=1.0), "_" * 5 + "S" * 15, 19),
    (EndpointerSettings(start_ratio=1.0), "_" * 5 + "S" * 14 + "_" * 30, None),
    (EndpointerSettings(start_s=0.1), "_" * 5 + "S" * 7, 11),        # 7 of 10
    (EndpointerSettings(start_s=0.01, start_ratio=1.0), "_" * 5 + "SS_SSS", 10),  # 3 at least
    (EndpointerSettings(start_s=0.25, start_ratio=0.28), "_" * 30 + "S" * 7, 36),  # float noise
], ids=["ratio-1-full", "ratio-1-short", "100-ms-window", "window-at-least-3", "exact-ratio"])
def test_the_start_rule_follows_the_settings(settings: EndpointerSettings, pattern: str,
                                             started_on: int | None) -> None:
    decisions = Feeder(settings).feed(pattern)
    assert kinds(decisions) == ([] if started_on is None else [(started_on, "SpeechStarted")])


def test_flicker_inside_speech_makes_no_decision_and_only_toggles_the_state() -> None:
    feeder = Feeder()
    feeder.feed("S" * 11)
    states = []
    for chunk in ["_", "S", "__", "SS", "_" * 14, "S", "_S_S__S", "S" * 5]:
        assert feeder.feed(chunk) == []
        states.append(feeder.ep.state)
    assert states == ["trailing", "speech", "trailing", "speech", "trailing", "speech",
                      "speech", "speech"]


@pytest.mark.parametrize(("idle", "first"), [
    (0, 0), (10, 0), (35, 1), (50, 16), (5000, 4966),
], ids=["no-idle", "short-idle", "just-over", "full-preroll", "long-idle"])
def test_the_preroll_keeps_the_onset_and_is_bounded(idle: int, first: int) -> None:
    """Speech begins at frame ``idle``; the utterance keeps up to 30 frames before the
    15-frame start window (which reaches 4 frames before the first speech frame)."""
    feeder = Feeder()
    feeder.feed("_" * idle)
    decisions = feeder.feed("S" * 20 + "_" * 50)
    assert kinds(decisions) == [(idle + 10, "SpeechStarted"), (idle + 34, "TentativeEnd"),
                                (idle + 69, "UtteranceEnded")]
    assert_ended(decisions[-1][1], end(idle + 69), first, idle + 20, end(idle + 19))
    assert decisions[-1][1].samples[160 * (idle - first)] == idle  # the first speech frame


def test_without_preroll_the_utterance_begins_with_the_start_window() -> None:
    feeder = Feeder(EndpointerSettings(preroll_s=0))
    feeder.feed("_" * 100)
    decisions = feeder.feed("S" * 20 + "_" * 50)
    assert_ended(decisions[-1][1], end(169), 96, 120, end(119))


def test_a_tentative_end_is_withdrawn_when_speech_resumes_then_the_real_end_follows() -> None:
    feeder = Feeder()
    decisions = feeder.feed("_" * 20 + "S" * 30 + "_" * 15 + "_S_SS" + "S" * 10 + "_" * 50)
    assert kinds(decisions) == [(30, "SpeechStarted"), (64, "TentativeEnd"),
                                (69, "SpeechResumed"), (94, "TentativeEnd"),
                                (129, "UtteranceEnded")]
    tentative = decisions[1][1]
    assert isinstance(tentative, TentativeEnd)
    assert tentative.at == end(64)
    np.testing.assert_array_equal(tentative.samples, audio(0, 50))
    assert decisions[2][1] == SpeechResumed(at=end(69))
    np.testing.assert_array_equal(decisions[3][1].samples, audio(0, 80))
    assert_ended(decisions[4][1], end(129), 0, 80, end(79))


def test_the_confirmed_end_has_the_tentative_samples_despite_blips_after_it() -> None:
    """2 speech frames of 5 do not withdraw a tentative end, so they count as silence."""
    feeder = Feeder()
    decisions = feeder.feed("_" * 20 + "S" * 30 + "_" * 15 + "SS___" * 7)
    assert kinds(decisions) == [(30, "SpeechStarted"), (64, "TentativeEnd"),
                                (99, "UtteranceEnded")]
    tentative, ended = decisions[1][1], decisions[2][1]
    assert_ended(ended, end(99), 0, 50, end(49))
    np.testing.assert_array_equal(tentative.samples, ended.samples)
    assert feeder.ep.state == "idle"


@pytest.mark.parametrize(("hangover_s", "tentative_s"), [
    (0.5, 0.15), (0.3, 0.15), (0.2, 0.01), (1.0, 0.9),
])
def test_the_end_fires_on_the_exact_hangover_frame(hangover_s: float,
                                                   tentative_s: float) -> None:
    feeder = Feeder(EndpointerSettings(hangover_s=hangover_s, tentative_s=tentative_s))
    hangover, tentative = round(hangover_s * 100), round(tentative_s * 100)
    before = feeder.feed("S" * 20 + "_" * (hangover - 1))
    assert kinds(before) == [(10, "SpeechStarted"), (19 + tentative, "TentativeEnd")]
    assert feeder.ep.state == "trailing"
    ended = feeder.feed("_")
    assert_ended(ended[0][1], end(19 + hangover), 0, 20, end(19))
    assert feeder.ep.state == "idle"


def test_speech_before_the_tentative_end_restarts_the_hangover() -> None:
    feeder = Feeder()
    decisions = feeder.feed("S" * 20 + "_" * 14 + "S" + "_" * 49)
    assert kinds(decisions) == [(10, "SpeechStarted"), (49, "TentativeEnd")]
    ended = feeder.feed("_")
    assert_ended(ended[0][1], end(84), 0, 35, end(34))


def test_a_long_utterance_is_truncated_and_the_talker_starts_a_new_one() -> None:
    """max 1 s = 100 frames from the start window; the pre-roll comes on top. The new
    utterance continues exactly where the cut one stopped: no gap, no repeated audio."""
    feeder = Feeder(EndpointerSettings(max_utterance_s=1.0))
    decisions = feeder.feed("_" * 50 + "S" * 300)
    assert kinds(decisions) == [(60, "SpeechStarted"), (145, "UtteranceEnded"),
                                (156, "SpeechStarted"), (245, "UtteranceEnded"),
                                (256, "SpeechStarted"), (345, "UtteranceEnded")]
    assert decisions[0][1] == SpeechStarted(at=start(46))
    assert_ended(decisions[1][1], end(145), 16, 146, end(145), truncated=True)
    assert decisions[2][1] == SpeechStarted(at=start(146))
    assert_ended(decisions[3][1], end(245), 146, 246, end(245), truncated=True)
    assert feeder.ep.state == "idle"


def test_truncation_during_the_hangover_keeps_the_tentative_samples() -> None:
    feeder = Feeder(EndpointerSettings(max_utterance_s=1.0))
    decisions = feeder.feed("S" * 80 + "_" * 20)
    assert kinds(decisions) == [(10, "SpeechStarted"), (94, "TentativeEnd"),
                                (99, "UtteranceEnded")]
    assert_ended(decisions[2][1], end(99), 0, 80, end(79), truncated=True)
    np.testing.assert_array_equal(decisions[1][1].samples, decisions[2][1].samples)


def test_reset_forgets_the_utterance_the_preroll_and_the_time() -> None:
    feeder = Feeder()
    feeder.feed("_" * 40 + "S" * 20)
    feeder.ep.reset()
    assert feeder.ep.state == "idle"
    feeder.index = 0                       # time may start over after a reset
    decisions = feeder.feed("S" * 10 + "_" * 30)
    assert decisions == []                 # the 20 speech frames before the reset are gone
    decisions = feeder.feed("S" * 11 + "_" * 50)
    assert kinds(decisions) == [(50, "SpeechStarted"), (65, "TentativeEnd"),
                                (100, "UtteranceEnded")]
    assert_ended(decisions[-1][1], end(100), 6, 51, end(50))


def test_from_config_takes_the_configured_timings() -> None:
    vad = VadConfig(start_ms=200, hangover_ms=700, preroll_ms=250, max_utterance_s=20.0)
    assert EndpointerSettings.from_config(vad) == EndpointerSettings(
        start_s=0.2, hangover_s=0.7, preroll_s=0.25, max_utterance_s=20.0,
        tentative_s=0.15, start_ratio=0.7, resume_frames=3, finished_s=0.25,
        unfinished_s=1.2)
    assert EndpointerSettings.from_config(VadConfig(adaptive_end=False)) == EndpointerSettings()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"tentative_s": 0.5}, r"hangover_s = 0.5: must be longer than the tentative end \(500 ms\)"
                            ".* 510 ms or more"),
    ({"tentative_s": 0.6}, r"hangover_s = 0.5: .* tentative end \(600 ms\).* 610 ms or more"),
    ({"start_ratio": 0.0}, r"start_ratio must be in \(0, 1\], got 0.0"),
    ({"start_ratio": 1.01}, r"start_ratio must be in \(0, 1\], got 1.01"),
    ({"start_s": -0.1}, "start_s must be at least one 10 ms frame, got -0.1"),
    ({"hangover_s": 0.0}, "hangover_s must be at least one 10 ms frame"),
    ({"tentative_s": 0.004}, "tentative_s must be at least one 10 ms frame"),
    ({"max_utterance_s": float("nan")}, "max_utterance_s must be at least one 10 ms frame"),
    ({"preroll_s": -0.01}, "preroll_s must be zero or more seconds, got -0.01"),
    ({"resume_frames": 0}, "resume_frames must be between 1 and 5, got 0"),
    ({"resume_frames": 6}, "resume_frames must be between 1 and 5, got 6"),
    ({"max_utterance_s": 0.5}, r"hangover_s = 0.5: must be shorter than max_utterance_s \(0.5 s\)"),
    ({"start_s": 2.0, "max_utterance_s": 1.0}, r"start_s = 2.0: must be shorter than max"),
])
def test_invalid_settings_are_refused_with_a_clear_message(kwargs: dict[str, float],
                                                           message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EndpointerSettings(**kwargs)


@pytest.mark.parametrize(("bad", "message"), [
    ([0.0] * 160, "got list"),
    (np.zeros(160, dtype=np.float64), r"got float64 array of shape \(160,\)"),
    (np.zeros(160, dtype=np.int16), r"got int16 array of shape \(160,\)"),
    (np.zeros(320, dtype=np.float32), r"got float32 array of shape \(320,\)"),
    (np.zeros(159, dtype=np.float32), r"shape \(159,\)"),
    (np.zeros((1, 160), dtype=np.float32), r"shape \(1, 160\)"),
    (np.zeros(0, dtype=np.float32), r"shape \(0,\)"),
])
def test_a_frame_that_is_not_10_ms_of_float32_is_refused(bad: object, message: str) -> None:
    feeder = Feeder()
    feeder.feed("S" * 11)
    with pytest.raises(ValueError, match="frame must be a 1-D float32 array of 160 samples"):
        feeder.ep.feed(bad, True, end(11))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=message):
        feeder.ep.feed(bad, True, end(11))  # type: ignore[arg-type]
    assert feeder.feed("S") == []          # the bad frame changed nothing
    assert feeder.ep.state == "speech"


def test_time_going_backwards_is_refused_but_standing_still_is_not() -> None:
    feeder = Feeder()
    feeder.feed("_" * 10)
    with pytest.raises(ValueError, match=r"time went backwards: now=0.099 after 0.1"):
        feeder.ep.feed(frame(10), False, 0.099)
    with pytest.raises(ValueError, match="time went backwards"):
        feeder.ep.force_start(0.05)
    with pytest.raises(ValueError, match="time went backwards"):
        feeder.ep.force_end(0.05)
    with pytest.raises(ValueError, match="now must be a finite time"):
        feeder.ep.feed(frame(10), False, float("nan"))
    assert feeder.ep.feed(frame(10), False, 0.1) == []


def test_a_fed_frame_is_copied_so_the_caller_may_reuse_its_buffer() -> None:
    ep = Endpointer(EndpointerSettings(preroll_s=0))
    buffer = np.zeros(160, dtype=np.float32)
    for i in range(11):
        buffer[:] = i
        ep.feed(buffer, True, end(i))
    ended = ep.force_end(end(10))
    assert ended is not None
    np.testing.assert_array_equal(ended.samples, audio(0, 11))
