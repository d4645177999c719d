"""From detection times to the issue's figures: false accepts per hour, false rejects per SNR
bucket, wake-to-listening time, CPU share. Pure: numbers in, numbers out (unit tested).

A false accept is a detection in audio that holds no wake phrase. Detections closer together
than the detector's refractory time are one accept: the daemon would wake once (the detector
already applies it; counting applies it again, so detections from two detectors or a reset one
are counted the way the daemon would act on them).

A wake phrase is accepted when a detection falls between the first voiced sample of its clean
speech and 0.5 s after the last (``LATE_S``): later, the user has given up or started the
question without the box listening. Anything else is a false reject.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from benchmarks.voicebench.stats import summarize
from voicebox.audio.wake import REFRACTORY_S

LATE_S = 0.5
TARGETS = {"false_reject_share": 0.05, "false_accepts_per_hour": 0.5, "cpu_share": 0.10}
"""Issue 16: false rejects <= 5% at SNR >= 10 dB, <= 0.5 false accepts an hour, detector CPU
<= 10% of one core."""
TARGET_MIN_SNR_DB = 10.0


def condition_name(snr_db: float | None) -> str:
    """"clean" or "20 dB": the label of a noise condition."""
    return "clean" if snr_db is None else f"{snr_db:g} dB"


def count_accepts(times: list[float], refractory_s: float = REFRACTORY_S) -> int:
    """Wakes the daemon would act on: detections at least ``refractory_s`` after the last
    counted one."""
    counted, last = 0, float("-inf")
    for at in sorted(times):
        if at - last >= refractory_s:
            counted, last = counted + 1, at
    return counted


def false_accepts(conditions: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Per condition ({name: {"seconds", "detections": [times]}}) and overall: accepts, hours
    and accepts per hour."""
    rows = {}
    for name, run in conditions.items():
        accepts, hours = count_accepts(run["detections"]), run["seconds"] / 3600
        rows[name] = {"accepts": accepts, "hours": hours,
                      "per_hour": accepts / hours if hours else None}
    accepts = sum(row["accepts"] for row in rows.values())
    hours = sum(row["hours"] for row in rows.values())
    rows["overall"] = {"accepts": accepts, "hours": hours,
                       "per_hour": accepts / hours if hours else None}
    return rows


def judge_trial(detections: list[float], voiced: tuple[float, float],
                late_s: float = LATE_S) -> dict[str, Any]:
    """One wake phrase whose clean voice spans ``voiced`` (s): accepted or not, the first
    detection inside the window, its time after the end of the voice, and detections outside
    the window (in the noise before the phrase, or too late)."""
    start, end = voiced
    inside = [at for at in detections if start <= at <= end + late_s]
    first = min(inside) if inside else None
    return {"accepted": first is not None, "after_end_s": None if first is None else first - end,
            "stray": len(detections) - len(inside)}


def false_rejects(trials: list[dict[str, Any]]) -> dict[str, Any]:
    """False rejects per SNR bucket (clean first, then falling SNR), per distance and voice
    family, and pooled over the buckets the target covers (clean and SNR >= 10 dB), all
    voices and per family (the box's Piper voice is what users hear it answer in; espeak-ng
    stands for voices unlike it)."""
    def share(group: list[dict[str, Any]]) -> dict[str, Any]:
        rejected = sum(not t["accepted"] for t in group)
        return {"trials": len(group), "rejected": rejected,
                "share": rejected / len(group) if group else None}

    def bucket(key: str) -> dict[str, Any]:
        names = list(dict.fromkeys(t[key] for t in trials))
        return {name: share([t for t in trials if t[key] == name]) for name in names}

    snrs = sorted({t["snr_db"] for t in trials}, key=lambda s: -1e9 if s is None else -s)
    by_snr = {condition_name(s): share([t for t in trials if t["snr_db"] == s]) for s in snrs}
    covered = [t for t in trials if t["snr_db"] is None or t["snr_db"] >= TARGET_MIN_SNR_DB]
    missed = Counter(t["voice"] for t in covered if not t["accepted"])
    families = dict.fromkeys(t["family"] for t in trials)
    return {"by_snr": by_snr, "by_distance": bucket("distance"), "by_family": bucket("family"),
            "target_buckets": share(covered),
            "target_by_family": {f: share([t for t in covered if t["family"] == f])
                                 for f in families},
            "missed_voices": dict(missed.most_common()),
            "stray_detections": sum(t["stray"] for t in trials)}


def latency(trials: list[dict[str, Any]]) -> dict[str, Any]:
    """Wake-to-listening time (detection minus the end of the phrase's voice), over accepted
    trials of the phrase alone ("Hey Jarvis."), where the voice ends with the wake word."""
    alone = [t["after_end_s"] for t in trials if t["accepted"] and t["alone"]]
    return summarize(alone)


def cpu_share(busy_s: float, audio_s: float) -> float | None:
    """CPU seconds per second of audio: the share of one core the detector keeps busy."""
    return busy_s / audio_s if audio_s > 0 else None


def verdicts(engine: dict[str, Any]) -> dict[str, bool | None]:
    """Each target met (True), missed (False) or not measured (None) for one engine."""
    fr = engine.get("false_rejects", {}).get("target_buckets", {}).get("share")
    fa = engine.get("false_accepts", {}).get("overall", {}).get("per_hour")
    cpu = engine.get("cpu", {}).get("process_share")
    return {"false_reject_share": None if fr is None else fr <= TARGETS["false_reject_share"],
            "false_accepts_per_hour":
                None if fa is None else fa <= TARGETS["false_accepts_per_hour"],
            "cpu_share": None if cpu is None else cpu <= TARGETS["cpu_share"]}
