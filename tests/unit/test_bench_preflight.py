"""``benchmarks/run --profile pi5`` refuses to start, naming every missing model file."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.voicebench.preflight import PROFILES, problems, refusal


def test_an_empty_model_store_names_every_model_of_the_profile_and_the_fix(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOICEBOX_MODEL_DIR", str(tmp_path))
    found = problems(PROFILES["pi5"])
    text = refusal("pi5", PROFILES["pi5"], found)
    for model in ("whisper-base", "qwen2.5-1.5b", "qwen2.5-0.5b", "piper-de-thorsten"):
        assert model in text
    assert "found no file" in text
    fixes = [line for line in found if line.startswith("  fix:")]
    assert len(fixes) == len(set(fixes)) < len(found) - len(fixes)  # each fix said once
    assert any("scripts/install BUNDLE" in fix for fix in fixes)
    assert "voicebox --profile pi5-performance check" in text
