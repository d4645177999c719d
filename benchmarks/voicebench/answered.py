"""Questions answered: of spoken questions played into the live daemon, how many it answers,
clean and at 10 dB SNR, and for each one it does not, which gate stopped it.

The 40 English questions of the answer-quality set (benchmarks/qualitybench), each spoken in
three voices in turn (the box's own Piper voice made steady, espeak-ng en-us and en-gb), once
clean and once with white or fan noise at 10 dB SNR. A question is answered when the daemon's
turn for it ends "answered" (a "Sorry, I didn't catch that" is not an answer). Otherwise the
reason is the daemon's own word for what happened, from its turn records:

- ``no turn``: no utterance started or none was asked: the VAD, the noise floor or the
  endpointer's start window did not take the voice for speech (or the listening gate refused
  it; this benchmark runs the daemon in ``always`` mode, so not that);
- ``no speech``: whisper returned no words (its no-speech probability or silence);
- ``not caught``: voiced audio that gave no words, apologised for;
- anything else: the turn's outcome as recorded (cancelled, failed, refused).

Targets (issue 15): 100% of clean and >= 95% of 10 dB questions answered.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

from benchmarks.qualitybench.questions import DIALOGUES
from benchmarks.voicebench.box import Box
from benchmarks.voicebench.questions import Question, Spoken
from benchmarks.voicebench.report import pct
from benchmarks.voicebench.soundcard import SoundCard
from benchmarks.voicebench.turns import IDLE_S, TURN_TIMEOUT_S, streamed_turn

VOICES = (("piper", 1.1), ("en-us", 160), ("en-gb", 170))
NOISES = ("white", "fan")
SNR_DB = 10.0
TARGETS = {"clean": 1.0, "10 dB": 0.95}


def questions() -> list[Question]:
    """Each English question of the quality set, clean and in noise, voices in turn."""
    texts = [ask.text for dialogue in DIALOGUES for ask in dialogue if ask.language == "en"]
    asked = []
    for index, text in enumerate(texts):
        voice, speed = VOICES[index % len(VOICES)]
        asked.append(Question(text, "en", voice=voice, speed=speed))
        asked.append(Question(text, "en", voice=voice, speed=speed,
                              noise=NOISES[index % len(NOISES)], snr_db=SNR_DB))
    return asked


def run_answered(card: SoundCard, box: Box, spoken: list[Spoken]) -> list[dict[str, Any]]:
    """Ask every question once; the turns' figures, each with its condition and reason."""
    turns = []
    for question in spoken:
        box.wait_idle(IDLE_S, TURN_TIMEOUT_S)
        turn = streamed_turn(card, box, question)
        turn["condition"] = "10 dB" if question.question.noise else "clean"
        turn["reason"] = reason(turn)
        turns.append(turn)
        print(f"{turn['condition']:<6} {turn['question']:<28} {turn['reason']:<10} "
              f"{question.question.text!r} heard {turn['transcript']!r}",
              file=sys.stderr, flush=True)
    return turns


def reason(turn: dict[str, Any]) -> str:
    """"answered", or the gate that stopped the question (see the module's docstring)."""
    outcomes = [outcome for _turn, outcome, _text in turn["turn_log"]]
    if "answered" in outcomes and turn["outcome"] == "answered":
        return "answered"
    if not outcomes:
        return "no turn"
    return outcomes[-1]


def summarize_answered(turns: list[dict[str, Any]]) -> dict[str, Any]:
    """Per condition: questions, the share answered, and the reasons for the rest."""
    conditions = {}
    for condition in TARGETS:
        mine = [t for t in turns if t["condition"] == condition]
        answered = sum(t["reason"] == "answered" for t in mine)
        conditions[condition] = {
            "questions": len(mine), "answered": answered,
            "share": answered / len(mine) if mine else None,
            "reasons": dict(Counter(t["reason"] for t in mine if t["reason"] != "answered"))}
    return {"conditions": conditions, "targets": TARGETS, "turns": turns}


def render_answered(result: dict[str, Any]) -> str:
    """One row per condition, with the target and why the unanswered ones were not."""
    rows = [f"{'condition':<9} {'questions':>9} {'answered':>8} {'share':>7} {'target':>7}  "
            "not answered, by reason", "-" * 72]
    for condition, figure in result["conditions"].items():
        share, target = figure["share"], TARGETS[condition]
        verdict = "met" if share is not None and share >= target else "missed"
        reasons = ", ".join(f"{k} {v}" for k, v in figure["reasons"].items()) or "-"
        rows.append(f"{condition:<9} {figure['questions']:>9} {figure['answered']:>8} "
                    f"{pct(share, 0):>7} {pct(target, 0):>7}  {reasons}  ({verdict})")
    return "\n".join(rows)
