"""The live conversation: microphone decisions in, answers out, and the rules between them.

The listener (on the capture thread) posts decisions; this conductor thread alone acts on
them, so the rules below never race each other:

- a tentative end starts transcription at once (during the hang-over); speech that resumes
  withdraws it; the confirmed end lets the answer go ahead;
- speech heard while the box speaks is its own echo unless the barge-in rule fires; a barge-in
  silences the speaker at once, cancels the answer, keeps what was heard in the history, and
  the interrupting speech becomes the next question;
- a new question while an answer is still being prepared replaces it.
"""

from __future__ import annotations

import enum
import queue
import threading
import time
from dataclasses import dataclass

from voicebox.audio.capture import Capture
from voicebox.audio.endpointer import SpeechResumed, TentativeEnd, UtteranceEnded
from voicebox.audio.link import AudioLink
from voicebox.audio.listener import BargeIn, Listener
from voicebox.audio.playback import Playback
from voicebox.audio.reference import ReferenceBuffer
from voicebox.conductor.pipeline import Engines, Pipeline
from voicebox.config import Config
from voicebox.events import BARGE_IN, EventSink
from voicebox.messages import Turn
from voicebox.ops.liveness import Vital
from voicebox.ops.logging import get_logger

INBOX_SIZE = 256
JOIN_S = 2.0


class State(enum.Enum):
    """What the box is doing, as a person would say it."""

    IDLE = "idle"
    LISTENING = "listening"
    THINKING = "thinking"
    SPEAKING = "speaking"


@dataclass(frozen=True)
class PushToTalk:
    """The push-to-talk button went down (``pressed``) or up."""

    pressed: bool


@dataclass(frozen=True)
class Interrupt:
    """Stop the answer for a reason of the box's own (the watchdog's emergency)."""

    reason: str


@dataclass(frozen=True)
class AnswerPlayed:
    """The last sample of a turn's answer left the speaker."""

    turn: Turn


