"""The language model: streaming chat, conversation history, prompts."""
