"""/health's verdict before the box can talk."""

from __future__ import annotations

from voicebox.config import load_config
from voicebox.daemon.report import health_report
from voicebox.daemon.service import Daemon


def test_health_before_the_models_are_loaded_is_failing_and_says_why() -> None:
    daemon = Daemon(load_config())
    health = health_report(daemon)
    assert health["status"] == "failing"
    assert health["problems"] == ["models not loaded yet"]
    assert health["stt"] == {"status": "not loaded", "model": None, "last_progress_s": None}
    assert health["mic"]["status"] == "not started"
    daemon.recorder.error("audio-device", "audio", "the microphone stream stopped")
    assert health_report(daemon)["last_error"]["message"] == "the microphone stream stopped"
