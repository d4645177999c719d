"""Text-to-speech with Piper: one sentence at a time, in the voice of the answer's language.

The pipeline hands over one sentence at a time, so the first sentence can play while the LLM is
still writing the second, and a barge-in never waits for more than one sentence of synthesis.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from voicebox.audio.resample import resample
from voicebox.config.schema import TtsConfig
from voicebox.errors import TtsError

STEADY_PACE = 1.1
"""A little slower than Piper's 1.0, like a person talking to a machine: at 1.0 the steady
voice's "France" came out as "friends"."""


@dataclass(frozen=True)
class Speech:
    """Synthesised audio: mono float32 samples at ``sample_rate``."""

    samples: np.ndarray
    sample_rate: int


class TextToSpeech:
    """The loaded voices, by language code."""

    def __init__(self, voices: dict[str, Any], config: TtsConfig) -> None:
        if not voices:
            raise TtsError("no voice loaded", hint="add a tts model to the models.lock profile")
        self._voices = voices
        self._config = config

    def steady(self, length_scale: float = STEADY_PACE) -> TextToSpeech:
        """The same voices without Piper's sampling variation, at ``length_scale``: the same
        text gives the same audio every time. For a question spoken on the user's behalf
        (``voicebox turn --ask``, tests, benchmarks): with the variation, whisper base heard
        "What is the capital of France?" as "...capital of friends?" now and then."""
        return TextToSpeech(self._voices, replace(self._config, noise_scale=0.0,
                                                  noise_w_scale=0.0, length_scale=length_scale))

    @staticmethod
    def load_failures() -> tuple[type[Exception], ...]:
        """What onnxruntime raises for a session it could not create (e.g. a failed
        allocation): worth another try. Its classes derive from Exception only; imported
        here, as in :meth:`load_voice`, so that only loading a voice imports onnxruntime."""
        from onnxruntime.capi.onnxruntime_pybind11_state import Fail, RuntimeException

        return (Fail, RuntimeException)

    @staticmethod
    def load_voice(path: Path, threads: int) -> Any:
        """Load a Piper voice (.onnx with its .onnx.json beside it) on ``threads`` cores.

        Built here rather than with ``PiperVoice.load`` because that one gives onnxruntime
        every core, which then fights the LLM generating the next sentence at the same time.
        """
        import onnxruntime
        from piper import PiperVoice
        from piper.config import PiperConfig

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        config = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))
        session = onnxruntime.InferenceSession(str(path), sess_options=options,
                                               providers=["CPUExecutionProvider"])
        return PiperVoice(session=session, config=PiperConfig.from_dict(config))

    @property
    def voices(self) -> dict[str, Any]:
        """The loaded voices by language (to build a differently configured speaker)."""
        return dict(self._voices)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the box can answer in."""
        return tuple(sorted(self._voices))

    def sample_rate(self, language: str) -> int:
        """The rate :meth:`synthesize` returns for ``language``."""
        return self._config.output_rate or self._voice(language).config.sample_rate

    def synthesize(self, text: str, language: str) -> Speech:
        """Speak ``text`` with the voice for ``language``, resampled to the output rate."""
        from piper import SynthesisConfig

        voice = self._voice(language)
        settings = SynthesisConfig(length_scale=self._config.length_scale,
                                   noise_scale=self._config.noise_scale,
                                   noise_w_scale=self._config.noise_w_scale)
        try:
            parts = [chunk.audio_float_array for chunk in voice.synthesize(text, settings)]
        except (RuntimeError, ValueError) as exc:
            raise TtsError(f"could not synthesise {text[:40]!r}: {exc}",
                           hint="this sentence was skipped") from exc
        samples = np.concatenate(parts) if parts else np.zeros(0, np.float32)
        rate = voice.config.sample_rate
        target = self.sample_rate(language)
        if target != rate:
            samples = resample(samples, rate, target)
        return Speech(samples.astype(np.float32, copy=False), target)

    def _voice(self, language: str) -> Any:
        try:
            return self._voices[language]
        except KeyError:
            raise TtsError(f"no voice for language {language!r} "
                           f"(voices: {', '.join(self.languages)})",
                           hint="add a voice for it to models.lock, or remove it from "
                                "stt.languages") from None
