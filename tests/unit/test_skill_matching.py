"""Which questions the skills answer, per language, and which go to the LLM."""

from __future__ import annotations

import pytest

from tests.unit.skillclock import Clock, make_skills
from voicebox.skills.base import Skill
from voicebox.skills.engine import PARSERS, compile_skills, default_skills

PHRASINGS = [
    ("en", "What time is it?", "clock", "time"), ("en", "What's the time?", "clock", "time"),
    ("en", "Do you know what time it is?", "clock", "time"),
    ("en", "What's the date today?", "clock", "date"),
    ("en", "What is today's date?", "clock", "date"),
    ("en", "What day is it today?", "clock", "weekday"),
    ("en", "What is twelve times seven?", "arithmetic", "sum"),
    ("en", "What's 12 x 7?", "arithmetic", "sum"), ("en", "12 × 7", "arithmetic", "sum"),
    ("en", "How much is 100 divided by 4?", "arithmetic", "sum"),
    ("en", "Set a timer for 5 minutes.", "timer", "timer-set"),
    ("en", "Set a 10-minute timer.", "timer", "timer-set"),
    ("en", "Set a timer for ten minutes called pasta.", "timer", "timer-set"),
    ("en", "Set a timer.", "timer", "timer-bare"),
    ("en", "How long is left on the timer?", "timer", "timer-left"),
    ("en", "How much time is left?", "timer", "timer-left"),
    ("en", "Cancel the pasta timer.", "timer", "timer-cancel"),
    ("en", "Cancel all timers.", "timer", "timer-cancel-all"),
    ("en", "Set an alarm for 7:30 a.m.", "timer", "alarm-set"),
    ("en", "Wake me up at half past six.", "timer", "alarm-set"),
    ("en", "Cancel my alarm.", "timer", "alarm-cancel"),
    ("en", "Stop.", "timer", "stop"), ("en", "Say that again.", "repeat", "repeat"),
    ("en", "Could you repeat that?", "repeat", "repeat"),
    ("de", "Wie spät ist es?", "clock", "time"), ("de", "Wie viel Uhr ist es?", "clock", "time"),
    ("de", "Welches Datum ist heute?", "clock", "date"),
    ("de", "Welcher Tag ist heute?", "clock", "weekday"),
    ("de", "Was ist zwölf mal sieben?", "arithmetic", "sum"),
    ("de", "Wie viel ist 81 geteilt durch 9?", "arithmetic", "sum"),
    ("de", "Stell einen Timer auf fünf Minuten.", "timer", "timer-set"),
    ("de", "Stelle einen Timer für eine halbe Stunde.", "timer", "timer-set"),
    ("de", "Wie lange läuft der Timer noch?", "timer", "timer-left"),
    ("de", "Lösche alle Timer.", "timer", "timer-cancel-all"),
    ("de", "Weck mich um halb sieben.", "timer", "alarm-set"),
    ("de", "Stopp!", "timer", "stop"), ("de", "Wie bitte?", "repeat", "repeat"),
    ("fr", "Quelle heure est-il ?", "clock", "time"), ("fr", "Il est quelle heure ?", "clock",
                                                       "time"),
    ("fr", "Quelle est la date d'aujourd'hui ?", "clock", "date"),
    ("fr", "Quel jour sommes-nous ?", "clock", "weekday"),
    ("fr", "Combien font douze fois sept ?", "arithmetic", "sum"),
    ("fr", "Douze fois sept", "arithmetic", "sum"),
    ("fr", "Mets un minuteur de cinq minutes.", "timer", "timer-set"),
    ("fr", "Combien de temps reste-t-il ?", "timer", "timer-left"),
    ("fr", "Annule le minuteur.", "timer", "timer-cancel"),
    ("fr", "Réveille-moi à sept heures et demie.", "timer", "alarm-set"),
    ("fr", "Répète, s'il te plaît.", "repeat", "repeat"),
    ("es", "¿Qué hora es?", "clock", "time"), ("es", "¿Qué día es hoy?", "clock", "weekday"),
    ("es", "¿Qué fecha es hoy?", "clock", "date"),
    ("es", "¿Cuánto es doce por siete?", "arithmetic", "sum"),
    ("es", "Doce por siete", "arithmetic", "sum"),
    ("es", "Pon un temporizador de cinco minutos.", "timer", "timer-set"),
    ("es", "¿Cuánto tiempo queda?", "timer", "timer-left"),
    ("es", "Despiértame a las siete y media.", "timer", "alarm-set"),
    ("es", "Cancela el temporizador.", "timer", "timer-cancel"),
    ("es", "Repite, por favor.", "repeat", "repeat"),
]
NEAR_MISSES = [
    "What time did the war end?", "What time is it in Tokyo?", "What day is Christmas?",
    "What is the date of Easter?", "What is the capital of France?", "Tell me about timers.",
    "How long is the Nile?", "What is twelve?", "What is two plus two plus two?",
    "Stop the war in my head, tell me a story.", "Set the table for dinner.",
    "Wie spät ist es in Tokio?", "Was ist die Hauptstadt von Frankreich?",
    "Quelle heure est-il à New York ?", "¿Qué hora es en Madrid?", "Repeat after me: hello.",
    "The timer went off yesterday.", "What is the time complexity of quicksort?",
]


