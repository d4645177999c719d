"""The audio the detector is fed: an hour or more of other speech, and the wake phrases.

Voices, as in the voicebench questions (``questions._voice`` speaks for both): the box's own
Piper voice, steady (no sampling noise) at three paces, and espeak-ng en-us, en-gb, de and fr
and three more English variants at other speeds (the German and French voices read the English
prose with their accents: other speakers of English in the room). 30 paragraphs in 10 voices
make ~1.3 h. For the wake phrases Piper also speaks with its natural variation, a
noise scale drawn from the seed, because a person never says "Hey Jarvis" the same way twice.

Synthesis is the slow part of a first run (an hour of speech took ~1.5 min on 2 cores here), so
every clip is cached as .npy in the temp directory (never the repo), keyed by what it says and
how, and the voice model's file name: a rerun only mixes and feeds. Piper's own sampling noise
is not seedable; the cache is what makes a rerun hear exactly the same audio.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.voicebench.measure import voiced_span
from benchmarks.voicebench.questions import Question, _voice
from benchmarks.wakebench.prose import PARAGRAPHS
from voicebox.audio.resample import resample
from voicebox.config.schema import TtsConfig
from voicebox.speech.tts import TextToSpeech

RATE = 16000
CACHE = Path(os.environ.get("VOICEBOX_WAKEBENCH_CACHE",
                            Path(tempfile.gettempdir()) / "voicebox-wakebench"))
PROSE_VOICES: tuple[tuple[str, float], ...] = (
    ("piper", 0.9), ("piper", 1.1), ("piper", 1.3),
    ("en-us", 160), ("en-gb", 170), ("de", 150), ("fr", 150),
    ("en-us+f3", 175), ("en+m7", 140), ("en-gb+m3", 190))
"""(voice, speed) pairs reading the prose: Piper's length scale, or espeak-ng's wpm."""
WAKE_TEXTS = ("Hey Jarvis.", "Hey Jarvis, what time is it?")
WAKE_PIPER_PACES = (0.8, 0.9, 1.0, 1.15, 1.3)
WAKE_PIPER_VARIATION = (0.3, 0.9)
"""Piper's noise scale for wake phrases is drawn from this range (0: steady)."""
WAKE_ESPEAK: tuple[str, ...] = ("en-us", "en-gb", "en-us+f3", "en-us+m3", "en+m7")
WAKE_ESPEAK_WPM = (120, 160, 200)
PAUSE_S = (0.3, 1.5)
"""Silence between two read paragraphs, drawn from this range."""


@dataclass(frozen=True)
class Voice:
    """Who speaks and how: Piper (``speed`` its length scale, ``variation`` its noise scale,
    0 for the steady voice) or an espeak-ng voice (``speed`` in words per minute)."""

    name: str
    speed: float
    variation: float = 0.0

    @property
    def label(self) -> str:
        """Short name for logs and tables."""
        if self.name != "piper":
            return f"espeak {self.name} {self.speed:g}wpm"
        return f"piper x{self.speed:g}" + (f" ~{self.variation:.2f}" if self.variation else "")


@dataclass(frozen=True)
class Clip:
    """One synthesised text: 16 kHz float32 samples and its voiced span (clean speech)."""

    text: str
    voice: Voice
    samples: np.ndarray
    voiced: tuple[int, int]


Speaker = Callable[[str, Voice], Clip]


def speaker(piper: TextToSpeech, model: str, cache: Path = CACHE) -> Speaker:
    """A function that speaks text in a voice, from the cache when it was spoken before
    (``model`` names Piper's voice file, part of the cache key)."""
    cache.mkdir(parents=True, exist_ok=True)

    def speak(text: str, voice: Voice) -> Clip:
        key = hashlib.sha256(repr((text, voice, model)).encode()).hexdigest()[:24]
        path = cache / f"{key}.npy"
        if path.exists():
            samples = np.load(path)
        else:
            samples = _synthesise(text, voice, piper)
            np.save(path.with_suffix(".tmp.npy"), samples)
            os.replace(path.with_suffix(".tmp.npy"), path)
        span = voiced_span(samples, RATE)
        if span is None:
            raise RuntimeError(f"{voice.label}: {text[:40]!r} came out silent")
        return Clip(text, voice, samples, span)
    return speak


def _synthesise(text: str, voice: Voice, piper: TextToSpeech) -> np.ndarray:
    """Steady voices through the voicebench questions' own synthesis; Piper with variation
    here (the questions speak only steadily)."""
    if voice.name != "piper" or not voice.variation:
        return _voice(Question(text, "en", voice=voice.name, speed=voice.speed), piper)
    varied = TtsConfig(noise_scale=voice.variation, noise_w_scale=voice.variation,
                       length_scale=voice.speed)
    speech = TextToSpeech(piper.voices, varied).synthesize(text, "en")
    return resample(speech.samples, speech.sample_rate, RATE).astype(np.float32)


def prose_order(seed: int) -> list[tuple[int, Voice]]:
    """Every (paragraph, voice) pair, shuffled by ``seed``: read in this order until the
    wanted hours are reached, so a shorter run reads a prefix of a longer one's audio."""
    pairs = [(index, Voice(name, speed)) for index in range(len(PARAGRAPHS))
             for name, speed in PROSE_VOICES]
    order = np.random.default_rng(seed).permutation(len(pairs))
    return [pairs[i] for i in order]


def prose(speak: Speaker, hours: float, seed: int) -> list[tuple[Clip, int]]:
    """Read paragraphs until ``hours`` of audio (pauses included): each clip with the
    silence in samples that follows it."""
    rng = np.random.default_rng(seed + 1)
    read, total = [], 0
    for index, voice in prose_order(seed):
        if total >= hours * 3600 * RATE:
            break
        clip = speak(PARAGRAPHS[index], voice)
        pause = round(rng.uniform(*PAUSE_S) * RATE)
        read.append((clip, pause))
        total += len(clip.samples) + pause
    if total < hours * 3600 * RATE:
        print(f"prose: all {len(read)} readings give {total / RATE / 3600:.2f} h, "
              f"less than the {hours:g} h asked for")
    return read


def wake_voices(seed: int) -> list[Voice]:
    """Piper at every pace with two seeded noise scales, espeak-ng voices at every speed."""
    rng = np.random.default_rng(seed + 2)
    piper = [Voice("piper", pace, round(float(rng.uniform(*WAKE_PIPER_VARIATION)), 3))
             for pace in WAKE_PIPER_PACES for _ in range(2)]
    espeak = [Voice(name, wpm) for name in WAKE_ESPEAK for wpm in WAKE_ESPEAK_WPM]
    return piper + espeak


def wake_phrases(speak: Speaker, seed: int, limit: int | None = None) -> list[Clip]:
    """Each wake text in each wake voice (2 x 25 = 50 clips), or the first ``limit``."""
    said = [(text, voice) for voice in wake_voices(seed) for text in WAKE_TEXTS]
    return [speak(text, voice) for text, voice in said[:limit]]
