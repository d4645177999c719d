"""The far-end delay line: the applied delay follows confident, agreeing estimates, keeps
headroom, ignores a lone outlier and unrelated sound, reports lost/found, follows drift."""

from __future__ import annotations

import numpy as np

from tests.unit.test_delay import SEED, room, speechlike
from voicebox.audio.align import FarEndAligner
from voicebox.audio.delay import DelayEstimate, DelayEstimator
from voicebox.audio.rates import FRAME_SAMPLES, PROCESSING_RATE


def run(aligner: FarEndAligner, far: np.ndarray, mic: np.ndarray, start: float = 0.0):
    changes, out = [], []
    for begin in range(0, far.size - FRAME_SAMPLES + 1, FRAME_SAMPLES):
        end = begin + FRAME_SAMPLES
        frame, change = aligner.align(far[begin:end], mic[begin:end],
                                      start + end / PROCESSING_RATE)
        out.append(frame)
        if change is not None:
            changes.append(change)
    return changes, np.concatenate(out)


def test_the_far_end_is_held_back_by_the_delay_less_the_headroom() -> None:
    rng = np.random.default_rng(SEED)
    far = speechlike(6.0, rng)
    aligner = FarEndAligner(headroom_s=0.03)
    changes, out = run(aligner, far, room(far, 8000, rng))
    assert aligner.applied == 8000 - 480
    assert changes[0].aligned and changes[0].delay_ms == 500.0
    assert changes[0].previous_ms is None
    shift = aligner.applied
    tail = slice(out.size - PROCESSING_RATE, out.size)
    np.testing.assert_array_equal(out[tail], far[tail.start - shift:tail.stop - shift])
    status = aligner.status()
    assert status.aligned and status.delay_ms == 500.0 and status.applied_ms == 470.0


def test_a_delay_that_moves_is_applied_only_when_two_estimates_agree() -> None:
    aligner = FarEndAligner(headroom_s=0.0)
    first, second = DelayEstimate(1600, 1.0, 50), DelayEstimate(4800, 1.5, 50)
    assert aligner._update(first, 1.0) is None and aligner.applied == 0
    assert aligner._update(first, 1.5).delay_ms == 100.0 and aligner.applied == 1600
    assert aligner._update(second, 2.0) is None, "one estimate must not move it"
    assert aligner.applied == 1600
    assert aligner._update(DelayEstimate(1601, 2.5, 50), 2.5) is None
    assert aligner.applied == 1600, "a lone outlier is forgotten"
    aligner._update(second, 3.0)
    moved = aligner._update(DelayEstimate(4810, 3.5, 50), 3.5)
    assert moved.previous_ms == 1601 / 16 and aligner.applied == 4810
    assert aligner.status().realignments == 2


def test_unrelated_sound_never_moves_the_far_end() -> None:
    rng = np.random.default_rng(SEED)
    far, stranger = speechlike(20.0, rng), speechlike(20.0, rng)
    aligner = FarEndAligner()
    changes, _ = run(aligner, far, stranger)
    assert changes == [] and aligner.applied == 0


def test_alignment_is_lost_after_misses_and_found_again() -> None:
    aligner = FarEndAligner(estimator=DelayEstimator(min_peak_ratio=12), lost_after=3)
    for when in (1.0, 1.5):
        aligner._update(DelayEstimate(800, when, 50), when)
    assert aligner.status().aligned
    aligner.estimator.misses = 3
    lost = aligner._update(None, 3.0)
    assert lost is not None and not lost.aligned and not aligner.status().aligned
    aligner.estimator.misses = 0
    found = aligner._update(DelayEstimate(805, 4.0, 50), 4.0)
    assert found.aligned and found.previous_ms is None


def test_drift_is_followed_one_sample_at_a_time() -> None:
    aligner = FarEndAligner(headroom_s=0.0)
    for step in range(160):  # the echo slides by 1000 ppm: 16 samples a second
        when = step / 2
        estimate = DelayEstimate(1600 + 8 * step, when, 50)
        aligner.estimator._remember(estimate)
        aligner._update(estimate, when)
    assert abs(aligner.estimator.drift_ppm - 1000.0) < 1
    before = aligner.applied
    aligner._update(None, 80.0)
    assert aligner.applied == before + 1


def test_reset_forgets_the_delay() -> None:
    aligner = FarEndAligner(headroom_s=0.0)
    for when in (1.0, 1.5):
        aligner._update(DelayEstimate(800, when, 50), when)
    aligner.reset()
    assert aligner.applied == 0 and aligner.status().delay_ms is None


def test_an_echo_moving_a_few_ms_per_estimate_is_followed() -> None:
    """A sound server adapting its rates moved the echo by ~5 ms between estimates."""
    aligner = FarEndAligner(headroom_s=0.0)
    for step, when in enumerate((1.0, 1.5)):
        aligner._update(DelayEstimate(3200 - 80 * step, when, 50), when)
    assert aligner.applied == 3120
    aligner._update(DelayEstimate(2900, 2.0, 50), 2.0)
    moved = aligner._update(DelayEstimate(2820, 2.5, 50), 2.5)
    assert moved is not None and aligner.applied == 2820


def test_an_echo_about_to_come_before_its_far_end_skips_the_far_end_ahead() -> None:
    aligner = FarEndAligner(headroom_s=0.03)
    for when in (1.0, 1.5):
        aligner._update(DelayEstimate(320, when, 50), when)  # 20 ms: inside the headroom
    assert aligner.take_skip() == 1600 and aligner.take_skip() == 0
    assert aligner.status().delay_ms == 120.0 and aligner.applied == 1920 - 480
    assert aligner.settling(1.9) and not aligner.settling(2.6)


def test_a_barge_in_check_sees_the_echo_move_before_the_next_estimate() -> None:
    rng = np.random.default_rng(SEED)
    far = speechlike(4.0, rng)
    aligner = FarEndAligner(headroom_s=0.03)
    run(aligner, far, room(far, 1600, rng))
    assert aligner.applied == 1600 - 480 and not aligner.echo_moved()
    aligner.estimator._interval = 10 * PROCESSING_RATE  # no estimate before the check
    later = speechlike(1.0, rng)
    run(aligner, later, room(np.concatenate([far, later]), 4800, rng)[-later.size:], 4.0)
    assert aligner.echo_moved()
