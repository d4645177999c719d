"""Logs: JSON lines off a terminal (journald keeps them whole), readable lines on one."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from voicebox.ops.logging import configure_logging, get_logger


class Terminal(io.StringIO):
    """A text stream that says it is a terminal, as sys.stdout does on a TTY."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def restore_logging():
    yield
    configure_logging("info", "json", io.StringIO())


def records(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_auto_format_writes_json_when_not_a_terminal() -> None:
    stream = io.StringIO()
    configure_logging("info", "auto", stream)
    get_logger("stt").info("transcribed", words=5)
    (record,) = records(stream)
    assert record["event"] == "transcribed"
    assert record["level"] == "info"
    assert record["component"] == "stt"
    assert record["words"] == 5
    assert record["timestamp"].endswith("Z")


def test_library_records_share_the_format_and_name_their_component() -> None:
    stream = io.StringIO()
    configure_logging("info", "auto", stream)
    logging.getLogger("faster_whisper").warning("slow %s", "decode")
    (record,) = records(stream)
    assert record == {**record, "event": "slow decode", "level": "warning",
                      "component": "faster_whisper"}


def test_level_filters_and_exceptions_stay_on_one_line() -> None:
    stream = io.StringIO()
    configure_logging("warning", "json", stream)
    log = get_logger("llm")
    log.info("not shown")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        log.exception("generation-failed", code="llm")
    (record,) = records(stream)
    assert record["code"] == "llm"
    assert "RuntimeError: boom" in record["exception"]


def test_auto_format_is_readable_on_a_terminal() -> None:
    stream = Terminal()
    configure_logging("info", "auto", stream)
    get_logger("cli").info("hello", turn=3)
    line = re.sub(r"\x1b\[[0-9;]*m", "", stream.getvalue())   # drop terminal colours
    assert "hello" in line and "component=" in line and "turn=" in line
    assert not line.lstrip().startswith("{")


def test_under_journald_each_json_line_carries_its_syslog_priority(monkeypatch) -> None:
    monkeypatch.setenv("JOURNAL_STREAM", "8:12345")
    stream = io.StringIO()
    configure_logging("debug", "json", stream)
    get_logger("audio").warning("audio-device-lost", reason="unplugged")
    get_logger("turn").info("turn", turn_id=3)
    logging.getLogger("faster_whisper").error("decoder failed")
    lines = stream.getvalue().splitlines()
    assert [line[:3] for line in lines] == ["<4>", "<6>", "<3>"]
    assert json.loads(lines[0][3:])["reason"] == "unplugged"


def test_off_journald_lines_are_plain_json(monkeypatch) -> None:
    monkeypatch.delenv("JOURNAL_STREAM", raising=False)
    stream = io.StringIO()
    configure_logging("info", "json", stream)
    get_logger("turn").info("turn")
    assert stream.getvalue().startswith("{")
