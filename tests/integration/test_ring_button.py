"""The push-to-talk button stops a ringing timer without starting a question: the real
conversation conductor and pipeline with the dev models (no audio devices opened)."""

from __future__ import annotations

import pytest

from tests.unit.skillclock import Clock, make_skills
from voicebox.conductor.conversation import Conversation
from voicebox.conductor.pipeline import Engines
from voicebox.conductor.policy import Button
from voicebox.conductor.timeline import Timeline
from voicebox.config import Config
from voicebox.events import TurnCancelled
from voicebox.skills.engine import Skills
from voicebox.skills.rings import Announcement


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def skills(clock: Clock) -> Skills:
    return make_skills(clock)


@pytest.fixture
def conversation(engines: Engines, config: Config, timeline: Timeline,
                 skills: Skills) -> Conversation:
    return Conversation(engines, config, timeline, skills)


def held(conversation: Conversation) -> list[bool]:
    """What the conductor told the listener about push-to-talk, in order."""
    queue = conversation.listener._held
    return [queue.get() for _ in range(queue.qsize())]


def ring_tea(skills: Skills, clock: Clock) -> None:
    skills.answer("set a timer for 1 minute called tea", "en", "en")
    clock.now += 60
    assert skills.tick() and skills.status.ringing == 1


def test_a_press_while_a_timer_rings_stops_it_and_starts_no_question(
        conversation: Conversation, skills: Skills, clock: Clock) -> None:
    ring_tea(skills, clock)
    conversation.handle(Button(True, audible=False))
    conversation.handle(Button(False, audible=False))
    assert skills.status.ringing == 0
    assert held(conversation) == [] and conversation.policy.questions == 0
    clock.now += 10
    assert skills.tick() == []                          # the 10 s repeat does not come
    conversation.handle(Button(True, audible=False))    # nothing rings: push-to-talk again
    conversation.handle(Button(False, audible=False))
    assert held(conversation) == [True, False]


def test_a_press_during_the_announcement_cuts_it_off(
        conversation: Conversation, skills: Skills, clock: Clock,
        timeline: Timeline) -> None:
    ring_tea(skills, clock)
    pipeline = conversation.pipeline
    assert pipeline.announce(Announcement("Your tea timer is done.", "en", 1))
    turn = pipeline._announcing
    assert turn is not None and not turn.cancelled
    conversation.handle(Button(True, audible=True))
    assert turn.cancelled and skills.status.ringing == 0
    assert isinstance(timeline.first(turn.turn_id, TurnCancelled), TurnCancelled)
    assert held(conversation) == [] and conversation.barge_ins == 0
