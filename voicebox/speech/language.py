"""Choosing the answer language from whisper's language probabilities.

Whisper knows ~100 languages but the box can only answer in those it has a voice for, and on a
two-second question whisper base is often unsure (a German question came out English p=0.55).
So the choice is made among the allowed languages only, with their probabilities renormalised,
and an unsure result falls back to a configured language rather than guessing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class LanguageChoice:
    """The language to transcribe and answer in, and what detection actually said."""

    language: str
    detected: str
    probability: float
    confident: bool


def choose_language(probabilities: Mapping[str, float], allowed: Sequence[str],
                    threshold: float, fallback: str) -> LanguageChoice:
    """Pick the most probable allowed language, or ``fallback`` if below ``threshold``.

    ``probability`` is the winner's share of the allowed languages' total probability.
    """
    detected = max(probabilities, key=probabilities.__getitem__) if probabilities else fallback
    mass = sum(probabilities.get(code, 0.0) for code in allowed)
    best = max(allowed, key=lambda code: probabilities.get(code, 0.0))
    share = probabilities.get(best, 0.0) / mass if mass > 0 else 0.0
    if share < threshold:
        return LanguageChoice(fallback, detected, share, confident=False)
    return LanguageChoice(best, detected, share, confident=True)


def answer_language(heard: str, spoken: Sequence[str], fallback: str) -> str:
    """The language to answer a question ``heard`` in: its own if there is a voice for it,
    else the fallback (a German question on a box with only an English voice is understood
    and answered in English, not in German read by an English voice)."""
    return heard if heard in spoken else fallback
