"""Markdown the model writes anyway, turned into text a voice can say.

Small models answer in markdown even when told not to. Emphasis, code marks and link targets
would be read out literally ("asterisk asterisk"), so they are removed; link text, URLs and
e-mail addresses are kept as written, since dropping them would lose the answer.
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
