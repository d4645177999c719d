"""Sentence templates: a small language for the ways people ask the same thing.

    (what is|what's) the time [now]
    set a timer (for|of) {duration} [(called|named) {name}]
    [what is] {a:number} {op:operator} {b:number}

``(a|b)`` is a choice, ``[a b]`` may be left out (``[a|b]``: one of them or neither),
``{name}`` or ``{name:kind}`` is a slot that a parser for ``kind`` (defaults to ``name``)
fills from the words it covers. One template reads like the sentences it stands for, where a
regular expression per phrase would not (the idea comes from hassil, Home Assistant's intent
matcher). Words are compared after :func:`~voicebox.skills.words.words`.

Matching is pure and tries every way to fill the slots: a slot first takes as many words as
its parser accepts, then fewer, so "a timer for five minutes called pasta" finds the duration
"five minutes" and the name "pasta". The whole sentence must match: "what time is it in
Tokyo" is not the time skill's question, and goes to the LLM.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from voicebox.skills.words import words

MAX_SLOT_WORDS = 8
"""No slot value is longer ("one hour and twenty five minutes" is 6 words)."""
LEXEME = re.compile(r"[()\[\]|]|\{[^{}]*\}|[^()\[\]|{}\s]+")
CLOSERS = {"(": ")", "[": "]"}

SlotParser = Callable[[Sequence[str]], Any]
"""Words in, a value out, or None when the words are not a value of that kind."""


@dataclass(frozen=True)
class Word:
    """A word that must be said."""

    text: str


@dataclass(frozen=True)
class Slot:
    """Words a parser turns into a value: ``{name:kind}``."""

    name: str
    kind: str


@dataclass(frozen=True)
class Choice:
    """One of ``options`` (each a sequence of nodes); with ``optional``, also none of them."""

    options: tuple[tuple[Node, ...], ...]
    optional: bool


Node = Word | Slot | Choice


class TemplateError(ValueError):
    """A template that cannot be read: unbalanced brackets, an empty slot."""


@dataclass(frozen=True)
class Template:
    """A compiled template; ``text`` is what was written."""

    text: str
    nodes: tuple[Node, ...]

    @property
    def slot_kinds(self) -> frozenset[str]:
        """Every slot kind the template uses (each needs a parser)."""
        return frozenset(_kinds(self.nodes))

    def match(self, tokens: Sequence[str],
              parsers: Mapping[str, SlotParser]) -> dict[str, Any] | None:
        """The slot values if ``tokens`` say exactly this template, else None."""
        for end, slots in _match(self.nodes, 0, tuple(tokens), {}, parsers):
            if end == len(tokens):
                return slots
        return None


def compile_template(text: str) -> Template:
    """Read a template; :class:`TemplateError` says what is wrong with it."""
    lexemes = LEXEME.findall(text)
    nodes, at = _sequence(lexemes, 0, text)
    if at != len(lexemes):
        raise TemplateError(f"unexpected {lexemes[at]!r} in template {text!r}")
    if not nodes:
        raise TemplateError(f"empty template {text!r}")
    return Template(text, tuple(nodes))


def _sequence(lexemes: list[str], at: int, text: str) -> tuple[list[Node], int]:
    """Nodes up to a closing bracket or a ``|`` (not consumed)."""
    nodes: list[Node] = []
    while at < len(lexemes) and lexemes[at] not in (")", "]", "|"):
        lexeme = lexemes[at]
        if lexeme in CLOSERS:
            choice, at = _choice(lexemes, at, text)
            nodes.append(choice)
            continue
        if lexeme.startswith("{"):
            nodes.append(_slot(lexeme, text))
        else:
            nodes.extend(Word(word) for word in words(lexeme))
        at += 1
    return nodes, at


def _choice(lexemes: list[str], at: int, text: str) -> tuple[Choice, int]:
    opener = lexemes[at]
    options: list[tuple[Node, ...]] = []
    while True:
        nodes, at = _sequence(lexemes, at + 1, text)
        options.append(tuple(nodes))
        if at >= len(lexemes):
            raise TemplateError(f"{opener!r} is never closed in template {text!r}")
        if lexemes[at] != "|":
            break
    if lexemes[at] != CLOSERS[opener]:
        raise TemplateError(f"{opener!r} closed by {lexemes[at]!r} in template {text!r}")
    if not all(options):
        raise TemplateError(f"an empty choice in template {text!r}")
    return Choice(tuple(options), optional=opener == "["), at + 1


def _slot(lexeme: str, text: str) -> Slot:
    name, _, kind = lexeme[1:-1].strip().partition(":")
    if not name.strip():
        raise TemplateError(f"a slot without a name in template {text!r}")
    return Slot(name.strip(), kind.strip() or name.strip())


def _kinds(nodes: Sequence[Node]) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, Slot):
            yield node.kind
        elif isinstance(node, Choice):
            for option in node.options:
                yield from _kinds(option)


def _match(nodes: tuple[Node, ...], at: int, tokens: tuple[str, ...], slots: dict[str, Any],
           parsers: Mapping[str, SlotParser]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Every (end, slots) for which ``nodes`` match ``tokens`` from ``at``, best first."""
    if not nodes:
        yield at, slots
        return
    head, rest = nodes[0], nodes[1:]
    if isinstance(head, Word):
        if at < len(tokens) and tokens[at] == head.text:
            yield from _match(rest, at + 1, tokens, slots, parsers)
    elif isinstance(head, Choice):
        for option in head.options:
            yield from _match(option + rest, at, tokens, slots, parsers)
        if head.optional:
            yield from _match(rest, at, tokens, slots, parsers)
    else:
        parser = parsers[head.kind]
        for end in range(min(len(tokens), at + MAX_SLOT_WORDS), at, -1):
            value = parser(tokens[at:end])
            if value is not None:
                yield from _match(rest, end, tokens, {**slots, head.name: value}, parsers)
