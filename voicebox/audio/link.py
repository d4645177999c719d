"""The link to the sound card: open the mic and speaker by name, notice when they vanish,
reopen them when they come back.

A USB card pulled out, a sound server restarted or a driver hiccup all look the same from
here: a stream stops, PortAudio raises, or the mic simply delivers nothing. The link closes
both streams, re-initialises PortAudio (its device list is only read at initialisation, so a
card that comes back is invisible without it) and retries with backoff, forever: an appliance
has no one to press "retry". The conversation history lives elsewhere and is untouched.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any

from voicebox.audio.capture import Capture
from voicebox.audio.devices import find_device, list_devices, portaudio, require_any
from voicebox.audio.playback import Playback
from voicebox.config.schema import AudioConfig
from voicebox.errors import AudioDeviceError
from voicebox.ops.logging import get_logger

MIC_SILENT_S = 2.0
WATCH_S = 0.1
FIRST_RETRY_S = 0.5
LONGEST_RETRY_S = 10.0
PREFERRED_RATE = 48000

StatusSink = Callable[[str, str], None]


class AudioLink(threading.Thread):
    """Keeps the mic and speaker streams open."""

    def __init__(self, config: AudioConfig, capture: Capture, playback: Playback,
                 on_status: StatusSink, stopping: threading.Event) -> None:
        super().__init__(name="voicebox-audio-link", daemon=True)
        self._config = config
        self._capture = capture
        self._playback = playback
        self._on_status = on_status
        self._stopping = stopping
        self._streams: list[Any] = []
        self.recoveries = 0
        self.last_progress = time.monotonic()
        self.devices: dict[str, str] = {}
        """What is open: {"microphone": "vmic @ 44100 Hz", "speaker": ...}, for /health."""
        self._log = get_logger("audio")

    def run(self) -> None:
        """Open, watch, and after a loss back off and reopen, until stopped."""
        delay = FIRST_RETRY_S
        while not self._stopping.is_set():
            self.last_progress = time.monotonic()
            try:
                self._open()
                self._on_status("ok", "")
                delay = FIRST_RETRY_S
                reason = self._watch()
            except (AudioDeviceError, OSError) as exc:
                reason = str(exc)
            except Exception as exc:  # PortAudioError and friends from a dying server
                reason = f"{type(exc).__name__}: {exc}"
            self._close()
            if self._stopping.is_set():
                return
            self._on_status("lost", reason)
            self._log.warning("audio-device-lost", reason=reason, retry_in_s=delay)
            self._stopping.wait(delay)
            delay = min(delay * 2, LONGEST_RETRY_S)
            self._reinitialise()
            self.recoveries += 1

    def _open(self) -> None:
        sd = portaudio()
        devices = list_devices()
        mic = find_device(devices, self._config.input_device, "input")
        speaker = find_device(devices, self._config.output_device, "output")
        for chosen, kind in ((mic, "input"), (speaker, "output")):
            if chosen is None:  # the system default: there must be one to default to
                require_any(devices, kind)
        mic_rate = _rate(sd, mic, "input")
        speaker_rate = _rate(sd, speaker, "output")
        self._capture.attach(mic_rate)
        self._streams = open_all([
            lambda: sd.InputStream(
                device=mic.index if mic else None, channels=1, samplerate=mic_rate,
                dtype="float32", latency=self._config.latency_s,
                callback=self._capture.callback),
            lambda: sd.OutputStream(
                device=speaker.index if speaker else None, channels=1,
                samplerate=speaker_rate, dtype="float32", latency=self._config.latency_s,
                callback=self._playback.callback),
        ], before_start=lambda streams: self._playback.attach(streams[1], speaker_rate))
        self.devices = {"microphone": f"{mic.name if mic else 'default'} @ {mic_rate} Hz",
                        "speaker": f"{speaker.name if speaker else 'default'} @ {speaker_rate} Hz"}
        self._log.info("audio-open", **self.devices)

    def _watch(self) -> str:
        """Block while both streams run; returns why they stopped."""
        while not self._stopping.wait(WATCH_S):
            self.last_progress = time.monotonic()
            for name, stream in zip(("microphone", "speaker"), self._streams, strict=True):
                if not stream.active:
                    return f"the {name} stream stopped"
            if time.monotonic() - self._capture.last_block_at > MIC_SILENT_S:
                return f"no audio from the microphone for {MIC_SILENT_S:.0f} s"
        return "stopping"

    def _close(self) -> None:
        self._playback.detach()
        for stream in self._streams:
            try:
                stream.abort()
                stream.close()
            except Exception as exc:  # closing a stream of a dead server may fail too
                self._log.debug("audio-close-failed", error=str(exc))
        self._streams = []

    def _reinitialise(self) -> None:
        """Re-read the device list: a card that came back is only seen after this."""
        sd = portaudio()
        try:
            sd._terminate()
            sd._initialize()
        except Exception as exc:
            self._log.warning("portaudio-reinit-failed", error=str(exc))


def _rate(sd: Any, device: Any, kind: str) -> int:
    """48 kHz when the device takes it, else the rate it reports: we resample, so the card
    never has to.

    Why 48 kHz first: it is what USB audio, HDMI and sound servers run at, while PortAudio
    reports 44.1 kHz for ALSA's plugin devices (pulse, dmix). Opened at 44.1 kHz, the sound
    server resamples each stream on its own and adapts each one's rate to its buffer, so the
    echo slid against the far end by 2-3 % under load (tens of milliseconds a second) and
    the canceller kept losing it; at the server's own rate nothing is resampled.
    """
    index = device.index if device else None
    check = sd.check_input_settings if kind == "input" else sd.check_output_settings
    try:
        check(device=index, samplerate=PREFERRED_RATE, channels=1, dtype="float32")
    except Exception:  # PortAudioError: the device cannot run at 48 kHz
        return int(sd.query_devices(index, kind)["default_samplerate"])
    return PREFERRED_RATE


def open_all(openers: list[Callable[[], Any]],
             before_start: Callable[[list[Any]], None] = lambda streams: None) -> list[Any]:
    """Open every stream in order, call ``before_start`` with them (playback must know its
    stream before the first callback), then start them. If anything fails, the streams
    already open are closed before the error goes on: a mic stream left open when the speaker
    failed held the device, and every retry leaked another."""
    opened: list[Any] = []
    try:
        for opener in openers:
            opened.append(opener())
        before_start(opened)
        for stream in opened:
            stream.start()
    except BaseException:
        for stream in opened:
            with contextlib.suppress(Exception):  # the first error is the one to report
                stream.close()
        raise
    return opened
