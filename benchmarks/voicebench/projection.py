"""Projecting a Pi 5 turn: the work one turn does, times published Pi 5 speeds, stage by stage.

Nothing here runs on a Pi. A turn's work (seconds of question audio, prompt tokens, answer
tokens up to the end of the first sentence, characters and audio seconds of that sentence)
does not depend on the machine, so it is measured here; the time each stage takes on the Pi
is that work divided by (or times) the Pi's published speed for the Pi profile's model. A
stage whose speed was never published stays ``None``, and so does the total: an unknown
stage must not be silently counted as free.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.voicebench.pi5_rates import Rate


@dataclass(frozen=True)
class TurnWork:
    """What one turn asks of each stage; the same on any machine."""

    audio_s: float
    """Seconds of question audio the recogniser transcribes."""
    prompt_tokens: int
    """Tokens the LLM reads before its first answer token."""
    sentence_tokens: int
    """Answer tokens up to the end of the first sentence."""
    sentence_chars: int
    """Characters of the first sentence, which is synthesised first."""
    sentence_audio_s: float
    """Seconds of audio the first sentence becomes."""

    def describe(self) -> str:
        """One line for the printed table."""
        return (f"{self.audio_s:.2f} s audio, {self.prompt_tokens} prompt tokens, first "
                f"sentence {self.sentence_tokens} tokens / {self.sentence_chars} chars / "
                f"{self.sentence_audio_s:.2f} s")


@dataclass(frozen=True)
class Tier:
    """The Pi's published speeds for one model tier, and the fixed waits of a turn."""

    name: str
    stt: Rate
    prompt: Rate
    generate: Rate
    tts: Rate
    hangover_s: float
    """The endpointer's wait after the last voiced frame (configured, not a speed)."""
    audio_start_s: float
    """Capture and playback buffering until the first sample sounds (measured here)."""
    models: str = ""
    """The tier's models, for the table's heading."""


STAGES = ("endpoint wait", "STT", "prompt to first token", "first sentence",
          "TTS of first sentence", "audio start")


def stage_seconds(rate: Rate, work: float) -> float | None:
    """Seconds a stage takes for ``work`` at ``rate`` (``None`` when the rate is unknown).

    "rtf" and "s/char" multiply (3.0 s of audio at RTF 0.5 is 1.5 s); "tok/s" divides
    (40 tokens at 20 tok/s is 2.0 s).
    """
    if rate.value is None:
        return None
    if rate.unit in ("rtf", "s/char"):
        return work * rate.value
    if rate.unit == "tok/s":
        return work / rate.value
    raise ValueError(f"no rule for a rate in {rate.unit!r}")


def project(work: TurnWork, tier: Tier) -> dict[str, float | None]:
    """Each stage's projected seconds for ``work`` on ``tier``, in the order of a turn."""
    tts_work = work.sentence_chars if tier.tts.unit == "s/char" else work.sentence_audio_s
    return dict(zip(STAGES, (
        tier.hangover_s,
        stage_seconds(tier.stt, work.audio_s),
        stage_seconds(tier.prompt, work.prompt_tokens),
        stage_seconds(tier.generate, work.sentence_tokens),
        stage_seconds(tier.tts, tts_work),
        tier.audio_start_s,
    ), strict=True))


def voice_to_voice(stages: dict[str, float | None], stt_overlaps_wait: bool) -> float | None:
    """End of speech to first sound: the sum of the stages, ``None`` if any is unknown.

    With ``stt_overlaps_wait`` the recogniser runs during the endpoint wait (as the daemon
    does on a tentative end), so only what it needs beyond the wait is added.
    """
    if any(seconds is None for seconds in stages.values()):
        return None
    seconds = {name: float(value or 0.0) for name, value in stages.items()}
    if stt_overlaps_wait:
        seconds["STT"] = max(0.0, seconds["STT"] - seconds["endpoint wait"])
    return sum(seconds.values())


def median_work(turns: list[TurnWork]) -> TurnWork:
    """The per-field median turn of ``turns`` (non-empty), so one odd answer does not lead."""
    if not turns:
        raise ValueError("median of no turns")

    def mid(values: list[float]) -> float:
        ordered = sorted(values)
        half = len(ordered) // 2
        return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2

    return TurnWork(
        audio_s=mid([t.audio_s for t in turns]),
        prompt_tokens=round(mid([t.prompt_tokens for t in turns])),
        sentence_tokens=round(mid([t.sentence_tokens for t in turns])),
        sentence_chars=round(mid([t.sentence_chars for t in turns])),
        sentence_audio_s=mid([t.sentence_audio_s for t in turns]))


def pi5_tiers(hangover_s: float, audio_start_s: float) -> tuple[Tier, ...]:
    """The pi5-performance profile's two tiers (models.lock), with their published speeds.

    Standard: Whisper base, Qwen2.5-1.5B Q4_0, a Piper medium voice. Small (what the watchdog
    steps down to): Whisper tiny, Qwen2.5-0.5B Q4_0, the same voice.
    """
    from benchmarks.voicebench import pi5_rates as r

    return (
        Tier("standard", r.whisper_base_rate(), r.QWEN_1_5B_PP, r.QWEN_1_5B_TG,
             r.PIPER_MEDIUM_RTF, hangover_s, audio_start_s,
             "whisper base, Qwen2.5-1.5B-Instruct Q4_0, piper en_US-lessac-medium"),
        Tier("small", r.WHISPER_TINY_RTF, r.QWEN_0_5B_PP, r.QWEN_0_5B_TG,
             r.PIPER_MEDIUM_RTF, hangover_s, audio_start_s,
             "whisper tiny, Qwen2.5-0.5B-Instruct Q4_0, piper en_US-lessac-medium"),
    )


def render(work: TurnWork, tier: Tier) -> str:
    """One tier's projection as a table, marked as projected, with the total and sources."""
    stages = project(work, tier)
    tts_work = (f"{work.sentence_chars} chars" if tier.tts.unit == "s/char"
                else f"{work.sentence_audio_s:.2f} s of speech")
    rows = (
        ("endpoint wait", "hang-over (configured)", "-"),
        ("STT", f"{work.audio_s:.2f} s of audio", _rate(tier.stt)),
        ("prompt to first token", f"{work.prompt_tokens} tokens", _rate(tier.prompt)),
        ("first sentence", f"{work.sentence_tokens} tokens", _rate(tier.generate)),
        ("TTS of first sentence", tts_work, _rate(tier.tts)),
        ("audio start", "capture + playback buffers (measured here)", "-"),
    )
    lines = [f"PROJECTED (not measured on a Pi): Pi 5, tier {tier.name} ({tier.models})",
             f"  {'stage':<23}{'work (measured here)':<44}{'Pi 5 rate':<15}seconds"]
    lines += [f"  {name:<23}{what:<44}{rate:<15}{_seconds(stages[name])}"
              for name, what, rate in rows]
    total = voice_to_voice(stages, stt_overlaps_wait=True)
    lines.append(f"  voice-to-voice (end of speech -> first sound, STT inside the wait): "
                 f"{_seconds(total)}")
    for label, rate in (("STT", tier.stt), ("prompt", tier.prompt),
                        ("generation", tier.generate), ("TTS", tier.tts)):
        lines.append(f"  {label} rate: {rate.note}; {rate.source or 'no source'}")
    return "\n".join(lines)


def _rate(rate: Rate) -> str:
    return "unknown" if rate.value is None else f"{rate.value:.3g} {rate.unit}"


def _seconds(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.2f} s"
