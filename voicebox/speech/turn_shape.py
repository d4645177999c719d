"""Whether a tentative transcript reads as a finished question, for the adaptive end of turn.

The endpointer transcribes what was said so far once the user has been silent for 150 ms,
while the hang-over runs (the tentative end). How the words end says how long to keep
waiting: "What is the capital of France?" is over, and waiting the full hang-over only delays
the answer; "what is the", "set a timer for", "and", "um" stop mid-phrase, and a speaker who
pauses there to think must not be cut off. Whisper writes punctuation, so a sentence it closed
with "?", "." or "!" and that does not end on a word that needs another after it is finished;
a trailing comma, ellipsis or dash, or a last word that cannot end a sentence (an article, a
preposition, a conjunction, a filler) is not. Anything else is unsure and keeps the
configured hang-over.

Why word lists and not a model: the verdict must come within a few milliseconds of the
transcript, in English, German, French and Spanish, on a Pi; these short closed lists of
function words cover how spoken questions are cut off mid-phrase, and a wrong "unsure" only
costs the fixed hang-over of before. What they cannot see: whisper sometimes completes a
cut-off phrase by itself ("who wrote the" comes out "who wrote it."), which reads finished.

Pure: text in, a verdict out.
"""

from __future__ import annotations

import enum

from voicebox.skills.words import fold, words


class TurnShape(enum.Enum):
    """How a transcript so far ends."""

    FINISHED = "finished"
    UNFINISHED = "unfinished"
    UNSURE = "unsure"


_FILLERS = "um umm uh uhh er erm hm hmm mm ah ahm aeh euh eh ehm"
_NEVER_LAST = {
    "en": "the a an and or but because if than my your their our of to in on at for with "
          "from by into times plus minus does did could would should shall",
    "de": "ein eine einen einem einer und oder aber mein meine dein deine unser dass weil "
          "wenn ob von zu zum zur im in an am auf fur mit aus bei nach uber unter mal plus "
          "minus durch",
    "fr": "un une et mais mon ma mes ton ta tes sa ses notre votre leur cette ces parce l' "
          "d' qu' de du des a au aux en dans sur pour avec par sans fois",
    "es": "un una unos unas y o pero mi mis tus sus nuestro nuestra pues de del al a en con "
          "por para sin mas menos entre",
}
"""Words (folded) that never end a sentence: the speaker stopped mid-phrase, whatever
whisper's punctuation says. Whisper closes what it hears ("What is the capital of?", "What is
12 times?"), so prepositions and arithmetic words are here even though a few questions end on
one ("Where are you from?" then waits a little longer; cutting a speaker off is worse)."""
_LAST_ONLY_IN_A_QUESTION = {
    "en": "about is are was were what whats who where when how",
    "de": "der die das den dem des um wie was wer wo wann warum ist sind war",
    "fr": "le la les que qui quoi quel quelle comment pourquoi est sont ce ou plus moins",
    "es": "el la los las que quien cual como donde cuando porque es son esta estan este",
}
"""Words (folded) that end a sentence only as a question whisper closed with "?" ("What is
it about?", "Was ist das?"); without it they are cut off ("tell me what")."""


def _folded(table: dict[str, str]) -> dict[str, frozenset[str]]:
    return {language: frozenset(fold(listed).split()) for language, listed in table.items()}


NEVER_LAST = {language: words | frozenset(_FILLERS.split())
              for language, words in _folded(_NEVER_LAST).items()}
LAST_ONLY_IN_A_QUESTION = _folded(_LAST_ONLY_IN_A_QUESTION)
MIN_FINISHED_WORDS = 3
"""A closed sentence of one or two words ("Stop.", "Okay.", "Hi there.") often opens what
follows ("Stop. What is the capital of Spain?", said over an answer, lost its question to a
250 ms end in the echo matrix test): it keeps the hang-over."""
_OPEN_ENDINGS = (",", "...", "…", "-", "–", "—", ":", ";")
_CLOSED_ENDINGS = ("?", ".", "!", "？", "！")


def turn_shape(text: str, language: str) -> TurnShape:
    """How ``text`` (a transcript so far, in ``language``) ends.

    A language without its own lists is judged by the English ones. Only the question's own
    lists apply: "la" ends no French phrase but many Spanish questions end "...la?".
    """
    stripped = text.strip().strip("\"'«»“”¿¡ ")
    said = words(stripped)
    if not said:
        return TurnShape.UNSURE
    never = NEVER_LAST.get(language, NEVER_LAST["en"])
    question_only = LAST_ONLY_IN_A_QUESTION.get(language, LAST_ONLY_IN_A_QUESTION["en"])
    last = said[-1]
    if stripped.endswith(_OPEN_ENDINGS) or last in never:
        return TurnShape.UNFINISHED
    if last in question_only:
        return TurnShape.FINISHED if stripped.endswith(("?", "？")) else TurnShape.UNFINISHED
    if stripped.endswith(_CLOSED_ENDINGS) and len(said) >= MIN_FINISHED_WORDS:
        return TurnShape.FINISHED
    return TurnShape.UNSURE
