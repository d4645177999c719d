"""The background hash check after READY, on a copy of a real model file in a scratch store."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from voicebox.config import Config
from voicebox.daemon.integrity import HashCheck
from voicebox.daemon.report import health_report
from voicebox.daemon.service import Daemon
from voicebox.models.store import ModelStore

VOICE = "piper-en-joe-dev"


def scratch_store(config: Config, tmp_path: Path, flip_byte_at: int | None) -> ModelStore:
    """The real pins of one voice, its files in ``tmp_path``: the .onnx copied (with one byte
    flipped if asked), the rest linked to the real store."""
    real = ModelStore.from_config(config.models)
    store = ModelStore(real.lock, tmp_path, real.profile)
    store.models = [entry for entry in real.models if entry.name == VOICE]
    (tmp_path / VOICE).mkdir()
    for model_file in store.models[0].files:
        target = store.path_of(model_file)
        if model_file.name.endswith(".onnx") and flip_byte_at is not None:
            shutil.copyfile(real.path_of(model_file), target)
            with target.open("r+b") as handle:
                handle.seek(flip_byte_at)
                byte = handle.read(1)
                handle.seek(flip_byte_at)
                handle.write(bytes([byte[0] ^ 0x01]))
        else:
            target.symlink_to(real.path_of(model_file))
    return store


def checked(store: ModelStore) -> HashCheck:
    check = HashCheck(store, threading.Event())
    check.start()
    check.join(60)
    assert not check.is_alive()
    return check


def test_an_intact_model_passes(config: Config, tmp_path: Path) -> None:
    status = checked(scratch_store(config, tmp_path, None)).status
    assert status.done and status.checked == status.total == 2 and status.corrupt == ()


def test_one_flipped_byte_is_found_and_reported_in_health_and_status(
        config: Config, tmp_path: Path, log) -> None:
    check = checked(scratch_store(config, tmp_path, flip_byte_at=12_345_678))
    (problem,) = check.status.corrupt
    assert problem.startswith(f"model file {VOICE}/en_US-joe-medium.onnx is corrupt: sha256 ")
    assert "fetch-dev-models" in problem, "the fix is named"
    assert '"model-file-corrupt"' in log.getvalue()
    daemon = Daemon(config)
    daemon.hashcheck = check
    health = health_report(daemon)
    assert health["status"] == "failing" and problem in health["problems"]
    assert daemon._status_line() == problem


def test_the_check_is_abandoned_at_stop(config: Config, tmp_path: Path) -> None:
    stopping = threading.Event()
    check = HashCheck(scratch_store(config, tmp_path, flip_byte_at=0), stopping, pause_s=0.05)
    check.start()
    stopping.set()
    check.join(1.0)
    assert not check.is_alive() and not check.status.done and check.status.corrupt == ()
