"""Motivation: money not spent and the person's own patterns, from their own entries."""
