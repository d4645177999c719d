"""Model files inside an installed package: [[packaged]] pins are parsed strictly and checked
against the real installed pymicro-wakeword files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.unit.lockdata import small_lock_document
from voicebox.errors import ModelFileError, ModelLockError
from voicebox.models.lock import load_lock, parse_lock
from voicebox.models.packaged import verified_path
from voicebox.paths import PROJECT_ROOT

JARVIS = {"wake_word": "hey_jarvis", "package": "pymicro-wakeword==2.5.0",
          "path": "pymicro_wakeword/models/hey_jarvis.tflite", "size": 52272,
          "sha256": "21a7976add39ee24ec96c63d96b7aaa18e24d1d9824b963e451da8feb4b78b77"}


def real_pin(name: str = "hey_jarvis", suffix: str = ".tflite"):
    files = load_lock(PROJECT_ROOT / "models.lock").wake_words("pymicro-wakeword")[name]
    return next(f for f in files if f.path.endswith(suffix))


def test_packaged_entries_are_parsed_and_grouped_by_wake_word(tmp_path: Path) -> None:
    document = small_lock_document()
    document["packaged"] = [JARVIS, {**JARVIS, "path": JARVIS["path"].replace("tflite", "json")}]
    lock = parse_lock(document, tmp_path / "models.lock")
    assert list(lock.wake_words("pymicro-wakeword")) == ["hey_jarvis"]
    assert lock.wake_words("pymicro-wakeword")["hey_jarvis"][0].size == 52272
    assert lock.wake_words("pyopen-wakeword") == {}


@pytest.mark.parametrize(("change", "complaint"), [
    ({"size": 0}, "size 0 is not a positive integer"),
    ({"package": "pymicro-wakeword"}, "package 'pymicro-wakeword' is missing or malformed"),
    ({"path": "/etc/passwd"}, "path '/etc/passwd' is missing or malformed"),
    ({"path": "pymicro_wakeword/../x"}, "path 'pymicro_wakeword/../x' is missing or malformed"),
    ({"sha256": "abc"}, "sha256 'abc' is missing or malformed"),
    ({"url": "https://x"}, "must have exactly the keys package, path, sha256, size, wake_word"),
])
def test_a_malformed_packaged_entry_is_refused(tmp_path: Path, change: dict,
                                               complaint: str) -> None:
    document = small_lock_document()
    document["packaged"] = [{**JARVIS, **change}]
    with pytest.raises(ModelLockError, match=complaint):
        parse_lock(document, tmp_path / "models.lock")


def test_the_installed_wake_word_files_match_their_pins() -> None:
    for suffix in (".tflite", ".json"):
        path = verified_path(real_pin(suffix=suffix))
        assert path.name == f"hey_jarvis{suffix}" and path.is_file()


def test_a_file_that_differs_from_its_pin_is_refused_with_both_hashes() -> None:
    pin = dataclasses.replace(real_pin(), sha256="0" * 64)
    with pytest.raises(ModelFileError) as raised:
        verified_path(pin)
    assert f"sha256 {'0' * 64}" in raised.value.message
    assert f"sha256 {real_pin().sha256}" in raised.value.message
    assert raised.value.hint == "pip install --force-reinstall pymicro-wakeword==2.5.0"


def test_another_version_of_the_package_is_refused() -> None:
    pin = dataclasses.replace(real_pin(), package="pymicro-wakeword==9.9.9")
    with pytest.raises(ModelFileError, match="pymicro-wakeword 2.5.0 installed"):
        verified_path(pin)


def test_a_package_that_is_not_installed_is_refused() -> None:
    pin = dataclasses.replace(real_pin(), package="no-such-wake-package==1.0")
    with pytest.raises(ModelFileError, match="package not installed"):
        verified_path(pin)
