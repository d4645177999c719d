"""Spoken durations: "five minutes", "an hour and a half", "1 Stunde und 30 Minuten",
"une demi-heure", "un cuarto de hora", "90 seconds".

A duration is one or more parts, each a quantity and a unit, joined by "and" (or nothing:
"one hour thirty minutes"). A quantity is a number (see :mod:`.numbers`), an article ("an
hour"), or a fraction said before the unit ("half an hour", "eine halbe Stunde"); "and a
half" after a unit adds half of it. Zero and enormous durations are parsed as what was said:
refusing them, with a reason, is the timer's business, not the parser's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from voicebox.skills.numbers import parse_number

MINUTE, HOUR, DAY = 60, 3600, 86400
HALF, QUARTER = Fraction(1, 2), Fraction(1, 4)


@dataclass(frozen=True)
class DurationWords:
    """One language's words for durations (folded, see :func:`~voicebox.skills.words.fold`)."""

    units: Mapping[str, int]
    """Unit words and their length in seconds."""
    joiners: frozenset[str]
    articles: frozenset[str]
    """Words that mean one of the unit: "an hour"."""
    fractions: Mapping[tuple[str, ...], Fraction]
    """A share of the unit said before it: ("half", "an") hour."""
    after: Mapping[tuple[str, ...], Fraction]
    """A share of the unit said after it: hour ("and", "a", "half")."""


def _units(seconds: int, *names: str) -> dict[str, int]:
    return dict.fromkeys(names, seconds)


EN = DurationWords(
    units={**_units(1, "second", "seconds", "sec", "secs"),
           **_units(MINUTE, "minute", "minutes", "min", "mins"),
           **_units(HOUR, "hour", "hours", "hr", "hrs"), **_units(DAY, "day", "days")},
    joiners=frozenset({"and"}), articles=frozenset({"a", "an"}),
    fractions={("half", "an"): HALF, ("half", "a"): HALF, ("a", "half"): HALF,
               ("a", "quarter", "of", "an"): QUARTER, ("quarter", "of", "an"): QUARTER,
               ("a", "quarter"): QUARTER, ("quarter",): QUARTER},
    after={("and", "a", "half"): HALF, ("and", "a", "quarter"): QUARTER})
DE = DurationWords(
    units={**_units(1, "sekunde", "sekunden"), **_units(MINUTE, "minute", "minuten"),
           **_units(HOUR, "stunde", "stunden"), **_units(DAY, "tag", "tage", "tagen"),
           **_units(15 * MINUTE, "viertelstunde"), **_units(45 * MINUTE, "dreiviertelstunde")},
    joiners=frozenset({"und"}), articles=frozenset({"ein", "eine", "einen", "einer"}),
    fractions={("eine", "halbe"): HALF, ("einer", "halben"): HALF, ("halbe",): HALF},
    after={})
FR = DurationWords(
    units={**_units(1, "seconde", "secondes"), **_units(MINUTE, "minute", "minutes"),
           **_units(HOUR, "heure", "heures"), **_units(DAY, "jour", "jours")},
    joiners=frozenset({"et"}), articles=frozenset({"un", "une"}),
    fractions={("une", "demi"): HALF, ("demi",): HALF, ("un", "quart", "d'"): QUARTER},
    after={("et", "demie"): HALF, ("et", "demi"): HALF, ("et", "quart"): QUARTER})
ES = DurationWords(
    units={**_units(1, "segundo", "segundos"), **_units(MINUTE, "minuto", "minutos"),
           **_units(HOUR, "hora", "horas"), **_units(DAY, "dia", "dias")},
    joiners=frozenset({"y"}), articles=frozenset({"un", "una"}),
    fractions={("media",): HALF, ("un", "cuarto", "de"): QUARTER},
    after={("y", "media"): HALF, ("y", "medio"): HALF, ("y", "cuarto"): QUARTER})
LANGUAGES: dict[str, DurationWords] = {"en": EN, "de": DE, "fr": FR, "es": ES}


def parse_duration(tokens: Sequence[str], language: str) -> Fraction | None:
    """Seconds, or None if ``tokens`` are not exactly a duration in ``language``."""
    vocabulary = LANGUAGES.get(language)
    if vocabulary is None:
        return None
    total, start, parts, at = Fraction(0), 0, 0, 0
    while at < len(tokens):
        unit = vocabulary.units.get(tokens[at])
        if unit is None:
            at += 1
            continue
        quantity = _quantity(tokens[start:at], vocabulary, language)
        if quantity is None:
            return None
        at += 1
        share = next((s for s in vocabulary.after if tuple(tokens[at:at + len(s)]) == s), ())
        at += len(share)
        total += (quantity + vocabulary.after.get(share, 0)) * unit
        parts += 1
        if at < len(tokens) - 1 and tokens[at] in vocabulary.joiners:
            at += 1
        start = at
    return total if parts and start == len(tokens) else None


def _quantity(tokens: Sequence[str], vocabulary: DurationWords,
              language: str) -> Fraction | None:
    """How many of the unit: "five", "an", "half an", "1.5"; never negative."""
    key = tuple(tokens)
    if key in vocabulary.fractions:
        return vocabulary.fractions[key]
    if len(key) == 1 and key[0] in vocabulary.articles:
        return Fraction(1)
    number = parse_number(key, language)
    return number if number is not None and number >= 0 else None
