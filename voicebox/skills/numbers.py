"""Spoken numbers in English, German, French and Spanish, as whisper writes them.

Whisper writes small numbers as words and larger ones as digits, and not always the same way
twice ("twelve times seven", "12 times 7", "zwölf mal sieben", "douze fois 7"), so a number
is either digits (with the language's decimal comma or point) or number words. Words are
added up with one rule that rejects what no one says: a part must be smaller than the place
the number so far leaves free ("twenty one" is 21, "twelve seven" is no number at all, so the
sentence goes to the LLM instead of being answered as 19). French counts 70 and 90 on top of
60 and 80 ("soixante-dix", "quatre-vingt-dix-neuf"); German glues its words together with the
units before the tens ("dreiundzwanzig"), so its words are cut into known parts first.

Values are exact fractions: 0.1 + 0.2 is 0.3, and a division is rounded only when spoken.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
SMALL, HUNDRED, BIG, JOIN = "small", "hundred", "big", "join"
HALF = Fraction(1, 2)


def _tens(names: str, start: int = 0, step: int = 1) -> dict[str, int]:
    return {name: start + step * index for index, name in enumerate(names.split())}


@dataclass(frozen=True)
class NumberWords:
    """One language's number vocabulary (folded: lower case, no accents, ß as ss)."""

    small: Mapping[str, int]
    """Words worth 0..999 that add up: "twenty" "one"."""
    hundreds: frozenset[str]
    """Words that multiply what came before by 100 ("two hundred")."""
    big: Mapping[str, int]
    """Thousand, million: close a group of three digits."""
    joiners: frozenset[str]
    """Said between parts and worth nothing: "one hundred and five", "vingt et un"."""
    point: frozenset[str]
    minus: frozenset[str]
    thousands_separator: str
    """In digits: "1,000" in English, "1.000" in the others (where "3,5" is 3.5)."""
    articles: frozenset[str] = frozenset()
    """One, but only before a multiplier: "a hundred"."""
    wide_tens: frozenset[int] = frozenset()
    """Tens that take 1..19 after them (French 60 and 80)."""
    glued: bool = False
    """German: number words written as one word, units before tens."""
    half_suffixes: tuple[tuple[str, ...], ...] = ()
    """What adds a half after a number: "one and a half"."""
    glued_half: str = ""
    """The same, glued to the number's last word: German "zweieinhalb"."""
    exact: Mapping[str, Fraction] = field(default_factory=dict)
    """Words that are a whole number on their own: "anderthalb"."""


EN = NumberWords(
    small={**_tens("zero one two three four five six seven eight nine ten eleven twelve "
                   "thirteen fourteen fifteen sixteen seventeen eighteen nineteen"),
           **_tens("twenty thirty forty fifty sixty seventy eighty ninety", 20, 10)},
    hundreds=frozenset({"hundred"}), big={"thousand": 1000, "million": 10**6,
                                          "billion": 10**9},
    joiners=frozenset({"and"}), point=frozenset({"point"}),
    minus=frozenset({"minus", "negative"}), thousands_separator=",",
    articles=frozenset({"a", "an"}), half_suffixes=(("and", "a", "half"),))
DE = NumberWords(
    small={**_tens("null eins zwei drei vier funf sechs sieben acht neun zehn elf zwolf "
                   "dreizehn vierzehn funfzehn sechzehn siebzehn achtzehn neunzehn"),
           **_tens("zwanzig dreissig vierzig funfzig sechzig siebzig achtzig neunzig", 20, 10),
           "ein": 1, "eine": 1, "einen": 1, "einer": 1, "zwo": 2},
    hundreds=frozenset({"hundert"}),
    big={"tausend": 1000, "million": 10**6, "millionen": 10**6},
    joiners=frozenset({"und"}), point=frozenset({"komma"}), minus=frozenset({"minus"}),
    thousands_separator=".", glued=True, glued_half="einhalb", exact={"anderthalb": Fraction(3, 2)})
FR = NumberWords(
    small={**_tens("zero un deux trois quatre cinq six sept huit neuf dix onze douze treize "
                   "quatorze quinze seize"),
           **_tens("vingt trente quarante cinquante soixante septante huitante nonante",
                   20, 10),
           "une": 1, "vingts": 20, "octante": 80},
    hundreds=frozenset({"cent", "cents"}),
    big={"mille": 1000, "million": 10**6, "millions": 10**6},
    joiners=frozenset({"et"}), point=frozenset({"virgule"}), minus=frozenset({"moins"}),
    thousands_separator=".", wide_tens=frozenset({60, 80}),
    half_suffixes=(("et", "demi"), ("et", "demie")))
