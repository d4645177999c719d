"""The conversation's rules: what the box does with what it hears, as a pure state machine.

Events (what the listener decided, the button, the speaker, the pipeline, the sound card, the
clock) go in with the time; commands (transcribe, confirm, cancel, stop the answer, hold,
reset the audio state) come out. The conductor thread only carries them out, so every rule
here is tested with plain numbers (tests/unit/test_policy.py), and nothing is dropped silently:
each event either changes something or is ignored for a reason written below.

The rules:

- A tentative end starts transcribing at once (during the hang-over); speech that resumes
  withdraws it; the confirmed end lets the answer go ahead. The tentative transcript's shape
  (finished sentence or cut off mid-phrase) goes back to the endpointer, which ends the
  utterance sooner or later than the hang-over for it; until that shape is known the question
  counts as unfinished, and one the pipeline refuses gets the plain hang-over back. A new
  question replaces an answer still being prepared.
- While the box is audible, what the listener hears is its own echo unless the barge-in rule
  fired. An utterance that *started* while the box was audible stays echo even if it ends
  after the box fell silent (it would otherwise become a question nobody asked).
- A barge-in (or the button) stops the answer, keeps what was heard in the history, and the
  speech that interrupted it (with its pre-roll, which the endpointer keeps) is the next
  question, even while the last of the answer still echoes.
- A tentative turn whose confirmation never comes (the mic was lost during the hang-over) is
  cancelled after ``tentative_timeout_s``. Losing the sound card stops the answer (it must not
  resume minutes later) and cancels the tentative turn; reopening it resets the ear.
- A question the pipeline refuses (still busy with earlier ones) is forgotten at once.
- Which utterances are questions at all (the wake word, the follow-up window, the button) is
  the listening gate's rule (listening.py). A wake word heard over an answer (or one being
  prepared) stops it like a barge-in, and what follows it is the next question; one that
  opens listening alone asks for the earcon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from voicebox.audio.endpointer import SpeechResumed, SpeechStarted, TentativeEnd, UtteranceEnded
from voicebox.audio.listener import BargeIn, Heard
from voicebox.audio.wake import WakeDetected
from voicebox.conductor.listening import ListeningGate
from voicebox.conductor.policy_messages import (
    AnswerPlayed,
    Button,
    Cancel,
    Command,
    Confirm,
    DevicesLost,
    DevicesReopened,
    Earcon,
    EndAfter,
    Event,
    Hold,
    Interrupted,
    Refused,
    ResetAudio,
    StopAnswer,
    Submit,
    Tick,
    Transcribed,
)
from voicebox.events import BARGE_IN
from voicebox.speech.turn_shape import TurnShape

TENTATIVE_TIMEOUT_S = 5.0


@dataclass
class ConversationPolicy:
    """The state between events; ``step`` is the only way it changes."""

    tentative_timeout_s: float = TENTATIVE_TIMEOUT_S
    tentative: int | None = None
    """The question being transcribed while the hang-over runs."""
    tentative_since: float = 0.0
    tentative_end: float = 0.0
    """Where the tentative question's speech ended (the endpointer's key for hints)."""
    answering: int | None = None
    """The question whose answer is being prepared or played."""
    interrupted: bool = False
    """The user barged in on the answer still echoing: what they say is the next question."""
    echo_utterance: bool = False
    """The utterance in progress started while the box was audible (no barge-in)."""
    questions: int = 0
    gate: ListeningGate = field(default_factory=ListeningGate)
    ignored: dict[str, int] = field(default_factory=dict)
    """Events that changed nothing, by why (for the log and tests)."""

    def step(self, event: Event, now: float) -> list[Command]:
        """Apply one event at ``now``; the commands to carry out, in order."""
        handlers: dict[type, Any] = {
            Heard: lambda: self._heard(event, now),
            BargeIn: self._barge_in,
            WakeDetected: lambda: self._wake(event),
            Button: lambda: self._button(event, now),
            Interrupted: lambda: self._stop(event.reason),
            AnswerPlayed: lambda: self._played(event.question, now),
            Refused: lambda: self._refused(event.question),
            DevicesLost: lambda: [*self._withdraw("audio lost"), *self._stop("audio lost")],
            DevicesReopened: self._reopened,
            Tick: lambda: self._tick(now),
            Transcribed: lambda: self._transcribed(event),
        }
        handler = handlers.get(type(event))
        if handler is None:
            raise TypeError(f"not a conversation event: {event!r}")
        return handler()

    def _reopened(self) -> list[Command]:
        self.echo_utterance = False
        self.gate.forget()
        return [ResetAudio()]

    def _heard(self, heard: Heard, now: float) -> list[Command]:
        decision = heard.decision
        own_voice = heard.audible and not self.interrupted
        if isinstance(decision, SpeechStarted):
            self.echo_utterance = own_voice
            self.gate.speech_started(now)
            return []
        if self.echo_utterance or own_voice:
            if isinstance(decision, UtteranceEnded):
                self.echo_utterance = False
                self.gate.forget()
            return self._ignore("own voice")
        if isinstance(decision, TentativeEnd):
            return self._transcribe(decision, now)
        if isinstance(decision, SpeechResumed):
            return self._withdraw("speech resumed") or self._ignore("nothing tentative")
        return self._question(decision, now)

    def _transcribe(self, ended: TentativeEnd, now: float) -> list[Command]:
        samples = self.gate.question(ended.samples, ended.speech_end)
        if samples is None:
            return self._ignore("not a question (yet)")
        commands = self._withdraw("new question")
        self.questions += 1
        self.tentative, self.tentative_since = self.questions, now
        self.tentative_end = ended.speech_end
        self.answering = None  # replaced: its audio is dropped with it
        # Until its words are known the question counts as unfinished: the answer cannot start
        # before them anyway, and a slow transcription (a loaded box) must not let the
        # hang-over cut off a speaker who only paused.
        return [*commands, Submit(self.questions, samples, confirmed=False),
                EndAfter(TurnShape.UNFINISHED, ended.speech_end)]

    def _question(self, ended: UtteranceEnded, now: float) -> list[Command]:
        """The user finished an utterance: answer the tentative turn, or a new one if the
        gate lets it be a question; the wake word alone asks for the earcon."""
        self.interrupted = False
        samples, alone = self.gate.finish(ended.samples, ended.speech_end, now)
        if self.tentative is not None:
            self.answering, self.tentative = self.tentative, None
            return [Confirm(self.answering, ended.speech_end)]
        if samples is None:
            return [Earcon()] if alone else self._ignore("no wake word")
        self.questions += 1
        self.answering = self.questions
        return [Submit(self.questions, samples, confirmed=True, speech_end=ended.speech_end)]

    def _transcribed(self, heard: Transcribed) -> list[Command]:
        """The tentative question's words say how long its pause may last."""
        if heard.question != self.tentative:
            return self._ignore("not the tentative question")
        return [EndAfter(heard.shape, self.tentative_end)]

    def _wake(self, wake: WakeDetected) -> list[Command]:
        """The wake word stops an answer as a barge-in would; alone, it opens listening."""
        commands: list[Command] = []
        if self.answering is not None or self.echo_utterance:  # an announcement, too
            self.interrupted = True
            self.echo_utterance = False
            commands = self._stop("wake word")
        return [*commands, Earcon()] if self.gate.wake(wake.at) else commands

    def _barge_in(self) -> list[Command]:
        self.interrupted = True
        self.echo_utterance = False  # the utterance in progress is the user's after all
        return self._stop(BARGE_IN)

    def _button(self, button: Button, now: float) -> list[Command]:
        self.gate.button(button.pressed, now)
        if not button.pressed:
            return [Hold(False)]
        commands = self._withdraw("push-to-talk")
        if button.audible:
            commands += self._barge_in()
        self.echo_utterance = False
        return [*commands, Hold(True)]

    def _played(self, question: int, now: float) -> list[Command]:
        if question != self.answering:
            return self._ignore("not the answer in progress")
        self.answering = None
        self.gate.answered(now)
        return []

    def _refused(self, question: int) -> list[Command]:
        """Forget a question the pipeline turned away, whether tentative or confirmed."""
        if question not in (self.tentative, self.answering):
            return self._ignore("not a question in progress")
        commands: list[Command] = []
        if question == self.tentative:
            self.tentative = None
            commands = [EndAfter(TurnShape.UNSURE, self.tentative_end)]
        if question == self.answering:
            self.answering = None
        return commands

    def _tick(self, now: float) -> list[Command]:
        self.gate.tick(now)
        if self.tentative is not None and now - self.tentative_since > self.tentative_timeout_s:
            return self._withdraw("never confirmed")
        return []

    def _stop(self, reason: str) -> list[Command]:
        question, self.answering = self.answering, None
        return [StopAnswer(question, reason)]

    def _withdraw(self, reason: str) -> list[Command]:
        """Cancel the tentative question, if there is one."""
        question, self.tentative = self.tentative, None
        return [Cancel(question, reason)] if question is not None else []

    def _ignore(self, why: str) -> list[Command]:
        self.ignored[why] = self.ignored.get(why, 0) + 1
        return []
