"""The chat messages given to the model for one turn.

The system prompt comes first and stays byte-identical from turn to turn (for a given answer
language), and past exchanges are replayed unchanged, so llama.cpp finds the whole earlier
conversation in its KV cache and only evaluates the new question.
"""

from __future__ import annotations

from voicebox.llm.history import Exchange

LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "nl": "Dutch", "pt": "Portuguese", "pl": "Polish", "sv": "Swedish", "da": "Danish",
    "nb": "Norwegian", "fi": "Finnish", "cs": "Czech", "ru": "Russian", "uk": "Ukrainian",
    "tr": "Turkish", "el": "Greek", "zh": "Chinese", "ja": "Japanese", "ko": "Korean",
}
INTERRUPTED_MARK = "…"
"""Ends an answer the user talked over: the model sees it broke off. A bracketed note such as
"[interrupted by the user]" was copied by SmolLM2 into its next answers and spoken aloud
(benchmarks/run); an ellipsis says the same and is harmless if imitated."""

Message = dict[str, str]


def language_name(code: str) -> str:
    """The English name of a language code, for the instruction to the model."""
    return LANGUAGE_NAMES.get(code, code)


def system_message(system_prompt: str, language: str) -> Message:
    """The system prompt plus the answer language (the voice that will speak it)."""
    return {"role": "system",
            "content": f"{system_prompt} Always answer in {language_name(language)}."}


def build_messages(system_prompt: str, history: tuple[Exchange, ...], question: str,
                   language: str) -> list[Message]:
    """System prompt, past exchanges (interrupted answers marked), then the question."""
    messages = [system_message(system_prompt, language)]
    for exchange in history:
        answer = exchange.assistant.rstrip() + (INTERRUPTED_MARK if exchange.interrupted else "")
        messages.append({"role": "user", "content": exchange.user})
        messages.append({"role": "assistant", "content": answer})
    messages.append({"role": "user", "content": question})
    return messages
