"""A benchmark session: the sound card, the daemon and the baseline, started together and
stopped together, and the order in which they are asked.

Questions go to the daemon and to the baseline one after the other, the order alternating
question by question, so that whatever else the machine is doing hits both alike; the daemon
and the baseline never work at the same time (two cores).
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.voicebench.baseline import SequentialBaseline
from benchmarks.voicebench.box import Box
from benchmarks.voicebench.questions import Spoken
from benchmarks.voicebench.report import ms
from benchmarks.voicebench.soundcard import SoundCard
from benchmarks.voicebench.speaker import BaselineSpeaker
from benchmarks.voicebench.turns import (
    IDLE_S,
    TURN_TIMEOUT_S,
    barge_in_trial,
    sequential_turn,
    streamed_turn,
)
from voicebox.config import load_config

ROOT = Path(__file__).resolve().parent.parent.parent
TALK_AFTER_S = (1.0, 2.0)
"""How far into the story answer the barge-in trials interrupt, in turn."""
QUIET_CPU_S = 5.0


@dataclass
class Session:
    """Everything a run talks to."""

    card: SoundCard
    box: Box
    baseline: SequentialBaseline
    speaker: BaselineSpeaker
    hangover_s: float

    def ask_all(self, spoken: list[Spoken], run: int) -> list[dict[str, Any]]:
        """Every question of one run, to the daemon and to the baseline."""
        turns = []
        for index, question in enumerate(spoken):
            sides = [lambda q=question: streamed_turn(self.card, self.box, q),
                     lambda q=question: sequential_turn(self.card, self.baseline,
                                                        self.speaker, q, self.hangover_s)]
            for side in sides if (run + index) % 2 == 0 else sides[::-1]:
                self.box.wait_idle(IDLE_S, TURN_TIMEOUT_S)  # nothing left over from before
                turn = {**side(), "run": run}
                turns.append(turn)
                _say(f"run {run + 1} {turn['kind']:<10} {turn['question']:<28} "
                     f"{ms(turn['voice_to_voice_s']):>8}  heard {turn['transcript']!r}")
        return turns

    def talk_over(self, story: Spoken, interruption: Spoken, count: int) -> list[dict[str, Any]]:
        """Barge-in trials, each on a freshly started daemon: in one conversation the dev LLM
        answers a repeated request for a story with a sentence or two (and an interrupted
        story with "[interrupted by the user]"), too short to talk over. What then cuts the
        answer to the interruption short is counted as a false barge-in.

        The baseline's figure is how long its own answer to the same story goes on playing
        after the same interruption: it does not listen while it speaks."""
        self.card.mute_box(True)
        try:
            told = self.baseline.answer(story.samples, remember=False)
        finally:
            self.card.mute_box(False)
        length = len(told.samples) / told.rate
        trials = []
        for index in range(count):
            self.box.restart()
            self.box.wait_idle(IDLE_S, TURN_TIMEOUT_S)
            trial = barge_in_trial(self.card, self.box, story, interruption,
                                   TALK_AFTER_S[index % len(TALK_AFTER_S)])
            offset = trial.get("talked_after_s")
            trial.update(trial=index, baseline_answer_s=length,
                         baseline_s=None if offset is None else max(0.0, length - offset))
            trials.append(trial)
            _say(f"barge-in {index + 1}: {ms(trial.get('latency_s'))} (the baseline talks "
                 f"on for {ms(trial['baseline_s'])}); false barge-ins after it: "
                 f"{trial.get('false_barge_ins')}")
        return trials

    def describe(self, questions: int) -> dict[str, Any]:
        """What is measured, where, with what: the JSON's meta block. Takes ``QUIET_CPU_S`` to
        measure the daemon's CPU use while it only listens."""
        before = self.box.stats()
        time.sleep(QUIET_CPU_S)
        idle = (self.box.stats().cpu_s - before.cpu_s) / QUIET_CPU_S
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=False).stdout.strip()
        ready = self.box.process.log("ready") or {}
        return {"profile": self.baseline.config.profile, "questions": questions,
                "models": ready.get("models"), "hangover_ms": round(self.hangover_s * 1000),
                "echo_delay_ms": self.card.room.delay_ms, "echo_gain": self.card.room.gain,
                "box_idle_cpu_share": idle, "machine": machine(),
                "date": time.strftime("%Y-%m-%d"), "commit": commit}


@contextmanager
def session(profile: str, seed: int, extra_config: str = "") -> Iterator[Session]:
    """Start the sound card, the daemon (its config file ends with ``extra_config``) and the
    baseline (the daemon loads its models while this process loads the baseline's); stop them
    all at the end."""
    card = SoundCard(seed)
    workdir = Path(tempfile.mkdtemp(prefix="voicebench-"))
    box = Box(card.audio.env, workdir, profile, extra_config)
    config = load_config(None, profile)
    speaker = BaselineSpeaker(config.audio)
    try:
        card.start()
        box.launch()
        baseline = SequentialBaseline(config)
        box.wait_ready()
        speaker.start()
        yield Session(card, box, baseline, speaker, config.vad.hangover_ms / 1000)
    finally:
        speaker.stop()
        box.stop()
        card.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def machine() -> str:
    """CPU model and core count, for the chart's title."""
    names = [line.split(":", 1)[1].strip() for line in
             Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")]
    return f"{names[0] if names else platform.machine()}, {os.cpu_count()} cores"


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)

