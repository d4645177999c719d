"""The chat messages given to the model for one turn.

The system prompt comes first and stays byte-identical from turn to turn (for a given answer
language), and past exchanges are replayed unchanged, so llama.cpp finds the whole earlier
conversation in its KV cache and only evaluates the new question.

The local date and time go in a short system message of their own right before the new
question, never in the first system prompt: a clock there would change the prompt's first
tokens every minute and make llama.cpp read the whole prompt again. The history keeps the
question without them, so the replayed conversation stays the same from turn to turn too.
(Tried with SmolLM2: the note as a separate message disturbed its answers least; written
into the question, it was sometimes read back or switched the answer's language.)
"""

from __future__ import annotations

import datetime as dt

from voicebox.llm.history import Exchange

LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "nl": "Dutch", "pt": "Portuguese", "pl": "Polish", "sv": "Swedish", "da": "Danish",
    "nb": "Norwegian", "fi": "Finnish", "cs": "Czech", "ru": "Russian", "uk": "Ukrainian",
    "tr": "Turkish", "el": "Greek", "zh": "Chinese", "ja": "Japanese", "ko": "Korean",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
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


def time_note(now: dt.datetime) -> str:
    """The local date and time as the model reads it, e.g. "(Local time: Thursday,
    3 December 2026, 14:05.)": written out in English like the system prompt, because a
    small model reads words more reliably than an ISO timestamp. The names come from tables,
    not strftime, whose %A and %B follow the process locale."""
    return (f"(Local time: {WEEKDAYS[now.weekday()]}, {now.day} {MONTHS[now.month - 1]} "
            f"{now.year}, {now:%H:%M}.)")


def build_messages(system_prompt: str, history: tuple[Exchange, ...], question: str,
                   language: str, now: dt.datetime | None = None) -> list[Message]:
    """System prompt, past exchanges (interrupted answers marked), the local time ``now``
    when given (see the module docstring for why it goes there), then the question."""
    messages = [system_message(system_prompt, language)]
    for exchange in history:
        answer = exchange.assistant.rstrip() + (INTERRUPTED_MARK if exchange.interrupted else "")
        messages.append({"role": "user", "content": exchange.user})
        messages.append({"role": "assistant", "content": answer})
    if now is not None:
        messages.append({"role": "system", "content": time_note(now)})
    messages.append({"role": "user", "content": question})
    return messages
