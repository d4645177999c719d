"""``voicebox turn`` as a person runs it: a real process, the dev models, files in and out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from tests.integration.test_stt import word_errors, words
from voicebox.audio.resample import resample
from voicebox.audio.wav import read_wav, write_wav
from voicebox.cli import main
from voicebox.commands.turn import speak_question
from voicebox.conductor.pipeline import Engines
from voicebox.paths import PROJECT_ROOT


def voicebox(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "voicebox", *args], capture_output=True,
                          text=True, cwd=PROJECT_ROOT, timeout=300, check=False)


def test_ask_speaks_the_question_and_writes_the_answer(tmp_path: Path) -> None:
    out = tmp_path / "answer.wav"
    result = voicebox("turn", "--ask", "What is the capital of France?", "--out", str(out))
    assert result.returncode == 0, result.stderr
    # --ask speaks with the box's own voice, which varies a little each time: one word may
    # be misheard ("capital of friends"), the question must still come through.
    heard = next(line for line in result.stdout.splitlines() if line.startswith("heard:"))
    assert word_errors(words(heard[6:]), words("What is the capital of France?")) <= 1
    assert "language: en" in result.stdout
    for row in ("stt", "first token", "first sentence", "first audio", "total"):
        assert f"  {row}" in result.stdout
    samples, rate = read_wav(out)
    assert rate == 22050 and len(samples) > rate // 2


def test_wav_question_at_another_rate(tmp_path: Path, speak, capsys) -> None:
    # In this process (rather than a subprocess) so that coverage sees the command's code.
    question = tmp_path / "question.wav"
    write_wav(question, resample(speak("How tall is Mount Everest?"), 16000, 44100), 44100)
    out = tmp_path / "answer.wav"
    assert main(["turn", "--wav", str(question), "--out", str(out)]) == 0
    assert "Everest" in capsys.readouterr().out
    assert out.stat().st_size > 44


def test_silence_exits_1_with_no_answer(tmp_path: Path) -> None:
    question = tmp_path / "silence.wav"
    write_wav(question, np.zeros(32000, np.float32), 16000)
    result = voicebox("turn", "--wav", str(question), "--out", str(tmp_path / "a.wav"))
    assert result.returncode == 1
    assert "(no speech)" in result.stdout
    assert not (tmp_path / "a.wav").exists()


def test_a_file_that_is_not_a_wav_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "question.wav"
    bogus.write_text("this is not audio")
    result = voicebox("turn", "--wav", str(bogus))
    assert result.returncode == 1
    assert "not a PCM WAV file" in result.stderr and "fix:" in result.stderr


def test_a_sum_is_answered_by_the_skill_not_the_llm(tmp_path: Path) -> None:
    out = tmp_path / "answer.wav"
    result = voicebox("turn", "--ask", "what is twelve times seven", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "answer:   12 times 7 is 84." in result.stdout
    assert "by:       skill:arithmetic (sum)" in result.stdout
    samples, rate = read_wav(out)
    assert rate == 22050 and len(samples) > rate // 2


def test_ask_speaks_the_same_audio_every_time_and_whisper_hears_it_right(
        engines: Engines) -> None:
    """The demo (README command 1) must hear its own question right on every run."""
    first = speak_question(engines, "What is the capital of France?")
    again = speak_question(engines, "What is the capital of France?")
    np.testing.assert_array_equal(first, again)
    assert engines.stt.transcribe(first).text == "What is the capital of France?"
