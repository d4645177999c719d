"""The live conversation: microphone decisions in, answers out.

The listener (on the capture thread), the button, the speaker, the sound-card link and the
watchdog post events; this conductor thread alone feeds them to the conversation's rules
(``policy.py``, a pure state machine) and carries out the commands they return, so the rules
never race each other and every one of them is unit-tested.
"""

from __future__ import annotations

import enum
import queue
import threading
import time
from dataclasses import dataclass

from voicebox.audio.capture import Capture
from voicebox.audio.link import AudioLink
from voicebox.audio.listener import BargeIn, EchoStatus, Listener
from voicebox.audio.playback import Playback
from voicebox.audio.reference import ReferenceBuffer
from voicebox.audio.wake import WakeDetector
from voicebox.conductor.listening import ListeningGate, ListeningStatus
from voicebox.conductor.pipeline import Engines, Pipeline
from voicebox.conductor.policy import ConversationPolicy
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
    Hold,
    Interrupted,
    Refused,
    ResetAudio,
    StopAnswer,
    Submit,
    Tick,
    Transcribed,
)
from voicebox.conductor.turns import QuestionTurns
from voicebox.config import Config
from voicebox.events import BARGE_IN, EventSink, HeardSoFar, TurnEvent
from voicebox.messages import Turn
from voicebox.models.lock import load_lock
from voicebox.ops.liveness import Vital
from voicebox.ops.logging import get_logger
from voicebox.skills.engine import Skills
from voicebox.speech.turn_shape import TurnShape

INBOX_SIZE = 256
TICK_S = 0.05


class State(enum.Enum):
    """What the box is doing, as a person would say it."""

    IDLE = "idle"
    LISTENING = "listening"
    THINKING = "thinking"
    SPEAKING = "speaking"


@dataclass(frozen=True)
class AudioSnapshot:
    """The audio side as /health shows it, published whole by the conductor thread every tick
    (the HTTP thread reads this one object instead of reaching into the audio threads' parts,
    and never takes the playback lock the speaker's callback takes)."""

    status: tuple[str, str]
    devices: dict[str, str]
    overruns: int
    bad_frames: int
    queued_chunks: int
    underflows: int
    barge_ins: int
    recoveries: int
    echo: EchoStatus
    listening: ListeningStatus


