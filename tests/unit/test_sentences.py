"""The streaming sentence splitter: exact sentences, the same however the stream is cut."""

from __future__ import annotations

import pytest

from tests.unit.sentence_feeding import (
    RUNAWAY,
    SPLIT,
    split,
)
from voicebox.speech.sentences import SplitterRules

ENDS = [
    ("period", "One is here. Two is here.", ["One is here.", "Two is here."]),
    ("bang-and-question", "Stop! Why? Go.", ["Stop!", "Why?", "Go."]),
    ("mixed-run", "Really?! Yes.", ["Really?!", "Yes."]),
    ("ellipsis-then-capital", "Wait... Then go.", ["Wait...", "Then go."]),
    ("ellipsis-then-lowercase", "Wait... then go.", ["Wait... then go."]),
    ("unicode-ellipsis", "Well… I see. Fine.", ["Well…", "I see.", "Fine."]),
    ("closing-quote", 'He said "Go." Then left.', ['He said "Go."', "Then left."]),
    ("closing-bracket", "It works (mostly.) Next one.", ["It works (mostly.)", "Next one."]),
    ("quote-then-comma", '"Hello.", she said.', ['"Hello.", she said.']),
    ("bold-closer", "**Note.** Read this.", ["Note.", "Read this."]),
    ("no-end-at-all", "no punctuation here", ["no punctuation here"]),
    ("number-then-end", "I am 42. You are 7.", ["I am 42.", "You are 7."]),
    ("crlf", "First line\r\n\r\nSecond line", ["First line", "Second line"]),
    ("quote-then-lowercase", '"Stop!" he said. "Why?" Nobody knew.',
     ['"Stop!" he said.', '"Why?"', "Nobody knew."]),
]

NUMBERS_AND_ADDRESSES = [
    ("decimal", "Pi is 3.14 today. Yes.", ["Pi is 3.14 today.", "Yes."]),
    ("time", "Meet at 10:30. Bring tea.", ["Meet at 10:30.", "Bring tea."]),
    ("version", "Use version 2.5.1 now. Done.", ["Use version 2.5.1 now.", "Done."]),
    ("money", "It costs $4.99. Cheap.", ["It costs $4.99.", "Cheap."]),
    ("thousands", "We sold 1,000 units. Great.", ["We sold 1,000 units.", "Great."]),
    ("url", "Visit https://example.com/a.b?c=1. Then rest.",
     ["Visit https://example.com/a.b?c=1.", "Then rest."]),
    ("www", "See www.example.com for more. Bye.", ["See www.example.com for more.", "Bye."]),
    ("email", "Write to name@example.org. We reply.", ["Write to name@example.org.", "We reply."]),
    ("url-kept-as-is", "Open https://x.org/_a_b_/c?d=e_f now.",
     ["Open https://x.org/_a_b_/c?d=e_f now."]),
    ("email-kept-as-is", "Mail first_last@example.co.uk today.",
     ["Mail first_last@example.co.uk today."]),
]

