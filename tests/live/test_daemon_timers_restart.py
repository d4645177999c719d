"""Timers through ``voicebox run`` killed with SIGKILL and started again on the same state.

SIGKILL is what a crash, the OOM killer or a power cut does: nothing runs on the way out, so
all the box has is what its timers file held. A timer set by voice must still be there after
the restart, with the time that went by while it was down taken off; one that ended while it
was down is announced as such once it is back.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live.talk import heard, say, wait_until
from tests.rig.daemon import DaemonProcess, write_config
from tests.rig.harness import RATE, MicFeed, SpeakerTap
from tests.rig.vaudio import VirtualAudio
from voicebox.audio.resample import resample
from voicebox.conductor.pipeline import Engines
from voicebox.skills.store import decode
from voicebox.skills.timers import Timer
from voicebox.speech.tts import TextToSpeech

STT_RATE = 16000


class Box:
    """One box's config and state directory, and ``voicebox run`` on it, started as often as
    a test likes (each run a :class:`DaemonProcess` of its own)."""

    def __init__(self, workdir: Path, vaudio: VirtualAudio) -> None:
        self.workdir = workdir
        self.timers = workdir / "state" / "timers.json"
        self.config = write_config(workdir, extra=f'\n[skills]\ntimers_file = "{self.timers}"\n')
        self.env = vaudio.env
        self.runs: list[DaemonProcess] = []

    def boot(self) -> DaemonProcess:
        """Start it; return once it is ready and its microphone is open."""
        run = self.workdir / f"run{len(self.runs) + 1}"
        run.mkdir()
        process = DaemonProcess(self.config, run, env=self.env)
        self.runs.append(process)
        process.start_ready()
        process.wait_for(lambda: process.health()["mic"]["status"] == "ok", 10, "the mic open")
        return process

    def saved(self) -> tuple[Timer, ...]:
        return decode(self.timers.read_text())


@pytest.fixture
def box(vaudio: VirtualAudio, tmp_path: Path) -> Iterator[Box]:
    made = Box(tmp_path, vaudio)
    yield made
    for process in made.runs:
        process.stop()


def set_by_voice(daemon: DaemonProcess, rig: tuple[MicFeed, SpeakerTap], voice: TextToSpeech,
                 text: str) -> None:
    """Say ``text``; return once the timer skill answered and the answer was heard."""
    feed, tap = rig
    asked = say(feed, voice, text)
    record = daemon.wait_for(lambda: daemon.log("turn"), 60, "the turn record")
    assert (record["outcome"], record["answered_by"]) == ("answered", "skill:timer"), record
    heard(tap, asked, 30, "the confirmation on the speaker")
    wait_until(lambda: daemon.statuses()[-1] == "listening", 10, "listening again")
    assert f"speaking: turn {record['turn_id']}" in daemon.statuses(after=asked)


def test_a_timer_set_by_voice_survives_sigkill_and_a_restart(box: Box, rig, voice) -> None:
    first = box.boot()
    set_by_voice(first, rig, voice, "Set a timer for two minutes.")
    [timer] = box.saved()
    assert timer.seconds == 120
    [running] = first.health()["timers"]["running"]
    assert running["remaining_s"] > 100
    first.kill()
    killed = time.time()

    second = box.boot()
    restored = second.wait_for(lambda: second.log("timers-restored"), 5, "timers-restored")
    assert (restored["running"], restored["missed"]) == (1, 0), restored
    health = second.health()
    [running] = health["timers"]["running"]
    left = timer.ends_at - time.time()
    print(f"down {time.time() - killed:.1f} s; {running['remaining_s']} s of 120 s left "
          f"(expected {left:.1f} s)")
    assert running["kind"] == "timer"
    assert abs(running["remaining_s"] - left) < 1.5, (running, left)
    assert health["timers"]["ringing"] == 0 and health["timers"]["saved"] is True
    assert box.saved() == (timer,), "the restart changed the timers file"


def test_a_timer_that_ends_while_the_box_is_down_is_announced_when_it_is_back(
        box: Box, rig, voice, engines: Engines) -> None:
    _feed, tap = rig
    first = box.boot()
    set_by_voice(first, rig, voice, "Set a timer for ten seconds.")
    first.kill()
    [timer] = box.saved()
    assert time.time() < timer.ends_at, "killed too late: the timer had already ended"
    wait_until(lambda: time.time() > timer.ends_at + 1.0, 20, "the timer's end passed")

    back = time.monotonic()
    second = box.boot()
    restored = second.wait_for(lambda: second.log("timers-restored"), 5, "timers-restored")
    assert (restored["running"], restored["missed"]) == (0, 1), restored
    announced = second.wait_for(lambda: second.log("announcement"), 30, "the announcement")
    assert announced["outcome"] == "said"
    start, end = heard(tap, back, 30, "the announcement on the speaker")
    audio = tap.audio[int((start - tap.time_at(0)) * RATE):int((end - tap.time_at(0)) * RATE)]
    said = engines.stt.transcribe(resample(audio, RATE, STT_RATE)).text
    print(f"heard after the restart: {said!r}")
    assert "while i was off" in re.sub(r"[^a-z ]", "", said.lower()), said
    health = second.health()
    assert health["timers"]["running"] == [] and health["timers"]["ringing"] <= 1
    assert box.saved() == (), "the missed timer is still in the file"
    assert second.log("timer-announced") is not None
