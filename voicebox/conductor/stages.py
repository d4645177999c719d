"""The four stages of a turn: STT -> LLM -> sentence splitter -> TTS.

Each runs in its own worker thread and talks to the next through a bounded queue, so the LLM
keeps generating while the first sentence is being played (it pauses while a sentence is
synthesised: see cpu.py). Each stage reports its part of the timeline as typed events, checks
the turn's cancel flag before each item, and knows how to end a turn after an error: with a
spoken apology where a voice can still speak it. A question a local skill knows (the time,
a timer, a sum) is answered on the STT worker and skips the LLM (see skill_stage.py). The
splitter and TTS stages, which turn text into voice, are in voice_stages.py.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from voicebox.audio.vad import voiced_seconds
from voicebox.conductor.cpu import SynthesisFirst
from voicebox.conductor.mailbox import Mailbox
from voicebox.conductor.skill_stage import SkillStage
from voicebox.conductor.slot import EngineSlot
from voicebox.conductor.worker import POLL_S, offer
from voicebox.config.schema import LlmConfig
from voicebox.errors import LlmError, SttError, VoiceboxError
from voicebox.events import (
    EventSink,
    FirstToken,
    HeardSoFar,
    LlmDone,
    SttDone,
    TurnFailed,
)
from voicebox.llm.chat import ChatModel
from voicebox.llm.history import Exchange, History
from voicebox.llm.prompt import build_messages
from voicebox.messages import (
    EndOfAnswer,
    TextPiece,
    Transcript,
    Turn,
    Utterance,
)
from voicebox.speech.language import answer_language
from voicebox.speech.stt import SpeechToText
from voicebox.speech.turn_shape import turn_shape

APOLOGIES = {
    "en": "Sorry, something went wrong. Please ask again.",
    "de": "Entschuldigung, da ist etwas schiefgegangen. Bitte frag noch einmal.",
    "fr": "Désolé, quelque chose s'est mal passé. Peux-tu répéter ?",
    "es": "Lo siento, algo salió mal. Por favor, pregunta otra vez.",
}
NOT_CAUGHT = {
    "en": "Sorry, I didn't catch that.",
    "de": "Entschuldigung, das habe ich nicht verstanden.",
    "fr": "Désolé, je n'ai pas compris.",
    "es": "Lo siento, no te he entendido.",
}
CAUGHT_MIN_S = 0.5
"""Voiced seconds above which an utterance without words gets NOT_CAUGHT rather than silence
(a person who is not answered hears nothing and does not know to ask again)."""


@dataclass(frozen=True)
class Wiring:
    """What every stage shares: the event sink, the stop flag and the queues between stages."""

    emit: EventSink
    stopping: threading.Event
    transcripts: queue.Queue
    pieces: queue.Queue
    sentences: queue.Queue
    audio_out: queue.Queue
    cpu: SynthesisFirst

    def apologize(self, turn: Turn, language: str, texts: dict[str, str] = APOLOGIES) -> None:
        """Say sorry through the splitter and TTS, then end the turn."""
        text = texts.get(language, texts["en"])
        offer(self.pieces, TextPiece(turn, text, language), turn, self.stopping)
        offer(self.pieces, EndOfAnswer(turn, language), turn, self.stopping)

    def failed(self, turn: Turn, stage: str, error: VoiceboxError) -> None:
        """Report a failed stage as an event."""
        self.emit(TurnFailed(turn.turn_id, stage=stage, code=error.code, message=error.message))


@dataclass(frozen=True)
class LlmSettings:
    """What the throttle changes in the LLM stage: answer length and CPU threads."""

    max_tokens: int
    threads: int
    prompt_threads: int


class SttStage:
    """Utterance -> Transcript (or the end of the turn when nothing was said)."""

    name = "stt"

    def __init__(self, wiring: Wiring, stt: SpeechToText, spoken: tuple[str, ...],
                 skills: SkillStage | None = None) -> None:
        self._wiring = wiring
        self.models: EngineSlot[SpeechToText] = EngineSlot(stt, SttError)
        """The model in use, and the one the watchdog's tier asks for next."""
        self._fallback = stt.fallback_language
        self._spoken = spoken
        self._skills = skills
        """Answers what a local skill knows; the rest goes on to the LLM."""

    @property
    def stt(self) -> SpeechToText | None:
        """The model in use (None while a smaller one is loaded in its place)."""
        return self.models.engine

    def idle(self) -> None:
        """Between utterances: take a new model, or free this one, on this thread."""
        self.models.apply()

    def handle(self, item: Utterance) -> None:
        """Transcribe; silence and noise end the turn without an answer."""
        turn = item.turn
        if turn.cancelled:
            return
        stt = self.models.ready(lambda: turn.cancelled or self._wiring.stopping.is_set())
        started = time.monotonic()
        result = stt.transcribe(item.samples)
        seconds = time.monotonic() - started
        choice = result.choice
        language = answer_language(choice.language, self._spoken, self._fallback)
        if not turn.confirmed.is_set():
            shape = turn_shape(result.text, choice.language or language)
            self._wiring.emit(HeardSoFar(turn.turn_id, text=result.text, shape=shape.value))
        if not self._wait_for_confirmation(turn):
            return
        self._wiring.emit(SttDone(turn.turn_id, text=result.text, language=language,
                                  detected_language=choice.detected,
                                  language_probability=choice.probability, seconds=seconds))
        if not result.text:
            self._no_words(item, language)
            return
        transcript = Transcript(turn, result.text, language, choice.detected,
                                choice.probability)
        if self._skills is not None:
            transcript = self._skills.answer(transcript)
        if transcript is not None:
            offer(self._wiring.transcripts, transcript, turn, self._wiring.stopping)

    def _no_words(self, item: Utterance, language: str) -> None:
        """Silence ends the turn quietly; a voice the recogniser got no words from is told."""
        if voiced_seconds(item.samples) >= CAUGHT_MIN_S:
            self._wiring.apologize(item.turn, language, NOT_CAUGHT)
        else:
            offer(self._wiring.pieces, EndOfAnswer(item.turn, language), item.turn,
                  self._wiring.stopping)

    def _wait_for_confirmation(self, turn: Turn) -> bool:
        """Hold a tentative turn's transcript until the pause proves to be the end."""
        while not turn.confirmed.wait(POLL_S):
            if turn.cancelled or self._wiring.stopping.is_set():
                return False
        return not turn.cancelled

    def fail(self, item: Utterance, error: VoiceboxError) -> None:
        """Apologise in the fallback language: the question's language is unknown."""
        self._wiring.failed(item.turn, self.name, error)
        self._wiring.apologize(item.turn, self._fallback)


