"""systemd's notify protocol: one datagram per message to ``$NOTIFY_SOCKET``.

A dozen lines of stdlib instead of a C binding: READY=1 once the models are warm, STATUS= for
``systemctl status``, WATCHDOG=1 while the threads make progress. Outside systemd (no
``$NOTIFY_SOCKET``) every call is a no-op, so the same daemon runs by hand and under systemd.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping

from voicebox.ops.logging import get_logger

STATUS_CHARS = 300
"""The most a STATUS may carry: ``systemctl status`` shows one line, cut at the terminal."""


def watchdog_interval(environ: Mapping[str, str] = os.environ) -> float | None:
    """Seconds between WATCHDOG=1 pings: half of systemd's WatchdogSec, as it recommends.

    None when systemd runs no watchdog for this process (no WATCHDOG_USEC, or a WATCHDOG_PID
    that names another process, e.g. a child that inherited the environment).
    """
    usec, pid = environ.get("WATCHDOG_USEC", ""), environ.get("WATCHDOG_PID", "")
    if not usec.isdigit() or int(usec) == 0 or (pid and pid != str(os.getpid())):
        return None
    return int(usec) / 2e6


class Notifier:
    """Sends notify messages; never raises, because systemd going away must not stop speech."""

    def __init__(self, address: str | None = None) -> None:
        address = address if address is not None else os.environ.get("NOTIFY_SOCKET", "")
        # A leading "@" names a socket in the abstract namespace.
        self._address = "\0" + address[1:] if address.startswith("@") else address
        self._log = get_logger("sdnotify")

    @property
    def enabled(self) -> bool:
        """True under systemd (a notify socket was given)."""
        return bool(self._address)

    def send(self, **fields: str) -> bool:
        """Send ``KEY=value`` lines (e.g. ``READY="1"``, ``STATUS="listening"``)."""
        if not self._address:
            return False
        message = "\n".join(f"{key}={value}" for key, value in fields.items())
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.sendto(message.encode(), self._address)
        except OSError as exc:
            self._log.warning("notify-failed", error=str(exc))
            return False
        return True

    def ready(self, status: str) -> bool:
        """The service is up (models loaded and warm)."""
        return self.send(READY="1", STATUS=status)

    def status(self, text: str) -> bool:
        """What ``systemctl status`` shows on its Status: line (one line, bounded)."""
        return self.send(STATUS=one_line(text, STATUS_CHARS))

    def watchdog(self) -> bool:
        """Tell systemd's watchdog the service is alive."""
        return self.send(WATCHDOG="1")

    def stopping(self) -> bool:
        """The service is shutting down on purpose."""
        return self.send(STOPPING="1", STATUS="stopping")


def one_line(text: str, limit: int) -> str:
    """The first non-blank line of ``text``, spaces collapsed, cut to ``limit`` characters.

    A device error or a traceback may carry its fix over several lines; a second line in a
    STATUS message is read by systemd as another field, and a long one buries the state.
    """
    first = next((line for line in text.splitlines() if line.strip()), "")
    words = " ".join(first.split())
    return words if len(words) <= limit else words[:limit - 1].rstrip() + "…"
