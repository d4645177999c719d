"""The local HTTP socket: ``GET /health`` (JSON) and ``GET /metrics`` (Prometheus text).

A stdlib ThreadingHTTPServer on 127.0.0.1, guarded (guarded_server.py): a few handler
threads at most, one deadline per request, headers capped, so a slow or hostile client can
hold only its own connection and only briefly. Requests are small and bounded (a request line
over ``MAX_LINE`` bytes, headers over 16 KiB, a body, another method or path: a JSON error,
never a crash), and the handlers only read snapshots, so nothing a client sends can stop or
slow the audio path.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from voicebox.errors import VoiceboxError
from voicebox.ops.guarded_server import DEADLINE_S, CappedReader, GuardedHTTPServer, HeadersTooLarge
from voicebox.ops.logging import get_logger
from voicebox.ops.metrics import Metrics

MAX_LINE = 2048
TIMEOUT_S = 5.0
POLL_S = 0.1

HealthSnapshot = Callable[[], dict[str, Any]]


class HealthSocketError(VoiceboxError):
    """The health socket cannot be opened."""

    code = "http"


class HealthServer:
    """Serves health and metrics until stopped."""

    def __init__(self, host: str, port: int, snapshot: HealthSnapshot, metrics: Metrics,
                 deadline_s: float = DEADLINE_S) -> None:
        """``deadline_s`` is the most one request may take, from connect to reply."""
        handler = type("Handler", (_Handler,), {"snapshot": staticmethod(snapshot),
                                                 "metrics": metrics})
        try:
            self._server = GuardedHTTPServer((host, port), handler, deadline_s=deadline_s)
        except OSError as exc:
            raise HealthSocketError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                                    hint="another program (or a second voicebox) holds the "
                                         "port: stop it, or set http.port") from exc
        self._thread = threading.Thread(target=self._server.serve_forever, args=(POLL_S,),
                                        name="voicebox-http", daemon=True)

    @property
    def port(self) -> int:
        """The bound port (useful when the config asked for port 0)."""
        return self._server.server_address[1]

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop serving and join the thread."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout)


class _Handler(BaseHTTPRequestHandler):
    """GET /health and GET /metrics; everything else gets a JSON error."""

    snapshot: HealthSnapshot
    metrics: Metrics
    timeout = TIMEOUT_S
    server_version = "voicebox"
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        self.rfile = CappedReader(self.rfile)  # type: ignore[assignment]

    def handle_one_request(self) -> None:
        """One request; headers over the cap get 431 and the connection is closed."""
        try:
            super().handle_one_request()
        except HeadersTooLarge as exc:
            if not hasattr(self, "request_version"):  # cut inside the request line
                self.command, self.requestline = None, "(too long)"
                self.request_version = self.default_request_version
            self._error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, str(exc))

    def parse_request(self) -> bool:
        if len(self.raw_requestline) > MAX_LINE:
            self.command, self.requestline = None, "(too long)"
            self.request_version = self.default_request_version
            self._error(HTTPStatus.REQUEST_URI_TOO_LONG, "request line too long")
            return False
        return super().parse_request()

    def do_GET(self) -> None:
        """The two resources."""
        if self.headers.get("Content-Length", "0") != "0":
            self._error(HTTPStatus.BAD_REQUEST, "GET takes no body")
        elif self.path == "/health":
            self._health()
        elif self.path == "/metrics":
            self._send(HTTPStatus.OK, CONTENT_TYPE_LATEST, generate_latest(self.metrics.registry))
        else:
            self._error(HTTPStatus.NOT_FOUND, f"no such resource {self.path[:100]!r}; "
                                              "try /health or /metrics")

    def _health(self) -> None:
        try:
            body = self.snapshot()
        except Exception as exc:  # a broken snapshot is itself a health problem, not a crash
            get_logger("http").exception("health-snapshot-failed")
            body = {"status": "failing", "error": str(exc)}
        ok = body.get("status") in ("ok", "degraded")
        self._send(HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE,
                   "application/json", json.dumps(body).encode())

    def _not_allowed(self) -> None:
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, f"{self.command} is not allowed; use GET")

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _not_allowed

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """Errors found by the stdlib parser (bad request line, bad headers) as JSON too."""
        self._error(HTTPStatus(code), message or HTTPStatus(code).phrase)

    def _error(self, status: HTTPStatus, message: str) -> None:
        # A request that failed to parse is taken for HTTP/0.9, which has no status line;
        # the client deserves one either way.
        self.request_version = "HTTP/1.0" if self.request_version == "HTTP/0.9" else (
            self.request_version)
        self.close_connection = True
        self._send(status, "application/json",
                   json.dumps({"error": message, "status": status.value}).encode())

    def _send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            self.send_header("Allow", "GET")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        get_logger("http").debug("request", line=format % args)
