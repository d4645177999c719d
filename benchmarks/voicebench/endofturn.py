"""The adaptive end of turn against the fixed hang-over, in the same run.

The same daemon binary answers the same questions twice per run, once with ``vad.adaptive_end``
on (a finished sentence ends after 250 ms of silence, a phrase cut off mid-way waits up to
1.2 s) and once with it off (every question waits the 500 ms hang-over), the order alternating
run by run so that the machine's noise hits both alike. The daemon is restarted for each side
with that side's config. Questions: the benchmark's usual set, and questions with a 600 ms
pause mid-sentence (``PAUSED``), which the fixed hang-over cuts in two.

Per side: voice-to-voice (end of the voice to the first answer sound, from the recordings) and
the hang-over (end of the voice to the daemon's end of the question), both over the questions
without a pause; and cut-off questions: a question the daemon heard as more than one turn with
words, or whose transcript lacks the words after the pause.
"""

from __future__ import annotations

import sys
from typing import Any

from benchmarks.voicebench.box import Box
from benchmarks.voicebench.questions import Spoken
from benchmarks.voicebench.report import ms
from benchmarks.voicebench.soundcard import SoundCard
from benchmarks.voicebench.stats import summarize
from benchmarks.voicebench.turns import IDLE_S, TURN_TIMEOUT_S, streamed_turn

SIDES = {"adaptive": "\n[vad]\nadaptive_end = true\n",
         "fixed": "\n[vad]\nadaptive_end = false\n"}
"""Each side's config, appended to the daemon's."""
TARGETS = {"median gain ms": 150.0, "cut-off questions": 0}


def run_sides(card: SoundCard, box: Box, spoken: list[Spoken], runs: int) -> list[dict[str, Any]]:
    """Every question, ``runs`` times, with each side's daemon; the turns' figures."""
    turns = []
    for run in range(runs):
        order = list(SIDES) if run % 2 == 0 else list(SIDES)[::-1]
        for side in order:
            box.restart(SIDES[side])
            for question in spoken:
                box.wait_idle(IDLE_S, TURN_TIMEOUT_S)
                turn = {**streamed_turn(card, box, question), "side": side, "run": run,
                        "paused": bool(question.question.pause_s)}
                turn["cut_off"] = cut_off(question, turn["turn_log"])
                turns.append(turn)
                print(f"run {run + 1} {side:<8} {turn['question']:<34} "
                      f"{ms(turn['voice_to_voice_s']):>8} hang-over {ms(turn['endpoint_s']):>6}"
                      f"{'  CUT' if turn['cut_off'] else ''}  heard {turn['transcript']!r}",
                      file=sys.stderr, flush=True)
    return turns


def cut_off(question: Spoken, turn_log: list[list[Any]]) -> bool:
    """Whether the daemon split the question: more than one turn heard words, or (for a
    question with a pause) none of the longer words after the pause is in what the one turn
    heard (one misheard word, "knight" as "night", is not a cut). A question nobody heard is
    unanswered, not cut."""
    heard = [text for _turn, _outcome, text in turn_log if text]
    if len(heard) != 1:
        return len(heard) > 1
    if not question.question.pause_s:
        return False
    after = {word.strip(".,?!").lower() for word in question.question.text.split("|")[-1].split()}
    said = {word.strip(".,?!").lower() for word in heard[0].split()}
    return not {word for word in after if len(word) >= 4} & said


def summarize_sides(turns: list[dict[str, Any]]) -> dict[str, Any]:
    """Per side: voice-to-voice, the daemon's hang-over, cut-offs and unanswered questions;
    and the adaptive side's median gain over the fixed one."""
    sides = {side: _figures([t for t in turns if t["side"] == side]) for side in SIDES}
    fixed, adaptive = (sides[s]["voice_to_voice_s"]["median"] for s in ("fixed", "adaptive"))
    gain = None if fixed is None or adaptive is None else fixed - adaptive
    return {"sides": sides, "median_gain_s": gain, "targets": TARGETS, "turns": turns}


def _figures(turns: list[dict[str, Any]]) -> dict[str, Any]:
    """Latencies over the questions without a pause (a question cut at its pause is answered
    before its voice ends, which no latency should count); cut-offs over all."""
    whole = [t for t in turns if not t["paused"]]
    return {"questions": len(turns),
            "voice_to_voice_s": summarize(t["voice_to_voice_s"] for t in whole),
            "hangover_s": summarize(t["endpoint_s"] for t in whole),
            "cut_off": sum(t["cut_off"] for t in turns),
            "unanswered": sum(t["outcome"] != "answered" for t in turns)}


def render_sides(result: dict[str, Any]) -> str:
    """The table a person reads: one row per side, then the gain and the targets."""
    head = (f"{'side':<9} {'questions':>9} {'v2v med':>8} {'v2v p95':>8} {'hang-over':>9} "
            f"{'cut off':>7} {'unanswered':>10}")
    rows = [head, "-" * len(head)]
    for side, figure in result["sides"].items():
        rows.append(f"{side:<9} {figure['questions']:>9} "
                    f"{ms(figure['voice_to_voice_s']['median']):>8} "
                    f"{ms(figure['voice_to_voice_s']['p95']):>8} "
                    f"{ms(figure['hangover_s']['median']):>9} {figure['cut_off']:>7} "
                    f"{figure['unanswered']:>10}")
    cut = result["sides"]["adaptive"]["cut_off"]
    gain = result["median_gain_s"]
    met = gain is not None and gain * 1000 >= TARGETS["median gain ms"]
    rows += ["", f"adaptive median gain over the fixed hang-over: {ms(gain)} "
                 f"(target >= {TARGETS['median gain ms']:g} ms: {'met' if met else 'missed'}); "
                 f"adaptive cut-off questions: {cut} (target 0: "
                 f"{'met' if cut == 0 else 'missed'})"]
    return "\n".join(rows)
