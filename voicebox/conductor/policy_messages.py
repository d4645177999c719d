"""What goes into the conversation's rules and what comes out: events and commands.

Apart from :mod:`.policy` so that the rules read as rules; every type here is a plain frozen
value, made by the conductor (events) or by the policy (commands).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voicebox.audio.listener import BargeIn, Heard
from voicebox.audio.wake import WakeDetected
from voicebox.speech.turn_shape import TurnShape

# Events (besides the listener's Heard and BargeIn) -----------------------------------------

@dataclass(frozen=True)
class Button:
    """The push-to-talk button went down (``pressed``) or up; ``audible`` as for Heard."""

    pressed: bool
    audible: bool


@dataclass(frozen=True)
class Interrupted:
    """Stop the answer for a reason of the box's own (the watchdog's emergency)."""

    reason: str


@dataclass(frozen=True)
class AnswerPlayed:
    """The last sample of question ``question``'s answer left the speaker."""

    question: int


@dataclass(frozen=True)
class Refused:
    """The pipeline could not take question ``question`` (it is still busy with earlier ones):
    there is nothing to wait for, so the box must not stay "thinking" about it."""

    question: int


@dataclass(frozen=True)
class DevicesLost:
    """The sound card went away (a stream stopped, the server died)."""


@dataclass(frozen=True)
class DevicesReopened:
    """The mic and speaker are open again (new streams, maybe new devices)."""


@dataclass(frozen=True)
class Tick:
    """Time passes (for timeouts)."""


@dataclass(frozen=True)
class Transcribed:
    """Question ``question``'s tentative transcript reads as ``shape`` (turn_shape.py)."""

    question: int
    shape: TurnShape


Event = (Heard | BargeIn | WakeDetected | Button | Interrupted | AnswerPlayed | Refused
         | DevicesLost | DevicesReopened | Tick | Transcribed)


# Commands ----------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Submit:
    """Transcribe ``samples`` as question ``question`` (replacing any turn in progress);
    answer it only after a Confirm unless ``confirmed``."""

    question: int
    samples: np.ndarray
    confirmed: bool
    speech_end: float | None = None


@dataclass(frozen=True)
class Confirm:
    """The tentative question ``question`` really ended at ``speech_end``: answer it."""

    question: int
    speech_end: float


@dataclass(frozen=True)
class Cancel:
    """Drop question ``question`` (its transcript is not wanted)."""

    question: int
    reason: str


@dataclass(frozen=True)
class StopAnswer:
    """Silence the speaker and cancel the answer of ``question`` (None: whatever is being
    prepared); the history keeps what was heard."""

    question: int | None
    reason: str


@dataclass(frozen=True)
class Hold:
    """Push-to-talk for the endpointer: capture everything while held."""

    held: bool


@dataclass(frozen=True)
class ResetAudio:
    """Forget the echo path, the room's noise and any utterance in progress."""


@dataclass(frozen=True)
class Earcon:
    """A wake word opened listening: play the short listening sound."""


@dataclass(frozen=True)
class EndAfter:
    """End the utterance whose tentative end is at ``speech_end`` after the silence its
    transcript's ``shape`` asks for (the endpointer's hint)."""

    shape: TurnShape
    speech_end: float


Command = Submit | Confirm | Cancel | StopAnswer | Hold | ResetAudio | Earcon | EndAfter