ABBREVIATIONS = [
    ("titles", "Dr. Smith and Mrs. Jones met Mr. Brown. Ok.",
     ["Dr. Smith and Mrs. Jones met Mr. Brown.", "Ok."]),
    ("prof-ms-st", "Prof. Lee, Ms. Kay and St. Paul. Ok.",
     ["Prof. Lee, Ms. Kay and St. Paul.", "Ok."]),
    ("lowercase-title", "Ask dr. Who today. Ok.", ["Ask dr. Who today.", "Ok."]),
    ("latin", "Fruit, e.g. apples, i.e. food. Ok.", ["Fruit, e.g. apples, i.e. food.", "Ok."]),
    ("countries", "The U.S. and the U.K. agree. Ok.", ["The U.S. and the U.K. agree.", "Ok."]),
    ("clock", "Open at 9 a.m. or 5 p.m. daily. Ok.", ["Open at 9 a.m. or 5 p.m. daily.", "Ok."]),
    ("numbering", "Fig. 3 and No. 5 agree. Ok.", ["Fig. 3 and No. 5 agree.", "Ok."]),
    ("no-as-answer", "No. I refuse.", ["No.", "I refuse."]),
    ("companies", "Acme Inc. vs. Foo Ltd. costs approx. one. Ok.",
     ["Acme Inc. vs. Foo Ltd. costs approx. one.", "Ok."]),
    ("jr-sr", "Bob Jr. and Bob Sr. came. Ok.", ["Bob Jr. and Bob Sr. came.", "Ok."]),
    ("initials", "J. R. R. Tolkien wrote it. Read it.", ["J. R. R. Tolkien wrote it.", "Read it."]),
    ("etc-then-capital-ends", "Apples, pears, etc. They are fruit.",
     ["Apples, pears, etc.", "They are fruit."]),
    ("etc-then-lowercase", "Apples, pears, etc. are fruit.", ["Apples, pears, etc. are fruit."]),
    ("etc-at-the-end", "Apples, pears, etc.", ["Apples, pears, etc."]),
]

BLOCKS = [
    ("paragraphs", "First line\n\nSecond line", ["First line", "Second line"]),
    ("wrapped-line-joins", "This goes\non here.", ["This goes on here."]),
    ("dash-list", "Tips:\n- Eat well\n- Sleep", ["Tips:", "Eat well", "Sleep"]),
    ("star-and-plus-list", "* one\n+ two\n• three", ["one", "two", "three"]),
    ("numbered-list", "1. First\n2) Second\n10. Tenth", ["First", "Second", "Tenth"]),
    ("marker-is-not-an-end", "1. Step one. Then more.\n2. Step two.",
     ["Step one.", "Then more.", "Step two."]),
    ("indented-item", "Do this:\n  - indented item", ["Do this:", "indented item"]),
    ("heading", "# Title\nBody text here.", ["Title", "Body text here."]),
    ("heading-then-list", "## Steps\n1. Go", ["Steps", "Go"]),
    ("hashtag-is-text", "#python rocks.", ["#python rocks."]),
    ("negative-number-is-text", "-5 degrees. Cold.", ["-5 degrees.", "Cold."]),
    ("decimal-at-block-start", "1.5 litres a day. Ok.", ["1.5 litres a day.", "Ok."]),
]

MARKUP = [
    ("emphasis", "This is **bold** and *italic* and __under__ text.",
     ["This is bold and italic and under text."]),
    ("emphasis-in-brackets", "It (**really**) works, **Note:** ok.",
     ["It (really) works, Note: ok."]),
    ("code", "Run `ls -l` now.\n```bash\nls\n```", ["Run ls -l now.", "ls"]),
    ("link", "See [the docs](https://x.org/d) now.", ["See the docs now."]),
    ("bold-link", "See [**the docs**](https://x.org/d) now.", ["See the docs now."]),
    ("not-markup", "Use snake_case and 2*3 or 5 * 3 here.",
     ["Use snake_case and 2*3 or 5 * 3 here."]),
    ("rule-is-dropped", "Hello there.\n\n---\n\n***\n\nBye now.", ["Hello there.", "Bye now."]),
    ("punctuation-is-dropped", "Ok. ... ! Next.", ["Ok.", "Next."]),
    ("whitespace-collapsed", "Hello\u00a0\u00a0 world.  Next\tone.", ["Hello world.", "Next one."]),
]

