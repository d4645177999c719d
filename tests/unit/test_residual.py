"""The residual-echo gate: echo the canceller lets through never counts as the user, however
loud it comes out; a voice above the echo does; nothing changes while the box is silent."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.test_delay import SEED, room, speechlike
from voicebox.audio.listener import CHECKED_SAMPLES
from voicebox.audio.residual import (
    LEAK_SHARE,
    ResidualEchoGate,
    ResidualSettings,
    explained_by_far_end,
)

GAIN_DB = -6.0  # the room: the mic hears the far end 6 dB down


def learn_room(gate: ResidualEchoGate, frames: int = 200, erle_db: float = 40.0) -> None:
    """The box speaks alone: far end at -20 dBFS, its echo at -26, cancelled by ``erle_db``."""
    for index in range(frames):
        far = -20.0 - (index % 5)  # speech moves; the echo follows it
        mic = far + GAIN_DB
        assert not gate.feed(mic, mic - erle_db, far, speaking=True)


def test_before_the_room_is_known_nothing_counts_while_the_box_speaks() -> None:
    """The first answer after start: the echo gain is unknown and the canceller has not
    converged (a false barge-in 1 s into the first answer, mic -25, cancelled -41..-59)."""
    gate = ResidualEchoGate()
    assert not gate.feed(-25.0, -41.0, -15.0, speaking=True)
    assert gate.echo_gain_db is None


def test_the_echo_gain_and_the_cancellers_enhancement_are_learned() -> None:
    gate = ResidualEchoGate()
    learn_room(gate)
    assert gate.echo_gain_db == pytest.approx(GAIN_DB, abs=0.01)
    assert gate.erle_db == pytest.approx(40.0)


def test_what_a_working_canceller_leaves_never_counts() -> None:
    gate = ResidualEchoGate()
    learn_room(gate, erle_db=40.0)
    for level in range(-30, -19):
        assert not gate.feed(level + GAIN_DB, level + GAIN_DB - 38.0, level, speaking=True)


def test_a_voice_under_the_echo_counts_while_the_canceller_works() -> None:
    gate = ResidualEchoGate()
    learn_room(gate)
    # Echo at -26 dBFS, the user 10 dB under it: the mic barely moves, the output is the voice.
    assert gate.feed(-25.6, -36.0, -20.0, speaking=True)


def test_a_voice_above_the_echo_does_not_lower_the_measured_enhancement() -> None:
    gate = ResidualEchoGate()
    learn_room(gate)
    for _ in range(50):  # half a second of the user over the answer
        assert gate.feed(-16.0, -16.5, -20.0, speaking=True)
    assert gate.erle_db == pytest.approx(40.0)


def test_the_reverb_tail_counts_as_echo() -> None:
    gate = ResidualEchoGate(ResidualSettings(release_db=1.0))
    learn_room(gate)
    gate.feed(-26.0, -66.0, -20.0, speaking=True)
    # The far end stops; the room rings on, 1 dB quieter each frame, cancelled as usual.
    for frame in range(1, 30):
        tail = -26.0 - frame
        assert not gate.feed(tail, tail - 40, -120.0, speaking=True), frame
    assert gate.feed(-30.0, -30.5, -120.0, speaking=True)  # a voice in the pause


def test_a_voice_must_stand_above_the_residual_of_a_poor_canceller() -> None:
    gate = ResidualEchoGate(ResidualSettings(margin_db=6.0))
    learn_room(gate, erle_db=10.0)  # the canceller leaves the echo only 10 dB down
    # The mic 2 dB over the echo: a voice under it, or just a louder syllable of the echo.
    assert not gate.feed(-24.0, -33.0, -20.0, speaking=True)
    assert gate.feed(-24.0, -28.0, -20.0, speaking=True)


def test_more_in_the_mic_than_the_echo_must_come_out_of_the_canceller() -> None:
    """The sound server glitched: the echo came later than the far end says, the mic is far
    above the predicted echo, but the canceller still removes it (logged: mic -17, cancelled
    -40..-70 dBFS). A voice that loud comes through at about its own level."""
    gate = ResidualEchoGate(ResidualSettings(voice_drop_db=12.0))
    learn_room(gate)
    assert not gate.feed(-17.0, -40.0, -30.0, speaking=True)
    assert gate.feed(-17.0, -22.0, -30.0, speaking=True)


def leaked(far: np.ndarray, delay: int, rng: np.random.Generator, rt60: float = 0.0):
    """The last 200 ms of what a canceller that lost the echo lets through."""
    return room(far, delay, rng, rt60=rt60)[-CHECKED_SAMPLES:] * 0.3


@pytest.mark.parametrize("rt60", [0.0, 0.3])
def test_echo_that_got_through_is_explained_by_the_far_end(rt60: float) -> None:
    rng = np.random.default_rng(SEED)
    far = speechlike(3.0, rng)
    share = explained_by_far_end(leaked(far, 2400, rng, rt60), far[-(CHECKED_SAMPLES + 16000):])
    assert share >= LEAK_SHARE, share


def test_a_voice_is_not_explained_by_the_far_end_even_with_echo_6_db_under_it() -> None:
    rng = np.random.default_rng(SEED)
    far = speechlike(3.0, rng)
    voice = np.convolve(rng.standard_normal(CHECKED_SAMPLES), np.hanning(8) / 4, mode="same")
    echo = leaked(far, 2400, rng)
    echo *= np.sqrt(np.mean(voice**2) / np.mean(echo**2)) / 2
    share = explained_by_far_end(voice + echo, far[-(CHECKED_SAMPLES + 16000):])
    assert share < LEAK_SHARE, share


def test_silence_is_explained_by_nothing_and_a_short_far_end_is_refused() -> None:
    assert explained_by_far_end(np.zeros(10, np.float32), np.ones(20, np.float32)) == 0.0
    with pytest.raises(ValueError, match="at least as long"):
        explained_by_far_end(np.ones(20, np.float32), np.ones(10, np.float32))


def test_a_silent_box_judges_nothing_and_reset_forgets_the_room() -> None:
    gate = ResidualEchoGate()
    learn_room(gate)
    assert gate.feed(-60.0, -60.0, -120.0, speaking=False)
    gate.reset()
    assert gate.echo_gain_db is None and gate.erle_db is None
