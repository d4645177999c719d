"""Live audio tests: real PortAudio streams on the private virtual sound card (tests/rig)."""
