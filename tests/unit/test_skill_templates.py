"""The template language: choices, optional words, slots, whole-sentence matching."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from voicebox.skills.templates import TemplateError, compile_template
from voicebox.skills.words import words

DIGITS = {"number": lambda tokens: int(tokens[0]) if len(tokens) == 1 and tokens[0].isdigit()
          else None,
          "name": " ".join}


def match(template: str, said: str, parsers=DIGITS) -> dict | None:
    return compile_template(template).match(words(said), parsers)


@pytest.mark.parametrize(("said", "slots"), [
    ("what is the time", {}), ("what's the time now", {}), ("the time", None),
    ("what is the time please", None), ("what time is it", None),
])
def test_choices_and_optional_words(said: str, slots: dict | None) -> None:
    assert match("(what is|what's) the time [now|right now]", said) == slots


def test_slots_take_what_their_parser_accepts_and_leave_the_rest() -> None:
    template = "set a timer for {minutes:number} minutes [(called|named) {name}]"
    assert match(template, "set a timer for 5 minutes called big pot") == {
        "minutes": 5, "name": "big pot"}
    assert match(template, "set a timer for 5 minutes") == {"minutes": 5}
    assert match(template, "set a timer for five minutes") is None


def test_the_whole_sentence_must_match() -> None:
    assert match("what time is it", "what time is it in tokyo") is None
    assert match("what time is it", "so what time is it") is None


def test_a_slot_backtracks_when_the_rest_does_not_match() -> None:
    def words_until_and(tokens: Sequence[str]) -> str | None:
        return None if "and" in tokens else " ".join(tokens)
    parsers = {"thing": words_until_and}
    assert match("{a:thing} and {b:thing}", "salt and pepper", parsers) == {
        "a": "salt", "b": "pepper"}


def test_nested_choices() -> None:
    template = "(set|start) [me] (a|an) [(new|second)] timer"
    for said in ("set a timer", "start me a new timer", "set an second timer"):
        assert match(template, said) == {}
    assert match(template, "set me timer") is None


def test_slot_kinds_are_listed_so_every_one_can_be_checked_for_a_parser() -> None:
    template = compile_template("[what is] {a:number} {op:operator} {b:number} [{name}]")
    assert template.slot_kinds == {"number", "operator", "name"}


@pytest.mark.parametrize(("text", "problem"), [
    ("(a|b", "never closed"), ("a]", "unexpected"), ("{}", "without a name"),
    ("(a|)", "empty choice"), ("(a]", "closed by"), ("", "empty template"),
])
def test_broken_templates_say_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(TemplateError, match=problem):
        compile_template(text)
