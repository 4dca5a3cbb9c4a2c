"""Fotfeste: an anonymous self-help companion for recovery from drug and alcohol problems."""

__version__ = "0.1.0"
