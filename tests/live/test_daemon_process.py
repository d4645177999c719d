"""``voicebox run`` as a subprocess on the virtual sound card, watched as systemd would.

One daemon for the module, in order: it gets ready (READY only after warm-up, then watchdog
pings), answers a spoken question (STATUS follows the turn; /health and /metrics count it;
journald's record of the turn), refuses bad HTTP, and stops cleanly on SIGTERM.
"""

from __future__ import annotations

import itertools
import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live.talk import say, wait_until
from tests.rig.daemon import DaemonProcess, write_config
from tests.rig.vaudio import VirtualAudio

QUESTION = "Tell me a story about a dragon."


@pytest.fixture(scope="module")
def daemon(vaudio: VirtualAudio, tmp_path_factory) -> Iterator[DaemonProcess]:
    workdir: Path = tmp_path_factory.mktemp("daemon")
    process = DaemonProcess(write_config(workdir), workdir, env=vaudio.env)
    process.start_ready()
    yield process
    process.stop()


def test_ready_comes_only_after_the_models_are_warm(daemon: DaemonProcess) -> None:
    statuses = daemon.statuses()
    assert statuses[:2] == ["loading models", "warming up the models"]
    ready = daemon.notice("READY", "1")
    assert ready is not None and ready["STATUS"] in ("opening the audio devices", "listening")
    ready_log = daemon.wait_for(lambda: daemon.log("ready"), 5, "the ready record")
    assert ready_log["models"]["llm"]


def test_watchdog_pings_come_at_half_the_watchdog_interval(daemon: DaemonProcess) -> None:
    since = time.monotonic()
    daemon.wait_for(lambda: len(daemon.pings(after=since)) >= 4, 10, "four watchdog pings")
    pings = daemon.pings(after=since)
    gaps = [later - earlier for earlier, later in itertools.pairwise(pings)]
    assert all(0.3 < gap < 1.0 for gap in gaps), gaps  # WATCHDOG_USEC is 1 s


def test_a_spoken_question_is_answered_and_everything_reports_it(daemon: DaemonProcess, rig,
                                                                 voice) -> None:
    feed, tap = rig
    daemon.wait_for(lambda: daemon.health()["mic"]["status"] == "ok", 10, "the mic opened")
    asked = say(feed, voice, QUESTION)
    record = daemon.wait_for(lambda: daemon.log("turn"), 60, "the turn record")
    wait_until(lambda: daemon.statuses()[-1] == "listening", 60,
               f"back to listening: {daemon.statuses(after=asked)}")
    assert record["outcome"] == "answered"
    assert record["transcript_chars"] == len(QUESTION), daemon.log("turn-text")
    assert record["language"] == "en"
    for timing in ("stt_s", "llm_first_token_s", "tts_first_audio_s", "voice_to_voice_s"):
        assert record[timing] is not None and record[timing] > 0, timing
    turn = record["turn_id"]
    statuses = daemon.statuses(after=asked)
    assert f"thinking: turn {turn}" in statuses
    assert f"speaking: turn {turn}" in statuses
    assert tap.sound_span(after=asked + 2.0) is not None, "nothing came out of the speaker"

    health = daemon.health()
    assert health["status"] == "ok", health["problems"]
    assert health["turns"] == 1
    assert health["temperature_c"] == 48.0
    assert health["watchdog"]["tier"] == "normal"
    assert {health[role]["status"] for role in ("stt", "llm", "tts")} == {"ok"}
    status, metrics = daemon.get("/metrics")
    assert status == 200
    assert "turns_total 1.0" in metrics
    assert "voice_to_voice_latency_seconds_count 1.0" in metrics
    assert "system_cpu_temperature_celsius 48.0" in metrics
    assert "throttle_tier 0.0" in metrics


def test_bad_http_requests_get_json_errors_and_change_nothing(daemon: DaemonProcess) -> None:
    for path, method, code in (("/health", "POST", 405), ("/nothing", "GET", 404),
                               ("/metrics", "DELETE", 405)):
        status, body = daemon.get(path, method)
        assert status == code
        assert json.loads(body)["status"] == code
    assert daemon.health()["status"] == "ok"


def test_sigterm_stops_it_cleanly_within_five_seconds(daemon: DaemonProcess) -> None:
    assert daemon.proc is not None
    started = time.monotonic()
    daemon.proc.send_signal(signal.SIGTERM)
    assert daemon.proc.wait(10) == 0
    assert time.monotonic() - started < 5.0
    assert daemon.notice("STOPPING", "1") is not None
    stopped = daemon.wait_for(lambda: daemon.log("stopped"), 2, "the stopped record")
    assert stopped["clean"] is True
