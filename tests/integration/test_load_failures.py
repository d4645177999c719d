"""The errors voicebox.engines retries are the ones the engine libraries really raise when they
cannot load a model. llama.cpp reports any model it could not load, for lack of memory too, as
this ValueError; CTranslate2 raises RuntimeError from inside its loader (a failed allocation
becomes MemoryError, retried anyway). Files that are not models stand in for the short memory:
no model needed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from voicebox.config.schema import LlmConfig, SttConfig
from voicebox.llm.chat import ChatModel
from voicebox.speech.stt import SpeechToText


def test_llama_cpp_reports_a_model_it_could_not_load_as_a_declared_failure(
        tmp_path: Path) -> None:
    path = tmp_path / "broken.gguf"
    path.write_bytes(b"GGUF\x03\x00\x00\x00" + bytes(4096))
    with pytest.raises(ChatModel.LOAD_FAILURES, match="Failed to load model"):
        ChatModel.load(path, LlmConfig())


def test_ctranslate2_reports_a_model_it_could_not_load_as_a_declared_failure(
        tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(bytes(1024))
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(SpeechToText.LOAD_FAILURES):
        SpeechToText.load(tmp_path, SttConfig(), ("en",))
