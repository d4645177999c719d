"""Barge-in decisions, frame by frame.

Pattern letters: ``S`` speech while the box speaks, ``_`` silence while it speaks, ``s`` speech
while it is quiet, ``.`` silence while it is quiet. Frame i ends at (i+1)/100 s.
"""

from __future__ import annotations

import pytest

from voicebox.audio.bargein import BargeInDetector, BargeInSettings
from voicebox.config.schema import VadConfig

SPEAKING = {"S": (True, True), "_": (False, True), "s": (True, False), ".": (False, False)}


def triggers(pattern: str, detector: BargeInDetector | None = None, first: int = 0) -> list[int]:
    """The indices of the frames on which barge-in was decided."""
    detector = detector or BargeInDetector()
    fired = []
    for i, char in enumerate(pattern.replace(" ", ""), start=first):
        is_speech, speaking = SPEAKING[char]
        if detector.feed(is_speech, speaking, (i + 1) / 100):
            fired.append(i)
    return fired


@pytest.mark.parametrize(("pattern", "expected"), [
    ("SSSSSSS", [6]),                              # the 7th speech frame
    ("SSSSSS", []),
    ("_" * 20 + "SSSSSS_S", [27]),                 # 7 of the last 10, one gap
    ("SSSSSS____SSSSSS", []),                      # 6 of 10 at most
    ("SSS_S_SS__" * 5, []),                        # exactly 6 of every 10, sustained
    ("S_" * 20, []),                               # 5 of 10
    ("SS_SS_SS_SS_", [9]),                         # 7 of 10 on frame 9
    ("SSS_SSS_SSS_", [8]),
    ("SSSSSS____S", []),                           # the old speech slid out of the window
    ("_S_SS_SS_SS_S", [10]),
], ids=["seven", "six", "one-gap", "six-of-ten", "sustained-six", "alternating",
        "two-and-gap", "three-and-gap", "slid-out", "noisy-onset"])
def test_barge_in_needs_seven_speech_frames_of_the_last_ten(pattern: str,
                                                            expected: list[int]) -> None:
    assert triggers(pattern) == expected


@pytest.mark.parametrize(("pattern", "expected"), [
    ("s" * 50, []),                                # the box is quiet: never
    ("SSSSSS.SSSSSS", []),                         # a quiet frame clears the window
    ("SSSSSSsSSSSSSS", [13]),                      # counted afresh after the quiet frame
    ("ssssssSSSSSSS", [12]),                       # quiet speech does not count ahead
], ids=["quiet", "cleared", "fresh-count", "quiet-before"])
def test_only_speech_while_the_box_speaks_counts(pattern: str, expected: list[int]) -> None:
    assert triggers(pattern) == expected


@pytest.mark.parametrize(("pattern", "expected"), [
    ("S" * 40, [6]),
    ("S" * 10 + "_" * 10 + "S" * 10, [6]),         # still the same answer
    ("S" * 10 + "." + "S" * 10, [6, 17]),          # a new answer may be interrupted again
    ("S" * 10 + "s" * 5 + "S" * 10, [6, 21]),
], ids=["long-talk", "same-answer", "next-answer", "talking-through-the-pause"])
def test_one_barge_in_per_speaking_period(pattern: str, expected: list[int]) -> None:
    assert triggers(pattern) == expected


@pytest.mark.parametrize(("grace_s", "pattern", "expected"), [
    (0.0, "S" * 12, [6]),
    (0.05, "S" * 12, [11]),                        # frames 0-4 ignored
    (0.05, "." * 5 + "S" * 12, [16]),              # grace starts with the speaking period
    (0.05, "S" * 12 + "." + "S" * 12, [11, 24]),   # and again for the next one
    (0.1, "SSSSS" + "_" * 5 + "SSSSSS", []),       # speech inside the grace never counts
    (0.1, "SSSSS" + "_" * 5 + "SSSSSSS", [16]),
], ids=["no-grace", "50-ms", "after-quiet", "per-period", "inside-grace", "after-grace"])
def test_speech_during_the_grace_period_is_ignored(grace_s: float, pattern: str,
                                                   expected: list[int]) -> None:
    detector = BargeInDetector(BargeInSettings(grace_s=grace_s))
    assert triggers(pattern, detector) == expected


def test_the_settings_change_the_rule() -> None:
    detector = BargeInDetector(BargeInSettings(window_frames=4, min_speech_frames=3))
    assert triggers("SS__SS_S", detector) == [7]


@pytest.mark.parametrize(("before", "after", "expected"), [
    ("SSSSSS", "SSSSSS", []),                      # the window is forgotten
    ("SSSSSS", "SSSSSSS", [12]),
    ("SSSSSSS", "SSSSSSS", [6, 13]),               # and the trigger re-armed
])
def test_reset_forgets_the_window_and_rearms(before: str, after: str,
                                             expected: list[int]) -> None:
    detector = BargeInDetector()
    fired = triggers(before, detector)
    detector.reset()
    assert fired + triggers(after, detector, first=len(before)) == expected


def test_reset_restarts_the_grace_period_and_forgets_the_time() -> None:
    detector = BargeInDetector(BargeInSettings(grace_s=0.05))
    assert triggers("S" * 8, detector) == []
    detector.reset()
    assert triggers("S" * 12, detector) == [11]    # time starts over at 0.01 s


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"window_frames": 0}, "window_frames must be at least 1, got 0"),
    ({"min_speech_frames": 0}, r"min_speech_frames must be between 1 and window_frames \(10\)"),
    ({"min_speech_frames": 11}, "min_speech_frames .* got 11"),
    ({"grace_s": -0.01}, "grace_s must be zero or more seconds, got -0.01"),
    ({"grace_s": float("inf")}, "grace_s must be zero or more seconds, got inf"),
])
def test_invalid_settings_are_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BargeInSettings(**kwargs)


def test_time_going_backwards_is_refused() -> None:
    detector = BargeInDetector()
    detector.feed(True, True, 1.0)
    with pytest.raises(ValueError, match="time went backwards: now=0.99 after 1.0"):
        detector.feed(True, True, 0.99)
    with pytest.raises(ValueError, match="now must be a finite time"):
        detector.feed(True, True, float("nan"))
    assert detector.feed(True, True, 1.0) is False


def test_the_grace_period_comes_from_the_config() -> None:
    assert BargeInSettings.from_config(VadConfig()).grace_s == 0.5
    assert BargeInSettings.from_config(VadConfig(barge_in_grace_ms=0)).grace_s == 0.0
    settings = BargeInSettings.from_config(VadConfig(barge_in_grace_ms=250))
    assert (settings.grace_s, settings.window_frames, settings.min_speech_frames) == (0.25, 10, 7)
