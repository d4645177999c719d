"""What live tests do over and over: wait for a condition, say something into the mic, hear
what the speaker said, ask the in-process daemon a question and wait for its answer."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from tests.rig.harness import MicFeed, SpeakerTap
from voicebox.daemon.service import Daemon
from voicebox.events import SttDone
from voicebox.speech.tts import TextToSpeech

ANSWER_WAIT_S = 60
T = TypeVar("T")


def wait_until(condition: Callable[[], T], timeout: float, what: str) -> T:
    """Poll ``condition`` every 50 ms until it is truthy, and return what it returned; fail
    with ``what`` when ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.05)
    return found


def say(feed: MicFeed, voice: TextToSpeech, text: str) -> float:
    """Play ``text`` into the microphone; returns when its first sample was written."""
    speech = voice.synthesize(text, "en")
    clip = feed.play(speech.samples, speech.sample_rate)
    assert clip.wait(30)
    return clip.started_at


def heard(tap: SpeakerTap, after: float, timeout: float, what: str,
          quiet_s: float = 1.0) -> tuple[float, float]:
    """Wait until the speaker played something after ``after`` and has been quiet for
    ``quiet_s`` since (a pause between sentences is shorter); when it started and stopped."""
    def over() -> tuple[float, float] | None:
        span = tap.sound_span(after=after)
        return span if span is not None and time.monotonic() - span[1] >= quiet_s else None

    return wait_until(over, timeout, what)


def ask(daemon: Daemon, feed: MicFeed, voice: TextToSpeech, text: str) -> SttDone:
    """Say ``text`` and wait until it was heard and answered; returns what was heard."""
    timeline = daemon.recorder.timeline
    before = len(timeline.events_of(SttDone))
    say(feed, voice, text)
    wait_until(lambda: len(timeline.events_of(SttDone)) > before, ANSWER_WAIT_S,
               f"{text!r} heard")
    wait_until(lambda: daemon.conversation.state.value == "idle", ANSWER_WAIT_S,
               "the answer played")
    return timeline.events_of(SttDone)[-1]
