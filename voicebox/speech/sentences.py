"""Streaming sentence splitter between the LLM's token stream and text-to-speech.

Speech of the first sentence should start while the LLM still writes the next one, so each
sentence is emitted the moment it is certain to have ended, and not before: "3." may become
"3.14", "etc." ends a sentence only if a capital follows, a newline ends a paragraph only if a
blank line or a list item follows. Such decisions wait for the next character(s) or ``flush()``.
Every decision depends on the text alone, never on how it was cut into pieces, so a whole answer
and the same answer fed one character at a time give exactly the same sentences.

In order: the stream's first sentence may be cut early at a comma (sooner first audio); a sentence
ends at terminal punctuation or at a newline ending a paragraph, list item or heading; a runaway
sentence is cut at its best break before ``max_chars``. Markdown is removed, and fragments shorter
than ``min_chars`` are merged with the next sentence of the same block.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from voicebox.speech.markup import speakable

# A sentence ending may be followed by these before its whitespace: `"Go." Then`, `(see 3.) Next`.
CLOSE = re.compile(r"[)\]}\"'”’»*_`]*")
# Inside an open « guillemet » the closer may follow a space, as French typography writes it.
CLOSE_GUILLEMET = re.compile(r"(?:[)\]}\"'”’»*_`]|[ \u00a0\u202f]»)*")
QUOTES = re.compile(r"[\"'”’»]")
OPENERS = "([{\"'“‘«¿¡*_`"
CANDIDATE = re.compile(r"[.!?…\n]")
RUN = re.compile(r"[.!?…]+")
SPACES = re.compile(r"\s*")
# A list item or heading marker at the start of a block: "- ", "* ", "+ ", "• ", "1. ", "2) ", "# ".
MARKER = re.compile(r"[ \t]*(?:[-*+•]|\d{1,3}[.)]|#{1,6})[ \t]+")
# Text that could still grow into a marker (or, after a newline, into a blank line).
MAYBE_MARKER = re.compile(r"[ \t]*(?:[-*+•]|\d{1,3}[.)]?|#{1,6})?")
BLANK_LINE = re.compile(r"[ \t]*\n")
DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # e.g, i.e, U.S, a.m, z.B
# Never break a runaway sentence inside link text or a number written with spaced digit groups.
UNBREAKABLE = re.compile(r"\[[^\]]*\]?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+")
LAST_SPACE = re.compile(r"\s(?=\S*\Z)")
ANY_SPACE = re.compile(r"\s")
BREAKS = ("; ", ": ", ", ", " - ", " – ", " — ")

# Never sentence ends: they are (almost) always followed by more of the same sentence.
ABBREVIATIONS = frozenset({"dr", "mr", "mrs", "ms", "prof", "st", "vs", "approx", "jr", "sr", "inc",
                           "ltd", "bzw", "ca", "ggf", "evtl", "mme", "mlle", "sra", "srta"})
NUMBERING = frozenset({"no", "nr", "fig"})  # abbreviations only before a number: "No. 5"
SENTENCE_FINAL = frozenset({"etc", "usw"})  # ends when a capital follows: "etc. The"
EARLY_BREAK = re.compile(r"[,;][ \u00a0\u202f]")
LOOKAHEAD = 8  # how far past max_chars a sentence end may be confirmed before cutting the sentence


@dataclass(frozen=True)
class SplitterRules:
    """Lengths, in characters, that shape the spoken sentences."""

    min_chars: int = 20  # shorter sentences are merged with the next one ("Yes." + "It is.")
    max_chars: int = 220  # longer sentences are cut at their best break before this
    early_flush_chars: int = 25  # first sentence may be cut at a comma this far in; 0 = never

    def __post_init__(self) -> None:
        # An early cut beyond max_chars would race the runaway cut for the same text.
        early_too_long = not 0 <= self.early_flush_chars <= self.max_chars
        if self.min_chars < 0 or self.max_chars < 1 or early_too_long:
            raise ValueError(f"invalid sentence splitter rules: {self}")


class _NeedMore(Exception):
    """A decision needs text that has not arrived yet; the scan stops and waits for it."""


def _peek(text: str, pos: int, final: bool) -> str:
    """The character at ``pos``, "" after the end of the stream, or wait if it may still come."""
    if pos < len(text):
        return text[pos]
    if final:
        return ""
    raise _NeedMore


def _starts_anew(char: str) -> bool:
    return not char.islower()  # "Well... maybe" goes on, "Well... Maybe" starts anew


def _word_before(text: str, j: int) -> str:
    """The word that ends at ``j``, without opening quotes, brackets or emphasis."""
    head = text[:j]
    word = head.split()[-1] if head and not head[-1].isspace() else ""
    return word.lstrip(OPENERS)


def _rule(run: str, word: str) -> bool | Callable[[str], bool]:
    """Whether a punctuation run after ``word`` ends a sentence, or a test of the next word's
    first character when that decides it."""
    if "!" in run or "?" in run:
        return True
    if run != ".":
        return _starts_anew
    key = word.lower()
    if key in ABBREVIATIONS or DOTTED.fullmatch(word) or (len(word) == 1 and word.isupper()):
        return False
    if key in NUMBERING:
        return lambda char: not char.isdigit()  # "No. 5" goes on, "No. I can't" ends "No."
    if key in SENTENCE_FINAL:
        return str.isupper
    return True


def _sentence_end(text: str, j: int, run_end: int, final: bool) -> int | None:
    """The cut after the punctuation run ``text[j:run_end]`` if it ends a sentence.

    Held back until the character after the run (and its closing quotes) is known: only
    whitespace there makes it an end, which keeps 3.14, 2.5.1, example.com and "?page" whole.
    """
    guillemet = text.count("«", 0, j) > text.count("»", 0, j)
    close_end = (CLOSE_GUILLEMET if guillemet else CLOSE).match(text, run_end).end()
    after = _peek(text, close_end, final)
    if after and not after.isspace():
        return None
    next_word = SPACES.match(text, close_end).end()
    if guillemet:
        _peek(text, next_word, final)  # a closing » may still follow the space
    rule = _rule(text[j:run_end], _word_before(text, j))
    if rule is True and QUOTES.search(text, run_end, close_end):
        rule = _starts_anew  # '"Stop!" he said.' goes on after its closing quote
    if callable(rule):
        rule = rule(_peek(text, next_word, final))
    return close_end if rule else None


def _newline_ends_block(text: str, j: int, item: bool, final: bool) -> bool:
    """Whether the newline at ``j`` ends a list item, a heading or a paragraph.

    Inside a paragraph a single newline is just a space: it ends the paragraph only when a blank
    line or a list item follows, which may take a few more characters to tell.
    """
    if item:
        return True
    rest = text[j + 1 :]
    if BLANK_LINE.match(rest) or MARKER.match(rest):
        return True
    if MAYBE_MARKER.fullmatch(rest) and not final:
        raise _NeedMore
    return False


def _breakable(text: str) -> str:
    """``text`` with link texts and spaced numbers blotted out, positions unchanged."""
    return UNBREAKABLE.sub(lambda match: "x" * len(match[0]), text)


class SentenceSplitter:
    """Turns a stream of text pieces into cleaned sentences, each as soon as it is complete.

    Pure: no threads, no I/O, no clock. One instance serves one answer at a time.
    """

    def __init__(self, rules: SplitterRules = SplitterRules()) -> None:
        self.rules = rules
        self.reset()

    def reset(self) -> None:
        """Forget everything, e.g. when an answer is cancelled; the next text starts a stream."""
        self._buf = ""  # text not yet cut off, from the start of the current sentence
        self._pending = ""  # cleaned short fragments waiting to be merged with the next sentence
        self._fresh = True  # the buffer starts a block, which may open with a list marker
        self._item = False  # the current block is a list item or heading (ends at its newline)
        self._started = False  # a sentence was emitted: early flush is over for this stream

    def feed(self, piece: str) -> list[str]:
        """Add a piece of the stream; returns the sentences it completed (often none)."""
        self._buf += piece.replace("\r", "")
        return self._drain(final=False)

    def flush(self) -> list[str]:
        """End of the stream: returns what is left, then starts over for the next stream."""
        out = self._drain(final=True)
        if self._pending:
            out.append(self._pending)
        self.reset()
        return out

    def _drain(self, final: bool) -> list[str]:
        out: list[str] = []
        while (step := self._next_cut(final)) is not None:
            cut, block_end = step
            segment, self._buf = self._buf[:cut], self._buf[cut:]
            self._take(segment, block_end, out)
        return out

    def _take(self, segment: str, block_end: bool, out: list[str]) -> None:
        """Clean a cut-off segment, merge it with held-back fragments, emit what is long enough.

        A block end (paragraph, list item, heading) emits even a short fragment: "Sleep 8 hours."
        in a list must not run into the next item.
        """
        if self._fresh:
            marker = MARKER.match(segment)
            self._item = marker is not None
            segment = segment[marker.end() :] if marker else segment
        self._fresh = block_end
        text = speakable(segment)
        self._pending = f"{self._pending} {text}".strip()
        if self._pending and (block_end or len(self._pending) >= self.rules.min_chars):
            out.append(self._pending)
            self._pending = ""
            self._started = True

    def _next_cut(self, final: bool) -> tuple[int, bool] | None:
        """The next cut as (position, ends a block), or None until more text arrives.

        Length rules look at a fixed-size prefix only, so their decisions do not depend on how
        much of the stream happened to arrive at once.
        """
        if not self._buf:
            return None
        early = self._early_cut()
        if early is not None:
            return early, False
        window = self._buf[: self.rules.max_chars + LOOKAHEAD]
        whole = len(window) == len(self._buf)
        found = self._find_cut(window, final and whole)
        if found is None and final and whole:
            found = len(window), True
        if found is not None and found[0] <= self.rules.max_chars:
            return found
        if found is None and whole:
            return None
        cut = self._runaway_cut(final)
        return None if cut is None else (cut, False)

    def _find_cut(self, text: str, final: bool) -> tuple[int, bool] | None:
        """The first sentence end or block end in ``text``, or None if none is certain yet."""
        try:
            pos, item = self._block_start(text, final)
            while (match := CANDIDATE.search(text, pos)) is not None:
                j = match.start()
                if text[j] == "\n":
                    if _newline_ends_block(text, j, item, final):
                        return j + 1, True
                    pos = j + 1
                    continue
                pos = RUN.match(text, j).end()
                cut = _sentence_end(text, j, pos, final)
                if cut is not None:
                    return cut, False
        except _NeedMore:
            return None
        return None

    def _block_start(self, text: str, final: bool) -> tuple[int, bool]:
        """Where scanning starts and whether the block is a list item or heading.

        A marker's "1." is not a sentence end, so a new block waits until its marker is certain.
        """
        if not self._fresh:
            return 0, self._item
        marker = MARKER.match(text)
        if marker is None and MAYBE_MARKER.fullmatch(text) and not final:
            raise _NeedMore
        return (marker.end(), True) if marker else (0, False)

    def _early_cut(self) -> int | None:
        """A cut after the first sentence's first comma or semicolon that comes at least
        ``early_flush_chars`` in, so speech starts before a long first sentence is complete.

        Only for the stream's first sentence, and only when no sentence end comes before that
        comma; commas in link text do not count.
        """
        size = self.rules.early_flush_chars
        if self._started or size == 0:
            return None
        found = EARLY_BREAK.search(_breakable(self._buf[: self.rules.max_chars]), size)
        if found is None or self._find_cut(self._buf[: found.start()], False):
            return None
        return found.start() + 1

    def _runaway_cut(self, final: bool) -> int | None:
        """Where to cut a sentence longer than ``max_chars``: the best break in its second half
        ("; ", ": ", ", ", dashes), else its last space. Always at whitespace, so never inside a
        word, URL or number; a word longer than ``max_chars`` is kept whole."""
        limit = self.rules.max_chars
        # Blotted out on the whole window: a number may go on past the limit ("2 000 | 000").
        head = _breakable(self._buf[: limit + LOOKAHEAD])[: limit + 1]
        for separator in BREAKS:
            at = head.rfind(separator, limit // 2)
            if at >= 0:
                return at + len(separator)
        space = LAST_SPACE.search(head, 1) or ANY_SPACE.search(self._buf, limit)
        if space is not None:
            return space.start()
        return len(self._buf) if final else None
