"""The capture thread's side of a reopened microphone: blocks of the old stream are not
framed through the new stream's resampler."""

from __future__ import annotations

import threading

import numpy as np

from voicebox.audio.capture import Capture
from voicebox.audio.listener import Listener
from voicebox.audio.reference import ReferenceBuffer
from voicebox.config import load_config


def block(samples: int) -> np.ndarray:
    return np.zeros((samples, 1), np.float32)


def test_blocks_of_a_stream_closed_since_are_dropped() -> None:
    listener = Listener(load_config(), lambda: False, lambda decision: None)
    capture = Capture(listener, ReferenceBuffer(), threading.Event())
    capture.attach(48000)
    capture.callback(block(4800), 4800, None, None)   # 100 ms at 48 kHz
    capture.step(0.0)
    framed = listener.frames
    assert framed >= 9                                # (the resampler holds back a few)
    capture.callback(block(4800), 4800, None, None)   # the old stream's last 100 ms, queued
    capture.attach(16000)                             # the device came back at 16 kHz
    capture.step(0.0)
    assert listener.frames == framed, "an old 48 kHz block was framed after the reopen"
    capture.callback(block(320), 320, None, None)     # 20 ms of the new stream
    capture.step(0.0)
    assert listener.frames == framed + 2
