"""The live conversation through real PortAudio on the virtual sound card.

A question is played into the virtual microphone, the answer is recorded from the virtual
speaker. With the echo room on, the speaker's sound comes back into the microphone at a delay
and gain the code is not told (the test picks them at random).
"""

from __future__ import annotations

import time

import numpy as np

from tests.live.conftest import EchoRoom
from tests.live.talk import say, wait_until
from tests.rig.harness import MicFeed
from tests.rig.vaudio import VirtualAudio
from voicebox.conductor.conversation import Conversation, State
from voicebox.conductor.timeline import Timeline
from voicebox.events import FirstAudio, SttDone, TurnCancelled, TurnDone

WAIT_S = 60


def turn_with(timeline: Timeline, kind: type, after: int = 0):
    return next((e for e in timeline._events if isinstance(e, kind) and e.turn_id > after), None)


def test_a_question_into_the_mic_gets_a_spoken_answer(conversation: Conversation,
                                                      timeline: Timeline, rig, voice) -> None:
    feed, tap = rig
    asked = say(feed, voice, "Tell me a story about a dragon.")
    wait_until(lambda: turn_with(timeline, TurnDone), WAIT_S, "the answer was synthesised")
    heard = turn_with(timeline, SttDone)
    assert heard.text == "Tell me a story about a dragon."
    wait_until(lambda: conversation.state is not State.SPEAKING, WAIT_S, "the answer played")
    span = tap.sound_span(after=asked + 2.0)
    assert span is not None, "nothing came out of the speaker"
    assert span[1] - span[0] > 2.0
    assert conversation.barge_ins == 0


def test_the_echo_room_causes_no_false_barge_in(conversation: Conversation,
                                                timeline: Timeline, rig, voice,
                                                room: EchoRoom) -> None:
    feed, _tap = rig
    room.on(delay_ms=(20, 120), gain=(0.3, 0.7))
    say(feed, voice, "Tell me a story about a dragon.")
    wait_until(lambda: turn_with(timeline, TurnDone), WAIT_S, "the answer was synthesised")
    wait_until(lambda: conversation.state is not State.SPEAKING, WAIT_S, "the answer played")
    done = turn_with(timeline, TurnDone)
    assert done.spoken_sentences >= 3
    assert conversation.barge_ins == 0
    assert barge_in(timeline) is None
    status = conversation.listener.echo_status
    print(f"echo status at the end: {status}")
    assert status.erle_db is not None and status.erle_db > 10, status


def test_talking_over_the_answer_stops_it_and_becomes_the_next_question(
        conversation: Conversation, timeline: Timeline, rig, voice, room: EchoRoom) -> None:
    feed, tap = rig
    room.on(delay_ms=(20, 120), gain=0.5)
    say(feed, voice, "Tell me a story about a dragon.")
    wait_until(lambda: turn_with(timeline, FirstAudio), WAIT_S, "the answer started")
    wait_until(lambda: conversation.listener.echo_status.erle_db is not None, WAIT_S,
               "the canceller converged on the room (a second measured after settling)")
    interrupted_at = say(feed, voice, "Stop. What is the capital of Spain?")
    # (A pause inside the question may already have withdrawn a tentative turn: "speech
    # resumed"; only the barge-in cancellation counts here.)
    wait_until(lambda: barge_in(timeline), 10, "the answer was cancelled by the barge-in")
    assert conversation.barge_ins == 1
    first = turn_with(timeline, SttDone)
    wait_until(lambda: turn_with(timeline, SttDone, after=first.turn_id), WAIT_S,
               "the interruption was transcribed")
    assert "Spain" in turn_with(timeline, SttDone, after=first.turn_id).text
    audio = tap.audio
    start = int((interrupted_at - tap.time_at(0)) * tap.rate)
    quiet = quiet_from(audio[start:], tap.rate)
    assert quiet is not None and quiet < 2.0, "the speaker kept talking over the user"
    story = conversation.pipeline.history.exchanges(time.monotonic())[0]
    assert story.interrupted and story.user == "Tell me a story about a dragon."


def barge_in(timeline: Timeline) -> TurnCancelled | None:
    return next((e for e in timeline._events
                 if isinstance(e, TurnCancelled) and e.reason == "barge-in"), None)


def quiet_from(audio: np.ndarray, rate: int, gap_s: float = 0.3) -> float | None:
    """Seconds until the first stretch of ``gap_s`` silence in ``audio``."""
    loud = np.abs(audio) > 1e-3
    window = int(gap_s * rate)
    run = 0
    for index, sample_loud in enumerate(loud):
        run = 0 if sample_loud else run + 1
        if run >= window:
            return (index - window) / rate
    return None


def test_the_box_recovers_when_the_sound_server_dies(conversation: Conversation,
                                                     timeline: Timeline, vaudio: VirtualAudio,
                                                     voice) -> None:
    conversation.pipeline.history.add(
        __import__("voicebox.llm.history", fromlist=["Exchange"]).Exchange(
            "My name is Ada.", "Hello Ada.", "en", turn_id=0), time.monotonic())
    vaudio.kill_server()
    wait_until(lambda: conversation.audio_status[0] == "lost", 10, "the loss was noticed")
    assert conversation.audio_status[1]
    vaudio.restart()
    wait_until(lambda: conversation.audio_status[0] == "ok", 30, "the audio came back")
    assert conversation.link.recoveries >= 1
    feed = MicFeed()
    feed.start()
    try:
        say(feed, voice, "Tell me a story about a dragon.")
        wait_until(lambda: turn_with(timeline, TurnDone), WAIT_S, "the answer after recovery")
    finally:
        feed.stop()
    users = [e.user for e in conversation.pipeline.history.exchanges(time.monotonic())]
    assert users == ["My name is Ada.", "Tell me a story about a dragon."]
