"""The installer's model files (scripts/install_models.py) in a scratch models directory: what
is re-read, what is removed as stale, and what is left alone."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from voicebox.paths import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from install_models import ModelFiles  # the stdlib installer's module, not a package


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A bundle's models/ directory: two models of one file each."""
    source = tmp_path / "bundle-models"
    for name, data in (("stt/model.bin", b"whisper" * 1000), ("llm/model.gguf", b"llama" * 999)):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(data)
    return source


def pins(source: Path) -> dict[str, dict]:
    return {p.relative_to(source).as_posix(): {"size": p.stat().st_size,
                                               "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
            for p in source.rglob("*") if p.is_file()}


def files(tmp_path: Path, verify_all: bool = False) -> ModelFiles:
    return ModelFiles(tmp_path / "models", tmp_path / "state.json", verify_all)


def test_a_second_run_reads_no_file_unless_asked_to_verify(bundle: Path, tmp_path: Path) -> None:
    assert files(tmp_path).place(bundle, pins(bundle)) == 2
    again = files(tmp_path)
    assert again.place(bundle, pins(bundle)) == 0
    assert again.hashed == 0
    verified = files(tmp_path, verify_all=True)
    assert verified.place(bundle, pins(bundle)) == 0
    assert verified.hashed == 2


def test_a_changed_file_is_read_and_replaced(bundle: Path, tmp_path: Path) -> None:
    files(tmp_path).place(bundle, pins(bundle))
    model = tmp_path / "models" / "stt" / "model.bin"
    seen = model.stat()
    model.write_bytes(b"X" * seen.st_size)  # the same size, written a second later:
    os.utime(model, ns=(seen.st_atime_ns, seen.st_mtime_ns + 1_000_000_000))
    again = files(tmp_path)
    assert again.place(bundle, pins(bundle)) == 1
    assert again.hashed == 1
    assert model.read_bytes() == (bundle / "stt" / "model.bin").read_bytes()


def test_damage_that_keeps_size_and_mtime_is_found_by_verify(bundle: Path,
                                                             tmp_path: Path) -> None:
    files(tmp_path).place(bundle, pins(bundle))
    model = tmp_path / "models" / "llm" / "model.gguf"
    seen = model.stat()
    with model.open("r+b") as handle:
        handle.write(b"Z")
    os.utime(model, ns=(seen.st_atime_ns, seen.st_mtime_ns))
    assert files(tmp_path).place(bundle, pins(bundle)) == 0  # trusted by its record
    assert files(tmp_path, verify_all=True).place(bundle, pins(bundle)) == 1
    assert model.read_bytes() == (bundle / "llm" / "model.gguf").read_bytes()


def test_only_files_a_bundle_placed_are_removed_as_stale(bundle: Path, tmp_path: Path) -> None:
    files(tmp_path).place(bundle, pins(bundle))
    models = tmp_path / "models"
    admin = [models / "mine" / "custom.bin", models / "stt" / "notes.txt"]
    for path in admin:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("the admin's")
    removed, changed = files(tmp_path).remove_stale({"stt/model.bin"})
    assert (removed, changed) == (1, [])
    assert not (models / "llm").exists()
    assert (models / "stt" / "model.bin").is_file()
    assert all(path.read_text() == "the admin's" for path in admin)


def test_a_recorded_file_changed_since_it_was_placed_is_left(bundle: Path,
                                                             tmp_path: Path) -> None:
    files(tmp_path).place(bundle, pins(bundle))
    model = tmp_path / "models" / "llm" / "model.gguf"
    model.write_bytes(b"fine-tuned by the admin")
    assert files(tmp_path).remove_stale({"stt/model.bin"}) == (0, ["llm/model.gguf"])
    assert model.read_bytes() == b"fine-tuned by the admin"
    assert files(tmp_path).remove_stale({"stt/model.bin"}) == (0, [])  # no longer recorded
    assert model.exists()
