"""The helpers behind ``benchmarks/wake``: the wake-word detector as the daemon runs it, fed
an hour of other speech over music for false accepts and a few hundred wake phrases (voices,
speeds, SNR, distance) for false rejects, wake-to-listening time and CPU.

The pure parts (``signals``, ``score``, ``report``) need no model and are unit tested in
``tests/unit/test_bench_wake*.py``; ``corpus`` synthesises speech and ``run`` drives the
detectors.
"""
