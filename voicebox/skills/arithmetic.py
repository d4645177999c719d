"""Small sums on spoken numbers: "what is twelve times seven", "zwölf mal sieben",
"combien font douze fois sept", "cuánto es doce por siete", "12 × 7".

Exact (fractions), so 0.1 plus 0.2 is 0.3; a result that is not exact in three decimals is
said as "about 0.333". One operation per question: "2 plus 2 plus 2" is no template's, and
goes to the LLM rather than being answered wrongly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from voicebox.skills import spoken
from voicebox.skills.base import Context, Templates
from voicebox.skills.replies import say

SUM = "{a:number} {op:operator} {b:number}"
SIGNS = {"+": "+", "-": "-", "*": "*", "×": "*", "x": "*", "/": "/", "÷": "/"}
OPERATORS: dict[str, dict[str, str]] = {
    "en": {"plus": "+", "minus": "-", "less": "-", "take away": "-",
           "times": "*", "multiplied by": "*", "divided by": "/", "over": "/"},
    "de": {"plus": "+", "minus": "-", "weniger": "-", "mal": "*", "multipliziert mit": "*",
           "geteilt durch": "/", "dividiert durch": "/", "durch": "/"},
    "fr": {"plus": "+", "moins": "-", "fois": "*", "multiplie par": "*", "divise par": "/",
           "sur": "/"},
    "es": {"mas": "+", "menos": "-", "por": "*", "multiplicado por": "*",
           "dividido entre": "/", "dividido por": "/", "entre": "/"},
}
SAID = {"en": {"+": "plus", "-": "minus", "*": "times", "/": "divided by"},
        "de": {"+": "plus", "-": "minus", "*": "mal", "/": "geteilt durch"},
        "fr": {"+": "plus", "-": "moins", "*": "fois", "/": "divisé par"},
        "es": {"+": "más", "-": "menos", "*": "por", "/": "entre"}}
TEMPLATES: Templates = {
    "en": {"sum": (f"[what is|what's|whats|how much is|calculate|compute] {SUM} [equals]",
                   f"(what|how much) (does|do) {SUM} (make|equal|give)")},
    "de": {"sum": (f"[was ist|was sind|was gibt|was ergibt|wie viel ist|wieviel ist|"
                   f"wie viel sind|wieviel sind|rechne|berechne] {SUM}",)},
    "fr": {"sum": (f"[combien font|combien fait|combien ça fait|ça fait combien|calcule|"
                   f"c'est combien] {SUM}", f"{SUM} (ça fait combien|font combien|égale)")},
    "es": {"sum": (f"[cuánto es|cuánto son|cuántos son|calcula|qué es|cuánto da] {SUM}",)},
}


def parse_operator(tokens: Sequence[str], language: str) -> str | None:
    """"+", "-", "*" or "/" for an operator word or sign, else None."""
    said = " ".join(tokens)
    return SIGNS.get(said) or OPERATORS.get(language, {}).get(said)


def calculate(a: Fraction, operator: str, b: Fraction) -> Fraction | None:
    """``a operator b``; None for a division by zero."""
    if operator == "/":
        return a / b if b else None
    return {"+": a + b, "-": a - b, "*": a * b}[operator]


class ArithmeticSkill:
    """One operation on two numbers."""

    name = "arithmetic"
    templates = TEMPLATES

    def answer(self, intent: str, slots: Mapping[str, Any], context: Context) -> str:
        """"12 times 7 is 84." (in the reply language), or why there is no result."""
        language = context.language
        result = calculate(slots["a"], slots["op"], slots["b"])
        if result is None:
            return say(language, "divide-by-zero")
        return say(language, "sum", a=spoken.number(slots["a"], language),
                   op=SAID[language][slots["op"]], b=spoken.number(slots["b"], language),
                   result=spoken.number(result, language))
