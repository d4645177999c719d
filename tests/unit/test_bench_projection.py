"""The Pi 5 projection's arithmetic: work times published speed, unknown speeds stay unknown."""

from __future__ import annotations

import pytest

from benchmarks.voicebench import pi5_rates
from benchmarks.voicebench.pi5_rates import Rate
from benchmarks.voicebench.projection import (
    Tier,
    TurnWork,
    median_work,
    project,
    stage_seconds,
    voice_to_voice,
)

WORK = TurnWork(audio_s=3.0, prompt_tokens=120, sentence_tokens=12, sentence_chars=60,
                sentence_audio_s=2.0)


def tier(prompt: float | None = 60.0, tts: Rate | None = None) -> Tier:
    return Tier("test", stt=Rate(0.5, "rtf", "s", ""), prompt=Rate(prompt, "tok/s", "s", ""),
                generate=Rate(8.0, "tok/s", "s", ""), tts=tts or Rate(0.25, "rtf", "s", ""),
                hangover_s=0.5, audio_start_s=0.1)


def test_each_unit_scales_the_work_its_own_way() -> None:
    assert stage_seconds(Rate(0.5, "rtf", "", ""), 3.0) == pytest.approx(1.5)
    assert stage_seconds(Rate(20.0, "tok/s", "", ""), 40) == pytest.approx(2.0)
    assert stage_seconds(Rate(0.006, "s/char", "", ""), 100) == pytest.approx(0.6)
    assert stage_seconds(Rate(None, "tok/s", "", ""), 40) is None
    with pytest.raises(ValueError, match="'MB'"):
        stage_seconds(Rate(1.0, "MB", "", ""), 1)


def test_a_turn_projects_stage_by_stage_and_sums() -> None:
    stages = project(WORK, tier())
    assert stages == pytest.approx({
        "endpoint wait": 0.5, "STT": 1.5, "prompt to first token": 2.0,
        "first sentence": 1.5, "TTS of first sentence": 0.5, "audio start": 0.1})
    assert voice_to_voice(stages, stt_overlaps_wait=False) == pytest.approx(6.1)
    # Transcribing inside the 0.5 s wait leaves 1.0 s of the 1.5 s to add.
    assert voice_to_voice(stages, stt_overlaps_wait=True) == pytest.approx(5.6)


def test_a_per_character_voice_uses_the_characters() -> None:
    stages = project(WORK, tier(tts=Rate(0.01, "s/char", "s", "")))
    assert stages["TTS of first sentence"] == pytest.approx(0.6)


def test_an_unknown_speed_makes_the_total_unknown_not_smaller() -> None:
    stages = project(WORK, tier(prompt=None))
    assert stages["prompt to first token"] is None
    assert voice_to_voice(stages, stt_overlaps_wait=True) is None


def test_median_work_takes_each_field_s_median() -> None:
    other = TurnWork(5.0, 200, 20, 100, 4.0)
    third = TurnWork(1.0, 80, 4, 20, 1.0)
    assert median_work([WORK, other, third]) == WORK
    assert median_work([WORK, other]).prompt_tokens == 160
    with pytest.raises(ValueError, match="no turns"):
        median_work([])


def test_published_rates_name_their_source_or_say_none_was_found() -> None:
    for rate in pi5_rates.ALL:
        if rate.value is None:
            assert "no Pi 5 figure" in rate.note
        else:
            assert rate.source.startswith("https://") and rate.note
    # base/tiny on the Pi 5 study is 2.279/1.258 = 1.81; times tiny's 0.39 is 0.71.
    assert pi5_rates.whisper_base_rtf() == pytest.approx(0.7067, abs=1e-3)


def test_the_pi_tiers_use_the_lock_s_models_and_their_published_speeds() -> None:
    from benchmarks.voicebench.projection import pi5_tiers

    standard, small = pi5_tiers(hangover_s=0.5, audio_start_s=0.15)
    assert (standard.name, small.name) == ("standard", "small")
    assert "1.5B" in standard.models and "0.5B" in small.models
    assert project(WORK, standard)["STT"] == pytest.approx(3.0 * 0.7067, abs=1e-3)
    assert project(WORK, small)["STT"] == pytest.approx(3.0 * 0.39)
    assert project(WORK, small)["TTS of first sentence"] == pytest.approx(2.0 * 0.357)
    # 120 prompt tokens at 72.93 * 1.24 / 1.54 = 58.72 tok/s; 12 tokens at 9.97 tok/s.
    stages = project(WORK, standard)
    assert stages["prompt to first token"] == pytest.approx(120 / 58.72, rel=1e-3)
    assert stages["first sentence"] == pytest.approx(12 / 9.97)
    # 0.5 + (2.12 - 0.5) + 2.044 + 1.204 + 0.714 + 0.15
    assert voice_to_voice(stages, stt_overlaps_wait=True) == pytest.approx(6.232, abs=2e-3)
    assert project(WORK, small)["first sentence"] == pytest.approx(12 / 20.35)


def test_a_speed_scales_inversely_with_parameters_and_says_from_what() -> None:
    rate = Rate(60.0, "tok/s", "https://a", "measured")
    three_times_larger = pi5_rates.scaled(rate, "Model A", 1.0, 3.0, "https://card")
    assert three_times_larger.value == pytest.approx(20.0)
    assert three_times_larger.source == "https://a + https://card"
    assert three_times_larger.note.startswith("scaled from Model A at 1 B params to 3 B")
    assert pi5_rates.QWEN_0_5B_PP.value == pytest.approx(72.93 * 1.24 / 0.49)
    with pytest.raises(ValueError, match="tok/s"):
        pi5_rates.scaled(Rate(0.5, "rtf", "", ""), "Model A", 1.0, 2.0, "")
    with pytest.raises(ValueError, match="known speed"):
        pi5_rates.scaled(Rate(None, "tok/s", "", ""), "Model A", 1.0, 2.0, "")


def test_the_table_is_marked_projected_and_names_its_sources() -> None:
    from benchmarks.voicebench.projection import render

    text = render(WORK, tier())
    assert text.startswith("PROJECTED (not measured on a Pi)")
    assert "120 tokens" in text and "60 tok/s" in text and "2.00 s" in text
    assert "STT inside the wait): 5.60 s" in text
    assert "unknown" in render(WORK, tier(prompt=None))
