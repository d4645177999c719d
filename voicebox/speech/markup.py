"""Markdown the model writes anyway, and symbols a voice misreads, turned into text it can say.

Small models answer in markdown even when told not to. Emphasis, code marks and link targets
would be read out literally ("asterisk asterisk"), so they are removed; link text, URLs and
e-mail addresses are kept as written, since dropping them would lose the answer. (List items
and headings become sentences of their own in the sentence splitter.) Unit symbols, currency
signs and clock times are spelt out per language by :func:`read_aloud`: the Piper voices
(espeak-ng's rules) read "5 km" as "five K M" and "3:05" as "three zero five".
"""

from __future__ import annotations

import re

MARKUP = re.compile(
    r"\[(?P<link>[^\]]*)\]\([^)\s]*\)"
    r"|(?P<url>(?:https?://|www\.)[^\s*`]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|```[\w+-]*|`"
    r"|(?<![^\W_])[*_]+(?=[^\s*_])|(?<=[^\s*_])[*_]+(?![^\W_])"
)
LEADING_CLOSERS = "»”)] "
ALNUM = re.compile(r"[^\W_]")


def _unmark(match: re.Match[str]) -> str:
    if match["link"] is not None:
        return MARKUP.sub(_unmark, match["link"])
    return match["url"] or ""


def speakable(text: str) -> str:
    """Text ready to be spoken: markdown removed (URLs and emails kept as they are), whitespace
    collapsed; "" if nothing speakable (no letter or digit) is left."""
    spoken = " ".join(MARKUP.sub(_unmark, text).split()).lstrip(LEADING_CLOSERS)
    return spoken if ALNUM.search(spoken) else ""


def _unit(en: tuple[str, str], de: tuple[str, str], fr: tuple[str, str],
          es: tuple[str, str]) -> dict[str, tuple[str, str]]:
    return {"en": en, "de": de, "fr": fr, "es": es}


# Symbol -> language -> (one, several). Read letter by letter otherwise: "5 km" is "five K M".
UNITS = {
    "km/h": _unit(("kilometre per hour", "kilometres per hour"), ("Kilometer pro Stunde",) * 2,
                  ("kilomètre par heure", "kilomètres par heure"),
                  ("kilómetro por hora", "kilómetros por hora")),
    "mph": _unit(("mile per hour", "miles per hour"), ("Meile pro Stunde", "Meilen pro Stunde"),
                 ("mile par heure", "miles par heure"), ("milla por hora", "millas por hora")),
    "kWh": _unit(("kilowatt hour", "kilowatt hours"), ("Kilowattstunde", "Kilowattstunden"),
                 ("kilowattheure", "kilowattheures"), ("kilovatio hora", "kilovatios hora")),
    "°C": _unit(("degree Celsius", "degrees Celsius"), ("Grad Celsius",) * 2,
                ("degré Celsius", "degrés Celsius"), ("grado Celsius", "grados Celsius")),
    "°F": _unit(("degree Fahrenheit", "degrees Fahrenheit"), ("Grad Fahrenheit",) * 2,
                ("degré Fahrenheit", "degrés Fahrenheit"),
                ("grado Fahrenheit", "grados Fahrenheit")),
    "km": _unit(("kilometre", "kilometres"), ("Kilometer",) * 2, ("kilomètre", "kilomètres"),
                ("kilómetro", "kilómetros")),
    "cm": _unit(("centimetre", "centimetres"), ("Zentimeter",) * 2,
                ("centimètre", "centimètres"), ("centímetro", "centímetros")),
    "mm": _unit(("millimetre", "millimetres"), ("Millimeter",) * 2,
                ("millimètre", "millimètres"), ("milímetro", "milímetros")),
    "kg": _unit(("kilogram", "kilograms"), ("Kilogramm",) * 2, ("kilogramme", "kilogrammes"),
                ("kilogramo", "kilogramos")),
    "mg": _unit(("milligram", "milligrams"), ("Milligramm",) * 2,
                ("milligramme", "milligrammes"), ("miligramo", "miligramos")),
    "ml": _unit(("millilitre", "millilitres"), ("Milliliter",) * 2, ("millilitre", "millilitres"),
                ("mililitro", "mililitros")),
    "min": _unit(("minute", "minutes"), ("Minute", "Minuten"), ("minute", "minutes"),
                 ("minuto", "minutos")),
    "m": _unit(("metre", "metres"), ("Meter",) * 2, ("mètre", "mètres"), ("metro", "metros")),
    "g": _unit(("gram", "grams"), ("Gramm",) * 2, ("gramme", "grammes"), ("gramo", "gramos")),
    "l": _unit(("litre", "litres"), ("Liter",) * 2, ("litre", "litres"), ("litro", "litros")),
    "h": _unit(("hour", "hours"), ("Stunde", "Stunden"), ("heure", "heures"), ("hora", "horas")),
}
CURRENCIES = {"$": _unit(("dollar", "dollars"), ("Dollar",) * 2, ("dollar", "dollars"),
                         ("dólar", "dólares")),
              "€": _unit(("euro", "euros"), ("Euro",) * 2, ("euro", "euros"), ("euro", "euros")),
              "£": _unit(("pound", "pounds"), ("Pfund",) * 2, ("livre", "livres"),
                         ("libra", "libras"))}
NUMBER = r"\d+(?:[.,]\d+)*"
UNIT_AFTER = re.compile(
    rf"(?<![\w.,])(?P<number>{NUMBER})[ \u00a0\u202f]?"
    rf"(?P<unit>{'|'.join(re.escape(u) for u in UNITS)})(?![^\W_]|/|°)")
CURRENCY_BEFORE = re.compile(rf"(?P<unit>[$€£])[ \u00a0]?(?P<number>{NUMBER})(?![\w.,]\d)")
CLOCK = re.compile(r"(?<![\w:.])(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?![\w:])"
                   r"(?:[ \u00a0](?P<uhr>Uhr))?")


def _one_or_several(number: str, names: tuple[str, str]) -> str:
    return f"{number} {names[0] if number == '1' else names[1]}"


def _clock(match: re.Match[str], language: str) -> str:
    hour, minute = int(match["hour"]), int(match["minute"])
    tail = f" {match['uhr']}" if match["uhr"] and language != "de" else ""
    if language == "de":
        return f"{hour} Uhr {minute}" if minute else f"{hour} Uhr"
    if language == "fr":
        return f"{hour} heures {minute}" if minute else f"{hour} heures"
    if language == "es":
        return f"{hour} y {minute}" if minute else f"{hour} en punto"
    spoken = f"{hour} oh {minute}" if 0 < minute < 10 else f"{hour} {minute}" if minute else (
        f"{hour} o'clock")
    return spoken + tail


def read_aloud(text: str, language: str) -> str:
    """Units, currencies and clock times as a voice in ``language`` should say them:
    "5 km" -> "5 kilometres", "20°C" -> "20 Grad Celsius", "$5" -> "5 dollars",
    "3:05" -> "3 oh 5" ("three zero five" otherwise). Numbers stay digits (every voice
    reads them well); a language without a table is left as it is."""
    if language not in UNITS["km"]:
        return text
    text = CLOCK.sub(lambda m: _clock(m, language), text)
    text = UNIT_AFTER.sub(
        lambda m: _one_or_several(m["number"], UNITS[m["unit"]][language]), text)
    return CURRENCY_BEFORE.sub(
        lambda m: _one_or_several(m["number"], CURRENCIES[m["unit"]][language]), text)
