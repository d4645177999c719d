"""Local skills in the real pipeline with the dev models: spoken question, skill answer,
spoken reply, and timers announced through the same audio path."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator

import pytest

from tests.integration.test_pipeline import WAIT_S, answer_audio, kinds
from voicebox.conductor.pipeline import Engines, Pipeline
from voicebox.conductor.timeline import Timeline
from voicebox.config import Config
from voicebox.events import (
    Announced,
    FirstAudio,
    FirstSentence,
    FirstToken,
    LlmDone,
    SkillAnswered,
    SttDone,
    TurnDone,
    TurnStarted,
)
from voicebox.messages import AudioChunk, EndOfAnswer
from voicebox.skills.engine import Skills


@pytest.fixture
def skills(config: Config) -> Skills:
    return Skills(config.skills, store=None)


@pytest.fixture
def skilled(engines: Engines, config: Config, timeline: Timeline,
            skills: Skills) -> Iterator[Pipeline]:
    running = Pipeline(engines, config, timeline, skills)
    running.start()
    yield running
    assert running.stop(), "a pipeline worker or the ringer did not stop"


def test_a_sum_is_answered_by_the_skill_and_never_reaches_the_llm(
        skilled: Pipeline, timeline: Timeline, speak) -> None:
    turn = skilled.submit(speak("What is twelve times seven?"))
    chunks = answer_audio(skilled, turn)
    assert chunks and all(isinstance(c, AudioChunk) for c in chunks)
    answered = timeline.first(turn.turn_id, SkillAnswered)
    assert isinstance(answered, SkillAnswered)
    assert (answered.skill, answered.answer) == ("arithmetic", "12 times 7 is 84.")
    order = [TurnStarted, SttDone, SkillAnswered, FirstSentence, FirstAudio, TurnDone]
    assert [k for k in kinds(timeline, turn) if k in order] == order
    assert timeline.first(turn.turn_id, LlmDone) is None
    assert timeline.first(turn.turn_id, FirstToken) is None
    assert timeline.first(turn.turn_id, TurnDone).answer == "12 times 7 is 84."
    assert skilled.history.exchanges(time.monotonic()) == ()


def test_a_question_no_skill_knows_goes_to_the_llm(skilled: Pipeline, timeline: Timeline,
                                                   speak) -> None:
    turn = skilled.submit(speak("What is the capital of France?"))
    assert answer_audio(skilled, turn)
    assert timeline.first(turn.turn_id, SkillAnswered) is None
    assert isinstance(timeline.first(turn.turn_id, LlmDone), LlmDone)


def test_stop_says_nothing_and_ends_the_turn(skilled: Pipeline, timeline: Timeline,
                                             speak) -> None:
    turn = skilled.submit(speak("Stop."))
    assert answer_audio(skilled, turn) == []
    assert timeline.first(turn.turn_id, SkillAnswered).intent == "stop"
    assert timeline.first(turn.turn_id, TurnDone).spoken_sentences == 0


def test_say_that_again_repeats_the_last_answer(skilled: Pipeline, timeline: Timeline,
                                                speak) -> None:
    first = skilled.submit(speak("What is twelve times seven?"))
    answer_audio(skilled, first)
    again = skilled.submit(speak("Say that again."))
    assert answer_audio(skilled, again)
    assert timeline.first(again.turn_id, TurnDone).answer == "12 times 7 is 84."


def test_tell_me_more_makes_the_llm_continue_its_last_answer(
        skilled: Pipeline, timeline: Timeline, speak) -> None:
    first = skilled.submit(speak("Why is the sky blue?"))
    assert answer_audio(skilled, first)
    more = skilled.submit(speak("Tell me more."))
    assert answer_audio(skilled, more), "the continuation was not spoken"
    assert timeline.first(more.turn_id, SkillAnswered) is None
    said = [timeline.first(turn.turn_id, TurnDone).answer for turn in (first, more)]
    assert said[1] and said[1] != said[0]
    history = skilled.history.exchanges(time.monotonic())
    assert [exchange.user for exchange in history] == [
        timeline.first(turn.turn_id, SttDone).text for turn in (first, more)]
    assert history[1].user.strip(" .").lower() == "tell me more"
    for exchange, spoken in zip(history, said, strict=True):   # as heard, cut at its length
        assert exchange.assistant and spoken.startswith(exchange.assistant)


def test_the_earcon_goes_to_the_speaker_as_a_turn_nothing_waits_for(skilled: Pipeline) -> None:
    skilled.earcon("en")
    chunk = skilled.audio_out.get(timeout=WAIT_S)
    assert chunk.text == "" and chunk.sample_rate == 22050 and chunk.samples.size == 2646
    assert skilled.audio_out.empty(), "no end-of-answer: nobody waits for it"


def test_a_timer_is_announced_after_a_chime_through_the_audio_queue(
        skilled: Pipeline, timeline: Timeline, skills: Skills) -> None:
    answer = skills.answer("set a timer for 1 second called tea", "en", "en")
    assert answer is not None and answer.text == "Tea timer set for 1 second."
    (announced,) = _wait_for(timeline, Announced)
    assert announced.text == "Your tea timer is done."
    chunks = []
    while not (chunks and isinstance(chunks[-1], EndOfAnswer)):
        chunks.append(skilled.audio_out.get(timeout=WAIT_S))
    chime, *speech, _end = chunks
    assert chime.text == "" and chime.sample_rate == 22050 and chime.samples.size > 10000
    assert [c.text for c in speech] == ["Your tea timer is done."]
    assert isinstance(timeline.wait_until_final(announced.turn_id, WAIT_S), TurnDone)


def test_talking_over_an_announcement_pauses_the_ringing_which_comes_back(
        engines: Engines, config: Config, timeline: Timeline) -> None:
    often = Skills(dataclasses.replace(config.skills, ring_every_s=5.0), store=None)
    running = Pipeline(engines, config, timeline, often)
    running.start()
    try:
        often.answer("set a timer for 1 second", "en", "en")
        (first,) = _wait_for(timeline, Announced)
        assert running.cancel("barge-in") is not None
        assert often.status.ringing == 1                # only "stop" or the button stop it
        deadline = time.monotonic() + WAIT_S
        while len(timeline.events_of(Announced)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        again = timeline.events_of(Announced)[1]
        assert again.text == first.text and again.at - first.at >= 5.0
    finally:
        assert running.stop()


def _wait_for(timeline: Timeline, kind: type) -> list:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        found = timeline.events_of(kind)
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"no {kind.__name__}")
