"""The timer book: time in, decisions out."""

from __future__ import annotations

from voicebox.skills.timers import ALARM, TIMER, BookLimits, Refusal, Ring, Timer, TimerBook


def book(**limits: float) -> TimerBook:
    return TimerBook(BookLimits(**limits))


def test_a_timer_rings_when_it_ends_and_again_until_it_has_rung_enough() -> None:
    timers = book(ring_times=3, ring_every_s=20)
    timer = timers.add_timer(300, "en", now=1000.0)
    assert isinstance(timer, Timer) and timer.ends_at == 1300.0
    assert timers.tick(1299.9) == []
    assert timers.tick(1300.0) == [Ring(timer)]
    assert timers.running == () and timers.ringing == (timer,)
    assert timers.tick(1310.0) == []
    assert timers.tick(1320.0) == [Ring(timer)]
    assert timers.tick(1340.0) == [Ring(timer)]
    assert timers.tick(1400.0) == [] and timers.ringing == ()


def test_stop_silences_what_rings() -> None:
    timers = book()
    timer = timers.add_timer(10, "en", now=0.0)
    timers.tick(10.0)
    assert timers.silence() == (timer,)
    assert timers.tick(100.0) == []


def test_several_timers_run_at_once_soonest_first() -> None:
    timers = book()
    long = timers.add_timer(600, "en", 0.0, name="pasta")
    short = timers.add_timer(60, "en", 0.0)
    assert timers.running == (short, long)
    assert timers.of_kind(TIMER, "pasta") == (long,)
    assert timers.tick(60.0) == [Ring(short)]
    assert timers.running == (long,)


def test_refusals_say_why_and_give_the_limit() -> None:
    timers = book(min_s=1, max_s=86400, max_timers=2)
    assert timers.add_timer(0, "en", 0.0) == Refusal("too-short", 1)
    assert timers.add_timer(400 * 86400, "en", 0.0) == Refusal("too-long", 86400)
    timers.add_timer(60, "en", 0.0, name="tea")
    assert timers.add_timer(60, "en", 0.0, name="tea") == Refusal("name-taken")
    timers.add_alarm(3600.0, "en")
    assert timers.add_timer(60, "en", 0.0) == Refusal("too-many", 2)


def test_cancel_removes_only_running_timers() -> None:
    timers = book()
    first = timers.add_timer(60, "en", 0.0)
    alarm = timers.add_alarm(500.0, "de")
    assert alarm.kind == ALARM and timers.of_kind(ALARM) == (alarm,)
    assert timers.cancel((first,)) == (first,)
    assert timers.cancel((first,)) == ()
    assert timers.running == (alarm,)


def test_restored_timers_that_ended_meanwhile_ring_once_as_missed() -> None:
    ended = Timer(4, TIMER, 100.0, "en", "tea", 60.0)
    later = Timer(7, ALARM, 900.0, "fr")
    timers = book(ring_times=3)
    timers.restore((ended, later), now=500.0)
    assert timers.running == (later,)
    assert timers.tick(500.0) == [Ring(ended, missed=True)]
    assert timers.tick(600.0) == []
    assert timers.add_timer(60, "en", 500.0).id == 8    # ids go on after the restored ones


def test_a_missed_timer_rings_once_and_counts_as_ringing_one_interval_only() -> None:
    """Not 60 s of "ringing" in silence after its one announcement (the button would only
    stop it, and /health would say a timer rings)."""
    timers = book(ring_every_s=10, ring_limit_s=60)
    ended = Timer(4, TIMER, 100.0, "en", "tea", 60.0)
    timers.restore((ended,), now=500.0)
    assert timers.tick(500.0) == [Ring(ended, missed=True)]
    assert timers.rings(ended.id, 509.9) and not timers.rings(ended.id, 510.0)
    assert timers.tick(510.0) == [] and timers.ringing == ()


def ring_times_of(timers: TimerBook, start: float, until: float, step: float = 0.5) -> list[float]:
    """The offsets from ``start`` at which ``tick`` rang, ticking every ``step`` seconds."""
    rang = []
    for i in range(int((until - start) / step) + 1):
        now = start + i * step
        if timers.tick(now):
            rang.append(now - start)
    return rang


def test_by_default_a_timer_rings_every_ten_seconds_for_a_minute() -> None:
    timers = book()
    timers.add_timer(60, "en", now=0.0)
    assert ring_times_of(timers, 60.0, 200.0) == [0, 10, 20, 30, 40, 50]
    assert timers.ringing == ()


def test_the_ring_limit_caps_the_repeats_however_many_are_left() -> None:
    timers = book(ring_times=20, ring_every_s=25, ring_limit_s=60)
    timers.add_timer(10, "en", now=0.0)
    assert ring_times_of(timers, 10.0, 300.0) == [0, 25, 50]    # 75 s would be past 60 s


def test_it_counts_as_ringing_until_the_limit_even_after_the_last_repeat() -> None:
    timers = book(ring_times=3, ring_every_s=20, ring_limit_s=60)
    timer = timers.add_timer(10, "en", now=0.0)
    assert ring_times_of(timers, 10.0, 55.0) == [0, 20, 40]
    assert timers.ringing == (timer,) and timers.rings(timer.id, 69.9)
    assert not timers.rings(timer.id, 70.0)                     # 60 s after it first rang
    assert timers.silence() == (timer,)                         # "stop" at 55 s still stops it
    assert not timers.rings(timer.id, 56.0)


def test_a_late_tick_still_rings_for_the_full_window() -> None:
    timers = book()
    timer = timers.add_timer(10, "en", now=0.0)
    assert timers.tick(12.0) == [Ring(timer)]                   # the ringer was 2 s late
    assert timers.rings(timer.id, 71.9) and not timers.rings(timer.id, 72.0)


def test_a_timer_that_never_rang_is_not_ringing() -> None:
    timers = book()
    timer = timers.add_timer(10, "en", now=0.0)
    assert not timers.rings(timer.id, 5.0) and not timers.rings(99, 5.0)
