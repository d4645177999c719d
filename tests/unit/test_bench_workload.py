"""The projection's measurement helpers: where the first sentence ends, the audio start."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.voicebench.workload import audio_start_s, first_sentence
from voicebox.speech.sentences import SentenceSplitter


def test_the_first_sentence_counts_the_tokens_needed_to_be_sure_of_its_end() -> None:
    pieces = ["Rome", " is", " the", " capital", " of", " Italy", ".", " It", " is", " old."]
    sentence, tokens = first_sentence(iter(pieces), SentenceSplitter())
    assert sentence == "Rome is the capital of Italy."
    # "." alone could still become "..."; the space of " It" confirms the end.
    assert tokens == 8


def test_an_answer_without_a_sentence_end_is_flushed_whole() -> None:
    sentence, tokens = first_sentence(iter(["Eight", " legs"]), SentenceSplitter())
    assert (sentence, tokens) == ("Eight legs", 2)
    assert first_sentence(iter([]), SentenceSplitter()) == ("", 0)


def test_the_audio_start_is_the_last_run_s_median_buffering(tmp_path: Path) -> None:
    latest = tmp_path / "voicebench-dev.json"
    latest.write_text(json.dumps({"stages_median_s": {"streamed": {"audio in/out": 0.157}}}))
    assert audio_start_s(latest) == 0.157
