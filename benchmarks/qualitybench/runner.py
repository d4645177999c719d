"""Ask the question set of the real pipeline in this process: each question synthesised
(test voice or espeak-ng) -> STT -> skills or LLM -> TTS, no live audio.

The question goes in whole, as the endpointer hands it over, so "first audio" is measured
from the end of speech without the endpointer's hang-over (benchmarks/run measures that part
on the virtual sound card). Timers live in memory, never in the box's timers file.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks.qualitybench.grade import fill, is_right
from benchmarks.qualitybench.questions import DIALOGUES, ESPEAK_WPM, SKILLS, Ask
from benchmarks.voicebench.questions import Question, speak
from voicebox.commands.turn import answered_by, collect_answer
from voicebox.conductor.pipeline import Engines, Pipeline
from voicebox.conductor.timeline import Timeline
from voicebox.config import Config
from voicebox.events import SttDone, TurnDone
from voicebox.skills.engine import Skills

ANSWER_TIMEOUT_S = 120.0
LISTEN_S = 1.0
"""Pause between turns, as a person listening: the LLM reads the conversation ahead meanwhile
(asking at once would make the next question wait for that)."""

Turn = dict[str, Any]


def spoken(ask: Ask, engines: Engines) -> np.ndarray:
    """The question as 16 kHz speech: the steady Piper voice in English, else espeak-ng."""
    question = (Question(ask.text, "en") if ask.language == "en" else
                Question(ask.text, ask.language, voice=ask.language, speed=ESPEAK_WPM))
    return speak(question, engines.tts).samples


def run(engines: Engines, config: Config, progress: Callable[[str], None]) -> list[Turn]:
    """Every dialogue, in order, each from a fresh history; the graded turns."""
    timeline = Timeline()
    pipeline = Pipeline(engines, config, timeline, Skills(config.skills, store=None))
    written = Skills(config.skills, store=None)
    turns: list[Turn] = []
    pipeline.start()
    try:
        for dialogue in DIALOGUES:
            pipeline.history.clear()
            for ask in dialogue:
                turns.append(_ask(pipeline, timeline, written, engines, ask))
                progress(_line(turns[-1]))
                time.sleep(LISTEN_S)
    finally:
        pipeline.stop()
    return turns


def _ask(pipeline: Pipeline, timeline: Timeline, written: Skills, engines: Engines,
         ask: Ask) -> Turn:
    samples = spoken(ask, engines)
    asked = dt.datetime.now()
    turn = pipeline.submit(samples)
    audio, rate = collect_answer(pipeline.audio_out, turn, ANSWER_TIMEOUT_S)
    timeline.wait_until_final(turn.turn_id, ANSWER_TIMEOUT_S)
    expect = fill(ask.expect, asked)
    done = timeline.first(turn.turn_id, TurnDone)
    heard = timeline.first(turn.turn_id, SttDone)
    answer = done.answer if isinstance(done, TurnDone) else ""
    by = answered_by(timeline, turn)
    return {
        "category": ask.category, "language": ask.language, "question": ask.text,
        "heard": heard.text if isinstance(heard, SttDone) else "", "answer": answer,
        "expect": list(expect), "right": is_right(answer, expect),
        "text_right": _written(written, ask, expect) if ask.category in SKILLS else None,
        "by": by.split(":")[0] if by.startswith("skill") else by,
        "audio_s": round(len(audio) / rate, 2) if rate else 0.0,
        "first_audio_s": timeline.latencies(turn.turn_id)["first audio"],
    }


def _written(skills: Skills, ask: Ask, expect: tuple[str, ...]) -> bool:
    """The skills' answer to the written question, in the dev box's answer language."""
    found = skills.answer(ask.text, ask.language, "en")
    if found is None:
        return False
    skills.remember(found.text)
    return is_right(found.text, expect)


def _line(turn: Turn) -> str:
    mark = "ok " if turn["right"] else "BAD"
    return (f"{mark} {turn['category']:<10} {turn['by']:<5} heard {turn['heard']!r} -> "
            f"{turn['answer'][:90]!r}")
