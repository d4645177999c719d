"""How skill answers and announcements show in the turn record, /health, /metrics, the
timeline; the ringer and the chime."""

from __future__ import annotations

import dataclasses
import io
import json
import queue
import threading
from pathlib import Path

import numpy as np
import pytest

from tests.unit.skillclock import Clock, make_skills
from voicebox.conductor.cpu import SynthesisFirst
from voicebox.conductor.skill_stage import SkillStage
from voicebox.conductor.stages import Wiring
from voicebox.conductor.timeline import Timeline
from voicebox.config import load_config
from voicebox.daemon.recorder import TurnRecorder
from voicebox.daemon.report import health_report
from voicebox.daemon.service import Daemon
from voicebox.events import (
    Announced,
    FirstAudio,
    FirstSentence,
    SkillAnswered,
    SttDone,
    TurnCancelled,
    TurnDone,
    TurnStarted,
)
from voicebox.messages import Transcript, Turn
from voicebox.ops.metrics import Metrics
from voicebox.skills.chime import chime, earcon
from voicebox.skills.more import CONTINUE
from voicebox.skills.ringer import Ringer
from voicebox.skills.rings import Announcement


def records(stream: io.StringIO, event: str) -> list[dict]:
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [line for line in lines if line["event"] == event]


def skill_turn(sink, turn_id: int, t0: float = 100.0) -> None:
    sink(TurnStarted(turn_id, at=t0))
    sink(SttDone(turn_id, text="What is twelve times seven?", language="en",
                 detected_language="en", language_probability=0.99, seconds=0.2, at=t0 + 0.3))
    sink(SkillAnswered(turn_id, skill="arithmetic", intent="sum", answer="12 times 7 is 84.",
                       at=t0 + 0.301))
    sink(FirstSentence(turn_id, text="12 times 7 is 84.", at=t0 + 0.31))
    sink(FirstAudio(turn_id, at=t0 + 0.5))
    sink(TurnDone(turn_id, answer="12 times 7 is 84.", spoken_sentences=1, at=t0 + 0.6))


def test_a_skill_turn_is_recorded_as_answered_by_the_skill(log: io.StringIO) -> None:
    metrics = Metrics()
    skill_turn(TurnRecorder(metrics), 1)
    (record,) = records(log, "turn")
    assert record["answered_by"] == "skill:arithmetic" and record["answer_tokens"] == 0
    assert record["length_limited"] is False
    assert record["skill_s"] == 0.001 and record["llm_first_token_s"] is None
    assert record["first_sentence_s"] == 0.009 and record["outcome"] == "answered"
    assert metrics.registry.get_sample_value("skill_answers_total",
                                             {"skill": "arithmetic"}) == 1
    assert metrics.registry.get_sample_value("llm_first_token_seconds_count") == 0


def test_an_announcement_is_logged_as_such_not_as_a_question(log: io.StringIO) -> None:
    metrics = Metrics()
    recorder = TurnRecorder(metrics)
    for turn_id, end in ((1, TurnDone(1, answer="Your tea timer is done.", spoken_sentences=1)),
                         (2, TurnCancelled(2, reason="barge-in"))):
        recorder(TurnStarted(turn_id))
        recorder(Announced(turn_id, text="Your tea timer is done."))
        recorder(end)
    assert [r["outcome"] for r in records(log, "announcement")] == ["said", "interrupted"]
    assert records(log, "turn") == [] and recorder.turns == 0
    assert metrics.registry.get_sample_value("announcements_total") == 2


def test_the_latency_table_puts_a_skill_s_answer_where_the_first_token_would_be() -> None:
    timeline = Timeline()
    skill_turn(timeline, 7)
    latencies = timeline.latencies(7)
    assert latencies["first token"] == pytest.approx(0.301)
    assert latencies["total"] == pytest.approx(0.6)


def test_health_and_metrics_show_the_timers(tmp_path: Path) -> None:
    clock = Clock()
    skills = make_skills(clock, tmp_path / "timers.json")
    skills.answer("set a timer for 5 minutes called pasta", "en", "en")
    skills.answer("set an alarm for 7 pm", "en", "en")
    daemon = Daemon(load_config())
    assert health_report(daemon)["timers"] is None
    daemon.skills = skills
    timers = health_report(daemon)["timers"]
    assert timers == {"running": [{"kind": "timer", "name": "pasta", "remaining_s": 300.0},
                                  {"kind": "alarm", "name": "", "remaining_s": 17700.0}],
                      "ringing": 0, "saved": True}


