"""Spoken clock times: "7:30", "seven thirty pm", "half past seven", "halb acht",
"huit heures moins le quart", "las siete y media", "noon".

The parser says which hour and minute were said, and whether morning or evening was; it does
not judge them. "25 o'clock" parses as hour 25, so the alarm can answer "there is no 25
o'clock" instead of the question going to the LLM, which would make something up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from voicebox.skills.numbers import parse_number

AM, PM = "am", "pm"
DIGITAL = re.compile(r"(\d{1,2})[:.](\d{2})")


@dataclass(frozen=True)
class ClockTime:
    """A time of day as said: ``half_day`` is AM, PM or None (not said)."""

    hour: int
    minute: int
    half_day: str | None = None


@dataclass(frozen=True)
class ClockWords:
    """One language's words for the time of day (folded)."""

    hour_words: tuple[tuple[str, ...], ...]
    """After the hour: ("o'", "clock"), ("uhr",), ("heures",)."""
    past: frozenset[str]
    to: frozenset[str]
    minutes_first: bool
    """"ten past seven" (English, German) or "sept heures moins dix" (French, Spanish)."""
    quarter: frozenset[tuple[str, ...]]
    half: frozenset[tuple[str, ...]]
    half_day: Mapping[tuple[str, ...], str]
    named: Mapping[tuple[str, ...], int]
    """Hours with a name: noon, midnight."""
    minute_words: frozenset[str] = frozenset()
    half_before: frozenset[str] = frozenset()
    """German "halb acht" is 7:30: half *before* the hour named."""


EN = ClockWords(
    hour_words=(("o'", "clock"), ("oclock",), ("hours",)), past=frozenset({"past", "after"}),
    to=frozenset({"to", "before", "till"}), minutes_first=True,
    quarter=frozenset({("quarter",), ("a", "quarter")}), half=frozenset({("half",)}),
    half_day={("am",): AM, ("a", "m"): AM, ("pm",): PM, ("p", "m"): PM,
              ("in", "the", "morning"): AM, ("in", "the", "afternoon"): PM,
              ("in", "the", "evening"): PM, ("at", "night"): PM, ("tonight",): PM},
    named={("noon",): 12, ("midday",): 12, ("midnight",): 0},
    minute_words=frozenset({"minute", "minutes"}))
DE = ClockWords(
    hour_words=(("uhr",),), past=frozenset({"nach"}), to=frozenset({"vor"}),
    minutes_first=True, quarter=frozenset({("viertel",)}), half=frozenset(),
    half_day={("morgens",): AM, ("fruh",): AM, ("vormittags",): AM, ("nachmittags",): PM,
              ("abends",): PM, ("am", "abend"): PM, ("am", "morgen"): AM, ("nachts",): PM},
    named={("mittag",): 12, ("mitternacht",): 0}, minute_words=frozenset({"minuten"}),
    half_before=frozenset({"halb"}))
FR = ClockWords(
    hour_words=(("heures",), ("heure",), ("h",)), past=frozenset({"et"}),
    to=frozenset({"moins"}), minutes_first=False,
    quarter=frozenset({("quart",), ("le", "quart")}), half=frozenset({("demie",), ("demi",)}),
    half_day={("du", "matin"): AM, ("de", "l'", "apres", "midi"): PM, ("du", "soir"): PM},
    named={("midi",): 12, ("minuit",): 0}, minute_words=frozenset({"minutes"}))
ES = ClockWords(
    hour_words=(), past=frozenset({"y"}), to=frozenset({"menos"}), minutes_first=False,
    quarter=frozenset({("cuarto",)}), half=frozenset({("media",)}),
    half_day={("de", "la", "manana"): AM, ("de", "la", "tarde"): PM,
              ("de", "la", "noche"): PM, ("de", "la", "madrugada"): AM},
    named={("mediodia",): 12, ("medianoche",): 0}, minute_words=frozenset({"minutos"}))
LANGUAGES: dict[str, ClockWords] = {"en": EN, "de": DE, "fr": FR, "es": ES}


