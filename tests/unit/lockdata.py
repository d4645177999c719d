"""Small real model stores for tests: files with real bytes and their real sha256 pins."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from voicebox.models.lock import ModelLock, parse_lock


def pinned(model: str, name: str, data: bytes, kind: tuple[str, str, str] = ("stt", "standard", ""),
           **source: Any) -> dict[str, Any]:
    """A [[file]] entry for ``data``; ``kind`` is (role, tier, language)."""
    role, tier, language = kind
    entry = {"model": model, "name": name, "role": role, "tier": tier,
             "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if language:
        entry["language"] = language
    entry.update(source or {"url": f"https://example.org/{model}/{name}"})
    return entry


FILES = {
    ("stt-big", "model.bin"): b"whisper-big" * 100,
    ("stt-big", "config.json"): b'{"x": 1}',
    ("stt-tiny", "model.bin"): b"whisper-tiny" * 10,
    ("llm-one", "one.gguf"): b"GGUF" + bytes(range(256)),
    ("voice-en", "en.onnx"): b"onnx-en" * 50,
    ("voice-en", "en.onnx.json"): b'{"audio": {"sample_rate": 22050}}',
    ("voice-de", "de.onnx"): b"onnx-de" * 50,
}
KINDS = {"stt-big": ("stt", "standard", ""), "stt-tiny": ("stt", "small", ""),
         "llm-one": ("llm", "small", ""), "voice-en": ("tts", "standard", "en"),
         "voice-de": ("tts", "standard", "de")}


def small_lock_document() -> dict[str, Any]:
    """A valid lock with two STT tiers, one LLM and two voices in profile 'test'."""
    files = [pinned(model, name, data, KINDS[model]) for (model, name), data in FILES.items()]
    return {"version": 1, "file": files,
            "profile": {"test": {"models": list(KINDS)}}}


def small_lock(tmp_path: Path) -> ModelLock:
    return parse_lock(small_lock_document(), tmp_path / "models.lock")


def fill_store(root: Path) -> None:
    """Put every file of the small lock in ``root`` with its right bytes."""
    for (model, name), data in FILES.items():
        (root / model).mkdir(parents=True, exist_ok=True)
        (root / model / name).write_bytes(data)
