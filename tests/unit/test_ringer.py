"""The ringer around an answer in progress: a ring that falls due waits and is said right
after; repeats do not pile up; a timer stopped or timed out meanwhile is not said."""

from __future__ import annotations

import threading

from tests.unit.skillclock import Clock, make_skills
from voicebox.skills.engine import Skills
from voicebox.skills.ringer import Ringer
from voicebox.skills.rings import Announcement


class Box:
    """What the pipeline's ``announce`` answers: False while an answer is in progress."""

    def __init__(self) -> None:
        self.answering = False
        self.said: list[str] = []

    def announce(self, announcement: Announcement) -> bool:
        if self.answering:
            return False
        self.said.append(announcement.text)
        return True


def ringing_tea(clock: Clock) -> tuple[Skills, Box, Ringer]:
    skills = make_skills(clock)                         # rings every 10 s for 60 s
    skills.answer("set a timer for 1 minute called tea", "en", "en")
    box = Box()
    return skills, box, Ringer(skills, box.announce, threading.Event())


def step_for(ringer: Ringer, clock: Clock, seconds: float) -> None:
    for _ in range(int(seconds / 0.5)):
        clock.now += 0.5
        ringer.step()


def test_a_ring_during_an_answer_waits_and_repeats_do_not_pile_up() -> None:
    clock = Clock()
    _skills, box, ringer = ringing_tea(clock)
    step_for(ringer, clock, 60)
    assert box.said == ["Your tea timer is done."]      # rang at 60 s
    box.answering = True                                # a question at 61 s, a 25 s answer
    step_for(ringer, clock, 25)
    assert box.said == ["Your tea timer is done."]      # rings at 70 and 80 s held back
    box.answering = False
    ringer.step()
    assert box.said == ["Your tea timer is done."] * 2  # one ring right after the answer
    step_for(ringer, clock, 4.5)                        # the 90 s repeat is still to come
    assert len(box.said) == 2
    step_for(ringer, clock, 1)
    assert len(box.said) == 3


def test_a_timer_stopped_during_the_answer_is_not_said_after_it() -> None:
    clock = Clock()
    skills, box, ringer = ringing_tea(clock)
    step_for(ringer, clock, 60)
    box.answering = True
    step_for(ringer, clock, 15)                         # the 70 s ring waits
    assert skills.silence() == 1                        # the button
    box.answering = False
    step_for(ringer, clock, 60)
    assert box.said == ["Your tea timer is done."]


def test_a_ring_held_back_past_the_minute_is_dropped() -> None:
    clock = Clock()
    skills, box, ringer = ringing_tea(clock)
    step_for(ringer, clock, 60)
    box.answering = True
    step_for(ringer, clock, 65)                         # a very long answer: 61 s to 125 s
    box.answering = False
    step_for(ringer, clock, 30)
    assert box.said == ["Your tea timer is done."]
    assert skills.status.ringing == 0
