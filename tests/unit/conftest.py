"""Fixtures shared by unit tests."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from voicebox.ops.logging import configure_logging


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """Every log record as JSON lines, debug level up; back to quiet afterwards."""
    stream = io.StringIO()
    configure_logging("debug", "json", stream)
    yield stream
    configure_logging("info", "json", io.StringIO())
