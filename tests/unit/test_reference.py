"""The far-end buffer: mic and far end stay paired sample for sample through a late start,
late callbacks, dropped mic audio and a skip ahead."""

from __future__ import annotations

import threading

import numpy as np

from voicebox.audio.reference import ReferenceBuffer


def ramp(start: int, count: int) -> np.ndarray:
    return np.arange(start, start + count, dtype=np.float32)


def test_a_speaker_that_starts_after_the_mic_owes_what_it_missed() -> None:
    reference = ReferenceBuffer()
    assert not reference.take(160).any()       # the speaker's stream is not running yet
    reference.push(ramp(0, 480))               # its first 160 samples were the mic's past
    np.testing.assert_array_equal(reference.take(160), ramp(160, 160))
    assert reference.slips == 0


def test_a_late_callback_is_waited_for() -> None:
    reference = ReferenceBuffer()
    reference.push(ramp(0, 160))
    reference.take(160)
    late = threading.Timer(0.05, reference.push, args=(ramp(160, 160),))
    late.start()
    np.testing.assert_array_equal(reference.take(160, wait_s=2.0), ramp(160, 160))
    late.join()
    assert reference.slips == 0


def test_a_speaker_that_stopped_delivering_is_a_counted_slip() -> None:
    reference = ReferenceBuffer()
    reference.push(ramp(0, 260))
    reference.take(160)                        # delivered in time: the speaker runs
    frame = reference.take(160, wait_s=0.01)
    np.testing.assert_array_equal(frame[:100], ramp(160, 100))
    assert not frame[100:].any() and reference.slips == 1
    reference.push(ramp(260, 160))             # what comes late is played late: kept
    np.testing.assert_array_equal(reference.take(160), ramp(260, 160))


def test_discard_drops_what_is_there_and_what_is_still_to_come() -> None:
    reference = ReferenceBuffer()
    reference.push(ramp(0, 100))
    reference.discard(300)                     # 100 now, 200 as they arrive
    reference.push(ramp(100, 150))
    reference.push(ramp(250, 200))
    np.testing.assert_array_equal(reference.take(160), ramp(300, 150).tolist() + [0] * 10)
    assert reference.fill == 0


def test_clear_forgets_the_far_end_and_what_was_owed() -> None:
    reference = ReferenceBuffer()
    reference.push(ramp(0, 100))
    reference.discard(500)
    reference.clear()
    reference.push(ramp(0, 160))
    np.testing.assert_array_equal(reference.take(160), ramp(0, 160))


def test_a_speaker_starting_in_fits_owes_its_gaps_until_it_delivers_in_time() -> None:
    reference = ReferenceBuffer()
    reference.push(ramp(0, 100))
    first = reference.take(160, wait_s=0.01)    # 60 samples short: owed, not a slip
    np.testing.assert_array_equal(first[:100], ramp(0, 100))
    reference.push(ramp(100, 380))               # 60 dropped, then 320 in time
    np.testing.assert_array_equal(reference.take(160), ramp(160, 160))
    np.testing.assert_array_equal(reference.take(160), ramp(320, 160))
    assert reference.slips == 0


def test_a_speaker_that_never_starts_does_not_stall_the_mic() -> None:
    """Each take before the speaker runs is a gap owed; the capture thread stops waiting."""
    reference = ReferenceBuffer()
    for _ in range(3):
        assert not reference.take(160).any()
    assert reference.gaps == 3 and reference.slips == 0
    reference.push(ramp(0, 640))               # 480 owed, then the far end runs
    np.testing.assert_array_equal(reference.take(160), ramp(480, 160))
