"""What opens a question: the wake word, the follow-up window and the button, through the
conversation's rules, with plain times (seconds) and 16 kHz sample counts."""

from __future__ import annotations

import numpy as np
import pytest

from voicebox.audio.endpointer import SpeechStarted, TentativeEnd, UtteranceEnded
from voicebox.audio.listener import Heard
from voicebox.audio.wake import WakeDetected
from voicebox.conductor.listening import ListeningGate
from voicebox.conductor.policy import (
    AnswerPlayed,
    Button,
    Confirm,
    ConversationPolicy,
    DevicesReopened,
    Earcon,
    EndAfter,
    Hold,
    StopAnswer,
    Submit,
    Tick,
)
from voicebox.speech.turn_shape import TurnShape

RATE = 16000


def policy(mode: str = "wake") -> ConversationPolicy:
    return ConversationPolicy(gate=ListeningGate(mode, open_s=5.0, follow_up_s=6.0))


def speech(start: float, end: float) -> np.ndarray:
    """Samples numbered by their index, so a cut can be read off the first one kept."""
    return np.arange(round((end - start) * RATE), dtype=np.float32)


def utterance(rules: ConversationPolicy, start: float, end: float, wake_at: float | None = None,
              audible: bool = False) -> tuple[list, list]:
    """An utterance from ``start`` to ``end`` (with a wake word at ``wake_at``): the commands
    of its tentative end (150 ms after) and of its end (500 ms after); a transcribed tentative
    end's hint to the endpointer (EndAfter) is left out of them."""
    samples = speech(start, end)
    rules.step(Heard(SpeechStarted(start), audible), start)
    if wake_at is not None:
        rules.step(WakeDetected("hey_jarvis", wake_at, 0.99), wake_at)
    at_tentative = rules.step(Heard(TentativeEnd(end + 0.15, samples, end), audible), end + 0.15)
    at_end = rules.step(Heard(UtteranceEnded(end + 0.5, samples, end, truncated=False),
                              audible), end + 0.5)
    if any(isinstance(command, Submit) for command in at_tentative):
        assert at_tentative[-1] == EndAfter(TurnShape.UNFINISHED, end)
        at_tentative = at_tentative[:-1]
    return at_tentative, at_end


def test_in_wake_mode_speech_without_the_wake_word_is_not_a_question() -> None:
    rules = policy()
    assert utterance(rules, 1.0, 3.0) == ([], [])
    assert rules.questions == 0
    assert rules.ignored == {"not a question (yet)": 1, "no wake word": 1}


def test_in_one_breath_the_question_is_the_audio_after_the_wake_word() -> None:
    rules = policy()
    at_tentative, at_end = utterance(rules, 1.0, 3.0, wake_at=1.8)
    (submit,) = at_tentative
    assert isinstance(submit, Submit) and not submit.confirmed
    assert len(submit.samples) == 1.2 * RATE          # 1.8 s to 3.0 s
    assert submit.samples[0] == 0.8 * RATE            # the first 0.8 s (the wake word) is cut
    assert at_end == [Confirm(1, 3.0)]
    assert rules.gate.counters.wake_questions == 1


def test_the_wake_word_alone_opens_listening_with_the_earcon_and_the_next_speech_is_asked() -> None:
    rules = policy()
    # "Hey Jarvis" ends at 2.0; the detector fires at 2.1, after the end of speech.
    at_tentative, at_end = utterance(rules, 1.0, 2.0, wake_at=2.1)
    assert (at_tentative, at_end) == ([], [Earcon()])
    assert rules.gate.is_open(7.5) and not rules.gate.is_open(7.6)   # 2.5 + 5 s
    at_tentative, at_end = utterance(rules, 4.0, 6.0)
    assert isinstance(at_tentative[0], Submit) and len(at_tentative[0].samples) == 2 * RATE
    assert at_end == [Confirm(1, 6.0)]
    counters = rules.gate.counters
    assert (counters.detections, counters.wake_questions, counters.false_wakes) == (1, 1, 0)


def test_a_wake_word_the_vad_missed_opens_listening_at_once() -> None:
    rules = policy()
    assert rules.step(WakeDetected("hey_jarvis", 1.0, 0.98), 1.0) == [Earcon()]
    assert rules.gate.open_until == 6.0


def test_silence_after_the_wake_word_closes_listening_and_counts_a_false_wake() -> None:
    rules = policy()
    utterance(rules, 1.0, 2.0, wake_at=2.05)           # open until 2.5 + 5 = 7.5
    rules.step(Tick(), 7.4)
    assert rules.gate.is_open(7.4) and rules.gate.counters.false_wakes == 0
    rules.step(Tick(), 7.6)
    assert rules.gate.open_until is None and rules.gate.counters.false_wakes == 1
    assert utterance(rules, 8.0, 9.0) == ([], [])


def test_listening_stays_open_while_the_question_that_started_in_it_goes_on() -> None:
    rules = policy()
    rules.step(WakeDetected("hey_jarvis", 1.0, 0.98), 1.0)    # open until 6.0
    rules.step(Heard(SpeechStarted(5.5), False), 5.5)
    rules.step(Tick(), 8.0)                                     # still talking at 8.0
    assert rules.gate.counters.false_wakes == 0
    samples = speech(5.5, 8.5)
    commands = rules.step(Heard(UtteranceEnded(9.0, samples, 8.5, truncated=False), False), 9.0)
    assert isinstance(commands[0], Submit) and len(commands[0].samples) == 3 * RATE


