"""The sequential baseline: what the box would do without streaming, on the same models.

Record the whole question, transcribe it, generate the whole answer, synthesise all of it,
and only then play. It keeps a conversation history like the daemon (same length, same
prompt), so both see the same kind of prompt. Running one stage at a time, each stage gets
every core (the daemon splits them between generation and synthesis, which overlap): the
baseline is the best a sequential box could do here, not a straw man.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass

import numpy as np

from voicebox.conductor.pipeline import Engines
from voicebox.config import Config
from voicebox.engines import load_engines, warm_engines
from voicebox.llm.history import Exchange, History
from voicebox.llm.prompt import build_messages
from voicebox.models.store import ModelStore
from voicebox.speech.language import answer_language


@dataclass(frozen=True, eq=False)
class BaselineAnswer:
    """One sequential turn's outputs and the seconds each stage took."""

    transcript: str
    language: str
    answer: str
    samples: np.ndarray
    rate: int
    stt_s: float
    llm_first_token_s: float | None
    llm_s: float
    tts_s: float


def sequential_config(config: Config) -> Config:
    """The same config, with every core for each stage (they never overlap here)."""
    cores = config.llm.prompt_threads
    return dataclasses.replace(
        config, llm=dataclasses.replace(config.llm, threads=cores),
        tts=dataclasses.replace(config.tts, threads=max(config.tts.threads, cores)))


class SequentialBaseline:
    """Loaded engines and a history; :meth:`answer` runs one whole turn, stage after stage."""

    def __init__(self, config: Config) -> None:
        self.config = sequential_config(config)
        self.engines: Engines = load_engines(self.config, ModelStore.from_config(config.models))
        warm_engines(self.engines, self.config)
        self.history = History(config.llm.history_turns, config.llm.history_idle_s)

    def answer(self, samples: np.ndarray, remember: bool = True) -> BaselineAnswer:
        """Transcribe ``samples`` (16 kHz), answer, synthesise; nothing overlaps."""
        started = time.monotonic()
        heard = self.engines.stt.transcribe(samples)
        stt_done = time.monotonic()
        language = answer_language(heard.choice.language, self.engines.tts.languages,
                                   self.engines.stt.fallback_language)
        messages = build_messages(self.config.llm.system_prompt,
                                  self.history.exchanges(stt_done), heard.text, language)
        pieces: list[str] = []
        first_token: float | None = None
        if heard.text:
            for piece in self.engines.chat.stream(messages, threading.Event(),
                                                  self.config.llm.max_tokens):
                first_token = first_token or time.monotonic()
                pieces.append(piece)
        llm_done = time.monotonic()
        answer = "".join(pieces).strip()
        speech = self.engines.tts.synthesize(answer, language) if answer else None
        tts_done = time.monotonic()
        if remember and answer:
            self.history.add(Exchange(heard.text, answer, language), tts_done)
        return BaselineAnswer(
            transcript=heard.text, language=language, answer=answer,
            samples=speech.samples if speech else np.zeros(0, np.float32),
            rate=speech.sample_rate if speech else 16000,
            stt_s=stt_done - started,
            llm_first_token_s=None if first_token is None else first_token - stt_done,
            llm_s=llm_done - stt_done, tts_s=tts_done - llm_done)