ES = NumberWords(
    small={**_tens("cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece "
                   "catorce quince dieciseis diecisiete dieciocho diecinueve veinte veintiuno "
                   "veintidos veintitres veinticuatro veinticinco veintiseis veintisiete "
                   "veintiocho veintinueve"),
           **_tens("treinta cuarenta cincuenta sesenta setenta ochenta noventa", 30, 10),
           **_tens("cien doscientos trescientos cuatrocientos quinientos seiscientos "
                   "setecientos ochocientos novecientos", 100, 100),
           **_tens("doscientas trescientas cuatrocientas quinientas seiscientas setecientas "
                   "ochocientas novecientas", 200, 100),
           "un": 1, "una": 1, "veintiun": 21, "veintiuna": 21, "ciento": 100},
    hundreds=frozenset(), big={"mil": 1000, "millon": 10**6, "millones": 10**6},
    joiners=frozenset({"y"}), point=frozenset({"coma", "punto"}), minus=frozenset({"menos"}),
    thousands_separator=".", half_suffixes=(("y", "medio"), ("y", "media")))
LANGUAGES: dict[str, NumberWords] = {"en": EN, "de": DE, "fr": FR, "es": ES}


def parse_number(tokens: Sequence[str], language: str) -> Fraction | None:
    """The number ``tokens`` say in ``language``, or None if they are not exactly a number."""
    vocabulary = LANGUAGES.get(language)
    if vocabulary is None or not tokens:
        return None
    tokens = list(tokens)
    sign = 1
    if tokens[0] in vocabulary.minus:
        sign, tokens = -1, tokens[1:]
    half = _half_suffix(tokens, vocabulary)
    if half:
        tokens = tokens[: -len(half)]
    value = _unsigned(tokens, vocabulary)
    if value is None:
        return None
    return sign * (value + (HALF if half else 0))


def _half_suffix(tokens: list[str], vocabulary: NumberWords) -> tuple[str, ...]:
    """The words that add a half at the end of ``tokens`` (a glued one is cut off in place)."""
    glued = vocabulary.glued_half
    if glued and tokens and tokens[-1].endswith(glued) and len(tokens[-1]) > len(glued):
        tokens[-1] = tokens[-1][: -len(glued)]
        tokens.append(glued)
        return (glued,)
    for suffix in vocabulary.half_suffixes:
        if len(tokens) > len(suffix) and tuple(tokens[-len(suffix):]) == suffix:
            return suffix
    return ()


def _unsigned(tokens: list[str], vocabulary: NumberWords) -> Fraction | None:
    if len(tokens) == 1 and tokens[0] in vocabulary.exact:
        return vocabulary.exact[tokens[0]]
    if any(DIGITS.fullmatch(token) for token in tokens):
        return _digits(tokens, vocabulary)
    point = next((i for i, token in enumerate(tokens) if token in vocabulary.point), None)
    if point is None:
        return _words(tokens, vocabulary)
    whole = _words(tokens[:point], vocabulary)
    decimals = _decimal_digits(tokens[point + 1:], vocabulary)
    if whole is None or decimals is None:
        return None
    return whole + Fraction(int(decimals), 10 ** len(decimals))


def _digits(tokens: list[str], vocabulary: NumberWords) -> Fraction | None:
    """"12", "1,000", "3,5", "2.5 million": one written number, perhaps times a big word."""
    if len(tokens) > 2 or not DIGITS.fullmatch(tokens[0]):
        return None
    value = digits_value(tokens[0], vocabulary.thousands_separator)
    if len(tokens) == 1 or value is None:
        return value
    multiplier = vocabulary.big.get(tokens[1])
    return value * multiplier if multiplier else None


def digits_value(text: str, thousands_separator: str) -> Fraction | None:
    """A number written in digits; groups of three after the thousands separator, else the
    separator is a decimal mark ("3.5" is 3.5 in German too: whisper writes it so)."""
    grouped = rf"\d{{1,3}}(?:{re.escape(thousands_separator)}\d{{3}})+"
    if re.fullmatch(grouped, text):
        return Fraction(int(text.replace(thousands_separator, "")))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return Fraction(text.replace(",", "."))
    return None


