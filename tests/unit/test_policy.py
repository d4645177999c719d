"""The conversation's rules, one transition at a time, with plain numbers."""

from __future__ import annotations

import numpy as np
import pytest

from voicebox.audio.endpointer import SpeechResumed, SpeechStarted, TentativeEnd, UtteranceEnded
from voicebox.audio.listener import BargeIn, Heard
from voicebox.conductor.policy import (
    AnswerPlayed,
    Button,
    Cancel,
    Confirm,
    ConversationPolicy,
    DevicesLost,
    DevicesReopened,
    EndAfter,
    Hold,
    Interrupted,
    Refused,
    ResetAudio,
    StopAnswer,
    Submit,
    Tick,
    Transcribed,
)
from voicebox.speech.turn_shape import TurnShape

SAMPLES = np.zeros(1600, np.float32)


def started(audible: bool = False) -> Heard:
    return Heard(SpeechStarted(at=1.0), audible)


def tentative(audible: bool = False) -> Heard:
    return Heard(TentativeEnd(at=2.0, samples=SAMPLES, speech_end=1.85), audible)


def resumed(audible: bool = False) -> Heard:
    return Heard(SpeechResumed(at=2.1), audible)


def ended(audible: bool = False, speech_end: float = 1.85) -> Heard:
    return Heard(UtteranceEnded(at=2.5, samples=SAMPLES, speech_end=speech_end,
                                truncated=False), audible)


def kinds(commands: list) -> list[str]:
    return [type(command).__name__ for command in commands]


def answered(policy: ConversationPolicy) -> int:
    """Ask one question (tentative end, then the end) and return its number."""
    policy.step(started(), 1.0)
    policy.step(tentative(), 2.0)
    policy.step(ended(), 2.5)
    assert policy.answering is not None
    return policy.answering


def test_a_tentative_end_is_transcribed_and_the_end_confirms_it() -> None:
    policy = ConversationPolicy()
    assert policy.step(started(), 1.0) == []
    submit, hint = policy.step(tentative(), 2.0)
    assert isinstance(submit, Submit) and not submit.confirmed and submit.question == 1
    assert hint == EndAfter(TurnShape.UNFINISHED, 1.85)    # until its words are known
    assert policy.tentative == 1 and policy.answering is None
    assert policy.step(ended(speech_end=1.85), 2.5) == [Confirm(1, 1.85)]
    assert policy.tentative is None and policy.answering == 1


def test_speech_that_resumes_withdraws_the_tentative_turn() -> None:
    policy = ConversationPolicy()
    policy.step(tentative(), 2.0)
    assert policy.step(resumed(), 2.1) == [Cancel(1, "speech resumed")]
    (submit,) = policy.step(ended(), 3.0)
    assert isinstance(submit, Submit) and submit.confirmed and submit.question == 2
    assert submit.speech_end == 1.85 and policy.answering == 2


def test_speech_resumed_with_nothing_tentative_changes_nothing() -> None:
    policy = ConversationPolicy()
    assert policy.step(resumed(), 2.1) == []
    assert policy.ignored == {"nothing tentative": 1}


def test_a_second_tentative_end_replaces_the_first() -> None:
    policy = ConversationPolicy()
    policy.step(tentative(), 2.0)
    commands = policy.step(tentative(), 3.0)
    assert kinds(commands) == ["Cancel", "Submit", "EndAfter"]
    assert commands[0] == Cancel(1, "new question")
    assert policy.tentative == 2


def test_a_new_question_replaces_an_answer_being_prepared() -> None:
    policy = ConversationPolicy()
    answered(policy)
    policy.step(tentative(), 5.0)
    assert policy.answering is None and policy.tentative == 2


def test_while_the_box_is_audible_what_it_hears_is_its_own_voice() -> None:
    policy = ConversationPolicy()
    answered(policy)
    for heard in (started(True), tentative(True), resumed(True), ended(True)):
        assert policy.step(heard, 6.0) == []
    assert policy.ignored == {"own voice": 3}
    assert policy.answering == 1


def test_an_utterance_that_started_over_the_answer_stays_echo_after_it() -> None:
    """Begun by echo while the box spoke, ended after it fell silent: not a question."""
    policy = ConversationPolicy()
    answered(policy)
    policy.step(started(audible=True), 6.0)
    assert policy.step(tentative(audible=False), 7.0) == []
    assert policy.step(ended(audible=False), 7.5) == []
    assert not policy.echo_utterance
    assert policy.step(started(), 9.0) == [] and kinds(policy.step(tentative(), 9.5)) == [
        "Submit", "EndAfter"]


def test_a_barge_in_stops_the_answer_and_the_interruption_becomes_the_question() -> None:
    policy = ConversationPolicy()
    question = answered(policy)
    policy.step(started(audible=True), 6.0)
    assert policy.step(BargeIn(at=6.1), 6.1) == [StopAnswer(question, "barge-in")]
    assert policy.interrupted and policy.answering is None and not policy.echo_utterance
    # The last of the answer still echoes, but what the user says now counts.
    submit, _hint = policy.step(tentative(audible=True), 7.0)
    assert isinstance(submit, Submit) and submit.question == 2
    assert policy.step(ended(audible=False), 7.5) == [Confirm(2, 1.85)]
    assert not policy.interrupted and policy.answering == 2


