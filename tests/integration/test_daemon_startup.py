"""``voicebox run`` failing to start, or stopped while it starts: clear words, right status.

No sound card is needed: these end before the audio opens.
"""

from __future__ import annotations

import signal
import socket
import time
from pathlib import Path

from tests.rig.daemon import DaemonProcess


def config_file(tmp_path: Path, text: str = "") -> Path:
    path = tmp_path / "voicebox.toml"
    path.write_text(text)
    return path


def test_missing_models_fail_with_the_fix_on_the_status_line(tmp_path: Path) -> None:
    empty = tmp_path / "models"
    empty.mkdir()
    daemon = DaemonProcess(config_file(tmp_path, "[http]\nport = 0\n"), tmp_path,
                           env={"VOICEBOX_MODEL_DIR": str(empty)})
    daemon.start()
    assert daemon.proc is not None
    assert daemon.proc.wait(60) == 1
    failed = daemon.wait_for(lambda: daemon.notice("STATUS") and [
        s for s in daemon.statuses() if s.startswith("failed to start")], 5, "the status")
    assert "whisper-base/model.bin" in failed[0] and "found no file" in failed[0]
    assert daemon.statuses()[-1] == failed[0], "systemctl status shows the last STATUS sent"
    output = " ".join(daemon.other_output)
    assert "voicebox run:" in output and "fix:" in output
    assert daemon.notice("READY") is None
    daemon.stop()


def test_a_config_the_endpointer_refuses_fails_before_any_model_loads(tmp_path: Path) -> None:
    daemon = DaemonProcess(config_file(tmp_path, "[vad]\nhangover_ms = 150\n"), tmp_path)
    started = time.monotonic()
    daemon.start()
    assert daemon.proc is not None
    assert daemon.proc.wait(30) == 1
    assert time.monotonic() - started < 10, "it loaded the models before finding out"
    status = daemon.wait_for(daemon.statuses, 5, "the status")[-1]
    assert status.startswith("failed to start: ")
    assert "vad.hangover_ms = 150 is not valid" in status and "160 ms or more" in status
    assert daemon.notice("STATUS", "loading models") is None
    output = " ".join(daemon.other_output)
    assert "voicebox run:" in output and "fix: edit vad.hangover_ms" in output
    assert "Traceback" not in output
    daemon.stop()


def test_a_taken_port_fails_at_once_naming_the_setting(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        daemon = DaemonProcess(config_file(tmp_path, f"[http]\nport = {port}\n"), tmp_path)
        started = time.monotonic()
        daemon.start()
        assert daemon.proc is not None
        assert daemon.proc.wait(30) == 1
    assert time.monotonic() - started < 10, "it loaded the models before finding out"
    daemon.wait_for(lambda: daemon.other_output, 5, "the error message")
    output = " ".join(daemon.other_output)
    assert f"cannot listen on 127.0.0.1:{port}" in output
    assert "http.port" in output
    daemon.stop()


def test_sigterm_while_the_models_load_exits_zero_at_once(tmp_path: Path) -> None:
    daemon = DaemonProcess(config_file(tmp_path, "[http]\nport = 0\n"), tmp_path)
    daemon.start()
    daemon.wait_for(lambda: daemon.notice("STATUS", "loading models"), 30, "loading")
    assert daemon.proc is not None
    started = time.monotonic()
    daemon.proc.send_signal(signal.SIGTERM)
    assert daemon.proc.wait(10) == 0
    assert time.monotonic() - started < 5.0
    assert daemon.notice("READY") is None
    daemon.stop()
