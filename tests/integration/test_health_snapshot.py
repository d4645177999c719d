"""/health reads the conversation's published audio snapshot, not the audio threads' parts."""

from __future__ import annotations

from voicebox.conductor.conversation import Conversation
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
