"""From measured turns to the figures a person reads: summaries, ratios, targets, a table.

Every figure is given for the streamed daemon and the sequential baseline of the same run,
with the ratio next to it (baseline over streamed: above 1 means the daemon is better).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from benchmarks.voicebench.stats import ratio, summarize
from benchmarks.voicebench.wer import word_error_rate

Turn = dict[str, Any]
KINDS = ("streamed", "sequential")
STAGES = {  # the parts of voice-to-voice, in order, as (label, how to get it from a turn)
    "streamed": (
        ("hang-over", lambda t: t["endpoint_s"]),
        ("STT after the end", lambda t: _minus(t["transcript_s"], t["endpoint_s"])),
        ("first token", lambda t: t["llm_first_token_s"]),
        ("first sentence", lambda t: t["first_sentence_s"]),
        ("first audio", lambda t: t["tts_first_audio_s"]),
        ("audio in/out", lambda t: t["audio_io_s"]),
    ),
    "sequential": (
        ("hang-over", lambda t: t["endpoint_s"]),
        ("STT", lambda t: t["stt_s"]),
        ("whole answer", lambda t: t["llm_s"]),
        ("whole synthesis", lambda t: t["tts_s"]),
        ("audio out", lambda t: t["audio_io_s"]),
    ),
}
STREAMED_TIMINGS = ("endpoint_s", "stt_s", "transcript_s", "llm_first_token_s",
                    "first_sentence_s", "tts_first_audio_s", "audio_io_s", "capture_s",
                    "playback_s")


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def compare(turns: Iterable[Turn], measure: Callable[[Turn], float | None]) -> dict[str, Any]:
    """The streamed and sequential summaries of one figure, and their ratios."""
    by_kind = {kind: summarize(measure(t) for t in turns if t["kind"] == kind)
               for kind in KINDS}
    streamed, sequential = by_kind["streamed"], by_kind["sequential"]
    return {**by_kind, "ratio_median": ratio(sequential["median"], streamed["median"]),
            "ratio_p95": ratio(sequential["p95"], streamed["p95"])}


def wer_of(turns: list[Turn], kind: str, english: bool) -> float | None:
    """Word error rate of one side's transcripts, English questions or the others."""
    return word_error_rate((t["reference"], t["transcript"]) for t in turns
                           if t["kind"] == kind and (t["language"] == "en") == english)


def summary(turns: list[Turn], trials: list[Turn], meta: dict[str, Any]) -> dict[str, Any]:
    """Everything the JSON file, the table and the chart show."""
    answered = [t for t in turns if t["voice_to_voice_s"] is not None]
    stages = {kind: {label: summarize(get(t) for t in answered if t["kind"] == kind)["median"]
                     for label, get in STAGES[kind]} for kind in KINDS}
    barge_ins = {"streamed": summarize(t.get("latency_s") for t in trials),
                 "sequential": summarize(t.get("baseline_s") for t in trials)}
    barge_ins["ratio_median"] = ratio(barge_ins["sequential"]["median"],
                                      barge_ins["streamed"]["median"])
    peaks = {kind: max((t["peak_rss_mb"] for t in turns if t["kind"] == kind), default=None)
             for kind in KINDS}
    result = {
        "meta": meta,
        "voice_to_voice_s": compare(answered, lambda t: t["voice_to_voice_s"]),
        "after_hangover_s": compare(answered, lambda t: _minus(t["voice_to_voice_s"],
                                                               t["endpoint_s"])),
        "by_question": _by_question(turns),
        "stages_median_s": stages,
        "streamed_timings_s": {name: summarize(t.get(name) for t in answered
                                               if t["kind"] == "streamed")
                               for name in STREAMED_TIMINGS},
        "barge_in_s": barge_ins,
        "false_barge_ins": sum(t.get("false_barge_ins", 0) for t in [*turns, *trials]),
        "false_barge_ins_where": {
            "quiet questions": sum(t.get("false_barge_ins", 0) for t in turns if not t["noise"]),
            "noisy questions": sum(t.get("false_barge_ins", 0) for t in turns if t["noise"]),
            "barge-in trials": sum(t.get("false_barge_ins", 0) for t in trials)},
        "unanswered": {kind: [t["question"] for t in turns
                              if t["kind"] == kind and t["voice_to_voice_s"] is None]
                       for kind in KINDS},
        "wer": {group: {kind: wer_of(turns, kind, group == "english") for kind in KINDS}
                for group in ("english", "other")},
        "peak_rss_mb": {**peaks, "ratio": ratio(peaks["sequential"], peaks["streamed"])},
        "cpu_s_per_turn": compare(turns, lambda t: t["cpu_s"]),
        "turns": turns,
        "barge_in_trials": trials,
    }
    result["targets"] = targets(result)
    return result


