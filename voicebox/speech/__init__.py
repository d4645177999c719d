"""Speech: speech-to-text, text-to-speech and the sentence splitter between the LLM and TTS."""
