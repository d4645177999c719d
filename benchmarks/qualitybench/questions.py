"""The answer-quality set: spoken questions and the words a right answer contains.

Each dialogue is one conversation (the history is cleared before it); its turns are asked in
order, so a follow-up ("and what about Germany?") is graded on what it means after the turn
before. English is spoken by the box's own Piper voice made steady (the test voice); German,
French and Spanish by espeak-ng, the only voices for them here (the dev box has no Piper voice
in those languages), so their skill questions also measure whisper base on espeak speech.

``expect``: every entry must be in the answer; ``a|b`` accepts either. ``{hour}``,
``{weekday}``, ``{day}`` and ``{month}`` are filled from the local time when the question is
asked (see grade.py). The dev box answers in English whatever the question's language (it has
one voice), so the expected words are English.
"""

from __future__ import annotations

from dataclasses import dataclass

SKILLS = ("skills-en", "skills-de", "skills-fr", "skills-es")
ESPEAK_WPM = 140


@dataclass(frozen=True)
class Ask:
    """One question of a dialogue."""

    text: str
    category: str
    expect: tuple[str, ...]
    language: str = "en"


Dialogue = tuple[Ask, ...]


def _skills(category: str, language: str, texts: dict[str, str]) -> tuple[Dialogue, ...]:
    """The same eight skill questions in one language: clock, timers, sums, repeat."""
    def ask(key: str, *expect: str) -> Ask:
        return Ask(texts[key], category, expect, language)

    return (
        (ask("time", "{hour}", "am|pm"),),
        (ask("weekday", "{weekday}"),),
        (ask("date", "{day}", "{month}"),),
        (ask("timer", "timer", "20", "minutes"), ask("left", "minutes", "left"),
         ask("cancel", "cancelled")),
        (ask("sum", "84"), ask("repeat", "84")),
    )


SKILL_DIALOGUES = (
    *_skills("skills-en", "en", {
        "time": "What time is it?", "weekday": "What day is it today?",
        "date": "What's the date today?", "timer": "Set a timer for twenty minutes.",
        "left": "How long is left on the timer?", "cancel": "Cancel all timers.",
        "sum": "What is twelve times seven?", "repeat": "Say that again."}),
    *_skills("skills-de", "de", {
        "time": "Wie spät ist es?", "weekday": "Welcher Tag ist heute?",
        "date": "Welches Datum ist heute?", "timer": "Stell einen Timer auf zwanzig Minuten.",
        "left": "Wie lange läuft der Timer noch?", "cancel": "Lösche alle Timer.",
        "sum": "Was ist zwölf mal sieben?", "repeat": "Wiederhole das bitte."}),
    *_skills("skills-fr", "fr", {
        "time": "Quelle heure est-il ?", "weekday": "Quel jour sommes-nous ?",
        "date": "Quelle est la date d'aujourd'hui ?",
        "timer": "Mets un minuteur de vingt minutes.", "left": "Combien de temps reste-t-il ?",
        "cancel": "Annule tous les minuteurs.", "sum": "Combien font douze fois sept ?",
        "repeat": "Répète, s'il te plaît."}),
    *_skills("skills-es", "es", {
        "time": "¿Qué hora es?", "weekday": "¿Qué día es hoy?", "date": "¿Qué fecha es hoy?",
        "timer": "Pon un temporizador de veinte minutos.", "left": "¿Cuánto tiempo queda?",
        "cancel": "Cancela todos los temporizadores.", "sum": "¿Cuánto es doce por siete?",
        "repeat": "Repite, por favor."}),
)

FACTS = (
    ("What is the capital of France?", "paris"), ("What is the capital of Italy?", "rome"),
    ("What is the capital of Japan?", "tokyo"), ("Who wrote Romeo and Juliet?", "shakespeare"),
    ("Who painted the Mona Lisa?", "leonardo|vinci"),
    ("What is the largest planet in our solar system?", "jupiter"),
    ("How many legs does a spider have?", "eight|8"),
    ("How many days are there in a week?", "seven|7"),
    ("At what temperature does water boil in degrees Celsius?", "100|hundred"),
    ("What color is the sky on a clear day?", "blue"),
    ("Which animal is known as the king of the jungle?", "lion"),
    ("What is the chemical symbol for water?", "h2o|h 2 o"),
    ("What is the tallest mountain in the world?", "everest"),
    ("On which continent is Egypt?", "africa|african"),
    ("What language is spoken in Brazil?", "portuguese"),
    ("How many continents are there?", "seven|7"),
)

ARITHMETIC = (  # beyond the skill's one operation on two numbers: the LLM answers these
    ("What is two plus two plus two?", "six|6"), ("What is half of one hundred?", "fifty|50"),
    ("What is ten percent of two hundred?", "twenty|20"),
    ("How many minutes are in two hours?", "120|hundred and twenty|hundred twenty"),
    ("What is three squared?", "nine|9"), ("What is the square root of sixty four?", "eight|8"),
    ("If I have five apples and eat two, how many are left?", "three|3"),
    ("How many seconds are in a minute?", "sixty|60"),
)

FOLLOW_UPS = (
    (("What is the capital of France?", "paris"), ("And what about Germany?", "berlin")),
    (("What is the capital of Spain?", "madrid"), ("And of Portugal?", "lisbon")),
    (("Who wrote Hamlet?", "shakespeare"),
     ("When was he born?", "1564|fifteen sixty four|sixteenth")),
    (("How many legs does a dog have?", "four|4"), ("And a bird?", "two|2")),
)

DIALOGUES: tuple[Dialogue, ...] = (
    *SKILL_DIALOGUES,
    *((Ask(text, "facts", (expect,)),) for text, expect in FACTS),
    *((Ask(text, "arithmetic", (expect,)),) for text, expect in ARITHMETIC),
    *(tuple(Ask(text, "follow-up", (expect,)) for text, expect in turns)
      for turns in FOLLOW_UPS),
)
CATEGORIES = (*SKILLS, "facts", "arithmetic", "follow-up")
