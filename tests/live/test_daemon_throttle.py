"""The watchdog throttling the running daemon: a temperature file heats up and cools down.

The dev profile's small STT tier is Whisper tiny.en (English only), so which model answered is
visible: the tiny model is not multilingual. The LLM has one dev model, so its small tier is the
nearest one: the same file, loaded afresh.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.live.talk import ask, say, wait_until
from voicebox.daemon.report import health_report
from voicebox.daemon.service import Daemon
from voicebox.daemon.throttle import EMERGENCY
from voicebox.events import TurnCancelled
from voicebox.speech.tts import TextToSpeech

WAIT_S = 60


def heat(daemon: Daemon, celsius: float) -> None:
    Path(daemon.config.watchdog.temperature_path).write_text(f"{int(celsius * 1000)}\n")


def test_heat_switches_to_the_small_tier_and_back_keeping_the_conversation(
        daemon: Daemon, rig, voice: TextToSpeech) -> None:
    feed, _tap = rig
    pipeline = daemon.conversation.pipeline
    standard_tokens = pipeline.llm.max_tokens
    assert ask(daemon, feed, voice, "Tell me a story about a dragon.").text
    assert pipeline.stt.stt.multilingual

    heat(daemon, 76.0)
    wait_until(lambda: daemon.watchdog.tier.label == "hot", 5, "hot")
    wait_until(lambda: "throttled (hot): shorter answers" in daemon.status, 5, "the status")
    assert pipeline.llm.max_tokens < standard_tokens
    heat(daemon, 83.0)
    wait_until(lambda: daemon.throttle.models["stt"] == "whisper-tiny-en-dev", 30,
               "the small STT model loaded")
    health = health_report(daemon)
    assert health["status"] == "degraded"
    assert health["watchdog"]["tier"] == "critical"
    assert health["watchdog"]["cause"] == "temperature"
    assert health["stt"]["model"] == "whisper-tiny-en-dev"
    assert daemon.metrics.registry.get_sample_value("throttle_tier") == 3

    heard = ask(daemon, feed, voice, "Tell me a story about a cat.")
    assert "cat" in heard.text.lower()
    assert not pipeline.stt.stt.multilingual, "the question was not heard by the small model"

    heat(daemon, 40.0)
    wait_until(lambda: daemon.watchdog.tier.label == "normal", 15, "cooled down step by step")
    wait_until(lambda: daemon.throttle.models["stt"] == "whisper-base", 30, "standard again")
    wait_until(lambda: daemon.status == "listening", 5, "the throttle left the status line")
    ask(daemon, feed, voice, "Tell me a story about a dragon.")
    assert pipeline.stt.stt.multilingual
    assert pipeline.llm.max_tokens == standard_tokens
    users = [e.user for e in pipeline.history.exchanges(time.monotonic())]
    assert len(users) == 3, users


def test_a_vanished_or_lying_sensor_holds_a_safe_tier_without_a_crash(daemon: Daemon) -> None:
    path = Path(daemon.config.watchdog.temperature_path)
    path.unlink()
    wait_until(lambda: daemon.watchdog.tier.label == "warm", 5, "the safe tier")
    health = health_report(daemon)
    assert health["watchdog"]["cause"] == "sensor"
    assert any("vanished" in problem for problem in health["problems"]), health["problems"]
    path.write_text("not a temperature\n")
    wait_until(lambda: "holds" in (daemon.watchdog.readings.temperature_error or ""), 5,
               "the garbage named")
    assert daemon.watchdog.tier.label == "warm"
    assert daemon.watchdog.is_alive()
    heat(daemon, 45.0)
    wait_until(lambda: daemon.watchdog.tier.label == "normal", 10, "trusting it again")


def test_an_emergency_cuts_the_answer_short_and_the_box_listens_again(
        daemon: Daemon, rig, voice: TextToSpeech) -> None:
    feed, tap = rig
    timeline = daemon.recorder.timeline
    say(feed, voice, "Tell me a story about a dragon.")
    wait_until(lambda: daemon.conversation.state.value == "speaking", WAIT_S, "the story")
    heat(daemon, 85.0)
    wait_until(lambda: [e for e in timeline.events_of(TurnCancelled)
                        if e.reason == EMERGENCY], 5, "the answer cut short")
    cut_at = time.monotonic()
    wait_until(lambda: daemon.conversation.state.value == "idle", 5, "listening again")
    assert tap.sound_span(after=cut_at + 0.5) is None, "the speaker went on talking"
    story = daemon.conversation.pipeline.history.exchanges(time.monotonic())[-1]
    assert story.interrupted
