"""The helpers behind ``benchmarks/run``: questions, signal measurements, the daemon and the
sequential baseline on the virtual sound card, word error rate, summaries, report and chart.

The pure parts (``wer``, ``stats``, ``measure``) need neither models nor audio and are unit
tested in ``tests/unit/test_bench_*.py``; the rest drives real processes.
"""
