"""Numbers, durations, times of day and dates written the way each language says them.

The Piper voices read digits well in their own language ("84", "vierundachtzig"), so numbers
stay digits; what they read badly is spelt out: "15:05" (read "fifteen zero five"), a minus
sign (read as nothing), "1 hora" (read "uno hora"), German "3." (read as the end of a
sentence, and the sentence splitter would cut there too).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from voicebox.skills.replies import phrase

DECIMALS = 3
DECIMAL_MARK = {"en": ".", "de": ",", "fr": ",", "es": ","}
# (one of it, several of it) for days, hours, minutes, seconds.
UNITS = {
    "en": (("1 day", "days"), ("1 hour", "hours"), ("1 minute", "minutes"),
           ("1 second", "seconds")),
    "de": (("ein Tag", "Tage"), ("eine Stunde", "Stunden"), ("eine Minute", "Minuten"),
           ("eine Sekunde", "Sekunden")),
    "fr": (("un jour", "jours"), ("une heure", "heures"), ("une minute", "minutes"),
           ("une seconde", "secondes")),
    "es": (("un día", "días"), ("una hora", "horas"), ("un minuto", "minutos"),
           ("un segundo", "segundos")),
}
UNIT_SECONDS = (86400, 3600, 60, 1)
WEEKDAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "es": "lunes martes miércoles jueves viernes sábado domingo",
}
MONTHS = {
    "en": "January February March April May June July August September October November "
          "December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre "
          "décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
          "diciembre",
}
GERMAN_DAYS = ("erste", "zweite", "dritte", "vierte", "fünfte", "sechste", "siebte", "achte",
               "neunte", "zehnte", "elfte", "zwölfte", "dreizehnte", "vierzehnte", "fünfzehnte",
               "sechzehnte", "siebzehnte", "achtzehnte", "neunzehnte")
GERMAN_UNITS = ("ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun")


def number(value: Fraction, language: str) -> str:
    """"84", "3.5" / "3,5", "about 0.333", "minus 5"."""
    if value < 0:
        return phrase(language, "minus", value=number(-value, language))
    if value.denominator == 1:
        return str(value.numerator)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    rounded = exact.quantize(Decimal(1).scaleb(-DECIMALS), rounding=ROUND_HALF_EVEN)
    text = f"{rounded.normalize():f}".replace(".", DECIMAL_MARK[language])
    return text if Fraction(rounded) == value else phrase(language, "about", value=text)


def duration(seconds: float, language: str) -> str:
    """"1 hour and 30 minutes", "eine Minute"; seconds are left out from an hour up."""
    left = round(seconds)
    parts = []
    for (one, several), size in zip(UNITS[language], UNIT_SECONDS, strict=True):
        count, left = divmod(left, size)
        if size == 1 and parts and seconds >= 3600:
            break
        if count:
            parts.append(one if count == 1 else f"{count} {several}")
    if not parts:
        parts.append(f"0 {UNITS[language][-1][1]}")
    return join(parts, language)


def join(items: list[str], language: str) -> str:
    """"a, b and c" in ``language``."""
    if len(items) < 2:
        return items[0]
    return f"{', '.join(items[:-1])} {phrase(language, 'and')} {items[-1]}"


def clock(hour: int, minute: int, language: str) -> str:
    """A time of day as said: "3 oh 5 PM", "15 Uhr 5", "15 heures 5", "las 3 y 5 de la tarde"."""
    if language == "de":
        return f"{hour} Uhr {minute}" if minute else f"{hour} Uhr"
    if language == "fr":
        hours = "heure" if hour in (0, 1) else "heures"
        return f"{hour} {hours} {minute}" if minute else f"{hour} {hours}"
    twelve = hour % 12 or 12
    if language == "es":
        article = "la" if twelve == 1 else "las"
        period = ("de la mañana" if hour < 12 else "de la tarde" if hour < 20
                  else "de la noche")
        minutes = f" y {minute}" if minute else " en punto"
        return f"{article} {twelve}{minutes} {period}"
    suffix = "AM" if hour < 12 else "PM"
    if not minute:
        return f"{twelve} {suffix}"
    return f"{twelve} {'oh ' if minute < 10 else ''}{minute} {suffix}"


def weekday(day: dt.date, language: str) -> str:
    """The day of the week's name."""
    return WEEKDAYS[language].split()[day.weekday()]


def date(day: dt.date, language: str) -> str:
    """"March 3rd, 2026", "dritte März 2026", "3 mars 2026", "3 de marzo de 2026"."""
    month = MONTHS[language].split()[day.month - 1]
    if language == "en":
        return f"{month} {day.day}{_english_suffix(day.day)}, {day.year}"
    if language == "de":
        return f"{_german_ordinal(day.day)} {month} {day.year}"
    if language == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{day.day} de {month} de {day.year}"


def _english_suffix(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _german_ordinal(day: int) -> str:
    """"dritte", "einundzwanzigste": a German voice reads "3." as a sentence end."""
    if day < 20:
        return GERMAN_DAYS[day - 1]
    tens = "zwanzigste" if day < 30 else "dreißigste"
    unit = day % 10
    return tens if unit == 0 else f"{GERMAN_UNITS[unit - 1]}und{tens}"
