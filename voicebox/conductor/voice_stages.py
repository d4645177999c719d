"""The stages that turn an answer's text into voice: the sentence splitter and TTS.

They follow the STT and LLM stages (stages.py) in worker threads of their own: the splitter
hands TTS one sentence at a time (cut at a voice length), so the first sentence is spoken
while the LLM writes the rest, and a barge-in never waits for more than one sentence.
"""

from __future__ import annotations

from voicebox.conductor.stages import Wiring
from voicebox.conductor.worker import offer
from voicebox.errors import VoiceboxError
from voicebox.events import AnswerCut, FirstAudio, FirstSentence, TurnDone
from voicebox.messages import AudioChunk, EndOfAnswer, Sentence, TextPiece, Turn
from voicebox.speech.length import AnswerLength
from voicebox.speech.markup import read_aloud
from voicebox.speech.sentences import SentenceSplitter
from voicebox.speech.tts import TextToSpeech


class SplitterStage:
    """TextPieces -> Sentences, each sent as soon as it is complete, up to the answer's
    spoken length (see :class:`~voicebox.speech.length.AnswerLength`)."""

    name = "splitter"

    def __init__(self, wiring: Wiring, max_sentences: int, max_words: int) -> None:
        self._wiring = wiring
        self._splitter = SentenceSplitter()
        self._limits = (max_sentences, max_words)
        self._length: AnswerLength | None = None
        self._turn_id = 0
        self._count = 0
        self._cut = False

    def handle(self, item: TextPiece | EndOfAnswer) -> None:
        """Feed a piece (or flush at the end) and pass complete sentences on."""
        turn = item.turn
        if turn.turn_id != self._turn_id:
            self._splitter.reset()
            self._turn_id, self._count, self._cut = turn.turn_id, 0, False
            limited = isinstance(item, EndOfAnswer) or item.limited
            self._length = AnswerLength(*self._limits) if limited else None
        if turn.cancelled:
            return
        ended = isinstance(item, EndOfAnswer)
        texts = self._splitter.flush() if ended else self._splitter.feed(item.text)
        for text in texts:
            self._say(turn, text, item.language)
        if ended:
            offer(self._wiring.sentences, item, turn, self._wiring.stopping)

    def _say(self, turn: Turn, text: str, language: str) -> None:
        """Pass one sentence on, unless the answer is already long enough."""
        length = self._length
        if length is not None and not length.take(text):
            self._enough(turn, length)
            return
        text = read_aloud(text, language)
        if self._count == 0:
            self._wiring.emit(FirstSentence(turn.turn_id, text=text))
        offer(self._wiring.sentences, Sentence(turn, text, language, self._count), turn,
              self._wiring.stopping)
        self._count += 1
        if length is not None and length.full:
            self._enough(turn, length)

    def _enough(self, turn: Turn, length: AnswerLength) -> None:
        """The answer is as long as it may be: the LLM stops at its next token."""
        if self._cut:
            return
        self._cut = True
        turn.enough.set()
        self._wiring.emit(AnswerCut(turn.turn_id, kept=" ".join(length.kept),
                                    sentences=len(length.kept), words=length.words))

    def fail(self, item: TextPiece | EndOfAnswer, error: VoiceboxError) -> None:
        """End the turn: nothing more can be split for it."""
        self._wiring.failed(item.turn, self.name, error)
        offer(self._wiring.sentences, EndOfAnswer(item.turn, item.language), item.turn,
              self._wiring.stopping)


class TtsStage:
    """Sentences -> AudioChunks for the player; the end of the answer ends the turn."""

    name = "tts"

    def __init__(self, wiring: Wiring, tts: TextToSpeech) -> None:
        self._wiring = wiring
        self.tts = tts
        self._turn_id = 0
        self._spoken: list[str] = []

    def handle(self, item: Sentence | EndOfAnswer) -> None:
        """Synthesise one sentence, or close the turn."""
        turn = item.turn
        if turn.turn_id != self._turn_id:
            self._turn_id, self._spoken = turn.turn_id, []
        if turn.cancelled:
            return
        if isinstance(item, EndOfAnswer):
            self._wiring.emit(TurnDone(turn.turn_id, answer=" ".join(self._spoken),
                                       spoken_sentences=len(self._spoken)))
            offer(self._wiring.audio_out, item, turn, self._wiring.stopping)
            return
        with self._wiring.cpu.synthesis():
            speech = self.tts.synthesize(item.text, item.language)
        if not self._spoken:
            self._wiring.emit(FirstAudio(turn.turn_id))
        self._spoken.append(item.text)
        offer(self._wiring.audio_out, AudioChunk(turn, speech.samples, speech.sample_rate,
                                                 item.text), turn, self._wiring.stopping)

    def fail(self, item: Sentence | EndOfAnswer, error: VoiceboxError) -> None:
        """Skip the sentence that could not be spoken; the rest of the answer goes on."""
        self._wiring.failed(item.turn, self.name, error)
        if isinstance(item, EndOfAnswer):
            offer(self._wiring.audio_out, item, item.turn, self._wiring.stopping)