def _by_question(turns: list[Turn]) -> dict[str, dict[str, float | None]]:
    """Median voice-to-voice per question, named by its voice and its first words."""
    def name(turn: Turn) -> str:
        return f"{turn['question']}: {turn['reference'][:14]}..."

    names = dict.fromkeys(name(t) for t in turns)
    return {label: {kind: summarize(t["voice_to_voice_s"] for t in turns
                                    if name(t) == label and t["kind"] == kind)["median"]
                    for kind in KINDS} for label in names}


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets for this machine with the dev models: each met or not."""
    v2v = result["voice_to_voice_s"]
    rows = [
        ("voice-to-voice median", "< 1.2 s", v2v["streamed"]["median"], lambda v: v < 1.2),
        ("voice-to-voice p95", "< 1.6 s", v2v["streamed"]["p95"], lambda v: v < 1.6),
        ("hang-over included (vad.hangover_ms)", ">= 500 ms", result["meta"]["hangover_ms"],
         lambda v: v >= 500),
        ("faster than sequential (median ratio)", ">= 2x", v2v["ratio_median"],
         lambda v: v >= 2.0),
        ("barge-in median", "< 0.3 s", result["barge_in_s"]["streamed"]["median"],
         lambda v: v < 0.3),
        ("false barge-ins", "0", result["false_barge_ins"], lambda v: v == 0),
        ("WER, English set", "< 10%", result["wer"]["english"]["streamed"], lambda v: v < 0.1),
        ("peak RSS", "< 1024 MB", result["peak_rss_mb"]["streamed"], lambda v: v < 1024),
    ]
    return [{"target": name, "wanted": wanted, "value": value,
             "met": value is not None and bool(test(value))}
            for name, wanted, value, test in rows]


def render(result: dict[str, Any]) -> str:
    """The plain-text report printed at the end of a run."""
    meta = result["meta"]
    v2v, barge = result["voice_to_voice_s"], result["barge_in_s"]
    lines = [f"voicebox benchmark: profile {meta['profile']}, {meta['runs']} run(s), "
             f"{meta['questions']} questions, echo room {meta['echo_delay_ms']} ms "
             f"gain {meta['echo_gain']}, {meta['seconds']:.0f} s",
             f"{'':34}{'streamed':>18}{'sequential':>18}{'ratio':>8}",
             _row("voice-to-voice median / p95", v2v, "s"),
             _row("  of which after the hang-over", result["after_hangover_s"], "s"),
             _row("barge-in median / p95", barge, "s"),
             _row("CPU time per turn median / p95", result["cpu_s_per_turn"], "s")]
    wer, rss = result["wer"], result["peak_rss_mb"]
    lines.append(f"{'WER English / other':34}{pct(wer['english']['streamed']):>9}"
                 f"{pct(wer['other']['streamed']):>9}{pct(wer['english']['sequential']):>9}"
                 f"{pct(wer['other']['sequential']):>9}")
    lines.append(f"{'peak RSS':34}{_num(rss['streamed'], 'MB'):>18}"
                 f"{_num(rss['sequential'], 'MB'):>18}{_x(rss['ratio']):>8}")
    lines.append(f"false barge-ins: {result['false_barge_ins']} "
                 f"{result['false_barge_ins_where']}; unanswered: {result['unanswered']}")
    for kind in KINDS:
        parts = ", ".join(f"{label} {ms(value)}"
                          for label, value in result["stages_median_s"][kind].items())
        lines.append(f"{kind} stages (median): {parts}")
    lines.append("targets:")
    lines.extend(f"  {'met ' if t['met'] else 'MISS'} {t['target']:<40} {t['wanted']:>10}  "
                 f"got {_value(t['value'])}" for t in result["targets"])
    return "\n".join(lines)


def _row(label: str, figure: dict[str, Any], unit: str) -> str:
    cells = [f"{_num(figure[k]['median'], unit)} / {_num(figure[k]['p95'], unit)}"
             for k in KINDS]
    return f"{label:34}{cells[0]:>18}{cells[1]:>18}{_x(figure['ratio_median']):>8}"


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.0f}ms" if unit == "s" else f"{value:.0f}{unit}"


def ms(value: float | None) -> str:
    """Seconds as "123 ms", or "-" when not measured (shared by every table)."""
    return "-" if value is None else f"{value * 1000:.0f} ms"


def pct(value: float | None, digits: int = 1) -> str:
    """A share as "12.5%", or "-" when not measured (shared by every table)."""
    return "-" if value is None else f"{value * 100:.{digits}f}%"


def _x(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}x"


def _value(value: float | int | None) -> str:
    if value is None or isinstance(value, int):
        return str(value)
    return f"{value:.3f}"
