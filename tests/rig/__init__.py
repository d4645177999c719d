"""A virtual sound card for live audio tests: a private PipeWire server and a test harness."""
