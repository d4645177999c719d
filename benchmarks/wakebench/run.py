"""Feeding the detector the way the daemon does, and what it said.

The daemon's capture thread hands the detector one 10 ms frame (160 samples at 16 kHz,
float32) at a time with the frame's end time, and never resets it while the devices stay
open: so here one detector hears a whole condition's stream, frame by frame, the clock being
the stream's own sample count. Noise goes on through the pauses between paragraphs and around
each wake phrase, as a radio would.

CPU is measured two ways per engine: the detector's own ``busy_s`` (thread CPU time inside
``feed``) and the process's CPU time across the ``feed`` calls, which also counts threads the
engine's TFLite library starts (openWakeWord runs its feature models on such threads, where
``busy_s`` does not see them).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from benchmarks.wakebench.corpus import RATE, Clip
from benchmarks.wakebench.score import condition_name, cpu_share, judge_trial
from benchmarks.wakebench.signals import at_distance, mix, music, speech_level
from voicebox.audio.rates import FRAME_SAMPLES
from voicebox.audio.wake import WakeDetector

LEAD_S = 1.0
TAIL_S = 1.0
"""Noise (or silence) before and after each wake phrase."""
DISTANCES: dict[str, tuple[tuple[float, float], float] | None] = {
    "near": None, "far": ((0.3, 0.6), 0.3)}
""""far": reverb of RT60 drawn from the range, and the direct sound at this gain (-10 dB)."""


@dataclass
class Meter:
    """CPU and audio seconds the detectors were fed, summed over streams."""

    audio_s: float = 0.0
    busy_s: float = 0.0
    process_s: float = 0.0

    def as_dict(self) -> dict[str, float | None]:
        """Seconds and the shares of one core."""
        return {"audio_s": self.audio_s, "busy_s": self.busy_s, "process_s": self.process_s,
                "busy_share": cpu_share(self.busy_s, self.audio_s),
                "process_share": cpu_share(self.process_s, self.audio_s)}


def feed(detector: WakeDetector, audio: np.ndarray, start_s: float, meter: Meter) -> list[float]:
    """``audio`` into ``detector`` as 10 ms frames from stream time ``start_s``: the
    detections' times (the end of the frame that completed each)."""
    hits = []
    busy_before, started = detector.busy_s, time.process_time()
    for index in range(len(audio) // FRAME_SAMPLES):
        frame = audio[index * FRAME_SAMPLES:(index + 1) * FRAME_SAMPLES]
        found = detector.feed(frame, start_s + (index + 1) * FRAME_SAMPLES / RATE)
        if found is not None:
            hits.append(found.at)
    meter.process_s += time.process_time() - started
    meter.busy_s += detector.busy_s - busy_before
    meter.audio_s += len(audio) // FRAME_SAMPLES * FRAME_SAMPLES / RATE
    return hits


def run_false_accepts(detector: Callable[[], WakeDetector], readings: list[tuple[Clip, int]],
                      snrs: list[float | None], seed: int, meter: Meter) -> dict[str, Any]:
    """Every reading, in order, through one detector per noise condition; the music under
    reading ``i`` is the same in every condition, only its level differs."""
    conditions = {}
    for snr in snrs:
        listening, clock, detections, hits = detector(), 0.0, [], []
        for index, (clip, pause) in enumerate(readings):
            audio = np.concatenate([clip.samples, np.zeros(pause, np.float32)])
            if snr is not None:
                noise = music(len(audio), np.random.default_rng([seed, 1, index]))
                audio = mix(audio, noise, snr, speech_level(clip.samples))
            found = feed(listening, audio, clock, meter)
            detections += found
            hits += [{"at": round(at, 2), "into_s": round(at - clock, 2),
                      "voice": clip.voice.label, "text": clip.text[:60]} for at in found]
            clock += len(audio) // FRAME_SAMPLES * FRAME_SAMPLES / RATE
        conditions[condition_name(snr)] = {"seconds": clock, "detections": detections,
                                           "hits": hits}
        print(f"  false accepts, {condition_name(snr)}: {len(detections)} in "
              f"{clock / 3600:.2f} h", file=sys.stderr, flush=True)
    return conditions


@dataclass(frozen=True)
class Trial:
    """One wake phrase as played: the audio and, in it, its clean voice (samples)."""

    clip: Clip
    distance: str
    snr_db: float | None
    audio: np.ndarray
    voiced: tuple[int, int]

    def describe(self) -> dict[str, Any]:
        """The trial's condition, for the JSON and the buckets."""
        return {"voice": self.clip.voice.label, "text": self.clip.text,
                "family": "piper" if self.clip.voice.name == "piper" else "espeak",
                "distance": self.distance, "snr_db": self.snr_db,
                "alone": self.clip.text.rstrip(".") == "Hey Jarvis"}


def wake_trials(clips: list[Clip], snrs: list[float | None], seed: int) -> list[Trial]:
    """Each clip at each distance and SNR, with ``LEAD_S`` and ``TAIL_S`` of noise around."""
    trials = []
    lead, tail = round(LEAD_S * RATE), round(TAIL_S * RATE)
    for number, clip in enumerate(clips):
        for distance, room in DISTANCES.items():
            speech = clip.samples
            if room is not None:
                (low, high), gain = room
                rng = np.random.default_rng([seed, 2, number])
                speech = at_distance(speech, float(rng.uniform(low, high)), gain, rng)
            audio = np.zeros(lead + len(clip.samples) + tail, np.float32)
            audio[lead:lead + len(speech)] = speech[:len(audio) - lead]
            level = speech_level(speech)
            for snr in snrs:
                noise = music(len(audio), np.random.default_rng([seed, 3, number]))
                trials.append(Trial(clip, distance, snr, mix(audio, noise, snr, level),
                                    (lead + clip.voiced[0], lead + clip.voiced[1])))
    return trials


def run_false_rejects(detector: WakeDetector, trials: list[Trial],
                      meter: Meter) -> list[dict[str, Any]]:
    """Every trial in turn through one detector; each judged on its own window."""
    judged, clock = [], 0.0
    for trial in trials:
        voiced = (clock + trial.voiced[0] / RATE, clock + trial.voiced[1] / RATE)
        hits = feed(detector, trial.audio, clock, meter)
        judged.append({**trial.describe(), **judge_trial(hits, voiced),
                       "detections": [round(at - clock, 2) for at in hits]})
        clock += len(trial.audio) // FRAME_SAMPLES * FRAME_SAMPLES / RATE
    return judged
