"""The echo matrix's PNG: per room, false barge-ins, ERLE, barge-in latency and answered
interruptions, each against its target line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: before pyplot is imported
import matplotlib.pyplot as plt
import numpy as np

from benchmarks.voicebench.echomatrix import TARGETS


def draw_matrix(result: dict[str, Any], path: Path) -> None:
    """Write the four panels to ``path``."""
    rooms = list(result["rooms"])
    figures = [result["rooms"][name] for name in rooms]
    where = np.arange(len(rooms))
    figure, axes = plt.subplots(2, 2, figsize=(14, 9))
    _bars(axes[0][0], where, [[f["false_barge_ins"] for f in figures]], ["false barge-ins"],
          "false barge-ins (target 0)", None)
    _bars(axes[0][1], where, [[_or0(f["erle_db"]["median"]) for f in figures],
                              [_or0(f["erle_db"]["min"]) for f in figures]],
          ["median", "lowest"], "ERLE after the answer played into its echo (dB)",
          TARGETS["ERLE dB (min)"])
    _bars(axes[1][0], where, [[_or0(f["barge_in_s"]["median"]) * 1000 for f in figures],
                              [_or0(f["barge_in_s"]["p95"]) * 1000 for f in figures]],
          ["median", "p95"], "barge-in: the user starts -> the answer stops (ms)",
          TARGETS["barge-in median ms"], TARGETS["barge-in p95 ms"])
    _bars(axes[1][1], where, [[_or0(f["answered"]) * 100 for f in figures]], ["answered"],
          "interruptions answered (%)", 100.0)
    for axis in axes.flat:
        axis.set_xticks(where, rooms, rotation=25, ha="right")
    meta = result["meta"]
    figure.suptitle(f"voicebox echo matrix - profile {meta['profile']}, {meta['machine']}, "
                    f"{meta['date']}, {result['all']['trials']} trials "
                    f"({result['all']['answers']} answers), seed {meta['seed']}", fontsize=12)
    figure.tight_layout(rect=(0, 0, 1, 0.95))
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _bars(axis: Any, where: np.ndarray, series: list[list[float]], labels: list[str],
          title: str, *lines: float | None) -> None:
    width = 0.8 / len(series)
    for index, (values, label) in enumerate(zip(series, labels, strict=True)):
        axis.bar(where + (index - (len(series) - 1) / 2) * width, values, width, label=label)
    for line in lines:
        if line is not None:
            axis.axhline(line, color="grey", linestyle="--", linewidth=1)
    axis.set_title(title, fontsize=10)
    if len(series) > 1:
        axis.legend(fontsize=8)


def _or0(value: float | None) -> float:
    return 0.0 if value is None else value
