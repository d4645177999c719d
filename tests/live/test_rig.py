"""The virtual sound card carries real-time audio both ways, echoes, vanishes and comes back.

The program side is played by ordinary sounddevice streams on ``vmic``/``vspk`` at
latency='high' (the recipe found 'low' fragile on the pulse plugin). Streams are checked for
running their full length; one that ends at once (a glitch the recipe saw about once in 30
stream starts under heavy load) is retried once, and nothing asserted is loosened.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import sounddevice as sd

from tests.rig.harness import Clip, MicFeed, SpeakerTap
from tests.rig.plumbing import PCMS, SampleClock
from tests.rig.room import RoomSettings
from tests.rig.signals import Match, chirp, find
from tests.rig.vaudio import VirtualAudio
from voicebox.audio.resample import resample

FS = 48000
T = TypeVar("T")


class EndedEarly(Exception):
    """A stream stopped right after it started."""


def retry_once(attempt: Callable[[], T]) -> T:
    """``attempt()``, and once more if its stream ended at once."""
    try:
        return attempt()
    except EndedEarly as glitch:
        warnings.warn(f"retrying once: {glitch}", stacklevel=2)
        return attempt()


class Recorder:
    """Program side: a callback InputStream filling a buffer, with the time of each sample."""

    def __init__(self, seconds: float, device: str = "vmic") -> None:
        self.buf = np.zeros(round(seconds * FS), np.float32)
        self.n = 0
        self.clock = SampleClock(FS)
        self.started_at = 0.0
        self.ended_at: float | None = None
        self.ended = threading.Event()
        self.stream = sd.InputStream(device=device, samplerate=FS, channels=1, dtype="float32",
                                     latency="high", callback=self._callback,
                                     finished_callback=self._finished)

    def start(self) -> None:
        """Start, and return once the first block arrived."""
        self.started_at = time.monotonic()
        self.stream.start()
        deadline = time.monotonic() + 2
        while self.n == 0 and not self.ended.is_set() and time.monotonic() < deadline:
            time.sleep(0.005)

    def finish(self) -> np.ndarray:
        """Wait for the full recording, in real time; EndedEarly if the stream gave up in its
        first 0.2 s."""
        seconds = len(self.buf) / FS
        self.ended.wait(seconds + 2)
        self.stream.close()
        if self.n < 0.2 * FS:
            raise EndedEarly(f"input stream ended after {self.n} frames")
        assert self.n == len(self.buf), f"recorded {self.n} of {len(self.buf)} frames"
        assert self.ended_at is not None
        assert seconds - 0.1 < self.ended_at - self.started_at < seconds + 0.5
        return self.buf

    def _callback(self, indata: np.ndarray, frames: int, _time: object, _status: object) -> None:
        take = min(frames, len(self.buf) - self.n)
        self.buf[self.n:self.n + take] = indata[:take, 0]
        self.n += take
        self.clock.update(time.monotonic(), self.n)
        if self.n == len(self.buf):
            raise sd.CallbackStop

    def _finished(self) -> None:
        self.ended_at = time.monotonic()
        self.ended.set()


def play_on_vspk(signal: np.ndarray) -> float:
    """Program side: play ``signal`` through a callback OutputStream; its wall time."""
    pos = 0

    def callback(outdata: np.ndarray, frames: int, _time: object, _status: object) -> None:
        nonlocal pos
        take = min(frames, len(signal) - pos)
        outdata[:take, 0] = signal[pos:pos + take]
        outdata[take:] = 0
        pos += take
        if take < frames:
            raise sd.CallbackStop

    done = threading.Event()
    began = time.monotonic()
    with sd.OutputStream(device="vspk", samplerate=FS, channels=1, dtype="float32",
                         latency="high", callback=callback, finished_callback=done.set):
        done.wait(len(signal) / FS + 2)
    if pos < 0.2 * FS:
        raise EndedEarly(f"output stream ended after {pos} frames")
    assert pos == len(signal), f"played {pos} of {len(signal)} frames"
    return time.monotonic() - began


def hear_on_vmic(ref: np.ndarray) -> tuple[Match, Clip, Recorder]:
    """Harness plays ``ref`` into vmicfeed while the program records vmic."""
    with MicFeed() as feed:
        rec = Recorder(len(ref) / FS + 1.0)
        rec.start()
        clip = feed.play(ref, FS)
        feed.wait()
        return find(rec.finish(), ref), clip, rec


def assert_audio_flows(ref: np.ndarray) -> float:
    """What the harness plays is what the program hears, 0-200 ms later; that delay."""
    match, clip, rec = retry_once(lambda: hear_on_vmic(ref))
    assert match.ncc > 0.95, match
    assert abs(match.gain - 1) < 0.05, match
    assert clip.started_at is not None
    delay = rec.clock.time_at(match.lag) - clip.started_at
    assert 0 < delay < 0.2, delay
    return delay


def device_names() -> list[str]:
    return [device["name"] for device in sd.query_devices()]


def test_devices_are_listed(vaudio: VirtualAudio) -> None:
    assert vaudio.ready_seconds is not None and vaudio.ready_seconds < 5
    print(f"audio flowing {vaudio.ready_seconds:.2f} s after start")
    assert set(PCMS) <= set(device_names())
    config = (vaudio.root / "asoundrc").read_text()
    for name in ("vmic", "vspk", "vmicfeed", "vspkmon"):
        assert f"pcm.{name} {{\n    type pulse\n" in config


def test_what_the_harness_plays_is_heard_on_vmic(vaudio: VirtualAudio) -> None:
    delay = assert_audio_flows(chirp())
    print(f"feed -> program delay {delay * 1000:.1f} ms")


def test_what_vspk_plays_is_recorded_by_the_speaker_tap(vaudio: VirtualAudio) -> None:
    ref = chirp(f1=6000)
    signal = np.concatenate([np.zeros(FS // 10, np.float32), ref, np.zeros(FS // 5, np.float32)])
    with SpeakerTap() as tap, SpeakerTap(rate=16000) as tap16:
        began = time.monotonic()
        wall = retry_once(lambda: play_on_vspk(signal))
        time.sleep(0.1)
    assert len(signal) / FS - 0.05 < wall < len(signal) / FS + 0.5, wall
    match = find(tap.audio, ref)
    assert match.ncc > 0.95 and abs(match.gain - 1) < 0.05, match
    # The server's resampler may place 16 kHz samples at another of the three 48 kHz phases.
    match16 = max((find(tap16.audio, resample(np.concatenate([np.zeros(k, np.float32), ref]),
                                              FS, 16000)) for k in range(3)),
                  key=lambda m: m.ncc)
    assert match16.ncc > 0.95 and abs(match16.gain - 1) < 0.05, match16
    span = tap.sound_span(after=began)
    assert span is not None
    onset, end = span
    assert began < onset < began + 0.5, onset - began
    assert abs(end - onset - len(ref) / FS) < 0.005, end - onset  # continuous, real time
    assert abs(tap.time_at(match.lag) - tap16.time_at(match16.lag)) < 0.03


def record_room(ref: np.ndarray) -> tuple[np.ndarray, Match, float]:
    """The program plays ``ref`` on vspk while recording vmic, and the tap hears the speaker:
    the mic recording, where ``ref`` fits in it, and how long after the speaker that is."""
    signal = np.concatenate([ref, np.zeros(FS // 2, np.float32)])

    def attempt() -> tuple[np.ndarray, Match, float]:
        with SpeakerTap() as tap:
            rec = Recorder(len(signal) / FS + 0.5)
            rec.start()
            play_on_vspk(signal)
            mic = rec.finish()
            spoken = find(tap.audio, ref)
        assert spoken.ncc > 0.95, spoken
        heard = find(mic, ref)
        return mic, heard, rec.clock.time_at(heard.lag) - tap.time_at(spoken.lag)

    return retry_once(attempt)


def test_echo_mixes_the_speaker_into_the_mic(vaudio: VirtualAudio) -> None:
    ref = chirp()
    vaudio.echo_on(RoomSettings(delay_ms=40, gain=0.3))
    try:
        time.sleep(0.3)
        _, echo, delay = record_room(ref)  # delay: from the speaker's monitor to the mic
    finally:
        vaudio.echo_off()
    assert echo.ncc > 0.95 and abs(echo.gain - 0.3) < 0.03, echo
    assert 0.02 < delay < 0.3, delay
    print(f"echo delay {delay * 1000:.1f} ms, gain {echo.gain:.4f}, ncc {echo.ncc:.5f}")


def test_echo_off_leaves_the_mic_silent(vaudio: VirtualAudio) -> None:
    vaudio.echo_on(RoomSettings(delay_ms=40, gain=0.5))
    vaudio.echo_off()
    mic, _, _ = record_room(chirp())
    assert np.max(np.abs(mic)) < 1e-4


class BlockingReader(threading.Thread):
    """A program that reads vmic with blocking reads, until PortAudio raises."""

    def __init__(self) -> None:
        super().__init__(name="blocking-reader", daemon=True)  # daemon: if a read hung for good
        self.reading = threading.Event()
        self.error: sd.PortAudioError | None = None
        self.failed_at: float | None = None

    def run(self) -> None:
        try:
            with sd.InputStream(device="vmic", samplerate=FS, channels=1, latency="high") as s:
                for _ in range(30 * FS // 480):  # gives up after 30 s
                    s.read(480)
                    self.reading.set()
        except sd.PortAudioError as exc:
            self.error, self.failed_at = exc, time.monotonic()


def test_killed_server_ends_streams_and_restart_brings_devices_back(
        vaudio: VirtualAudio) -> None:
    try:
        rec = Recorder(30.0)
        rec.start()
        reader = BlockingReader()
        reader.start()
        assert reader.reading.wait(2)
        killed_at = time.monotonic()
        vaudio.kill_server()
        assert rec.ended.wait(1.0) and not rec.stream.active
        reader.join(1.0)
        assert not reader.is_alive() and reader.error is not None
        rec.stream.close()
        assert rec.ended_at is not None and reader.failed_at is not None
        assert max(rec.ended_at, reader.failed_at) - killed_at < 1.0
        print(f"callback stream ended {(rec.ended_at - killed_at) * 1000:.0f} ms, blocking "
              f"read raised {(reader.failed_at - killed_at) * 1000:.0f} ms after the kill")
        vaudio.apply_env()
        assert "vmic" not in device_names()
        restart_seconds = vaudio.restart()
        vaudio.apply_env()
        assert set(PCMS) <= set(device_names())
        assert restart_seconds < 5
        print(f"restart took {restart_seconds:.2f} s")
        assert_audio_flows(chirp())
    finally:
        if not vaudio.alive():
            vaudio.restart()
            vaudio.apply_env()
