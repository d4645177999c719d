"""/health reads the conversation's published audio snapshot, not the audio threads' parts."""

from __future__ import annotations

import dataclasses
import time

from voicebox.audio.wake import WakeDetected
from voicebox.conductor.conversation import Conversation, State
from voicebox.conductor.pipeline import Engines
from voicebox.config import Config
from voicebox.daemon.report import health_report
from voicebox.daemon.service import Daemon


def test_health_shows_the_snapshot_the_conductor_published(engines: Engines,
                                                           config: Config) -> None:
    daemon = Daemon(config)
    conversation = Conversation(engines, config, daemon.recorder)
    daemon.conversation = conversation
    health = health_report(daemon)
    assert health["mic"] == {"status": "starting", "reason": "", "device": None,
                             "overruns": 0, "bad_frames": 0}
    assert health["speaker"]["queued_chunks"] == 0 and health["audio_recoveries"] == 0
    conversation.capture.overruns = 5                   # the capture thread counts on
    assert health_report(daemon)["mic"]["overruns"] == 0, "read from a part, not the snapshot"
    conversation.snapshot = conversation._snapshot()    # what the conductor does every tick
    assert health_report(daemon)["mic"]["overruns"] == 5


def test_health_shows_the_wake_word_and_what_it_did(engines: Engines, config: Config) -> None:
    """In wake mode the conversation loads the pinned detector; /health names the mode and
    the wake word and counts from the published snapshot."""
    waking = dataclasses.replace(config, listen=dataclasses.replace(config.listen, mode="wake"))
    daemon = Daemon(waking)
    conversation = Conversation(engines, waking, daemon.recorder)
    daemon.conversation = conversation
    assert conversation.listener.wake is not None
    assert health_report(daemon)["listening"] == {
        "mode": "wake", "wake_word": "hey_jarvis", "open": False, "wake_detections": 0,
        "wake_questions": 0, "false_wakes": 0, "follow_ups": 0, "detector_cpu_s": 0.0}
    assert conversation.state is State.IDLE
    now = time.monotonic()
    commands = conversation.policy.step(WakeDetected("hey_jarvis", now, 0.99), now)
    assert conversation.state is State.LISTENING, "the LED shows listening while it is open"
    conversation._carry_out(commands, None)             # the earcon goes to the speaker
    assert conversation.pipeline.audio_out.get_nowait().samples.size == 2646
    conversation.snapshot = conversation._snapshot()
    listening = health_report(daemon)["listening"]
    assert listening["wake_detections"] == 1 and listening["open"]
