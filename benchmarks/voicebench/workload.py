"""The work a turn asks of each stage, measured with the dev pipeline in this process, and
the Pi 5 projection built on it (``benchmarks/run --project pi5``).

No sound card and no daemon: spoken questions go straight to the same engines, prompt
builder and sentence splitter the daemon uses. What is measured is work, not time: seconds
of audio the recogniser gets, prompt tokens llama.cpp reads (the system prompt is already in
its KV cache, as the daemon prefills it), answer tokens until the splitter lets the first
sentence go, and that sentence's characters and seconds of speech. The dev models stand in
for the Pi's: SmolLM2's tokenizer and answers, not Qwen2.5's, so token counts are close but
not the same, and the Pi's answers may be longer.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from pathlib import Path

from benchmarks.voicebench.projection import TurnWork, median_work, pi5_tiers, render
from benchmarks.voicebench.questions import QUESTIONS, RATE, Question, Spoken, speak
from voicebox.conductor.pipeline import Engines
from voicebox.config import Config, load_config
from voicebox.engines import load_engines, warm_engines
from voicebox.llm.prompt import build_messages
from voicebox.models.store import ModelStore
from voicebox.speech.language import answer_language
from voicebox.speech.markup import read_aloud
from voicebox.speech.sentences import SentenceSplitter

PROJECTED_QUESTIONS = (QUESTIONS[0], QUESTIONS[1], QUESTIONS[2], QUESTIONS[5])
"""Four English questions in the box's own voice (one in fan noise): no espeak-ng needed."""
LATEST = Path(__file__).resolve().parent.parent / "latest" / "voicebench-dev.json"
"""The last full run here; its capture + playback buffering is the audio start."""


def first_sentence(pieces: Iterable[str], splitter: SentenceSplitter) -> tuple[str, int]:
    """The first sentence the splitter lets go, and how many pieces (tokens) that took.

    The pieces it must see past the sentence's end to be sure of it count too: the daemon
    waits for them as well. An answer with no sentence end is flushed whole.
    """
    count = 0
    for piece in pieces:
        count += 1
        sentences = splitter.feed(piece)
        if sentences:
            return sentences[0], count
    flushed = splitter.flush()
    return (flushed[0] if flushed else ""), count


def measure_turn(engines: Engines, config: Config, spoken: Spoken) -> TurnWork:
    """One question through STT, the LLM up to its first sentence, and that sentence's TTS.

    The recogniser starts at the tentative end, so it gets the pre-roll and the voice.
    """
    preroll = round(config.vad.preroll_ms * RATE / 1000)
    utterance = spoken.samples[max(0, spoken.voiced[0] - preroll):spoken.voiced[1]]
    heard = engines.stt.transcribe(utterance)
    language = answer_language(heard.choice.language, engines.tts.languages,
                               engines.stt.fallback_language)
    messages = build_messages(config.llm.system_prompt, (), heard.text, language)
    read_before = engines.chat.prompt_tokens_read
    stream = engines.chat.stream(messages, threading.Event(), config.llm.max_tokens)
    sentence, tokens = first_sentence(stream, SentenceSplitter())
    stream.close()  # the rest of the answer is not part of the first sound
    prompt_tokens = engines.chat.prompt_tokens_read - read_before
    spoken_text = read_aloud(sentence, language)
    speech = engines.tts.synthesize(spoken_text, language)
    return TurnWork(audio_s=len(utterance) / RATE, prompt_tokens=prompt_tokens,
                    sentence_tokens=tokens, sentence_chars=len(spoken_text),
                    sentence_audio_s=len(speech.samples) / speech.sample_rate)


def audio_start_s(latest: Path = LATEST) -> float:
    """Median capture + playback buffering of the last full run here (the Pi's sound path
    is assumed no slower: the same PortAudio latency and the same buffers)."""
    result = json.loads(latest.read_text())
    return float(result["stages_median_s"]["streamed"]["audio in/out"])


def projection(questions: tuple[Question, ...] = PROJECTED_QUESTIONS) -> str:
    """Measure each question's work with the dev models, then print every Pi tier's table."""
    config = load_config(None, "dev")
    engines = load_engines(config, ModelStore.from_config(config.models))
    warm_engines(engines, config)
    turns = [measure_turn(engines, config, speak(q, engines.tts, seed=i))
             for i, q in enumerate(questions)]
    work = median_work(turns)
    lines = ["work per turn, measured here with the dev models (SmolLM2's tokens and answers "
             "stand in for Qwen2.5's):",
             *(f"  {q.text:<36} {t.describe()}" for q, t in zip(questions, turns, strict=True)),
             f"  {'median':<36} {work.describe()}", ""]
    tiers = pi5_tiers(config.vad.hangover_ms / 1000, audio_start_s())
    return "\n".join([*lines, *(render(work, tier) + "\n" for tier in tiers)])
