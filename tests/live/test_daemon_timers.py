"""Timers through the daemon in this process, on the virtual sound card: set by voice, heard
ringing on the speaker at the right time, stopped by voice and by the button.

In-process so that the button can be a gpiozero MockFactory pin and the test can wait on the
turn events; the timers file is the test's own (see ``daemon_config``). Restarts and SIGKILL
are in test_daemon_timers_restart.py, with ``voicebox run`` as a subprocess.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np
import pytest
from gpiozero.pins.mock import MockFactory

from tests.live.talk import ask, heard, wait_until
from tests.rig.harness import RATE, SpeakerTap
from voicebox.config import Config
from voicebox.daemon.report import health_report
from voicebox.daemon.service import Daemon
from voicebox.events import Announced, SkillAnswered, SttDone, TurnDone
from voicebox.skills.chime import NOTE_S, NOTES_HZ
from voicebox.skills.store import decode
from voicebox.speech.tts import TextToSpeech

TIMER_S = 5.0
RING_EVERY_S = 20.0
"""Far enough apart that "stop", said after the first ring, is answered well before the
second even on a busy machine; the test then waits past the second to hear it not come."""
RANG = "Your timer for 5 seconds is done."


@pytest.fixture
def daemon_config(daemon_config: Config) -> Config:
    return dataclasses.replace(daemon_config, skills=dataclasses.replace(
        daemon_config.skills, ring_every_s=RING_EVERY_S))


def saved_timers(daemon: Daemon) -> list[dict[str, float]]:
    """The timers file, each timer's end as monotonic time (for comparing with events)."""
    text = Path(daemon.config.skills.timers_file).read_text()
    offset = time.monotonic() - time.time()
    return [{"ends": timer.ends_at + offset, "seconds": timer.seconds} for timer in decode(text)]


def set_timer(daemon: Daemon, rig, voice: TextToSpeech) -> float:
    """Set a 5 s timer by voice and hear the confirmation; when it will end (monotonic)."""
    feed, tap = rig
    timeline = daemon.recorder.timeline
    asked = ask(daemon, feed, voice, "Set a timer for five seconds.")
    answered = timeline.first(asked.turn_id, SkillAnswered)
    assert isinstance(answered, SkillAnswered), f"not a skill's answer: {asked.text!r}"
    assert (answered.intent, answered.answer) == ("timer-set", "Timer set for 5 seconds.")
    [timer] = saved_timers(daemon)
    assert timer["seconds"] == TIMER_S
    assert abs(timer["ends"] - answered.at - TIMER_S) < 0.5, "the file's end is not 5 s on"
    confirmation = tap.sound_span(after=answered.at)
    assert confirmation is not None, "the confirmation was not heard"
    assert confirmation[0] < timer["ends"], "the confirmation came only after the timer"
    [running] = health_report(daemon)["timers"]["running"]
    assert running["kind"] == "timer" and 0 < running["remaining_s"] <= TIMER_S
    return timer["ends"]


def pitches(tap: SpeakerTap, at: float) -> tuple[float, float]:
    """The strongest frequency of each of the chime's two notes if it started at ``at``, once
    recorded. Pitch rather than the waveform: a playback glitch on a busy machine (a few
    milliseconds of silence) spoils a correlation with the chime, not its notes."""
    wait_until(lambda: time.monotonic() > at + 2 * NOTE_S + 0.2, 5, "the chime recorded")
    audio = tap.audio
    start = int((at - tap.time_at(0)) * RATE)

    def peak(begin_s: float, end_s: float) -> float:
        part = audio[start + int(begin_s * RATE):start + int(end_s * RATE)]
        spectrum = np.abs(np.fft.rfft(part * np.hanning(len(part))))
        return float(np.argmax(spectrum) * RATE / len(part))

    return peak(0.0, NOTE_S - 0.05), peak(NOTE_S + 0.05, 2 * NOTE_S)


