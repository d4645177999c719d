"""The governor on recorded reading sequences with explicit times: no sensors, no sleeps.

Defaults: warm 70, hot 75, critical 80 °C, hysteresis 5 °C, dwell 30 s, low memory 1024 MB
(+512 MB to recover), swap 500 MB (-100 MB to recover).
"""

from __future__ import annotations

import random
from collections.abc import Iterable

import pytest

from voicebox.config.rules import InvalidCombination
from voicebox.config.schema import WatchdogConfig
from voicebox.watchdog import Governor, Readings, Tier, Transition
from voicebox.watchdog.governor import MB

NORMAL, WARM, HOT, CRITICAL = Tier.NORMAL, Tier.WARM, Tier.HOT, Tier.CRITICAL


def reading(at: float, temp: float | None = 50.0, error: str = "", free_mb: float = 4096,
            swap_mb: float = 0) -> Readings:
    return Readings(at=at, temperature_c=temp, temperature_error=error,
                    memory_available_bytes=int(free_mb * MB), swap_used_bytes=int(swap_mb * MB),
                    cpu_percent=10.0)


def run(governor: Governor, samples: Iterable[Readings]) -> list[Transition]:
    return [t for t in map(governor.update, samples) if t is not None]


def steps(transitions: list[Transition]) -> list[tuple[Tier, Tier, str, float]]:
    return [(t.previous, t.tier, t.cause, t.at) for t in transitions]


def test_tiers_keep_their_gauge_numbers_and_have_labels() -> None:
    assert [int(t) for t in (NORMAL, WARM, HOT, CRITICAL)] == [0, 1, 2, 3]
    assert [t.label for t in Tier] == ["normal", "warm", "hot", "critical"]


def test_ramp_up_steps_at_once_and_down_one_step_per_dwell() -> None:
    up = [reading(2 * i, 50.0 + i) for i in range(41)]                      # 50 -> 90 °C by t=80
    hold = [reading(t, 90.0) for t in range(82, 100, 2)]
    down = [reading(100 + 2 * j, 90.0 - j) for j in range(41)]              # 90 -> 50 °C by t=180
    cool = [reading(t, 50.0) for t in range(182, 400, 2)]
    governor = Governor(WatchdogConfig())
    transitions = run(governor, up + hold + down + cool)
    assert steps(transitions) == [
        (NORMAL, WARM, "temperature", 40),      # 70 °C
        (WARM, HOT, "temperature", 50),         # 75 °C
        (HOT, CRITICAL, "temperature", 60),     # 80 °C
        # below 80 - 5 = 75 °C from t=132 (74 °C); 30 s later, one step only
        (CRITICAL, HOT, "temperature", 162),
        (HOT, WARM, "temperature", 192),        # a dwell per step, already below 65 °C
        (WARM, NORMAL, "temperature", 222),
    ]
    assert transitions[1].reading == "temperature 75.0 °C >= hot 75.0 °C"
    assert transitions[3].reading == "temperature 59.0 °C < critical 80.0 °C - 5 °C for 30 s"
    assert governor.tier == NORMAL and governor.causes == {}


def test_one_reading_back_inside_the_margin_restarts_the_dwell() -> None:
    governor = Governor(WatchdogConfig())
    samples = [reading(0, 76.0)]                                 # HOT
    samples += [reading(t, 69.0) for t in range(2, 22, 2)]       # below 70 from t=2 ...
    samples += [reading(22, 71.0)]                               # ... back inside the margin
    samples += [reading(t, 69.0) for t in range(24, 80, 2)]      # low again from t=24
    assert steps(run(governor, samples)) == [(NORMAL, HOT, "temperature", 0),
                                              (HOT, WARM, "temperature", 54)]


def noisy_temperatures(seed: int = 1234, count: int = 5000) -> list[Readings]:
    """75 ± 1.5 °C, uniformly random, every 2 s for almost three hours."""
    rng = random.Random(seed)
    return [reading(2.0 * i, 75.0 + rng.uniform(-1.5, 1.5)) for i in range(count)]


def test_noise_around_a_threshold_does_not_flap() -> None:
    governor = Governor(WatchdogConfig())
    transitions = run(governor, noisy_temperatures())
    # Up to HOT (perhaps via WARM) at once; no reading ever falls 5 °C below 75, so it stays.
    assert len(transitions) <= 2
    assert governor.tier == HOT


def test_without_hysteresis_and_dwell_the_same_noise_flaps() -> None:
    governor = Governor(WatchdogConfig(hysteresis_c=0.5, dwell_s=0))
    transitions = run(governor, noisy_temperatures())
    assert len(transitions) > 500
    assert {(t.previous, t.tier) for t in transitions[1:]} == {(WARM, HOT), (HOT, WARM)}


def test_memory_squeeze_runs_small_models_until_ram_is_back_with_margin() -> None:
    governor = Governor(WatchdogConfig())
    samples = [reading(0, free_mb=4096), reading(2, free_mb=812)]
    samples += [reading(t, free_mb=1300) for t in range(4, 200, 2)]   # above 1024, not 1536
    samples += [reading(t, free_mb=2000) for t in range(200, 260, 2)]
    transitions = run(governor, samples[:2])
    assert steps(transitions) == [(NORMAL, CRITICAL, "memory", 2)]
    assert transitions[0].reading == "available RAM 812 MB < 1024 MB"
    assert governor.memory_low and governor.causes == {"memory": CRITICAL}
    assert run(governor, samples[2:100]) == []                        # held within the margin
    transitions = run(governor, samples[100:])
    # Memory has one rung: back to NORMAL in one step, 30 s after RAM came back.
    assert steps(transitions) == [(CRITICAL, NORMAL, "memory", 230)]
    assert transitions[0].reading == "available RAM 2000 MB >= 1024 MB + 512 MB for 30 s"
    assert not governor.memory_low


