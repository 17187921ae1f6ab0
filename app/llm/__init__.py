"""The LLM layer: chat-model providers chosen by settings, the local model's
files, and the prompt renderer. Nothing here is imported by the services at
import time; the providers import their SDKs only when built."""