class Conversation:
    """Owns the audio threads, the pipeline and the conductor thread."""

    def __init__(self, engines: Engines, config: Config, emit: EventSink) -> None:
        self._stopping = threading.Event()
        self.pipeline = Pipeline(engines, config, emit)
        reference = ReferenceBuffer()
        self.playback = Playback(self.pipeline.audio_out, reference, self._answer_played,
                                 self._stopping)
        self.listener = Listener(config, lambda: self.playback.speaking, self._post)
        self.capture = Capture(self.listener, reference, self._stopping)
        self.link = AudioLink(config.audio, self.capture, self.playback, self._audio_status,
                              self._stopping)
        self._inbox: queue.Queue[object] = queue.Queue(maxsize=INBOX_SIZE)
        self._thread = threading.Thread(target=self._run, name="voicebox-conductor",
                                        daemon=True)
        self._tentative: Turn | None = None
        self._awaiting: Turn | None = None
        self.audio_status = ("starting", "")
        self.last_progress = time.monotonic()
        self.barge_ins = 0
        self._log = get_logger("conductor")

    @property
    def state(self) -> State:
        """Derived from the parts, so it can never disagree with them."""
        if self.playback.speaking:
            return State.SPEAKING
        if self._awaiting is not None:
            return State.THINKING
        if self.listener.endpointer.state != "idle":
            return State.LISTENING
        return State.IDLE

    def vitals(self) -> list[Vital]:
        """Every thread the conversation needs, for the service watchdog."""
        parts = [("capture", self.capture), ("playback", self.playback),
                 ("audio-link", self.link),
                 *((worker.stage.name, worker) for worker in self.pipeline.workers)]
        return [Vital("conductor", self._thread, lambda: self.last_progress),
                *(Vital(name, part, lambda part=part: part.last_progress)
                  for name, part in parts)]

    def start(self) -> None:
        """Start every thread: pipeline workers, playback, capture, device link, conductor."""
        self.pipeline.start()
        for thread in (self.playback, self.capture, self._thread, self.link):
            thread.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Silence the speaker, stop and join every thread; False if one hung."""
        self.playback.flush()
        self._stopping.set()
        joined = self.pipeline.stop(timeout / 2)
        for thread in (self.link, self._thread, self.capture, self.playback):
            thread.join(JOIN_S)
            if thread.is_alive():
                self._log.error("thread-did-not-stop", thread=thread.name)
                joined = False
        return joined

    def push_to_talk(self, pressed: bool) -> None:
        """The button: pressing interrupts the answer and starts a question, releasing ends it.

        Safe from any thread (gpiozero calls it from its own).
        """
        self._post(PushToTalk(pressed))

    def interrupt(self, reason: str) -> None:
        """Cut the current answer short, as a barge-in would but without a new question.

        Safe from any thread (the throttle calls it); the conductor thread does the work.
        """
        self._post(Interrupt(reason))

    def _post(self, decision: object) -> None:
        try:
            self._inbox.put_nowait(decision)
        except queue.Full:
            self._log.warning("conductor-inbox-full", dropped=type(decision).__name__)

    def _answer_played(self, turn: Turn) -> None:
        self._post(AnswerPlayed(turn))

    def _audio_status(self, status: str, reason: str) -> None:
        self.audio_status = (status, reason)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self.last_progress = time.monotonic()
            try:
                decision = self._inbox.get(timeout=0.05)
            except queue.Empty:
                continue
            self._decide(decision)

    def _decide(self, decision: object) -> None:
        if isinstance(decision, BargeIn):
            self._barge_in(decision.levels)
        elif isinstance(decision, Interrupt):
            self._stop_answer(decision.reason)
        elif isinstance(decision, PushToTalk):
            self._button(decision.pressed)
        elif isinstance(decision, TentativeEnd) and not self.playback.speaking:
            self.pipeline.cancel("new question")
            self._tentative = self.pipeline.submit(decision.samples, confirmed=False)
        elif isinstance(decision, SpeechResumed) and self._tentative is not None:
            self.pipeline.cancel("speech resumed")
            self._tentative = None
        elif isinstance(decision, UtteranceEnded) and not self.playback.speaking:
            self._question(decision)
        elif isinstance(decision, AnswerPlayed) and decision.turn is self._awaiting:
            self._awaiting = None

    def _question(self, ended: UtteranceEnded) -> None:
        """The user finished a question: answer the tentative turn, or a new one."""
        if self._tentative is not None and not self._tentative.cancelled:
            self.pipeline.confirm(self._tentative, ended.speech_end)
            self._awaiting = self._tentative
        else:
            self.pipeline.cancel("new question")
            self._awaiting = self.pipeline.submit(ended.samples, speech_end=ended.speech_end)
        self._tentative = None

    def _button(self, pressed: bool) -> None:
        if pressed:
            if self.playback.speaking:
                self._barge_in()
            if self._tentative is not None:
                self.pipeline.cancel("push-to-talk", turn=self._tentative)
                self._tentative = None
        self.listener.hold(pressed)

    def _barge_in(self, levels: tuple[tuple[int, int, int], ...] = ()) -> None:
        """The user talks over the answer: quiet now, keep what was heard, listen."""
        heard = self._stop_answer(BARGE_IN)
        if heard is not None:
            self.barge_ins += 1
            self._log.info("barge-in", heard_words=len(heard.split()),
                           levels_mic_clean_far_db=[list(frame) for frame in levels])

    def _stop_answer(self, reason: str) -> str | None:
        """Silence the speaker and cancel the answer; the history keeps what was heard.

        Returns the words heard, or None when there was no answer to stop.
        """
        heard = self.playback.flush()
        stopped = self.pipeline.cancel(reason, heard=heard, turn=self._awaiting)
        self._awaiting = None
        return heard if stopped is not None else None