def _decimal_digits(tokens: list[str], vocabulary: NumberWords) -> str | None:
    """After "point": digit by digit ("one four") or one number ("fünfundzwanzig")."""
    if not tokens:
        return None
    singles = [vocabulary.small.get(token) for token in tokens]
    if len(tokens) > 1 and all(value is not None and value < 10 for value in singles):
        return "".join(str(value) for value in singles)
    value = _words(tokens, vocabulary)
    return str(value) if value is not None else None


def _words(tokens: list[str], vocabulary: NumberWords) -> Fraction | None:
    parts = _parts(tokens, vocabulary)
    if not parts or parts[0][0] == JOIN or parts[-1][0] == JOIN:
        return None
    total, group, last_big = 0, 0, 0
    for kind, value in parts:
        if kind == SMALL and not _fits(group, value, vocabulary.wide_tens):
            return None
        if kind == SMALL:
            group += value
        elif kind == HUNDRED:
            if group >= 100:
                return None
            group = (group or 1) * 100
        elif kind == BIG:
            if (last_big and value >= last_big) or group >= 1000:
                return None
            total, group, last_big = total + (group or 1) * value, 0, value
    return Fraction(total + group)


def _fits(group: int, value: int, wide_tens: frozenset[int]) -> bool:
    """Whether ``value`` can follow ``group``: 20 + 1, 100 + 20, French 60 + 19; not 12 + 7."""
    if group == 0:
        return True
    if value == 0:
        return False
    if group % 100 in wide_tens:
        return value < 20
    free = 1
    while group % (free * 10) == 0:
        free *= 10
    return value < free


def _parts(tokens: list[str], vocabulary: NumberWords) -> list[tuple[str, int]]:
    """Each word's role; [] if a word is not part of a number."""
    pieces = [piece for token in tokens for piece in _pieces(token, vocabulary)]
    parts: list[tuple[str, int]] = []
    for index, piece in enumerate(pieces):
        following = pieces[index + 1] if index + 1 < len(pieces) else ""
        part = _part(piece, following, vocabulary)
        if part is None:
            return []
        parts.append(part)
    return _units_before_tens(parts) if vocabulary.glued else _merge_quatre_vingt(parts)


def _part(piece: str, following: str, vocabulary: NumberWords) -> tuple[str, int] | None:
    if piece in vocabulary.small:
        return SMALL, vocabulary.small[piece]
    if piece in vocabulary.hundreds:
        return HUNDRED, 100
    if piece in vocabulary.big:
        return BIG, vocabulary.big[piece]
    if piece in vocabulary.joiners:
        return JOIN, 0
    multiplier = following in vocabulary.hundreds or following in vocabulary.big
    if piece in vocabulary.articles and multiplier:
        return SMALL, 1
    return None


def _merge_quatre_vingt(parts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """French "quatre vingt(s)" is 80, not 4 then 20 (a no-op for the other languages)."""
    merged: list[tuple[str, int]] = []
    for part in parts:
        if merged and merged[-1] == (SMALL, 4) and part == (SMALL, 20):
            merged[-1] = (SMALL, 80)
        else:
            merged.append(part)
    return merged


def _units_before_tens(parts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """German "drei und zwanzig" is 23: the unit and "und" fold into the tens after them."""
    out: list[tuple[str, int]] = []
    for part in parts:
        if (len(out) >= 2 and out[-1][0] == JOIN and out[-2][0] == SMALL
                and 0 < out[-2][1] < 10 and part[0] == SMALL and part[1] in range(20, 100, 10)):
            unit = out[-2][1]
            del out[-2:]
            out.append((SMALL, part[1] + unit))
        else:
            out.append(part)
    return out


def _pieces(token: str, vocabulary: NumberWords) -> list[str]:
    """A German word cut into number words ("dreiundzwanzig" -> drei, und, zwanzig)."""
    if not vocabulary.glued or token in vocabulary.small or token in vocabulary.exact:
        return [token]
    known = sorted({*vocabulary.small, *vocabulary.hundreds, *vocabulary.big,
                    *vocabulary.joiners}, key=len, reverse=True)
    return _segment(token, known) or [token]


def _segment(word: str, known: list[str]) -> list[str] | None:
    if not word:
        return []
    for piece in known:
        if word.startswith(piece):
            rest = _segment(word[len(piece):], known)
            if rest is not None:
                return [piece, *rest]
    return None
