"""The benchmark's word error rate: normalisation and word edit distance."""

from __future__ import annotations

import pytest

from benchmarks.voicebench.wer import normalize, word_edits, word_error_rate


def test_case_punctuation_and_curly_apostrophes_are_not_errors() -> None:
    assert normalize("What's the capital of Italy?") == ["what's", "the", "capital", "of",
                                                         "italy"]
    assert normalize("WHAT’S the capital, of Italy.") == normalize("what's the capital of italy")
    assert normalize("München wird?") == ["münchen", "wird"]


@pytest.mark.parametrize(("reference", "hypothesis", "edits"), [
    ("a b c", "a b c", 0),
    ("a b c", "a x c", 1),  # substitution
    ("a b c", "a c", 1),  # deletion
    ("a b c", "a b c d", 1),  # insertion
    ("a b c", "", 3),
    ("", "a b", 2),
    ("the tallest mountain", "the tallest mounted in", 2),
])
def test_word_edits_count_substitutions_deletions_and_insertions(reference: str,
                                                                  hypothesis: str,
                                                                  edits: int) -> None:
    assert word_edits(reference.split(), hypothesis.split()) == edits


def test_the_rate_over_a_set_weighs_every_reference_word_alike() -> None:
    pairs = [("one two three four five six seven eight", "one two three four five six seven"),
             ("yes", "no")]
    assert word_error_rate(pairs) == pytest.approx(2 / 9)  # not the mean of 1/8 and 1/1


def test_no_reference_words_has_no_rate() -> None:
    assert word_error_rate([]) is None
    assert word_error_rate([("?", "something")]) is None
