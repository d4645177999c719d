"""WAV files in and out: questions for ``voicebox turn --wav``, answers for ``--out``.

Whatever the file holds (8/16/24/32-bit PCM, any rate, stereo), the pipeline gets 16 kHz mono
float32, resampled with a band-limited filter; a file that is not PCM WAV is refused with a
message that says what it is.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from voicebox.audio.rates import PROCESSING_RATE
from voicebox.audio.resample import resample
from voicebox.errors import AudioFileError

STT_RATE = PROCESSING_RATE
FIX = "give a PCM WAV file, e.g. sox in.mp3 -r 16000 -c 1 -b 16 out.wav"


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Mono float32 samples in [-1, 1] and the file's sample rate."""
    try:
        with wave.open(str(path), "rb") as reader:
            width, channels, rate = (reader.getsampwidth(), reader.getnchannels(),
                                     reader.getframerate())
            raw = reader.readframes(reader.getnframes())
    except FileNotFoundError:
        raise AudioFileError(f"{path}: no such file", hint=FIX) from None
    except (wave.Error, EOFError) as exc:
        raise AudioFileError(f"{path}: not a PCM WAV file ({exc})", hint=FIX) from None
    samples = _decode(raw, width, path)
    if samples.size == 0:
        raise AudioFileError(f"{path}: the file holds no audio", hint=FIX)
    return samples.reshape(-1, channels).mean(axis=1).astype(np.float32), rate


def _decode(raw: bytes, width: int, path: Path) -> np.ndarray:
    if width == 1:
        return (np.frombuffer(raw, np.uint8).astype(np.float32) - 128) / 128
    if width == 2:
        return np.frombuffer(raw, "<i2").astype(np.float32) / 32768
    if width == 3:
        bytes3 = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        value = bytes3[:, 0] | bytes3[:, 1] << 8 | bytes3[:, 2] << 16
        return (np.where(value >= 1 << 23, value - (1 << 24), value) / float(1 << 23))
    if width == 4:
        return np.frombuffer(raw, "<i4").astype(np.float32) / float(1 << 31)
    raise AudioFileError(f"{path}: {8 * width}-bit samples are not supported", hint=FIX)


def read_for_stt(path: Path) -> np.ndarray:
    """The file as the pipeline wants it: 16 kHz mono float32."""
    samples, rate = read_wav(path)
    return resample(samples, rate, STT_RATE) if rate != STT_RATE else samples


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    """Write mono float32 ``samples`` as 16-bit PCM."""
    pcm = np.round(np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    try:
        with path.open("wb") as handle, wave.open(handle, "wb") as writer:
            writer.setnchannels(1)
            writer.setsampwidth(2)
            writer.setframerate(rate)
            writer.writeframes(pcm.tobytes())
    except OSError as exc:
        raise AudioFileError(f"{path}: cannot write: {exc.strerror}",
                             hint="choose a writable path for --out") from None
