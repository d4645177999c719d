"""The helpers behind ``benchmarks/quality``: the question set, grading, the in-process run and
the report.

The pure parts (``grade``, ``report``) need no models and are unit tested in
``tests/unit/test_bench_quality.py``; ``runner`` drives the real pipeline.
"""
