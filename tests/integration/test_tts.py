"""Piper text-to-speech with the real dev voice: one sentence in, audio at the right rate out."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from voicebox.conductor.pipeline import Engines
from voicebox.config import Config
from voicebox.errors import TtsError
from voicebox.speech.tts import TextToSpeech


def test_a_sentence_becomes_audio_at_the_voice_rate(engines: Engines) -> None:
    speech = engines.tts.synthesize("The capital of France is Paris.", "en")
    assert speech.sample_rate == 22050 == engines.tts.sample_rate("en")
    assert speech.samples.dtype == np.float32
    seconds = len(speech.samples) / speech.sample_rate
    assert 1.0 < seconds < 4.0
    assert 0.05 < float(np.sqrt(np.mean(speech.samples ** 2))) < 0.5


def test_output_is_resampled_to_the_playback_rate(engines: Engines, config: Config) -> None:
    native = engines.tts.synthesize("Hello there.", "en")
    at_48k = TextToSpeech(engines.tts.voices, dataclasses.replace(config.tts, output_rate=48000))
    speech = at_48k.synthesize("Hello there.", "en")
    assert speech.sample_rate == 48000
    # Piper varies its timing a little per synthesis; the length scales with the rate.
    ratio = len(speech.samples) / len(native.samples)
    assert 48000 / 22050 * 0.8 < ratio < 48000 / 22050 * 1.2


def test_slower_pace_makes_longer_audio(engines: Engines, config: Config) -> None:
    slow = TextToSpeech(engines.tts.voices, dataclasses.replace(config.tts, length_scale=1.5))
    text = "Turn off the lights in the kitchen."
    assert len(slow.synthesize(text, "en").samples) > 1.2 * len(
        engines.tts.synthesize(text, "en").samples)


def test_a_language_without_a_voice_is_a_clear_error(engines: Engines) -> None:
    with pytest.raises(TtsError, match=r"no voice for language 'de' \(voices: en\)"):
        engines.tts.synthesize("Hallo.", "de")
    assert engines.tts.languages == ("en",)


def test_no_voices_is_refused(config: Config) -> None:
    with pytest.raises(TtsError, match="no voice loaded"):
        TextToSpeech({}, config.tts)
