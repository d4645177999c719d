""""Say that again": the last answer, word for word, whoever gave it (a skill or the LLM)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from voicebox.skills.base import Context, Templates
from voicebox.skills.replies import say

TEMPLATES: Templates = {
    "en": {"repeat": ("[please|sorry] (say|tell me) (that|it) again [please]",
                      "[can you|could you|please] repeat [that|it|the answer] [again] [please]",
                      "what did you (say|just say)", "[sorry] (pardon|come again)",
                      "once more please")},
    "de": {"repeat": ("wie bitte", "was hast du gesagt",
                      "(kannst du|könntest du) das [bitte] (wiederholen|nochmal sagen)",
                      "(wiederhole|wiederhol|sag) das [bitte] [nochmal|noch einmal]",
                      "nochmal bitte", "noch einmal bitte")},
    "fr": {"repeat": ("(répète|répétez) [ça|s'il te plaît|s'il vous plaît]",
                      "(tu peux|peux tu|pouvez vous) répéter [s'il te plaît]",
                      "qu'est ce que tu as dit", "pardon", "tu as dit quoi")},
    "es": {"repeat": ("(repite|repítelo|repite eso|repítemelo) [por favor]",
                      "(puedes|podrías) repetir [eso|lo que dijiste] [por favor]",
                      "qué (dijiste|has dicho)", "cómo dices")},
}


class RepeatSkill:
    """Says the last answer again."""

    name = "repeat"
    templates = TEMPLATES

    def answer(self, intent: str, slots: Mapping[str, Any], context: Context) -> str:
        """The last answer, or that there was none."""
        return context.last_answer or say(context.language, "nothing-to-repeat")