UNICODE = [
    ("german", "Wie spät ist es? Es ist 10:30 Uhr, z.B. jetzt. Danke!",
     ["Wie spät ist es?", "Es ist 10:30 Uhr, z.B. jetzt.", "Danke!"]),
    ("german-abbreviations", "Das kostet ca. 5 Euro bzw. mehr. Gut.",
     ["Das kostet ca. 5 Euro bzw. mehr.", "Gut."]),
    ("spanish", "¿Qué hora es? ¡Hola! Adiós.", ["¿Qué hora es?", "¡Hola!", "Adiós."]),
    ("spanish-title", "El Sr. García llegó. Bien.", ["El Sr. García llegó.", "Bien."]),
    ("guillemets", "Il a dit « Bonjour. » Puis il est parti.",
     ["Il a dit « Bonjour. »", "Puis il est parti."]),
    ("guillemets-nbsp", "Il a dit «\u00a0Salut.\u00a0» Puis rien.",
     ["Il a dit « Salut. »", "Puis rien."]),
    ("french-space-before-question", "Quelle heure est-il ? Il est tard.",
     ["Quelle heure est-il ?", "Il est tard."]),
    ("guillemet-left-over", "« Bonjour. Ça va ? » Oui.", ["« Bonjour.", "Ça va ?", "Oui."]),
    ("french-title", "Mme. Curie et M. Dupont. Oui.", ["Mme. Curie et M. Dupont.", "Oui."]),
]


def rows(*tables: list[tuple[str, str, list[str]]]) -> list[pytest.param]:
    return [pytest.param(text, expected, id=name)
            for table in tables for name, text, expected in table]


@pytest.mark.parametrize(("text", "expected"),
                         rows(ENDS, NUMBERS_AND_ADDRESSES, ABBREVIATIONS, BLOCKS, MARKUP, UNICODE))
def test_splitting(text: str, expected: list[str]) -> None:
    assert split(text, SPLIT) == expected


MERGING = [
    ("short-first", "Yes. I can help.", ["Yes. I can help."]),
    ("all-short", "Yes. It is.", ["Yes. It is."]),
    ("several-short", "Hi. Yo. This is the third one.", ["Hi. Yo. This is the third one."]),
    ("short-last-alone", "This first sentence is long. Ok.",
     ["This first sentence is long.", "Ok."]),
    ("exactly-min-chars", "Twenty characters ok. Next one.",
     ["Twenty characters ok.", "Next one."]),
    ("list-items-not-merged", "- Milk\n- Eggs\n- Bread", ["Milk", "Eggs", "Bread"]),
    ("paragraph-end-emits", "Yes.\n\nThis is another paragraph.",
     ["Yes.", "This is another paragraph."]),
    ("wrapped-line-merges", "Yes.\nI can help you.", ["Yes. I can help you."]),
    ("dropped-fragment-keeps-pending", "Hi. ... This is the rest of it.",
     ["Hi. This is the rest of it."]),
]


@pytest.mark.parametrize(("text", "expected"), rows(MERGING))
def test_short_sentences_are_merged(text: str, expected: list[str]) -> None:
    assert split(text, SplitterRules(early_flush_chars=0)) == expected


