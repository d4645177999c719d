"""The echo matrix: in every room of the rig (``tests/rig/room.py``: bulk delays 20-700 ms,
reverb, a distorting speaker, drifting clocks, a noisy living room), the daemon speaks a story
into its own echo, a user talks over it, and its answer to the interruption plays out.

Each trial starts a fresh daemon, so the echo path is found from nothing every time (and the
dev LLM's answer to a repeated request is a story again, not a sentence). Per trial: false
barge-ins (any cut of the story before the interruption, or of the answer after it: two
answers a trial), ERLE from /health just before the interruption (the answer has played
``ALONE_S`` into its echo by then), the barge-in latency from the recordings, and whether the
interruption was answered.
"""

from __future__ import annotations

import random
import sys
from typing import Any

from benchmarks.voicebench.box import Box
from benchmarks.voicebench.questions import Spoken
from benchmarks.voicebench.report import ms, pct
from benchmarks.voicebench.soundcard import SoundCard
from benchmarks.voicebench.stats import summarize
from benchmarks.voicebench.turns import IDLE_S, TURN_TIMEOUT_S, barge_in_trial
from tests.rig.room import MATRIX, draw_room

TRIALS = 4
"""Trials per room and run: 8 rooms x 4 trials x 2 answers = 64 answers a run."""
ALONE_S = 6.0
"""How long the story plays into its echo before the user talks over it."""
STORYTELLER = """
[llm]
system_prompt = "You are a storyteller. Tell long stories of many sentences."
max_sentences = 50
max_words = 1000
max_tokens = 200
"""
"""The daemon's config in the matrix: answers long enough to play ``ALONE_S`` into their echo
and then be talked over (the voice length of 3 sentences is about the answers, not the echo)."""
TARGETS = {"false barge-ins": 0, "ERLE dB (min)": 30.0, "barge-in median ms": 250.0,
           "barge-in p95 ms": 400.0, "interruptions answered": 1.0}


def run_matrix(card: SoundCard, box: Box, story: Spoken, interruption: Spoken, *,
               trials: int, seed: int) -> list[dict[str, Any]]:
    """Every room, ``trials`` times; the rooms' ranges are drawn from ``seed``."""
    chance = random.Random(seed)
    results = []
    for name, parts in MATRIX.items():
        room = draw_room({"gain": (0.3, 0.7), **parts}, chance)
        card.change_room(room)
        for index in range(trials):
            box.restart()
            box.wait_idle(IDLE_S, TURN_TIMEOUT_S)
            trial = barge_in_trial(card, box, story, interruption, ALONE_S,
                                   before_talking=lambda: _echo(box))
            trial.update(room=name, room_settings=room.describe(), trial=index,
                         answered=_answered(trial["turn_log"]))
            results.append(trial)
            print(f"{name:<12} {index + 1}: barge-in {ms(trial['latency_s'])}, ERLE "
                  f"{_db(trial['echo'].get('erle_db'))}, false barge-ins "
                  f"{trial['false_barge_ins']}, answered {trial['answered']}",
                  file=sys.stderr, flush=True)
    return results


def _echo(box: Box) -> dict[str, Any]:
    """The daemon's own echo figures (delay, ERLE) from /health."""
    return dict(box.process.health().get("echo") or {})


def _answered(turn_log: list[list[Any]]) -> bool:
    """Whether a turn after the story (the interruption) was answered."""
    return any(outcome == "answered" for _turn, outcome, _text in turn_log[1:])


def summarize_matrix(trials: list[dict[str, Any]]) -> dict[str, Any]:
    """Per room and over all: the figures the targets are about."""
    rooms = {name: _figures([t for t in trials if t["room"] == name]) for name in MATRIX}
    return {"rooms": rooms, "all": _figures(trials), "targets": TARGETS, "trials": trials}


def _figures(trials: list[dict[str, Any]]) -> dict[str, Any]:
    latency = summarize(t["latency_s"] for t in trials)
    erle = summarize(t["echo"].get("erle_db") for t in trials)
    return {"trials": len(trials), "answers": 2 * len(trials),
            "false_barge_ins": sum(t["false_barge_ins"] for t in trials),
            "erle_db": erle, "barge_in_s": latency,
            "missed_barge_ins": sum(t["latency_s"] is None for t in trials),
            "answered": sum(t["answered"] for t in trials) / len(trials) if trials else None}


def render_matrix(result: dict[str, Any]) -> str:
    """The table a person reads: one row per room, then all rooms, then the targets."""
    head = (f"{'room':<12} {'answers':>7} {'false':>5} {'ERLE med':>8} {'ERLE min':>8} "
            f"{'b-i med':>8} {'b-i p95':>8} {'missed':>6} {'answered':>8}")
    rows = [head, "-" * len(head)]
    for name, figure in [*result["rooms"].items(), ("all rooms", result["all"])]:
        rows.append(f"{name:<12} {figure['answers']:>7} {figure['false_barge_ins']:>5} "
                    f"{_db(figure['erle_db']['median']):>8} {_db(figure['erle_db']['min']):>8} "
                    f"{ms(figure['barge_in_s']['median']):>8} "
                    f"{ms(figure['barge_in_s']['p95']):>8} {figure['missed_barge_ins']:>6} "
                    f"{pct(figure['answered'], 0):>8}")
    overall = result["all"]
    rows += ["", "targets: " + "; ".join(f"{k} {v}" for k, v in TARGETS.items()),
             f"met: {', '.join(met(overall)) or 'none'}; "
             f"missed: {', '.join(missed(overall)) or 'none'}"]
    return "\n".join(rows)


def checks(figure: dict[str, Any]) -> dict[str, bool]:
    """Each target, met or not, over ``figure`` (a room's or all rooms')."""
    erle_min, latency = figure["erle_db"]["min"], figure["barge_in_s"]
    return {
        "false barge-ins": figure["false_barge_ins"] == 0,
        "ERLE dB (min)": erle_min is not None and erle_min >= TARGETS["ERLE dB (min)"],
        "barge-in median ms": (latency["median"] is not None
                               and latency["median"] * 1000 <= TARGETS["barge-in median ms"]),
        "barge-in p95 ms": (latency["p95"] is not None
                            and latency["p95"] * 1000 <= TARGETS["barge-in p95 ms"]),
        "interruptions answered": figure["answered"] == 1.0,
    }


def met(figure: dict[str, Any]) -> list[str]:
    return [name for name, ok in checks(figure).items() if ok]


def missed(figure: dict[str, Any]) -> list[str]:
    return [name for name, ok in checks(figure).items() if not ok]



def _db(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"
