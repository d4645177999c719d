"""The printed table: one block per engine, one row per figure, the target and the verdict
beside the figures the issue sets a target for (overall false accepts, false rejects over the
clean and >= 10 dB buckets, process CPU)."""

from __future__ import annotations

from typing import Any

from benchmarks.voicebench.report import pct
from benchmarks.wakebench.score import TARGET_MIN_SNR_DB, TARGETS, verdicts

WIDTH = 46


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _row(label: str, value: str) -> str:
    return f"  {label:<{WIDTH}} {value:>16}"


def _target(row: str, target: str, verdict: bool | None) -> str:
    """``row`` with its target and the verdict (none when not measured)."""
    mark = {True: " (met)", False: " (missed)", None: ""}[verdict]
    return f"{row}  {target}{mark}"


def _share(row: dict[str, Any]) -> str:
    return f"{pct(row['share'])} ({row['rejected']}/{row['trials']})"


def render_engine(name: str, engine: dict[str, Any]) -> list[str]:
    """The rows of one engine's block (or the reason it was skipped)."""
    if "skipped" in engine:
        return [f"{name}: skipped ({engine['skipped']})"]
    met = verdicts(engine)
    rows = [f"{name}:"]
    if fa := engine.get("false_accepts"):
        rows += [_row(f"false accepts/h, {condition} ({row['hours']:.2f} h)",
                      f"{row['per_hour']:.2f} ({row['accepts']})")
                 for condition, row in fa.items()]
        rows[-1] = _target(rows[-1], f"<= {TARGETS['false_accepts_per_hour']:g}",
                           met["false_accepts_per_hour"])
    if fr := engine.get("false_rejects"):
        pooled = f"clean + SNR >= {TARGET_MIN_SNR_DB:g} dB"
        buckets = [*fr["by_snr"].items(), *fr["by_distance"].items(),
                   *fr["by_family"].items(),
                   *((f"{pooled}, {f}", row) for f, row in fr.get("target_by_family", {}).items()),
                   (pooled, fr["target_buckets"])]
        rows += [_row(f"false rejects, {bucket}", _share(row)) for bucket, row in buckets]
        rows[-1] = _target(rows[-1], f"<= {pct(TARGETS['false_reject_share'], 0)}",
                           met["false_reject_share"])
        rows.append(_row("detections outside a phrase's window", str(fr["stray_detections"])))
    lat = engine.get("latency")
    if lat and lat["n"]:
        rows.append(_row(f"wake-to-listening median/p95 s (n={lat['n']})",
                         f"{_seconds(lat['median'])} / {_seconds(lat['p95'])}"))
    if cpu := engine.get("cpu"):
        rows.append(_row("CPU of one core, detector thread", pct(cpu["busy_share"], 2)))
        rows.append(_target(_row("CPU of one core, process (all threads)",
                                 pct(cpu["process_share"], 2)),
                            f"<= {pct(TARGETS['cpu_share'], 0)}", met["cpu_share"]))
    return rows


def render(result: dict[str, Any]) -> str:
    """The whole table, with the run's wake word, seed and how much audio it heard."""
    meta = result["meta"]
    head = (f"wake word {meta['wake_word']}, seed {meta['seed']}: {meta['readings']} readings "
            f"of other speech ({meta['prose_hours']:.2f} h per condition), "
            f"{meta['wake_trials']} wake phrases; took {meta['seconds'] / 60:.1f} min")
    rows = [head, "-" * len(head)]
    for name, engine in result["engines"].items():
        rows += render_engine(name, engine)
    return "\n".join(rows)
