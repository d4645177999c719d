"""Playback's queue, driven through its real PortAudio callback with plain arrays."""

from __future__ import annotations

import queue
import threading
import time

import numpy as np
import sounddevice

from voicebox.audio.playback import PLAY_QUEUE_SIZE, Playback
from voicebox.audio.reference import ReferenceBuffer
from voicebox.messages import AudioChunk, EndOfAnswer, Turn

RATE = 16000


def make_playback(played: list[Turn]) -> tuple[Playback, ReferenceBuffer]:
    reference = ReferenceBuffer()
    playback = Playback(queue.Queue(), reference, played.append, threading.Event())
    playback.attach(None, RATE)
    return playback, reference


def pull(playback: Playback, frames: int) -> np.ndarray:
    out = np.zeros((frames, 1), np.float32)
    playback.callback(out, frames, None, None)
    return out[:, 0]


def chunk(turn: Turn, value: float, seconds: float, text: str) -> AudioChunk:
    return AudioChunk(turn, np.full(int(RATE * seconds), value, np.float32), RATE, text)


def test_chunks_play_in_order_then_silence_and_feed_the_reference() -> None:
    playback, reference = make_playback([])
    turn = Turn()
    playback._enqueue(chunk(turn, 0.5, 0.01, "One."))
    playback._enqueue(chunk(turn, -0.5, 0.01, "Two."))
    out = pull(playback, 400)
    assert np.all(out[:160] == 0.5) and np.all(out[160:320] == -0.5)
    assert np.all(out[320:] == 0)
    assert playback.speaking
    frames = [reference.take(160) for _ in range(3)]
    np.testing.assert_allclose(frames[0], 0.5)     # same rate: the reference is what played
    np.testing.assert_allclose(frames[1], -0.5)


def test_the_end_of_an_answer_is_reported_once_it_has_played() -> None:
    played: list[Turn] = []
    playback, _ = make_playback(played)
    turn = Turn()
    playback._enqueue(chunk(turn, 0.1, 0.02, "Hello."))
    playback._enqueue(EndOfAnswer(turn, "en"))
    pull(playback, 160)
    assert playback._finished.empty()
    pull(playback, 320)
    assert playback._finished.get_nowait() is turn


def test_flush_stops_at_once_and_returns_the_words_heard() -> None:
    playback, _ = make_playback([])
    turn = Turn()
    playback._enqueue(chunk(turn, 0.1, 0.1, "The first sentence is done."))
    playback._enqueue(chunk(turn, 0.2, 0.1, "one two three four"))
    playback._enqueue(chunk(turn, 0.3, 0.1, "Never heard at all."))
    pull(playback, 1600 + 800)                     # all of the first, half of the second
    assert playback.flush() == "The first sentence is done. one two"
    assert np.all(pull(playback, 160) == 0)


def test_cancelled_turns_are_not_queued_and_chunks_are_resampled() -> None:
    playback, _ = make_playback([])
    cancelled = Turn()
    cancelled.cancel.set()
    playback._enqueue(chunk(cancelled, 0.5, 0.1, "Gone."))
    assert np.all(pull(playback, 160) == 0)
    turn = Turn()
    playback._enqueue(AudioChunk(turn, np.zeros(22050, np.float32), 22050, "A second."))
    assert playback._queue[0].samples.size == RATE    # 1 s at the device rate


def test_reference_buffer_is_bounded_and_pads_with_silence() -> None:
    reference = ReferenceBuffer(max_seconds=0.1)
    for value in range(5):
        reference.push(np.full(800, value, np.float32))   # 5 x 50 ms into a 100 ms buffer
    frame = reference.take(160)
    assert frame[0] >= 3 and reference.dropped >= 2
    reference.clear()
    assert np.all(reference.take(160) == 0)


def test_audio_of_a_cancelled_turn_already_queued_is_never_played() -> None:
    playback, _ = make_playback([])
    turn, next_turn = Turn(), Turn()
    playback._enqueue(chunk(turn, 0.5, 0.01, "Slipped in after the barge-in began."))
    playback._enqueue(chunk(next_turn, 0.25, 0.01, "The next answer."))
    turn.cancel.set()
    out = pull(playback, 160)
    assert np.all(out == 0.25)


def test_the_far_end_is_exactly_what_played_across_a_barge_in() -> None:
    """A flush must not drop or add far-end samples: the echo canceller's alignment is a
    count of samples, so one lost block would shift it for the rest of the session."""
    class Device:
        """Records what the callback wrote; a flush must not abort it."""
        latency = 0.05

        def abort(self) -> None:
            raise AssertionError("the stream was aborted: the far end would lose its count")

    playback, reference = make_playback([])
    playback.attach(Device(), RATE)
    turn = Turn()
    playback._enqueue(chunk(turn, 0.5, 0.1, "A long answer that is talked over."))
    written = [pull(playback, 480) for _ in range(2)]
    playback.flush()
    written += [pull(playback, 480) for _ in range(2)]
    played = np.concatenate(written)
    assert np.all(played[:960] == 0.5) and np.all(played[960:] == 0)
    assert reference.fill == played.size
    np.testing.assert_array_equal(reference.take(played.size), played)


def test_an_underflow_is_counted_for_health() -> None:
    playback, _ = make_playback([])
    flags = sounddevice.CallbackFlags()
    flags.output_underflow = True
    out = np.zeros((160, 1), np.float32)
    playback.callback(out, 160, None, sounddevice.CallbackFlags())
    playback.callback(out, 160, None, flags)
    assert playback.underflows == 1


def test_the_play_queue_is_bounded_and_the_rest_waits_in_the_pipeline() -> None:
    stopping = threading.Event()
    source: queue.Queue = queue.Queue(maxsize=8)
    playback = Playback(source, ReferenceBuffer(), lambda _turn: None, stopping)
    playback.attach(None, RATE)
    turn = Turn()
    for number in range(8):
        source.put(chunk(turn, 0.1, 0.01, f"Sentence {number}."))
    playback.start()
    time.sleep(0.3)
    assert len(playback._queue) == PLAY_QUEUE_SIZE and source.qsize() == 8 - PLAY_QUEUE_SIZE
    pull(playback, 160 * 2)                       # two sentences play: two more come in
    time.sleep(0.3)
    assert len(playback._queue) == PLAY_QUEUE_SIZE and source.qsize() == 8 - PLAY_QUEUE_SIZE - 2
    assert playback.queue_depth == 6
    stopping.set()
    playback.join(1.0)
    assert not playback.is_alive()


def test_the_echo_tail_counts_the_output_latency() -> None:
    """The box is still audible for the stream's output latency plus the room's tail after
    it filled the last buffer: with 0.5 s of output latency, 0.3 s would end too soon."""
    class Device:
        latency = 0.5

    playback, _reference = make_playback([])
    assert playback.echo_tail_s == 0.3   # no stream latency known
    playback.attach(Device(), RATE)
    assert playback.echo_tail_s == 0.8
    playback.last_audible = time.monotonic() - 0.6
    assert playback.speaking
    playback.last_audible = time.monotonic() - 0.9
    assert not playback.speaking
