"""Shared fixtures: the real dev models, loaded once per test session, and test speech.

Questions are spoken by the box's own Piper voice (what a person would hear) or by espeak-ng
(a second, robotic voice that also speaks German), then resampled to 16 kHz like capture does.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
import wave
from collections.abc import Iterator

import numpy as np
import pytest
from gpiozero import Device
from gpiozero.pins.mock import MockFactory

from voicebox.audio.resample import resample
from voicebox.conductor.pipeline import Engines, Pipeline
from voicebox.conductor.timeline import Timeline
from voicebox.config import Config, load_config
from voicebox.engines import load_engines, warm_engines
from voicebox.models.store import ModelStore
from voicebox.ops.logging import configure_logging

STT_RATE = 16000

# Timers set or restored by tests (pipelines, the daemon, `voicebox` subprocesses) live in a
# scratch state directory, never in the user's or the box's timers file.
os.environ.setdefault("VOICEBOX_STATE_DIR", tempfile.mkdtemp(prefix="voicebox-test-state-"))


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config()


@pytest.fixture(scope="session")
def store(config: Config) -> ModelStore:
    return ModelStore.from_config(config.models)


@pytest.fixture(scope="session")
def engines(config: Config, store: ModelStore) -> Engines:
    loaded = load_engines(config, store)
    warm_engines(loaded, config)
    return loaded


@pytest.fixture(scope="session")
def speak(engines: Engines):
    """Text -> 16 kHz float32 speech in the box's own (English) voice, the same every time.

    Piper varies each synthesis a little (noise_scale, noise_w_scale); questions for tests
    are made without that variation so that a test hears the same audio on every run, and a
    little slower (length_scale 1.1), like a person talking to a machine: at 1.0 the steady
    voice's "France" came out as "friends".
    """
    steady = engines.tts.steady()

    def spoken(text: str) -> np.ndarray:
        speech = steady.synthesize(text, "en")
        return resample(speech.samples, speech.sample_rate, STT_RATE)
    return spoken


def espeak(text: str, voice: str, words_per_minute: int = 160) -> np.ndarray:
    """Text -> 16 kHz float32 speech from espeak-ng (any language it knows)."""
    raw = subprocess.run(["espeak-ng", "-v", voice, "-s", str(words_per_minute), "--stdout",
                          text], capture_output=True, check=True).stdout
    with wave.open(io.BytesIO(raw)) as reader:
        rate = reader.getframerate()
        pcm = np.frombuffer(reader.readframes(reader.getnframes()), "<i2")
    return resample(pcm.astype(np.float32) / 32768, rate, STT_RATE)


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """Every log record as JSON lines, debug level up; back to quiet afterwards."""
    stream = io.StringIO()
    configure_logging("debug", "json", stream)
    yield stream
    configure_logging("info", "json", io.StringIO())


@pytest.fixture
def timeline() -> Timeline:
    return Timeline()


@pytest.fixture
def pipeline(engines: Engines, config: Config, timeline: Timeline) -> Iterator[Pipeline]:
    running = Pipeline(engines, config, timeline)
    running.start()
    yield running
    assert running.stop(), "a pipeline worker did not stop"


@pytest.fixture
def mock_pins() -> Iterator[MockFactory]:
    """gpiozero's MockFactory as the pin factory: real Button and LED objects, mock pins."""
    factory = MockFactory()
    previous, Device.pin_factory = Device.pin_factory, factory
    yield factory
    factory.reset()
    Device.pin_factory = previous
