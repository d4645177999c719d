"""WAV input of every common kind, and clear refusals of everything else."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from voicebox.audio.wav import read_for_stt, read_wav, write_wav
from voicebox.errors import AudioFileError


def write_pcm(path: Path, frames: bytes, width: int, channels: int = 1,
              rate: int = 16000) -> Path:
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        writer.writeframes(frames)
    return path


@pytest.mark.parametrize(("width", "frames", "expected"), [
    (1, bytes([128, 192, 64]), [0.0, 0.5, -0.5]),
    (2, np.array([0, 16384, -32768], "<i2").tobytes(), [0.0, 0.5, -1.0]),
    (3, bytes([0, 0, 0, 0, 0, 0x40, 0, 0, 0x80]), [0.0, 0.5, -1.0]),
    (4, np.array([0, 1 << 30, -(1 << 31)], "<i4").tobytes(), [0.0, 0.5, -1.0]),
], ids=["8-bit", "16-bit", "24-bit", "32-bit"])
def test_every_pcm_width_decodes_to_float(tmp_path: Path, width: int, frames: bytes,
                                          expected: list[float]) -> None:
    samples, rate = read_wav(write_pcm(tmp_path / "x.wav", frames, width))
    assert rate == 16000
    assert samples.dtype == np.float32
    np.testing.assert_allclose(samples, expected, atol=1e-6)


def test_stereo_is_mixed_down(tmp_path: Path) -> None:
    frames = np.array([16384, 0, -16384, -16384], "<i2").tobytes()
    samples, _ = read_wav(write_pcm(tmp_path / "x.wav", frames, 2, channels=2))
    np.testing.assert_allclose(samples, [0.25, -0.5])


def test_read_for_stt_resamples_to_16k(tmp_path: Path) -> None:
    tone = (0.5 * np.sin(2 * np.pi * 440 * np.arange(48000) / 48000)).astype(np.float32)
    path = tmp_path / "x.wav"
    write_wav(path, tone, 48000)
    samples = read_for_stt(path)
    assert len(samples) == 16000
    assert abs(float(np.max(np.abs(samples[1000:-1000]))) - 0.5) < 0.01


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    audio = np.linspace(-1, 1, 101, dtype=np.float32)
    write_wav(tmp_path / "x.wav", audio, 22050)
    samples, rate = read_wav(tmp_path / "x.wav")
    assert rate == 22050
    np.testing.assert_allclose(samples, audio, atol=2 / 32768)


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p, "no such file"),
    (lambda p: (p.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk"), p)[1], "not a PCM WAV"),
    (lambda p: (p.write_text("hello"), p)[1], "not a PCM WAV"),
    (lambda p: write_pcm(p, b"", 2), "holds no audio"),
], ids=["missing", "truncated-header", "text", "empty"])
def test_bad_files_are_refused(tmp_path: Path, make, message: str) -> None:
    with pytest.raises(AudioFileError, match=message) as caught:
        read_wav(make(tmp_path / "q.wav"))
    assert "sox" in caught.value.hint


def test_unwritable_output(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError, match="cannot write"):
        write_wav(tmp_path / "no" / "such" / "dir.wav", np.zeros(10, np.float32), 16000)
