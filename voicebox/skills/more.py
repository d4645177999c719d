""""Tell me more": the LLM continues its last answer, which was cut at a voice length.

The skill only recognises the request (a small model reads "go on" as anything from a story
prompt to a greeting); the words come from the LLM, told exactly what to do. The history holds
the last answer as it was spoken (cut at ``llm.max_sentences``/``max_words``), so "where it
stopped" is where the listener stopped hearing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from voicebox.skills.base import AskLlm, Context, Templates
from voicebox.skills.replies import say

CONTINUE = ("Continue your last answer from where it stopped, with the next few sentences. "
            "Do not repeat what you already said.")
"""The instruction in place of the user's words; in English like the system prompt, which
already names the language to answer in."""

TEMPLATES: Templates = {
    "en": {"continue": ("[please] tell me more [about (it|that|this)] [please]",
                        "[please] (go on|continue|keep going) [please]",
                        "(and|what) else", "more please")},
    "de": {"continue": ("(erzähl|erzähle|sag) [mir] mehr [darüber|davon] [bitte]",
                        "[bitte] (mach|sprich|erzähl) weiter [bitte]", "weiter bitte",
                        "und weiter", "was noch")},
    "fr": {"continue": ("(dis|dites|raconte|racontez) m'en plus [s'il te plaît|s'il vous plaît]",
                        "[vas y] (continue|continuez) [s'il te plaît|s'il vous plaît]",
                        "vas y",
                        "et (ensuite|après|quoi d'autre)", "quoi d'autre")},
    "es": {"continue": ("(cuéntame|dime|cuéntanos) más [sobre eso|de eso] [por favor]",
                        "(sigue|continúa) [por favor]", "y qué más", "qué más")},
}


class MoreSkill:
    """Hands "tell me more" to the LLM as an instruction to continue."""

    name = "more"
    templates = TEMPLATES

    def answer(self, intent: str, slots: Mapping[str, Any], context: Context) -> str | AskLlm:
        """The instruction, or that there is nothing to continue yet."""
        if not context.last_answer:
            return say(context.language, "nothing-to-repeat")
        return AskLlm(CONTINUE)
