"""The model store: verified paths, and a clear refusal of missing, truncated or corrupt files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.lockdata import FILES, fill_store, small_lock
from voicebox.errors import ModelError, ModelFileError
from voicebox.models.store import ModelStore, sha256_of


@pytest.fixture
def store(tmp_path: Path) -> ModelStore:
    root = tmp_path / "store"
    fill_store(root)
    return ModelStore(small_lock(tmp_path), root, "test")


def test_resolves_role_and_tier_to_a_verified_directory(store: ModelStore) -> None:
    model = store.model("stt", "standard")
    assert model.entry.name == "stt-big"
    assert model.directory == store.root / "stt-big"
    assert model.file("config.json").read_bytes() == FILES[("stt-big", "config.json")]
    assert store.model("stt", "small").entry.name == "stt-tiny"


def test_voice_is_chosen_by_language(store: ModelStore) -> None:
    assert store.model("tts", language="de").file(".onnx").name == "de.onnx"
    assert store.model("tts", language="en").file(".onnx.json").name == "en.onnx.json"
    assert sorted(store.voices()) == ["de", "en"]


def test_missing_tier_falls_back_to_the_nearest(store: ModelStore) -> None:
    # the profile has only a small LLM: the standard tier uses it rather than failing
    assert store.select("llm", "standard").name == "llm-one"


def test_no_model_for_a_language_is_a_model_error(store: ModelStore) -> None:
    with pytest.raises(ModelError, match="no tts fr model"):
        store.model("tts", language="fr")


def test_model_without_the_requested_file(store: ModelStore) -> None:
    with pytest.raises(ModelError, match="no file ending in '.gguf'"):
        store.model("stt").file(".gguf")


def test_missing_file_names_path_expectation_and_fix(store: ModelStore) -> None:
    target = store.root / "stt-big" / "model.bin"
    target.unlink()
    with pytest.raises(ModelFileError) as caught:
        store.model("stt")
    error = caught.value
    assert error.path == str(target)
    assert error.expected == f"{len(FILES[('stt-big', 'model.bin')])} bytes"
    assert error.found == "no file"
    assert "make-bundle" in error.hint and str(target) in str(error)


def test_truncated_file_is_refused_at_start(store: ModelStore) -> None:
    target = store.root / "stt-big" / "model.bin"
    target.write_bytes(target.read_bytes()[:-7])
    with pytest.raises(ModelFileError, match=r"found \d+ bytes \(truncated\)"):
        store.model("stt")


def test_overlong_file_is_refused_at_start(store: ModelStore) -> None:
    target = store.root / "llm-one" / "one.gguf"
    target.write_bytes(target.read_bytes() + b"x")
    with pytest.raises(ModelFileError, match="too long"):
        store.model("llm", "small")


def test_corrupt_file_of_the_right_size_is_caught_by_the_deep_check(store: ModelStore) -> None:
    target = store.root / "voice-en" / "en.onnx"
    data = bytearray(target.read_bytes())
    data[10] ^= 0xFF
    target.write_bytes(bytes(data))
    entry = store.select("tts", language="en")
    store.verify(entry)                  # sizes match: the cheap start-up check passes
    with pytest.raises(ModelFileError, match=r"\(corrupt\)") as caught:
        store.verify(entry, deep=True)
    assert caught.value.expected.startswith("sha256 ")


def test_place_writes_a_matching_file(tmp_path: Path) -> None:
    store = ModelStore(small_lock(tmp_path), tmp_path / "empty", "test")
    model_file = store.select("llm", "small").files[0]
    data = FILES[("llm-one", "one.gguf")]
    path = store.place(model_file, [data[:100], data[100:]])
    assert path.read_bytes() == data
    assert sha256_of(path) == model_file.sha256


@pytest.mark.parametrize("data", [b"short", FILES[("llm-one", "one.gguf")][::-1]],
                         ids=["wrong-size", "wrong-bytes"])
def test_place_refuses_a_mismatch_and_leaves_nothing(tmp_path: Path, data: bytes) -> None:
    store = ModelStore(small_lock(tmp_path), tmp_path / "empty", "test")
    model_file = store.select("llm", "small").files[0]
    with pytest.raises(ModelFileError, match="does not match models.lock"):
        store.place(model_file, [data])
    assert list((tmp_path / "empty" / "llm-one").iterdir()) == []


def test_place_replaces_a_corrupt_copy(store: ModelStore) -> None:
    model_file = store.select("llm", "small").files[0]
    target = store.path_of(model_file)
    target.write_bytes(b"junk")
    store.place(model_file, [FILES[("llm-one", "one.gguf")]])
    store.verify(store.select("llm"), deep=True)


def test_the_box_hears_its_voices_unless_told_otherwise(store: ModelStore) -> None:
    assert store.languages((), "en") == (("de", "en"), ("de", "en"))
    assert store.languages(("en",), "en") == (("en",), ("en",))


def test_languages_without_a_voice_are_heard_and_answered_in_the_fallback(
        store: ModelStore) -> None:
    languages = store.languages(("en", "fr", "es"), "en")
    assert languages.heard == ("en", "fr", "es") and languages.spoken == ("en",)


def test_a_fallback_without_a_voice_is_refused(store: ModelStore) -> None:
    with pytest.raises(ModelError, match=r"no voice for the fallback language es .*voices: de, en"):
        store.languages(("en", "es"), "es")
