"""Local skills: questions a kitchen box hears most, answered exactly and at once.

The time, the date, timers and alarms, "stop", "say that again" and small sums are matched
against sentence templates before the LLM sees the question; anything no template matches
goes to the LLM as before. Every module here is pure (text and numbers in, decisions out)
except ``store`` (the timers file) and ``ringer`` (the thread that rings timers).
"""