@pytest.fixture
def skills():
    return make_skills(Clock())


@pytest.mark.parametrize(("language", "said", "skill", "intent"), PHRASINGS)
def test_phrasings_reach_their_skill(skills, language: str, said: str, skill: str,
                                     intent: str) -> None:
    answer = skills.answer(said, language, language)
    assert answer is not None, said
    assert (answer.skill, answer.intent) == (skill, intent)


@pytest.mark.parametrize("said", NEAR_MISSES)
def test_near_misses_go_to_the_llm(skills, said: str) -> None:
    assert skills.answer(said, "en", "en") is None


@pytest.mark.parametrize(("said", "language"), [
    ("what is twelve times seven", "en"), ("zwölf mal sieben", "de"), ("douze fois sept", "fr"),
    ("doce por siete", "es"), ("What is 12 times 7?", "en"), ("12 mal 7", "de"),
])
def test_twelve_times_seven_in_every_language(skills, said: str, language: str) -> None:
    answer = skills.answer(said, language, language)
    assert answer is not None and "84" in answer.text


def test_a_question_in_a_language_without_a_voice_is_answered_in_the_voice_s_language(
        skills) -> None:
    answer = skills.answer("Wie spät ist es?", "de", "en")
    assert answer is not None and answer.text == "It's 2 oh 5 PM."


def test_a_reply_language_the_skills_cannot_speak_goes_to_the_llm(skills) -> None:
    assert skills.answer("What time is it?", "en", "it") is None


def test_every_template_compiles_and_every_slot_has_a_parser() -> None:
    table = compile_skills(default_skills())
    for language, entries in table.items():
        assert entries, language
        for entry in entries:
            assert entry.template.slot_kinds <= PARSERS.keys(), entry.template.text


def test_every_skill_speaks_the_same_four_languages() -> None:
    skill: Skill
    for skill in default_skills():
        assert set(skill.templates) == {"en", "de", "fr", "es"}, skill.name


MORE = [
    ("en", "Tell me more."), ("en", "Tell me more about that, please."), ("en", "Go on."),
    ("en", "Continue."), ("en", "Keep going!"), ("en", "What else?"),
    ("de", "Erzähl mir mehr."), ("de", "Erzähl mir mehr darüber."), ("de", "Mach weiter."),
    ("de", "Weiter, bitte."), ("de", "Was noch?"),
    ("fr", "Dis-m'en plus."), ("fr", "Raconte-m'en plus, s'il te plaît."),
    ("fr", "Continue."), ("fr", "Vas-y, continue."), ("fr", "Quoi d'autre ?"),
    ("es", "Cuéntame más."), ("es", "Dime más sobre eso, por favor."), ("es", "Sigue."),
    ("es", "Continúa, por favor."), ("es", "¿Qué más?"),
]
MORE_NEAR_MISSES = [
    ("en", "Tell me more about Paris."), ("en", "Go on a trip to Rome."),
    ("en", "Continue the story about the dragon."), ("en", "Tell me a joke."),
    ("de", "Erzähl mir mehr über Berlin."), ("de", "Wie geht es weiter mit dem Wetter?"),
    ("fr", "Dis-moi plus sur la France."), ("es", "Cuéntame más sobre Madrid."),
    ("es", "Sigue la receta de la paella."),
]


@pytest.mark.parametrize(("language", "said"), MORE)
def test_tell_me_more_hands_the_llm_an_instruction_to_continue(skills, language: str,
                                                               said: str) -> None:
    skills.remember("The capital of France is Paris.")
    answer = skills.answer(said, language, language)
    assert answer is not None, said
    assert (answer.skill, answer.intent, answer.text) == ("more", "continue", "")
    assert answer.llm_prompt.startswith("Continue your last answer from where it stopped")


@pytest.mark.parametrize(("language", "said"), MORE_NEAR_MISSES)
def test_a_request_about_something_new_is_a_question_for_the_llm(skills, language: str,
                                                                  said: str) -> None:
    skills.remember("The capital of France is Paris.")
    assert skills.answer(said, language, language) is None


@pytest.mark.parametrize(("language", "reply"), [
    ("en", "I haven't said anything yet."), ("de", "Ich habe noch nichts gesagt."),
    ("fr", "Je n'ai encore rien dit."), ("es", "Todavía no he dicho nada.")])
def test_tell_me_more_before_any_answer_says_there_is_nothing(skills, language: str,
                                                             reply: str) -> None:
    said = next(text for code, text in MORE if code == language)
    answer = skills.answer(said, language, language)
    assert answer is not None and (answer.text, answer.llm_prompt) == (reply, "")