class LlmStage:
    """Transcript -> a stream of TextPieces; records the exchange in the history."""

    name = "llm"

    def __init__(self, wiring: Wiring, chat: ChatModel, config: LlmConfig,
                 history: History, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        """``clock`` gives the local time the model is told with each question."""
        self._wiring = wiring
        self._clock = clock
        self.models: EngineSlot[ChatModel] = EngineSlot(chat, LlmError)
        """The model in use, and the one the watchdog's tier asks for next."""
        self._config = config
        self.history = history
        self.max_tokens = config.max_tokens
        self._settings: Mailbox[LlmSettings] = Mailbox()

    @property
    def chat(self) -> ChatModel:
        """The model in use; on this stage's thread only, after :meth:`_switch` found one."""
        chat = self.models.engine
        if chat is None:
            raise LlmError("no language model loaded")
        return chat

    def request(self, settings: LlmSettings) -> None:
        """Use ``settings`` from the next turn on (any thread; this stage's applies them)."""
        self._settings.put(settings)

    def idle(self) -> None:
        """Between turns: take what the watchdog left, on this thread."""
        if self.models.apply() is not None:
            self._apply_settings()

    def _switch(self, turn: Turn) -> None:
        """Take what the watchdog left, on this thread (llama.cpp is not thread-safe), waiting
        for a model being loaded when the last one was freed first."""
        self.models.ready(lambda: turn.cancelled or self._wiring.stopping.is_set())
        self._apply_settings()

    def _apply_settings(self) -> None:
        """Answer length and threads, on this thread and with a model to set them on."""
        settings = self._settings.take()
        if settings is not None:
            self.max_tokens = settings.max_tokens
            self.chat.set_threads(settings.threads, settings.prompt_threads)

    def handle(self, item: Transcript) -> None:
        """Generate the answer piece by piece; stop at the next token when cancelled."""
        turn = item.turn
        if turn.cancelled:
            return
        self._switch(turn)
        messages = self.prompt(item.prompt or item.text, item.language)
        read_before = self.chat.prompt_tokens_read
        pieces: list[str] = []
        for piece in self.chat.stream(messages, turn.cancel, self.max_tokens):
            if turn.enough.is_set():  # the splitter has all the answer that will be said
                break
            if not pieces:
                self._wiring.emit(FirstToken(turn.turn_id))
            pieces.append(piece)
            offer(self._wiring.pieces, TextPiece(turn, piece, item.language), turn,
                  self._wiring.stopping)
            self._wiring.cpu.wait_turn(turn, self._wiring.stopping)
        answer = "".join(pieces).strip()
        self._wiring.emit(LlmDone(turn.turn_id, answer=answer, tokens=len(pieces),
                                  prompt_evaluated=self.chat.prompt_tokens_read - read_before))
        self.history.add(Exchange(item.text, answer, item.language, turn.cancelled,
                                  turn.turn_id), time.monotonic())
        offer(self._wiring.pieces, EndOfAnswer(turn, item.language), turn,
              self._wiring.stopping)
        self._prefill(turn, item.language)

    def _prefill(self, turn: Turn, language: str) -> None:
        """Read the conversation so far into the KV cache while the answer plays.

        The next question then costs only its own words: without this, every few turns the
        history's oldest half is dropped and the whole rest is read again at question time
        (~0.4 s before the first token on the dev machine). Skipped after a barge-in: the
        user is already asking the next question, and the history is still being corrected
        to what was heard. The local-time note is read too: a question within the same minute
        finds it cached, a later one re-reads only the note.
        """
        if self._wiring.cpu.wait_turn(turn, self._wiring.stopping):
            self.chat.prefill(self.prompt("", language)[:-1])

    def prompt(self, question: str, language: str) -> list[dict[str, str]]:
        """The prompt with as much recent history as fits beside the longest answer.

        Older exchanges are left out of this prompt, not deleted: a later, shorter question
        may use them again.
        """
        budget = self.chat.context_tokens - self.max_tokens
        history = self.history.exchanges(time.monotonic())
        for skip in range(len(history) + 1):
            messages = build_messages(self._config.system_prompt, history[skip:], question,
                                      language, now=self._clock())
            if self.chat.prompt_tokens(messages) <= budget:
                return messages
        raise LlmError("the question is too long for the model's context window",
                       hint="ask a shorter question, or raise llm.context_tokens")

    def fail(self, item: Transcript, error: VoiceboxError) -> None:
        """Apologise in the question's language; the history is left as it was."""
        self._wiring.failed(item.turn, self.name, error)
        self._wiring.apologize(item.turn, item.language)
