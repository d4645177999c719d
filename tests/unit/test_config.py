"""Config loading: defaults, profiles, overrides, and a clear error for every kind of bad value."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from voicebox.config import PROFILES, load_config
from voicebox.config.load import BUILTIN
from voicebox.config.profiles import PROFILE_VALUES
from voicebox.config.schema import SECTIONS
from voicebox.errors import ConfigError, ConfigSyntaxError

EXAMPLE = Path(__file__).resolve().parents[2] / "voicebox" / "config" / "voicebox.example.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "voicebox.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_defaults_are_the_dev_profile() -> None:
    config = load_config()
    assert config.profile == "dev"
    assert config.source == BUILTIN
    assert config.models.profile == "dev"
    assert config.vad.hangover_ms == 500
    assert config.http.host == "127.0.0.1"


@pytest.mark.parametrize("profile", PROFILES)
def test_every_profile_is_valid_and_names_its_models(profile: str) -> None:
    config = load_config(profile=profile)
    assert config.profile == profile
    assert config.models.profile == profile


def test_profile_sets_defaults_and_the_file_overrides_them(tmp_path: Path) -> None:
    path = write(tmp_path, 'profile = "pi5-balanced"\n[llm]\nthreads = 4\n')
    config = load_config(path)
    assert config.llm.threads == 4                 # the file wins
    assert config.llm.max_tokens == 120            # the profile's value
    assert config.watchdog.hot_c == 72.0
    assert config.source == str(path)


def test_command_line_profile_overrides_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, 'profile = "pi5-balanced"\n')
    assert load_config(path, profile="pi5-performance").profile == "pi5-performance"


def test_relative_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[models]\nstore = "models"\nlock = "/opt/x/models.lock"\n')
    config = load_config(path)
    assert config.models.store == tmp_path / "models"
    assert config.models.lock == Path("/opt/x/models.lock")


def test_lists_and_floats_are_converted(tmp_path: Path) -> None:
    path = write(tmp_path, '[stt]\nlanguages = ["en", "de"]\n[llm]\ntemperature = 1\n')
    config = load_config(path)
    assert config.stt.languages == ("en", "de")
    assert config.llm.temperature == 1.0 and isinstance(config.llm.temperature, float)


def test_config_is_frozen() -> None:
    config = load_config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.llm.threads = 8  # type: ignore[misc]


BAD_VALUES = [
    # (toml text, key named in the error, fragment of what is allowed)
    ('[llm]\nthreads = "four"\n', "llm.threads", "an integer"),
    ("[llm]\nthreads = true\n", "llm.threads", "an integer"),
    ("[llm]\nthreads = 2.5\n", "llm.threads", "an integer"),
    ("[llm]\nthreads = 0\n", "llm.threads", "between 1 and 16"),
    ("[llm]\nthreads = 99\n", "llm.threads", "between 1 and 16"),
    ('[llm]\ntemperature = "hot"\n', "llm.temperature", "a number"),
    ("[llm]\ntemperature = -0.1\n", "llm.temperature", "between 0 and 2"),
    ("[audio]\necho_cancellation = 1\n", "audio.echo_cancellation", "true or false"),
    ("[audio]\ninput_device = 3\n", "audio.input_device", "a string"),
    ("[vad]\nmode = 4\n", "vad.mode", "between 0 and 3"),
    ('[logging]\nlevel = "verbose"\n', "logging.level", "one of 'debug'"),
    ("[tts]\noutput_rate = 8000\n", "tts.output_rate", "one of 0, 16000"),
    ('[http]\nhost = "0.0.0.0"\n', "http.host", "one of '127.0.0.1'"),
    ("[http]\nport = 70000\n", "http.port", "between 0 and 65535"),
    ('[stt]\nlanguages = "en"\n', "stt.languages", "a list of strings"),
    ('[stt]\nlanguages = ["english"]\n', "stt.languages", "two-letter"),
    ('[stt]\nfallback_language = "EN"\n', "stt.fallback_language", "two-letter"),
    ('[gpio]\nbutton_pin = "pin 17"\n', "gpio.button_pin", "GPIOn or BOARDn"),
    ('[models]\nstore = ""\n', "models.store", "a non-empty path"),
    ("[llm]\nthreadz = 2\n", "llm.threadz", "known keys are threads"),
    ("[lm]\nthreads = 2\n", "lm", "known sections are profile, models"),
    ("llm = 3\n", "llm", "a table"),
    ('profile = "pi4"\n', "profile", "one of dev, pi5-performance"),
    ("[vad]\nfinished_ms = 150\n", "vad.finished_ms", "between 160 and 5000"),
    ('[vad]\nadaptive_end = "yes"\n', "vad.adaptive_end", "true or false"),
    # combinations that are valid field by field
    ("[vad]\nhangover_ms = 2000\nmax_utterance_s = 1.5\n", "vad.hangover_ms", "shorter"),
    ("[watchdog]\nwarm_c = 80.0\n", "watchdog.hot_c", "warm_c < hot_c < critical_c"),
    ('[stt]\nlanguages = ["de"]\nfallback_language = "en"\n', "stt.fallback_language",
     "one of stt.languages"),
    ("[llm]\nmax_tokens = 1024\ncontext_tokens = 512\n", "llm.max_tokens", "smaller"),
]


@pytest.mark.parametrize(("text", "key", "allowed"), BAD_VALUES)
def test_bad_values_name_file_key_value_and_what_is_allowed(
        tmp_path: Path, text: str, key: str, allowed: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    error = caught.value
    assert error.key == key
    assert allowed in error.allowed
    message = str(error)
    assert str(path) in message and key in message and allowed in message
    assert error.code == "config"


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="an existing TOML file"):
        load_config(tmp_path / "nope.toml")


SYNTAX_ERRORS = [
    # (file bytes, "line L, column C", words that say what is wrong)
    (b"[llm\nthreads = 2\n", "line 1, column 5", "Expected ']' at the end of a table"),
    (b"[llm]\nthreads = 2\ntemperature = hot\n", "line 3, column 15",
     "text needs double quotes"),
    (b"[llm]\nthreads = 2\nthreads = 3\n", "line 3, column 12", "already has a value"),
    (b'[llm]\nsystem_prompt = "Be brief.\n', "line 2, column 27",
     "a string is not closed before the end of its line"),
    (b'[stt]\nlanguages = ["en",\n\n', "line 2, column 19", "the file ends before it is"),
    (b'[llm]\nsystem_prompt = "Be brief.', "line 2, column 27", "closing quote"),
]


def syntax_error(tmp_path: Path, content: bytes) -> ConfigSyntaxError:
    path = tmp_path / "voicebox.toml"
    path.write_bytes(content)
    with pytest.raises(ConfigSyntaxError) as caught:
        load_config(path)
    return caught.value


@pytest.mark.parametrize(("content", "where", "problem"), SYNTAX_ERRORS)
def test_a_syntax_error_names_file_line_column_and_the_problem(
        tmp_path: Path, content: bytes, where: str, problem: str) -> None:
    error = syntax_error(tmp_path, content)
    path = tmp_path / "voicebox.toml"
    message = str(error)
    assert message.startswith(f"{path}: {where}: ")
    assert problem in message
    assert "(syntax)" not in message and "(at line" not in message
    line = int(where.split()[1].rstrip(","))
    assert (error.line, error.code) == (line, "config")
    assert f"line {line} of {path}" in error.hint


def test_a_syntax_error_quotes_the_line_it_is_on(tmp_path: Path) -> None:
    path = write(tmp_path, "[vad]\nhangover_ms = 500\nmode = three\n")
    with pytest.raises(ConfigSyntaxError, match=r"line 3 reads 'mode = three'"):
        load_config(path)


@pytest.mark.parametrize(("content", "where", "byte"), [
    (b"\xff\xfe\x00garbage", "line 1, column 1", "0xff"),
    ('[stt]\nfallback_language = "fr"\n# caf\u00e9\n'.encode("latin-1"),
     "line 3, column 6", "0xe9"),
])
def test_a_file_that_is_not_utf8_names_the_byte_and_where_it_is(
        tmp_path: Path, content: bytes, where: str, byte: str) -> None:
    message = str(syntax_error(tmp_path, content))
    assert message.startswith(f"{tmp_path / 'voicebox.toml'}: {where}: byte {byte} is not "
                              "UTF-8 text")
    assert "codec can't decode" not in message
    assert "save it as UTF-8" in message


def test_example_config_is_valid_and_documents_every_key() -> None:
    config = load_config(EXAMPLE)
    assert config.profile == "pi5-performance"
    text = EXAMPLE.read_text(encoding="utf-8")
    for section, cls in SECTIONS.items():
        assert f"[{section}]" in text
        for field in dataclasses.fields(cls):
            assert re.search(rf"^(# )?{field.name} = ", text, re.MULTILINE), field.name


@pytest.mark.parametrize("profile", ["pi5-performance", "pi5-balanced"])
def test_the_readme_gives_each_pi_profile_its_real_thread_count(profile: str) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    said = re.search(rf"`{profile}`\s*\(([^)]*?(?:\([^)]*\))?[^)]*)\)", readme)
    assert said is not None, f"the README no longer describes {profile}"
    threads = re.search(r"(\d+) threads", said.group(1))
    assert threads is not None and int(threads.group(1)) == (
        PROFILE_VALUES[profile]["llm"]["threads"]), said.group(0)