def hear_ring(daemon: Daemon, tap: SpeakerTap, ends: float) -> tuple[Announced, float]:
    """The ring: announced, and its chime on the speaker, about when the timer ended; the
    announcement and when the speaker started ringing."""
    timeline = daemon.recorder.timeline
    wait_until(lambda: timeline.events_of(Announced), TIMER_S + 30, "the timer rang")
    [rang] = timeline.events_of(Announced)
    assert rang.text == RANG
    rung, _ = wait_until(lambda: tap.sound_span(after=rang.at), 10, "the ring on the speaker")
    notes = pitches(tap, rung)
    print(f"announced {rang.at - ends:+.2f} s and rang on the speaker {rung - ends:+.2f} s "
          f"after the timer's end; its notes {notes[0]:.0f} and {notes[1]:.0f} Hz")
    assert -0.05 < rang.at - ends < 2.0
    assert 0 < rung - ends < 3.0
    assert np.allclose(notes, NOTES_HZ, atol=15), "the speaker played something else than the chime"
    assert health_report(daemon)["timers"]["ringing"] == 1
    return rang, rung


def stays_quiet(daemon: Daemon, tap: SpeakerTap, since: float, rang: Announced) -> None:
    """Nothing more from the speaker from ``since`` until past when the next ring was due,
    and the timer neither rings nor runs."""
    due = rang.at + RING_EVERY_S
    wait_until(lambda: time.monotonic() > due + 2.0, RING_EVERY_S + 10,
               "past the next ring's time")
    assert len(daemon.recorder.timeline.events_of(Announced)) == 1, "it rang again"
    span = tap.sound_span(after=since)
    assert span is None, f"the speaker played {span[0] - since:.1f} s on"
    timers = health_report(daemon)["timers"]
    assert timers["running"] == [] and timers["ringing"] == 0, timers
    assert saved_timers(daemon) == []


def test_a_timer_set_by_voice_rings_on_time_and_stop_said_silences_it(
        daemon: Daemon, rig, voice: TextToSpeech) -> None:
    feed, tap = rig
    timeline = daemon.recorder.timeline
    ends = set_timer(daemon, rig, voice)
    rang, _rung = hear_ring(daemon, tap, ends)
    wait_until(lambda: timeline.first(rang.turn_id, TurnDone), 30, "the announcement said")
    # Then a breath, as a person would: what starts while the box is still audible is taken
    # for its echo (no barge-in here: with no echo in the rig it never learns the room).
    heard(tap, rang.at, 30, "the announcement over", quiet_s=1.0)
    assert health_report(daemon)["timers"]["ringing"] == 1, "it stopped ringing by itself"

    asked = ask(daemon, feed, voice, "Stop.")
    answered = timeline.first(asked.turn_id, SkillAnswered)
    assert isinstance(answered, SkillAnswered), f"not a skill's answer: {asked.text!r}"
    assert (answered.intent, answered.answer) == ("stop", "")
    assert health_report(daemon)["timers"]["ringing"] == 0
    stays_quiet(daemon, tap, asked.at, rang)


def test_the_button_cuts_the_ringing_short_and_asks_nothing(
        daemon: Daemon, mock_pins: MockFactory, rig, voice: TextToSpeech) -> None:
    _feed, tap = rig
    button = mock_pins.pin(17)
    ends = set_timer(daemon, rig, voice)
    rang, rung = hear_ring(daemon, tap, ends)
    questions = daemon.conversation.policy.questions
    pressed = time.monotonic()
    button.drive_low()
    # The chime is 0.8 s; the sentence after it takes about 2 s more.
    assert pressed < rung + 1.8, "pressed too late to cut the announcement short"
    wait_until(lambda: daemon.skills.status.ringing == 0, 2, "the ringing stopped")
    button.drive_high()
    wait_until(lambda: time.monotonic() > pressed + 1.5, 5, "the announcement had time")
    assert tap.sound_span(after=pressed + 1.0) is None, "the announcement went on"
    stays_quiet(daemon, tap, pressed + 1.0, rang)
    assert daemon.conversation.policy.questions == questions, "the press started a question"
    assert not [e for e in daemon.recorder.timeline.events_of(SttDone) if e.at > pressed]

