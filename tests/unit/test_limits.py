"""What each throttle tier does to the engines."""

from __future__ import annotations

import dataclasses

import pytest

from voicebox.config import Config, load_config
from voicebox.watchdog.governor import Tier
from voicebox.watchdog.limits import SHORTEST_ANSWER, limits_for


@pytest.fixture
def pi_config() -> Config:
    """A Pi-like setting: 3 generation threads, 4 for the prompt, 4 for STT, 160 tokens."""
    config = load_config(profile="pi5-performance")
    return dataclasses.replace(
        config, llm=dataclasses.replace(config.llm, threads=3, prompt_threads=4, max_tokens=160),
        stt=dataclasses.replace(config.stt, threads=4))


def settings(limits) -> tuple:
    return (limits.model_tier, limits.llm_threads, limits.prompt_threads, limits.stt_threads,
            limits.max_tokens, limits.prune, limits.effect)


@pytest.mark.parametrize(("tier", "expected"), [
    (Tier.NORMAL, ("standard", 3, 4, 4, 160, False, "")),
    (Tier.WARM, ("standard", 2, 3, 3, 160, False, "fewer threads")),
    (Tier.HOT, ("standard", 1, 1, 1, 80, False, "shorter answers")),
    (Tier.CRITICAL, ("small", 1, 1, 1, 53, False, "small models, short answers")),
])
def test_each_tier_trades_a_little_more(pi_config: Config, tier: Tier, expected: tuple) -> None:
    assert settings(limits_for(tier, False, False, pi_config)) == expected


def test_low_memory_means_the_small_models_whatever_the_temperature(pi_config: Config) -> None:
    limits = limits_for(Tier.WARM, True, False, pi_config)
    assert limits.model_tier == "small"
    assert limits.effect == "small models, fewer threads"


def test_swap_pressure_prunes(pi_config: Config) -> None:
    limits = limits_for(Tier.HOT, False, True, pi_config)
    assert limits.prune
    assert limits.effect == "shorter answers, history pruned"


def test_answers_never_get_shorter_than_a_sentence_or_two(pi_config: Config) -> None:
    short = dataclasses.replace(pi_config, llm=dataclasses.replace(pi_config.llm, max_tokens=30))
    assert limits_for(Tier.CRITICAL, False, False, short).max_tokens == SHORTEST_ANSWER
    assert limits_for(Tier.WARM, False, False, short).max_tokens == 30


def test_one_thread_is_never_cut_to_none(pi_config: Config) -> None:
    single = dataclasses.replace(pi_config, llm=dataclasses.replace(
        pi_config.llm, threads=1, prompt_threads=1), stt=dataclasses.replace(
        pi_config.stt, threads=1))
    limits = limits_for(Tier.WARM, False, False, single)
    assert (limits.llm_threads, limits.prompt_threads, limits.stt_threads) == (1, 1, 1)
