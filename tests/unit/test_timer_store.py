"""The timers file: atomic writes, reading back, corrupt files kept aside."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from voicebox.skills.store import CorruptTimers, TimerStore, decode
from voicebox.skills.timers import ALARM, TIMER, Timer

TIMERS = (Timer(1, TIMER, 1700000300.5, "en", "pasta", 300.0),
          Timer(2, ALARM, 1700040000.0, "de"))


def test_saved_timers_read_back_the_same(tmp_path: Path) -> None:
    store = TimerStore(tmp_path / "state" / "timers.json")
    assert store.load() == ()
    assert store.save(TIMERS)
    assert TimerStore(store.path).load() == TIMERS
    assert [p.name for p in store.path.parent.iterdir()] == ["timers.json"]  # no temp left


def test_a_save_replaces_the_file_whole(tmp_path: Path) -> None:
    store = TimerStore(tmp_path / "timers.json")
    store.save(TIMERS)
    before = os.stat(store.path).st_ino
    store.save(TIMERS[:1])
    assert os.stat(store.path).st_ino != before          # a new file renamed over the old
    assert store.load() == TIMERS[:1]


@pytest.mark.parametrize("content", [
    "{not json", "[]", '{"format": 2, "timers": []}', '{"format": 1, "timers": {}}',
    '{"format": 1, "timers": [{"id": 1}]}',
    '{"format": 1, "timers": [{"id": 1, "kind": "egg", "ends_at": 1, "language": "en", '
    '"name": "", "seconds": 0}]}',
    '{"format": 1, "timers": [{"id": true, "kind": "timer", "ends_at": 1, "language": "en", '
    '"name": "", "seconds": 0}]}',
])
def test_a_corrupt_file_is_kept_aside_logged_and_the_box_starts_empty(
        tmp_path: Path, log: io.StringIO, content: str) -> None:
    path = tmp_path / "timers.json"
    path.write_text(content)
    store = TimerStore(path, clock=lambda: 1700000000.0)
    assert store.load() == ()
    assert not path.exists()
    (aside,) = tmp_path.glob("timers.json.corrupt-*")
    assert aside.read_text() == content
    record = next(json.loads(line) for line in log.getvalue().splitlines()
                  if json.loads(line)["event"] == "timers-corrupt")
    assert record["kept_as"] == str(aside) and record["level"] == "error"
    assert store.save(TIMERS) and store.load() == TIMERS  # and it keeps working


def test_a_file_that_cannot_be_written_is_logged_not_raised(tmp_path: Path,
                                                           log: io.StringIO) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    store = TimerStore(blocker / "timers.json")
    assert store.save(TIMERS) is False
    assert '"event": "timers-not-saved"' in log.getvalue()


def test_decode_names_the_problem() -> None:
    with pytest.raises(CorruptTimers, match="ends_at"):
        decode('{"format": 1, "timers": [{"id": 1, "kind": "timer", "ends_at": "soon", '
               '"language": "en", "name": "", "seconds": 0}]}')
