"""listen.*: what opens a question, the wake word, and that check and daemon refuse alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicebox.audio.wake_engines import ENGINE_PACKAGES
from voicebox.check import run_checks
from voicebox.config import load_config
from voicebox.config.listen import WAKE_WORDS
from voicebox.errors import ConfigError
from voicebox.models.lock import load_lock
from voicebox.paths import PROJECT_ROOT

UNKNOWN = 'profile = "dev"\n[listen]\nmode = "wake"\nwake_word = "hey_siri"\n'


def test_the_pi_profiles_listen_for_the_wake_word_and_the_dev_profile_for_everything() -> None:
    assert load_config(None, "pi5-performance").listen.mode == "wake"
    assert load_config(None, "pi5-balanced").listen.mode == "wake"
    dev = load_config(None, "dev").listen
    assert (dev.mode, dev.wake_engine, dev.wake_word, dev.open_s, dev.follow_up_s) == (
        "always", "microwakeword", "hey_jarvis", 5.0, 6.0)


def test_an_unknown_wake_word_is_refused_listing_the_ones_there_are(tmp_path: Path) -> None:
    path = tmp_path / "voicebox.toml"
    path.write_text(UNKNOWN, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert "listen.wake_word = 'hey_siri'" in raised.value.message
    assert "'alexa', 'hey_jarvis', 'hey_mycroft', 'hey_rhasspy', 'okay_nabu'" in (
        raised.value.message)
    lines = run_checks(path, None, deep=False)
    assert [(line.subject, line.ok, line.detail) for line in lines] == [
        ("config", False, raised.value.message)]


def test_an_unknown_mode_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "voicebox.toml"
    path.write_text('[listen]\nmode = "clap"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'wake', 'always', 'button'"):
        load_config(path)


def test_a_wake_word_the_engine_does_not_know_is_refused_listing_the_ones_it_does(
        tmp_path: Path) -> None:
    path = tmp_path / "voicebox.toml"
    path.write_text('[listen]\nwake_word = "hey_rhasspy"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert raised.value.message.endswith(
        "listen.wake_word = 'hey_rhasspy' is not valid: microwakeword knows 'alexa', "
        "'hey_jarvis', 'hey_mycroft', 'okay_nabu'")
    path.write_text('[listen]\nwake_engine = "openwakeword"\nwake_word = "hey_rhasspy"\n',
                    encoding="utf-8")
    assert load_config(path).listen.wake_word == "hey_rhasspy"


@pytest.mark.parametrize("engine", ["microwakeword", "openwakeword"])
def test_every_wake_word_the_config_accepts_is_pinned_in_models_lock(engine: str) -> None:
    pinned = load_lock(PROJECT_ROOT / "models.lock").wake_words(ENGINE_PACKAGES[engine])
    assert sorted(pinned) == sorted(WAKE_WORDS[engine])
    expected = ({".json", ".tflite"} if engine == "microwakeword"
                else {"melspectrogram.tflite", "embedding_model.tflite"})
    for name, files in pinned.items():
        found = {Path(f.path).suffix if engine == "microwakeword" else Path(f.path).name
                 for f in files}
        assert found == (expected if engine == "microwakeword"
                         else {*expected, f"{name}.tflite"}), name


@pytest.mark.parametrize(("engine", "detail"), [
    ("microwakeword", "okay_nabu: 2 file(s) in pymicro-wakeword==2.5.0, sha256 verified"),
    ("openwakeword", "okay_nabu: 3 file(s) in pyopen-wakeword==1.1.0, sha256 verified"),
])
def test_check_verifies_the_wake_word_files_in_wake_mode(tmp_path: Path, engine: str,
                                                         detail: str) -> None:
    path = tmp_path / "voicebox.toml"
    path.write_text(f'profile = "dev"\n[listen]\nmode = "wake"\nwake_engine = "{engine}"\n'
                    'wake_word = "okay_nabu"\n', encoding="utf-8")
    line = next(line for line in run_checks(path, None, deep=False)
                if line.subject == "wake word")
    assert line.ok, line
    assert line.detail == detail
