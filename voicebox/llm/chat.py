"""Streaming chat completion with llama.cpp, stoppable at any token from another thread.

One :class:`ChatModel` is used by one worker thread at a time (llama.cpp contexts are not
thread-safe); other threads only ever set the ``cancel`` Event that the stream checks between
tokens, so a barge-in stops generation within one token.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from voicebox.config.schema import LlmConfig
from voicebox.errors import LlmError
from voicebox.llm.prompt import Message

# ChatML and similar templates wrap each message in a few special tokens.
TOKENS_PER_MESSAGE = 8
NEXT_QUESTION: Message = {"role": "user", "content": "Hello."}


class ChatModel:
    """A loaded GGUF chat model."""

    LOAD_FAILURES: tuple[type[Exception], ...] = (ValueError,)
    """What llama-cpp-python raises when llama.cpp returns no model or no context (e.g. short
    of memory): worth another try, unlike a TypeError from a changed API."""

    def __init__(self, llama: Any, temperature: float) -> None:
        self._llama = llama
        self.temperature = temperature

    @classmethod
    def load(cls, path: Path, config: LlmConfig) -> ChatModel:
        """Load the model (memory-mapped, so a second load of the same file is cheap)."""
        from llama_cpp import Llama

        llama = Llama(model_path=str(path), n_ctx=config.context_tokens,
                      n_threads=config.threads, n_threads_batch=config.prompt_threads,
                      verbose=False)
        return cls(llama, config.temperature)

    def set_threads(self, threads: int, prompt_threads: int) -> None:
        """CPU threads for generation and prompt evaluation, from the next decode on.

        Only from the thread that generates (llama.cpp is not thread-safe): the LLM stage
        calls this between turns.
        """
        self._llama.n_threads, self._llama.n_threads_batch = threads, prompt_threads
        self._llama._ctx.set_n_threads(threads, prompt_threads)

    @property
    def threads(self) -> tuple[int, int]:
        """(generation, prompt evaluation) threads in use."""
        return self._llama.n_threads, self._llama.n_threads_batch

    def close(self) -> None:
        """Free the model and its KV cache now rather than whenever the GC gets to it."""
        self._llama.close()

    @property
    def context_tokens(self) -> int:
        """The size of the context window."""
        return self._llama.n_ctx()

    @property
    def prompt_tokens_read(self) -> int:
        """Prompt tokens llama.cpp has read so far (its batch decodes; a remainder of one
        token is counted with the generated ones).

        The difference across a turn is how much of the prompt was not in the KV cache.
        Counting generated tokens as text pieces instead would be wrong: a token holding half
        a UTF-8 character yields no piece ("è" is two tokens in SmolLM2).
        """
        import llama_cpp

        return int(llama_cpp.llama_perf_context(self._llama.ctx).n_p_eval)

    def prefill(self, conversation: list[Message]) -> None:
        """Evaluate ``conversation`` (system prompt and past exchanges) now, so the next
        question finds it in the KV cache and only its own words are left to read.

        A placeholder question and one generated token are evaluated too; the next prompt
        shares everything before the placeholder's words (llama-cpp-python matches the
        longest common prefix of tokens), which is the whole conversation.
        """
        for _ in self.stream([*conversation, NEXT_QUESTION], threading.Event(), max_tokens=1):
            pass

    def prompt_tokens(self, messages: list[Message]) -> int:
        """About how many tokens ``messages`` take (contents exactly, template estimated)."""
        return sum(len(self._llama.tokenize(m["content"].encode(), add_bos=False))
                   + TOKENS_PER_MESSAGE for m in messages)

    def stream(self, messages: list[Message], cancel: threading.Event,
               max_tokens: int) -> Iterator[str]:
        """Yield the answer piece by piece; stops at the next token once ``cancel`` is set.

        llama-cpp-python evaluates the prompt lazily, at the first iteration, so a prompt
        that does not fit the context fails here too and becomes an :class:`LlmError`.
        """
        chunks = self._llama.create_chat_completion(
            messages=messages, stream=True, max_tokens=max_tokens, temperature=self.temperature)
        try:
            for chunk in chunks:
                if cancel.is_set():
                    return
                text = chunk["choices"][0]["delta"].get("content")
                if text:
                    yield text
        except (ValueError, RuntimeError) as exc:
            raise LlmError(f"the model failed: {exc}",
                           hint="this turn was dropped; if it repeats, check free memory "
                                "and llm.context_tokens") from exc
        finally:
            chunks.close()