def test_a_barge_in_with_nothing_to_stop_still_hears_the_user() -> None:
    policy = ConversationPolicy()
    assert policy.step(BargeIn(at=1.0), 1.0) == [StopAnswer(None, "barge-in")]
    assert kinds(policy.step(ended(audible=True), 2.0)) == ["Submit"]


def test_pressing_the_button_over_the_answer_interrupts_and_holds() -> None:
    policy = ConversationPolicy()
    question = answered(policy)
    policy.step(tentative(), 5.0)  # someone else spoke meanwhile
    commands = policy.step(Button(pressed=True, audible=True), 5.5)
    assert commands == [Cancel(2, "push-to-talk"), StopAnswer(None, "barge-in"), Hold(True)]
    assert policy.interrupted and question == 1
    assert policy.step(Button(pressed=False, audible=False), 7.0) == [Hold(False)]


def test_pressing_the_button_in_silence_only_holds() -> None:
    policy = ConversationPolicy()
    assert policy.step(Button(pressed=True, audible=False), 1.0) == [Hold(True)]
    assert not policy.interrupted


def test_an_interrupt_from_the_watchdog_stops_the_answer() -> None:
    policy = ConversationPolicy()
    question = answered(policy)
    assert policy.step(Interrupted("too hot"), 6.0) == [StopAnswer(question, "too hot")]
    assert policy.answering is None


def test_the_answer_played_ends_thinking_only_for_the_answer_in_progress() -> None:
    policy = ConversationPolicy()
    question = answered(policy)
    assert policy.step(AnswerPlayed(question + 5), 7.0) == []
    assert policy.answering == question
    assert policy.step(AnswerPlayed(question), 8.0) == []
    assert policy.answering is None


def test_a_refused_question_is_forgotten_whether_tentative_or_confirmed() -> None:
    policy = ConversationPolicy()
    policy.step(tentative(), 2.0)
    assert policy.step(Refused(1), 2.1) == [EndAfter(TurnShape.UNSURE, 1.85)]
    assert policy.tentative is None
    assert kinds(policy.step(ended(), 2.5)) == ["Submit"], "a new question, not a Confirm"
    assert policy.answering == 2
    assert policy.step(Refused(1), 2.6) == [] and policy.answering == 2, "an older one"
    assert policy.ignored["not a question in progress"] == 1
    assert policy.step(Refused(2), 2.7) == [] and policy.answering is None


def test_a_tentative_turn_never_confirmed_is_cancelled_after_the_timeout() -> None:
    policy = ConversationPolicy(tentative_timeout_s=5.0)
    policy.step(tentative(), 2.0)
    assert policy.step(Tick(), 6.9) == []
    assert policy.step(Tick(), 7.1) == [Cancel(1, "never confirmed")]
    assert policy.tentative is None
    assert policy.step(Tick(), 8.0) == []


def test_losing_the_sound_card_stops_the_answer_and_the_tentative_turn() -> None:
    policy = ConversationPolicy()
    question = answered(policy)
    assert policy.step(DevicesLost(), 6.0) == [StopAnswer(question, "audio lost")]
    policy.step(tentative(), 7.0)
    assert policy.step(DevicesLost(), 8.0) == [Cancel(2, "audio lost"),
                                                StopAnswer(None, "audio lost")]
    assert policy.answering is None and policy.tentative is None


def test_reopened_devices_reset_the_ear() -> None:
    policy = ConversationPolicy()
    policy.step(started(audible=True), 1.0)
    assert policy.step(DevicesReopened(), 2.0) == [ResetAudio()]
    assert not policy.echo_utterance


def test_something_that_is_not_an_event_is_refused() -> None:
    with pytest.raises(TypeError, match="not a conversation event"):
        ConversationPolicy().step("hello", 1.0)  # type: ignore[arg-type]


@pytest.mark.parametrize("shape", list(TurnShape))
def test_the_tentative_transcripts_shape_goes_back_to_the_endpointer(shape: TurnShape) -> None:
    policy = ConversationPolicy()
    policy.step(started(), 1.0)
    policy.step(tentative(), 2.0)
    assert policy.step(Transcribed(1, shape), 2.3) == [EndAfter(shape, 1.85)]


def test_a_shape_for_a_question_that_is_no_longer_tentative_is_ignored() -> None:
    policy = ConversationPolicy()
    policy.step(started(), 1.0)
    policy.step(tentative(), 2.0)
    policy.step(resumed(), 2.1)                     # withdrawn
    assert policy.step(Transcribed(1, TurnShape.FINISHED), 2.3) == []
    question = answered(policy)                    # a new question, already confirmed
    assert policy.step(Transcribed(question, TurnShape.FINISHED), 3.0) == []
    assert policy.ignored["not the tentative question"] == 2
