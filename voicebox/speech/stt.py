"""Speech-to-text with faster-whisper, with language detection at no extra encoder cost.

faster-whisper's own ``transcribe(language=None)`` encodes the audio once to detect the language
and again to transcribe it: on this machine 1.1 s instead of 0.65 s for a 2 s question. Here the
audio is encoded once; the language probabilities come from that encoder output (one decoder
step, ~35 ms) and the same output is handed to the decoder.

Whisper pads every input to a 30 s window, and encoding 30 s costs ~0.52 s here whatever the
question's length. CTranslate2 accepts a shorter window: 10 s costs ~0.13 s and gave the same
transcripts on our test questions. A window only 1-2 s longer than the speech made the decoder
repeat itself ("set a timer... Set a timer..."), so the window is at least ``stt.window_s`` and
at least the audio plus ``MIN_TAIL_S`` of silence.

Silence, noise and coughs must give no transcript: whisper is known to "hear" phrases such as
"Thank you." in noise. A segment is dropped when either signal says it is unsure: a high
no-speech probability or a low average log-probability (stricter than whisper's own rule, which
needs both), when it repeats itself (compression ratio), or when it holds no word.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from voicebox.audio.rates import PROCESSING_RATE
from voicebox.config.schema import SttConfig
from voicebox.errors import SttError
from voicebox.speech.language import LanguageChoice, choose_language

MIN_SAMPLES = PROCESSING_RATE // 10
MAX_COMPRESSION_RATIO = 2.4
FRAMES_PER_S = 100
MIN_TAIL_S = 5
TOKENS_PER_S = 8
MIN_TOKENS = 10
WORD = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class SttResult:
    """A transcription; ``text`` is empty when no speech was found."""

    text: str
    choice: LanguageChoice


class SpeechToText:
    """A loaded whisper model and the languages it may choose."""

    LOAD_FAILURES: tuple[type[Exception], ...] = (RuntimeError,)
    """What CTranslate2 raises for a model it could not load (e.g. a failed allocation or
    read): worth another try, unlike a TypeError from a changed API."""

    def __init__(self, model: Any, config: SttConfig, allowed: tuple[str, ...]) -> None:
        self._model = model
        self._config = config
        self.allowed = allowed
        self._options = self._options_template()
        self._tokenizers: dict[str, Any] = {}

    @classmethod
    def load(cls, directory: Path, config: SttConfig,
             allowed: tuple[str, ...]) -> SpeechToText:
        """Load a CTranslate2 whisper model from ``directory`` (int8 on the CPU)."""
        from faster_whisper import WhisperModel

        model = WhisperModel(str(directory), device="cpu", compute_type="int8",
                             cpu_threads=config.threads, local_files_only=True)
        return cls(model, config, allowed)

    def close(self) -> None:
        """Free the model's weights now: the throttle replaces it while the process runs on,
        and CTranslate2 would keep them until the last reference went away."""
        self._model.model.unload_model()

    @property
    def fallback_language(self) -> str:
        """The language used when detection is unsure (and for apologies before it ran)."""
        return self._config.fallback_language

    @property
    def multilingual(self) -> bool:
        """False for English-only models such as tiny.en."""
        return bool(self._model.model.is_multilingual)

    def _options_template(self) -> Any:
        """Decoding options, taken from a transcribe() call that is never iterated.

        transcribe() is lazy: it builds the options and returns before encoding anything,
        which keeps this in step with faster-whisper's own defaults.
        """
        _, info = self._model.transcribe(
            np.zeros(MIN_SAMPLES, np.float32), language=self._config.fallback_language,
            beam_size=self._config.beam_size, temperature=0.0, without_timestamps=True,
            condition_on_previous_text=False, vad_filter=False,
            no_speech_threshold=self._config.no_speech_threshold,
            log_prob_threshold=self._config.logprob_threshold,
            compression_ratio_threshold=MAX_COMPRESSION_RATIO)
        return info.transcription_options

    def transcribe(self, samples: np.ndarray) -> SttResult:
        """Transcribe 16 kHz mono float32 ``samples``."""
        _validate(samples)
        if len(samples) < MIN_SAMPLES:
            fallback = self._config.fallback_language
            return SttResult("", LanguageChoice(fallback, fallback, 0.0, confident=False))
        features = self._model.feature_extractor(samples)
        encoded = self._model.encode(self._window(features))
        choice = self._choose_language(encoded)
        options = dataclasses.replace(self._options, max_new_tokens=_token_budget(samples))
        segments = self._model.generate_segments(
            features, self._tokenizer(choice.language), options, False, encoded)
        text = " ".join(s.text.strip() for s in segments if self._is_speech(s))
        return SttResult(text.strip(), choice)

    def _window(self, features: np.ndarray) -> np.ndarray:
        """The first window's features, padded with silence to the encoder window length."""
        from faster_whisper.audio import pad_or_trim

        speech = features.shape[-1] - 1
        wanted = max(self._config.window_s * FRAMES_PER_S, speech + MIN_TAIL_S * FRAMES_PER_S)
        length = min(int(wanted), self._model.feature_extractor.nb_max_frames)
        return pad_or_trim(features[:, :length], length)

    def _choose_language(self, encoded: Any) -> LanguageChoice:
        if not self.multilingual:
            return LanguageChoice("en", "en", 1.0, confident=True)
        ranked = self._model.model.detect_language(encoded)[0]
        probabilities = {token[2:-2]: probability for token, probability in ranked}
        return choose_language(probabilities, self.allowed, self._config.language_threshold,
                               self._config.fallback_language)

    def _tokenizer(self, language: str) -> Any:
        if language not in self._tokenizers:
            from faster_whisper.tokenizer import Tokenizer

            self._tokenizers[language] = Tokenizer(
                self._model.hf_tokenizer, self.multilingual, task="transcribe",
                language=language if self.multilingual else None)
        return self._tokenizers[language]

    def _is_speech(self, segment: Any) -> bool:
        unsure = (segment.no_speech_prob > self._config.no_speech_threshold
                  or segment.avg_logprob < self._config.logprob_threshold)
        repetitive = segment.compression_ratio > MAX_COMPRESSION_RATIO
        return not unsure and not repetitive and bool(WORD.search(segment.text))


def _token_budget(samples: np.ndarray) -> int:
    """Most tokens a person can say in this much audio; stops hallucination loops early.

    Fast speech is ~4 words (~6 tokens) a second; noise such as clicks otherwise made the
    decoder run on for seconds before the repetition check threw the text away.
    """
    return int(len(samples) / PROCESSING_RATE * TOKENS_PER_S) + MIN_TOKENS


def _validate(samples: np.ndarray) -> None:
    """Reject audio the model would silently misread."""
    if not isinstance(samples, np.ndarray) or samples.ndim != 1:
        shape = getattr(samples, "shape", type(samples).__name__)
        raise SttError(f"audio must be a 1-D array of 16 kHz mono samples, got {shape}",
                       hint="mix down to mono and resample to 16 kHz before transcribing")
    if samples.dtype != np.float32:
        raise SttError(f"audio must be float32 in [-1, 1], got {samples.dtype}",
                       hint="convert int16 PCM with samples / 32768")
    if not np.isfinite(samples).all():
        raise SttError("audio contains NaN or infinite samples",
                       hint="the capture or resampling step produced invalid audio")
