"""The spoken length of an answer: counted per sentence, enforced by the splitter stage,
and what the history keeps of an answer that was cut."""

from __future__ import annotations

import queue
import re
import threading

from voicebox.conductor.cpu import SynthesisFirst
from voicebox.conductor.stages import Wiring
from voicebox.conductor.voice_stages import SplitterStage
from voicebox.events import AnswerCut, FirstSentence, TurnEvent
from voicebox.llm.history import Exchange, History
from voicebox.messages import EndOfAnswer, Sentence, TextPiece, Turn
from voicebox.speech.length import AnswerLength

STORY = ("Once there was a dragon. It lived in a cave. It loved gold. "
         "One day a knight came. They became friends.")


def test_three_sentences_at_most() -> None:
    length = AnswerLength(max_sentences=3, max_words=60)
    said = [s for s in ("One.", "Two.", "Three.", "Four.") if length.take(s)]
    assert said == ["One.", "Two.", "Three."] and length.full


def test_a_sentence_that_would_pass_the_word_limit_is_not_said_nor_any_after_it() -> None:
    """A shorter sentence after the refused one would skip it: the answer would jump, and be
    more than what the history keeps of it."""
    length = AnswerLength(max_sentences=10, max_words=8)
    assert length.take("one two three four five")
    assert not length.take("six seven eight nine")
    assert length.full and not length.take("six seven")
    assert length.kept == ["one two three four five"] and length.words == 5


def test_the_first_sentence_is_said_whole_however_long() -> None:
    length = AnswerLength(max_sentences=3, max_words=5)
    assert length.take("a b c d e f g h")
    assert length.full and not length.take("i.")


def run_splitter(pieces: list[str], limited: bool = True,
                 max_sentences: int = 3) -> tuple[list[str], list[TurnEvent], Turn]:
    events: list[TurnEvent] = []
    sentences: queue.Queue = queue.Queue()
    wiring = Wiring(emit=events.append, stopping=threading.Event(), transcripts=queue.Queue(),
                    pieces=queue.Queue(), sentences=sentences, audio_out=queue.Queue(),
                    cpu=SynthesisFirst())
    stage = SplitterStage(wiring, max_sentences=max_sentences, max_words=60)
    turn = Turn()
    for piece in pieces:
        stage.handle(TextPiece(turn, piece, "en", limited))
    stage.handle(EndOfAnswer(turn, "en"))
    out = []
    while not sentences.empty():
        item = sentences.get()
        out.append(item.text if isinstance(item, Sentence) else "<end>")
    return out, events, turn


def test_the_splitter_stops_at_the_limit_and_tells_the_llm() -> None:
    said, events, turn = run_splitter(re.findall(r"\S+\s*", STORY))
    assert said == ["Once there was a dragon.", "It lived in a cave. It loved gold.",
                    "One day a knight came.", "<end>"]
    cut = [e for e in events if isinstance(e, AnswerCut)]
    assert [(c.kept, c.sentences) for c in cut] == [(" ".join(said[:3]), 3)]
    assert turn.enough.is_set()
    assert sum(isinstance(e, FirstSentence) for e in events) == 1


def test_after_a_sentence_too_long_for_the_words_left_nothing_more_is_said() -> None:
    """What the LLM's answer was cut to (AnswerCut.kept) is exactly what is said."""
    first = "Once upon a time a dragon slept in a cave."
    long = "It dreamt of " + " ".join(["ox"] * 49) + "."          # 52 words: 62 in all
    said, events, _turn = run_splitter([first + " ", long + " ", "Then it woke up at last. ",
                                        "And that was the end of it."], max_sentences=10)
    assert said == [first, "<end>"]
    (cut,) = [e for e in events if isinstance(e, AnswerCut)]
    assert cut.kept == first and cut.sentences == 1


def test_a_short_answer_is_not_cut() -> None:
    said, events, turn = run_splitter(["Paris is the capital of France."])
    assert said == ["Paris is the capital of France.", "<end>"]
    assert not turn.enough.is_set() and not any(isinstance(e, AnswerCut) for e in events)


def test_a_skill_reply_is_said_whole() -> None:
    said, events, _ = run_splitter([STORY], limited=False, max_sentences=1)
    assert len(said) == 5 and not any(isinstance(e, AnswerCut) for e in events)


def test_the_history_keeps_what_was_said_of_a_cut_answer_in_either_order() -> None:
    early = History(5, 300)
    early.shorten(1, "One. Two. Three.")             # cut before the LLM recorded it
    early.add(Exchange("Tell me a story.", "One. Two. Three. Fo", "en", turn_id=1), 0.0)
    late = History(5, 300)
    late.add(Exchange("Tell me a story.", "One. Two. Three. Fo", "en", turn_id=1), 0.0)
    late.shorten(1, "One. Two. Three.")
    for history in (early, late):
        (exchange,) = history.exchanges(1.0)
        assert (exchange.assistant, exchange.interrupted) == ("One. Two. Three.", False)


def test_an_answer_cut_and_then_talked_over_stays_interrupted() -> None:
    history = History(5, 300)
    history.add(Exchange("Tell me a story.", "One. Two.", "en", interrupted=True,
                         turn_id=1), 0.0)
    history.shorten(1, "One.")
    (exchange,) = history.exchanges(1.0)
    assert exchange.interrupted
