"""The turn pipeline: persistent STT, LLM, splitter and TTS workers joined by bounded queues.

Audio leaves through ``audio_out`` (AudioChunk items, then EndOfAnswer) for whoever plays or
records it. ``cancel`` stops the current answer at the next token and the next sentence and
throws away what is queued; the workers stay up for the next turn. The history survives
everything except an idle spell (see :class:`History`).

Questions a local skill knows skip the LLM (see skill_stage.py); timers and alarms that end
are announced through the same splitter, TTS and audio queue, after a chime, as turns of
their own (:meth:`Pipeline.announce`). Talking over one stops that announcement like any
answer, but not the ringing: the question is answered and the timer rings again after it.
"stop" (a skill) or the button (:meth:`Pipeline.stop_ringing`) stop the ringing.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from voicebox.conductor.cpu import SynthesisFirst
from voicebox.conductor.skill_stage import SkillStage
from voicebox.conductor.stages import LlmStage, SttStage, Wiring
from voicebox.conductor.voice_stages import SplitterStage, TtsStage
from voicebox.conductor.worker import Worker, drain, offer
from voicebox.config import Config
from voicebox.events import (
    Announced,
    AnswerCut,
    EventSink,
    QuestionEnded,
    TurnCancelled,
    TurnDone,
    TurnEvent,
    TurnStarted,
)
from voicebox.llm.chat import ChatModel
from voicebox.llm.history import History
from voicebox.messages import AudioChunk, EndOfAnswer, TextPiece, Turn, Utterance
from voicebox.ops.logging import get_logger
from voicebox.skills.chime import chime, earcon
from voicebox.skills.engine import Skills
from voicebox.skills.ringer import Ringer
from voicebox.skills.rings import Announcement
from voicebox.speech.stt import SpeechToText
from voicebox.speech.tts import TextToSpeech

# Bounds: a couple of utterances, a few hundred tokens, a handful of sentences and audio chunks.
QUEUE_SIZES = {"utterances": 2, "transcripts": 2, "pieces": 256, "sentences": 8, "audio": 8}
SUBMIT_WAIT_S = 1.0
"""How long the conductor waits for room for an utterance before refusing the turn."""
BUSY = "busy: speech-to-text is still on earlier questions"


@dataclass(frozen=True)
class Engines:
    """The loaded models a pipeline runs."""

    stt: SpeechToText
    chat: ChatModel
    tts: TextToSpeech
    names: Mapping[str, str] = field(default_factory=dict)
    """Which model files they are, by role ("stt", "llm", "tts"), for /health and logs."""


class Pipeline:
    """Answers one turn at a time; safe to call from the audio and control threads."""

    def __init__(self, engines: Engines, config: Config, emit: EventSink,
                 skills: Skills | None = None) -> None:
        """``skills`` defaults to the configured ones, with timers kept in their file."""
        self._emit = emit
        self._stopping = threading.Event()
        self._inboxes = {name: queue.Queue(maxsize=size) for name, size in QUEUE_SIZES.items()}
        self.audio_out: queue.Queue = self._inboxes["audio"]
        self.history = History(config.llm.history_turns, config.llm.history_idle_s)
        wiring = Wiring(emit=self._on_event, stopping=self._stopping,
                        transcripts=self._inboxes["transcripts"],
                        pieces=self._inboxes["pieces"], sentences=self._inboxes["sentences"],
                        audio_out=self.audio_out, cpu=SynthesisFirst())
        self.llm = LlmStage(wiring, engines.chat, config.llm, self.history)
        if skills is None and config.skills.enabled:
            skills = Skills.from_config(config.skills)
        self.skills = skills
        self.stt = SttStage(wiring, engines.stt, engines.tts.languages,
                            SkillStage(wiring, skills) if skills is not None else None)
        splitter = SplitterStage(wiring, config.llm.max_sentences, config.llm.max_words)
        stages = [(self.stt, "utterances"), (self.llm, "transcripts"), (splitter, "pieces"),
                  (TtsStage(wiring, engines.tts), "sentences")]
        self.workers = [Worker(stage, self._inboxes[inbox], self._stopping)
                        for stage, inbox in stages]
        self._current: Turn | None = None
        self._lock = threading.Lock()
        self._tts = engines.tts
        self._announcing: Turn | None = None
        self.ringer = (Ringer(skills, self.announce, self._stopping) if skills is not None
                       else None)

    def _on_event(self, event: TurnEvent) -> None:
        """Forward a stage's event; a finished turn is no longer the one to cancel."""
        if isinstance(event, TurnDone):
            with self._lock:
                if self._current is not None and self._current.turn_id == event.turn_id:
                    self._current = None
            if self.skills is not None:
                self.skills.remember(event.answer)
        if isinstance(event, AnswerCut):
            self.history.shorten(event.turn_id, event.kept)
        self._emit(event)

    def start(self) -> None:
        """Start the worker threads and the ringer."""
        for worker in self.workers:
            worker.start()
        if self.ringer is not None:
            self.ringer.start()

    def earcon(self, language: str) -> None:
        """Play the listening earcon, a turn of its own that nothing waits for (it is not
        offered if the audio queue is full: a late earcon would say the wrong thing)."""
        rate = self._tts.sample_rate(language)
        with contextlib.suppress(queue.Full):
            self.audio_out.put_nowait(AudioChunk(Turn(), earcon(rate), rate, ""))

    def announce(self, announcement: Announcement) -> bool:
        """Say ``announcement`` after a chime, as a turn of its own; False (nothing done)
        while another turn is in progress."""
        with self._lock:
            if self._current is not None:
                return False
            turn = self._current = self._announcing = Turn()
        self._emit(TurnStarted(turn.turn_id))
        self._emit(Announced(turn.turn_id, text=announcement.text))
        rate = self._tts.sample_rate(announcement.language)
        offer(self.audio_out, AudioChunk(turn, chime(rate), rate, ""), turn, self._stopping)
        pieces = self._inboxes["pieces"]
        offer(pieces, TextPiece(turn, announcement.text, announcement.language), turn,
              self._stopping)
        offer(pieces, EndOfAnswer(turn, announcement.language), turn, self._stopping)
        return True

    def stop_ringing(self) -> bool:
        """Silence every ringing timer and the announcement being said (the button); False
        when nothing rang.

        The announcement may have finished generating and still be playing: its turn is
        then only flagged, which the speaker honours at the next chunk, rather than cancelled
        again with a TurnCancelled after its TurnDone.
        """
        if self.skills is None or self.skills.silence() == 0:
            return False
        with self._lock:
            turn, current = self._announcing, self._current
        if turn is not None and turn is current:
            self.cancel("ringing stopped", turn=turn)
        elif turn is not None:
            turn.cancel.set()
        return True

    def submit(self, samples: np.ndarray, confirmed: bool = True,
               speech_end: float | None = None) -> Turn:
        """Answer an utterance (16 kHz mono float32); returns its turn.

        An unconfirmed turn is transcribed at once but answered only after :meth:`confirm`:
        transcription runs during the endpointing hang-over instead of after it.
        ``speech_end`` (monotonic) is when the user stopped talking, if known.

        Never raises on a full pipeline: the conductor thread calls this after TurnStarted
        went out, so the turn is cancelled instead (reason :data:`BUSY`, logged) and comes
        back with ``cancelled`` set for the caller to forget.
        """
        turn = Turn(confirmed)
        with self._lock:
            self._current = turn
        self._emit(TurnStarted(turn.turn_id))
        if confirmed and speech_end is not None:
            self._emit(QuestionEnded(turn.turn_id, at=speech_end))
        try:
            self._inboxes["utterances"].put(Utterance(turn, samples), timeout=SUBMIT_WAIT_S)
        except queue.Full:
            get_logger("pipeline").warning("turn-refused", turn_id=turn.turn_id, reason=BUSY,
                                           waited_s=SUBMIT_WAIT_S)
            self.cancel(BUSY, turn=turn)
        return turn

    def confirm(self, turn: Turn, speech_end: float | None = None) -> None:
        """The tentative end of ``turn``'s question was the real end: answer it."""
        if speech_end is not None:
            self._emit(QuestionEnded(turn.turn_id, at=speech_end))
        turn.confirmed.set()

    def cancel(self, reason: str, heard: str | None = None,
               turn: Turn | None = None) -> Turn | None:
        """Stop an answer now and drop everything queued for it.

        ``turn`` defaults to the newest one; the conductor names the turn being played, which
        may have finished generating long before its audio finished playing. ``heard`` is what
        the user heard of the answer before interrupting it; the history keeps that rather
        than everything the model wrote.
        """
        with self._lock:
            if turn is None or turn is self._current:
                turn, self._current = self._current, None
        if turn is None or turn.cancelled:
            return None
        turn.cancel.set()
        if heard is not None:
            self.history.interrupt(turn.turn_id, heard)
        for inbox in self._inboxes.values():
            drain(inbox, turn)
        self._on_event(TurnCancelled(turn.turn_id, reason=reason))
        return turn

    def stop(self, timeout: float = 5.0) -> bool:
        """Cancel the current turn, stop every worker, join them within ``timeout`` (one for
        all: a worker finishing a synthesis may use the others' share); False if one hung."""
        deadline = time.monotonic() + timeout
        self.cancel("shutdown")
        self._stopping.set()
        joined = all([worker.stop(max(0.0, deadline - time.monotonic()))
                      for worker in self.workers])
        if self.ringer is not None and self.ringer.is_alive():
            self.ringer.join(max(0.0, deadline - time.monotonic()))
            joined = joined and not self.ringer.is_alive()
        return joined
