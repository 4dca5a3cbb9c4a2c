"""Reminders: rows with local times, the scheduler that turns due ones into notifications."""
