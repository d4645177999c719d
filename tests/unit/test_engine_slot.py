"""Model hand-over between threads: the mailbox and a stage's engine slot, with real objects
that own a resource and free it on close() (io.BytesIO)."""

from __future__ import annotations

import io
import threading
import time

import pytest

from voicebox.conductor.mailbox import Mailbox
from voicebox.conductor.slot import EngineSlot
from voicebox.errors import LlmError


def test_a_value_replaced_before_it_was_taken_is_closed() -> None:
    mailbox: Mailbox[io.BytesIO] = Mailbox()
    first, second = io.BytesIO(b"large"), io.BytesIO(b"small")
    mailbox.put(first)
    mailbox.put(second)
    assert first.closed and not second.closed
    mailbox.put(second)                                  # the same one again: kept open
    assert not second.closed
    assert mailbox.take() is second and mailbox.take() is None
    assert not second.closed, "a value taken belongs to the taker"


def test_take_waits_for_a_value_from_another_thread() -> None:
    mailbox: Mailbox[int] = Mailbox()
    threading.Timer(0.05, mailbox.put, (7,)).start()
    started = time.monotonic()
    assert mailbox.take(timeout=2.0) == 7
    assert time.monotonic() - started < 1.0
    assert mailbox.take(timeout=0.05) is None


def test_a_release_closes_the_engine_and_a_turn_waits_for_the_next() -> None:
    old, new = io.BytesIO(b"large"), io.BytesIO(b"small")
    slot = EngineSlot(old, LlmError)
    released = slot.release()
    assert not released.is_set() and not old.closed, "only the owner applies it"
    assert slot.apply() is None and old.closed and released.is_set()
    threading.Timer(0.1, slot.offer, (new,)).start()
    assert slot.ready(lambda: False, wait_s=5.0) is new


def test_an_offered_engine_replaces_and_closes_the_one_in_use() -> None:
    old, new = io.BytesIO(b"one"), io.BytesIO(b"two")
    slot = EngineSlot(old, LlmError)
    slot.offer(new)
    assert slot.engine is old
    assert slot.apply() is new and old.closed and not new.closed


def test_a_turn_with_no_engine_coming_fails_with_the_stages_error() -> None:
    slot = EngineSlot(io.BytesIO(), LlmError)
    slot.release()
    slot.apply()
    started = time.monotonic()
    with pytest.raises(LlmError, match="no model loaded after waiting 0 s"):
        slot.ready(lambda: False, wait_s=0.2)
    assert 0.2 <= time.monotonic() - started < 1.0
    with pytest.raises(LlmError):
        slot.ready(lambda: True)                        # a cancelled turn stops waiting
