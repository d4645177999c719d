"""The spoken questions: several voices and speeds, some in noise, English and two others.

Voices: the box's own Piper voice made steady (no sampling noise, so every run hears the same
audio) at two speeds, and espeak-ng, a second and very different voice that also speaks German
and French. The English questions were chosen to transcribe reliably with the dev Whisper at
these settings. espeak-ng's German and French are hard for Whisper base (most sentences tried
came out as other languages); these two are detected correctly. They measure latency and
language handling, not WER: the dev profile has only an English voice, so detection may only
choose English there and the answer is English.

Noise is mixed in at a given signal-to-noise ratio over the voiced part and goes on after the
voice ends, through the hang-over, so the endpointer has to find the end in it. The end of
the voice is measured on the clean speech, never on the mix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from benchmarks.voicebench.measure import frame_levels, voiced_span
from voicebox.audio.resample import resample
from voicebox.speech.tts import TextToSpeech

RATE = 16000
NOISE_LEAD_S = 0.5
NOISE_TAIL_S = 2.0


@dataclass(frozen=True)
class Question:
    """What is asked, in which language, by which voice, at which speed, in which noise."""

    text: str
    language: str
    voice: str = "piper"
    """"piper" (the box's own voice) or an espeak-ng voice name such as "en-us" or "de"."""
    speed: float = 1.1
    """Piper's length_scale (larger is slower) or espeak-ng's words per minute."""
    noise: str = ""
    """"" (none), "white", or "fan" (pink noise, like a fan or a fridge)."""
    snr_db: float = 15.0
    pause_s: float = 0.0
    """Silence between the parts of ``text`` split at "|" (a speaker pausing mid-sentence)."""

    @property
    def label(self) -> str:
        """Short name for tables and the chart."""
        speed = f"x{self.speed:g}" if self.voice == "piper" else f"{self.speed:g}wpm"
        noise = f" {self.noise} {self.snr_db:g}dB" if self.noise else ""
        pause = f" pause {self.pause_s * 1000:g}ms" if self.pause_s else ""
        return f"{self.language} {self.voice} {speed}{noise}{pause}"


@dataclass(frozen=True, eq=False)
class Spoken:
    """A question as audio: what is played into the mic, and where its voice is in it."""

    question: Question
    samples: np.ndarray
    """16 kHz float32, noise included."""
    voiced: tuple[int, int]
    """(first, one past the last) voiced sample of ``samples``, from the clean speech."""


QUESTIONS = (
    Question("What is the capital of Italy?", "en"),
    Question("How many legs does a spider have?", "en"),
    Question("Why is the sky blue?", "en", speed=0.9),
    Question("How do airplanes stay in the air?", "en", voice="en-us", speed=160),
    Question("What should I cook for dinner tonight?", "en", voice="en-gb", speed=190),
    Question("Tell me about the history of Rome.", "en", noise="fan", snr_db=10),
    Question("What is the tallest mountain in the world?", "en", voice="en-us", speed=150,
             noise="white", snr_db=20),
    Question("Kannst du mir bitte sagen, wie das Wetter morgen in München wird?", "de",
             voice="de", speed=150),
    Question("Bonjour, est-ce que tu peux me raconter une histoire ?", "fr", voice="fr",
             speed=150),
)
QUICK = (QUESTIONS[0], QUESTIONS[3], QUESTIONS[5], QUESTIONS[7])

PAUSED = (
    Question("Tell me about the history of | the city of Rome.", "en", pause_s=0.6),
    Question("Tell me a story about | a brave knight.", "en", pause_s=0.6),
    Question("What is the capital of | Spain?", "en", voice="en-us", speed=160, pause_s=0.6),
)
"""Questions with a 600 ms pause mid-sentence: the end of turn must not cut them in two."""

STORY = Question("Tell me a long story about a dragon and a knight.", "en")
"""Asked before each barge-in: an answer long enough to be talked over."""
INTERRUPTION = Question("Stop. What is the capital of Spain?", "en", voice="en-us", speed=170)


def speak(question: Question, piper: TextToSpeech, seed: int = 0) -> Spoken:
    """Synthesise ``question`` at 16 kHz and mix in its noise (seeded: the same every run).

    ``piper`` holds the box's voices; they speak the question without sampling noise, so
    every run hears the same audio.
    """
    clean = _voice(question, piper)
    span = voiced_span(clean, RATE)
    if span is None:
        raise RuntimeError(f"{question.label}: the synthesised question is silent")
    if not question.noise:
        return Spoken(question, clean, span)
    lead, tail = round(NOISE_LEAD_S * RATE), round(NOISE_TAIL_S * RATE)
    padded = np.concatenate([np.zeros(lead, np.float32), clean, np.zeros(tail, np.float32)])
    noise = make_noise(question.noise, len(padded), np.random.default_rng(seed))
    levels = frame_levels(clean[span[0]:span[1]], RATE)
    speech_rms = float(np.sqrt(np.mean(levels * levels)))
    noise *= speech_rms / 10 ** (question.snr_db / 20) / float(np.sqrt(np.mean(noise**2)))
    mixed = np.clip(padded + noise, -1.0, 1.0).astype(np.float32)
    return Spoken(question, mixed, (span[0] + lead, span[1] + lead))


def make_noise(kind: str, length: int, rng: np.random.Generator) -> np.ndarray:
    """White noise, or pink ("fan"): power falling 3 dB per octave, shaped in the spectrum."""
    white = rng.standard_normal(length)
    if kind == "white":
        return white
    if kind != "fan":
        raise ValueError(f"unknown noise {kind!r}: use 'white' or 'fan'")
    spectrum = np.fft.rfft(white)
    frequencies = np.fft.rfftfreq(length)
    spectrum[1:] /= np.sqrt(frequencies[1:])
    spectrum[0] = 0.0
    return np.fft.irfft(spectrum, length)


def _voice(question: Question, piper: TextToSpeech) -> np.ndarray:
    """The question spoken; parts split at "|" are joined by ``pause_s`` of silence (each
    part's own leading and trailing silence cut off, so the pause is exactly that long)."""
    parts = [part.strip() for part in question.text.split("|")]
    if len(parts) == 1:
        return _voice_part(question, parts[0], piper)
    pause = np.zeros(round(question.pause_s * RATE), np.float32)
    pieces = []
    for part in parts:
        voice = _voice_part(question, part, piper)
        span = voiced_span(voice, RATE)
        pieces += [voice[span[0]:span[1]] if span else voice, pause]
    return np.concatenate(pieces[:-1])


def _voice_part(question: Question, text: str, piper: TextToSpeech) -> np.ndarray:
    if question.voice == "piper":
        speech = piper.steady(question.speed).synthesize(text, "en")
        return resample(speech.samples, speech.sample_rate, RATE)
    from tests.conftest import espeak

    return espeak(text, question.voice, round(question.speed))
