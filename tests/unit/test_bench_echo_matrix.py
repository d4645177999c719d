"""The echo matrix's figures and targets, from trials with known numbers."""

from __future__ import annotations

from benchmarks.voicebench.echomatrix import (
    _answered,
    checks,
    missed,
    render_matrix,
    summarize_matrix,
)
from tests.rig.room import MATRIX


def trial(room: str, latency: float | None, erle: float | None, false: int = 0,
          answered: bool = True) -> dict:
    return {"room": room, "latency_s": latency, "echo": {"erle_db": erle},
            "false_barge_ins": false, "answered": answered}


def test_each_room_and_all_rooms_are_summarised() -> None:
    trials = [trial("reverb", 0.2, 35.0), trial("reverb", 0.3, 31.0, false=1),
              trial("drift", 0.5, 60.0, answered=False), trial("drift", None, 62.0)]
    result = summarize_matrix(trials)
    reverb, drift, every = result["rooms"]["reverb"], result["rooms"]["drift"], result["all"]
    assert set(result["rooms"]) == set(MATRIX)
    assert reverb["answers"] == 4 and reverb["false_barge_ins"] == 1
    assert reverb["erle_db"]["min"] == 31.0 and reverb["barge_in_s"]["median"] == 0.25
    assert drift["missed_barge_ins"] == 1 and drift["answered"] == 0.5
    assert every["answers"] == 8 and every["barge_in_s"]["p95"] == 0.5
    assert result["rooms"]["living-room"]["trials"] == 0


def test_targets_are_judged_with_numbers() -> None:
    good = summarize_matrix([trial("reverb", 0.2, 35.0), trial("reverb", 0.24, 30.0)])["all"]
    assert all(checks(good).values())
    slow = summarize_matrix([trial("reverb", 0.2, 35.0), trial("reverb", 0.2, 35.0),
                             trial("reverb", 0.45, 29.9)])["all"]
    assert missed(slow) == ["ERLE dB (min)", "barge-in p95 ms"]
    cut = summarize_matrix([trial("drift", 0.2, 40.0, false=1, answered=False)])["all"]
    assert missed(cut) == ["false barge-ins", "interruptions answered"]


def test_an_interruption_counts_as_answered_only_after_the_story() -> None:
    assert _answered([[1, "cancelled", "Tell me a story"], [2, "answered", "Stop."]])
    assert not _answered([[1, "answered", "Tell me a story"], [2, "no speech", None]])


def test_the_table_has_a_row_per_room_and_the_verdict() -> None:
    table = render_matrix(summarize_matrix([trial("delay-700ms", 0.21, 44.4)]))
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["room", "answers", "false"]
    row = next(line for line in lines if line.startswith("delay-700ms"))
    assert row.split() == ["delay-700ms", "2", "0", "44.4", "44.4", "210", "ms", "210", "ms",
                           "0", "100%"]
    assert lines[-1].startswith("met: false barge-ins, ERLE dB (min), barge-in median ms")


def test_the_matrix_daemon_config_is_one_the_daemon_accepts(tmp_path) -> None:
    from benchmarks.voicebench.box import CONFIG
    from benchmarks.voicebench.echomatrix import STORYTELLER
    from voicebox.config import load_config

    path = tmp_path / "voicebox.toml"
    path.write_text(CONFIG.format(profile="dev", temperature=tmp_path / "t") + STORYTELLER)
    config = load_config(path)
    assert config.llm.max_sentences == 50 and "storyteller" in config.llm.system_prompt
