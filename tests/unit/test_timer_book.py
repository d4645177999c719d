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
