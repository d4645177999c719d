"""What each throttle tier does to the engines: pure, so every tier's effect is testable.

The governor says how hard to throttle; this says how. Each step trades answer quality for
heat and memory in the order a listener notices least:

- ``warm``: one thread fewer for the LLM and STT (a little slower, same answers);
- ``hot``: one thread each and half the answer length ("shorter answers");
- ``critical``: also the small model tier from models.lock and a third of the answer length;
- low free RAM: the small tier whatever the temperature (the big model is what fills RAM);
- swap pressure: prune the conversation history and free cached memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from voicebox.config import Config
from voicebox.watchdog.governor import Tier

SHORTEST_ANSWER = 24  # tokens: still a whole sentence or two


@dataclass(frozen=True)
class Limits:
    """The engine settings for one tier; ``effect`` says in words what the user notices.

    ``model_tier`` is the LLM's tier and ``stt_tier`` whisper's: the same when asked for, but
    the limits in force differ when one of the two models failed to load. ``memory_low`` says
    the small tier is for memory: the larger models must leave memory before the smaller load.
    """

    model_tier: str
    stt_tier: str
    llm_threads: int
    prompt_threads: int
    stt_threads: int
    max_tokens: int
    prune: bool
    effect: str
    memory_low: bool


def limits_for(tier: Tier, memory_low: bool, swap_pressure: bool, config: Config) -> Limits:
    """The limits for ``tier`` given the configured (normal) settings."""
    llm = config.llm
    divisor = {Tier.HOT: 2, Tier.CRITICAL: 3}.get(tier, 1)
    max_tokens = llm.max_tokens if divisor == 1 else max(SHORTEST_ANSWER,
                                                           llm.max_tokens // divisor)
    small = tier == Tier.CRITICAL or memory_low
    model_tier = "small" if small else "standard"
    return Limits(model_tier=model_tier, stt_tier=model_tier,
                  llm_threads=_threads(llm.threads, tier),
                  prompt_threads=_threads(llm.prompt_threads, tier),
                  stt_threads=_threads(config.stt.threads, tier), max_tokens=max_tokens,
                  prune=swap_pressure, effect=_effect(tier, small, swap_pressure),
                  memory_low=memory_low)


def _threads(configured: int, tier: Tier) -> int:
    """All of them when normal, one fewer when warm, one from hot on."""
    if tier == Tier.NORMAL:
        return configured
    return max(1, configured - 1) if tier == Tier.WARM else 1


def _effect(tier: Tier, small: bool, prune: bool) -> str:
    """E.g. "fewer threads", "shorter answers", "small models, short answers"."""
    words = {Tier.NORMAL: [], Tier.WARM: ["fewer threads"], Tier.HOT: ["shorter answers"],
             Tier.CRITICAL: ["short answers"]}[tier]
    if small:
        words.insert(0, "small models")
    if prune:
        words.append("history pruned")
    return ", ".join(words)
