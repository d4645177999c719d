"""The far end, delayed to meet its echo: AEC3 then only has to follow a short lead.

The delay estimator (``delay.py``) says how far the echo lags the far end as played. This
delay line holds the far end back by that much less ``headroom_s``, because AEC3 models an
echo that comes after its far end (it finds and follows that lead itself, measured 20-300 ms)
but never one that comes before it.

The far end moves as seldom as possible: every move makes AEC3 converge again, and on this
machine's sound server the echo slides by up to 1 % against the far end under load (its
streams' rates are adapted), a few milliseconds per estimate. So it moves only when the echo
leaves the lead AEC3 follows (``lead_s``), and only when two estimates in a row say so, so one
confused correlation cannot throw a converged canceller off; it is logged. When the echo
would come before even an undelayed far end (the mic's stream ran ahead of the speaker's),
the far end is skipped ahead (``SKIP_S``). Drift between two sound cards on two clocks is also
followed one sample at a time as the estimator's drift slope predicts, which AEC3 never
notices.

Pure: frames and times in, the delayed far end and a status out; no threads, no clocks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voicebox.audio.delay import ACTIVE_DB, DelayEstimate, DelayEstimator, SampleRing
from voicebox.audio.noisefloor import frame_level_db
from voicebox.audio.rates import PROCESSING_RATE

HISTORY_EXTRA = PROCESSING_RATE // 4
"""Far end kept beyond the longest delay: the barge-in check looks at 200 ms of it."""

SETTLE_S = 2.5
"""AEC3 converges again within about a second after its far end moved on a dry echo; in a
reverberant room with a distorting speaker its suppressor took 2 s (a false barge-in on the
reverb tail of a sentence 2.0 s after the first alignment)."""

GAP_TAIL_S = 0.3
"""After far end went missing, how long past its echo the room still rings with it."""

AGREE_S = 0.012
"""Two estimates agree when they are within 12 ms: the peak is exact to a sample, but a sound
server adapting its rates under load moved the echo by ~5 ms between estimates (1 %)."""

SURE_RATIO = 2.0
"""An estimate whose peak stands this many times the confidence threshold out (no unrelated
signal came near: 26 at most against 30) moves the far end at once, without a second one:
when the sound server's output buffer grew after underruns, the echo slid from 250 to 940 ms
in three seconds, never two estimates alike, and the canceller lost it all that time."""

SKIP_S = 0.1
"""Far end dropped at once when the echo threatens to come before it."""

SEARCH_S = 4.0
"""Seconds of audible far end within which a first estimate of an echo path is expected (the
longest delay plus the estimator's window, with pauses). Until then the canceller has
nothing to cancel against and the echo, up to a second late, can reach the barge-in rule
as a "voice": the box does not take it for the user while the path is still being searched.
A box with no echo path at all (headphones) listens again after that."""


@dataclass(frozen=True)
class AlignmentStatus:
    """What /health and /metrics report about the echo path."""

    delay_ms: float | None
    """The measured bulk delay of the echo behind the far end; None before the first."""
    applied_ms: float
    """How long the far end is held back before the echo canceller."""
    drift_ppm: float | None
    aligned: bool
    """A confident estimate was found within the last ``lost_after_s`` of far-end sound."""
    realignments: int


@dataclass(frozen=True)
class AlignmentChange:
    """Alignment was lost (``aligned`` False) or found again, or the delay jumped."""

    aligned: bool
    delay_ms: float | None
    previous_ms: float | None


class FarEndAligner:
    """Delays far-end frames by the measured echo delay, minus headroom."""

    def __init__(self, estimator: DelayEstimator | None = None, headroom_s: float = 0.06,
                 lead_s: tuple[float, float] = (0.015, 0.25), lost_after: int = 8) -> None:
        self.estimator = estimator or DelayEstimator()
        self._headroom = round(headroom_s * PROCESSING_RATE)
        self._lead = (round(lead_s[0] * PROCESSING_RATE), round(lead_s[1] * PROCESSING_RATE))
        self._lost_after = lost_after
        self._history = SampleRing(self.estimator.max_lag + HISTORY_EXTRA)
        self.applied = 0
        self.skip_request = 0
        self.moved_at: float | None = None
        """When the far end was last moved (the canceller then converges again)."""
        self._last: DelayEstimate | None = None
        self._pending: DelayEstimate | None = None
        self._aligned = False
        self._realignments = 0
        self._far_heard = 0
        """Samples of audible far end since the last reset, counted until the first estimate."""
        self._gap_until = 0.0

    def reset(self) -> None:
        """Start afresh (the devices were reopened: the delay is unknown again)."""
        self.estimator.reset()
        self._history.clear()
        self.applied = 0
        self.moved_at = None
        self._last = self._pending = None
        self._aligned = False
        self._far_heard = 0
        self._gap_until = 0.0

    def status(self) -> AlignmentStatus:
        """A frozen snapshot for other threads."""
        return AlignmentStatus(
            delay_ms=self._last.ms if self._last else None,
            applied_ms=self.applied * 1000 / PROCESSING_RATE,
            drift_ppm=self.estimator.drift_ppm, aligned=self._aligned,
            realignments=self._realignments)

    def align(self, far: np.ndarray, mic: np.ndarray,
              now: float) -> tuple[np.ndarray, AlignmentChange | None]:
        """The far-end frame to cancel ``mic`` against, and a change worth logging, if any."""
        change = self._update(self.estimator.feed(far, mic, now), now)
        if self._last is None and frame_level_db(far) >= ACTIVE_DB:
            self._far_heard += far.size
        self._history.push(far)
        return self._history.window(far.size, self.applied), change

    def settling(self, now: float) -> bool:
        """Whether the far end moved less than ``SETTLE_S`` ago, or an estimate says it must
        move: AEC3 is (or is about to be) converging again, and what it lets through is the
        echo at two lags, which no one lag explains. Also while the first echo path is still
        searched for (``SEARCH_S``), and while the echo of far end that went missing may be
        heard (:meth:`far_gap`)."""
        moved = self.moved_at is not None and now - self.moved_at < SETTLE_S
        return (moved or self._pending is not None or self.searching()
                or now < self._gap_until)

    def far_gap(self, now: float) -> None:
        """Far end went missing at ``now`` (it came too late and silence stood in for it):
        its echo, a delay later, can be neither cancelled nor explained by the far end, and
        the box does not take it for the user (a false barge-in 0.9 s after such a gap)."""
        delay = self._last.samples if self._last is not None else self.estimator.max_lag
        self._gap_until = max(self._gap_until, now + delay / PROCESSING_RATE + GAP_TAIL_S)

    def searching(self) -> bool:
        """Whether the far end has played, no echo path was found yet, and it is still early
        for one to be found (``SEARCH_S`` of audible far end)."""
        return (self._last is None and 0 < self._far_heard
                < SEARCH_S * PROCESSING_RATE)

    def echo_moved(self) -> bool:
        """Whether the echo sits elsewhere now than where the far end is held: measured on
        the last second at once (a barge-in decision cannot wait for the next estimate)."""
        measured = self.estimator.measure()
        if measured is None or measured[1] < self.estimator.min_peak_ratio:
            return False
        return not self._fits(measured[0])

    def far_at_echo(self, count: int) -> np.ndarray:
        """The last ``count`` samples of far end where the echo is measured to be now (the
        far end held back by the last estimate itself, not by what AEC3 is given): what the
        mic is hearing of the box at this moment."""
        delay = self._last.samples if self._last is not None else self.applied
        return self._history.window(count, min(delay, self.estimator.max_lag))

    def recent_far(self, count: int) -> np.ndarray:
        """The last ``count`` samples of far end as played (not delayed)."""
        return self._history.window(count, 0)

    def _update(self, estimate: DelayEstimate | None, now: float) -> AlignmentChange | None:
        if estimate is None:
            self._follow_drift(now)
            return self._check_lost()
        target = self._target(estimate.samples)
        if self._last is None or not self._fits(estimate.samples):
            return self._jump_to(estimate, target)
        self._last, self._pending = estimate, None
        regained, self._aligned = not self._aligned, True
        self._follow_drift(now)
        return AlignmentChange(True, estimate.ms, None) if regained else None

    def _jump_to(self, estimate: DelayEstimate, target: int) -> AlignmentChange | None:
        """Apply a new delay once two estimates in a row agree on it (the later one: under a
        sound server's rate adaptation the echo moves by a few milliseconds per estimate)."""
        pending, self._pending = self._pending, estimate
        sure = estimate.peak_ratio >= SURE_RATIO * self.estimator.min_peak_ratio
        agreed = (pending is not None
                  and abs(pending.samples - estimate.samples) <= AGREE_S * PROCESSING_RATE)
        if not (agreed or (sure and self._last is not None)):
            return None
        if estimate.samples < self._lead[0]:
            return self._skip_ahead(estimate)
        before = self._last.ms if self._last is not None else None
        self._last, self._pending, self._aligned = estimate, None, True
        self.applied = target
        self.moved_at = estimate.at
        self._realignments += 1
        return AlignmentChange(True, estimate.ms, before)

    def _skip_ahead(self, estimate: DelayEstimate) -> AlignmentChange:
        """The echo is about to come before its far end (the mic's stream ran faster than the
        speaker's): drop ``SKIP_S`` of far end so that it leads the echo again."""
        skip = round(SKIP_S * PROCESSING_RATE)
        self.skip_request += skip
        self.estimator.shift(skip)
        moved = DelayEstimate(estimate.samples + skip, estimate.at, estimate.peak_ratio)
        before = self._last.ms if self._last is not None else None
        self._last, self._pending, self._aligned = moved, None, True
        self.applied = self._target(moved.samples)
        self.moved_at = estimate.at
        self._realignments += 1
        return AlignmentChange(True, moved.ms, before)

    def take_skip(self) -> int:
        """Far-end samples to drop before the next frame (asked by :meth:`_skip_ahead`)."""
        skip, self.skip_request = self.skip_request, 0
        return skip

    def _follow_drift(self, now: float) -> None:
        """Move the applied delay one sample towards where the drift says the echo is."""
        if self._last is None or self.estimator.drift_ppm is None:
            return
        predicted = self.estimator.predict(now)
        if predicted is None:
            return
        target = self._target(round(predicted))
        self.applied += int(np.sign(target - self.applied))

    def _check_lost(self) -> AlignmentChange | None:
        if self._aligned and self.estimator.misses >= self._lost_after:
            self._aligned = False
            return AlignmentChange(False, self._last.ms if self._last else None, None)
        return None

    def _fits(self, delay: int) -> bool:
        """Whether an echo ``delay`` samples behind the far end as played lags the delayed
        far end by a lead AEC3 follows by itself."""
        return self._lead[0] <= delay - self.applied <= self._lead[1]

    def _target(self, delay: int) -> int:
        return int(np.clip(delay - self._headroom, 0, self.estimator.max_lag))
