"""Local skills between speech-to-text and the LLM: a question a skill knows is answered at
once and never reaches the LLM.

It runs on the STT worker, right after the transcript is made: matching takes well under a
millisecond, so a separate worker would only add a queue hop, and the LLM worker may still
be reading the conversation into its cache after the last answer. The reply goes into the
splitter's queue like the LLM's tokens do, so it is split, synthesised, streamed and can be
talked over exactly like an LLM answer, and the turn ends with the same TurnDone. A skill
may instead turn the words into an instruction for the LLM ("tell me more": continue the last
answer), which then answers as usual.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from voicebox.conductor.worker import offer
from voicebox.events import SkillAnswered
from voicebox.messages import EndOfAnswer, TextPiece, Transcript
from voicebox.skills.engine import Skills

if TYPE_CHECKING:
    from voicebox.conductor.stages import Wiring


class SkillStage:
    """Answers a transcript with a skill, or leaves it to the LLM."""

    def __init__(self, wiring: Wiring, skills: Skills) -> None:
        self._wiring = wiring
        self.skills = skills

    def answer(self, item: Transcript) -> Transcript | None:
        """Speak a skill's reply to ``item``; otherwise what the LLM is to answer: ``item``
        itself, or with a skill's instruction in place of the words ("tell me more")."""
        found = self.skills.answer(item.text, item.detected_language, item.language)
        if found is None:
            return item
        if found.llm_prompt:
            return replace(item, prompt=found.llm_prompt)
        turn = item.turn
        self._wiring.emit(SkillAnswered(turn.turn_id, skill=found.skill, intent=found.intent,
                                        answer=found.text))
        if found.text:
            offer(self._wiring.pieces, TextPiece(turn, found.text, item.language,
                                                       limited=False), turn,
                  self._wiring.stopping)
        offer(self._wiring.pieces, EndOfAnswer(turn, item.language), turn,
              self._wiring.stopping)
        return None
