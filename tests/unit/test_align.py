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
    np.testing.assert_array_equal(aligner.far_at_echo(160), far[-160 - 8000:-8000])


def test_the_far_end_moves_only_when_the_echo_leaves_the_lead_and_two_estimates_agree() -> None:
    aligner = FarEndAligner(headroom_s=0.06, lead_s=(0.015, 0.25))
    first, far_off = DelayEstimate(8000, 1.0, 50), DelayEstimate(16000, 1.5, 50)
    assert aligner._update(first, 1.0) is None and aligner.applied == 0
    assert aligner._update(first, 1.5).delay_ms == 500.0 and aligner.applied == 8000 - 960
    # Within the lead AEC3 follows (15-250 ms behind the delayed far end): nothing moves.
    for when, delay in ((2.0, 7400), (2.5, 10800)):
        assert aligner._update(DelayEstimate(delay, when, 50), when) is None
        assert aligner.applied == 7040
    assert aligner._update(far_off, 3.0) is None, "one estimate must not move it"
    assert aligner._update(DelayEstimate(7400, 3.5, 50), 3.5) is None
    assert aligner.applied == 7040, "a lone outlier is forgotten"
    aligner._update(far_off, 4.0)
    moved = aligner._update(DelayEstimate(16010, 4.5, 50), 4.5)
    assert moved.previous_ms == 7400 / 16 and aligner.applied == 16010 - 960
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
    aligner = FarEndAligner(headroom_s=0.06, lead_s=(0.015, 0.25))
    for step, when in enumerate((1.0, 1.5)):
        aligner._update(DelayEstimate(3200 - 80 * step, when, 50), when)
    assert aligner.applied == 3120 - 960
    delay, when = 3120, 1.5
    while aligner.applied == 2160:  # the echo creeps towards its far end, 5 ms a step
        delay, when = delay - 80, when + 0.5
        aligner._update(DelayEstimate(delay, when, 50), when)
    assert delay - 2160 < 240 + 80 and aligner.applied == delay - 960


def test_an_echo_about_to_come_before_its_far_end_skips_the_far_end_ahead() -> None:
    aligner = FarEndAligner(headroom_s=0.06, lead_s=(0.015, 0.25))
    for when in (1.0, 1.5):
        aligner._update(DelayEstimate(160, when, 50), when)  # 10 ms: under the least lead
    assert aligner.take_skip() == 1600 and aligner.take_skip() == 0
    assert aligner.status().delay_ms == 110.0 and aligner.applied == 1760 - 960
    assert aligner.settling(3.9) and not aligner.settling(4.1)  # 2.5 s after the move


def test_a_barge_in_check_sees_the_echo_move_before_the_next_estimate() -> None:
    rng = np.random.default_rng(SEED)
    far = speechlike(4.0, rng)
    aligner = FarEndAligner(headroom_s=0.06)
    run(aligner, far, room(far, 1600, rng))
    assert aligner.applied == 1600 - 960 and not aligner.echo_moved()
    aligner.estimator._interval = 10 * PROCESSING_RATE  # no estimate before the check
    later = speechlike(1.0, rng)
    run(aligner, later, room(np.concatenate([far, later]), 8000, rng)[-later.size:], 4.0)
    assert aligner.echo_moved()


def test_the_first_echo_path_is_searched_for_before_the_box_listens_over_itself() -> None:
    rng = np.random.default_rng(SEED)
    far = speechlike(6.0, rng)
    aligner = FarEndAligner()
    assert not aligner.settling(0.0), "nothing played yet: nothing to search for"
    run(aligner, np.zeros(PROCESSING_RATE), np.zeros(PROCESSING_RATE))
    assert not aligner.settling(1.0), "silence is not far end"
    run(aligner, far[:PROCESSING_RATE // 2], room(far, 8000, rng)[:PROCESSING_RATE // 2])
    assert aligner.searching() and aligner.settling(1.5)
    run(aligner, far, room(far, 8000, rng), start=10.0)
    assert aligner.status().delay_ms == 500.0 and not aligner.searching()


def test_with_no_echo_path_the_search_ends_after_seconds_of_far_end() -> None:
    rng = np.random.default_rng(SEED)
    far = speechlike(8.0, rng)
    aligner = FarEndAligner()
    changes, _ = run(aligner, far, np.zeros_like(far))  # headphones: no echo at all
    assert changes == [] and aligner.status().delay_ms is None
    assert not aligner.searching() and not aligner.settling(9.0)


def test_after_far_end_went_missing_its_echo_is_not_judged() -> None:
    aligner = FarEndAligner()
    for when in (1.0, 1.5):
        aligner._update(DelayEstimate(8000, when, 50), when)   # the echo 500 ms behind
    assert not aligner.settling(5.0)
    aligner.far_gap(5.0)   # silence stood in for late far end at 5.0 s
    assert aligner.settling(5.79), "its echo comes 0.5 s later and rings 0.3 s more"
    assert not aligner.settling(5.81)
    fresh = FarEndAligner()
    fresh.far_gap(1.0)     # no delay known yet: the longest one the estimator looks for
    assert fresh.settling(3.29) and not fresh.settling(3.31)
