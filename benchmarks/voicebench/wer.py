"""Word error rate: how far a transcript is from the question that was really asked.

Both texts are normalised first (case and punctuation dropped, accents kept): whisper adds
capitals, commas and a question mark the reference may not have, and a listener would not call
those errors. WER over a set is the total edits over the total reference words (not the mean of
per-question rates, which would let a two-word question weigh as much as a long one).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

WORD = re.compile(r"[\w']+", re.UNICODE)


def normalize(text: str) -> list[str]:
    """Lower-case words without punctuation; apostrophes inside words are kept."""
    folded = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    return [word.strip("'") for word in WORD.findall(folded) if word.strip("'")]


def word_edits(reference: list[str], hypothesis: list[str]) -> int:
    """Substitutions + deletions + insertions turning ``reference`` into ``hypothesis``."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref_word in enumerate(reference, start=1):
        current = [i]
        for j, hyp_word in enumerate(hypothesis, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ref_word != hyp_word)))
        previous = current
    return previous[-1]


def word_error_rate(pairs: Iterable[tuple[str, str]]) -> float | None:
    """Total edits over total reference words for (reference, transcript) pairs; None if
    there are no reference words."""
    edits = words = 0
    for reference, transcript in pairs:
        ref = normalize(reference)
        edits += word_edits(ref, normalize(transcript))
        words += len(ref)
    return edits / words if words else None
