"""Feeding the splitter: whole, character by character, and in random pieces."""

from __future__ import annotations

import random

from voicebox.speech.sentences import SentenceSplitter, SplitterRules

DEFAULT = SplitterRules()
# Pure splitting: no merging of short sentences, no early cut.
SPLIT = SplitterRules(min_chars=0, early_flush_chars=0)
RUNAWAY = SplitterRules(min_chars=0, max_chars=40, early_flush_chars=0)


def random_pieces(text: str, seed: int) -> list[str]:
    """``text`` cut into pieces of 1 to 6 characters, like an LLM's tokens."""
    rng = random.Random(seed)
    pieces, start = [], 0
    while start < len(text):
        size = rng.randint(1, 6)
        pieces.append(text[start : start + size])
        start += size
    return pieces


def feed_all(pieces: list[str], rules: SplitterRules) -> list[str]:
    splitter = SentenceSplitter(rules)
    sentences = [sentence for piece in pieces for sentence in splitter.feed(piece)]
    return sentences + splitter.flush()


def split(text: str, rules: SplitterRules = DEFAULT) -> list[str]:
    """The sentences of ``text`` fed whole, after checking that feeding it char by char and in
    random pieces gives exactly the same."""
    whole = feed_all([text], rules)
    assert feed_all(list(text), rules) == whole, "char by char"
    for seed in range(3):
        assert feed_all(random_pieces(text, seed), rules) == whole, f"pieces, seed {seed}"
    return whole
