"""The ``systemctl status`` line: what the box is doing, audio trouble first."""

from __future__ import annotations

import pytest

from voicebox.conductor.conversation import State
from voicebox.daemon.status import REASON_CHARS, status_line

OK = ("ok", "")


@pytest.mark.parametrize(("state", "audio", "throttle", "expected"), [
    (State.IDLE, OK, "", "listening"),
    (State.LISTENING, OK, "", "listening: hearing a question"),
    (State.THINKING, OK, "", "thinking: turn 12"),
    (State.SPEAKING, OK, "", "speaking: turn 12"),
    (State.THINKING, OK, "throttled (hot): shorter answers",
     "thinking: turn 12; throttled (hot): shorter answers"),
    (State.IDLE, ("lost", "no audio from the microphone for 2 s"), "",
     "audio lost (no audio from the microphone for 2 s), retrying"),
    (State.SPEAKING, ("lost", "the speaker stream stopped"), "throttled (warm): fewer threads",
     "audio lost (the speaker stream stopped), retrying; throttled (warm): fewer threads"),
    (State.IDLE, ("starting", ""), "", "opening the audio devices"),
])
def test_status_line(state, audio, throttle, expected) -> None:
    assert status_line(state, 12, audio, throttle) == expected


def test_a_multi_line_device_error_shows_its_first_line_cut_short() -> None:
    reason = ("the microphone stream stopped: " + "PortAudio error -9999 " * 10
              + "\nfix: check that PipeWire runs\n  systemctl --user status pipewire")
    line = status_line(State.IDLE, 3, ("lost", reason), "throttled (hot): shorter answers")
    assert "\n" not in line and "fix:" not in line
    shown = line.removeprefix("audio lost (").split("), retrying")[0]
    assert REASON_CHARS - 2 <= len(shown) <= REASON_CHARS and shown.endswith("…")
    assert shown.startswith("the microphone stream stopped: PortAudio error -9999")
    assert line.endswith("), retrying; throttled (hot): shorter answers")
