"""The PNG a person looks at: latency distributions, the stage breakdown, per-question and
barge-in figures, the daemon next to the sequential baseline.

Kept apart from the numbers so a run without matplotlib still measures and writes its JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: before pyplot is imported
import matplotlib.pyplot as plt
import numpy as np

COLORS = {"streamed": "#2b7bba", "sequential": "#d95f02"}
STAGE_COLORS = {  # by what does the work: endpointing, STT, LLM, TTS, the audio path
    "hang-over": "#c6dbef", "STT after the end": "#6baed6", "STT": "#6baed6",
    "first token": "#fdd0a2", "first sentence": "#fd8d3c", "whole answer": "#fd8d3c",
    "first audio": "#74c476", "whole synthesis": "#74c476", "audio in/out": "#bdbdbd",
    "audio out": "#bdbdbd"}
KINDS = ("streamed", "sequential")


def draw(result: dict[str, Any], path: Path) -> None:
    """Write the four panels to ``path``."""
    figure, axes = plt.subplots(2, 2, figsize=(14, 9.5))
    _distributions(axes[0][0], result)
    _stages(axes[0][1], result)
    _questions(axes[1][0], result)
    _barge_in(axes[1][1], result)
    meta = result["meta"]
    figure.suptitle(f"voicebox voice-to-voice benchmark - profile {meta['profile']}, "
                    f"{meta['machine']}, {meta['date']}, {meta['runs']} run(s) x "
                    f"{meta['questions']} questions", fontsize=12)
    figure.tight_layout(rect=(0, 0, 1, 0.96))
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _points(axis: Any, series: list[list[float]], labels: list[str],
            colors: list[str]) -> None:
    """Box plots with every measured turn drawn over them."""
    axis.boxplot(series, tick_labels=labels, widths=0.5, showfliers=False)
    spread = np.random.default_rng(0)
    for i, (values, color) in enumerate(zip(series, colors, strict=True), start=1):
        axis.scatter(i + spread.uniform(-0.12, 0.12, len(values)), values, s=14,
                     color=color, alpha=0.7, zorder=3)


def _distributions(axis: Any, result: dict[str, Any]) -> None:
    turns = [t for t in result["turns"] if t["voice_to_voice_s"] is not None]
    series = [[t["voice_to_voice_s"] for t in turns if t["kind"] == k] for k in KINDS]
    figure = result["voice_to_voice_s"]
    labels = [f"{k}\nmedian {_s(figure[k]['median'])}, p95 {_s(figure[k]['p95'])}"
              for k in KINDS]
    _points(axis, series, labels, [COLORS[k] for k in KINDS])
    axis.axhline(1.2, color="grey", linestyle="--", linewidth=1)
    axis.axhline(1.6, color="grey", linestyle=":", linewidth=1)
    axis.text(0.52, 1.22, "target median 1.2 s", fontsize=8, color="grey")
    axis.text(0.52, 1.62, "target p95 1.6 s", fontsize=8, color="grey")
    ratio = figure["ratio_median"]
    axis.set_title("Voice-to-voice: last voiced sample -> first answer sample"
                   + (f" (streamed {ratio:.1f}x sooner)" if ratio else ""), fontsize=10)
    axis.set_ylabel("seconds (hang-over included)")
    axis.set_ylim(bottom=0)


def _stages(axis: Any, result: dict[str, Any]) -> None:
    handles = {}
    for row, kind in enumerate(KINDS):
        left = 0.0
        for label, value in result["stages_median_s"][kind].items():
            width = max(0.0, value or 0.0)
            handles[label] = axis.barh(row, width, left=left, edgecolor="white",
                                       color=STAGE_COLORS.get(label, "#dddddd"))
            if width > 0.04:
                axis.text(left + width / 2, row, f"{width * 1000:.0f}", ha="center",
                          va="center", fontsize=7)
            left += width
        axis.text(left + 0.03, row, f"{left:.2f} s", va="center", fontsize=9)
    axis.set_yticks(range(len(KINDS)), KINDS)
    axis.invert_yaxis()
    axis.legend(handles.values(), handles.keys(), fontsize=7, ncol=5, loc="upper center",
                bbox_to_anchor=(0.5, -0.12), frameon=False)
    axis.set_xlabel("seconds from the end of the voice (median of each part, in ms)",
                    fontsize=8)
    axis.set_title("Where the time goes", fontsize=10)


def _questions(axis: Any, result: dict[str, Any]) -> None:
    labels = list(result["by_question"])
    positions = np.arange(len(labels))
    for offset, kind in ((-0.2, "streamed"), (0.2, "sequential")):
        values = [result["by_question"][label][kind] for label in labels]
        axis.bar(positions + offset, [v or 0.0 for v in values], width=0.4,
                 color=COLORS[kind], label=kind)
        for position, value in zip(positions, values, strict=True):
            if value is None:
                axis.text(position + offset, 0.05, "no answer", rotation=90, ha="center",
                          va="bottom", fontsize=7)
    axis.set_xticks(positions, labels, rotation=25, ha="right", fontsize=7)
    axis.set_ylabel("median voice-to-voice, s")
    axis.legend(fontsize=8)
    axis.set_title("By question (voice, speed, noise, language)", fontsize=10)


def _barge_in(axis: Any, result: dict[str, Any]) -> None:
    trials = result["barge_in_trials"]
    series = [[t["latency_s"] for t in trials if t.get("latency_s") is not None],
              [t["baseline_s"] for t in trials if t.get("baseline_s") is not None]]
    figure = result["barge_in_s"]
    labels = [f"{k}\nmedian {_s(figure[k]['median'])}" for k in KINDS]
    if all(series):
        _points(axis, series, labels, [COLORS[k] for k in KINDS])
    axis.axhline(0.3, color="grey", linestyle="--", linewidth=1)
    axis.set_yscale("log")
    axis.set_ylabel("seconds, log scale")
    axis.set_title(f"Talking over the answer: interruption -> speaker silent "
                   f"(false barge-ins: {result['false_barge_ins']}; target 0.3 s)", fontsize=10)


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"
