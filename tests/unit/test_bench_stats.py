"""The benchmark's summaries: nearest-rank percentiles, medians and ratios."""

from __future__ import annotations

import pytest

from benchmarks.voicebench.report import compare, targets
from benchmarks.voicebench.stats import percentile, ratio, summarize


def test_nearest_rank_p95_is_always_a_measured_value() -> None:
    values = [float(v) for v in range(1, 21)]  # 20 turns
    assert percentile(values, 0.95) == 19.0  # rank ceil(0.95 * 20) = 19, not 19.05
    assert percentile(values, 0.5) == 10.0
    assert percentile([3.0], 0.95) == 3.0
    assert percentile([5.0, 1.0, 3.0], 1.0) == 5.0
    assert percentile([5.0, 1.0, 3.0], 0.0) == 1.0
    with pytest.raises(ValueError, match="no values"):
        percentile([], 0.5)


def test_a_summary_ignores_what_was_not_measured() -> None:
    assert summarize([1.0, None, 3.0, 2.0]) == {"n": 3, "median": 2.0, "p95": 3.0,
                                               "min": 1.0, "max": 3.0}
    assert summarize([None]) == {"n": 0, "median": None, "p95": None, "min": None,
                                 "max": None}


def test_a_ratio_says_how_many_times_better_the_streamed_side_is() -> None:
    assert ratio(2.4, 1.2) == pytest.approx(2.0)
    assert ratio(None, 1.0) is None
    assert ratio(1.0, None) is None
    assert ratio(1.0, 0.0) is None


def test_compare_puts_both_sides_and_their_ratios_side_by_side() -> None:
    turns = [{"kind": "streamed", "v": 1.0}, {"kind": "streamed", "v": 1.2},
             {"kind": "sequential", "v": 3.0}, {"kind": "sequential", "v": 2.0},
             {"kind": "sequential", "v": None}]
    figure = compare(turns, lambda t: t["v"])
    assert figure["streamed"]["median"] == pytest.approx(1.1)
    assert figure["sequential"]["median"] == pytest.approx(2.5)
    assert figure["ratio_median"] == pytest.approx(2.5 / 1.1)
    assert figure["ratio_p95"] == pytest.approx(3.0 / 1.2)


def test_each_target_is_met_or_missed_with_its_number() -> None:
    def side(median: float | None, p95: float | None = None) -> dict:
        return {"streamed": {"median": median, "p95": p95}}

    result = {"voice_to_voice_s": {**side(1.1, 1.7), "ratio_median": 2.5},
              "meta": {"hangover_ms": 500}, "barge_in_s": side(0.25),
              "false_barge_ins": 1, "wer": {"english": {"streamed": 0.05}},
              "peak_rss_mb": {"streamed": None}}
    verdicts = {t["target"]: (t["met"], t["value"]) for t in targets(result)}
    assert verdicts["voice-to-voice median"] == (True, 1.1)
    assert verdicts["voice-to-voice p95"] == (False, 1.7)
    assert verdicts["faster than sequential (median ratio)"] == (True, 2.5)
    assert verdicts["false barge-ins"] == (False, 1)
    assert verdicts["peak RSS"] == (False, None)  # not measured is not met
