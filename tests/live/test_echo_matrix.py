"""The echo matrix through real PortAudio on the virtual sound card: in each room the box
speaks a long answer into its own echo without cutting itself off, then a user talks over
it, the answer stops and the interruption is answered.

The rooms (``tests/rig/room.py``): bulk delays from 20 to 700 ms, a reverberant room, a
small speaker played into distortion, two clocks drifting apart, and a living room with all
of it and background noise. The delays are the room's own; the rig's pump adds ~40 ms and the
sound server its buffers, so the measured delay is at least the room's. Ranges are drawn
from the printed seed (see ``room`` in conftest.py).
"""

from __future__ import annotations

import time

import pytest

from tests.live.conftest import EchoRoom, User
from tests.live.talk import wait_until
from tests.live.test_conversation import WAIT_S, barge_in, turn_with
from tests.rig.harness import MicFeed
from tests.rig.room import MATRIX
from tests.rig.vaudio import VirtualAudio
from voicebox.conductor.conversation import Conversation
from voicebox.conductor.timeline import Timeline
from voicebox.events import FirstAudio, SttDone, TurnDone

SPOKEN_ALONE_S = 6.0
"""How long the answer plays into its own echo, after the canceller's first measured second,
before the user talks over it."""


class AnswerAlone:
    """A wait condition: the answer has played ``seconds`` into its echo since the canceller's
    first live figure. Fails at once if the box cut itself off meanwhile."""

    def __init__(self, timeline: Timeline, conversation: Conversation, seconds: float) -> None:
        self.timeline, self.conversation, self.seconds = timeline, conversation, seconds
        self.since: float | None = None

    def __call__(self) -> bool:
        assert barge_in(self.timeline) is None, "the box took its own echo for the user"
        if self.conversation.listener.echo_status.erle_db is None:
            return False
        self.since = self.since or time.monotonic()
        return time.monotonic() - self.since >= self.seconds


@pytest.mark.parametrize("parts", MATRIX.values(), ids=MATRIX.keys())
def test_the_box_hears_the_user_not_its_echo_in_any_room(
        conversation: Conversation, timeline: Timeline, user: User, room: EchoRoom,
        parts: dict) -> None:
    delay_ms = parts["delay_ms"]
    room.on(gain=(0.3, 0.7), **parts)
    user.say("Tell me a story about a dragon.")
    wait_until(lambda: turn_with(timeline, FirstAudio), WAIT_S, "the answer started")
    wait_until(AnswerAlone(timeline, conversation, SPOKEN_ALONE_S), WAIT_S,
               f"{SPOKEN_ALONE_S:.0f} s of the answer played into its echo")
    status = conversation.listener.echo_status
    print(f"echo status before the interruption: {status}")
    assert status.alignment.aligned and status.alignment.delay_ms >= delay_ms

    user.say("Stop. What is the capital of Spain?")
    wait_until(lambda: barge_in(timeline), 10, "the answer was cancelled by the barge-in")
    story = turn_with(timeline, SttDone)
    wait_until(lambda: turn_with(timeline, SttDone, after=story.turn_id), WAIT_S,
               "the interruption was transcribed")
    question = turn_with(timeline, SttDone, after=story.turn_id)
    assert "Spain" in question.text, question.text
    wait_until(lambda: turn_with(timeline, TurnDone, after=story.turn_id), WAIT_S,
               "the interruption was answered")
    assert turn_with(timeline, TurnDone, after=story.turn_id).spoken_sentences >= 1
    assert conversation.barge_ins == 1


def test_alignment_is_found_again_after_the_sound_server_restarts(
        conversation: Conversation, timeline: Timeline, vaudio: VirtualAudio, voice,
        room: EchoRoom) -> None:
    before = room.on(delay_ms=150, gain=(0.3, 0.7))
    with MicFeed() as feed:
        User(feed, voice).say("Tell me a story about a dragon.")
        wait_until(lambda: turn_with(timeline, FirstAudio), WAIT_S, "the answer started")
        wait_until(AnswerAlone(timeline, conversation, 2.0), WAIT_S, "the canceller converged")
    first = conversation.listener.echo_status.alignment
    assert first.aligned and first.delay_ms >= before.delay_ms
    vaudio.kill_server()  # mid-answer: the devices vanish, and the echo path with them
    wait_until(lambda: conversation.audio_status[0] == "lost", 10, "the loss was noticed")
    vaudio.restart()
    wait_until(lambda: conversation.audio_status[0] == "ok", 30, "the audio came back")
    after = room.on(delay_ms=500, gain=(0.3, 0.7))  # another room: the old delay is void
    answered = turn_with(timeline, TurnDone)
    with MicFeed() as feed:
        User(feed, voice).say("Tell me a story about a dragon.")
        wait_until(lambda: turn_with(timeline, FirstAudio, after=answered.turn_id
                                     if answered else 0), WAIT_S, "the answer after recovery")
        wait_until(AnswerAlone(timeline, conversation, SPOKEN_ALONE_S), WAIT_S,
                   f"{SPOKEN_ALONE_S:.0f} s of the new answer played into the new echo")
    status = conversation.listener.echo_status
    print(f"echo status after the restart: {status}")
    assert status.alignment.aligned and status.alignment.delay_ms >= after.delay_ms
    assert status.erle_db is not None and status.erle_db > 20, status