class Conversation:
    """Owns the audio threads, the pipeline and the conductor thread."""

    def __init__(self, engines: Engines, config: Config, emit: EventSink,
                 skills: Skills | None = None) -> None:
        """``skills`` as for :class:`Pipeline` (the configured ones by default)."""
        self._stopping = threading.Event()
        self._emit = emit
        self._turns = QuestionTurns()
        self.pipeline = Pipeline(engines, config, self._pipeline_event, skills)
        reference = ReferenceBuffer()
        self.playback = Playback(self.pipeline.audio_out, reference, self._answer_played,
                                 self._stopping)
        self.listener = Listener(config, lambda: self.playback.speaking, self._post,
                                 _wake_detector(config))
        self.capture = Capture(self.listener, reference, self._stopping)
        self.link = AudioLink(config.audio, self.capture, self.playback, self._audio_status,
                              self._stopping)
        self._inbox: queue.Queue[object] = queue.Queue(maxsize=INBOX_SIZE)
        self._thread = threading.Thread(target=self._run, name="voicebox-conductor",
                                        daemon=True)
        listen = config.listen
        self.policy = ConversationPolicy(
            gate=ListeningGate(listen.mode, listen.open_s, listen.follow_up_s))
        self._wake_word = listen.wake_word if listen.mode == "wake" else None
        self._language = config.stt.fallback_language
        self.audio_status = ("starting", "")
        self.last_progress = time.monotonic()
        self.barge_ins = 0
        self._release_ignored = False
        """The button's press stopped a ringing timer: its release is not a question's end."""
        self._log = get_logger("conductor")
        self.snapshot = self._snapshot()

    @property
    def state(self) -> State:
        """Derived from the parts, so it can never disagree with them."""
        if self.playback.speaking:
            return State.SPEAKING
        if self.policy.answering is not None:
            return State.THINKING
        if (self.listener.endpointer.state != "idle"
                or self.policy.gate.is_open(time.monotonic())):
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
        """Silence the speaker, stop and join every thread within one ``timeout``; False if
        one hung (it is named in the log)."""
        deadline = time.monotonic() + timeout
        self.playback.flush()
        self._stopping.set()
        joined = self.pipeline.stop(deadline - time.monotonic())
        for thread in (self.link, self._thread, self.capture, self.playback):
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                self._log.error("thread-did-not-stop", thread=thread.name)
                joined = False
        return joined

    def push_to_talk(self, pressed: bool) -> None:
        """The button: pressing interrupts the answer and starts a question, releasing ends it;
        while a timer rings, pressing only stops the ringing (see :meth:`handle`).

        Safe from any thread (gpiozero calls it from its own).
        """
        self._post(Button(pressed, audible=self.playback.speaking))

    def interrupt(self, reason: str) -> None:
        """Cut the current answer short, as a barge-in would but without a new question.

        Safe from any thread (the throttle calls it); the conductor thread does the work.
        """
        self._post(Interrupted(reason))

    def _post(self, event: object) -> None:
        try:
            self._inbox.put_nowait(event)
        except queue.Full:
            self._log.warning("conductor-inbox-full", dropped=type(event).__name__)

    def _pipeline_event(self, event: TurnEvent) -> None:
        """Forward the pipeline's events; a tentative transcript's shape is for the rules too
        (any pipeline thread calls this; the conductor finds its question, see
        :meth:`handle`)."""
        if isinstance(event, HeardSoFar):
            self._post(event)
        self._emit(event)

    def _answer_played(self, turn: Turn) -> None:
        question = self._turns.question_of(turn)
        if question is not None:
            self._post(AnswerPlayed(question))

    def _audio_status(self, status: str, reason: str) -> None:
        previous, self.audio_status = self.audio_status[0], (status, reason)
        if status == "lost" and previous != "lost":
            self._post(DevicesLost())
        elif status == "ok" and previous == "lost":
            self._post(DevicesReopened())

    def _snapshot(self) -> AudioSnapshot:
        return AudioSnapshot(
            status=self.audio_status, devices=dict(self.link.devices),
            overruns=self.capture.overruns, bad_frames=self.listener.bad_frames,
            queued_chunks=self.playback.queue_depth, underflows=self.playback.underflows,
            barge_ins=self.barge_ins, recoveries=self.link.recoveries,
            echo=self.listener.echo_status,
            listening=self.policy.gate.status(self._wake_word, self.listener.wake))

    def _run(self) -> None:
        while not self._stopping.is_set():
            self.last_progress = time.monotonic()
            self.snapshot = self._snapshot()
            try:
                event = self._inbox.get(timeout=TICK_S)
            except queue.Empty:
                event = Tick()
            try:
                self.handle(event)
            except Exception:  # a bug in one event must not leave the box deaf
                self._log.exception("conductor-event-failed", event=type(event).__name__)

    def handle(self, event: object) -> None:
        """Carry out one event, on the conductor thread (tests call it directly)."""
        if isinstance(event, Button) and self._button_stops_ringing(event):
            return
        if isinstance(event, HeardSoFar):  # here, after _submit has recorded its turn
            question = self._turns.question_of_id(event.turn_id)
            if question is None:
                return
            event = Transcribed(question, TurnShape(event.shape))
        self._carry_out(self.policy.step(event, time.monotonic()), event)

    def _button_stops_ringing(self, button: Button) -> bool:
        """A press while a timer rings stops the ringing and starts no question (the
        kitchen-timer gesture: hands full, press anything); its release is dropped with it.
        With nothing ringing the press is push-to-talk as always."""
        if not button.pressed:
            ignored, self._release_ignored = self._release_ignored, False
            return ignored
        if not self.pipeline.stop_ringing():
            return False
        self._release_ignored = True
        self._log.info("ringing-stopped", by="button")
        return True

    def _carry_out(self, commands: list[Command], event: object) -> None:
        for command in commands:
            if isinstance(command, Submit):
                self._submit(command)
            elif isinstance(command, Confirm):
                self._confirm(command)
            elif isinstance(command, Cancel):
                self.pipeline.cancel(command.reason, turn=self._turns.get(command.question))
            elif isinstance(command, StopAnswer):
                self._stop_answer(command, event)
            elif isinstance(command, Hold):
                self.listener.hold(command.held)
            elif isinstance(command, EndAfter):
                self.listener.end_after(command.shape, command.speech_end)
            elif isinstance(command, ResetAudio):
                self.listener.request_reset()
            elif isinstance(command, Earcon):
                self.pipeline.earcon(self._language)

    def _submit(self, command: Submit) -> None:
        """Start the question's turn; one the pipeline refused is forgotten by the rules."""
        self.pipeline.cancel("new question")
        turn = self.pipeline.submit(command.samples, confirmed=command.confirmed,
                                    speech_end=command.speech_end)
        self._turns.add(command.question, turn)
        if turn.cancelled:
            self.policy.step(Refused(command.question), time.monotonic())

    def _confirm(self, command: Confirm) -> None:
        turn = self._turns.get(command.question)
        if turn is not None:
            self.pipeline.confirm(turn, command.speech_end)

    def _stop_answer(self, command: StopAnswer, event: object) -> None:
        """Silence the speaker and cancel the answer; the history keeps what was heard."""
        heard = self.playback.flush()
        turn = self._turns.get(command.question) if command.question is not None else None
        stopped = self.pipeline.cancel(command.reason, heard=heard, turn=turn)
        if stopped is None or command.reason != BARGE_IN:
            return
        self.barge_ins += 1
        levels = event.levels if isinstance(event, BargeIn) else ()
        self._log.info("barge-in", heard_words=len(heard.split()),
                       levels_mic_clean_far_db=[list(frame) for frame in levels])


def _wake_detector(config: Config) -> WakeDetector | None:
    """The configured wake word's detector in wake mode (its pinned files verified)."""
    if config.listen.mode != "wake":
        return None
    return WakeDetector.from_lock(load_lock(config.models.lock), config.listen.wake_word,
                                  config.listen.wake_engine)
