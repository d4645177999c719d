"""A living room between the virtual speaker and the virtual microphone, sample by sample.

Why: the sound server's own loopback gives an exact, scaled copy of the speaker, a little
later. Real rooms are harder: the speaker distorts when loud, the walls add a reverberant tail
of half a second, a USB speaker and a USB microphone run on two clocks that drift apart, a
television or a fridge adds noise, and the bulk delay can be most of a second. ``Room`` turns
the speaker's samples into what the microphone hears, in that order: soft clipping, the room's
impulse response, the echo gain, clock drift, the bulk delay, noise.

Pure and deterministic: blocks in, blocks out, every random choice drawn from ``seed``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RoomSettings:
    """One room. ``None`` leaves a part out (no reverb, a linear speaker, no noise)."""

    delay_ms: float = 40.0
    """Bulk delay from the speaker's samples to the microphone's."""
    gain: float = 0.5
    """Echo level: the linear scale of the direct sound at the microphone."""
    rt60_s: float | None = None
    """Reverberation time (60 dB of decay); living rooms are 0.3-0.6 s."""
    clip_drive: float | None = None
    """Soft clipping ``tanh(drive * x) / drive``: 2-4 is a small speaker played loud."""
    drift_ppm: float = 0.0
    """How much faster (+) or slower (-) the speaker's clock runs than the microphone's: at
    +100 ppm the echo comes 6 ms sooner each minute."""
    noise_dbfs: float | None = None
    """Background noise level (RMS, dB full scale)."""
    seed: int = 0

    def describe(self) -> str:
        """One line for the test log."""
        parts = [f"delay {self.delay_ms:.0f} ms", f"gain {self.gain:.2f}"]
        if self.rt60_s is not None:
            parts.append(f"RT60 {self.rt60_s:.2f} s")
        if self.clip_drive is not None:
            parts.append(f"soft clip x{self.clip_drive:.1f}")
        if self.drift_ppm:
            parts.append(f"drift {self.drift_ppm:+.0f} ppm")
        if self.noise_dbfs is not None:
            parts.append(f"noise {self.noise_dbfs:.0f} dBFS")
        return ", ".join(parts)


Range = tuple[float, float] | float | None
"""A setting fixed, or drawn from (low, high): integers when both ends are ints."""

MATRIX: dict[str, dict[str, Range]] = {
    "delay-20ms": {"delay_ms": 20},
    "delay-150ms": {"delay_ms": 150},
    "delay-400ms": {"delay_ms": 400},
    "delay-700ms": {"delay_ms": 700},
    "reverb": {"delay_ms": 150, "rt60_s": (0.3, 0.6)},
    "distortion": {"delay_ms": 150, "clip_drive": (2.0, 4.0)},
    "drift": {"delay_ms": 150, "drift_ppm": (-100.0, 100.0)},
    "living-room": {"delay_ms": 400, "rt60_s": (0.3, 0.6), "clip_drive": (2.0, 4.0),
                    "drift_ppm": (-100.0, 100.0), "noise_dbfs": -60.0},
}
"""The echo matrix the live tests and the benchmark both go through (gain drawn 0.3-0.7)."""


def draw_room(parts: dict[str, Range], chance: random.Random) -> RoomSettings:
    """A room from settings fixed or drawn from ranges, its own noise seeded by ``chance``."""
    drawn = {name: _draw(value, chance) for name, value in parts.items()}
    return RoomSettings(**drawn, seed=chance.randrange(2**32))  # type: ignore[arg-type]


def _draw(value: Range, chance: random.Random) -> float | None:
    if not isinstance(value, tuple):
        return value
    low, high = value
    if isinstance(low, int) and isinstance(high, int):
        return chance.randint(low, high)
    return round(chance.uniform(low, high), 2)


def impulse_response(rt60_s: float, rate: int, rng: np.random.Generator) -> np.ndarray:
    """A direct path of 1 and a diffuse tail: decaying noise whose energy falls 60 dB in
    ``rt60_s``, starting 5 ms after the direct sound, at -10 dB of it in its first 10 ms
    (a speaker a metre or two away in a furnished room)."""
    length = round(rt60_s * rate)
    onset = round(0.005 * rate)
    t = np.arange(length - onset) / rate
    tail = rng.standard_normal(t.size) * 10 ** (-3 * t / rt60_s)  # -60 dB in energy at rt60
    first = tail[:round(0.01 * rate)]
    tail *= math.sqrt(0.1 / float(np.dot(first, first)))
    response = np.zeros(length)
    response[0] = 1.0
    response[onset:] = tail
    return response


class PartitionedConvolver:
    """Convolution with a long impulse response, ``block`` samples at a time, in the
    frequency domain (uniformly partitioned overlap-save): a 0.6 s tail at 48 kHz costs a few
    thousand multiplications per sample directly, a few dozen this way."""

    def __init__(self, response: np.ndarray, block: int) -> None:
        self.block = block
        count = math.ceil(response.size / block)
        padded = np.zeros(count * block)
        padded[:response.size] = response
        parts = padded.reshape(count, block)
        self._spectra = np.fft.rfft(parts, 2 * block, axis=1)
        self._inputs = np.zeros_like(self._spectra)  # newest first
        self._previous = np.zeros(block)

    def process(self, block: np.ndarray) -> np.ndarray:
        """The next ``self.block`` output samples for the next ``self.block`` input samples."""
        spectrum = np.fft.rfft(np.concatenate([self._previous, block]))
        self._previous = block.astype(np.float64)
        self._inputs = np.roll(self._inputs, 1, axis=0)
        self._inputs[0] = spectrum
        mixed = np.einsum("kf,kf->f", self._inputs, self._spectra)
        return np.fft.irfft(mixed, 2 * self.block)[self.block:]


class DriftResampler:
    """Reads its input ``1 + ppm / 1e6`` times as fast as it writes: the microphone's clock
    against the speaker's (linear interpolation: exact enough for speech at 48 kHz)."""

    def __init__(self, ppm: float) -> None:
        self.step = 1.0 + ppm / 1e6
        self._pending = np.zeros(0)
        self._position = 0.0  # in _pending

    def process(self, samples: np.ndarray) -> np.ndarray:
        """The output for ``samples`` of input: as many samples, give or take one."""
        self._pending = np.concatenate([self._pending, samples])
        count = max(0, math.floor((self._pending.size - 1 - self._position) / self.step) + 1)
        where = self._position + self.step * np.arange(count)
        inside = where <= self._pending.size - 2  # both neighbours present
        where = where[inside]
        low = where.astype(np.int64)
        frac = where - low
        out = self._pending[low] * (1 - frac) + self._pending[low + 1] * frac
        self._position = (where[-1] + self.step) if where.size else self._position
        keep = int(self._position)
        self._pending = self._pending[keep:]
        self._position -= keep
        return out


