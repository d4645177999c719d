"""A ThreadingHTTPServer that a hostile local client cannot exhaust.

The stdlib server gives every connection a thread, reads up to 100 header lines of 64 KiB
each, and applies its timeout to each read: 30 unfinished requests with ~6 MB of headers grew
the daemon by 400 MB for good, and a client sending one byte every 3 s held its thread forever.
Here every connection gets one deadline for the whole request (enforced from the serving
loop, which shuts the socket down: no thread per timer), the request line and headers
together are capped, and at most ``max_clients`` handlers run at once; one more is told 503
at once and closed, without a thread. Slow clients can still hold every handler until their
deadline, so /health may wait at most that long under such an attack.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from typing import Any

from voicebox.ops.logging import get_logger

MAX_CLIENTS = 8
DEADLINE_S = 5.0
MAX_HEADER_BYTES = 16 * 1024
BUSY_BODY = b'{"error": "too many connections", "status": 503}'
BUSY_REPLY = (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: application/json\r\n"
              b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(BUSY_BODY) + BUSY_BODY)


class HeadersTooLarge(Exception):
    """The request line and headers went over the cap."""


class CappedReader:
    """The part of a socket file the request parser uses (``readline``), up to ``limit``
    bytes in all; raises :class:`HeadersTooLarge` past it.

    A request cut off inside (its deadline passed, the client hung up) raises
    ConnectionAbortedError: the stdlib parser would take the end of the stream for the end of
    the headers and answer a request nobody finished.
    """

    def __init__(self, raw: Any, limit: int = MAX_HEADER_BYTES) -> None:
        self._raw = raw
        self.remaining = limit
        self._started = False

    def readline(self, size: int = -1) -> bytes:
        """One line, never reading more than one byte past the cap."""
        allowed = self.remaining + 1
        line = self._raw.readline(allowed if size < 0 else min(size, allowed))
        self.remaining -= len(line)
        if self.remaining < 0:
            raise HeadersTooLarge(f"request line and headers over {MAX_HEADER_BYTES} bytes")
        if not line.endswith(b"\n") and (line or self._started):
            raise ConnectionAbortedError("the request was cut off before its end")
        self._started = True
        return line

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class GuardedHTTPServer(ThreadingHTTPServer):
    """At most ``max_clients`` handler threads, each connection dropped at its deadline."""

    daemon_threads = True
    request_queue_size = 64  # a burst of connects waits for accept(), not for a SYN retry

    def __init__(self, address: tuple[str, int], handler: type, *,
                 max_clients: int = MAX_CLIENTS, deadline_s: float = DEADLINE_S) -> None:
        super().__init__(address, handler)
        self.deadline_s = deadline_s
        self._slots = threading.BoundedSemaphore(max_clients)
        self._deadlines: dict[socket.socket, float] = {}
        self._lock = threading.Lock()
        self.refused = 0
        self.expired = 0

    def process_request(self, request: Any, client_address: Any) -> None:
        """Hand the connection to a thread if one is free; else 503 and close, at once."""
        if not self._slots.acquire(blocking=False):
            self.refused += 1
            _reply_busy(request)
            self.shutdown_request(request)
            return
        with self._lock:
            self._deadlines[request] = time.monotonic() + self.deadline_s
        try:
            super().process_request(request, client_address)
        except RuntimeError:  # no thread could be started: as busy as it gets
            self._forget(request)
            _reply_busy(request)
            self.shutdown_request(request)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Serve, then free the slot whatever happened."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._forget(request)

    def service_actions(self) -> None:
        """Between polls of the serving loop: end every connection past its deadline (the
        handler's blocked read then returns and its thread ends)."""
        now = time.monotonic()
        with self._lock:
            expired = [sock for sock, deadline in self._deadlines.items() if deadline < now]
            for sock in expired:
                self._deadlines[sock] = float("inf")  # once; the slot is freed by its thread
        for sock in expired:
            self.expired += 1
            with contextlib.suppress(OSError):  # the handler closed it meanwhile
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client gone mid-reply (or cut at its deadline) is routine, not a traceback on
        stderr; anything else is logged with its stack."""
        error = sys.exc_info()[1]
        log = get_logger("http")
        if isinstance(error, OSError):
            log.debug("connection-dropped", error=str(error))
        else:
            log.exception("request-failed")

    def _forget(self, request: Any) -> None:
        with self._lock:
            if self._deadlines.pop(request, None) is None:
                return
        self._slots.release()


def _reply_busy(request: socket.socket) -> None:
    """A short 503 without blocking the serving loop (a full socket buffer loses it)."""
    with contextlib.suppress(OSError):
        request.setblocking(False)
        request.send(BUSY_REPLY)
