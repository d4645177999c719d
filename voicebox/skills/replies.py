"""What the skills say, in English, German, French and Spanish.

Replies are written for the ear, through the box's Piper voices (which read digits in their
own language): times as a person says them ("3 oh 5 PM", "15 Uhr 5", not "15:05", which
the voices read as "fifteen zero five"), one as the word that agrees with its noun ("eine
Stunde", "una hora"), and no abbreviations a voice would spell out.
"""

from __future__ import annotations

from collections.abc import Mapping

REPLIES: dict[str, dict[str, str]] = {
    "en": {
        "time": "It's {time}.",
        "date": "Today is {weekday}, {date}.",
        "weekday": "Today is {weekday}.",
        "timer-set": "Timer set for {duration}.",
        "named-timer-set": "{name} timer set for {duration}.",
        "timer-needs-duration": "For how long? Say, for example: set a timer for 5 minutes.",
        "too-short": "A timer needs at least {limit}.",
        "too-long": "{duration} is too long. The longest timer is {limit}.",
        "too-many": "There are already {limit} timers. Cancel one first.",
        "name-taken": "There is already a timer called {name}.",
        "no-timers": "No timer is running.",
        "left": "{duration} left.",
        "left-of": "{what}: {duration} left.",
        "cancelled": "{what} cancelled.",
        "all-cancelled": "{count} timers cancelled.",
        "which": "There are {count} timers: {names}. Which one?",
        "no-such-timer": "There is no timer called {name}.",
        "alarm-set": "Alarm set for {time} {day}.",
        "bad-hour": "There is no {hour} o'clock. Say a time like 7:30.",
        "bad-minute": "An hour has no minute {minute}. Say a time like 7:30.",
        "no-alarms": "No alarm is set.",
        "done": "Your {what} is done.",
        "missed": "While I was off, your {what} ended at {time}.",
        "alarm-ring": "{now} This is your alarm.",
        "alarm-missed": "While I was off, your alarm for {time} went by.",
        "sum": "{a} {op} {b} is {result}.",
        "divide-by-zero": "Nothing can be divided by zero.",
        "nothing-to-repeat": "I haven't said anything yet.",
        "timer": "timer for {duration}", "named-timer": "{name} timer", "alarm": "alarm",
        "today": "today", "tomorrow": "tomorrow", "about": "about {value}",
        "minus": "minus {value}", "and": "and",
    },
    "de": {
        "time": "Es ist {time}.",
        "date": "Heute ist {weekday}, der {date}.",
        "weekday": "Heute ist {weekday}.",
        "timer-set": "Timer für {duration} gestellt.",
        "named-timer-set": "Timer {name} für {duration} gestellt.",
        "timer-needs-duration": "Für wie lange? Sag zum Beispiel: Timer für 5 Minuten.",
        "too-short": "Ein Timer braucht mindestens {limit}.",
        "too-long": "{duration} ist zu lang. Der längste Timer ist {limit}.",
        "too-many": "Es laufen schon {limit} Timer. Lösche zuerst einen.",
        "name-taken": "Es gibt schon einen Timer {name}.",
        "no-timers": "Es läuft kein Timer.",
        "left": "Noch {duration}.",
        "left-of": "{what}: noch {duration}.",
        "cancelled": "{what} gelöscht.",
        "all-cancelled": "{count} Timer gelöscht.",
        "which": "Es laufen {count} Timer: {names}. Welchen meinst du?",
        "no-such-timer": "Es gibt keinen Timer {name}.",
        "alarm-set": "Wecker {day} auf {time} gestellt.",
        "bad-hour": "Es gibt kein {hour} Uhr. Sag eine Uhrzeit wie 7 Uhr 30.",
        "bad-minute": "Eine Stunde hat keine Minute {minute}. Sag eine Uhrzeit wie 7 Uhr 30.",
        "no-alarms": "Es ist kein Wecker gestellt.",
        "done": "Dein {what} ist abgelaufen.",
        "missed": "Während ich aus war, ist dein {what} um {time} abgelaufen.",
        "alarm-ring": "{now} Dein Wecker.",
        "alarm-missed": "Während ich aus war, ist dein Wecker für {time} verstrichen.",
        "sum": "{a} {op} {b} ist {result}.",
        "divide-by-zero": "Durch null kann man nicht teilen.",
        "nothing-to-repeat": "Ich habe noch nichts gesagt.",
        "timer": "Timer für {duration}", "named-timer": "Timer {name}", "alarm": "Wecker",
        "today": "heute", "tomorrow": "morgen", "about": "ungefähr {value}",
        "minus": "minus {value}", "and": "und",
    },
    "fr": {
        "time": "Il est {time}.",
        "date": "Nous sommes {weekday} {date}.",
        "weekday": "Nous sommes {weekday}.",
        "timer-set": "Minuteur réglé sur {duration}.",
        "named-timer-set": "Minuteur {name} réglé sur {duration}.",
        "timer-needs-duration": "Pour combien de temps ? Dis par exemple : "
                                "minuteur de 5 minutes.",
        "too-short": "Un minuteur dure au moins {limit}.",
        "too-long": "{duration}, c'est trop long. Le minuteur le plus long dure {limit}.",
        "too-many": "Il y a déjà {limit} minuteurs. Annule-en un d'abord.",
        "name-taken": "Il y a déjà un minuteur {name}.",
        "no-timers": "Aucun minuteur ne tourne.",
        "left": "Il reste {duration}.",
        "left-of": "{what} : il reste {duration}.",
        "cancelled": "{what} annulé.",
        "all-cancelled": "{count} minuteurs annulés.",
        "which": "Il y a {count} minuteurs : {names}. Lequel ?",
        "no-such-timer": "Il n'y a pas de minuteur {name}.",
        "alarm-set": "Alarme réglée {day} à {time}.",
        "bad-hour": "{hour} heures n'existe pas. Dis une heure comme 7 heures 30.",
        "bad-minute": "Une heure n'a pas de minute {minute}. Dis une heure comme 7 heures 30.",
        "no-alarms": "Aucune alarme n'est réglée.",
        "done": "Ton {what} est terminé.",
        "missed": "Pendant que j'étais éteint, ton {what} s'est terminé à {time}.",
        "alarm-ring": "{now} C'est ton alarme.",
        "alarm-missed": "Pendant que j'étais éteint, ton alarme de {time} est passée.",
        "sum": "{a} {op} {b} font {result}.",
        "divide-by-zero": "On ne peut pas diviser par zéro.",
        "nothing-to-repeat": "Je n'ai encore rien dit.",
        "timer": "minuteur de {duration}", "named-timer": "minuteur {name}",
        "alarm": "alarme", "today": "aujourd'hui", "tomorrow": "demain",
        "about": "environ {value}", "minus": "moins {value}", "and": "et",
    },
    "es": {
        "time": "Son {time}.",
        "time-one": "Es {time}.",
        "date": "Hoy es {weekday}, {date}.",
        "weekday": "Hoy es {weekday}.",
        "timer-set": "Temporizador de {duration} en marcha.",
        "named-timer-set": "Temporizador {name} de {duration} en marcha.",
        "timer-needs-duration": "¿Por cuánto tiempo? Di por ejemplo: "
                                "temporizador de 5 minutos.",
        "too-short": "Un temporizador dura al menos {limit}.",
        "too-long": "{duration} es demasiado. El temporizador más largo es de {limit}.",
        "too-many": "Ya hay {limit} temporizadores. Cancela uno primero.",
        "name-taken": "Ya hay un temporizador {name}.",
        "no-timers": "No hay ningún temporizador en marcha.",
        "left": "Quedan {duration}.",
        "left-of": "{what}: quedan {duration}.",
        "cancelled": "{what} cancelado.",
        "all-cancelled": "{count} temporizadores cancelados.",
        "which": "Hay {count} temporizadores: {names}. ¿Cuál?",
        "no-such-timer": "No hay ningún temporizador {name}.",
        "alarm-set": "Alarma puesta {day} a {time}.",
        "bad-hour": "Las {hour} no existen. Di una hora como las 7 y media.",
        "bad-minute": "Una hora no tiene minuto {minute}. Di una hora como las 7 y media.",
        "no-alarms": "No hay ninguna alarma puesta.",
        "done": "Tu {what} ha terminado.",
        "missed": "Mientras estaba apagado, tu {what} terminó a {time}.",
        "alarm-ring": "{now} Es tu alarma.",
        "alarm-missed": "Mientras estaba apagado, pasó tu alarma de {time}.",
        "sum": "{a} {op} {b} es {result}.",
        "divide-by-zero": "No se puede dividir entre cero.",
        "nothing-to-repeat": "Todavía no he dicho nada.",
        "timer": "temporizador de {duration}", "named-timer": "temporizador {name}",
        "alarm": "alarma", "today": "hoy", "tomorrow": "mañana",
        "about": "aproximadamente {value}", "minus": "menos {value}", "and": "y",
    },
}
LANGUAGES = tuple(REPLIES)


def say(language: str, key: str, **values: object) -> str:
    """The reply ``key`` in ``language`` with ``values`` filled in; the first letter upper."""
    text = REPLIES[language][key].format(**values)
    return text[:1].upper() + text[1:]


def phrase(language: str, key: str, **values: object) -> str:
    """A piece of a reply, as written (not capitalised)."""
    return REPLIES[language][key].format(**values)


def keys(language: str) -> Mapping[str, str]:
    """Every reply of ``language`` (for tests: all languages have the same keys)."""
    return REPLIES[language]
