"""How people set, ask about and cancel timers and alarms, and say "stop".

Order matters within a language: the first template that matches wins, so "cancel all
timers" comes before "cancel the {name} timer" (which would take "all" for a name, were
names not refused to be "all").
"""

from __future__ import annotations

from voicebox.skills.base import Templates

NAMED_EN = "[(called|named|for) {name}]"
TEMPLATES: Templates = {
    "en": {
        "stop": ("[okay|ok] (stop|be quiet|quiet|silence|enough|that's enough|shut up|"
                 "never mind|nevermind|cancel) [it|please|now]",
                 "stop (the|that) (alarm|ringing|noise)"),
        "timer-set": (f"[please|can you|could you] (set|start|make|create) [me] (a|an|the) "
                      f"[new] timer (for|of|with) {{duration}} {NAMED_EN}",
                      f"[please] (set|start) (a|an) {{duration}} timer {NAMED_EN}",
                      "(set|start) a timer (called|named) {name} for {duration}",
                      f"[a] timer (for|of) {{duration}} {NAMED_EN}", "{duration} timer"),
        "timer-bare": ("[please|can you|could you] (set|start|make|create) [me] (a|an) "
                       "[new] timer [please]", "timer"),
        "timer-follow-up": ("[for] {duration}",),
        "timer-left": ("how (long|much time) is (left|remaining) [on (the|my) timer|"
                       "on (the|my) timers]",
                       "how (long|much time) (is left|remains) on the {name} timer",
                       "how (long|much time) (left|remaining) [on (the|my) timer]",
                       "how long (until|till) the timer (ends|rings|goes off)",
                       "(what|which) timers are (running|set|on)",
                       "how (is|are) my (timer|timers) [doing]"),
        "timer-cancel-all": ("(cancel|stop|delete|remove|clear|turn off) (all|all the|all my|"
                             "all of the|all of my) timers", "(cancel|delete|clear) my timers"),
        "timer-cancel": ("(cancel|stop|delete|remove|turn off) [the|my] timer",
                         "(cancel|stop|delete|remove|turn off) the {name} timer",
                         "(cancel|stop|delete|remove|turn off) the timer (called|named|for) "
                         "{name}"),
        "alarm-set": ("[please] (set|make|create) [me] an alarm (for|at) {time}",
                      "wake me [up] at {time}", "[an] alarm (for|at) {time}"),
        "alarm-cancel": ("(cancel|stop|delete|remove|turn off) [the|my|all|all my] "
                         "(alarm|alarms)",),
    },
    "de": {
        "stop": ("(stopp|stop|halt|hör auf|ruhe|sei still|schon gut|abbrechen|aufhören|"
                 "genug|das reicht|vergiss es) [bitte|jetzt]",),
        "timer-set": ("[bitte] (stell|stelle|setz|setze|starte|start|mach|mache) [mir] [bitte] "
                      "(einen|den|ein) [neuen] (timer|kurzzeitwecker) (auf|für|von) "
                      "{duration} [(namens|für) {name}]",
                      "(stell|stelle|starte|mach|mache) [mir] einen {duration} timer",
                      "[einen] timer (auf|für|von) {duration}", "{duration} timer"),
        "timer-bare": ("[bitte] (stell|stelle|setz|setze|starte|mach|mache) [mir] [bitte] "
                       "(einen|ein) [neuen] timer", "timer"),
        "timer-follow-up": ("[für|auf] {duration}",),
        "timer-left": ("wie (lange|viel zeit) (läuft|hat|braucht) [der|mein] timer [noch]",
                       "wie (lange|viel zeit) (läuft|hat) der timer {name} noch",
                       "wie (lange|viel zeit) (noch|bleibt noch|ist noch übrig)",
                       "welche timer laufen [noch]"),
        "timer-cancel-all": ("(lösche|lösch|stoppe|stopp|beende|entferne) alle [meine] timer",),
        "timer-cancel": ("(lösche|lösch|stoppe|stopp|beende|entferne) [den|meinen] timer",
                         "(lösche|lösch|stoppe|stopp|beende|entferne) den timer {name}"),
        "alarm-set": ("[bitte] (stell|stelle|setz|setze|mach|mache) [mir] [bitte] (einen|den) "
                      "wecker (auf|für|um) {time}", "weck mich [bitte] um {time} [auf]",
                      "wecker (auf|für|um) {time}"),
        "alarm-cancel": ("(lösche|lösch|stoppe|beende|entferne) [den|meinen|alle] wecker",
                         "(schalte|stell|mach) [den] wecker aus"),
    },
    "fr": {
        "stop": ("(stop|arrête|arrête toi|tais toi|silence|ça suffit|laisse tomber|annule)"
                 " [s'il te plaît]",),
        "timer-set": ("(mets|mettez|lance|lancez|démarre|règle|programme|crée) [moi] un "
                      "(minuteur|timer) (de|pour|sur) {duration} [(appelé|nommé|pour) {name}]",
                      "[un] (minuteur|timer) (de|pour) {duration}"),
        "timer-bare": ("(mets|mettez|lance|lancez|démarre|règle|programme|crée) [moi] un "
                       "(minuteur|timer)", "minuteur"),
        "timer-follow-up": ("[pour] {duration}",),
        "timer-left": ("combien de temps (reste t il|il reste|reste il) [sur le minuteur]",
                       "il reste combien de temps [sur le minuteur]",
                       "combien de temps reste t il sur le minuteur {name}"),
        "timer-cancel-all": ("(annule|arrête|supprime|stoppe) (tous les|les) minuteurs",),
        "timer-cancel": ("(annule|arrête|supprime|stoppe) [le|mon] minuteur",
                         "(annule|arrête|supprime|stoppe) le minuteur {name}"),
        "alarm-set": ("(mets|règle|programme|crée) [moi] une alarme (à|pour) {time}",
                      "réveille moi à {time}", "[une] alarme (à|pour) {time}"),
        "alarm-cancel": ("(annule|arrête|supprime|désactive) (l'|mon|mes|les|toutes les) "
                         "(alarme|alarmes)",),
    },
    "es": {
        "stop": ("(para|basta|detente|cállate|silencio|ya está|déjalo|olvídalo|stop|cancela)"
                 " [por favor]",),
        "timer-set": ("(pon|ponme|programa|inicia|crea|activa) [un] (temporizador|timer) "
                      "(de|para|por) {duration} [(llamado|para) {name}]",
                      "[un] (temporizador|timer) (de|para) {duration}"),
        "timer-bare": ("(pon|ponme|programa|inicia|crea|activa) un (temporizador|timer)",
                       "temporizador"),
        "timer-follow-up": ("[por|de] {duration}",),
        "timer-left": ("cuánto tiempo (queda|falta) [en el temporizador|del temporizador]",
                       "cuánto (queda|falta)", "cuánto le queda al temporizador",
                       "cuánto le queda al temporizador {name}"),
        "timer-cancel-all": ("(cancela|quita|borra|elimina) todos los temporizadores",),
        "timer-cancel": ("(cancela|para|quita|borra|elimina|detén|apaga) [el] temporizador",
                         "(cancela|para|quita|borra|elimina|detén|apaga) el temporizador "
                         "{name}"),
        "alarm-set": ("(pon|ponme|programa|activa) una alarma (a|para) (las|la) {time}",
                      "despiértame a (las|la) {time}", "alarma a (las|la) {time}"),
        "alarm-cancel": ("(cancela|quita|borra|elimina|desactiva|apaga) (la|mi|las|mis|"
                         "todas las) (alarma|alarmas)",),
    },
}
