"""``voicebox turn``: one spoken conversation turn from a WAV file or a typed question.

The same pipeline the daemon runs, without live audio: the question goes in as 16 kHz samples
(``--ask`` speaks the text with the TTS voice first, so anyone can try it with no microphone),
the answer comes out as a WAV file plus a latency table.
"""

from __future__ import annotations

import argparse
import queue
import time
from pathlib import Path

import numpy as np

from voicebox.audio.resample import resample
from voicebox.audio.wav import STT_RATE, read_for_stt, write_wav
from voicebox.conductor.pipeline import Engines, Pipeline
from voicebox.conductor.timeline import Timeline
from voicebox.config import Config
from voicebox.engines import load_engines, warm_engines
from voicebox.errors import VoiceboxError
from voicebox.events import LlmDone, SkillAnswered, SttDone, TurnCancelled, TurnDone, TurnFailed
from voicebox.messages import AudioChunk, EndOfAnswer, Turn
from voicebox.models.store import ModelStore
from voicebox.skills.engine import Skills

ANSWER_TIMEOUT_S = 120.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--wav`` or ``--ask``, and where the answer goes."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--wav", type=Path, help="the question, as a WAV file")
    source.add_argument("--ask", help="the question as text; spoken by the TTS voice first")
    parser.add_argument("--out", type=Path, default=Path("answer.wav"),
                        help="where to write the answer audio (default: answer.wav)")
    parser.add_argument("--timeout", type=_positive, default=ANSWER_TIMEOUT_S,
                        help=f"seconds to wait for the whole answer (default "
                             f"{ANSWER_TIMEOUT_S:.0f}; an emulated Pi needs several times more)")


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text}: must be more than 0")
    return value


def run(args: argparse.Namespace, config: Config) -> int:
    """Load, warm, answer one question, report; 0 if an answer was spoken."""
    engines = load_engines(config, ModelStore.from_config(config.models))
    warm_engines(engines, config)
    question = (read_for_stt(args.wav) if args.wav else speak_question(engines, args.ask))
    timeline = Timeline()
    # Timers set here would die with this process, and writing the daemon's timers file
    # from a second process would undo its changes: this command keeps them in memory.
    skills = Skills(config.skills, store=None) if config.skills.enabled else None
    pipeline = Pipeline(engines, config, timeline, skills)
    pipeline.start()
    try:
        turn = pipeline.submit(question)
        audio, rate = collect_answer(pipeline.audio_out, turn, args.timeout)
    finally:
        pipeline.stop()
    if rate:
        write_wav(args.out, audio, rate)
    print(report(timeline, turn, args.out if rate else None))
    return 0 if isinstance(timeline.first(turn.turn_id, TurnDone), TurnDone) and rate else 1


def speak_question(engines: Engines, text: str) -> np.ndarray:
    """The typed question as the user would have said it, in the fallback language's voice,
    the same audio every time (so the demo hears its own question right every time)."""
    if not text.strip():
        raise VoiceboxError("--ask needs a question", hint='voicebox turn --ask "What time is it?"')
    speech = engines.tts.steady().synthesize(text, engines.stt.fallback_language)
    return resample(speech.samples, speech.sample_rate, STT_RATE)


def collect_answer(audio_out: queue.Queue, turn: Turn,
                   timeout: float) -> tuple[np.ndarray, int]:
    """Gather the turn's audio until its end; (samples, rate), rate 0 if nothing was said."""
    deadline = time.monotonic() + timeout
    chunks: list[AudioChunk] = []
    while time.monotonic() < deadline and not turn.cancelled:
        try:
            item = audio_out.get(timeout=0.1)
        except queue.Empty:
            continue
        if isinstance(item, EndOfAnswer) and item.turn is turn:
            break
        if isinstance(item, AudioChunk) and item.turn is turn:
            chunks.append(item)
    else:
        raise VoiceboxError(f"no complete answer within {timeout:.0f} s",
                            hint="check the logs for a stalled engine")
    if not chunks:
        return np.zeros(0, np.float32), 0
    return np.concatenate([c.samples for c in chunks]), chunks[0].sample_rate


def answered_by(timeline: Timeline, turn: Turn) -> str:
    """"skill:<name> (<intent>)", "llm", or "-" when nothing answered."""
    skill = timeline.first(turn.turn_id, SkillAnswered)
    if isinstance(skill, SkillAnswered):
        return f"skill:{skill.skill} ({skill.intent})"
    return "llm" if timeline.first(turn.turn_id, LlmDone) else "-"


def report(timeline: Timeline, turn: Turn, out: Path | None) -> str:
    """Transcript, language, answer and the latency table, for a person."""
    stt = timeline.first(turn.turn_id, SttDone)
    done = timeline.first(turn.turn_id, TurnDone)
    lines = []
    if isinstance(stt, SttDone):
        lines.append(f"heard:    {stt.text or '(no speech)'}")
        lines.append(f"language: {stt.language} (detected {stt.detected_language}, "
                     f"p={stt.language_probability:.2f})")
    for event in timeline.events(turn.turn_id):
        if isinstance(event, (TurnFailed, TurnCancelled)):
            lines.append(f"problem:  {event}")
    lines.append(f"answer:   {done.answer if isinstance(done, TurnDone) else '(none)'}")
    lines.append(f"by:       {answered_by(timeline, turn)}")
    if out:
        lines.append(f"audio:    {out}")
    lines.append("latency from the end of the question:")
    for name, seconds in timeline.latencies(turn.turn_id).items():
        shown = f"{seconds * 1000:7.0f} ms" if seconds is not None else "      -"
        lines.append(f"  {name:<15}{shown}")
    return "\n".join(lines)
