"""The daemon in this process, on the virtual sound card: the service watchdog and the button.

In-process because a test must reach inside to stall a thread (a TTS call that never returns,
the fault systemd's watchdog exists for) and to press a gpiozero MockFactory button.
"""

from __future__ import annotations

import threading
import time

import pytest
from gpiozero.pins.mock import MockFactory

from tests.live.talk import say, wait_until
from voicebox.conductor.pipeline import Engines
from voicebox.daemon.report import health_report
from voicebox.daemon.service import Daemon
from voicebox.events import BARGE_IN, SttDone, TurnCancelled, TurnDone, TurnStarted

WAIT_S = 60


def pings(received: list[dict[str, str]]) -> int:
    return sum(fields.get("WATCHDOG") == "1" for fields in list(received))


def test_a_stalled_thread_stops_the_watchdog_pings_until_it_moves_again(
        daemon: Daemon, notify, speak, engines: Engines,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, received = notify
    wait_until(lambda: pings(received) >= 3, 5, "pings while all threads progress")
    release = threading.Event()
    synthesize = engines.tts.synthesize

    def hung(text: str, language: str):
        release.wait(30)
        return synthesize(text, language)

    monkeypatch.setattr(engines.tts, "synthesize", hung)
    daemon.conversation.pipeline.submit(speak("Tell me a story about a dragon."))
    wait_until(lambda: "tts" in daemon.stalled, 20, "the TTS thread counted as stalled")
    time.sleep(0.5)  # a ping already on its way may still land
    before = pings(received)
    time.sleep(1.5)  # ~4 ping intervals
    assert pings(received) == before, "pinged systemd while a thread was stalled"
    health = health_report(daemon)
    assert health["status"] == "failing"
    assert health["tts"]["status"] == "stalled"
    assert any("stalled" in fields.get("STATUS", "") for fields in list(received))
    release.set()
    wait_until(lambda: pings(received) > before + 2, 10, "pings again after it moved")
    assert health_report(daemon)["tts"]["status"] == "ok"


def test_hold_to_talk_release_to_answer_press_to_interrupt(daemon: Daemon, mock_pins: MockFactory,
                                                           rig, voice) -> None:
    feed, _tap = rig
    timeline = daemon.recorder.timeline
    button, led = mock_pins.pin(17), mock_pins.pin(27)
    button.drive_low()                                   # press and hold
    wait_until(lambda: led.state, 5, "the LED shows it is listening")
    say(feed, voice, "Tell me a story about a dragon.")
    time.sleep(1.5)  # silence that would have ended a VAD utterance; the hold keeps it open
    assert not timeline.events_of(TurnStarted), "the turn started before the release"
    button.drive_high()                                  # release: that is the question
    wait_until(lambda: timeline.events_of(SttDone), WAIT_S, "the held question transcribed")
    assert timeline.events_of(SttDone)[0].text == "Tell me a story about a dragon."
    wait_until(lambda: daemon.conversation.state.value == "speaking", WAIT_S, "the answer")
    time.sleep(1.0)
    button.drive_low()                                   # press while it speaks
    wait_until(lambda: [e for e in timeline.events_of(TurnCancelled) if e.reason == BARGE_IN],
               5, "the answer was interrupted")
    button.drive_high()
    wait_until(lambda: daemon.conversation.state.value != "speaking", 5, "the speaker quiet")
    assert daemon.metrics.registry.get_sample_value("barge_ins_total") == 1
    story = daemon.conversation.pipeline.history.exchanges(time.monotonic())[0]
    assert story.interrupted
    assert not [e for e in timeline.events_of(TurnDone) if e.turn_id > story.turn_id
                and e.spoken_sentences > 0], "the short press was answered as a question"
