"""The one way text is cut into words, for templates and transcripts alike.

Whisper writes "What's 12×7?", "Quelle heure est-il ?" or "¿Qué hora es?"; a template says
"what's {a:number} x {b:number}". Both go through :func:`words`, so they meet in the same
form: lower case, accents folded (whisper sometimes drops them: "que hora es"), punctuation
gone, hyphens before a letter as spaces ("twenty-one", "est-il", "a 5-minute timer"), an
apostrophe kept on the word before it ("what'", "s"; French "l'", "heure"), and numbers
written with digits kept whole ("7:30", "1,000", "3,5") next to the arithmetic signs, which
are words of their own.
"""

from __future__ import annotations

import re
import unicodedata

TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+'?|[+\-×*/÷=]")
LETTER_HYPHEN = re.compile(r"(?<=[^\W_])-(?=[^\W\d_])")
APOSTROPHES = str.maketrans({"’": "'", "`": "'", "´": "'", "ß": "ss"})


def fold(text: str) -> str:
    """Lower case without accents: "Zwölf Días" -> "zwolf dias"."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(APOSTROPHES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> tuple[str, ...]:
    """The words of ``text`` as templates and parsers see them."""
    return tuple(TOKEN.findall(LETTER_HYPHEN.sub(" ", fold(text))))
