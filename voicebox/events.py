"""Typed run events: the timeline of a turn, as each stage reports it.

One sink receives them all; logs, metrics, the ``voicebox turn`` latency table and the tests
read the same events. ``at`` is ``time.monotonic()`` when the event happened.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TurnEvent:
    """Base: which turn, and when."""

    turn_id: int
    at: float = field(default_factory=time.monotonic, kw_only=True)


@dataclass(frozen=True)
class TurnStarted(TurnEvent):
    """The end of the user's speech reached the pipeline."""


@dataclass(frozen=True)
class QuestionEnded(TurnEvent):
    """The user stopped talking: ``at`` is the end of the question's last speech sample.

    Voice-to-voice latency is measured from here, not from when the endpointer was sure.
    """


@dataclass(frozen=True)
class SttDone(TurnEvent):
    """Transcription finished; empty ``text`` means no speech was heard.

    ``seconds`` is the time the engine spent, without the wait for the end to be confirmed.
    """

    text: str
    language: str
    detected_language: str
    language_probability: float
    seconds: float = 0.0


@dataclass(frozen=True)
class HeardSoFar(TurnEvent):
    """A tentative question was transcribed while its hang-over runs; ``shape`` is how its
    words end (finished, unfinished, unsure: voicebox/speech/turn_shape.py), which the
    conductor passes to the endpointer to end the question sooner or later."""

    text: str
    shape: str


@dataclass(frozen=True)
class FirstToken(TurnEvent):
    """The LLM produced the first piece of the answer."""


@dataclass(frozen=True)
class SkillAnswered(TurnEvent):
    """A local skill answered the question (instead of the LLM): its whole reply at once.

    ``answer`` is "" when the skill says nothing ("stop"). Marks the same point of the
    timeline as :class:`FirstToken` does for the LLM.
    """

    skill: str
    intent: str
    answer: str


@dataclass(frozen=True)
class Announced(TurnEvent):
    """The box speaks unasked: a timer or alarm ended. The turn has no question."""

    text: str


@dataclass(frozen=True)
class FirstSentence(TurnEvent):
    """The first complete sentence left the splitter."""

    text: str


@dataclass(frozen=True)
class FirstAudio(TurnEvent):
    """The first synthesised audio of the answer is ready to play."""


@dataclass(frozen=True)
class LlmDone(TurnEvent):
    """The LLM finished (or was stopped); ``answer`` is what it generated.

    ``prompt_evaluated`` counts the prompt tokens that were not found in the KV cache.
    """

    answer: str
    tokens: int
    prompt_evaluated: int


@dataclass(frozen=True)
class AnswerCut(TurnEvent):
    """The answer reached its spoken length: the LLM is stopped. ``kept`` is all that is said
    of it (the history keeps that, not what the model wrote in the token it took to stop)."""

    kept: str
    sentences: int
    words: int


@dataclass(frozen=True)
class TurnDone(TurnEvent):
    """The whole answer was synthesised."""

    answer: str
    spoken_sentences: int


BARGE_IN = "barge-in"
"""The cancel reason when the user talks over an answer (counted as barge_ins_total)."""


@dataclass(frozen=True)
class TurnCancelled(TurnEvent):
    """The turn was stopped before its end (barge-in, button, shutdown)."""

    reason: str


@dataclass(frozen=True)
class TurnFailed(TurnEvent):
    """A stage failed; the turn ends with an apology and the process goes on."""

    stage: str
    code: str
    message: str


EventSink = Callable[[TurnEvent], None]