def test_a_follow_up_within_the_window_needs_no_wake_word_and_one_after_it_does() -> None:
    rules = policy()
    utterance(rules, 1.0, 3.0, wake_at=1.8)
    rules.step(AnswerPlayed(1), 10.0)                          # follow-ups until 16.0
    at_tentative, _ = utterance(rules, 15.9, 17.0)
    assert isinstance(at_tentative[0], Submit) and at_tentative[0].samples[0] == 0
    assert rules.gate.counters.follow_ups == 1
    rules.step(AnswerPlayed(2), 20.0)                          # until 26.0
    assert utterance(rules, 26.1, 27.0) == ([], [])
    assert rules.gate.counters.follow_ups == 1


def test_no_follow_up_window_when_it_is_set_to_zero() -> None:
    rules = ConversationPolicy(gate=ListeningGate("wake", open_s=5.0, follow_up_s=0.0))
    utterance(rules, 1.0, 3.0, wake_at=1.8)
    rules.step(AnswerPlayed(1), 10.0)
    assert utterance(rules, 10.5, 12.0) == ([], [])


def test_the_wake_word_over_an_answer_stops_it_and_what_follows_is_the_question() -> None:
    rules = policy()
    utterance(rules, 1.0, 3.0, wake_at=1.8)                    # answering question 1
    rules.step(Heard(SpeechStarted(10.0), True), 10.0)         # the box is audible
    assert rules.step(WakeDetected("hey_jarvis", 10.8, 0.99), 10.8) == [
        StopAnswer(1, "wake word")]
    samples = speech(10.0, 12.0)
    submit, _hint = rules.step(Heard(TentativeEnd(12.15, samples, 12.0), True), 12.15)
    assert isinstance(submit, Submit) and len(submit.samples) == 1.2 * RATE


def test_the_wake_word_over_a_timer_announcement_stops_it_and_asks_the_rest() -> None:
    rules = policy()
    rules.step(Heard(SpeechStarted(10.0), True), 10.0)    # over the box, no answer in progress
    assert rules.step(WakeDetected("hey_jarvis", 10.8, 0.99), 10.8) == [
        StopAnswer(None, "wake word")]
    samples = speech(10.0, 12.0)
    submit, _hint = rules.step(Heard(TentativeEnd(12.15, samples, 12.0), True), 12.15)
    assert isinstance(submit, Submit) and len(submit.samples) == 1.2 * RATE


def test_the_wake_word_alone_over_an_answer_stops_it_and_opens_listening() -> None:
    rules = policy()
    utterance(rules, 1.0, 3.0, wake_at=1.8)
    assert rules.step(WakeDetected("hey_jarvis", 10.0, 0.99), 10.0) == [
        StopAnswer(1, "wake word"), Earcon()]


def test_in_button_mode_only_what_is_said_while_held_is_asked() -> None:
    rules = policy("button")
    assert utterance(rules, 1.0, 3.0) == ([], [])
    assert rules.step(Button(pressed=True, audible=False), 4.0) == [Hold(True)]
    assert rules.step(Button(pressed=False, audible=False), 6.0) == [Hold(False)]
    samples = speech(4.0, 6.0)
    (submit,) = rules.step(Heard(UtteranceEnded(6.01, samples, 6.0, truncated=False), False),
                           6.01)
    assert isinstance(submit, Submit) and submit.confirmed and len(submit.samples) == 2 * RATE
    assert utterance(rules, 7.0, 8.0) == ([], [])   # the press covered one utterance only


def test_a_button_press_that_captured_nothing_admits_no_later_utterance() -> None:
    rules = policy("button")
    rules.step(Button(pressed=True, audible=False), 1.0)
    rules.step(Button(pressed=False, audible=False), 1.05)   # nothing captured: no end comes
    rules.step(Tick(), 1.5)
    assert rules.gate.held                                   # 0.45 s: its end may still come
    rules.step(Tick(), 1.6)
    assert not rules.gate.held
    assert utterance(rules, 3.0, 4.0) == ([], [])


def test_the_button_asks_without_the_wake_word_in_wake_mode() -> None:
    rules = policy()
    rules.step(Button(pressed=True, audible=False), 1.0)
    samples = speech(1.0, 2.0)
    (submit,) = rules.step(Heard(UtteranceEnded(2.01, samples, 2.0, truncated=False), False),
                           2.01)
    assert isinstance(submit, Submit) and len(submit.samples) == RATE


def test_reopened_devices_forget_the_wake_word_of_the_lost_utterance() -> None:
    rules = policy()
    rules.step(Heard(SpeechStarted(1.0), False), 1.0)
    rules.step(WakeDetected("hey_jarvis", 1.8, 0.99), 1.8)
    rules.step(DevicesReopened(), 2.0)
    assert utterance(rules, 3.0, 4.0) == ([], [])


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="'clap' is not one of wake, always, button"):
        ListeningGate("clap")