def test_swap_growing_past_the_limit_prunes_until_it_falls_below_the_margin() -> None:
    governor = Governor(WatchdogConfig())
    growing = [reading(t, swap_mb=10 * t) for t in range(0, 70, 2)]     # 510 MB at t=51 -> 52
    transitions = run(governor, growing)
    assert steps(transitions) == [(NORMAL, HOT, "swap", 52)]
    assert transitions[0].reading == "swap used 520 MB > 500 MB"
    assert governor.swap_pressure and governor.reasons == {"swap": "swap used 520 MB > 500 MB"}
    assert run(governor, [reading(t, swap_mb=450) for t in range(70, 200, 2)]) == []
    transitions = run(governor, [reading(t, swap_mb=300) for t in range(200, 240, 2)])
    assert steps(transitions) == [(HOT, NORMAL, "swap", 230)]
    assert not governor.swap_pressure


def test_a_failing_sensor_holds_warm_until_it_reads_fine_for_a_dwell() -> None:
    governor = Governor(WatchdogConfig())
    error = "temperature file /sys/x vanished"
    samples = [reading(0, 50.0)] + [reading(t, None, error) for t in range(2, 100, 2)]
    samples += [reading(t, 50.0) for t in range(100, 140, 2)]
    transitions = run(governor, samples)
    assert steps(transitions) == [(NORMAL, WARM, "sensor", 2), (WARM, NORMAL, "sensor", 130)]
    assert transitions[0].reading == f"temperature sensor failed: {error}"


def test_a_sensor_failing_while_hot_holds_the_heat_it_last_saw() -> None:
    governor = Governor(WatchdogConfig())
    samples = [reading(0, 77.0)] + [reading(t, None, "bad") for t in range(2, 300, 2)]
    assert steps(run(governor, samples)) == [(NORMAL, HOT, "temperature", 0)]
    assert governor.causes == {"temperature": HOT, "sensor": WARM}
    # Cooling is only believed once it is seen: the dwells start at the first good reading.
    transitions = run(governor, [reading(t, 60.0) for t in range(300, 400, 2)])
    assert steps(transitions) == [(HOT, WARM, "temperature", 330),
                                  (WARM, NORMAL, "temperature", 360)]


def test_a_machine_without_a_sensor_ignores_temperature() -> None:
    governor = Governor(WatchdogConfig())
    assert run(governor, [reading(t, None, "") for t in range(0, 1000, 2)]) == []
    assert governor.tier == NORMAL
    assert steps(run(governor, [reading(1000, None, "", free_mb=500)])) == [
        (NORMAL, CRITICAL, "memory", 1000)]


def test_combined_signals_take_the_max_and_step_down_waits_for_every_one() -> None:
    governor = Governor(WatchdogConfig())
    start = [reading(0, 76.0), reading(2, 76.0, swap_mb=600),
             reading(4, 76.0, swap_mb=600, free_mb=900)]
    assert steps(run(governor, start)) == [(NORMAL, HOT, "temperature", 0),
                                           (HOT, CRITICAL, "memory", 4)]
    assert governor.causes == {"memory": CRITICAL, "temperature": HOT, "swap": HOT}
    # RAM recovers: down to HOT, which heat and swap still demand.
    ram_back = [reading(t, 76.0, swap_mb=600, free_mb=2000) for t in range(6, 100, 2)]
    assert steps(run(governor, ram_back)) == [(CRITICAL, HOT, "memory", 36)]
    # It cools, but swap still holds HOT: nothing moves.
    cooled = [reading(t, 50.0, swap_mb=600, free_mb=2000) for t in range(100, 200, 2)]
    assert run(governor, cooled) == []
    assert governor.causes == {"swap": HOT}       # temperature stepped down behind swap
    swap_freed = [reading(t, 50.0, swap_mb=0, free_mb=2000) for t in range(200, 300, 2)]
    assert steps(run(governor, swap_freed)) == [(HOT, NORMAL, "swap", 230)]


def test_a_signal_below_the_tier_does_not_cause_a_transition_but_shows_in_causes() -> None:
    governor = Governor(WatchdogConfig())
    run(governor, [reading(0, 85.0)])
    assert governor.update(reading(2, 85.0, swap_mb=900)) is None
    assert governor.swap_pressure and governor.tier == CRITICAL


def test_swap_margin_must_leave_room_below_the_limit() -> None:
    with pytest.raises(InvalidCombination, match="swap_margin_mb"):
        WatchdogConfig(swap_mb=100, swap_margin_mb=100)


@pytest.mark.parametrize("dwell_s", [0.0, 10.0])
def test_zero_dwell_still_steps_one_rung_per_reading(dwell_s: float) -> None:
    governor = Governor(WatchdogConfig(dwell_s=dwell_s))
    run(governor, [reading(0, 90.0)])
    gap = max(dwell_s, 2.0)
    transitions = run(governor, [reading(2 + gap * i, 40.0) for i in range(5)])
    assert [t.tier for t in transitions] == [HOT, WARM, NORMAL]
