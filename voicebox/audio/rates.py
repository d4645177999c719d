"""The one processing rate: every stage between the sound card and whisper runs at 16 kHz.

webrtcvad, AEC3 and whisper all take 16 kHz mono; the sound card runs at its own rate and is
resampled at the edges (capture, playback's far end). A 10 ms frame is the unit webrtcvad and
the echo canceller take.
"""

PROCESSING_RATE = 16000
FRAME_SAMPLES = PROCESSING_RATE // 100
FRAME_S = 0.010
