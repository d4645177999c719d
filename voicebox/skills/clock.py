"""The time, the date and the day of the week."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from voicebox.skills import spoken
from voicebox.skills.base import Context, Templates
from voicebox.skills.replies import REPLIES, say

TEMPLATES: Templates = {
    "en": {
        "time": ("what time is it [now|right now] [please]",
                 "(what's|what is|whats|tell me) the [current] time [now|right now] [please]",
                 "(do you know|can you tell me|could you tell me) (what time it is|the time)",
                 "[the] time please", "what's the time"),
        "date": ("(what's|what is|whats|tell me) [the] date [today|now]",
                 "(what's|what is|whats) today's date", "(what|which) date is it [today]",
                 "what is the date of today"),
        "weekday": ("(what|which) day is (it|today) [today]",
                    "(what|which) day of the week is (it|today) [today]"),
    },
    "de": {
        "time": ("(wie spät|wie viel uhr|wieviel uhr) ist es [jetzt|gerade] [bitte]",
                 "(was ist|sag mir) die uhrzeit [bitte]",
                 "(kannst du mir sagen|weißt du) wie spät es ist"),
        "date": ("(welches datum|was für ein datum) (ist|haben wir) [heute]",
                 "(was ist|welches ist) das heutige datum", "der wievielte ist heute",
                 "den wievielten haben wir heute"),
        "weekday": ("(welcher tag|welcher wochentag) ist heute",
                    "(welchen tag|welchen wochentag) haben wir heute",
                    "was ist heute für ein tag"),
    },
    "fr": {
        "time": ("quelle heure est il [maintenant]", "il est quelle heure",
                 "quelle heure il est", "(tu as|vous avez) l'heure",
                 "(tu peux|peux tu) me (dire|donner) l'heure", "donne moi l'heure"),
        "date": ("quelle est la date [d'aujourd'hui]",
                 "(on est|nous sommes) le combien [aujourd'hui]",
                 "quelle date (sommes nous|on est|est on) [aujourd'hui]"),
        "weekday": ("quel jour (sommes nous|on est|est on|est ce) [aujourd'hui]",
                    "on est quel jour [aujourd'hui]"),
    },
    "es": {
        "time": ("qué hora es [ahora]", "(me dices|dime|me puedes decir|puedes decirme) "
                 "la hora", "(sabes|me dices|me puedes decir) qué hora es",
                 "tienes hora"),
        "date": ("(qué|cuál es la) fecha (es hoy|de hoy|es)", "a qué fecha estamos [hoy]",
                 "a cuántos estamos [hoy]", "qué fecha es hoy"),
        "weekday": ("qué día es hoy", "qué día de la semana es [hoy]",
                    "en qué día estamos [hoy]"),
    },
}


def time_sentence(hour: int, minute: int, language: str) -> str:
    """"It's 3 oh 5 PM." in ``language`` (Spanish says "Es la una", "Son las dos")."""
    key = "time-one" if hour % 12 == 1 and "time-one" in REPLIES[language] else "time"
    return say(language, key, time=spoken.clock(hour, minute, language))


class ClockSkill:
    """Reads the clock; nothing to refuse."""

    name = "clock"
    templates = TEMPLATES

    def answer(self, intent: str, slots: Mapping[str, Any], context: Context) -> str:
        """The time, the date or the weekday of ``context.local``."""
        local, language = context.local, context.language
        if intent == "time":
            return time_sentence(local.hour, local.minute, language)
        day = local.date()
        weekday = spoken.weekday(day, language)
        if intent == "weekday":
            return say(language, "weekday", weekday=weekday)
        return say(language, "date", weekday=weekday, date=spoken.date(day, language))