def parse_clock_time(tokens: Sequence[str], language: str) -> ClockTime | None:
    """The time of day ``tokens`` say, or None if they say none."""
    vocabulary = LANGUAGES.get(language)
    if vocabulary is None or not tokens:
        return None
    tokens, half_day = _half_day(tuple(tokens), vocabulary)
    found = (_named(tokens, vocabulary) or _relative(tokens, vocabulary, language)
             or _plain(tokens, vocabulary, language))
    if found is None:
        return None
    return ClockTime(found[0], found[1], half_day)


def _half_day(tokens: tuple[str, ...], vocabulary: ClockWords) -> tuple[tuple[str, ...],
                                                                         str | None]:
    for words, half_day in vocabulary.half_day.items():
        if len(tokens) > len(words) and tokens[-len(words):] == words:
            return tokens[: -len(words)], half_day
    return tokens, None


def _named(tokens: tuple[str, ...], vocabulary: ClockWords) -> tuple[int, int] | None:
    hour = vocabulary.named.get(tokens)
    return None if hour is None else (hour, 0)


def _whole(tokens: Sequence[str], language: str) -> int | None:
    value = parse_number(tokens, language)
    return int(value) if value is not None and value >= 0 and value.denominator == 1 else None


def _minutes(tokens: tuple[str, ...], vocabulary: ClockWords, language: str) -> int | None:
    """"ten", "ten minutes", "quarter", "half"."""
    if tokens in vocabulary.quarter:
        return 15
    if tokens in vocabulary.half:
        return 30
    if tokens and tokens[-1] in vocabulary.minute_words:
        tokens = tokens[:-1]
    return _whole(tokens, language)


def _hour(tokens: tuple[str, ...], vocabulary: ClockWords, language: str) -> int | None:
    """"seven", "seven o'clock", "sept heures"."""
    for words in vocabulary.hour_words:
        if len(tokens) > len(words) and tokens[-len(words):] == words:
            tokens = tokens[: -len(words)]
            break
    return _whole(tokens, language)


def _relative(tokens: tuple[str, ...], vocabulary: ClockWords,
              language: str) -> tuple[int, int] | None:
    """"half past seven", "viertel vor acht", "halb acht", "las ocho menos cuarto"."""
    if len(tokens) > 1 and tokens[0] in vocabulary.half_before:
        hour = _whole(tokens[1:], language)
        return None if hour is None else ((hour - 1) % 24, 30)
    for at, word in enumerate(tokens):
        if word not in vocabulary.past | vocabulary.to or at in (0, len(tokens) - 1):
            continue
        first, second = tokens[:at], tokens[at + 1:]
        if second[:1] == ("le",) and not vocabulary.minutes_first:
            second = second[1:]
        minutes_words, hour_words = (first, second) if vocabulary.minutes_first else (
            second, first)
        hour = _hour(hour_words, vocabulary, language)
        minutes = _minutes(minutes_words, vocabulary, language)
        if hour is None or minutes is None:
            continue
        if word in vocabulary.past:
            return hour, minutes
        return (hour - 1) % 24, 60 - minutes
    return None


def _plain(tokens: tuple[str, ...], vocabulary: ClockWords,
           language: str) -> tuple[int, int] | None:
    """"7:30", "seven thirty", "sieben Uhr dreißig", "19 h 30", "seven o'clock"."""
    digital = DIGITAL.fullmatch(tokens[0])
    if digital:
        rest = _hour_word_only(tokens[1:], vocabulary)
        return (int(digital[1]), int(digital[2])) if rest else None
    for split in range(len(tokens), 0, -1):
        hour = _hour(tokens[:split], vocabulary, language)
        if hour is None:
            continue
        if split == len(tokens):
            return hour, 0
        minutes = _minutes(tokens[split:], vocabulary, language)
        if minutes is not None:
            return hour, minutes
    return None


def _hour_word_only(tokens: tuple[str, ...], vocabulary: ClockWords) -> bool:
    """Nothing, or only an hour word, may follow "7:30" ("7:30 Uhr")."""
    return not tokens or tokens in vocabulary.hour_words
