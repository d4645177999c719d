"""Load and warm the three engines (STT, LLM, TTS) from verified model files.

Loading goes through :func:`load_with_retry`, told which error each engine's library raises for
a model it could not load: that error, I/O and memory errors are retried, nothing else. After a
failed load the model's files get a full sha256 check, so a corrupt file is reported as such at
once instead of being retried.
Warming runs each engine once, because the first inference allocates buffers and would
otherwise add hundreds of milliseconds to the first answer.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from voicebox.audio.rates import PROCESSING_RATE
from voicebox.conductor.pipeline import Engines
from voicebox.config import Config
from voicebox.llm.prompt import system_message
from voicebox.models.store import ModelStore, VerifiedModel
from voicebox.ops.retry import load_with_retry

if TYPE_CHECKING:
    from voicebox.llm.chat import ChatModel
    from voicebox.speech.stt import SpeechToText

T = TypeVar("T")
WARM_UP_TEXT = {"en": "Ready.", "de": "Bereit.", "fr": "Prêt.", "es": "Listo."}


def load_engines(config: Config, store: ModelStore, tier: str = "standard") -> Engines:
    """Load STT and LLM at ``tier`` and a voice per language the box answers in."""
    # onnxruntime (inside piper) otherwise starts a telemetry thread that looks up a
    # remote host ~9 s after a session starts; the box must never try the network.
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    from voicebox.speech.tts import TextToSpeech

    spoken = store.languages(config.stt.languages, config.stt.fallback_language).spoken
    stt, stt_name = load_stt(config, store, tier)
    chat, chat_name = load_chat(config, store, tier)
    voice_models = {language: store.model("tts", language=language) for language in spoken}
    voices = {language: _load(config, store, model,
                              lambda m=model: TextToSpeech.load_voice(m.file(".onnx"),
                                                                     config.tts.threads),
                              TextToSpeech.load_failures())
              for language, model in voice_models.items()}
    tts = TextToSpeech(voices, config.tts)
    names = {"stt": stt_name, "llm": chat_name,
             "tts": ", ".join(model.entry.name for model in voice_models.values())}
    return Engines(stt=stt, chat=chat, tts=tts, names=names)


def load_stt(config: Config, store: ModelStore, tier: str) -> tuple[SpeechToText, str]:
    """The whisper model of ``tier`` (or the nearest tier the profile has), and its name."""
    from voicebox.speech.stt import SpeechToText

    heard = store.languages(config.stt.languages, config.stt.fallback_language).heard
    model = store.model("stt", tier)
    return _load(config, store, model, lambda: SpeechToText.load(
        model.directory, config.stt, heard), SpeechToText.LOAD_FAILURES), model.entry.name


def load_chat(config: Config, store: ModelStore, tier: str) -> tuple[ChatModel, str]:
    """The chat model of ``tier`` (or the nearest tier the profile has), and its name."""
    from voicebox.llm.chat import ChatModel

    model = store.model("llm", tier)
    return _load(config, store, model, lambda: ChatModel.load(
        model.file(".gguf"), config.llm), ChatModel.LOAD_FAILURES), model.entry.name


def _load(config: Config, store: ModelStore, model: VerifiedModel, load: Callable[[], T],
          passing: tuple[type[Exception], ...]) -> T:
    return load_with_retry(model.entry.name, load, attempts=config.models.load_attempts,
                           backoff_s=config.models.load_backoff_s, passing=passing,
                           diagnose=lambda: store.verify(model.entry, deep=True))


def warm_engines(engines: Engines, config: Config) -> None:
    """Run each engine once so the first real turn is as fast as the rest."""
    engines.stt.transcribe(np.zeros(PROCESSING_RATE, np.float32))
    engines.chat.prefill([system_message(config.llm.system_prompt,
                                         engines.stt.fallback_language)])
    for language in engines.tts.languages:
        engines.tts.synthesize(WARM_UP_TEXT.get(language, "OK."), language)