RUNAWAYS = [
    ("semicolon-first", "Alpha beta gamma, delta epsilon; zeta eta theta iota kappa lambda mu nu.",
     ["Alpha beta gamma, delta epsilon;", "zeta eta theta iota kappa lambda mu nu."]),
    ("colon-before-comma", "Alpha beta gamma delta, epsilon zeta: eta theta iota kappa lambda mu.",
     ["Alpha beta gamma delta, epsilon zeta:", "eta theta iota kappa lambda mu."]),
    ("comma-before-dash", "Alpha beta - gamma delta, epsilon zeta eta theta iota kappa.",
     ["Alpha beta - gamma delta,", "epsilon zeta eta theta iota kappa."]),
    ("dash", "Alpha beta gamma delta – epsilon zeta eta theta iota kappa.",
     ["Alpha beta gamma delta –", "epsilon zeta eta theta iota kappa."]),
    ("early-comma-is-too-early",
     "Alpha, beta gamma delta epsilon zeta eta theta iota kappa lambda.",
     ["Alpha, beta gamma delta epsilon zeta eta", "theta iota kappa lambda."]),
    ("last-space", "one two three four five six seven eight nine ten eleven twelve.",
     ["one two three four five six seven eight", "nine ten eleven twelve."]),
    ("spaced-number-ends-at-limit", "We counted 1 000 000 sheep and 2 000 000 goats and more.",
     ["We counted 1 000 000 sheep and 2 000 000", "goats and more."]),
    ("spaced-number-over-limit", "We counted 1 000 000 sheep and 12 000 000 goats and more.",
     ["We counted 1 000 000 sheep and", "12 000 000 goats and more."]),
    ("long-url-whole", "Go to https://example.com/a/very/long/path/that/never/ends/at/all now.",
     ["Go to", "https://example.com/a/very/long/path/that/never/ends/at/all", "now."]),
    ("long-word-at-the-end", "Go " + "x" * 50, ["Go", "x" * 50]),
    ("link-text-whole", "Read the [guide about many things and more](https://x.org) and do it.",
     ["Read the", "guide about many things and more", "and do it."]),
    ("end-just-past-max", "This sentence is exactly forty-one chars. Next.",
     ["This sentence is exactly forty-one", "chars.", "Next."]),
    ("end-at-max", "This sentence is exactly forty chars ok. Next.",
     ["This sentence is exactly forty chars ok.", "Next."]),
]


@pytest.mark.parametrize(("text", "expected"), rows(RUNAWAYS))
def test_runaway_sentences_are_cut_at_the_best_break(text: str, expected: list[str]) -> None:
    assert all(len(sentence) <= 40 for sentence in expected if " " in sentence)
    assert split(text, RUNAWAY) == expected


EARLY = [
    ("cut-at-the-first-comma-far-enough-in",
     "When you get up in the morning, drink a glass of water, and then stretch your legs. Eat.",
     ["When you get up in the morning,", "drink a glass of water, and then stretch your legs.",
      "Eat."]),
    ("semicolon",
     "When you get up in the morning; drink a glass of cold water and then stretch. Ok.",
     ["When you get up in the morning;", "drink a glass of cold water and then stretch.", "Ok."]),
    ("only-the-first-sentence",
     "Yes, this is a short start. When you get up in the morning, drink a glass of water, "
     "then eat.",
     ["Yes, this is a short start.",
      "When you get up in the morning, drink a glass of water, then eat."]),
    ("comma-too-early", "Well, you could get up in the morning and drink a glass of water first.",
     ["Well, you could get up in the morning and drink a glass of water first."]),
    ("end-within-the-limit", "Here we go with it all, and more. Then the long rest follows, fine.",
     ["Here we go with it all, and more.", "Then the long rest follows, fine."]),
    ("comma-in-link-text",
     "Please read the [guide, which explains it all, really](https://x.org) now.",
     ["Please read the guide, which explains it all, really now."]),
    ("after-short-pending",
     "Sure! When you get up in the morning, drink a glass of water, and stretch.",
     ["Sure! When you get up in the morning,", "drink a glass of water, and stretch."]),
]


@pytest.mark.parametrize(("text", "expected"), rows(EARLY))
def test_first_sentence_is_cut_early_at_a_comma(text: str, expected: list[str]) -> None:
    assert split(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("This has twenty-five char, then more words follow here.",
                 ["This has twenty-five char,", "then more words follow here."],
                 id="comma-at-25"),
    pytest.param("This has twenty-four chr, then more words follow here.",
                 ["This has twenty-four chr, then more words follow here."],
                 id="comma-at-24"),
])
def test_an_early_cut_needs_its_comma_25_characters_in(text: str, expected: list[str]) -> None:
    assert split(text, SplitterRules(min_chars=0)) == expected


def test_early_flush_can_be_disabled() -> None:
    text = "When you get up in the morning, drink a glass of water, and then stretch. Then eat."
    assert split(text, SplitterRules(early_flush_chars=0)) == [
        "When you get up in the morning, drink a glass of water, and then stretch.", "Then eat."]


