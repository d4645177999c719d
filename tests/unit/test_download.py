"""Model downloads by URL: resumed after a dropped connection, refused when the bytes differ.

A real HTTP server on loopback that honours Range requests and, like a flaky link, hangs up
half way through the first response.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from tests.unit.lockdata import FILES, fill_store, small_lock
from voicebox.errors import FetchError, ModelFileError
from voicebox.models.download import download, fetch_from_urls
from voicebox.models.lock import ModelFile, ModelLock
from voicebox.models.store import ModelStore

PAYLOAD = bytes(range(256)) * 4096  # 1 MiB


class FlakyServer(BaseHTTPRequestHandler):
    """Serves PAYLOAD at /model.bin; the first full response stops after half the bytes."""

    requests: ClassVar[list[str]] = []
    drop_first = True

    def do_GET(self) -> None:
        type(self).requests.append(self.headers.get("Range", ""))
        if self.path != "/model.bin":
            self.send_error(404)
            return
        start = int(self.headers["Range"][6:-1]) if self.headers.get("Range") else 0
        body = PAYLOAD[start:]
        self.send_response(206 if start else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if type(self).drop_first:
            type(self).drop_first = False
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.shutdown(2)  # hang up mid-file
            return
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    FlakyServer.requests, FlakyServer.drop_first = [], True
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FlakyServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def pinned(url: str, payload: bytes = PAYLOAD) -> ModelFile:
    return ModelFile(model="m", name="model.bin", size=len(payload),
                     sha256=hashlib.sha256(payload).hexdigest(), url=url, parts=())


def test_a_dropped_connection_resumes_where_it_stopped(server: str, tmp_path: Path) -> None:
    progress: list[str] = []
    partial = download(pinned(f"{server}/model.bin"), tmp_path / "model.bin", progress.append,
                       backoff_s=0.01)
    assert partial.read_bytes() == PAYLOAD
    assert FlakyServer.requests == ["", f"bytes={len(PAYLOAD) // 2}-"]
    assert any("retry" in line for line in progress)


def test_a_missing_file_fails_at_once_with_the_url(server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        download(pinned(f"{server}/gone.bin"), tmp_path / "gone.bin", lambda _: None,
                 backoff_s=0.01)


def test_a_server_that_keeps_failing_gives_up_naming_file_and_bytes(tmp_path: Path) -> None:
    waits: list[float] = []
    progress: list[str] = []
    with pytest.raises(ModelFileError) as failed:
        download(pinned("http://127.0.0.1:9/model.bin"), tmp_path / "model.bin",
                 progress.append, attempts=3, backoff_s=1.0, sleep=waits.append)
    assert "model.bin" in str(failed.value)
    assert "0 bytes after 3 attempts" in str(failed.value)
    assert waits == [1.0, 2.0], "waited after the last attempt, for nothing"
    assert [line.split(":")[0] for line in progress] == [
        "retry m/model.bin after attempt 1", "retry m/model.bin after attempt 2"]


def on_mirror(lock: ModelLock, base: str) -> ModelLock:
    """The lock with its URLs on the loopback mirror (the lock itself only accepts https)."""
    models = {name: dataclasses.replace(entry, files=tuple(
        dataclasses.replace(f, url=f"{base}/{f.model}/{f.name}") for f in entry.files))
        for name, entry in lock.models.items()}
    return dataclasses.replace(lock, models=models)


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A static file server over a directory, as a model mirror would be."""
    root = tmp_path / "mirror"
    root.mkdir()
    handler = functools.partial(QuietFiles, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    httpd.shutdown()
    httpd.server_close()


class QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def test_every_file_is_placed_verified_and_a_corrupt_one_is_named(mirror, tmp_path) -> None:
    base, served = mirror
    fill_store(served)
    lock = on_mirror(small_lock(tmp_path), base)
    store = ModelStore(lock, tmp_path / "store", "test")
    assert fetch_from_urls(store, lambda _: None, backoff_s=0.01) == len(FILES)
    assert fetch_from_urls(store, lambda _: None) == 0, "placed files are not fetched again"

    corrupt = served / "llm-one" / "one.gguf"
    corrupt.write_bytes(b"GGUF" + bytes(reversed(range(256))))
    (tmp_path / "store" / "llm-one" / "one.gguf").unlink()
    with pytest.raises(ModelFileError) as refused:
        fetch_from_urls(store, lambda _: None, backoff_s=0.01)
    message = str(refused.value)
    assert "one.gguf" in message and "sha256" in message
    assert not (tmp_path / "store" / "llm-one" / "one.gguf").exists()
    assert not list((tmp_path / "store" / "llm-one").glob(".*")), "partial files left behind"
