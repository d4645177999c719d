"""The health socket under a hostile local client, over real TCP against the real server:
huge headers, a client trickling bytes, more connections than handlers."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from voicebox.ops.guarded_server import MAX_CLIENTS
from voicebox.ops.health import HealthServer
from voicebox.ops.metrics import Metrics

DEADLINE_S = 1.0
# 100 header lines of 60 kB, never finished: what grew the daemon by 400 MB in 30 requests.
HUGE = b"GET /health HTTP/1.1\r\n" + b"".join(
    b"X-%03d: " % n + b"y" * 60000 + b"\r\n" for n in range(100))


@pytest.fixture
def server() -> Iterator[HealthServer]:
    running = HealthServer("127.0.0.1", 0, lambda: {"status": "ok"}, Metrics(),
                           deadline_s=DEADLINE_S)
    running.start()
    yield running
    running.stop()


def connect(server: HealthServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=5)


def reply_or_close(sock: socket.socket) -> bytes:
    """What the server sent before it closed (b"" for a bare close or reset)."""
    chunks = []
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def send_quietly(sock: socket.socket, data: bytes) -> None:
    with contextlib.suppress(OSError):  # the server hung up after enough of it
        sock.sendall(data)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def health_status(server: HealthServer) -> bytes:
    with connect(server) as sock:
        sock.sendall(b"GET /health HTTP/1.0\r\n\r\n")
        return reply_or_close(sock).split(b" ")[1]


def test_megabytes_of_headers_are_refused_at_once_and_leave_no_memory_behind(
        server: HealthServer) -> None:
    before = rss_mb()
    for _ in range(30):
        with connect(server) as sock:
            started = time.monotonic()
            sender = threading.Thread(target=send_quietly, args=(sock, HUGE))
            sender.start()
            reply = reply_or_close(sock)
            assert time.monotonic() - started < 0.9 * DEADLINE_S, "not refused before its deadline"
            assert reply == b"" or reply.split(b" ")[1] == b"431", reply[:80]
            sender.join(5)
    assert rss_mb() - before < 20, f"RSS grew {rss_mb() - before:.0f} MB"
    assert health_status(server) == b"200"


def test_a_client_trickling_bytes_is_dropped_at_the_request_deadline(
        server: HealthServer) -> None:
    with connect(server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nX-Slow: ")
        started = time.monotonic()
        sock.settimeout(0.3)
        closed_after = None
        while time.monotonic() - started < 4 * DEADLINE_S:
            try:
                sock.sendall(b"z")                           # one byte every 0.3 s
                if sock.recv(1024) == b"":
                    closed_after = time.monotonic() - started
                    break
            except TimeoutError:
                continue
            except OSError:
                closed_after = time.monotonic() - started
                break
    assert closed_after is not None, "the trickling client kept its connection"
    assert closed_after < DEADLINE_S + 0.5


def test_one_connection_more_than_the_handlers_is_turned_away_and_health_comes_back(
        server: HealthServer) -> None:
    slow = [connect(server) for _ in range(MAX_CLIENTS - 1)]
    for sock in slow:
        sock.sendall(b"GET /health HTTP/1.1\r\n")            # and nothing more
    assert health_status(server) == b"200", "a free handler answers meanwhile"
    slow.append(connect(server))
    slow[-1].sendall(b"GET /health HTTP/1.1\r\n")
    time.sleep(0.2)                                          # every handler is now held
    started = time.monotonic()
    assert health_status(server) == b"503"
    assert time.monotonic() - started < 0.5, "the extra one is told at once"
    deadline = time.monotonic() + DEADLINE_S + 1.0
    while health_status(server) != b"200":
        assert time.monotonic() < deadline, "the slow clients were never dropped"
        time.sleep(0.1)
    for sock in slow:
        sock.close()
