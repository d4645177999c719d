"""What live tests do over and over: wait for a condition, say something into the mic."""

from __future__ import annotations

import time
from collections.abc import Callable

from tests.rig.harness import MicFeed
from voicebox.speech.tts import TextToSpeech


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    """Poll ``condition`` every 50 ms; fail with ``what`` when ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.05)


def say(feed: MicFeed, voice: TextToSpeech, text: str) -> float:
    """Play ``text`` into the microphone; returns when its first sample was written."""
    speech = voice.synthesize(text, "en")
    clip = feed.play(speech.samples, speech.sample_rate)
    assert clip.wait(30)
    return clip.started_at
