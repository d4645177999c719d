"""The ``systemctl status`` line: what the box is doing, audio trouble first."""

from __future__ import annotations

import pytest

from voicebox.conductor.conversation import State
from voicebox.daemon.status import status_line

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
