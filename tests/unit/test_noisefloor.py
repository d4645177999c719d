"""The noise floor: steady noise never stands out, a voice over it does."""

from __future__ import annotations

import numpy as np

from voicebox.audio.noisefloor import NoiseFloor, echo_gated, frame_level_db

RNG = np.random.default_rng(7)
FRAME = 160


def noise(level_db: float) -> np.ndarray:
    return (RNG.standard_normal(FRAME) * 10 ** (level_db / 20)).astype(np.float32)


def tone(level_db: float) -> np.ndarray:
    t = np.arange(FRAME) / 16000
    return (np.sin(2 * np.pi * 1000 * t) * np.sqrt(2) * 10 ** (level_db / 20)).astype(np.float32)


def test_levels_in_dbfs() -> None:
    assert abs(frame_level_db(tone(-20.0)) + 20.0) < 0.1
    assert frame_level_db(np.zeros(FRAME, np.float32)) == -100.0


def test_steady_noise_stops_standing_out_once_the_floor_has_learnt_it() -> None:
    floor = NoiseFloor()
    decisions = [floor.stands_out(frame_level_db(noise(-35.0))) for _ in range(400)]
    assert not any(decisions[50:])
    assert abs(floor.floor_db + 35.0) < 2.0


def test_a_voice_ten_db_over_the_noise_stands_out() -> None:
    floor = NoiseFloor()
    for _ in range(300):
        floor.stands_out(frame_level_db(noise(-35.0)))
    assert all(floor.stands_out(frame_level_db(tone(-25.0) + noise(-35.0))) for _ in range(20))


def test_in_a_quiet_room_anything_audible_stands_out() -> None:
    floor = NoiseFloor()
    for _ in range(300):
        floor.stands_out(frame_level_db(noise(-80.0)))
    assert floor.stands_out(frame_level_db(tone(-50.0)))
    floor.reset()
    assert floor.floor_db == -100.0


def test_frames_the_echo_canceller_silenced_do_not_sink_the_floor() -> None:
    """In front of a fan, the canceller first silences the answer's start, noise included,
    then lets the room through again: the floor must still know the fan."""
    floor = NoiseFloor()
    for _ in range(300):
        floor.stands_out(frame_level_db(noise(-35.0)))  # the fan, while the box listens
    mic, silenced = noise(-25.0), noise(-95.0)            # echo + fan in, silence out
    assert echo_gated(frame_level_db(mic), frame_level_db(silenced))
    for _ in range(300):
        floor.stands_out(frame_level_db(silenced), learn=False)
    assert abs(floor.floor_db + 35.0) < 2.0
    assert not any(floor.stands_out(frame_level_db(noise(-35.0))) for _ in range(50))


def test_a_voice_over_the_echo_is_not_taken_for_echo() -> None:
    # double talk: a little suppression
    assert not echo_gated(frame_level_db(noise(-20.0)), frame_level_db(tone(-26.0)))
