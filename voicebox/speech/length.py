"""How long a spoken answer may be: a few sentences, a few dozen words.

A listener cannot skim: an answer of eight sentences takes half a minute to hear, and small
models ramble however the prompt asks them not to (SmolLM2 ignores "one to three sentences"
often enough). So the box stops speaking, and the model stops generating, at a sentence end
once ``max_sentences`` are said or the next sentence would pass ``max_words``. The first
sentence is always said whole (the splitter already cuts a runaway one at 220 characters):
cutting it mid-way would leave no answer at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class AnswerLength:
    """Counts the sentences of one answer as they are spoken; pure."""

    max_sentences: int
    max_words: int
    kept: list[str] = field(default_factory=list)
    words: int = 0
    refused: bool = False
    """A sentence was too long to add: nothing after it may be said either (a shorter later
    sentence would skip the one before it, and the answer would no longer be what was kept)."""

    def take(self, sentence: str) -> bool:
        """Whether ``sentence`` may be said; counts it if so."""
        count = len(sentence.split())
        if self.full or (self.kept and self.words + count > self.max_words):
            self.refused = True
            return False
        self.kept.append(sentence)
        self.words += count
        return True

    @property
    def full(self) -> bool:
        """No further sentence may be said."""
        return (self.refused or len(self.kept) >= self.max_sentences
                or self.words >= self.max_words)
