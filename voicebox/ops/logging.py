"""Structured logging: one JSON object per line for journald, readable lines on a terminal.

Every record carries ``event``, ``level``, ``timestamp`` and ``component``. Records from
libraries that use the standard :mod:`logging` module (faster-whisper, for one) go through the
same renderer, so journald never receives a mix of formats or a record split over lines.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any, TextIO

import structlog

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
          "error": logging.ERROR}
SYSLOG_PRIORITY = {"debug": 7, "info": 6, "warning": 4, "error": 3, "exception": 3,
                   "critical": 2}


def with_journal_priority(renderer: Any) -> Any:
    """Prefix each line with ``<N>``, which journald turns into the record's priority.

    So ``journalctl -p warning`` and ``systemctl status`` (errors in red) work on our JSON
    lines; journald strips the prefix from the stored message.
    """
    def render(logger: Any, name: str, event_dict: dict) -> str:
        priority = SYSLOG_PRIORITY.get(str(event_dict.get("level", "info")), 6)
        return f"<{priority}>{renderer(logger, name, event_dict)}"

    return render


def _component_from_stdlib(_logger: Any, _name: str, event_dict: dict) -> dict:
    """Records from stdlib loggers are tagged with the logger's name as their component."""
    record = event_dict.get("_record")
    if record is not None:
        event_dict.setdefault("component", record.name)
    return event_dict


class CurrentStream:
    """Writes to whatever ``sys.<name>`` is at the time of writing.

    Threads log long after configuration; if ``sys.stderr`` was replaced in between (a test
    runner capturing output, a daemon reopening its streams), a stream bound at configuration
    time may be closed by then, and every log call would raise.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, text: str) -> int:
        return getattr(sys, self.name).write(text)

    def flush(self) -> None:
        getattr(sys, self.name).flush()

    def isatty(self) -> bool:
        return getattr(sys, self.name).isatty()


def configure_logging(level: str = "info", fmt: str = "auto",
                      stream: TextIO | CurrentStream | None = None) -> None:
    """Route structlog and stdlib logging to ``stream`` (the current stdout by default).

    ``fmt`` is ``json``, ``console`` or ``auto`` (JSON unless ``stream`` is a terminal).
    """
    stream = stream or CurrentStream("stdout")
    as_json = fmt == "json" or (fmt == "auto" and not stream.isatty())
    renderer = (structlog.processors.JSONRenderer() if as_json
                else structlog.dev.ConsoleRenderer(colors=stream.isatty()))
    if as_json and os.environ.get("JOURNAL_STREAM"):  # set by systemd for journal output
        renderer = with_journal_priority(renderer)
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(LEVELS[level]),
        logger_factory=structlog.WriteLoggerFactory(file=stream),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, _component_from_stdlib],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    ))
    root = logging.getLogger()
    root.handlers = [handler]
    # Libraries (faster-whisper, onnxruntime) narrate every call at INFO; keep their warnings.
    root.setLevel(logging.DEBUG if level == "debug" else max(LEVELS[level], logging.WARNING))


def get_logger(component: str) -> Any:
    """A logger whose every record names ``component`` (e.g. "stt", "watchdog", "cli")."""
    return structlog.get_logger().bind(component=component)