def test_timers_that_cannot_be_saved_degrade_health(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    skills = make_skills(Clock(), blocker / "timers.json")
    skills.answer("set a timer for 5 minutes", "en", "en")
    daemon = Daemon(load_config())
    daemon.skills = skills
    health = health_report(daemon)
    assert "timers not saved: a restart would lose them" in health["problems"]
    assert health["timers"]["saved"] is False


def test_the_ringer_says_what_rings_when_the_pipeline_is_free() -> None:
    clock = Clock()
    skills = make_skills(clock)
    skills.answer("set a timer for 1 minute called tea", "en", "en")
    said: list[Announcement] = []
    busy = [True]

    def announce(announcement: Announcement) -> bool:
        if busy[0]:
            return False
        said.append(announcement)
        return True

    ringer = Ringer(skills, announce, threading.Event())
    clock.now += 60
    ringer.step()
    assert said == []                                   # an answer is in progress: it waits
    busy[0] = False
    ringer.step()
    assert said == [Announcement("Your tea timer is done.", "en", 1)]
    ringer.step()
    assert len(said) == 1


def test_the_ringer_survives_a_failing_tick_and_stops_with_the_pipeline() -> None:
    stopping = threading.Event()
    calls = []

    class Broken:
        def tick(self) -> list[Announcement]:
            calls.append(1)
            stopping.set()
            raise RuntimeError("bug")

    ringer = Ringer(Broken(), lambda _: True, stopping)  # type: ignore[arg-type]
    ringer.run()
    assert calls == [1]


def test_the_chime_is_two_quiet_notes_that_start_and_end_silent() -> None:
    sound = chime(22050)
    assert sound.dtype == np.float32 and 0.6 < sound.size / 22050 < 1.0
    assert np.max(np.abs(sound)) == pytest.approx(0.5, abs=1e-6)
    assert abs(sound[0]) < 1e-3 and np.all(sound[-100:] == 0)
    half = int(0.32 * 22050)
    for part, hz in ((sound[:half], 1318.5), (sound[half:2 * half], 1046.5)):
        spectrum = np.abs(np.fft.rfft(part))
        assert abs(np.argmax(spectrum) * 22050 / part.size - hz) < 10


def test_the_earcon_is_one_short_soft_note_over_before_a_question_starts() -> None:
    sound = earcon(22050)
    assert sound.dtype == np.float32 and sound.size == round(0.12 * 22050)
    assert np.max(np.abs(sound)) == pytest.approx(0.3, abs=1e-6)
    assert abs(sound[0]) < 1e-3 and np.max(np.abs(sound[-100:])) < 0.02
    spectrum = np.abs(np.fft.rfft(sound))
    assert abs(np.argmax(spectrum) * 22050 / sound.size - 880) < 10


def test_an_announcement_that_fails_is_dropped_not_repeated_forever() -> None:
    clock = Clock()
    skills = make_skills(clock, ring_times=1)
    skills.answer("set a timer for 1 minute called tea", "en", "en")
    skills.answer("set a timer for 2 minutes called eggs", "en", "en")
    tried: list[str] = []

    def announce(announcement: Announcement) -> bool:
        tried.append(announcement.text)
        if "tea" in announcement.text:
            raise RuntimeError("no voice for that language any more")
        return True

    ringer = Ringer(skills, announce, threading.Event())
    clock.now += 60
    ringer.step()
    clock.now += 60
    ringer.step()
    assert tried == ["Your tea timer is done.", "Your eggs timer is done."]


def test_tell_me_more_goes_on_to_the_llm_with_the_instruction_in_place_of_the_words() -> None:
    skills = make_skills(Clock())
    skills.remember("Die Hauptstadt von Frankreich ist Paris.")
    wiring = Wiring(emit=Timeline(), stopping=threading.Event(), transcripts=queue.Queue(),
                    pieces=queue.Queue(), sentences=queue.Queue(), audio_out=queue.Queue(),
                    cpu=SynthesisFirst())
    heard = Transcript(Turn(), "Erzähl mir mehr.", "de", "de", 0.9)
    for_llm = SkillStage(wiring, skills).answer(heard)
    assert for_llm == dataclasses.replace(heard, prompt=CONTINUE)
    assert wiring.pieces.empty()                        # nothing said by the skill itself
    plain = Transcript(Turn(), "Warum ist der Himmel blau?", "de", "de", 0.9)
    assert SkillStage(wiring, skills).answer(plain) is plain
