"""``voicebox run``: the daemon systemd starts (see systemd/voicebox.service)."""

from __future__ import annotations

import threading

from voicebox.config import Config
from voicebox.daemon.service import Daemon
from voicebox.daemon.signals import SignalHandlers
from voicebox.errors import VoiceboxError


def run(config: Config) -> int:
    """Start, serve until SIGTERM/SIGINT, stop; 0 after a clean stop.

    A start-up failure is also put on the ``systemctl status`` line before it is raised, so
    the admin sees why without reading the journal.
    """
    stop = threading.Event()
    handlers = SignalHandlers(stop)
    handlers.install()
    daemon = Daemon(config, stop=stop)
    try:
        daemon.start()
        handlers.running = True
        daemon.serve()
    except VoiceboxError as error:
        daemon.notifier.status(f"failed to start: {error.message}")
        raise
    finally:
        clean = daemon.shutdown()
    return 0 if clean else 1
