"""The config loader refuses what the daemon's components would refuse, and ``voicebox check``
reports exactly the loader's refusal: one rule, checked before any model loads."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import voicebox
from voicebox.audio.endpointer_settings import EndpointerSettings
from voicebox.check import CheckLine, run_checks
from voicebox.config import load_config
from voicebox.config.components import component_settings
from voicebox.config.schema import SECTIONS
from voicebox.errors import ConfigError
from voicebox.models.store import ModelStore
from voicebox.skills.engine import Skills

REFUSED = [
    # ([vad] lines, key named, its value, words of what is allowed)
    ("hangover_ms = 150", "vad.hangover_ms", 150, "longer than the tentative end (150 ms)"),
    ("hangover_ms = 100", "vad.hangover_ms", 100, "160 ms or more"),
    ("hangover_ms = 154", "vad.hangover_ms", 154, "160 ms or more"),   # still 15 frames
    ("start_ms = 1500\nmax_utterance_s = 1.0", "vad.start_ms", 1500,
     "shorter than max_utterance_s (1 s)"),
    ("hangover_ms = 2000\nmax_utterance_s = 1.5", "vad.hangover_ms", 2000,
     "shorter than max_utterance_s (1.5 s)"),
    # 1000 ms < 1004 ms, but both are 100 frames: the endpointer's rule, not a rounded copy
    ("hangover_ms = 1000\nmax_utterance_s = 1.004", "vad.hangover_ms", 1000,
     "shorter than max_utterance_s (1.004 s)"),
]


def vad_config(tmp_path: Path, lines: str) -> Path:
    path = tmp_path / "voicebox.toml"
    path.write_text(f"[vad]\n{lines}\n", encoding="utf-8")
    return path


def refused(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value


@pytest.mark.parametrize(("lines", "key", "value", "allowed"), REFUSED)
def test_the_loader_refuses_what_the_endpointer_refuses(
        tmp_path: Path, lines: str, key: str, value: int, allowed: str) -> None:
    path = vad_config(tmp_path, lines)
    error = refused(path)
    assert (error.source, error.key, error.value) == (str(path), key, value)
    assert allowed in error.allowed
    assert str(error).startswith(f"{path}: {key} = {value} is not valid: ")


@pytest.mark.parametrize("lines", [row[0] for row in REFUSED])
def test_check_reports_the_loaders_refusal_word_for_word(tmp_path: Path, lines: str) -> None:
    path = vad_config(tmp_path, lines)
    error = refused(path)
    assert run_checks(path, None, deep=False) == [
        CheckLine("config", False, error.message, error.hint)]


@pytest.mark.parametrize("lines", ["hangover_ms = 160", "hangover_ms = 155",
                                   "start_ms = 990\nmax_utterance_s = 1.0",
                                   "hangover_ms = 990\nmax_utterance_s = 1.0"])
def test_the_smallest_accepted_timings_build_the_endpointer(tmp_path: Path,
                                                            lines: str) -> None:
    config = load_config(vad_config(tmp_path, lines))
    assert EndpointerSettings.from_config(config.vad).hangover_s == config.vad.hangover_ms / 1000


def _classes_built_from_a_config_section() -> set[type]:
    """Every class in voicebox with a ``from_config`` that takes a config section."""
    found = set()
    for module_info in pkgutil.walk_packages(voicebox.__path__, "voicebox."):
        if module_info.name.endswith("__main__"):   # importing it would run the command
            continue
        module = importlib.import_module(module_info.name)
        for cls in vars(module).values():
            build = inspect.isclass(cls) and cls.__module__ == module.__name__ and vars(
                cls).get("from_config")
            if build and set(inspect.get_annotations(build.__func__, eval_str=True).values()
                             ) & set(SECTIONS.values()):
                found.add(cls)
    return found


def test_every_settings_class_built_from_the_config_is_built_while_loading_it() -> None:
    checked = {type(settings) for settings in component_settings(load_config())}
    # ModelStore reads models.lock, which `voicebox check` verifies on a line of its own
    # and the daemon reads before loading any model. Skills is the skills engine, not
    # settings: it refuses no value (a timers file it cannot read is set aside and logged).
    assert checked == _classes_built_from_a_config_section() - {ModelStore, Skills}
