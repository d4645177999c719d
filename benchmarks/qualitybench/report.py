"""From graded turns to the figures of the report: accuracy per category, spoken length,
skill against LLM latency, and the issue's targets.

A turn is a dict (it goes to JSON as it is) with: ``category``, ``right`` (the spoken
answer holds the expected words), ``text_right`` (skill categories: the skills' answer to the
written question, which tells whisper's mishearing apart from a skill's mistake),
``by`` ("skill" or "llm" or "-"), ``audio_s`` (seconds of synthesised answer) and
``first_audio_s`` (first audio after the end of the question; None if nothing was said).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from benchmarks.qualitybench.questions import CATEGORIES, SKILLS
from benchmarks.voicebench.stats import summarize

Turn = dict[str, Any]
SKILL_FIRST_AUDIO_S = 0.5
MEDIAN_ANSWER_S = 15.0


def share(flags: Iterable[bool]) -> float | None:
    """The share of True among ``flags`` (None for none)."""
    values = list(flags)
    return sum(values) / len(values) if values else None


def summary(turns: list[Turn]) -> dict[str, Any]:
    """Accuracy per category, lengths, latencies and whether each target is met."""
    categories = {}
    for category in CATEGORIES:
        mine = [t for t in turns if t["category"] == category]
        categories[category] = {
            "n": len(mine), "right": sum(t["right"] for t in mine),
            "accuracy": share(t["right"] for t in mine),
            "text_accuracy": share(t["text_right"] for t in mine if t["text_right"] is not None),
        }
    said = [t for t in turns if t["audio_s"]]
    by = {kind: [t["first_audio_s"] for t in turns if t["by"] == kind] for kind in ("skill",
                                                                                   "llm")}
    result = {
        "accuracy": share(t["right"] for t in turns), "n": len(turns),
        "categories": categories,
        "answer_audio_s": summarize(t["audio_s"] for t in said),
        "llm_answer_audio_s": summarize(t["audio_s"] for t in said if t["by"] == "llm"),
        "first_audio_s": {kind: summarize(values) for kind, values in by.items()},
    }
    result["targets"] = targets(result)
    return result


def targets(result: dict[str, Any]) -> dict[str, bool | None]:
    """The issue's targets: skills right in every language, a skill's first audio under
    0.5 s (every one: the p95 here, on a few dozen turns, is the worst but one or two), and
    spoken answers of at most 15 s at the median."""
    skill_audio = result["first_audio_s"]["skill"]
    median_audio = result["answer_audio_s"]["median"]
    return {
        "skills_all_right": all(result["categories"][c]["accuracy"] == 1.0 for c in SKILLS),
        "skill_first_audio_under_0_5_s": (skill_audio["p95"] < SKILL_FIRST_AUDIO_S
                                          if skill_audio["n"] else None),
        "median_answer_at_most_15_s": (median_audio <= MEDIAN_ANSWER_S
                                       if median_audio is not None else None),
    }


def table(result: dict[str, Any], model: str) -> str:
    """The summary as a person reads it."""
    lines = [f"answer quality, dev LLM {model}: {result['accuracy']:.0%} of {result['n']} "
             "spoken questions right", "",
             f"{'category':<12}{'right':>8}{'accuracy':>10}{'written':>9}"]
    for name, row in result["categories"].items():
        written = _percent(row["text_accuracy"])
        lines.append(f"{name:<12}{row['right']:>4}/{row['n']:<3}{_percent(row['accuracy']):>10}"
                     f"{written:>9}")
    lines += ["", "(written: the skills' answer to the question as text, without whisper)", ""]
    for label, key in (("spoken answer, all", "answer_audio_s"),
                       ("spoken answer, LLM", "llm_answer_audio_s")):
        lines.append(f"{label:<28}{_seconds(result[key])}")
    for kind, figures in result["first_audio_s"].items():
        lines.append(f"{'first audio, ' + kind:<28}{_seconds(figures)}")
    lines.append("")
    lines += [f"target {name}: {_met(met)}" for name, met in result["targets"].items()]
    return "\n".join(lines)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _seconds(figures: dict[str, Any]) -> str:
    if not figures["n"]:
        return "no turns"
    return (f"median {figures['median']:6.2f} s  p95 {figures['p95']:6.2f} s  "
            f"max {figures['max']:6.2f} s  (n={figures['n']})")


def _met(met: bool | None) -> str:
    return "not measured" if met is None else ("met" if met else "NOT met")
