"""The body of ``GET /health``: every component's state and one overall verdict.

Built on the HTTP thread from snapshots the other threads publish whole (the conversation's
:class:`~voicebox.conductor.conversation.AudioSnapshot`, the throttle's limits and models, the
watchdog's readings): it takes no lock the audio path takes, so a slow client cannot delay a
frame. The verdict:

- ``failing`` (HTTP 503): the box cannot hold a conversation — a thread stalled or died, the
  audio devices are lost, the models are not loaded, or a model file is corrupt;
- ``degraded`` (200): it talks, but not at its best — throttled, a temperature sensor that
  fails, audio still opening, a pipeline error in the last few minutes, or several questions
  in a row heard as no speech;
- ``ok`` (200).
"""

from __future__ import annotations

import dataclasses
import time
from typing import TYPE_CHECKING, Any

from voicebox.audio.listener import EchoStatus
from voicebox.conductor.listening import ListeningStatus
from voicebox.watchdog.governor import Tier

if TYPE_CHECKING:
    from voicebox.daemon.service import Daemon

RECENT_ERROR_S = 300.0
NO_SPEECH_RUN = 3
"""Questions in a row heard as nothing before /health calls the box hard of hearing."""
MB = 1024 * 1024


def health_report(daemon: Daemon) -> dict[str, Any]:
    """The JSON-ready health of ``daemon``."""
    now = time.monotonic()
    failing, degraded = _problems(daemon)
    status = "failing" if failing else "degraded" if degraded else "ok"
    return {
        "status": status,
        "problems": failing + degraded,
        "state": daemon.status,
        "uptime_s": round(now - daemon.started_at, 1),
        "turns": daemon.recorder.turns,
        **_audio(daemon),
        **_engines(daemon, now),
        **_system(daemon),
        "timers": _timers(daemon),
        "last_error": _last_error(daemon),
    }


def _problems(daemon: Daemon) -> tuple[list[str], list[str]]:
    """(what makes the box fail, what makes it degraded), in words."""
    failing = list(daemon.stalled.values())
    if daemon.hashcheck is not None:
        failing += daemon.hashcheck.status.corrupt
    degraded = []
    conversation = daemon.conversation
    if conversation is None:
        failing.append("models not loaded yet")
    else:
        audio, reason = conversation.snapshot.status
        if audio == "lost":
            failing.append(f"audio lost: {reason}")
        elif audio == "starting":
            degraded.append("audio devices opening")
    if daemon.watchdog.tier > Tier.NORMAL:
        degraded.append(f"throttled: {daemon.watchdog.tier.label}")
    readings = daemon.watchdog.readings
    if readings is not None and readings.temperature_error:
        degraded.append(readings.temperature_error)
    if daemon.skills is not None and not daemon.skills.status.saved:
        degraded.append("timers not saved: a restart would lose them")
    if daemon.recorder.no_speech_run >= NO_SPEECH_RUN:
        degraded.append(f"{daemon.recorder.no_speech_run} questions in a row heard as no "
                        "speech: check the microphone, then the STT model")
    error = daemon.recorder.last_error
    if error is not None and time.time() - error.wall_time < RECENT_ERROR_S:
        degraded.append(f"recent {error.code} error in {error.stage}")
    return failing, degraded


def _audio(daemon: Daemon) -> dict[str, Any]:
    conversation = daemon.conversation
    if conversation is None:
        return {"mic": {"status": "not started"}, "speaker": {"status": "not started"}}
    audio = conversation.snapshot
    status, reason = audio.status
    return {
        "mic": {"status": status, "reason": reason, "device": audio.devices.get("microphone"),
                "overruns": audio.overruns, "bad_frames": audio.bad_frames},
        "speaker": {"status": status, "reason": reason, "device": audio.devices.get("speaker"),
                    "queued_chunks": audio.queued_chunks, "underflows": audio.underflows},
        "barge_ins": audio.barge_ins,
        "audio_recoveries": audio.recoveries,
        "echo": _echo(audio.echo),
        "listening": _listening(audio.listening),
    }


def _listening(status: ListeningStatus) -> dict[str, Any]:
    """What opens a question, and what the wake word did: detections, the questions it
    opened, false wakes (listening opened and nothing asked), follow-ups without it."""
    counters = status.counters
    return {"mode": status.mode, "wake_word": status.wake_word, "open": status.open,
            "wake_detections": counters.detections, "wake_questions": counters.wake_questions,
            "false_wakes": counters.false_wakes, "follow_ups": counters.follow_ups,
            "detector_cpu_s": round(status.detector_cpu_s, 2)}


def _echo(status: EchoStatus) -> dict[str, Any]:
    """The echo path: how far behind the far end it is, whether it is followed, ERLE."""
    alignment = status.alignment
    return {"delay_ms": _rounded(alignment.delay_ms), "applied_ms": round(alignment.applied_ms),
            "drift_ppm": _rounded(alignment.drift_ppm), "aligned": alignment.aligned,
            "realignments": alignment.realignments, "erle_db": _rounded(status.erle_db),
            "echo_gain_db": _rounded(status.echo_gain_db),
            "barge_ins_overruled": status.overruled}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _engines(daemon: Daemon, now: float) -> dict[str, Any]:
    """Each engine's model and whether its worker thread is alive and progressing."""
    throttle = daemon.throttle  # created together with the loaded engines
    names = throttle.models if throttle is not None else {}
    ages = daemon.liveness.progress_ages(now)
    report = {}
    for role in ("stt", "llm", "tts"):
        state = "not loaded" if throttle is None else (
            "stalled" if role in daemon.stalled else "ok")
        report[role] = {"status": state, "model": names.get(role),
                        "last_progress_s": ages.get(role)}
    return report


def _system(daemon: Daemon) -> dict[str, Any]:
    watchdog = daemon.watchdog
    readings = watchdog.readings
    transition = watchdog.transition
    limits = daemon.throttle.limits if daemon.throttle is not None else None
    tier = {"tier": watchdog.tier.label, "level": int(watchdog.tier),
            "cause": transition.cause if transition else "",
            "reading": transition.reading if transition else "",
            "effect": daemon.throttle_note(),
            "limits": dataclasses.asdict(limits) if limits is not None else None}
    if readings is None:
        return {"watchdog": tier, "temperature_c": None, "memory_available_mb": None,
                "swap_used_mb": None, "cpu_percent": None}
    return {
        "watchdog": tier,
        "temperature_c": readings.temperature_c,
        "memory_available_mb": round(readings.memory_available_bytes / MB),
        "swap_used_mb": round(readings.swap_used_bytes / MB),
        "cpu_percent": readings.cpu_percent,
    }


def _timers(daemon: Daemon) -> dict[str, Any] | None:
    """Running and ringing timers and alarms, from the skills' published snapshot."""
    if daemon.skills is None:
        return None
    status = daemon.skills.status
    return {"running": [dataclasses.asdict(timer) for timer in status.running],
            "ringing": status.ringing, "saved": status.saved}


def _last_error(daemon: Daemon) -> dict[str, Any] | None:
    error = daemon.recorder.last_error
    if error is None:
        return None
    return {"code": error.code, "stage": error.stage, "message": error.message,
            "age_s": round(time.time() - error.wall_time, 1)}
