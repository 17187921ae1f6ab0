"""Prompt files, one per task (see app/llm/prompts.py for the format)."""
