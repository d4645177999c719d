"""Durations and clock times as people say them, per language."""

from __future__ import annotations

import pytest

from voicebox.skills.clocktimes import AM, PM, ClockTime, parse_clock_time
from voicebox.skills.durations import parse_duration
from voicebox.skills.words import words

DURATIONS = [
    ("en", "five minutes", 300), ("en", "an hour and a half", 5400),
    ("en", "one and a half hours", 5400), ("en", "half an hour", 1800),
    ("en", "1 hour 30 minutes", 5400), ("en", "one hour and thirty minutes", 5400),
    ("en", "90 seconds", 90), ("en", "a quarter of an hour", 900), ("en", "0 seconds", 0),
    ("en", "400 days", 400 * 86400), ("en", "2 days", 172800), ("en", "a minute", 60),
    ("de", "fünf Minuten", 300), ("de", "eine halbe Stunde", 1800),
    ("de", "anderthalb Stunden", 5400), ("de", "zweieinhalb Stunden", 9000),
    ("de", "1 Stunde und 30 Minuten", 5400), ("de", "eine Viertelstunde", 900),
    ("fr", "cinq minutes", 300), ("fr", "une demi-heure", 1800),
    ("fr", "une heure et demie", 5400), ("fr", "un quart d'heure", 900),
    ("fr", "deux heures et quart", 8100),
    ("es", "cinco minutos", 300), ("es", "media hora", 1800), ("es", "una hora y media", 5400),
    ("es", "un cuarto de hora", 900), ("es", "dos horas y diez minutos", 7800),
]


@pytest.mark.parametrize(("language", "said", "seconds"), DURATIONS)
def test_durations(language: str, said: str, seconds: int) -> None:
    assert parse_duration(words(said), language) == seconds


@pytest.mark.parametrize("said", ["five", "minutes", "five minutes and", "minus five minutes",
                                  "five apples", "the minutes"])
def test_what_is_not_a_duration(said: str) -> None:
    assert parse_duration(words(said), "en") is None


CLOCK_TIMES = [
    ("en", "7:30", ClockTime(7, 30)), ("en", "7:30 a.m.", ClockTime(7, 30, AM)),
    ("en", "seven thirty pm", ClockTime(7, 30, PM)), ("en", "half past seven", ClockTime(7, 30)),
    ("en", "quarter to eight", ClockTime(7, 45)), ("en", "ten past seven", ClockTime(7, 10)),
    ("en", "seven o'clock", ClockTime(7, 0)), ("en", "25 o'clock", ClockTime(25, 0)),
    ("en", "noon", ClockTime(12, 0)), ("en", "7 in the morning", ClockTime(7, 0, AM)),
    ("en", "twenty minutes to eight", ClockTime(7, 40)), ("en", "6", ClockTime(6, 0)),
    ("de", "7 Uhr", ClockTime(7, 0)), ("de", "sieben Uhr dreißig", ClockTime(7, 30)),
    ("de", "halb acht", ClockTime(7, 30)), ("de", "viertel vor acht", ClockTime(7, 45)),
    ("de", "19:30 Uhr", ClockTime(19, 30)), ("de", "7 Uhr morgens", ClockTime(7, 0, AM)),
    ("de", "zehn nach sieben", ClockTime(7, 10)),
    ("fr", "sept heures", ClockTime(7, 0)), ("fr", "7h30", ClockTime(7, 30)),
    ("fr", "sept heures et demie", ClockTime(7, 30)),
    ("fr", "huit heures moins le quart", ClockTime(7, 45)),
    ("fr", "huit heures moins dix", ClockTime(7, 50)), ("fr", "midi", ClockTime(12, 0)),
    ("fr", "7 heures du matin", ClockTime(7, 0, AM)),
    ("es", "siete", ClockTime(7, 0)), ("es", "siete y media", ClockTime(7, 30)),
    ("es", "ocho menos cuarto", ClockTime(7, 45)),
    ("es", "siete y diez de la tarde", ClockTime(7, 10, PM)),
]


@pytest.mark.parametrize(("language", "said", "time"), CLOCK_TIMES)
def test_clock_times(language: str, said: str, time: ClockTime) -> None:
    assert parse_clock_time(words(said), language) == time


@pytest.mark.parametrize("said", ["seven point five", "the morning", "7:30 apples", "past"])
def test_what_is_not_a_clock_time(said: str) -> None:
    assert parse_clock_time(words(said), "en") is None
