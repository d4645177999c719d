"""The one line ``systemctl status voicebox`` shows: what the box is doing, in plain words.

Pure: the daemon passes what it knows, this decides what a person needs to read first. A lost
audio device comes first (the box cannot hear or speak), then the conversation, then any
throttling, which changes how the box answers.
"""

from __future__ import annotations

from voicebox.conductor.conversation import State
from voicebox.ops.sdnotify import one_line

REASON_CHARS = 120
"""A device error's share of the line: its first line, cut here (the journal has the rest)."""

ACTIVITY = {
    State.IDLE: "listening",
    State.LISTENING: "listening: hearing a question",
    State.THINKING: "thinking: turn {turn}",
    State.SPEAKING: "speaking: turn {turn}",
}


def status_line(state: State, turn: int, audio: tuple[str, str], throttle: str) -> str:
    """E.g. "thinking: turn 12", "speaking: turn 3; throttled (hot): shorter answers",
    "audio lost (no audio from the microphone for 2 s), retrying".

    ``audio`` is the link's (status, reason); ``throttle`` is empty when not throttled.
    Always one line: a device error shows only its first line, at most REASON_CHARS long.
    """
    status, reason = audio
    if status == "lost":
        activity = f"audio lost ({one_line(reason, REASON_CHARS)}), retrying"
    elif status == "starting":
        activity = "opening the audio devices"
    else:
        activity = ACTIVITY[state].format(turn=turn)
    return f"{activity}; {throttle}" if throttle else activity
