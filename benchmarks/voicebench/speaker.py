"""The baseline's speaker: the daemon's own playback path, so both pay the same for sound.

The same :class:`~voicebox.audio.playback.Playback` (queue, PortAudio callback, resampling to
the device rate), the same ALSA device (``vspk``) at its own rate and the same stream latency
(``audio.latency_s``): whatever the two sides' first samples differ by is when their audio was
ready, not how it was played. The stream stays open for the whole session, as a box's would.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

import numpy as np

from voicebox.audio.devices import find_device, list_devices, portaudio
from voicebox.audio.playback import Playback
from voicebox.audio.reference import ReferenceBuffer
from voicebox.config.schema import AudioConfig
from voicebox.messages import AudioChunk, EndOfAnswer, Turn


class BaselineSpeaker:
    """An open output stream fed by a Playback thread; :meth:`play` queues one answer."""

    def __init__(self, audio: AudioConfig, device: str = "vspk") -> None:
        self._config = audio
        self._device = device
        self._source: queue.Queue[AudioChunk | EndOfAnswer] = queue.Queue()
        self._stopping = threading.Event()
        self.playback = Playback(self._source, ReferenceBuffer(), lambda _turn: None,
                                 self._stopping)
        self._stream: Any = None

    def start(self) -> None:
        """Open the device (PortAudio must see the sound card's env) and start playing."""
        sd = portaudio()
        speaker = find_device(list_devices(), self._device, "output")
        assert speaker is not None
        rate = int(sd.query_devices(speaker.index, "output")["default_samplerate"])
        self._stream = sd.OutputStream(device=speaker.index, channels=1, samplerate=rate,
                                       dtype="float32", latency=self._config.latency_s,
                                       callback=self.playback.callback)
        self.playback.attach(self._stream, rate)
        self._stream.start()
        self.playback.start()

    def play(self, samples: np.ndarray, rate: int) -> None:
        """Queue one answer; returns at once."""
        turn = Turn()
        self._source.put(AudioChunk(turn, samples, rate, ""))
        self._source.put(EndOfAnswer(turn, "en"))

    def stop(self) -> None:
        """Stop the thread and close the stream. Idempotent."""
        self._stopping.set()
        if self.playback.is_alive():
            self.playback.join(2)
        if self._stream is not None:
            self._stream.abort()
            self._stream.close()
            self._stream = None
