"""The health and metrics socket, over real TCP, including what a hostile client may send."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator

import pytest

from voicebox.ops.health import HealthServer
from voicebox.ops.metrics import Metrics

STATE = {"status": "ok", "mic": "ok", "turns": 3}


@pytest.fixture
def server() -> Iterator[tuple[HealthServer, Metrics, dict]]:
    state = dict(STATE)
    metrics = Metrics()
    running = HealthServer("127.0.0.1", 0, lambda: dict(state), metrics)
    running.start()
    yield running, metrics, state
    running.stop()


def get(server: HealthServer, path: str, method: str = "GET",
        body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request(method, path, body=body)
    response = connection.getresponse()
    result = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return result


def raw(server: HealthServer, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_health_is_json_with_200_while_ok(server) -> None:
    running, _, _ = server
    status, headers, body = get(running, "/health")
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert json.loads(body) == STATE


def test_failing_health_is_503(server) -> None:
    running, _, state = server
    state["status"] = "failing"
    assert get(running, "/health")[0] == 503


def test_metrics_are_prometheus_text(server) -> None:
    running, metrics, _ = server
    metrics.turns.inc()
    metrics.errors.labels(stage="stt", code="stt").inc()
    metrics.voice_to_voice.observe(0.8)
    status, headers, body = get(running, "/metrics")
    text = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert "turns_total 1.0" in text
    assert 'pipeline_errors_total{code="stt",stage="stt"} 1.0' in text
    assert 'voice_to_voice_latency_seconds_bucket{le="1.0"} 1.0' in text
    for name in ("system_memory_available_bytes", "system_cpu_temperature_celsius",
                 "system_cpu_percent", "system_swap_usage_bytes", "stt_latency_seconds",
                 "llm_first_token_seconds", "tts_first_audio_seconds", "barge_ins_total",
                 "audio_queue_depth", "throttle_tier"):
        assert f"# TYPE {name}" in text


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/", 404), ("GET", "/health/../etc/passwd", 404), ("POST", "/health", 405),
    ("PUT", "/metrics", 405), ("DELETE", "/health", 405),
])
def test_other_paths_and_methods_get_json_errors(server, method: str, path: str,
                                                 status: int) -> None:
    running, _, _ = server
    code, headers, body = get(running, path, method)
    assert code == status
    assert json.loads(body)["status"] == status
    if status == 405:
        assert headers["Allow"] == "GET"


def test_a_body_on_get_is_refused(server) -> None:
    assert get(server[0], "/health", body=b"x" * 10)[0] == 400


@pytest.mark.parametrize(("request_bytes", "status"), [
    (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\n\r\n", b"414"),
    (b"BREW /coffee HTCPCP/1.0\r\n\r\n", b"400"),
    (b"GET /health HTTP/1.1\r\n" + b"X: " + b"y" * 70000 + b"\r\n\r\n", b"431"),
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n", b"400"),
], ids=["long-line", "bad-protocol", "huge-header", "tls-hello"])
def test_malformed_requests_are_rejected_with_json(server, request_bytes: bytes,
                                                   status: bytes) -> None:
    reply = raw(server[0], request_bytes)
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.split(b" ")[1] == status
    assert json.loads(body)["error"]


def test_a_broken_snapshot_is_reported_not_crashed() -> None:
    def broken() -> dict:
        raise RuntimeError("sensor exploded")
    running = HealthServer("127.0.0.1", 0, broken, Metrics())
    running.start()
    try:
        status, _, body = get(running, "/health")
        assert status == 503 and json.loads(body)["error"] == "sensor exploded"
        assert get(running, "/metrics")[0] == 200        # and the server still serves
    finally:
        running.stop()
