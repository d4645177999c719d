"""Conversation history and the prompt built from it, driven with plain numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from voicebox.llm.history import Exchange, History
from voicebox.llm.prompt import INTERRUPTED_MARK, build_messages, language_name, time_note


def exchange(n: int, interrupted: bool = False) -> Exchange:
    return Exchange(f"question {n}", f"answer {n}", "en", interrupted)


def kept_after_each_add(max_turns: int, adds: int) -> list[list[int]]:
    history = History(max_turns=max_turns, idle_s=300)
    kept = []
    for n in range(adds):
        history.add(exchange(n), now=float(n))
        kept.append([int(e.user.split()[1]) for e in history.exchanges(now=float(n))])
    return kept


def test_keeps_at_most_max_turns_dropping_the_oldest_half_at_once() -> None:
    kept = kept_after_each_add(max_turns=5, adds=8)
    assert kept[4] == [0, 1, 2, 3, 4]
    assert kept[5] == [4, 5]                      # full: the oldest half went at once
    assert kept[7] == [4, 5, 6, 7]
    firsts = [turns[0] for turns in kept[5:]]
    assert firsts == [4, 4, 4], "the prompt's beginning (and the KV cache) must survive"


@pytest.mark.parametrize(("max_turns", "expected"), [
    # one turn: the newest exchange is always there (was: every other turn had none)
    (1, [[0], [1], [2], [3], [4]]),
    (2, [[0], [0, 1], [2], [2, 3], [4]]),
    (3, [[0], [0, 1], [0, 1, 2], [3], [3, 4], [3, 4, 5], [6]]),
    (6, [[0], [0, 1], [0, 1, 2], [0, 1, 2, 3], [0, 1, 2, 3, 4], [0, 1, 2, 3, 4, 5],
         [4, 5, 6], [4, 5, 6, 7], [4, 5, 6, 7, 8], [4, 5, 6, 7, 8, 9], [8, 9, 10]]),
])
def test_a_full_history_keeps_its_newer_half_and_never_less_than_the_newest(
        max_turns: int, expected: list[list[int]]) -> None:
    assert kept_after_each_add(max_turns, len(expected)) == expected


@pytest.mark.parametrize("max_turns", range(1, 11))
def test_after_every_add_the_newest_exchange_is_kept_and_at_most_max_turns(
        max_turns: int) -> None:
    for n, kept in enumerate(kept_after_each_add(max_turns, 3 * max_turns + 2)):
        assert kept[-1] == n and len(kept) <= max_turns


def test_forgets_everything_after_an_idle_spell() -> None:
    history = History(max_turns=5, idle_s=300)
    history.add(exchange(1), now=0.0)
    history.add(exchange(2), now=100.0)
    assert len(history.exchanges(now=400.0)) == 2        # 300 s after the last one: kept
    assert history.exchanges(now=400.5) == ()            # a moment later: a new conversation
    history.add(exchange(3), now=401.0)
    assert [e.user for e in history.exchanges(now=402.0)] == ["question 3"]


def test_zero_turns_keeps_nothing() -> None:
    history = History(max_turns=0, idle_s=300)
    history.add(exchange(1), now=0.0)
    assert history.exchanges(now=1.0) == ()


def test_clear_forgets_everything() -> None:
    history = History(max_turns=5, idle_s=300)
    for n in range(3):
        history.add(exchange(n), now=0.0)
    history.clear()
    assert history.exchanges(now=0.0) == ()


def test_prompt_replays_history_and_marks_interrupted_answers() -> None:
    messages = build_messages("Be brief.", (exchange(1), exchange(2, interrupted=True)),
                              "question 3", "de")
    assert messages[0] == {"role": "system", "content": "Be brief. Always answer in German."}
    assert [m["role"] for m in messages[1:]] == ["user", "assistant", "user", "assistant",
                                                 "user"]
    assert messages[2]["content"] == "answer 1"
    assert messages[4]["content"] == "answer 2" + INTERRUPTED_MARK
    assert messages[-1]["content"] == "question 3"


def test_system_message_is_identical_across_turns_for_the_cache() -> None:
    first = build_messages("Be brief.", (), "a", "en")[0]
    later = build_messages("Be brief.", (exchange(1),), "b", "en")[0]
    assert first == later


@pytest.mark.parametrize(("now", "note"), [
    (dt.datetime(2026, 12, 3, 13, 59), "(Local time: Thursday, 3 December 2026, 13:59.)"),
    (dt.datetime(2027, 1, 1, 0, 5), "(Local time: Friday, 1 January 2027, 00:05.)"),
    (dt.datetime(2028, 2, 29, 23, 0), "(Local time: Tuesday, 29 February 2028, 23:00.)"),
])
def test_the_local_time_is_written_out_in_words(now: dt.datetime, note: str) -> None:
    assert time_note(now) == note


def test_the_time_comes_after_the_history_so_the_cached_prefix_stays_the_same() -> None:
    history = (exchange(1),)
    at_one = build_messages("Be brief.", history, "b", "en", now=dt.datetime(2026, 1, 1, 9, 0))
    at_two = build_messages("Be brief.", history, "b", "en", now=dt.datetime(2026, 1, 1, 9, 1))
    untimed = build_messages("Be brief.", history, "b", "en")
    assert at_one[:3] == at_two[:3] == untimed[:3]      # system prompt and history
    assert at_one[3] == {"role": "system", "content": time_note(dt.datetime(2026, 1, 1, 9))}
    assert at_one[3] != at_two[3]
    assert at_one[4] == at_two[4] == untimed[3] == {"role": "user", "content": "b"}


def test_unknown_language_codes_are_named_by_their_code() -> None:
    assert language_name("fr") == "French"
    assert language_name("xx") == "xx"


def test_an_interruption_after_the_answer_was_recorded_replaces_it() -> None:
    history = History(max_turns=5, idle_s=300)
    history.add(Exchange("q", "A long answer in three sentences.", "en", turn_id=7), now=0.0)
    history.interrupt(7, "A long answer")
    (exchange,) = history.exchanges(now=1.0)
    assert (exchange.assistant, exchange.interrupted) == ("A long answer", True)


def test_an_interruption_before_the_answer_was_recorded_applies_when_it_is() -> None:
    history = History(max_turns=5, idle_s=300)
    history.interrupt(8, "Once upon")
    history.add(Exchange("q", "Once upon a time there was a dragon.", "en", turn_id=8),
                now=0.0)
    history.add(Exchange("q2", "Fine.", "en", turn_id=9), now=0.0)
    first, second = history.exchanges(now=1.0)
    assert (first.assistant, first.interrupted) == ("Once upon", True)
    assert (second.assistant, second.interrupted) == ("Fine.", False)


def test_pending_interruptions_are_bounded() -> None:
    history = History(max_turns=5, idle_s=300)
    for turn_id in range(1, 20):
        history.interrupt(turn_id, "x")
    history.add(Exchange("q", "full answer", "en", turn_id=1), now=0.0)
    assert history.exchanges(now=0.0)[0].assistant == "full answer"   # long forgotten
