"""``voicebox run``: the daemon systemd starts (see systemd/voicebox.service)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from voicebox.config import load_config
from voicebox.daemon.service import Daemon
from voicebox.daemon.signals import SignalHandlers
from voicebox.errors import VoiceboxError
from voicebox.ops.logging import configure_logging
from voicebox.ops.sdnotify import Notifier


def run(config_path: Path | None, profile: str | None) -> int:
    """Load the config, start, serve until SIGTERM/SIGINT, stop; 0 after a clean stop.

    Whatever stops the start-up (a config the loader refuses, a missing model, a bug) is put
    on the ``systemctl status`` line, so the admin sees why without reading the journal.
    """
    notifier = Notifier()
    handlers = SignalHandlers(threading.Event())
    handlers.install()
    with failure_on_status(notifier, lambda: handlers.running):
        config = load_config(config_path, profile)
        configure_logging(config.logging.level, config.logging.format)
        daemon = Daemon(config, notifier, stop=handlers.stop)
        try:
            daemon.start()
            handlers.running = True
            daemon.serve()
        finally:
            clean = daemon.shutdown()
    return 0 if clean else 1


@contextmanager
def failure_on_status(notifier: Notifier, running: Callable[[], bool]) -> Iterator[None]:
    """Report an exception on the status line ("failed to start: ..." until the daemon runs,
    "failed: ..." after), then let it go on to the command's error handling.

    Sent after the shutdown's "stopping": systemd keeps a service's last STATUS until it is
    started again, so the last one sent is what ``systemctl status`` shows of a failed start.
    A signal during start-up (ShutdownRequested, a SystemExit) is a stop, not a failure.
    """
    try:
        yield
    except Exception as error:
        why = error.message if isinstance(error, VoiceboxError) else (
            f"{type(error).__name__}: {error}")
        notifier.status(f"{'failed' if running() else 'failed to start'}: {why}")
        raise
