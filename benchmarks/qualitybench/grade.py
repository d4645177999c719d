"""Grading an answer by the words and numbers it must contain.

Answers and expected words go through the skills' own :func:`words`, so "Eighty-four",
"84." and "eighty four" meet in one form; an expected phrase must appear as whole words
("rome" is not found in "romeo"). Expectations about the clock are filled from the local time
when the question was asked and a minute later, so a turn that crosses a minute or an hour
is not graded wrong.
"""

from __future__ import annotations

import datetime as dt

from voicebox.llm.prompt import MONTHS, WEEKDAYS
from voicebox.skills.words import words

SLACK = dt.timedelta(minutes=1)


def clock_words(now: dt.datetime) -> dict[str, str]:
    """What ``{hour}``, ``{weekday}``, ``{day}`` and ``{month}`` stand for at ``now``."""
    return {"hour": str(now.hour % 12 or 12), "weekday": WEEKDAYS[now.weekday()],
            "day": str(now.day), "month": MONTHS[now.month - 1]}


def fill(expect: tuple[str, ...], asked: dt.datetime) -> tuple[str, ...]:
    """``expect`` with the clock placeholders filled for ``asked`` and a minute later
    (either is right: "{hour}" at 13:59:50 becomes "1|2")."""
    moments = [clock_words(asked), clock_words(asked + SLACK)]
    filled = []
    for entry in expect:
        alternatives = dict.fromkeys(entry.format(**moment) for moment in moments)
        filled.append("|".join(alternatives))
    return tuple(filled)


def is_right(answer: str, expect: tuple[str, ...]) -> bool:
    """Whether ``answer`` holds every entry of ``expect`` (``a|b``: either)."""
    said = f" {' '.join(words(answer))} "
    return all(any(f" {' '.join(words(option))} " in said for option in entry.split("|"))
               for entry in expect)
