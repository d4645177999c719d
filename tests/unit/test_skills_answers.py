"""What the skills say, and what they do to the timers, on a clock the test moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.skillclock import START, Clock, make_skills
from voicebox.skills.rings import Announcement


def say(skills, text: str, language: str = "en") -> str:
    answer = skills.answer(text, language, language)
    assert answer is not None, text
    return answer.text


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def skills(clock: Clock):
    return make_skills(clock)


@pytest.mark.parametrize(("language", "time", "date", "weekday"), [
    ("en", "It's 2 oh 5 PM.", "Today is Saturday, March 21st, 2026.", "Today is Saturday."),
    ("de", "Es ist 14 Uhr 5.", "Heute ist Samstag, der einundzwanzigste März 2026.",
     "Heute ist Samstag."),
    ("fr", "Il est 14 heures 5.", "Nous sommes samedi 21 mars 2026.", "Nous sommes samedi."),
    ("es", "Son las 2 y 5 de la tarde.", "Hoy es sábado, 21 de marzo de 2026.",
     "Hoy es sábado."),
])
def test_time_date_and_weekday(skills, language: str, time: str, date: str,
                               weekday: str) -> None:
    questions = {"en": ("what time is it", "what's the date", "what day is it"),
                 "de": ("wie spät ist es", "welches datum ist heute", "welcher tag ist heute"),
                 "fr": ("quelle heure est-il", "quelle est la date", "quel jour sommes-nous"),
                 "es": ("qué hora es", "qué fecha es hoy", "qué día es hoy")}[language]
    assert [say(skills, q, language) for q in questions] == [time, date, weekday]


@pytest.mark.parametrize(("said", "language", "reply"), [
    ("what is twelve times seven", "en", "12 times 7 is 84."),
    ("zwölf mal sieben", "de", "12 mal 7 ist 84."),
    ("douze fois sept", "fr", "12 fois 7 font 84."),
    ("doce por siete", "es", "12 por 7 es 84."),
    ("what is 1 divided by 3", "en", "1 divided by 3 is about 0.333."),
    ("was ist 7 geteilt durch 2", "de", "7 geteilt durch 2 ist 3,5."),
    ("what is 0.1 plus 0.2", "en", "0.1 plus 0.2 is 0.3."),
    ("what is two minus seven", "en", "2 minus 7 is minus 5."),
    ("what is 5 divided by 0", "en", "Nothing can be divided by zero."),
    ("cinq divisé par zéro", "fr", "On ne peut pas diviser par zéro."),
])
def test_sums(skills, said: str, language: str, reply: str) -> None:
    assert say(skills, said, language) == reply


def test_timers_set_ask_and_cancel(skills, clock: Clock) -> None:
    assert say(skills, "set a timer for 5 minutes") == "Timer set for 5 minutes."
    assert say(skills, "set a timer for ten minutes called pasta") == (
        "Pasta timer set for 10 minutes.")
    clock.now += 100
    assert say(skills, "how long is left") == (
        "Timer for 5 minutes: 3 minutes and 20 seconds left. "
        "Pasta timer: 8 minutes and 20 seconds left.")
    assert say(skills, "how long is left on the pasta timer") == "8 minutes and 20 seconds left."
    assert say(skills, "cancel the timer") == (
        "There are 2 timers: timer for 5 minutes and pasta timer. Which one?")
    assert say(skills, "cancel the pasta timer") == "Pasta timer cancelled."
    assert say(skills, "cancel the timer") == "Timer for 5 minutes cancelled."
    assert say(skills, "how long is left") == "No timer is running."
    assert say(skills, "cancel the egg timer") == "There is no timer called egg."


def test_cancel_all_and_by_length(skills) -> None:
    for minutes in (3, 5, 5):
        say(skills, f"set a timer for {minutes} minutes")
    assert say(skills, "cancel the 5 minute timer") == "Timer for 5 minutes cancelled."
    assert say(skills, "cancel all timers") == "2 timers cancelled."
    assert skills.status.running == ()


@pytest.mark.parametrize(("said", "reply"), [
    ("set a timer for 0 seconds", "A timer needs at least 1 second."),
    ("set a timer for 400 days", "400 days is too long. The longest timer is 1 day."),
    ("set a timer", "For how long? Say, for example: set a timer for 5 minutes."),
    ("set an alarm for 25 o'clock", "There is no 25 o'clock. Say a time like 7:30."),
    ("set an alarm for 13 pm", "There is no 13 o'clock. Say a time like 7:30."),
    ("set an alarm for 7:75", "An hour has no minute 75. Say a time like 7:30."),
    ("cancel my alarm", "No alarm is set."),
    ("say that again", "I haven't said anything yet."),
])
def test_bad_requests_get_a_specific_reply(skills, said: str, reply: str) -> None:
    assert say(skills, said) == reply
    assert skills.status.running == ()


def test_too_many_timers(clock: Clock) -> None:
    skills = make_skills(clock, max_timers=2)
    say(skills, "set a timer for 1 minute")
    say(skills, "set a timer for 2 minutes")
    assert say(skills, "set a timer for 3 minutes") == (
        "There are already 2 timers. Cancel one first.")


@pytest.mark.parametrize(("said", "reply"), [
    ("set an alarm for 7:30 am", "Alarm set for 7 30 AM tomorrow."),
    ("set an alarm for 6 pm", "Alarm set for 6 PM today."),
    ("wake me up at 3", "Alarm set for 3 PM today."),      # 3:00 passed, 15:00 comes first
    ("set an alarm for 14:00", "Alarm set for 2 PM tomorrow."),
])
def test_alarms_go_off_at_the_next_such_time(skills, said: str, reply: str) -> None:
    assert say(skills, said) == reply


def test_a_timer_rings_then_stop_silences_it(skills, clock: Clock) -> None:
    say(skills, "set a timer for 1 minute called tea")
    assert skills.tick() == []
    clock.now += 60
    assert skills.tick() == [Announcement("Your tea timer is done.", "en", 1)]
    assert skills.status.ringing == 1
    assert say(skills, "stop") == ""
    clock.now += 60
    assert skills.tick() == [] and skills.status.ringing == 0


def test_an_alarm_rings_with_the_time(skills, clock: Clock) -> None:
    say(skills, "réveille-moi à quinze heures", "fr")
    clock.now = START + 55 * 60
    assert skills.tick() == [Announcement("Il est 15 heures. C'est ton alarme.", "fr", 1)]


def test_repeat_says_the_last_answer(skills) -> None:
    skills.remember("The capital of France is Paris.")
    assert say(skills, "say that again") == "The capital of France is Paris."


def test_timers_survive_a_restart(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "timers.json"
    before = make_skills(clock, path)
    say(before, "set a timer for 10 minutes called pasta")
    say(before, "set a timer for 1 minute")
    say(before, "set an alarm for 7 pm")
    clock.now += 30
    after = make_skills(clock, path)                    # the box restarted
    assert [(t.kind, t.name, t.remaining_s) for t in after.status.running] == [
        ("timer", "", 30.0), ("timer", "pasta", 570.0), ("alarm", "", 17670.0)]
    say(after, "cancel the pasta timer")
    assert len(make_skills(clock, path).status.running) == 2


def test_a_timer_that_ended_while_the_box_was_off_is_announced(tmp_path: Path,
                                                               clock: Clock) -> None:
    path = tmp_path / "timers.json"
    say(make_skills(clock, path), "set a timer for 5 minutes called pasta")
    clock.now += 3600                                    # off for an hour
    back = make_skills(clock, path)
    assert back.tick() == [Announcement(
        "While I was off, your pasta timer ended at 2 10 PM.", "en", 1)]
    assert back.tick() == [] and back.status.running == ()
    assert make_skills(clock, path).tick() == []         # announced once, not at every start


def test_for_how_long_is_answered_by_a_bare_duration_soon_after(skills, clock: Clock) -> None:
    assert skills.answer("five minutes", "en", "en") is None     # out of the blue: the LLM's
    say(skills, "set a timer")
    clock.now += 10
    assert say(skills, "five minutes") == "Timer set for 5 minutes."
    assert skills.answer("five minutes", "en", "en") is None     # asked once, answered once
    say(skills, "Stell einen Timer", "de")
    clock.now += 31
    assert skills.answer("fünf Minuten", "de", "de") is None     # too late: a new question
    assert len(skills.status.running) == 1
