"""Contracts every layer shares; imports nothing of shenbao's own packages."""