class Room:
    """The speaker's samples in, the microphone's out (same count per call, delayed)."""

    def __init__(self, settings: RoomSettings, rate: int, block: int) -> None:
        self.settings = settings
        self.rate = rate
        self._rng = np.random.default_rng(settings.seed)
        self._reverb = (PartitionedConvolver(impulse_response(settings.rt60_s, rate, self._rng),
                                             block) if settings.rt60_s else None)
        self._drift = DriftResampler(settings.drift_ppm) if settings.drift_ppm else None
        self._queue = np.zeros(round(settings.delay_ms * rate / 1000))
        self._noise = (10 ** (settings.noise_dbfs / 20) if settings.noise_dbfs is not None
                       else None)
        self.block = block

    def process(self, speaker: np.ndarray) -> np.ndarray:
        """What the microphone hears while ``speaker`` (``self.block`` samples) plays."""
        sound = speaker.astype(np.float64)
        drive = self.settings.clip_drive
        if drive:
            sound = np.tanh(drive * sound) / drive
        if self._reverb is not None:
            sound = self._reverb.process(sound)
        sound = sound * self.settings.gain
        if self._drift is not None:
            sound = self._drift.process(sound)
        self._queue = np.concatenate([self._queue, sound])
        out, self._queue = self._queue[:speaker.size], self._queue[speaker.size:]
        if out.size < speaker.size:  # a slower mic clock ran the queue dry: a dropped sample
            out = np.concatenate([out, np.zeros(speaker.size - out.size)])
        if self._noise is not None:
            out = out + self._noise * self._rng.standard_normal(out.size)
        return out.astype(np.float32)
