"""The wake-word benchmark's pure parts: the music and its level, SNR mixing, distance, false
accepts with the refractory time, false rejects per bucket, latency and the table. No model
is loaded."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.wakebench.corpus import PROSE_VOICES, prose_order, wake_voices
from benchmarks.wakebench.prose import PARAGRAPHS
from benchmarks.wakebench.report import render
from benchmarks.wakebench.run import Meter
from benchmarks.wakebench.score import (
    count_accepts,
    false_accepts,
    false_rejects,
    judge_trial,
    latency,
    verdicts,
)
from benchmarks.wakebench.signals import RATE, at_distance, mix, music, speech_level


def rms(signal: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(signal, dtype=np.float64))))


def test_music_has_unit_level_and_the_same_seed_gives_the_same_music() -> None:
    first = music(5 * RATE, np.random.default_rng(7))
    assert first.dtype == np.float32 and len(first) == 5 * RATE
    assert rms(first) == pytest.approx(1.0, rel=1e-3)
    assert np.array_equal(first, music(5 * RATE, np.random.default_rng(7)))
    assert not np.allclose(first[:RATE], music(5 * RATE, np.random.default_rng(8))[:RATE])


def test_music_is_tonal_and_beats_unlike_noise() -> None:
    sound = music(8 * RATE, np.random.default_rng(3)).astype(np.float64)
    spectrum = np.abs(np.fft.rfft(sound[:2 * RATE]))
    # Chords: a few narrow peaks far above the spectrum's median (pink noise has none).
    assert spectrum.max() > 50 * np.median(spectrum)
    # The beat: the 10 ms envelope's loudest frames recur, so it is not steady.
    frames = np.sqrt(np.mean(sound[:8 * RATE].reshape(-1, 160) ** 2, axis=1))
    assert frames.max() > 2 * np.median(frames)


def test_mixing_sets_the_snr_against_the_active_speech_only() -> None:
    rng = np.random.default_rng(1)
    tone = 0.1 * np.sin(2 * np.pi * 300 * np.arange(RATE) / RATE)
    speech = np.concatenate([tone, np.zeros(RATE)]).astype(np.float32)  # half of it a pause
    assert speech_level(speech) == pytest.approx(0.1 / np.sqrt(2), rel=1e-3)
    noise = rng.standard_normal(len(speech))
    for snr in (20.0, 10.0, 5.0):
        mixed = mix(speech, noise, snr)
        added = mixed.astype(np.float64) - speech
        assert 20 * np.log10(speech_level(speech) / rms(added)) == pytest.approx(snr, abs=0.01)
    assert np.array_equal(mix(speech, noise, None), speech)
    with pytest.raises(ValueError, match="noise has"):
        mix(speech, noise[:10], 10.0)


def test_a_distant_talker_is_quieter_and_rings_on() -> None:
    click = np.zeros(RATE, np.float32)
    click[100] = 1.0
    far = at_distance(click, 0.4, 0.3, np.random.default_rng(0))
    assert len(far) == RATE + round(0.4 * RATE) - 1
    assert far[100] == pytest.approx(0.3)
    assert np.abs(far[100 + round(0.1 * RATE):]).max() > 0  # the reverberant tail


def test_detections_within_the_refractory_time_count_as_one_accept() -> None:
    assert count_accepts([]) == 0
    assert count_accepts([5.0, 5.3, 5.9]) == 1
    assert count_accepts([5.0, 6.0, 6.5, 100.0], refractory_s=1.0) == 3
    rows = false_accepts({"clean": {"seconds": 3600.0, "detections": [10.0, 10.2]},
                          "5 dB": {"seconds": 1800.0, "detections": [1.0, 900.0]}})
    assert rows["clean"]["per_hour"] == 1.0 and rows["5 dB"]["per_hour"] == 4.0
    assert rows["overall"] == {"accepts": 3, "hours": 1.5, "per_hour": 2.0}


def test_a_phrase_is_accepted_up_to_half_a_second_after_its_voice() -> None:
    assert judge_trial([2.3], (1.0, 2.0)) == {"accepted": True, "after_end_s": pytest.approx(0.3),
                                               "stray": 0}
    late = judge_trial([0.5, 2.6], (1.0, 2.0))
    assert late == {"accepted": False, "after_end_s": None, "stray": 2}
    assert judge_trial([], (1.0, 2.0))["accepted"] is False


def trial(snr: float | None, accepted: bool, distance: str = "near", voice: str = "v", *,
          alone: bool = True, after: float = 0.1) -> dict:
    return {"snr_db": snr, "accepted": accepted, "distance": distance, "voice": voice,
            "family": "piper", "alone": alone, "after_end_s": after if accepted else None,
            "stray": 0}


def test_false_rejects_are_bucketed_by_snr_and_the_target_pools_clean_to_10_db() -> None:
    trials = ([trial(None, True)] * 10 + [trial(20.0, True)] * 9 + [trial(20.0, False)]
              + [trial(10.0, True)] * 10 + [trial(5.0, False, "far", "espeak")] * 10)
    result = false_rejects(trials)
    assert list(result["by_snr"]) == ["clean", "20 dB", "10 dB", "5 dB"]
    assert result["by_snr"]["20 dB"] == {"trials": 10, "rejected": 1, "share": 0.1}
    assert result["by_snr"]["5 dB"]["share"] == 1.0
    assert result["target_buckets"] == {"trials": 30, "rejected": 1, "share": 1 / 30}
    assert result["by_distance"]["far"]["rejected"] == 10
    assert result["missed_voices"] == {"v": 1}
    assert result["target_by_family"]["piper"] == result["target_buckets"]
    engine = {"false_rejects": result,
              "false_accepts": {"overall": {"per_hour": 0.6}}, "cpu": {"process_share": 0.01}}
    assert verdicts(engine) == {"false_reject_share": True, "false_accepts_per_hour": False,
                                "cpu_share": True}


def test_cpu_is_a_share_of_one_core_per_second_of_audio() -> None:
    meter = Meter(audio_s=100.0, busy_s=0.4, process_s=1.0)
    assert meter.as_dict()["busy_share"] == pytest.approx(0.004)
    assert meter.as_dict()["process_share"] == pytest.approx(0.01)
    assert Meter().as_dict()["process_share"] is None


def test_latency_is_measured_on_the_wake_phrase_alone() -> None:
    figures = latency([trial(None, True, after=0.1), trial(None, True, after=0.3),
                       trial(None, True, alone=False, after=1.5), trial(None, False)])
    assert figures["n"] == 2 and figures["median"] == pytest.approx(0.2)


def test_the_table_shows_every_condition_the_targets_and_skipped_engines() -> None:
    fa = false_accepts({"clean": {"seconds": 3600.0, "detections": []},
                        "10 dB": {"seconds": 3600.0, "detections": [4.0]}})
    fr = false_rejects([trial(None, True), trial(10.0, True), trial(5.0, False)])
    engine = {"false_accepts": fa, "false_rejects": fr,
              "latency": latency([trial(None, True)]),
              "cpu": {"busy_share": 0.004, "process_share": 0.005}}
    result = {"meta": {"wake_word": "hey_jarvis", "seed": 16, "readings": 300,
                       "prose_hours": 1.0, "wake_trials": 3, "seconds": 600.0},
              "engines": {"microwakeword": engine,
                          "openwakeword": {"skipped": "pyopen-wakeword is not installed"}}}
    table = render(result)
    assert "seed 16" in table and "1.00 h per condition" in table
    assert "false accepts/h, 10 dB (1.00 h)" in table
    assert "0.50 (1)  <= 0.5 (met)" in table
    assert "false rejects, 5 dB" in table and "100.0% (1/1)" in table
    assert "0.0% (0/2)  <= 5% (met)" in table
    assert "0.50%  <= 10% (met)" in table
    assert "openwakeword: skipped (pyopen-wakeword is not installed)" in table


def test_the_prose_holds_near_misses_but_never_the_wake_phrase() -> None:
    text = " ".join(PARAGRAPHS).lower()
    assert len(PARAGRAPHS) == 30 and "hey jarvis" not in text
    for near in ("hey", "jarvis", "travis", "service", "harvest"):
        assert near in text


def test_the_prose_order_and_wake_voices_come_from_the_seed() -> None:
    assert prose_order(1) == prose_order(1) != prose_order(2)
    assert len(prose_order(1)) == len(PARAGRAPHS) * len(PROSE_VOICES)
    voices = wake_voices(5)
    assert voices == wake_voices(5) and len(voices) == 25
    assert all(0.3 <= v.variation <= 0.9 for v in voices if v.name == "piper")
