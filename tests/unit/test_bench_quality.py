"""The quality benchmark's grading and report, with plain answers and numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarks.qualitybench.grade import fill, is_right
from benchmarks.qualitybench.questions import CATEGORIES, DIALOGUES, SKILLS
from benchmarks.qualitybench.report import summary, table


@pytest.mark.parametrize(("answer", "expect", "right"), [
    ("12 times 7 is 84.", ("84",), True),
    ("Twelve times seven is eighty-four.", ("84|eighty four",), True),
    ("Twelve times seven is 94.", ("84|eighty four",), False),
    ("Romeo and Juliet was written by Shakespeare.", ("rome",), False),   # whole words only
    ("The capital of Italy is Rome.", ("rome",), True),
    ("Timer set for 20 minutes.", ("timer", "20", "minutes"), True),
    ("Timer set for 2 minutes.", ("timer", "20", "minutes"), False),
    ("Water is H2O.", ("h2o|h 2 o",), True),
    ("It boils at a hundred and twenty.", ("120|hundred and twenty",), True),
    ("", ("paris",), False),
])
def test_an_answer_is_right_when_it_holds_every_expected_word(answer: str,
                                                              expect: tuple[str, ...],
                                                              right: bool) -> None:
    assert is_right(answer, expect) is right


def test_clock_words_are_filled_for_the_minute_asked_and_the_next() -> None:
    assert fill(("{hour}", "am|pm"), dt.datetime(2026, 12, 3, 13, 30)) == ("1", "am|pm")
    assert fill(("{hour}",), dt.datetime(2026, 12, 3, 13, 59, 30)) == ("1|2",)
    assert fill(("{weekday}", "{day}", "{month}"), dt.datetime(2026, 12, 31, 23, 59, 10)) == (
        "Thursday|Friday", "31|1", "December|January")
    assert fill(("{hour}",), dt.datetime(2026, 1, 1, 0, 10)) == ("12",)


def test_the_set_has_sixty_questions_or_more_in_every_category() -> None:
    asks = [ask for dialogue in DIALOGUES for ask in dialogue]
    assert len(asks) >= 60
    assert {ask.category for ask in asks} == set(CATEGORIES)
    for skills, language in zip(SKILLS, ("en", "de", "fr", "es"), strict=True):
        mine = [ask for ask in asks if ask.category == skills]
        assert len(mine) == 8 and {ask.language for ask in mine} == {language}
    assert any(len(dialogue) > 1 and dialogue[0].category == "follow-up"
               for dialogue in DIALOGUES)


def turn(category: str, right: bool, by: str, audio_s: float, first_audio_s: float | None,
         *, text_right: bool | None = None) -> dict:
    return {"category": category, "right": right, "text_right": text_right, "by": by,
            "audio_s": audio_s, "first_audio_s": first_audio_s}


def test_the_summary_counts_per_category_and_checks_the_targets() -> None:
    turns = [turn("skills-en", True, "skill", 1.5, 0.4, text_right=True),
             turn("skills-en", True, "skill", 2.0, 0.45, text_right=True),
             turn("skills-de", False, "-", 0.0, None, text_right=True),
             turn("facts", True, "llm", 6.0, 1.2), turn("facts", False, "llm", 20.0, 1.0),
             turn("follow-up", True, "llm", 9.0, 1.1)]
    result = summary(turns)
    assert result["accuracy"] == pytest.approx(4 / 6)
    assert result["categories"]["skills-en"] == {"n": 2, "right": 2, "accuracy": 1.0,
                                                 "text_accuracy": 1.0}
    assert result["categories"]["skills-de"]["accuracy"] == 0.0
    assert result["categories"]["skills-de"]["text_accuracy"] == 1.0
    assert result["categories"]["arithmetic"] == {"n": 0, "right": 0, "accuracy": None,
                                                  "text_accuracy": None}
    assert result["answer_audio_s"]["n"] == 5 and result["answer_audio_s"]["median"] == 6.0
    assert result["llm_answer_audio_s"]["median"] == 9.0
    assert result["first_audio_s"]["skill"]["p95"] == 0.45
    assert result["first_audio_s"]["llm"]["median"] == 1.1
    assert result["targets"] == {"skills_all_right": False,
                                 "skill_first_audio_under_0_5_s": True,
                                 "median_answer_at_most_15_s": True}
    shown = table(result, "smollm2")
    assert "67% of 6 spoken questions right" in shown
    assert "target skills_all_right: NOT met" in shown
