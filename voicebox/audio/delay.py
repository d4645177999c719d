"""Where the echo sits behind the far end: the bulk delay from speaker to microphone.

Why we measure it ourselves: AEC3 finds the echo only within a few hundred milliseconds of
the far end it is given. A USB speaker and a USB mic under a sound server with a large
quantum, HDMI or Bluetooth output put 0.3-1 s between what the box plays and what it hears;
measured before this module, 11 of 12 answers cut themselves off at 0.5 s (the canceller never
converged). So the far end is delayed by the measured bulk delay before AEC3 (see
``align.py``), and AEC3 only has to follow the last few milliseconds.

How: generalised cross-correlation with phase transform (GCC-PHAT) of the last
``window_s`` of microphone against the far end up to ``max_delay_s`` further back (2 s: a
bulk delay of up to a second, plus the buffers a sound server grows after underruns, which
added up to ~1.1 s more on the rig under load; one FFT of 64 Ki points either way). PHAT
whitens both spectra, so the peak is one sample wide even for speech, and reverb (a room's
later reflections) or a speaker's soft clipping lower the peak without moving it. An estimate
is only made when the far end carried sound over the window, and kept only when the peak
stands clearly out of the rest of the correlation (``min_peak_ratio``, its height over the
correlation's RMS): the echo through 0.6 s of reverb, a clipping speaker and noise 20 dB under
it scored 40-42 in the unit tests, two unrelated voice-like signals 13 median and 26 at most
(60 trials), so 30. A user talking over the box or a far end unlike speech give no confident
peak, and then nothing changes.

Two separate sound cards run on two clocks that drift apart by 10-200 ppm, so the delay
slides by up to 0.2 ms a second; the drift is the slope of the confident estimates over the
last minutes, and ``predict`` extrapolates along it between estimates.

Pure: samples and times in, estimates out; no threads, no clocks.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from voicebox.audio.rates import PROCESSING_RATE

ACTIVE_DB = -55.0
"""The far end must be at least this loud (RMS dBFS over the window) to estimate from it."""


@dataclass(frozen=True)
class DelayEstimate:
    """One confident measurement: the echo lags the far end by ``samples`` at ``at``."""

    samples: int
    at: float
    peak_ratio: float

    @property
    def ms(self) -> float:
        """The delay in milliseconds."""
        return self.samples * 1000 / PROCESSING_RATE


def gcc_phat_delay(far: np.ndarray, mic: np.ndarray, max_lag: int) -> tuple[int, float]:
    """The lag (samples, 0..``max_lag``) by which ``mic``'s end lags ``far``'s end, and how far
    the peak stands above the correlation's RMS.

    ``far`` holds ``max_lag`` more samples than ``mic``; both end at the same instant.
    """
    if far.size != mic.size + max_lag:
        raise ValueError(f"far must be {mic.size + max_lag} samples (mic + max_lag), "
                         f"got {far.size}")
    size = 1 << math.ceil(math.log2(far.size + mic.size))
    cross = np.fft.rfft(far, size) * np.conj(np.fft.rfft(mic, size))
    cross /= np.maximum(np.abs(cross), 1e-12)
    correlation = np.fft.irfft(cross, size)[: max_lag + 1]
    # correlation[k] = sum far[n + k] * mic[n]: the mic's sample n was the far end's n + k,
    # and the mic ends max_lag samples after far's start, so the delay is max_lag - k.
    best = int(np.argmax(correlation))
    spread = float(np.sqrt(np.mean(np.square(correlation)))) or 1e-12
    return max_lag - best, float(correlation[best]) / spread


class DelayEstimator:
    """Keeps the recent far end and mic, estimates the delay every ``interval_s``."""

    def __init__(self, max_delay_s: float = 2.0, window_s: float = 1.0,
                 interval_s: float = 0.5, min_peak_ratio: float = 30.0,
                 drift_span_s: float = 300.0) -> None:
        if not (window_s > 0 and max_delay_s > 0 and interval_s > 0):
            raise ValueError("max_delay_s, window_s and interval_s must be positive")
        self.max_lag = round(max_delay_s * PROCESSING_RATE)
        self._window = round(window_s * PROCESSING_RATE)
        self._interval = round(interval_s * PROCESSING_RATE)
        self.min_peak_ratio = min_peak_ratio
        self._far = SampleRing(self._window + self.max_lag)
        self._mic = SampleRing(self._window)
        self._since = 0
        self.misses = 0
        """Windows in a row with far-end sound but no confident peak."""
        self._drift_span_s = drift_span_s
        self.history: deque[DelayEstimate] = deque()
        """Confident estimates of the last ``drift_span_s``, oldest first."""

    def reset(self) -> None:
        """Forget the signals and the estimates (the devices were reopened)."""
        self._far.clear()
        self._mic.clear()
        self._since = 0
        self.misses = 0
        self.history.clear()

    def feed(self, far: np.ndarray, mic: np.ndarray, now: float) -> DelayEstimate | None:
        """One frame of far end (undelayed, as played) and raw mic; an estimate when one is due
        and confident, else None."""
        self._far.push(far)
        self._mic.push(mic)
        self._since += mic.size
        if self._since < self._interval or not self._far.full:
            return None
        self._since = 0
        measured = self.measure()
        if measured is None:
            return None
        lag, ratio = measured
        if ratio < self.min_peak_ratio:
            self.misses += 1
            return None
        self.misses = 0
        estimate = DelayEstimate(lag, now, ratio)
        self._remember(estimate)
        return estimate

    def measure(self) -> tuple[int, float] | None:
        """The delay and peak ratio of the last window now, whatever its confidence; None if
        the far end was silent or the window is not full yet. Changes nothing."""
        if not self._far.full:
            return None
        far_window = self._far.read()
        if _level_db(far_window[-(self._window + self.max_lag // 2):]) < ACTIVE_DB:
            return None
        return gcc_phat_delay(far_window, self._mic.read(), self.max_lag)

    def _remember(self, estimate: DelayEstimate) -> None:
        self.history.append(estimate)
        while self.history and estimate.at - self.history[0].at > self._drift_span_s:
            self.history.popleft()

    def shift(self, samples: int) -> None:
        """The far end was skipped ahead by ``samples``: every past estimate is that much
        later now, and the signals kept are no longer continuous."""
        self.history = deque(DelayEstimate(e.samples + samples, e.at, e.peak_ratio)
                             for e in self.history)
        self._far.clear()
        self._mic.clear()
        self._since = 0

    @property
    def drift_ppm(self) -> float | None:
        """How fast the delay slides (parts per million of elapsed time); None until the
        estimates span a minute. Positive: the echo falls further behind the far end."""
        if len(self.history) < 4 or self.history[-1].at - self.history[0].at < 60.0:
            return None
        times = np.array([e.at for e in self.history])
        delays = np.array([e.samples for e in self.history], float) / PROCESSING_RATE
        slope = np.polyfit(times - times[0], delays, 1)[0]
        return float(slope * 1e6)

    def predict(self, now: float) -> float | None:
        """The delay in samples expected at ``now``: the last estimate moved along the drift."""
        if not self.history:
            return None
        last = self.history[-1]
        drift = self.drift_ppm or 0.0
        return last.samples + drift * 1e-6 * (now - last.at) * PROCESSING_RATE


class SampleRing:
    """The newest ``size`` samples, in a circular buffer (no copy per frame)."""

    def __init__(self, size: int) -> None:
        self._data = np.zeros(size, np.float32)
        self._end = 0
        self._filled = 0

    @property
    def full(self) -> bool:
        return self._filled >= self._data.size

    def push(self, samples: np.ndarray) -> None:
        size = self._data.size
        samples = samples[-size:]
        first = min(samples.size, size - self._end)
        self._data[self._end:self._end + first] = samples[:first]
        self._data[:samples.size - first] = samples[first:]
        self._end = (self._end + samples.size) % size
        self._filled = min(size, self._filled + samples.size)

    def read(self) -> np.ndarray:
        """Oldest first."""
        return np.concatenate([self._data[self._end:], self._data[:self._end]])

    def window(self, count: int, offset: int) -> np.ndarray:
        """``count`` samples ending ``offset`` samples before the newest (a copy)."""
        size = self._data.size
        if not 0 <= offset <= size - count:
            raise ValueError(f"a window of {count} ending {offset} back does not fit in {size}")
        indices = (self._end - offset - count + np.arange(count)) % size
        return self._data[indices]

    def clear(self) -> None:
        self._data[:] = 0
        self._end = 0
        self._filled = 0


def _level_db(samples: np.ndarray) -> float:
    power = float(np.mean(np.square(samples, dtype=np.float64)))
    return 10 * math.log10(power) if power > 1e-12 else -120.0
