"""The voicebox command: exit codes and reports a person can act on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from voicebox.cli import main
from voicebox.errors import ConfigError, VoiceboxError


def config_with_store(tmp_path: Path, store: Path, extra: str = "") -> Path:
    path = tmp_path / "voicebox.toml"
    path.write_text(f'[models]\nstore = "{store}"\n{extra}', encoding="utf-8")
    return path


def test_check_fails_and_names_every_missing_model(tmp_path: Path, capsys) -> None:
    config = config_with_store(tmp_path, tmp_path / "empty-store")
    assert main(["--config", str(config), "check"]) == 1
    out = capsys.readouterr().out
    assert out.count("FAIL") == 4                 # every model of the dev profile
    assert "fix: run scripts/fetch-dev-models" in out
    assert "ok   config" in out and "4 check(s) failed" in out


def test_check_reports_a_bad_config_and_stops(tmp_path: Path, capsys) -> None:
    config = config_with_store(tmp_path, tmp_path, "[vad]\nmode = 9\n")
    assert main(["--config", str(config), "check"]) == 1
    out = capsys.readouterr().out
    assert "FAIL config" in out and "vad.mode = 9" in out and "between 0 and 3" in out


def test_check_reports_a_missing_lock(tmp_path: Path, capsys) -> None:
    config = config_with_store(tmp_path, tmp_path, f'lock = "{tmp_path / "none.lock"}"\n')
    assert main(["--config", str(config), "check"]) == 1
    assert "FAIL models.lock" in capsys.readouterr().out


def test_check_flags_languages_without_a_voice(tmp_path: Path, capsys) -> None:
    config = config_with_store(tmp_path, tmp_path, '[stt]\nlanguages = ["de"]\n'
                                                   'fallback_language = "de"\n')
    main(["--config", str(config), "check"])
    assert "FAIL languages" in capsys.readouterr().out


def test_devices_with_an_unknown_device_name_exits_1(tmp_path: Path, capsys) -> None:
    config = config_with_store(tmp_path, tmp_path, '[audio]\ninput_device = "NoSuchMic"\n')
    assert main(["--config", str(config), "devices"]) == 1
    err = capsys.readouterr().err
    assert "no input device matches 'NoSuchMic'" in err and "fix:" in err


def test_devices_lists_what_portaudio_sees(capsys) -> None:
    assert main(["devices"]) == 0
    out = capsys.readouterr().out
    assert "input: system default" in out and "output: system default" in out


def test_turn_timeout_must_be_positive(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["turn", "--ask", "Hello?", "--timeout", "0"])
    assert caught.value.code == 2
    assert "--timeout: 0: must be more than 0" in capsys.readouterr().err


def test_unknown_profile_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--profile", "pi4", "check"])
    assert caught.value.code == 2


def test_python_dash_m_runs_the_same_command() -> None:
    result = subprocess.run([sys.executable, "-m", "voicebox", "--version"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("voicebox ")


def test_error_text_carries_the_fix() -> None:
    error = ConfigError("/etc/voicebox/voicebox.toml", "llm.threads", 0, "between 1 and 16")
    assert str(error) == ("/etc/voicebox/voicebox.toml: llm.threads = 0 is not valid: "
                          "between 1 and 16\n  fix: edit llm.threads in "
                          "/etc/voicebox/voicebox.toml")
    assert str(VoiceboxError("plain")) == "plain"
